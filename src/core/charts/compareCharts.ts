/**
 * The comparison's charts: B − A per metric and per IFEval instruction (with intervals), per failure
 * cause (counts), latency distributions of A and B, and the two-by-two of item outcomes. Pure.
 */
import type { RunComparison } from '../compare/compareRuns';
import { passFraction, scoresByItem, type RunData } from '../compare/runData';
import { OUTCOME_WORDS, causeWords, type SampleOutcome } from '../outcome';
import { zFor } from '../stats/normal';
import { count as signedCount, ms, pts } from './format';
import type { ChartSpec, DeltaBar, DeltaBarsChart, EcdfChart, FlipsChart } from './types';

/** Most worsened first, so the eye lands on what got worse; ties by name for a stable order. */
function byEffect(bars: DeltaBar[]): DeltaBar[] {
  return [...bars].sort((x, y) => x.delta - y.delta || x.label.localeCompare(y.label));
}

function intervalText(bar: DeltaBar): string {
  return bar.lo === undefined || bar.hi === undefined ? '–' : `${pts(bar.lo)} to ${pts(bar.hi)}`;
}

export function metricDeltaChart(c: RunComparison): DeltaBarsChart {
  const level = `${Math.round(c.settings.confidence * 100)}% CI`;
  const bars = byEffect(c.metrics.map((m) => ({ label: m.label, delta: m.delta * 100, lo: m.ci.lo * 100, hi: m.ci.hi * 100, n: m.n })));
  return {
    kind: 'deltaBars', id: 'metric-deltas', title: `B − A per metric, points (${level})`, unit: 'points', bars,
    alt: { caption: `B − A per metric in points, with the ${level}`, columns: ['Metric', 'B − A (pts)', level, 'n'], rows: bars.map((b) => [b.label, pts(b.delta), intervalText(b), String(b.n)]) },
  };
}

/**
 * Paired difference of followed shares per instruction type, with a Wald interval on the paired
 * instances: d = (onlyB − onlyA) / n, var = (onlyA + onlyB − n·d²) / n². Clipped to ±100 points.
 */
export function instructionDeltaChart(c: RunComparison): DeltaBarsChart | undefined {
  if (!c.instructions || c.instructions.length === 0) return undefined;
  const z = zFor(c.settings.confidence);
  const level = `${Math.round(c.settings.confidence * 100)}% CI`;
  const bars = byEffect(
    c.instructions.map((r) => {
      const n = r.total;
      const d = (r.discordant.onlyB - r.discordant.onlyA) / n;
      const half = z * Math.sqrt(Math.max(0, r.discordant.onlyA + r.discordant.onlyB - n * d * d)) / n;
      return { label: r.instruction, delta: r.deltaStrict * 100, lo: Math.max(-1, d - half) * 100, hi: Math.min(1, d + half) * 100, n };
    }),
  );
  return {
    kind: 'deltaBars', id: 'instruction-deltas', title: `B − A per instruction type, strict, points (${level})`, unit: 'points', bars,
    alt: { caption: `B − A in followed share per IFEval instruction type (strict), points, with the ${level} (paired Wald)`, columns: ['Instruction', 'Instances', 'B − A (pts)', level], rows: bars.map((b) => [b.label, String(b.n), pts(b.delta), intervalText(b)]) },
  };
}

/** Counts of the samples that did not pass (wrong, request failed, scoring error) by cause; a count difference has no interval to draw. */
export function failureCauseChart(c: RunComparison): DeltaBarsChart | undefined {
  if (c.failureCauses.length === 0) return undefined;
  const rows = c.failureCauses.map((r) => ({ r, label: `${OUTCOME_WORDS[r.outcome as SampleOutcome]?.label ?? r.outcome}: ${causeWords(r.cause)}` }));
  const bars = byEffect(rows.map(({ r, label }) => ({ label, delta: r.delta, n: r.a + r.b })));
  const counts = new Map(rows.map(({ r, label }) => [label, r]));
  return {
    kind: 'deltaBars', id: 'cause-deltas', title: 'Samples that did not pass, by cause: B − A (count)', unit: 'samples', bars,
    alt: { caption: 'Samples that did not pass, by cause, in A and B, and B − A', columns: ['Cause', 'A', 'B', 'B − A'], rows: bars.map((b) => [b.label, String(counts.get(b.label)!.a), String(counts.get(b.label)!.b), signedCount(b.delta)]) },
  };
}

