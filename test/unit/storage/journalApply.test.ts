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
});
