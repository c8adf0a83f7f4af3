import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError, ConfigError } from '../../../src/core/errors';
import { ServerProcessError } from '../../../src/core/servers/errors';
import { ManagedServer } from '../../../src/core/servers/managedServer';
import type { LlamaCppProfile } from '../../../src/core/servers/types';
import { eventually, FAKE_LLAMA_SERVER, fakeModelFile, isAlive, liveFakeServers, startedFakeServers } from '../../support/fakeLlamaServer';
import { useTempDir } from '../../support/tempDir';

describe('ManagedServer with a fake llama-server', function () {
  this.timeout(120_000);
  const tmp = useTempDir('evalbench-servers-');
  let servers: ManagedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  });

  const pidDir = () => path.join(tmp.path, 'pids');
  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    fs.mkdirSync(pidDir(), { recursive: true });
    return { ...process.env, FAKE_LLAMA_PID_DIR: pidDir(), FAKE_LLAMA_LOADING_MS: '400', ...extra };
  }
  const profile = (modelFile: string, extra: Partial<LlamaCppProfile> = {}): LlamaCppProfile => ({ kind: 'llama.cpp', binary: FAKE_LLAMA_SERVER, modelFile, parallel: 3, ...extra });

  it('starts on a free loopback port, waits through "Loading model", streams its output, and stops with SIGTERM', async () => {
    const model = fakeModelFile(tmp.path, 'tiny-Q4_K_M.gguf');
    const lines: string[] = [];
    const statuses: string[] = [];
    const server = await ManagedServer.start(profile(model), { env: env(), log: (l) => lines.push(l), onStatus: (s) => statuses.push(s) });
    servers.push(server);
    assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(server.modelId, 'tiny-Q4_K_M');
    assert.equal(server.modelFile, model);
    const props = (await (await fetch(server.baseUrl.replace(/\/v1$/, '/props'))).json()) as { total_slots: number };
    assert.equal(props.total_slots, 3, '--parallel reached the server');
    assert.ok(statuses.some((s) => /loading model/.test(s)), `saw the loading phase: ${statuses.join(' | ')}`);
    assert.ok(lines.some((l) => /server is listening on http:\/\/127\.0\.0\.1:/.test(l)), 'the output was streamed');
    const [pid] = liveFakeServers(pidDir());
    assert.ok(pid, 'the fake server is running');
    await server.stop();
    assert.equal(isAlive(pid), false);
    assert.ok(lines.some((l) => /received SIGTERM, shutting down/.test(l)), 'stopped by SIGTERM, not killed');
    assert.deepEqual(liveFakeServers(pidDir()), []);
  });

  it('kills a server that ignores SIGTERM once the grace period is over', async () => {
    const model = fakeModelFile(tmp.path, 'stubborn-F16.gguf');
    const lines: string[] = [];
    const server = await ManagedServer.start(profile(model), { env: env({ FAKE_LLAMA_IGNORE_SIGTERM: '1' }), graceMs: 300, log: (l) => lines.push(l) });
    servers.push(server);
    const [pid] = liveFakeServers(pidDir());
    // Only lower bounds on time here: the kill may come late on a loaded box, never early. Whether the fake
    // server's SIGTERM handler got to print its line inside a 300 ms grace depends on load, so it is not
    // asserted; the first test proves SIGTERM is what a stop sends.
    const stopAsked = performance.now();
    await server.stop();
    const stoppedAfterMs = performance.now() - stopAsked;
    assert.equal(isAlive(pid), false, 'a server that ignores SIGTERM is killed');
    assert.ok(stoppedAfterMs >= 300, `it was given the grace period first (stopped after ${stoppedAfterMs.toFixed(0)} ms)`);
  });

  it('reports a server that exits before it is ready, with its last output', async () => {
    await assert.rejects(
      ManagedServer.start(profile(path.join(tmp.path, 'missing.gguf')), { env: env() }),
      (e: Error) => e instanceof ServerProcessError && /exited with code 1 before it was ready/.test(e.message) && /failed to open .*missing\.gguf/.test(e.message),
    );
  });

  it('refuses a binary that does not exist before starting anything', async () => {
    const model = fakeModelFile(tmp.path, 'a-F16.gguf');
    await assert.rejects(
      ManagedServer.start(profile(model, { binary: path.join(tmp.path, 'no-llama-server') }), { env: env() }),
      (e: Error) => e instanceof ConfigError && /is not an executable file/.test(e.message),
    );
  });

  it('gives up after the start-up timeout and leaves no process', async () => {
    const model = fakeModelFile(tmp.path, 'slow-F16.gguf');
    // The budget must outlast the fake server's own start-up (a node process: seconds on a loaded 2-core box)
    // so that it ends while the model is loading, which is what this proves, not before anything listens.
    await assert.rejects(
      ManagedServer.start(profile(model), { env: env({ FAKE_LLAMA_LOADING_MS: '600000' }), startupTimeoutMs: 15_000 }),
      (e: Error) => e instanceof ServerProcessError && /was still loading the model after \d/.test(e.message),
    );
    await eventually(() => startedFakeServers(pidDir()).length === 1, 10_000, 'the server had started');
    await eventually(() => liveFakeServers(pidDir()).length === 0, 30_000, 'no server left');
  });

  it('stops the server when the start is cancelled while the model loads', async () => {
    const model = fakeModelFile(tmp.path, 'cancel-F16.gguf');
    const controller = new AbortController();
    const started = ManagedServer.start(profile(model), { env: env({ FAKE_LLAMA_LOADING_MS: '600000' }), signal: controller.signal, onStatus: (s) => /loading model/.test(s) && controller.abort() });
    await assert.rejects(started, CancelledError);
    await eventually(() => liveFakeServers(pidDir()).length === 0 && startedFakeServers(pidDir()).length === 1, 30_000, 'the server stopped');
  });

  it('an Ollama profile starts nothing: the model on the running daemon is used as it is', async () => {
    const statuses: string[] = [];
    const server = await ManagedServer.start({ kind: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b' }, { onStatus: (s) => statuses.push(s) });
    assert.equal(server.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(server.modelId, 'qwen2.5:7b');
    assert.equal(server.pid, undefined);
    await server.stop();
    assert.deepEqual(statuses, ['using Ollama qwen2.5:7b at http://127.0.0.1:11434/v1']);
  });

  it('no server outlives the process that started it, even when that process is SIGKILLed', async () => {
    const model = fakeModelFile(tmp.path, 'orphan-F16.gguf');
    const script = path.join(tmp.path, 'starter.ts');
    fs.writeFileSync(script, `
      import { ManagedServer } from ${JSON.stringify(path.resolve(__dirname, '../../../src/core/servers/managedServer'))};
      ManagedServer.start(${JSON.stringify(profile(model))}, { graceMs: 500 }).then((s) => console.log('READY ' + s.baseUrl));
      setInterval(() => {}, 1000);
    `);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: env(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    await eventually(() => out.includes('READY'), 45_000, 'the child started its server');
    const [pid] = liveFakeServers(pidDir());
    assert.ok(pid);
    child.kill('SIGKILL');
    await eventually(() => !isAlive(pid), 30_000, 'the orphaned server is stopped by its guard');
  });
});
