import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listModels, probeServer, quantizationFrom } from '../../../src/core/endpoint/serverProbe';
import { CancelledError, EndpointError } from '../../../src/core/errors';
import { useFakeModelServers } from '../../support/useFakeModelServer';

describe('probeServer', () => {
  const servers = useFakeModelServers();

  it('recognises llama.cpp from /props: slots, context, model file, quantization, build', async () => {
    const server = await servers.start({ kind: 'llama.cpp', models: ['qwen2.5-7b-instruct'], contextLength: 16384, totalSlots: 8 });
    const facts = await probeServer(server.origin);
    assert.equal(facts.kind, 'llama.cpp');
    assert.equal(facts.baseUrl, server.url);
    assert.deepEqual(facts.models, ['qwen2.5-7b-instruct']);
    assert.equal(facts.totalSlots, 8);
    assert.equal(facts.contextLength, 16384);
    assert.equal(facts.modelPath, '/models/qwen2.5-7b-instruct.Q4_K_M.gguf');
    assert.equal(facts.quantization, 'Q4_K_M');
    assert.equal(facts.parameterSize, '7.6B');
    assert.equal(facts.build, 'llama.cpp b5215-6b9f5e4c');
    assert.ok('/props' in facts.raw);
    assert.ok(!Number.isNaN(Date.parse(facts.probedAt)));
  });

  it('recognises Ollama from /api/version and reads /api/show for the chosen model', async () => {
    const server = await servers.start({ kind: 'ollama', models: ['llama3.2:3b', 'qwen2.5:7b'], contextLength: 32768 });
    const facts = await probeServer(`${server.url}/`, { model: 'qwen2.5:7b' });
    assert.equal(facts.kind, 'ollama');
    assert.equal(facts.build, 'ollama 0.6.8');
    assert.equal(facts.quantization, 'Q4_K_M');
    assert.equal(facts.parameterSize, '7.6B');
    // 32768 is what the model was trained for; the model is not loaded, so the context in effect is Ollama 0.6's default.
    assert.equal(facts.trainedContextLength, 32768);
    assert.equal(facts.contextLength, 2048);
    assert.match(facts.contextSource ?? '', /^an estimate/);
    const show = server.requests.find((r) => r.path === '/api/show');
    assert.deepEqual(show?.body, { model: 'qwen2.5:7b' });
  });

  it('recognises vLLM from /version and max_model_len', async () => {
    const server = await servers.start({ kind: 'vllm', models: ['Qwen/Qwen2.5-7B-Instruct-AWQ'], contextLength: 4096 });
    const facts = await probeServer(server.url);
    assert.equal(facts.kind, 'vllm');
    assert.equal(facts.build, 'vLLM 0.8.5');
    assert.equal(facts.contextLength, 4096);
    assert.equal(facts.quantization, 'AWQ');
  });

  it('recognises LM Studio from /api/v0/models', async () => {
    const server = await servers.start({ kind: 'lmstudio', models: ['qwen2.5-7b-instruct'], contextLength: 32768 });
    const facts = await probeServer(server.url);
    assert.equal(facts.kind, 'lmstudio');
    assert.equal(facts.quantization, 'Q4_K_M');
    // max_context_length is the trained maximum; no loaded_context_length, so no context in effect is claimed.
    assert.equal(facts.trainedContextLength, 32768);
    assert.equal(facts.contextLength, undefined);
  });

  it('calls any other server that lists models openai-compatible', async () => {
    const server = await servers.start({ kind: 'openai', models: ['a', 'b'] });
    const facts = await probeServer(server.url);
    assert.deepEqual([facts.kind, facts.models, facts.totalSlots], ['openai-compatible', ['a', 'b'], undefined]);
  });

  it('gives one error for a dead URL, naming every route tried and what each gave', async () => {
    const dead = await servers.start();
    const origin = dead.origin;
    await dead.close();
    await assert.rejects(probeServer(origin), (error: EndpointError) => {
      assert.ok(error instanceof EndpointError);
      assert.ok(error.message.startsWith(`no OpenAI-compatible server at ${origin}: `));
      for (const path of ['/v1/models', '/props', '/api/version', '/api/v0/models', '/version']) {
        assert.ok(error.message.includes(`GET ${origin}${path} → connection refused`), `${path} in: ${error.message}`);
      }
      assert.match(error.message, /check the URL and that the server is running$/);
      return true;
    });
  });

  it('reports what a wrong URL answered (a web server that is not a model server)', async () => {
    const web = http.createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    try {
      await assert.rejects(probeServer(origin), new RegExp(`GET ${origin}/v1/models → 404 <h1>Not Found</h1>`));
    } finally {
      web.closeAllConnections();
      await new Promise((resolve) => web.close(resolve));
    }
  });

  it('says the key is wrong when the server answers 401', async () => {
    const server = await servers.start({ apiKey: 'secret' });
    await assert.rejects(probeServer(server.url, { apiKey: 'wrong' }), /401 Invalid API Key.*the server wants an API key/);
    const facts = await probeServer(server.url, { apiKey: 'secret' });
    assert.deepEqual(facts.models, ['fake-model']);
  });

  it('gives up on a route that does not answer within timeoutMs', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      await assert.rejects(probeServer(origin, { timeoutMs: 100 }), /\/v1\/models → no answer within 0\.1 s/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('stops when cancelled', async () => {
    await assert.rejects(probeServer('http://127.0.0.1:9/v1', { signal: AbortSignal.abort() }), CancelledError);
  });

  it('lists models', async () => {
    const server = await servers.start({ models: ['m1', 'm2'] });
    assert.deepEqual(await listModels(server.origin), ['m1', 'm2']);
    const origin = server.origin;
    await server.close();
    await assert.rejects(listModels(origin), new RegExp(`could not list the models of ${origin}/v1: GET ${origin}/v1/models → connection refused`));
  });

  it('reads the quantization from model file names', () => {
    assert.equal(quantizationFrom('/m/qwen2.5-7b-instruct-q4_k_m.gguf'), 'Q4_K_M');
    assert.equal(quantizationFrom('Llama-3.1-8B-Instruct-IQ3_XS.gguf'), 'IQ3_XS');
    assert.equal(quantizationFrom('model-Q8_0.gguf'), 'Q8_0');
    assert.equal(quantizationFrom('phi-3-mini-f16.gguf'), 'F16');
    assert.equal(quantizationFrom('meta-llama/Llama-3.1-8B-Instruct'), undefined);
  });
});
