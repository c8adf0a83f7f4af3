import * as assert from 'node:assert/strict';
import { filterOptions, visibleRows } from '../../../webview-ui/src/rowFilter';
import type { ItemRow } from '../../../src/shared/webviewProtocol';

function row(key: string, index: number, extra: Partial<ItemRow> = {}): ItemRow {
  return { key, itemId: key, sampleIndex: 0, index, outcome: 'passed', failedChecks: [], checks: [], promptPreview: `prompt ${key}`, ...extra };
}

const rows = [
  row('a', 0),
  row('b', 1, { outcome: 'wrong', failedChecks: ['punctuation:no_comma'], failureCause: 'instruction', latencyMs: 50 }),
  row('c', 2, { outcome: 'request_failed', failureCause: 'timeout', latencyMs: 10 }),
  row('d', 3, { outcome: 'pending', promptPreview: 'Write a haiku' }),
  row('e', 4, { outcome: 'scoring_error', failureCause: 'scorer_data_unavailable' }),
];

describe('items table filter and sort', () => {
  it('filters by outcome, by failed check and by cause', () => {
    assert.deepEqual(visibleRows(rows, 'not_passed', '', 'index').map((r) => r.key), ['b', 'c', 'e']);
    assert.deepEqual(visibleRows(rows, 'wrong', '', 'index').map((r) => r.key), ['b']);
    assert.deepEqual(visibleRows(rows, 'request_failed', '', 'index').map((r) => r.key), ['c']);
    assert.deepEqual(visibleRows(rows, 'check:punctuation:no_comma', '', 'index').map((r) => r.key), ['b']);
    assert.deepEqual(visibleRows(rows, 'cause:timeout', '', 'index').map((r) => r.key), ['c']);
    assert.deepEqual(visibleRows(rows, 'pending', '', 'index').map((r) => r.key), ['d']);
  });

  it('searches ids and prompts, case-insensitively', () => {
    assert.deepEqual(visibleRows(rows, 'all', 'HAIKU', 'index').map((r) => r.key), ['d']);
  });

  it('sorts by outcome (request failures, scoring errors, wrong answers first) and by latency', () => {
    assert.deepEqual(visibleRows(rows, 'all', '', 'status').map((r) => r.key), ['c', 'e', 'b', 'a', 'd']);
    assert.deepEqual(visibleRows(rows, 'all', '', 'latency').map((r) => r.key), ['c', 'b', 'a', 'd', 'e']);
    assert.deepEqual(visibleRows(rows, 'all', '', 'index', true).map((r) => r.key), ['e', 'd', 'c', 'b', 'a']);
  });

  it('offers filters with counts in the outcome order, then causes and checks', () => {
    const labels = filterOptions(rows).map((o) => o.label);
    assert.deepEqual(labels, [
      'All (5)',
      'Not passed (3)',
      'Passed (1)',
      'Wrong (1)',
      'Request failed (1)',
      'Scoring error (1)',
      'Pending (1)',
      'Cause: instruction (1)',
      'Cause: scorer data unavailable (1)',
      'Cause: timed out (1)',
      'Failed check: punctuation:no_comma (1)',
    ]);
  });
});
