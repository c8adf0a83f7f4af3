import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { RunManager } from '../../../src/core/run/runManager';
import type { RunRequest } from '../../../src/core/run/types';
import type { ManagedServer } from '../../../src/core/servers/managedServer';
import { runModelComparison } from '../../../src/core/servers/modelComparison';
import { ServerProcessError } from '../../../src/core/servers/errors';
import type { ServerProfile } from '../../../src/core/servers/types';
import type { RunRecord } from '../../../src/core/storage/types';
import { eventually, fakeModelFile } from '../../support/fakeLlamaServer';
import { useTempDir } from '../../support/tempDir';

/**
 * The ordering of compare-models with its two seams replaced: servers that only count starts and stops, and a run
 * manager whose runs end when the test says. (The real processes are covered by the CLI test.)
 */
function harness(options: { failStart?: string } = {}) {
  let up = 0;
  const log: string[] = [];
  const stats = { maxUp: 0, started: 0, stopped: 0 };
  const requests: RunRequest[] = [];
  const pending: (() => void)[] = [];
  const startServer = async (profile: ServerProfile) => {
    const name = profile.kind === 'llama.cpp' ? path.basename(profile.modelFile) : profile.kind;
    if (name === options.failStart) throw new ServerProcessError(`${name} exited with code 1 before it was ready`);
    stats.started++;
    up++;
    stats.maxUp = Math.max(stats.maxUp, up);
    log.push(`start ${name}`);
    return {
      baseUrl: `http://127.0.0.1:${1000 + stats.started}/v1`,
      modelId: name,
      stop: async () => {
        up--;
        stats.stopped++;
        log.push(`stop ${name}`);
      },
    } as unknown as ManagedServer;
  };
  const manager = {
    start: async (request: RunRequest) => {
      requests.push(request);
      let finish!: () => void;
      const done = new Promise<RunRecord>((resolve) => {
        finish = () => resolve({ id: `run-${requests.length}`, status: 'done', config: { benchmarkId: request.benchmark.id } } as RunRecord);
      });
      pending.push(finish);
      return [{ runId: `run-${requests.length}`, done, cancel: () => finish(), onProgress: () => ({ dispose() {} }) }];
    },
  } as unknown as RunManager;
  return { startServer, manager, stats, log, requests, pending };
}

/** The next run's end, once that run has started (no fixed sleeps: the machine may be busy). */
async function finishNext(h: { pending: (() => void)[] }): Promise<void> {
  await eventually(() => h.pending.length > 0, 30_000, 'a run started');
  h.pending.shift()!();
}

describe('runModelComparison', () => {
  const tmp = useTempDir('evalbench-model-comparison-');
  const profiles = (): ServerProfile[] => ['a-F16.gguf', 'b-Q4_K_M.gguf'].map((f) => ({ kind: 'llama.cpp', modelFile: fakeModelFile(tmp.path, f) }));
  const request = (extra = {}) => ({ profiles: profiles(), benchmarks: [{ id: 'custom', datasetPath: 'x.jsonl' }, { id: 'ifeval' }], mode: 'chat' as const, ...extra });

  it('runs one model at a time: its server up, every benchmark, its server down; one matrix id; facts and logprobs asked', async () => {
    const h = harness();
    const result = runModelComparison(request(), { manager: h.manager, startServer: h.startServer });
    for (let i = 0; i < 4; i++) await finishNext(h);
    const { models, matrixId, cancelled } = await result;
    assert.equal(cancelled, false);
    assert.equal(h.stats.maxUp, 1);
    assert.deepEqual(h.log, ['start a-F16.gguf', 'stop a-F16.gguf', 'start b-Q4_K_M.gguf', 'stop b-Q4_K_M.gguf']);
    assert.deepEqual(h.requests.map((r) => [r.benchmark.id, r.endpoints[0].model, r.matrixId, r.logprobs, r.modelFile?.quantization]), [
      ['custom', 'a-F16.gguf', matrixId, true, 'F16'], ['ifeval', 'a-F16.gguf', matrixId, true, 'F16'],
      ['custom', 'b-Q4_K_M.gguf', matrixId, true, 'Q4_K_M'], ['ifeval', 'b-Q4_K_M.gguf', matrixId, true, 'Q4_K_M'],
    ]);
    assert.deepEqual(models.map((m) => m.runs.length), [2, 2]);
  });

  it('side by side: every server up at once, each model its own port', async () => {
    const h = harness();
    const result = runModelComparison(request({ sideBySide: true }), { manager: h.manager, startServer: h.startServer });
    await eventually(() => h.stats.maxUp === 2 && h.pending.length === 2, 30_000, 'both servers up and both first runs started before any run ended');
    for (let i = 0; i < 4; i++) await finishNext(h);
    const { models } = await result;
    assert.deepEqual(models.map((m) => m.runs.length), [2, 2]);
    assert.notEqual(h.requests[0].endpoints[0].baseUrl, h.requests[1].endpoints[0].baseUrl);
  });

  it('a server that does not start is reported for its model, and the others still run', async () => {
    const h = harness({ failStart: 'a-F16.gguf' });
    const result = runModelComparison(request(), { manager: h.manager, startServer: h.startServer });
    for (let i = 0; i < 2; i++) await finishNext(h);
    const { models } = await result;
    assert.match(models[0].error!, /exited with code 1 before it was ready/);
    assert.equal(models[0].runs.length, 0);
    assert.equal(models[1].runs.length, 2);
  });

  it('cancelling stops the run in flight and its server, and starts no further model', async () => {
    const h = harness();
    const controller = new AbortController();
    const result = runModelComparison(request(), { manager: h.manager, startServer: h.startServer, signal: controller.signal });
    await eventually(() => h.pending.length > 0, 30_000, 'the first run started');
    controller.abort();
    const { cancelled, models } = await result;
    assert.equal(cancelled, true);
    assert.deepEqual(h.log, ['start a-F16.gguf', 'stop a-F16.gguf']);
    assert.equal(models[1].runs.length, 0);
  });
});
