import * as assert from 'node:assert/strict';
import { compareContents } from '../../../src/extension/panels/compareViewModel';
import { parseRunItemUri, runItemUriParts } from '../../../src/extension/diff/runUri';
import { checkedScore, item, runRecord, sample } from '../../support/runFixtures';

describe('run item URIs', () => {
  it('round-trip run id, item id (with slashes), sample and part', () => {
    const { path, query } = runItemUriParts({ runId: 'r1', itemId: 'HumanEval/12', sampleIndex: 2, part: 'prompt' });
    assert.equal(path, '/r1/HumanEval_12.prompt.txt');
    assert.deepEqual(parseRunItemUri(path, query), { runId: 'r1', itemId: 'HumanEval/12', sampleIndex: 2, part: 'prompt' });
  });

  it('refuse a URI without an item', () => {
    assert.throws(() => parseRunItemUri('/r1/x.txt', ''), /not an EvalBench run URI/);
  });
});

describe('comparison view model', () => {
  it('puts flipped items first and reports deltas with significance in words', () => {
    const items = [item('q1', 0), item('q2', 1), item('q3', 2), item('q4', 3), item('q5', 4)];
    const outcomes = (passed: boolean[]) => passed.map((p, i) => sample(`q${i + 1}`, checkedScore(p)));
    const a = { run: runRecord('A'), items, samples: outcomes([true, false, true, false, false]) };
    const b = { run: runRecord('B'), items, samples: outcomes([true, true, false, true, false]) };
    const view = compareContents(a, b);
    assert.deepEqual(view.items.map((i) => [i.itemId, i.change]), [
      ['q3', 'broken'],
      ['q2', 'fixed'],
      ['q4', 'fixed'],
      ['q5', 'same-wrong'],
      ['q1', 'same-pass'],
    ]);
    assert.deepEqual([view.metrics[0].a, view.metrics[0].b, view.metrics[0].delta?.toFixed(2)], [0.4, 0.6, '0.20']);
    assert.match(view.metrics[0].significance ?? '', /not significant/);
    assert.match(view.summary[0], /5 items judged in both runs: 2 fixed in B, 1 broken in B, 2 unchanged/);
  });
});
