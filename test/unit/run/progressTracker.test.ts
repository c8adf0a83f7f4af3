import * as assert from 'node:assert/strict';
import { emptyOutcomeCounts } from '../../../src/core/outcome';
import { ProgressTracker } from '../../../src/core/run/progressTracker';

describe('ProgressTracker', () => {
  it('counts outcomes and in-flight samples and computes rate and ETA from a window of finishes', () => {
    let now = 1_000_000;
    const already = { ...emptyOutcomeCounts(100), passed: 10, pending: 90 };
    const tracker = new ProgressTracker('r', already, 'start', () => now);
    for (let i = 0; i < 20; i++) {
      tracker.started();
      now += 500; // one finish every half second → 2 per second
      tracker.finished(i % 10 !== 0 ? 'passed' : 'request_failed');
    }
    const p = tracker.snapshot();
    assert.deepEqual(p.counts, { total: 100, passed: 28, wrong: 0, request_failed: 2, scoring_error: 0, pending: 70 });
    assert.equal(p.inFlight, 0);
    assert.ok(Math.abs(p.itemsPerSecond - 2) < 0.2, `rate ${p.itemsPerSecond}`);
    assert.ok(p.etaSeconds !== undefined && Math.abs(p.etaSeconds - 35) < 4, `eta ${p.etaSeconds}`);
  });

  it('has no ETA before anything finished and 0 when all is done', () => {
    const tracker = new ProgressTracker('r', emptyOutcomeCounts(1), 'start', () => 5);
    assert.equal(tracker.snapshot().etaSeconds, undefined);
    tracker.started();
    tracker.finished('wrong');
    assert.equal(tracker.snapshot().etaSeconds, 0);
  });
});
