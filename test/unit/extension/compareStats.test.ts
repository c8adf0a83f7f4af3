import * as assert from 'node:assert/strict';
import { compareContents } from '../../../src/extension/panels/compareViewModel';
import { checkedScore, item, runRecord, sample } from '../../support/runFixtures';

/** 20 items: A passes all; B is wrong on the first 8 (3 cut short, 5 plainly wrong) with max_tokens lowered. */
function pair() {
  const items = Array.from({ length: 20 }, (_, i) => item(`q${i + 1}`, i));
  const a = {
    run: runRecord('A'),
    items,
    samples: items.map((it) => sample(it.id, checkedScore(true), { latencyMs: 1000, completionTokens: 50 })),
  };
  const b = {
    run: runRecord('B', { sampling: { temperature: 0, max_tokens: 128 } }),
    items,
    samples: items.map((it, i) =>
      sample(it.id, i < 8 ? checkedScore(false, [], i < 3 ? 'truncated' : undefined) : checkedScore(true), { latencyMs: 2000, completionTokens: 50 }),
    ),
  };
  return { a, b };
}

describe('comparison panel statistics', () => {
  it('gives every metric with delta, interval, exact McNemar p-value and a sentence', () => {
    const { a, b } = pair();
    const stats = compareContents(a, b).stats!;
    assert.ok(stats, 'statistics are present');
    const m = stats.metrics[0];
    assert.equal(m.a, 1);
    assert.equal(m.b, 0.6);
    assert.ok(Math.abs(m.delta + 0.4) < 1e-12);
    // 8 discordant pairs all one way: exact two-sided binomial p = 2 · (1/2)^8.
    assert.ok(Math.abs(m.pValue - 2 * 0.5 ** 8) < 1e-12);
    assert.equal(m.significant, true);
    assert.ok(m.ciLo <= m.delta && m.delta <= m.ciHi, 'the interval holds the estimate');
    assert.ok(m.ciHi < 0, 'the whole interval is below zero');
    assert.match(m.sentence, /^B is 40\.0 points worse than A/);
    assert.equal(stats.itemsLine, '20 items judged in both runs');
    assert.equal(stats.confidence, 0.95);
  });

  it('lists comparability warnings, failure causes and speed of both runs', () => {
    const { a, b } = pair();
    const stats = compareContents(a, b).stats!;
    assert.ok(stats.warnings.some((w) => /max_tokens differs \(A: 512, B: 128\)/.test(w)), stats.warnings.join('\n'));
    assert.deepEqual(
      stats.failureCauses.map((r) => [r.cause, r.a, r.b, r.delta]),
      [['wrong', 0, 5, 5], ['truncated', 0, 3, 3]],
    );
    assert.equal(stats.speed.a.latencyP50, 1000);
    assert.equal(stats.speed.b.latencyP99, 2000);
    assert.equal(stats.speed.a.tokensPerSecond, 50);
    assert.equal(stats.speed.b.tokensPerSecond, 25);
    assert.equal(stats.speed.a.samples, 20);
    assert.equal(stats.instructions, undefined, 'no instruction breakdown outside IFEval');
  });

  it('says so when only some items are shared', () => {
    const { a, b } = pair();
    const stats = compareContents(a, { ...b, samples: b.samples.slice(0, 15) }).stats!;
    assert.equal(stats.itemsLine, '15 items judged in both runs (left out: 5 pending in B)');
    assert.ok(stats.warnings.some((w) => /item/.test(w)));
  });

  it('breaks IFEval results down per instruction type (strict followed share)', () => {
    const items = Array.from({ length: 4 }, (_, i) => item(`p${i}`, i));
    const ifeval = (strict: boolean[]) => ({
      ...checkedScore(strict.every(Boolean)),
      values: {
        prompt_strict: Number(strict.every(Boolean)), prompt_loose: Number(strict.every(Boolean)),
        inst_total: strict.length, inst_strict_passed: strict.filter(Boolean).length, inst_loose_passed: strict.filter(Boolean).length,
      },
      details: { instruction_id_list: ['punctuation:no_comma', 'length:max_words'], strict, loose: strict },
    });
    const base = runRecord();
    const config = { ...base.config, benchmarkId: 'ifeval' };
    const a = { run: runRecord('A', config), items, samples: items.map((it) => sample(it.id, ifeval([true, true]))) };
    // B drops the comma rule on 3 of 4 prompts, keeps the length rule everywhere.
    const b = { run: runRecord('B', config), items, samples: items.map((it, i) => sample(it.id, ifeval([i === 3, true]))) };
    const stats = compareContents(a, b).stats!;
    assert.deepEqual(stats.metrics.map((m) => m.label), ['Prompt-level strict accuracy', 'Instruction-level strict accuracy', 'Prompt-level loose accuracy', 'Instruction-level loose accuracy']);
    const rows = stats.instructions!;
    assert.deepEqual(
      rows.map((r) => [r.instruction, r.total, r.a, r.b, r.delta]),
      [['punctuation:no_comma', 4, 1, 0.25, -0.75], ['length:max_words', 4, 1, 1, 0]],
    );
    // 3 discordant instances all one way: exact p = 2 · (1/2)^3 = 0.25.
    assert.ok(Math.abs(rows[0].pValue - 0.25) < 1e-12);
  });
});
