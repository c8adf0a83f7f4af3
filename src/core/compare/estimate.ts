/** One run's metrics with standard errors and 95 % intervals (the figures exports and tables show). */
import { bootstrapRatios, type BootstrapOptions } from '../stats/bootstrap';
import { binomialStandardError, wilsonInterval } from '../stats/proportion';
import { isBinary, metricColumns, metricDefinitions, ratioValue, unitFor, type MetricColumns, type MetricDefinition } from './metrics';
import { orderedItemIds, scoresByItem, type RunData } from './runData';

export interface MetricEstimate {
  name: string;
  label: string;
  value: number;
  /** Its denominator: items (prompts, problems) it averages over, or for a ratio the units summed (IFEval's instructions). */
  n: number;
  /** What n counts: "prompts", "problems", "items", "instructions". */
  unit: string;
  /** For a ratio (n counts instructions): the items the interval resamples. */
  items?: { n: number; unit: string };
  se: number;
  ci: { lo: number; hi: number; confidence: number };
  /** "wilson" for a proportion of 0/1 outcomes (binomial SE), "bootstrap" otherwise (percentile CI, bootstrap SE). */
  method: 'wilson' | 'bootstrap';
}

/**
 * Estimates for metrics whose columns are given (same items for all). Binary columns get Wilson
 * intervals; the rest share one bootstrap.
 */
export function estimateColumns(
  metrics: MetricDefinition[],
  columns: MetricColumns[],
  unit: string,
  options: BootstrapOptions = {},
): MetricEstimate[] {
  const confidence = options.confidence ?? 0.95;
  const n = columns[0]?.num.length ?? 0;
  const binary = columns.map((c) => n === 0 || isBinary(c));
  // The non-binary metrics share one bootstrap; results come back in the same order.
  const boot = bootstrapRatios(columns.filter((_, i) => !binary[i]), options);
  let next = 0;
  return metrics.map((metric, i) => {
    const value = ratioValue(columns[i]);
    const den = columns[i].den;
    // A ratio's denominator is its summed units (8 instructions over 5 prompts), as the stored metric's n.
    const base = den
      ? { name: metric.name, label: metric.label, value, n: den.reduce((s, v) => s + v, 0), unit: metric.unit ?? unit, items: { n, unit } }
      : { name: metric.name, label: metric.label, value, n, unit };
    if (binary[i]) {
      const successes = columns[i].num.reduce((s, v) => s + v, 0);
      return { ...base, se: binomialStandardError(successes, n), ci: { ...wilsonInterval(successes, n, confidence), confidence }, method: 'wilson' };
    }
    const b = boot[next++];
    return { ...base, se: b.se, ci: { lo: b.lo, hi: b.hi, confidence }, method: 'bootstrap' };
  });
}

/** Every metric of one run, over all of its scored items. */
export function estimateRunMetrics(data: RunData, options: BootstrapOptions = {}): MetricEstimate[] {
  const scored = scoresByItem(data);
  const ids = orderedItemIds(data, scored);
  // No judged item, no estimate: a value of 0 over nothing would read as every answer wrong.
  if (ids.length === 0) return [];
  const metrics = metricDefinitions({ benchmarkId: data.run.config.benchmarkId, scored: [scored] });
  const columns = metrics.map((m) => metricColumns(m, scored, ids));
  return estimateColumns(metrics, columns, unitFor(data.run.config.benchmarkId), options);
}
