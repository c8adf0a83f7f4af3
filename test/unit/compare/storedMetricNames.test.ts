/**
 * The exports' metric estimates (estimateRunMetrics) carry the names, values and n of the metrics each
 * benchmark stores with its run (BenchmarkDefinition.aggregate), which `show`, the panel and the runs tree
 * read: one name and one denominator per figure, whichever view shows it.
 */
import * as assert from 'node:assert/strict';
import { estimateRunMetrics } from '../../../src/core/compare/estimate';
import { customBenchmark } from '../../../src/core/benchmarks/custom/benchmark';
import { gsm8kBenchmark } from '../../../src/core/benchmarks/gsm8k/benchmark';
import type { ItemScore } from '../../../src/core/benchmarks/types';
import type { RunData } from '../../../src/core/compare/runData';
import { runWith } from '../../support/runFixtures';

function stored(run: RunData, aggregate: (samples: { itemId: string; sampleIndex: number; score: ItemScore }[], itemCount: number) => { name: string; value: number; n: number }[]) {
  return aggregate(run.samples.map((s) => ({ itemId: s.itemId, sampleIndex: s.sampleIndex, score: s.score! })), run.items.length).map((m) => ({ name: m.name, value: m.value, n: m.n }));
}

const estimated = (run: RunData) => estimateRunMetrics(run, { resamples: 200 }).map((e) => ({ name: e.name, value: e.value, n: e.n }));

describe('export estimates use the stored metrics\' names and denominators', () => {
  it('GSM8K: exact_match_strict and exact_match_flexible, not a generic accuracy', () => {
    const gsm = (strict: number, flexible: number): ItemScore => ({ passed: strict === 1, score: strict, values: { strict, flexible }, explanation: [] });
    const run = runWith('g', { benchmarkId: 'gsm8k' }, new Map([['p1', [gsm(1, 1)]], ['p2', [gsm(0, 1)]], ['p3', [gsm(0, 0)]], ['p4', [gsm(1, 1)]]]));
    assert.deepEqual(estimated(run), stored(run, (s, n) => gsm8kBenchmark().aggregate(s, n)));
    assert.deepEqual(estimated(run).map((e) => e.name), ['exact_match_strict', 'exact_match_flexible']);
  });

  it('custom with several samples per item: accuracy (mean over items) first, as stored, pass@k only for k ≥ 10 (with that many samples)', () => {
    const bin = (passed: boolean): ItemScore => ({ passed, score: passed ? 1 : 0, values: {}, explanation: [] });
    const run = runWith('c', { benchmarkId: 'custom', samplesPerItem: 2 }, new Map([['a', [bin(true), bin(true)]], ['b', [bin(true), bin(false)]], ['c', [bin(false), bin(false)]]]));
    const estimates = estimated(run);
    assert.deepEqual(estimates[0], stored(run, (s, n) => customBenchmark().aggregate(s, n))[0]);
    assert.deepEqual(estimates.map((e) => e.name), ['accuracy'], 'pass@1 was a second name for accuracy');
  });
});
