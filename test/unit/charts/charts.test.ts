import * as assert from 'node:assert/strict';
import type { ItemScore } from '../../../src/core/benchmarks/types';
import { compareCharts, flipsChart, instructionDeltaChart, latencyChart, metricDeltaChart } from '../../../src/core/charts/compareCharts';
import { paretoFront, tradeoffCharts } from '../../../src/core/charts/tradeoffChart';
import type { RunData } from '../../../src/core/compare/runData';
import { compareRuns } from '../../../src/core/compare/compareRuns';
import type { ModelFileFacts } from '../../../src/core/modelFile/types';
import { binaryRun, ifevalScore, runWith } from '../../support/runFixtures';

/** A run whose samples took `latencyMs` each, one after the other from 10:00:00, `generated` tokens each. */
function timed(run: RunData, latencyMs: number, generated = 100): RunData {
  const start = Date.parse('2026-11-20T10:00:00.000Z');
  return {
    ...run,
    samples: run.samples.map((s, i) => ({
      ...s, latencyMs, completionTokens: generated,
      startedAt: new Date(start + i * latencyMs).toISOString(), finishedAt: new Date(start + (i + 1) * latencyMs).toISOString(),
    })),
  };
}

function withFile(run: RunData, quantization: string, sizeBytes: number): RunData {
  const modelFile = { path: `/m/${quantization}.gguf`, fileName: `${quantization}.gguf`, format: 'gguf', ggufVersion: 3, sizeBytes, headerSha256: 'x', parameterCount: 1, quantization, tensorTypes: [] } as ModelFileFacts;
  return { ...run, run: { ...run.run, config: { ...run.run.config, modelFile } } };
}

const passes = (n: number, k: number) => Array.from({ length: n }, (_, i) => i < k);

