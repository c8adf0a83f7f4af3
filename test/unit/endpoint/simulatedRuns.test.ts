/** Whole runs (RunManager, ModelClient, the scoring worker) against the per-kind server simulators. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunManager } from '../../../src/core/run/runManager';
import { tsxExecArgv } from '../../../src/core/scoring/workerLocation';
import { RunStore } from '../../../src/core/storage/runStore';
import { startLlamaCppSim } from '../../support/simulators/llamaCpp';
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
});
