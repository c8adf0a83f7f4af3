/** Which run is A in a comparison, and how the "Compare with…" picker marks the baseline. */
import { strict as assert } from 'node:assert';
import { baselineFirst, runPickItems } from '../../../src/extension/panels/compareOrder';
import type { RunSummary } from '../../../src/core/storage/types';

const summary = (id: string, model: string): RunSummary => ({ id, model, benchmarkId: 'ifeval' }) as RunSummary;

describe('comparison order', () => {
  const baseline = (id: string) => id === 'base';

  it('makes the baseline A whichever side it was picked on, and keeps the order otherwise', () => {
    assert.deepEqual(baselineFirst('new', 'base', baseline), ['base', 'new']);
    assert.deepEqual(baselineFirst('base', 'new', baseline), ['base', 'new']);
    assert.deepEqual(baselineFirst('x', 'y', baseline), ['x', 'y']);
  });

  it('lists the baseline first in the picker, pinned and saying it will be A, without the run compared from', () => {
    const items = runPickItems([summary('new', 'q4'), summary('other', 'q8'), summary('base', 'f16')], baseline, () => '70.0% · done', 'new');
    assert.deepEqual(items.map((i) => i.id), ['base', 'other']);
    assert.equal(items[0].label, '$(pinned) f16 · ifeval');
    assert.equal(items[0].description, 'baseline · will be A · 70.0% · done');
    assert.equal(items[1].label, 'q8 · ifeval');
    assert.equal(items[1].description, '70.0% · done');
  });
});
