import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ConfigError } from '../../../src/core/errors';
import { launchFor } from '../../../src/core/servers/launch';

describe('server profiles → launches', () => {
  it('llama.cpp: -m, loopback host, the port, an alias from the file name, ctx, parallel and extra args as an array', () => {
    const launch = launchFor({ kind: 'llama.cpp', binary: '/opt/llama-server', modelFile: '/m/Qwen 7B Q4_K_M.gguf', ctxSize: 8192, parallel: 4, extraArgs: ['--flash-attn', 'on'] }, 41234);
    assert.equal(launch.kind, 'process');
    if (launch.kind !== 'process') return;
    assert.equal(launch.command, '/opt/llama-server');
    assert.deepEqual(launch.args, ['-m', '/m/Qwen 7B Q4_K_M.gguf', '--host', '127.0.0.1', '--port', '41234', '--alias', 'Qwen 7B Q4_K_M', '--ctx-size', '8192', '--parallel', '4', '--flash-attn', 'on']);
    assert.equal(launch.modelId, 'Qwen 7B Q4_K_M');
    assert.equal(launch.modelFile, '/m/Qwen 7B Q4_K_M.gguf');
  });

  it('vLLM: vllm serve MODEL on loopback, the served name when given', () => {
    const launch = launchFor({ kind: 'vllm', model: 'Qwen/Qwen2.5-7B-Instruct-AWQ', extraArgs: ['--quantization', 'awq', '--served-model-name', 'qwen-awq'] }, 8001);
    assert.deepEqual(launch.kind === 'process' && [launch.command, ...launch.args], ['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct-AWQ', '--host', '127.0.0.1', '--port', '8001', '--quantization', 'awq', '--served-model-name', 'qwen-awq']);
    assert.equal(launch.kind === 'process' && launch.modelId, 'qwen-awq');
  });

  it('Ollama: nothing to start, the model on the running daemon', () => {
    assert.deepEqual(launchFor({ kind: 'ollama', model: 'qwen2.5:7b-instruct-q4_K_M' }, 0), {
      kind: 'attach', baseUrl: 'http://127.0.0.1:11434', modelId: 'qwen2.5:7b-instruct-q4_K_M', label: 'Ollama qwen2.5:7b-instruct-q4_K_M',
    });
  });

  it('any command: {port}, {host} and {model} filled inside each argument, no shell, a model file noted', () => {
    const launch = launchFor({ kind: 'command', command: ['my-server', '--listen={host}:{port}', '--weights', '{model}', '; rm -rf /'], model: 'w/a.gguf' }, 5000);
    assert.equal(launch.kind, 'process');
    if (launch.kind !== 'process') return;
    assert.deepEqual([launch.command, ...launch.args], ['my-server', '--listen=127.0.0.1:5000', '--weights', 'w/a.gguf', '; rm -rf /']);
    assert.equal(launch.modelFile, path.resolve('w/a.gguf'));
    assert.equal(launch.modelId, undefined, 'asked from /v1/models once up');
  });

  it('a command without {port}, or with {model} and no model, is refused', () => {
    assert.throws(() => launchFor({ kind: 'command', command: ['srv', '--port', '8080'] }, 1), (e: Error) => e instanceof ConfigError && /must contain \{port\}/.test(e.message));
    assert.throws(() => launchFor({ kind: 'command', command: ['srv', '--port', '{port}', '{model}'] }, 1), (e: Error) => e instanceof ConfigError && /uses \{model\}/.test(e.message));
  });
});
