import * as assert from 'node:assert/strict';
import { emptyOutcomeCounts } from '../../../src/core/outcome';
import type { RunProgress } from '../../../src/core/run/types';
import { formatDuration, progressMessage } from '../../../src/extension/runEval/progressText';

const progress = (overrides: Partial<RunProgress>): RunProgress => ({
  runId: 'r',
  status: 'running',
  total: 541,
  counts: emptyOutcomeCounts(541),
  inFlight: 4,
  itemsPerSecond: 0,
  metrics: [],
  startedAt: '2026-11-23T10:00:00Z',
  ...overrides,
});

describe('progress text', () => {
  it('says how far a run is, what failed, the running score and the time left', () => {
    const counts = { total: 541, passed: 85, wrong: 33, request_failed: 2, scoring_error: 0, pending: 421 };
    const text = progressMessage(progress({ counts, etaSeconds: 190.4, metrics: [{ name: 'prompt_strict', label: 'Prompt strict', value: 0.724, n: 118 }] }));
    assert.equal(text, '120/541 · 2 request failures · prompt_strict 72.4% of 118 judged · ETA 3m 10s');
  });

  it('leaves out a metric over nothing scored yet, and an unknown ETA', () => {
    assert.equal(progressMessage(progress({ metrics: [{ name: 'accuracy', label: 'Accuracy', value: 0, n: 0 }] })), '0/541');
  });

  it('formats durations in s, m s, h m', () => {
    assert.deepEqual([formatDuration(4.6), formatDuration(75), formatDuration(7260), formatDuration(-3)], ['5s', '1m 15s', '2h 1m', '0s']);
  });
});
