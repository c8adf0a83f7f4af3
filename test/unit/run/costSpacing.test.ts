import * as assert from 'node:assert/strict';
import { CostSpacing } from '../../../src/core/run/costSpacing';

describe('CostSpacing', () => {
  it('is due at once, then only after factor × the last cost has passed since the work ended', () => {
    let now = 1000;
    const spacing = new CostSpacing(20, () => now);
    assert.equal(spacing.due(), true);
    // The work takes 10 ms of the (hand-driven) clock.
    const result = spacing.run(() => {
      now += 10;
      return 'metrics';
    });
    assert.equal(result, 'metrics');
    now += 199;
    assert.equal(spacing.due(), false, '199 ms after a 10 ms run: not yet');
    now += 1;
    assert.equal(spacing.due(), true, '200 ms after a 10 ms run: due');
  });

  it('remembers the cost of work that threw', () => {
    let now = 0;
    const spacing = new CostSpacing(10, () => now);
    assert.throws(() =>
      spacing.run(() => {
        now += 5;
        throw new Error('boom');
      }),
    );
    now += 49;
    assert.equal(spacing.due(), false);
    now += 1;
    assert.equal(spacing.due(), true);
  });

  it('a cheap piece of work is due again on the next tick', () => {
    let now = 0;
    const spacing = new CostSpacing(20, () => now);
    spacing.run(() => undefined);
    assert.equal(spacing.due(), true);
  });
});
