import * as assert from 'node:assert/strict';
import type { ItemScore } from '../../../src/core/benchmarks/types';
import { compareRuns } from '../../../src/core/compare/compareRuns';
import { exactMcNemar } from '../../../src/core/stats/mcnemar';
import { binaryRun, binaryScore, ifevalScore, runWith } from '../../support/runFixtures';

/** A: the first `aPass` items pass. B: like A, but `broken` of A's passes fail and `fixed` of A's failures pass. */
function pairedOutcomes(n: number, aPass: number, broken: number, fixed: number): { a: boolean[]; b: boolean[] } {
  const a = Array.from({ length: n }, (_, i) => i < aPass);
  const b = a.map((p, i) => (p ? i >= broken : i < aPass + fixed));
  return { a, b };
}

describe('compareRuns', () => {
  it('paired 0/1 outcomes: exact McNemar on the discordant pairs, and a plain sentence', () => {
    const { a, b } = pairedOutcomes(541, 400, 30, 13);
    const result = compareRuns(binaryRun('A', a), binaryRun('B', b), { seed: 1, resamples: 2000 });
    const m = result.headline!;
    assert.equal(m.name, 'accuracy');
    assert.equal(m.n, 541);
    assert.equal(m.test, 'exact McNemar');
    assert.deepEqual(m.discordant, { onlyA: 30, onlyB: 13 });
    assert.equal(m.pValue, exactMcNemar(30, 13).pValue);
    assert.ok(Math.abs(m.delta - (13 - 30) / 541) < 1e-12);
    assert.ok(m.ci.lo < m.delta && m.delta < m.ci.hi && m.ci.hi < 0, JSON.stringify(m.ci));
    assert.equal(m.significant, m.pValue < 0.05);
    assert.match(m.sentence, /^B is 3\.1 points worse than A on accuracy \(73\.9% → 70\.8%\), 95% CI of B − A −[\d.]+ to −[\d.]+ points, p = 0\.0\d+ \(exact McNemar, 541 paired items\)/);
    const [lo, hi] = m.sentence.match(/CI of B − A (\S+) to (\S+) points/)!.slice(1).map((t) => Number(t.replace('−', '-')) / 100);
    assert.ok(Math.abs(lo - m.ci.lo) < 0.0005 && Math.abs(hi - m.ci.hi) < 0.0005, 'the sentence gives the same signed interval as the table');
    assert.equal(result.flips.passToFail.length, 30);
    assert.equal(result.flips.failToPass.length, 13);
    assert.equal(result.flips.passToFail[0].itemId, 'q0');
    assert.equal(result.flips.passToFail[0].cause, 'wrong');
    assert.match(result.flips.passToFail[0].why ?? '', /expected "4"/);
    assert.deepEqual(result.warnings, []);
  });

  it('identical runs: no change, p = 1, not significant', () => {
    const outcomes = Array.from({ length: 100 }, (_, i) => i % 3 === 0);
    const m = compareRuns(binaryRun('A', outcomes), binaryRun('B', outcomes)).headline!;
    assert.equal(m.delta, 0);
    assert.equal(m.pValue, 1);
    assert.equal(m.significant, false);
    assert.match(m.sentence, /^A and B are level on accuracy/);
  });

  it('mid-p on request', () => {
    const { a, b } = pairedOutcomes(100, 50, 6, 1);
    const m = compareRuns(binaryRun('A', a), binaryRun('B', b), { midP: true, resamples: 500 }).headline!;
    assert.equal(m.test, 'exact McNemar, mid-p');
    assert.equal(m.pValue, exactMcNemar(6, 1).midPValue);
  });

  it('compares the intersection of judged items and says what was left out and why', () => {
    const a = binaryRun('A', Array.from({ length: 20 }, () => true));
    const b = binaryRun('B', Array.from({ length: 20 }, () => true));
    b.samples = b.samples.filter((s) => s.itemId !== 'q3' && s.itemId !== 'q7');
    b.samples.push({ ...b.samples[0], itemId: 'extra' });
    const result = compareRuns(a, b, { resamples: 500 });
    assert.deepEqual(result.items, {
      compared: 18, onlyA: 2, onlyB: 1, unit: 'items',
      excluded: [{ side: 'A', reason: 'missing', items: 1 }, { side: 'B', reason: 'pending', items: 2 }],
    });
    assert.equal(result.headline!.n, 18);
    const warning = result.warnings.find((w) => w.code === 'items');
    assert.match(warning!.message, /compared on the 18 items judged in both runs; left out: 1 not in run A, 2 pending in B/);
    assert.equal(result.significanceWithheld, undefined, 'no failures on either side: significance can be claimed');
  });

  it('counts the items judged in neither run among those left out', () => {
    const failed = (run: ReturnType<typeof binaryRun>, ids: string[]) => {
      run.samples = run.samples.map((s) => (ids.includes(s.itemId) ? { ...s, status: 'failed' as const, error: 'server answered 500', response: undefined, score: { ...binaryScore(false, 'http_error') } } : s));
    };
    const a = binaryRun('A', Array.from({ length: 10 }, () => true));
    const b = binaryRun('B', Array.from({ length: 10 }, () => true));
    failed(a, ['q0', 'q1', 'q2']);
    failed(b, ['q1', 'q2', 'q3', 'q4']);
    const result = compareRuns(a, b, { resamples: 200 });
    assert.deepEqual(result.items.excluded, [
      { side: 'A', reason: 'request_failed', items: 1 },
      { side: 'B', reason: 'request_failed', items: 2 },
      { side: 'both', reason: 'request_failed', items: 2 },
    ]);
    assert.equal(result.items.compared + 1 + 2 + 2, 10, 'every item is either compared or left out, once');
    assert.match(result.warnings.find((w) => w.code === 'items')!.message, /left out: 1 with a request failure in A, 2 with a request failure in B, 2 with a request failure in both runs/);
  });

  it('never calls a difference driven by request failures significant', () => {
    // A: 30 of 30 right. B: the same answers, but the server failed 14 requests. Counted as wrong answers
    // those would be 14 discordant pairs (p < 0.001); they are left out, and significance is withheld.
    const a = binaryRun('A', Array.from({ length: 30 }, () => true));
    const b = binaryRun('B', Array.from({ length: 30 }, () => true));
    for (let i = 0; i < 14; i++) {
      b.samples[i] = { ...b.samples[i], status: 'failed', error: 'server answered 500', response: undefined, score: binaryScore(false, 'http_error') };
    }
    const result = compareRuns(a, b, { resamples: 500 });
    assert.equal(result.headline!.n, 16);
    assert.equal(result.headline!.delta, 0);
    assert.ok(result.metrics.every((m) => !m.significant));
    assert.deepEqual(result.items.excluded, [{ side: 'B', reason: 'request_failed', items: 14 }]);
    assert.deepEqual([result.outcomes.a.request_failed, result.outcomes.b.request_failed], [0, 14]);
    assert.match(result.significanceWithheld!, /failures differ \(A: none; B: 14 request failures\)/);
    assert.ok(result.warnings.some((w) => w.code === 'failures' && w.message === 'B: 14 of 30 requests failed'));

    // Even a real difference on the shared items is not called significant while the failures differ.
    for (let i = 14; i < 30; i++) b.samples[i] = { ...b.samples[i], score: binaryScore(false) };
    const worse = compareRuns(a, b, { resamples: 500 });
    assert.ok(worse.headline!.pValue < 0.001);
    assert.equal(worse.headline!.significant, false);
    assert.match(worse.headline!.sentence, /not called significant: the runs' failures differ/);
  });

  it('warns about settings that make the numbers hard to compare', () => {
    const a = binaryRun('A', [true, false]);
    const b = binaryRun('B', [true, false], {
      benchmarkVersion: '2',
      datasetSha256: 'def',
      endpoint: { baseUrl: 'http://127.0.0.1:8080/v1', model: 'm', mode: 'completions' },
      sampling: { temperature: 0.7, max_tokens: 256, seed: 3 },
      samplesPerItem: 2,
      benchmarkOptions: { stripReasoning: true },
    });
    b.run.status = 'interrupted';
    const codes = compareRuns(a, b, { resamples: 500 }).warnings.map((w) => w.code);
    assert.deepEqual(codes, ['benchmark-version', 'dataset', 'prompt-mode', 'sampling', 'max-tokens', 'samples', 'options', 'status']);
    const sampling = compareRuns(a, b, { resamples: 500 }).warnings.find((w) => w.code === 'sampling')!;
    assert.match(sampling.message, /temperature 0 vs 0\.7, seed unset vs 3/);
  });

  it('IFEval: prompt- and instruction-level metrics, instruction-level as Σ followed / Σ instructions', () => {
    const scoresA = new Map<string, ItemScore[]>();
    const scoresB = new Map<string, ItemScore[]>();
    for (let i = 0; i < 60; i++) {
      const both = i % 2 === 0;
      scoresA.set(`p${i}`, [ifevalScore([{ id: 'length:number_words', strict: true, loose: true }, ...(both ? [{ id: 'punctuation:no_comma', strict: i % 4 === 0, loose: true }] : [])])]);
      scoresB.set(`p${i}`, [ifevalScore([{ id: 'length:number_words', strict: i % 3 !== 0, loose: true }, ...(both ? [{ id: 'punctuation:no_comma', strict: i % 4 === 0, loose: i % 8 !== 0 }] : [])])]);
    }
    const result = compareRuns(runWith('A', { benchmarkId: 'ifeval' }, scoresA), runWith('B', { benchmarkId: 'ifeval' }, scoresB), { resamples: 1000 });
    assert.deepEqual(result.metrics.map((m) => m.name), ['prompt_strict', 'inst_strict', 'prompt_loose', 'inst_loose']);
    const count = (scores: Map<string, ItemScore[]>, key: string) => [...scores.values()].reduce((s, [x]) => s + x.values[key], 0);
    const instStrict = result.metrics[1];
    assert.equal(instStrict.a, count(scoresA, 'inst_strict_passed') / count(scoresA, 'inst_total'));
    assert.equal(instStrict.b, count(scoresB, 'inst_strict_passed') / count(scoresB, 'inst_total'));
    assert.equal(instStrict.test, 'paired bootstrap');
    assert.ok(instStrict.aInterval.lo <= instStrict.a && instStrict.a <= instStrict.aInterval.hi);
    assert.equal(result.metrics[0].test, 'exact McNemar');
    assert.equal(result.items.unit, 'prompts');

    const words = result.instructions!.find((r) => r.instruction === 'length:number_words')!;
    assert.equal(words.total, 60);
    assert.deepEqual(words.a, { strict: 60, loose: 60 });
    assert.deepEqual(words.b, { strict: 40, loose: 60 });
    assert.equal(words.pValue, exactMcNemar(20, 0).pValue);
    const comma = result.instructions!.find((r) => r.instruction === 'punctuation:no_comma')!;
    assert.equal(comma.total, 30);
    assert.deepEqual(comma.b, { strict: 15, loose: 22 });
    assert.equal(result.instructions![0].instruction, 'length:number_words'); // most worsened first
  });

  it('several samples per item: pass@1 and pass@10 per problem, paired bootstrap', () => {
    const scoresA = new Map<string, ItemScore[]>();
    const scoresB = new Map<string, ItemScore[]>();
    for (let p = 0; p < 40; p++) {
      scoresA.set(`HumanEval/${p}`, Array.from({ length: 10 }, (_, s) => binaryScore(s < p % 7)));
      scoresB.set(`HumanEval/${p}`, Array.from({ length: 10 }, (_, s) => binaryScore(s < (p % 7) + 2)));
    }
    const result = compareRuns(runWith('A', { benchmarkId: 'humaneval', samplesPerItem: 10 }, scoresA), runWith('B', { benchmarkId: 'humaneval', samplesPerItem: 10 }, scoresB), { resamples: 1000 });
    assert.deepEqual(result.metrics.map((m) => m.name), ['pass@1', 'pass@10']);
    const pass1 = result.metrics[0];
    const expectedA = Array.from({ length: 40 }, (_, p) => (p % 7) / 10).reduce((s, v) => s + v, 0) / 40;
    assert.ok(Math.abs(pass1.a - expectedA) < 1e-12);
    assert.ok(Math.abs(pass1.delta - 0.2) < 1e-12);
    assert.equal(pass1.test, 'paired bootstrap');
    assert.equal(pass1.significant, true);
    assert.match(pass1.sentence, /^B is 20\.0 points better than A on pass@1 .*paired bootstrap, 40 paired problems\): unlikely to be chance\.$/);
  });

  it('counts failure causes of every sample that did not pass, under their outcome', () => {
    const a = binaryRun('A', [true, false, false, true]);
    const b = binaryRun('B', [false, false, false, true]);
    b.samples[0].score = binaryScore(false, 'truncated');
    b.samples[1].score = binaryScore(false, 'truncated');
    const rows = compareRuns(a, b, { resamples: 500 }).failureCauses;
    assert.deepEqual(rows, [
      { outcome: 'wrong', cause: 'truncated', a: 0, b: 2, delta: 2 },
      { outcome: 'wrong', cause: 'wrong', a: 2, b: 1, delta: -1 },
    ]);
  });

  it('speed: latency percentiles, tokens per second, wall time', () => {
    const a = binaryRun('A', Array.from({ length: 100 }, () => true));
    a.samples.forEach((s, i) => {
      s.latencyMs = i + 1;
      s.completionTokens = 10;
      s.startedAt = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + i * 100).toISOString();
      s.finishedAt = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + i * 100 + 50).toISOString();
    });
    const speed = compareRuns(a, a, { resamples: 500 }).speed.a;
    // Type-7 quantiles of 1..100: 1 + 99p.
    for (const [got, want] of [[speed.latencyMs!.p50, 50.5], [speed.latencyMs!.p90, 90.1], [speed.latencyMs!.p99, 99.01]]) assert.ok(Math.abs(got - want) < 1e-9, `${got} vs ${want}`);
    assert.equal(speed.tokensPerSecond, 1000 / (5050 / 1000));
    // One request at a time, 50 ms each: 100 × 50 ms in flight.
    assert.equal(speed.wallTimeMs, 100 * 50);
    assert.equal(speed.ttftMs, null);
  });

  it('wall time counts the time requests were in flight: overlaps once, a pause between sessions not at all', () => {
    const run = binaryRun('A', [true, true, true, true]);
    const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
    const hour = 3600_000;
    // Session 1: two overlapping requests, 0–300 and 100–500 ms. Resumed an hour later: 0–200 and 150–250 ms.
    const spans = [[0, 300], [100, 500], [hour, hour + 200], [hour + 150, hour + 250]];
    run.samples.forEach((s, i) => {
      s.latencyMs = spans[i][1] - spans[i][0];
      s.completionTokens = 100;
      s.startedAt = new Date(t0 + spans[i][0]).toISOString();
      s.finishedAt = new Date(t0 + spans[i][1]).toISOString();
    });
    const speed = compareRuns(run, run, { resamples: 200 }).speed.a;
    assert.equal(speed.wallTimeMs, 500 + 250);
    assert.equal(speed.throughputTokensPerSecond, 400 / 0.75);
  });

  it('is deterministic for a seed', () => {
    const { a, b } = pairedOutcomes(300, 150, 20, 10);
    const x = compareRuns(binaryRun('A', a), binaryRun('B', b), { seed: 7, resamples: 1000 });
    const y = compareRuns(binaryRun('A', a), binaryRun('B', b), { seed: 7, resamples: 1000 });
    assert.deepEqual(x, y);
  });
});

describe('compareRuns without the bootstrap (preview)', () => {
  it('keeps McNemar and says plainly that bootstrap metrics were not tested', () => {
    const a = Array.from({ length: 200 }, (_, i) => i < 120);
    const b = a.map((p, i) => (p ? i >= 20 : i < 125));
    const binary = compareRuns(binaryRun('A', a), binaryRun('B', b), { bootstrap: false }).headline!;
    assert.equal(binary.pValue, exactMcNemar(20, 5).pValue);
    assert.ok(Number.isNaN(binary.ci.lo));
    assert.doesNotMatch(binary.sentence, /NaN|CI/);
    assert.match(binary.sentence, /^B is 7\.5 points worse than A on accuracy \(60\.0% → 52\.5%\), p = 0\.004 \(exact McNemar, 200 paired items\): unlikely to be chance\.$/);

    const scores = new Map<string, ItemScore[]>([['x', [binaryScore(true), binaryScore(false)]]]);
    const sampled = compareRuns(runWith('A', {}, scores), runWith('B', {}, scores), { bootstrap: false }).headline!;
    assert.equal(sampled.significant, false);
    assert.match(sampled.sentence, /no significance test \(1 paired items\)/);
  });
});
