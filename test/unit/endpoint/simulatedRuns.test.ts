/** Whole runs (RunManager, ModelClient, the scoring worker) against the per-kind server simulators. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunManager } from '../../../src/core/run/runManager';
import { tsxExecArgv } from '../../../src/core/scoring/workerLocation';
import { RunStore } from '../../../src/core/storage/runStore';
import type { SampleRecord } from '../../../src/core/storage/types';
import { startLlamaCppSim } from '../../support/simulators/llamaCpp';
import { startVllmSim } from '../../support/simulators/vllm';
import type { SimServer } from '../../support/simulators/simServer';
import { useTempDir } from '../../support/tempDir';

const workerPath = path.resolve(__dirname, '../../../src/worker/scoringWorker.ts');

describe('runs against server simulators', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  let manager: RunManager | undefined;
  let sim: SimServer | undefined;
  const logs: string[] = [];
  afterEach(async () => {
    await manager?.dispose();
    await sim?.close();
    manager = undefined;
    sim = undefined;
    logs.length = 0;
  });

  /** Items whose expected answer is the simulators' echo of the prompt. */
  function dataset(prompts: string[]): string {
    const file = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(file, prompts.map((prompt, i) => JSON.stringify({ id: `q${i}`, prompt, expected: `echo: ${prompt}` })).join('\n'));
    return file;
  }

  function newManager(): RunManager {
    manager = new RunManager({
      store: new RunStore(path.join(tmp.path, 'runs')),
      workerPath,
      workerExecArgv: tsxExecArgv(),
      cacheDir: path.join(tmp.path, 'cache'),
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
    return manager;
  }

  it('a run started while llama-server loads waits, then finishes with the server recorded as llama.cpp with its slots', async () => {
    const llama = await startLlamaCppSim({ loading: true, totalSlots: 2, models: ['qwen'] });
    sim = llama;
    setTimeout(() => llama.finishLoading(), 300);
    const [handle] = await newManager().start({
      benchmark: { id: 'custom', datasetPath: dataset(['one', 'two', 'three']) },
      endpoints: [{ baseUrl: llama.url, model: 'qwen', mode: 'chat' }],
    });
    const record = await handle.done;
    assert.equal(record.status, 'done');
    assert.equal(record.serverFacts?.kind, 'llama.cpp');
    assert.equal(record.serverFacts?.totalSlots, 2);
    assert.equal(record.config.concurrency, 2);
    assert.ok(logs.some((l) => /loading model…/.test(l)), logs.join('\n'));
    assert.deepEqual(record.metrics.map((m) => [m.name, m.value]), [['accuracy', 1]]);
  });

  async function samplesOf(runId: string): Promise<SampleRecord[]> {
    const reader = await new RunStore(path.join(tmp.path, 'runs')).openReader(runId);
    try {
      return reader.samples();
    } finally {
      reader.close();
    }
  }

  it('an item longer than llama.cpp\'s context is a request failure with cause context_overflow, never a wrong answer', async () => {
    sim = await startLlamaCppSim({ nCtx: 40, models: ['qwen'] });
    const [handle] = await newManager().start({
      benchmark: { id: 'custom', datasetPath: dataset(['short one', 'long '.repeat(60).trim()]) },
      endpoints: [{ baseUrl: sim.url, model: 'qwen', mode: 'chat' }],
      sampling: { max_tokens: 8 },
    });
    const record = await handle.done;
    const samples = await samplesOf(record.id);
    assert.equal(samples[0].status, 'done');
    assert.equal(samples[1].status, 'failed');
    assert.equal(samples[1].score?.failureCause, 'context_overflow');
    assert.match(samples[1].error ?? '', /^context overflow: the prompt is 60 tokens, the context 40/);
  });

  it('vLLM: the lowered max_tokens is said on the item and kept in the run file', async () => {
    sim = await startVllmSim({ maxModelLen: 40, models: ['qwen'] });
    const [handle] = await newManager().start({
      benchmark: { id: 'custom', datasetPath: dataset(['a b c', 'x '.repeat(30).trim()]) },
      endpoints: [{ baseUrl: sim.url, model: 'qwen', mode: 'chat' }],
      sampling: { max_tokens: 16 },
    });
    const record = await handle.done;
    const samples = await samplesOf(record.id);
    assert.equal(samples[0].notes, undefined);
    assert.deepEqual(samples[1].notes, ['max_tokens lowered from 16 to 10 to fit the context of 40 tokens (the prompt is 30); asked again once']);
    assert.equal(samples[1].status, 'done');
  });
});
