import * as assert from 'node:assert/strict';
import { snapshotSamples } from '../../../src/extension/panels/snapshotSamples';
import { checkedScore, sample } from '../../support/runFixtures';

describe('run panel snapshot samples', () => {
  it('a sample rescored on disk replaces the one an earlier snapshot showed', () => {
    // The panel's earlier snapshot had a#0 wrong; `evalbench score --run` rescored it to passed on disk.
    // Nothing from the earlier snapshot is passed in: only the file, the live run (none) and this read's arrivals.
    const onDisk = [sample('a', checkedScore(true)), sample('b', checkedScore(false, ['length_constraints:number_words']))];
    const merged = snapshotSamples(onDisk, [], []);
    assert.equal(merged.get('a#0')?.score?.passed, true);
    assert.equal(merged.get('b#0')?.score?.passed, false);
    assert.equal(merged.size, 2);
  });

  it('a live sample newer than the file wins over the file', () => {
    const onDisk = [sample('a', undefined, { status: 'failed', response: undefined, error: 'connection refused' }), sample('b', checkedScore(true))];
    const live = [sample('a', checkedScore(true), { finishedAt: '2026-11-20T10:05:00.000Z' })];
    const merged = snapshotSamples(onDisk, live, []);
    assert.equal(merged.get('a#0')?.status, 'done');
    assert.equal(merged.get('a#0')?.finishedAt, '2026-11-20T10:05:00.000Z');
    assert.equal(merged.get('b#0')?.score?.passed, true);
  });

  it('keeps samples that arrived while the file was read, over both the file and the live list', () => {
    const onDisk = [sample('a', undefined, { status: 'failed', response: undefined, error: 'server closed the connection' })];
    const live = [sample('a', checkedScore(false, ['detectable_format:title']))];
    const arrived = [sample('a', checkedScore(true), { finishedAt: '2026-11-20T10:06:00.000Z' }), sample('c', checkedScore(true), { sampleIndex: 1 })];
    const merged = snapshotSamples(onDisk, live, arrived);
    assert.equal(merged.get('a#0')?.score?.passed, true);
    assert.equal(merged.get('a#0')?.finishedAt, '2026-11-20T10:06:00.000Z');
    assert.equal(merged.get('c#1')?.score?.passed, true);
    assert.deepEqual([...merged.keys()], ['a#0', 'c#1']);
  });
});