/** At most this many values per series: beyond, evenly spaced order statistics draw the same curve. */
const ECDF_POINTS = 1000;

function latencies(data: RunData): number[] {
  const values = data.samples.map((s) => s.latencyMs).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((x, y) => x - y);
  if (values.length <= ECDF_POINTS) return values;
  return Array.from({ length: ECDF_POINTS }, (_, i) => values[Math.round((i * (values.length - 1)) / (ECDF_POINTS - 1))]);
}

function quantileOf(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

/** Latency ECDFs of named runs (A and B in a comparison; one run in its report); none when nothing was timed. */
export function latencyChartOf(runs: { name: string; data: RunData }[]): EcdfChart | undefined {
  const series = runs.map((r) => ({ name: r.name, values: latencies(r.data) }));
  if (series.every((s) => s.values.length === 0)) return undefined;
  const qs = [0.1, 0.25, 0.5, 0.75, 0.9];
  return {
    kind: 'ecdf', id: 'latency', title: 'Latency per request (share of requests done by time t)', xLabel: 'latency (ms)', series,
    alt: {
      caption: `Latency quantiles of ${series.map((s) => s.name).join(' and ')}`,
      columns: ['Run', 'Requests', ...qs.map((q) => `p${q * 100}`)],
      rows: series.map((s) => [s.name, String(s.values.length), ...qs.map((q) => (s.values.length ? ms(quantileOf(s.values, q)) : '–'))]),
    },
  };
}

export function latencyChart(a: RunData, b: RunData): EcdfChart | undefined {
  return latencyChartOf([{ name: 'A', data: a }, { name: 'B', data: b }]);
}

/**
 * Items judged in both runs, by outcome in A and in B: an item passes when most of its judged samples do, and is
 * wrong otherwise (request failures and scoring errors are not judged, so they are in neither).
 */
export function flipsChart(a: RunData, b: RunData): FlipsChart {
  const sa = scoresByItem(a);
  const sb = scoresByItem(b);
  const count = { pp: 0, pf: 0, fp: 0, ff: 0 };
  for (const [id, scores] of sa) {
    const other = sb.get(id);
    if (!other) continue;
    const key = `${passFraction(scores) > 0.5 ? 'p' : 'f'}${passFraction(other) > 0.5 ? 'p' : 'f'}` as keyof typeof count;
    count[key]++;
  }
  const cells: FlipsChart['cells'] = [
    { a: 'pass', b: 'pass', count: count.pp, label: 'both passed' },
    { a: 'pass', b: 'wrong', count: count.pf, label: 'broken in B' },
    { a: 'wrong', b: 'pass', count: count.fp, label: 'fixed in B' },
    { a: 'wrong', b: 'wrong', count: count.ff, label: 'both wrong' },
  ];
  const total = cells.reduce((s, c) => s + c.count, 0);
  return {
    kind: 'flips', id: 'flips', title: `Items judged in both runs (${total}): outcome in A × outcome in B`, cells,
    alt: {
      caption: 'Items by outcome in A (rows) and in B (columns)',
      columns: ['', 'B passed', 'B wrong'],
      rows: [
        ['A passed', `${count.pp} (both passed)`, `${count.pf} (broken in B)`],
        ['A wrong', `${count.fp} (fixed in B)`, `${count.ff} (both wrong)`],
      ],
    },
  };
}

/** Every chart of a comparison, in reading order. */
export function compareCharts(a: RunData, b: RunData, c: RunComparison): ChartSpec[] {
  const charts: (ChartSpec | undefined)[] = [metricDeltaChart(c), instructionDeltaChart(c), flipsChart(a, b), latencyChart(a, b), failureCauseChart(c)];
  return charts.filter((x): x is ChartSpec => x !== undefined);
}
