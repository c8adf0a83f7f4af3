import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRunDatabase } from '../../../src/core/storage/runFile';
import { foldingFileFor, journalFileFor, type JournalEntry } from '../../../src/core/storage/runJournal';
import { RunStore } from '../../../src/core/storage/runStore';
import { workToResume } from '../../../src/core/storage/resumeWork';
import { readSamples } from '../../../src/core/storage/rows';
import { useTempDir } from '../../support/tempDir';
import { waitFor } from '../../support/waitFor';
import { config, items, sample, score } from './fixtures/runFixtures';

/** The samples in the `.sqlite` alone, without the journal replayed: what checkpoints have folded. */
async function foldedIds(file: string): Promise<string[]> {
  const { db } = await loadRunDatabase(file, undefined, { replayJournal: false });
  try {
    return readSamples(db).map((s) => s.itemId);
  } finally {
    db.close();
  }
}

const lines = (entries: JournalEntry[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join('');
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `q${from + i}`);

describe('RunStore: checkpoints during a run', function () {
  this.timeout(60_000);
  const tmp = useTempDir('evalbench-checkpoints-');

  it('folds the journal into the run file while the writer is open, and the file with its journal counts every sample once', async () => {
    // Tiny thresholds: a checkpoint is due after a few samples, whatever the file's size.
    const store = new RunStore(path.join(tmp.path, 'runs'), { checkpointMinBytes: 2048, checkpointFileShare: 0, batchSamples: 4 });
    const writer = await store.create(config(), { runId: 'ck', items: items(60) });
    const reply = 'a reply long enough to fill the journal quickly. '.repeat(20);
    for (let i = 0; i < 40; i++) {
      writer.putSample(sample(`q${i}`, 0, { response: reply }));
      writer.setScore(`q${i}`, 0, score(i % 2 === 0));
      await writer.backpressure();
    }
    // No flush or close was asked for: only the checkpoints the writing triggered can put samples in the file.
    const folded = await waitFor('a checkpoint during the run', async () => {
      const inFile = await foldedIds(writer.file);
      return inFile.length > 0 && inFile;
    });
    assert.deepEqual(folded, ids(0, folded.length), 'the file holds a prefix of what was written, each once');
    // Readers see the file plus the unfolded journal: each sample once, scores with them, in item order.
    const reader = await store.openReader('ck');
    assert.deepEqual(reader.samples().map((s) => s.itemId), ids(0, 40));
    assert.deepEqual(reader.summary().counts, { total: 60, passed: 20, wrong: 20, request_failed: 0, scoring_error: 0, pending: 20 });
    reader.close();

    for (let i = 40; i < 60; i++) writer.putSample(sample(`q${i}`, 0, { response: reply, score: score(true) }));
    writer.updateRun({ status: 'done' });
    await writer.close();
    // Close folded the tail: the file alone is the run.
    assert.deepEqual(await foldedIds(writer.file), ids(0, 60));
    assert.deepEqual(fs.readdirSync(path.join(tmp.path, 'runs')).sort(), ['ck.sqlite', 'ck.summary.json']);
    const [summary] = await store.listSummaries();
    assert.deepEqual([summary.status, summary.counts], ['done', { total: 60, passed: 40, wrong: 20, request_failed: 0, scoring_error: 0, pending: 0 }]);
  });

  // A kill -9 can land at any step of a checkpoint: after the journal was moved aside (its entries not yet in
  // the file), or after the file was replaced (its entries in the file and still in the moved-aside segment).
  // Both states are built here exactly, then read and resumed.
  for (const moment of ['after the journal was moved aside', 'after the file was replaced, before the segment was removed'] as const) {
    it(`a kill ${moment} leaves a run that reads each sample once and resumes exactly`, async () => {
      const runsDir = path.join(tmp.path, 'runs');
      const store = new RunStore(runsDir, { checkpointMinBytes: Number.MAX_SAFE_INTEGER, checkpointBytes: Number.MAX_SAFE_INTEGER });
      const writer = await store.create(config(), { runId: 'killed', items: items(20) });
      for (let i = 0; i < 10; i++) writer.putSample(sample(`q${i}`, 0, { score: score(true) }));
      await writer.close(); // q0..q9 are in the file; its status stays "running": nobody finished it
      const file = writer.file;

      const segment: JournalEntry[] = ids(10, 15).map((id) => ({ t: 'sample', sample: sample(id) }));
      // q3 asked again in the segment, and scored: the replay must keep the newer reply, once.
      segment.push({ t: 'sample', sample: sample('q3', 0, { response: 'asked again' }) }, { t: 'score', itemId: 'q3', sampleIndex: 0, score: score(false) });
      if (moment !== 'after the journal was moved aside') {
        // The fold had finished: the file already holds the segment's entries.
        const again = await store.openWriter('killed');
        for (const entry of segment) {
          if (entry.t === 'sample') again.putSample(entry.sample);
          else if (entry.t === 'score') again.setScore(entry.itemId, entry.sampleIndex, entry.score);
        }
        await again.close();
        assert.deepEqual((await foldedIds(file)).length, 15);
      }
      fs.writeFileSync(foldingFileFor(file), lines(segment));
      // Appends after the rotation went to a fresh journal, the last of them torn by the kill.
      fs.writeFileSync(journalFileFor(file), lines(ids(15, 17).map((id) => ({ t: 'sample', sample: sample(id, 0, { score: score(true) }) }))) + '{"t":"sample","sam');

      const reader = await store.openReader('killed');
      const stored = reader.samples();
      assert.deepEqual(stored.map((s) => s.itemId), ids(0, 17), 'every saved sample once, in item order');
      assert.equal(stored.find((s) => s.itemId === 'q3')?.response, 'asked again');
      assert.deepEqual(reader.summary().counts, { total: 20, passed: 11, wrong: 1, request_failed: 0, scoring_error: 0, pending: 8 });
      assert.equal(reader.run().status, 'interrupted');
      reader.close();

      const resumed = await store.openWriter('killed');
      const missing = workToResume(resumed, 'resume');
      assert.deepEqual(missing.filter((u) => !u.scoreOnly).map((u) => u.itemId), ids(17, 20), 'resume asks exactly the rest');
      for (const { itemId } of missing.filter((u) => !u.scoreOnly)) resumed.putSample(sample(itemId, 0, { score: score(true) }));
      for (const { itemId, scoreOnly } of missing) if (scoreOnly) resumed.setScore(itemId, 0, score(true));
      resumed.updateRun({ status: 'done' });
      await resumed.close();

      assert.deepEqual(await foldedIds(file), ids(0, 20));
      assert.deepEqual(fs.readdirSync(runsDir).sort(), ['killed.sqlite', 'killed.summary.json']);
      const [summary] = await store.listSummaries();
      assert.deepEqual([summary.status, summary.counts], ['done', { total: 20, passed: 19, wrong: 1, request_failed: 0, scoring_error: 0, pending: 0 }]);
    });
  }
});
