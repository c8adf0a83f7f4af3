import * as assert from 'node:assert/strict';
import { readSamples, insertItems, insertRun } from '../../../src/core/storage/rows';
import { applyEntries, type JournalEntry } from '../../../src/core/storage/runJournal';
import { initialize } from '../../../src/core/storage/schema';
import { loadSqlJs } from '../../../src/core/storage/sqlJs';
import type { RunRecord } from '../../../src/core/storage/types';
import { config, failedSample, items, sample, score } from './fixtures/runFixtures';

// applyEntries prepares each row statement once per batch (RowStatements): the rows must be what one
// db.run per write gave, whatever the order of replies, re-asks and scores in the segment.
describe('applyEntries', () => {
  it('applies a segment of replies, scores, re-asks and stray scores with the same rows as one write at a time', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    try {
      initialize(db);
      const record: RunRecord = { id: 'r1', createdAt: '2026-11-23T10:00:00.000Z', updatedAt: '2026-11-23T10:00:00.000Z', status: 'running', config: config(), metrics: [] };
      insertRun(db, record);
      insertItems(db, items(3));
      const entries: JournalEntry[] = [
        { t: 'sample', sample: sample('q0') },
        { t: 'score', itemId: 'q0', sampleIndex: 0, score: score(true) },
        { t: 'sample', sample: failedSample('q1') },
        { t: 'score', itemId: 'q1', sampleIndex: 0, score: score(false) },
        // q1 asked again: its new reply replaces the failure, and the failure's score goes with it.
        { t: 'sample', sample: sample('q1', 0, { response: 'second try' }) },
        // A score for a reply the segment never stored is not kept.
        { t: 'score', itemId: 'q2', sampleIndex: 0, score: score(true) },
        { t: 'sample', sample: sample('q2', 0, { score: score(false) }) },
        { t: 'run', state: { status: 'done', metrics: [], updatedAt: '2026-11-23T10:00:09.000Z' } },
      ];
      const next = applyEntries(db, record, entries);
      assert.equal(next.status, 'done');
      const rows = readSamples(db);
      assert.deepEqual(rows.map((s) => [s.itemId, s.status, s.response, s.score?.passed]), [
        ['q0', 'done', sample('q0').response, true],
        ['q1', 'done', 'second try', undefined],
        ['q2', 'done', sample('q2').response, false],
      ]);
      // The same statements serve a second batch on the same database (a replay after a fold).
      applyEntries(db, next, [{ t: 'score', itemId: 'q1', sampleIndex: 0, score: score(true) }]);
      assert.equal(readSamples(db, { itemId: 'q1' })[0].score?.passed, true);
    } finally {
      db.close();
    }
  });

  // A batch merges each sample's entries before writing rows: whatever the order of replies, re-asks, scores
  // and scores of replies stored by an earlier batch, the rows must equal those of applying one entry at a time.
  it('gives the same rows as one entry at a time, for random segments over a file that already has replies', async () => {
    const SQL = await loadSqlJs();
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let round = 0; round < 40; round++) {
      const record: RunRecord = { id: 'r1', createdAt: '2026-11-23T10:00:00.000Z', updatedAt: '2026-11-23T10:00:00.000Z', status: 'running', config: config(), metrics: [] };
      const earlier: JournalEntry[] = [{ t: 'sample', sample: sample('q0') }, { t: 'sample', sample: failedSample('q1', 1) }];
      const segment: JournalEntry[] = Array.from({ length: 30 }, (_, i): JournalEntry => {
        const itemId = `q${random(4)}`;
        const sampleIndex = random(2);
        const kind = random(3);
        if (kind === 0) return { t: 'sample', sample: sample(itemId, sampleIndex, { response: `reply ${i}` }) };
        if (kind === 1) return { t: 'sample', sample: random(2) ? failedSample(itemId, sampleIndex) : sample(itemId, sampleIndex, { response: `scored ${i}`, score: score(i % 2 === 0) }) };
        return { t: 'score', itemId, sampleIndex, score: { ...score(i % 3 === 0), values: { prompt_strict: i } } };
      });
      const oneByOne = new SQL.Database();
      const batched = new SQL.Database();
      try {
        for (const db of [oneByOne, batched]) {
          initialize(db);
          insertRun(db, record);
          insertItems(db, items(4));
          applyEntries(db, record, earlier);
        }
        for (const entry of segment) applyEntries(oneByOne, record, [entry]);
        applyEntries(batched, record, segment);
        assert.deepEqual(readSamples(batched), readSamples(oneByOne), `round ${round}`);
      } finally {
        oneByOne.close();
        batched.close();
      }
    }
  });
});
