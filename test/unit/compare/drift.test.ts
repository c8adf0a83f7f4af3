import * as assert from 'node:assert/strict';
import { computeDrift, itemDrift } from '../../../src/core/compare/drift';
import type { RunData } from '../../../src/core/compare/runData';
import type { SampleRecord } from '../../../src/core/storage/types';
import { binaryScore, runRecord, sample } from '../../support/runFixtures';

/** A run whose item q<i> replied replies[i] (null: the request failed), optionally with tokens and logprobs. */
function run(id: string, replies: (string | null)[], logprobs?: ([string[], number[]] | undefined)[], temperature = 0): RunData {
  return {
    run: runRecord(id, { sampling: { temperature, max_tokens: 64 } }),
    items: replies.map((_, i) => ({ id: `q${i}`, index: i, prompt: { prompt: `p${i}` }, data: {} })),
    samples: replies.map((text, i): SampleRecord => {
      if (text === null) return sample(`q${i}`, binaryScore(false, 'request_failed'), { status: 'failed', response: undefined, error: 'connection refused' });
      const lp = logprobs?.[i];
      return sample(`q${i}`, binaryScore(true), { response: text, ...(lp ? { logprobs: { tokens: lp[0], logprobs: lp[1] } } : {}) });
    }),
  };
}

describe('drift between two runs', () => {
  it('counts identical replies and computes normalised edit distances with their median', () => {
    const a = run('a', ['same', 'abcd', 'hello world', 'xyz']);
    const b = run('b', ['same', 'abXd', 'hello there', 'xyz']);
    const drift = computeDrift(a, b);
    assert.equal(drift.compared, 4);
    assert.equal(drift.identical, 2);
    assert.equal(drift.identicalShare, 0.5);
    // per item: 0, 1/4 (one substitution), 5/11 ("world" → "there": no shared letter lines up, 5 edits), 0
    const byId = new Map(drift.items.map((d) => [d.itemId, d]));
    assert.equal(byId.get('q1')!.editDistance, 1 / 4);
    assert.equal(byId.get('q2')!.editDistance, 5 / 11);
    assert.equal(drift.medianEditDistance, (0 + 1 / 4) / 2);
    assert.equal(drift.greedy, true);
    assert.equal(drift.logprobs, undefined, 'no logprobs stored: no logprob figure, not a zero');
  });

  it('finds the first differing character and lists the items that diverge earliest, with excerpts', () => {
    const a = run('a', ['The answer is 42.', 'Sure! Here it is', 'abc', 'identical']);
    const b = run('b', ['The answer is 41.', 'Sure, here it is', 'xbc', 'identical']);
    const drift = computeDrift(a, b, { earliestCount: 2, excerptChars: 3 });
    assert.deepEqual(drift.earliest.map((d) => [d.itemId, d.firstDifferentChar]), [['q2', 0], ['q1', 4]]);
    assert.equal(drift.earliest[1].aExcerpt, '…ure! H…');
    assert.equal(drift.earliest[1].bExcerpt, '…ure, h…');
    assert.equal(drift.medianFirstDifferentChar, 4);
    assert.equal(drift.items.find((d) => d.itemId === 'q3')!.firstDifferentChar, undefined);
    // A reply that is a prefix of the other differs where the shorter one ends.
    assert.equal(itemDrift('x', sample('x', undefined, { response: 'abc' }), sample('x', undefined, { response: 'abcdef' })).firstDifferentChar, 3);
  });

  it('leaves out items without a reply on either side and says how many, so a failure never counts as drift', () => {
    const a = run('a', ['one', null, 'three']);
    const b = run('b', ['one', 'two', null]);
    const drift = computeDrift(a, b);
    assert.equal(drift.compared, 1);
    assert.deepEqual(drift.missing, { a: 1, b: 1 });
    assert.equal(drift.identicalShare, 1);
  });

  it('averages |Δ logprob| over the common token prefix only, token-weighted, and finds the first differing token', () => {
    const a = run('a', ['Hello world', 'Yes', 'Same'], [
      [['Hello', ' world'], [-0.5, -1.0]],
      [['Yes'], [-0.25]],
      [['Same'], [-0.1]],
    ]);
    const b = run('b', ['Hello there', 'Yes', 'Same'], [
      [['Hello', ' there'], [-0.75, -3.0]],
      [['Yes'], [-0.5]],
      undefined,
    ]);
    const drift = computeDrift(a, b);
    const q0 = drift.items.find((d) => d.itemId === 'q0')!;
    assert.equal(q0.firstDifferentToken, 1);
    assert.equal(q0.commonPrefixTokens, 1);
    assert.equal(q0.meanAbsLogprobDiff, 0.25);
    assert.equal(drift.items.find((d) => d.itemId === 'q1')!.firstDifferentToken, undefined);
    // q0: |−0.5 − −0.75| over 1 token; q1: 0.25 over 1 token; q2 has logprobs on one side only.
    assert.deepEqual(drift.logprobs, { items: 2, tokens: 2, meanAbsDiff: 0.25 });
  });

  it('says when a run was not greedy (differences then include sampling noise)', () => {
    assert.equal(computeDrift(run('a', ['x']), run('b', ['x'], undefined, 0.7)).greedy, false);
  });

  it('reports NaN, not zero, when no item can be compared', () => {
    const drift = computeDrift(run('a', [null]), run('b', ['x']));
    assert.equal(drift.compared, 0);
    assert.ok(Number.isNaN(drift.identicalShare));
    assert.ok(Number.isNaN(drift.medianEditDistance));
  });
});
