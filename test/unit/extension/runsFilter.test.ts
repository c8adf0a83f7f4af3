import * as assert from 'node:assert/strict';
import { applyFilter, describeFilter, isEmptyFilter, lastDays, parseDateRange } from '../../../src/extension/runsTree/runsFilter';
import { summary } from '../../support/runFixtures';

describe('runs filter', () => {
  const runs = [
    summary({ id: 'a', model: 'qwen', label: 'Qwen Q4', benchmarkId: 'ifeval', status: 'done', createdAt: new Date(2026, 10, 1, 12).toISOString() }),
    summary({ id: 'b', model: 'qwen', benchmarkId: 'humaneval', status: 'failed', createdAt: new Date(2026, 10, 10, 9).toISOString() }),
    summary({ id: 'c', model: 'llama', benchmarkId: 'ifeval', status: 'done', createdAt: new Date(2026, 10, 20, 23, 30).toISOString() }),
  ];
  const ids = (filter: Parameters<typeof applyFilter>[1]) => applyFilter(runs, filter).map((s) => s.id);

  it('matches model (label or id), benchmark, status, and combines them', () => {
    assert.deepEqual(ids({ model: 'Qwen Q4' }), ['a']);
    assert.deepEqual(ids({ model: 'qwen' }), ['a', 'b']);
    assert.deepEqual(ids({ benchmark: 'ifeval', status: 'done' }), ['a', 'c']);
    assert.deepEqual(ids({ model: 'qwen', status: 'failed' }), ['b']);
    assert.deepEqual(ids(undefined), ['a', 'b', 'c']);
  });

  it('parses date ranges with both days included', () => {
    const range = parseDateRange('2026-11-01..2026-11-10');
    assert.ok(!('error' in range));
    assert.deepEqual(ids(range), ['a', 'b']);
    assert.deepEqual(ids(parseDateRange('2026-11-20') as object), ['c'], 'one day runs to its last millisecond');
    assert.deepEqual(ids(parseDateRange('2026-11-05..') as object), ['b', 'c']);
    assert.deepEqual(ids(parseDateRange('..2026-11-05') as object), ['a']);
  });

  it('explains what is wrong with a bad range', () => {
    assert.match((parseDateRange('last week') as { error: string }).error, /YYYY-MM-DD/);
    assert.match((parseDateRange('2026-02-30') as { error: string }).error, /not a real date/);
    assert.match((parseDateRange('2026-11-10..2026-11-01') as { error: string }).error, /starts after it ends/);
  });

  it('describes the active filter for the view, and nothing when empty', () => {
    assert.equal(describeFilter({}), undefined);
    assert.ok(isEmptyFilter({}));
    assert.equal(describeFilter({ model: 'qwen', status: 'done', ...lastDays(7, new Date(2026, 10, 23)) }), 'Filtered: model qwen · status done · last 7 days');
    assert.equal(lastDays(7, new Date(2026, 10, 23, 15)).since, new Date(2026, 10, 17).toISOString());
    assert.equal(describeFilter(parseDateRange('2026-11-01..2026-11-10') as object), 'Filtered: 2026-11-01..2026-11-10');
  });
});
