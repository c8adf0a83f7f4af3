/**
 * EvalBench starting and stopping the real llama-server (ManagedServer), and a run started while a
 * real llama-server is still loading its model: the run waits, then records the server as
 * llama.cpp with its slots. No llama-server outlives its test — not even when the process that
 * started it is SIGKILLed.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { probeServer } from '../../src/core/endpoint/serverProbe';
import { RunManager } from '../../src/core/run/runManager';
import { tsxExecArgv } from '../../src/core/scoring/workerLocation';
import { ManagedServer } from '../../src/core/servers/managedServer';
import type { LlamaCppProfile } from '../../src/core/servers/types';
import { RunStore } from '../../src/core/storage/runStore';
import { useTempDir } from '../support/tempDir';
import { requireLlama, type LlamaSetup } from './support/llamaSetup';
import { processesMentioning, spawnLlamaServer, stopAllLlamaServers } from './support/llamaServer';
import { writeDataset } from './support/runFiles';
import { waitFor } from '../support/waitFor';

const WORKER = path.resolve(__dirname, '..', '..', 'src', 'worker', 'scoringWorker.ts');

describe('real llama-server: started by EvalBench, and runs that meet it loading', function () {
  let llama: LlamaSetup;
  const tmp = useTempDir();
  const servers: ManagedServer[] = [];
  let manager: RunManager | undefined;

  before(async function () {
    llama = await requireLlama(this);
  });
  afterEach(async () => {
    await manager?.dispose();
    manager = undefined;
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await stopAllLlamaServers();
  });

  const profile = (modelFile: string): LlamaCppProfile => ({ kind: 'llama.cpp', binary: llama.server, modelFile, ctxSize: 512, parallel: 2 });

  it('starts llama-server on a free loopback port, serves the file under its name, and stops it', async () => {
    const statuses: string[] = [];
    const server = await ManagedServer.start(profile(llama.models.q4_0), { onStatus: (s) => statuses.push(s) });
    servers.push(server);
    assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(server.modelId, 'tiny-q4_0', '--alias: the file name, not its path');
    const facts = await probeServer(server.baseUrl, { model: server.modelId, timeoutMs: 30_000 });
    assert.equal(facts.kind, 'llama.cpp');
    assert.deepEqual(facts.models, ['tiny-q4_0']);
    assert.equal(facts.totalSlots, 2);
    assert.equal(facts.modelPath, llama.models.q4_0);
    assert.ok(statuses.some((s) => /ready at http:\/\/127\.0\.0\.1/.test(s)), statuses.join(' | '));
    assert.ok(processesMentioning(llama.models.q4_0).some((p) => p.cmdline.startsWith(llama.server)), 'llama-server runs');

    await server.stop();
    const exit = await server.exited;
    assert.ok(exit.code !== null || exit.signal !== null);
    await waitFor('llama-server stopped', () => processesMentioning(llama.models.q4_0).length === 0, 60_000);
  });

  it('stops the real llama-server when the process that started it is SIGKILLed', async () => {
    const script = path.join(tmp.path, 'starter.ts');
    fs.writeFileSync(
      script,
      `import { ManagedServer } from ${JSON.stringify(path.resolve(__dirname, '../../src/core/servers/managedServer'))};
       ManagedServer.start(${JSON.stringify(profile(llama.models.q8_0))}, { graceMs: 2000 }).then((s) => console.log('READY ' + s.baseUrl));
       setInterval(() => {}, 1000);`,
    );
    const child = spawn(process.execPath, [...tsxExecArgv(), script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await waitFor('the child started its server', () => out.includes('READY'), 120_000);
      const server = processesMentioning(llama.models.q8_0).find((p) => p.cmdline.startsWith(llama.server));
      assert.ok(server, 'llama-server is running');
      child.kill('SIGKILL');
      await waitFor('the orphaned llama-server is stopped by its guard', () => processesMentioning(llama.models.q8_0).length === 0, 60_000);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a run started while the model loads waits, then records llama.cpp with its slots', async () => {
    const logs: string[] = [];
    manager = new RunManager({
      store: new RunStore(path.join(tmp.path, 'runs')),
      workerPath: WORKER,
      workerExecArgv: tsxExecArgv(),
      cacheDir: path.join(tmp.path, 'cache'),
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
    const dataset = writeDataset(tmp.path, ['a', 'b', 'c'].map((id) => ({ id, prompt: `Say ${id}.`, expected: id })));
    const server = await spawnLlamaServer({ binary: llama.server, model: llama.models.f32 });
    // Start the run at the first sign of life: the server listens, and answers 503 while it loads.
    for (;;) {
      assert.equal(server.process.exitCode, null, server.output());
      const status = await fetch(`${server.root}/health`).then((r) => r.status, () => 0);
      if (status !== 0) {
        assert.equal(status, 503, 'the server was still loading when the run started');
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const [handle] = await manager.start({
      benchmark: { id: 'custom', datasetPath: dataset },
      endpoints: [{ baseUrl: server.baseUrl, model: llama.models.f32, mode: 'chat' }],
      sampling: { max_tokens: 8 },
    });
    const record = await handle.done;
    assert.equal(record.status, 'done', record.error);
    assert.equal(record.serverFacts?.kind, 'llama.cpp');
    assert.equal(record.serverFacts?.totalSlots, 2);
    assert.equal(record.config.concurrency, 2);
    assert.ok(logs.some((l) => /loading model/.test(l)), `the run saw the loading phase:\n${logs.join('\n')}`);
    const reader = await new RunStore(path.join(tmp.path, 'runs')).openReader(handle.runId);
    try {
      const samples = reader.samples();
      assert.equal(samples.length, 3);
      assert.ok(samples.every((s) => s.status === 'done'), JSON.stringify(samples));
    } finally {
      reader.close();
    }
  });
});