describe('chart specifications', () => {
  it('Pareto front: the points no other point beats on both axes', () => {
    assert.deepEqual(paretoFront([{ x: 10, y: 80 }, { x: 20, y: 70 }, { x: 15, y: 60 }, { x: 5, y: 80 }, { x: 20, y: 70 }]), [0, 1, 4]);
    assert.deepEqual(paretoFront([]), []);
  });

  it('quality–speed: headline with its CI against tokens/s, quantization and size, the front, one chart per benchmark', () => {
    const f16 = withFile(timed(binaryRun('f16', passes(100, 80)), 2000), 'F16', 15e9);
    const q8 = withFile(timed(binaryRun('q8', passes(100, 79)), 1000), 'Q8_0', 8e9);
    const q4 = withFile(timed(binaryRun('q4', passes(100, 70)), 500), 'Q4_K_M', 4.6e9);
    const slowWorse = withFile(timed(binaryRun('q5', passes(100, 60)), 1500), 'Q5_K_M', 5.5e9);
    const untimed = binaryRun('untimed', passes(100, 90));
    const other = timed(binaryRun('he', passes(10, 5), { benchmarkId: 'humaneval' }), 1000);
    const charts = tradeoffCharts([f16, q8, q4, slowWorse, untimed, other], { resamples: 200 });
    assert.deepEqual(charts.map((c) => c.benchmarkId), ['custom', 'humaneval']);
    const chart = charts[0];
    // The untimed run has no tokens/s, so the axis falls back to judged samples per second of wall time for all.
    assert.equal(chart.xLabel, 'judged samples per second of wall time');
    const timedOnly = tradeoffCharts([f16, q8, q4, slowWorse], { resamples: 200 })[0];
    assert.match(timedOnly.xLabel, /^generation speed, tokens\/s/);
    const byId = new Map(timedOnly.points.map((p) => [p.runId, p]));
    assert.equal(byId.get('f16')!.speed, 50); // 100 tokens in 2 s
    assert.equal(byId.get('q4')!.speed, 200);
    assert.equal(byId.get('f16')!.value, 80);
    const p = byId.get('q8')!;
    assert.ok(p.lo < 79 && 79 < p.hi && p.hi <= 100, 'the headline interval brackets the value');
    assert.equal(p.n, 100);
    assert.equal(p.quantization, 'Q8_0');
    assert.equal(p.sizeBytes, 8e9);
    assert.deepEqual(timedOnly.points.filter((x) => x.onFront).map((x) => x.runId).sort(), ['f16', 'q4', 'q8']);
    assert.equal(byId.get('q5')!.onFront, false, 'slower and worse than Q8_0: dominated');
    const row = timedOnly.alt.rows.find((r) => r[0].includes('q8'))!;
    assert.deepEqual(row.slice(1), ['Q8_0', '8.0 GB', '79.0%', `${p.lo.toFixed(1)}%–${p.hi.toFixed(1)}%`, '100.0', '★']);
    // Two runs of one model are told apart by their start time.
    const twin = { ...q4, run: { ...q4.run, createdAt: '2026-11-20T12:34:56.000Z', config: { ...q4.run.config, endpoint: q8.run.config.endpoint } } };
    assert.deepEqual(tradeoffCharts([q8, twin], { resamples: 100 })[0].points.map((x) => x.label), ['model-q8 (10:00:00)', 'model-q8 (12:34:56)']);
    // A run without timings is listed as not drawn, never silently dropped.
    const noTimes = binaryRun('x', passes(4, 2));
    const stripped = { ...noTimes, samples: noTimes.samples.map((s) => ({ ...s, startedAt: '', finishedAt: '' })) };
    assert.deepEqual(tradeoffCharts([f16, stripped], { resamples: 100 })[0].missing.map((m) => m.reason), ['no timings recorded']);
  });

  it('metric deltas: B − A in points with the comparison interval, most worsened first', () => {
    const a = binaryRun('A', passes(200, 150));
    const b = binaryRun('B', passes(200, 130));
    const c = compareRuns(a, b, { resamples: 500, seed: 3 });
    const chart = metricDeltaChart(c);
    assert.equal(chart.unit, 'points');
    const bar = chart.bars.find((x) => x.label === c.headline!.label)!;
    assert.ok(Math.abs(bar.delta - -10) < 1e-9);
    assert.ok(Math.abs(bar.lo! - c.headline!.ci.lo * 100) < 1e-9 && Math.abs(bar.hi! - c.headline!.ci.hi * 100) < 1e-9);
    for (let i = 1; i < chart.bars.length; i++) assert.ok(chart.bars[i - 1].delta <= chart.bars[i].delta);
    assert.equal(chart.alt.rows.length, chart.bars.length);
  });

  it('per instruction: paired interval around the strict delta, sorted by effect', () => {
    const scoresA = new Map<string, ItemScore[]>();
    const scoresB = new Map<string, ItemScore[]>();
    for (let i = 0; i < 60; i++) {
      scoresA.set(`p${i}`, [ifevalScore([{ id: 'length:number_words', strict: true, loose: true }, { id: 'punctuation:no_comma', strict: i % 2 === 0, loose: true }])]);
      scoresB.set(`p${i}`, [ifevalScore([{ id: 'length:number_words', strict: i % 3 !== 0, loose: true }, { id: 'punctuation:no_comma', strict: i % 2 === 0 || i % 5 === 0, loose: true }])]);
    }
    const a = runWith('A', { benchmarkId: 'ifeval' }, scoresA);
    const b = runWith('B', { benchmarkId: 'ifeval' }, scoresB);
    const chart = instructionDeltaChart(compareRuns(a, b, { resamples: 300 }))!;
    assert.deepEqual(chart.bars.map((x) => x.label), ['length:number_words', 'punctuation:no_comma']);
    const worse = chart.bars[0];
    assert.ok(Math.abs(worse.delta - (-20 / 60) * 100) < 1e-9);
    // Wald on paired instances: 20 discordant (all A only), d = −1/3, half width 1.96·√(20 − 60/9)/60.
    const half = 1.959963984540054 * Math.sqrt(20 - 60 / 9) / 60;
    assert.ok(Math.abs(worse.lo! - (-1 / 3 - half) * 100) < 1e-6 && Math.abs(worse.hi! - (-1 / 3 + half) * 100) < 1e-6);
    assert.ok(chart.bars[1].delta > 0 && chart.bars[1].lo! < chart.bars[1].delta);
    assert.equal(compareCharts(a, b, compareRuns(a, b, { resamples: 300 }))[1].id, 'instruction-deltas');
  });

  it('flips two-by-two and latency distributions count what the runs hold', () => {
    const a = timed(binaryRun('A', [true, true, false, false, true]), 100);
    const b = timed(binaryRun('B', [true, false, true, false, true]), 300);
    const flips = flipsChart(a, b);
    assert.deepEqual(flips.cells.map((c) => [c.label, c.count]), [['both passed', 2], ['broken in B', 1], ['fixed in B', 1], ['both wrong', 1]]);
    assert.deepEqual(flips.alt.rows, [['A passed', '2 (both passed)', '1 (broken in B)'], ['A wrong', '1 (fixed in B)', '1 (both wrong)']]);
    const latency = latencyChart(a, b)!;
    assert.deepEqual(latency.series.map((s) => [s.name, s.values.length, s.values[0]]), [['A', 5, 100], ['B', 5, 300]]);
    assert.equal(latency.alt.rows[1][4], '300 ms');
    assert.equal(latencyChart(binaryRun('A', [true]), binaryRun('B', [true])), undefined, 'no timings, no chart');
  });
});
