/**
 * The quality–speed chart of many runs (model matrix, Compare Models): one point per run, the headline
 * metric with its interval against speed, labelled with quantization and file size when known, and the
 * Pareto front (no other run is at least as good on both axes and better on one). Pure.
 */
import { estimateRunMetrics } from '../compare/estimate';
import { runLabel, type RunData } from '../compare/runData';
import { speedStats } from '../compare/speed';
import { countOutcomes, judgedCount } from '../outcome';
import type { BootstrapOptions } from '../stats/bootstrap';
import { bytes, pct } from './format';
import type { TradeoffChart, TradeoffPoint } from './types';

/** The speed axis: decode tokens/s when every run has it, else judged items per second of wall time. */
type SpeedAxis = 'tokens' | 'items';

interface Candidate {
  data: RunData;
  label: string;
  headline?: { label: string; value: number; lo: number; hi: number; n: number };
  tokensPerSecond: number | null;
  tokensSource: string | null;
  itemsPerSecond: number | null;
}

function candidate(data: RunData, options: BootstrapOptions): Candidate {
  const estimate = estimateRunMetrics(data, options)[0];
  const speed = speedStats(data.samples);
  const judged = judgedCount(countOutcomes(data.samples, data.samples.length));
  return {
    data,
    label: runLabel(data.run),
    headline: estimate && { label: estimate.label, value: estimate.value * 100, lo: estimate.ci.lo * 100, hi: estimate.ci.hi * 100, n: estimate.n },
    tokensPerSecond: speed.tokensPerSecond,
    tokensSource: speed.tokensPerSecondSource,
    itemsPerSecond: speed.wallTimeMs && speed.wallTimeMs > 0 && judged > 0 ? judged / (speed.wallTimeMs / 1000) : null,
  };
}

/** Indices of the points no other point dominates (higher is better on both axes). */
export function paretoFront(points: { x: number; y: number }[]): number[] {
  return points.flatMap((p, i) =>
    points.some((q, j) => j !== i && q.x >= p.x && q.y >= p.y && (q.x > p.x || q.y > p.y)) ? [] : [i],
  );
}

function chartFor(benchmarkId: string, runs: Candidate[]): TradeoffChart {
  const withHeadline = runs.filter((r) => r.headline);
  const axis: SpeedAxis = withHeadline.length > 0 && withHeadline.every((r) => r.tokensPerSecond !== null) ? 'tokens' : 'items';
  const sources = new Set(withHeadline.map((r) => r.tokensSource));
  const xLabel = axis === 'tokens' ? `generation speed, tokens/s (${sources.size === 1 && sources.has('server timings') ? 'server timings' : 'per request'})` : 'judged samples per second of wall time';
  const missing: TradeoffChart['missing'] = [];
  const placed: Omit<TradeoffPoint, 'onFront'>[] = [];
  for (const r of runs) {
    const speed = axis === 'tokens' ? r.tokensPerSecond : r.itemsPerSecond;
    if (!r.headline) missing.push({ runId: r.data.run.id, label: r.label, reason: 'no judged samples' });
    else if (speed === null || !(speed > 0)) missing.push({ runId: r.data.run.id, label: r.label, reason: 'no timings recorded' });
    else {
      const file = r.data.run.config.modelFile;
      placed.push({ runId: r.data.run.id, label: r.label, value: r.headline.value, lo: r.headline.lo, hi: r.headline.hi, n: r.headline.n, speed, quantization: file?.quantization, sizeBytes: file?.sizeBytes });
    }
  }
  const front = new Set(paretoFront(placed.map((p) => ({ x: p.speed, y: p.value }))));
  const points = placed.map((p, i) => ({ ...p, onFront: front.has(i) }));
  const metricLabel = withHeadline[0]?.headline?.label ?? 'headline metric';
  return {
    kind: 'tradeoff', id: `tradeoff-${benchmarkId}`, title: `${benchmarkId}: ${metricLabel} against speed`, benchmarkId, metricLabel, xLabel, points, missing,
    alt: {
      caption: `${benchmarkId}: ${metricLabel} (95% CI) and speed per run; ★ marks the Pareto front`,
      columns: ['Run', 'Quantization', 'File size', metricLabel, '95% CI', axis === 'tokens' ? 'tokens/s' : 'samples/s', 'Pareto front'],
      rows: [
        ...points.map((p) => [p.label, p.quantization ?? '–', p.sizeBytes ? bytes(p.sizeBytes) : '–', pct(p.value), `${pct(p.lo)}–${pct(p.hi)}`, p.speed.toFixed(1), p.onFront ? '★' : '']),
        ...missing.map((m) => [m.label, '–', '–', '–', '–', '–', `not drawn: ${m.reason}`]),
      ],
    },
  };
}

/** One chart per benchmark, in order of first appearance. */
export function tradeoffCharts(runs: RunData[], options: BootstrapOptions = {}): TradeoffChart[] {
  const byBenchmark = new Map<string, Candidate[]>();
  for (const r of runs) {
    const list = byBenchmark.get(r.run.config.benchmarkId) ?? [];
    list.push(candidate(r, options));
    byBenchmark.set(r.run.config.benchmarkId, list);
  }
  // Runs of the same model share a label: add each one's start time (UTC) so the points can be told apart.
  const counts = new Map<string, number>();
  for (const list of byBenchmark.values()) for (const c of list) counts.set(c.label, (counts.get(c.label) ?? 0) + 1);
  for (const list of byBenchmark.values()) for (const c of list) if (counts.get(c.label)! > 1) c.label = `${c.label} (${c.data.run.createdAt.slice(11, 19)})`;
  return [...byBenchmark].map(([benchmarkId, list]) => chartFor(benchmarkId, list));
}
