/** compare and export against real run files written with the storage API (sql.js), loaded by id and by path. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { compareCommand } from '../../../src/cli/commands/compare';
import { exportCommand } from '../../../src/cli/commands/export';
import type { CliIo } from '../../../src/cli/command';
import type { RunData } from '../../../src/core/compare/runData';
import { RunStoreError } from '../../../src/core/errors';
import { RunStore } from '../../../src/core/storage/runStore';
import { useTempDir } from '../../support/tempDir';
import { binaryRun } from '../../support/runFixtures';

function io(cwd: string): CliIo & { out: () => string } {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  return { stdout, stderr: new PassThrough(), env: {}, cwd, signal: new AbortController().signal, out: () => out };
}

async function write(store: RunStore, data: RunData): Promise<void> {
  const writer = await store.create(data.run.config, { runId: data.run.id, items: data.items });
  try {
    for (const sample of data.samples) writer.putSample(sample);
    writer.updateRun({ status: 'done', metrics: data.run.metrics });
    await writer.flush();
  } finally {
    await writer.close();
  }
}

describe('CLI compare and export on run files', () => {
  const tmp = useTempDir();

  it('reads runs by id from --runs-dir and by .sqlite path', async () => {
    const runsDir = path.join(tmp.path, 'runs');
    const store = new RunStore(runsDir);
    const a = Array.from({ length: 120 }, (_, i) => i < 90);
    const b = a.map((p, i) => (p ? i >= 20 : i < 92));
    await write(store, binaryRun('run-a', a));
    await write(store, binaryRun('run-b', b));

    const out = io(tmp.path);
    const code = await compareCommand.run(['run-a', path.join(runsDir, 'run-b.sqlite'), '--runs-dir', 'runs', '--json', '--resamples', '500', '--fail-if-worse', '5'], out);
    const comparison = JSON.parse(out.out());
    assert.equal(comparison.a.id, 'run-a');
    assert.equal(comparison.b.id, 'run-b');
    assert.deepEqual(comparison.headline.discordant, { onlyA: 20, onlyB: 2 });
    assert.equal(comparison.items.compared, 120);
    assert.equal(code, 1); // 15 points worse, p < 0.001

    const csv = io(tmp.path);
    assert.equal(await exportCommand.run(['run-b', '--format', 'csv', '--runs-dir', 'runs'], csv), 0);
    assert.equal(csv.out().split('\r\n').filter(Boolean).length, 121);
    const file = path.join(tmp.path, 'a.md');
    assert.equal(await exportCommand.run(['run-a', '--format', 'md', '--runs-dir', 'runs', '--out', file], io(tmp.path)), 0);
    assert.match(fs.readFileSync(file, 'utf8'), /\| Accuracy \| 75\.0% \|/);
  });

  it('a missing run is a RunStoreError (printed without a stack by main)', async () => {
    await assert.rejects(compareCommand.run(['nope', 'nada', '--runs-dir', tmp.path], io(tmp.path)), RunStoreError);
  });
});
