/**
 * Which metrics a run has, read from its scores (ItemScore.values), and each metric's per-item column.
 * Every metric is a ratio of sums over items (a mean when there is no denominator), which is what the
 * bootstrap resamples:
 *  - IFEval (values has inst_total): prompt-level strict/loose (mean of prompt_strict / prompt_loose) and
 *    instruction-level strict/loose (Σ inst_*_passed / Σ inst_total, resampled by prompt);
 *  - HumanEval: pass@k per problem (unbiased estimator), averaged;
 *  - GSM8K: exact match strict and flexible, means over items as the benchmark stores them;
 *  - otherwise (custom JSONL): accuracy = mean over items of the per-item mean score (the benchmark's
 *    own stored "accuracy", so `show`, the panel and the exports name it alike), plus pass@k for k ≥ 2 with
 *    several samples per item, plus the pass rate when scores are not all 0/1.
 * Names, labels and units match the metrics the benchmarks store (RunRecord.metrics): one name per figure.
 */
import type { ItemScore } from '../benchmarks/types';
import { passAtK, reportableK } from '../stats/passAtK';
import { passFraction } from './runData';

export interface MetricDefinition {
  /** Machine name: "prompt_strict", "pass@1", "accuracy". */
  name: string;
  label: string;
  /** Per-item numerator from the item's scored samples. */
  value(scores: ItemScore[]): number;
  /** Per-item denominator; absent: the metric is the mean of `value` over items. */
  denominator?(scores: ItemScore[]): number;
  /** What the denominator counts ("instructions"); only with `denominator`. */
  unit?: string;
}

export interface MetricColumns {
  num: Float64Array;
  den?: Float64Array;
}

const meanOf = (scores: ItemScore[], get: (s: ItemScore) => number) => {
  if (scores.length === 0) return 0;
  let sum = 0;
  for (const s of scores) sum += get(s);
  return sum / scores.length;
};
const valueOf = (key: string) => (s: ItemScore) => {
  const v = s.values?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
};

function ifevalMetrics(): MetricDefinition[] {
  const prompt = (key: string, label: string): MetricDefinition => ({ name: key, label, value: (scores) => meanOf(scores, valueOf(key)) });
  const instruction = (name: string, key: string, label: string): MetricDefinition => ({
    name,
    label,
    value: (scores) => meanOf(scores, valueOf(key)),
    denominator: (scores) => meanOf(scores, valueOf('inst_total')),
    unit: 'instructions',
  });
  // Same names and order as the IFEval benchmark's own aggregate (src/core/benchmarks/ifeval/benchmark.ts).
  return [
    prompt('prompt_strict', 'Prompt-level strict accuracy'),
    instruction('inst_strict', 'inst_strict_passed', 'Instruction-level strict accuracy'),
    prompt('prompt_loose', 'Prompt-level loose accuracy'),
    instruction('inst_loose', 'inst_loose_passed', 'Instruction-level loose accuracy'),
  ];
}

/** Same names and labels as the GSM8K benchmark's own aggregate (src/core/benchmarks/gsm8k/benchmark.ts). */
function gsm8kMetrics(): MetricDefinition[] {
  return [
    { name: 'exact_match_strict', label: 'Exact match, strict (after "The answer is")', value: (scores) => meanOf(scores, valueOf('strict')) },
    { name: 'exact_match_flexible', label: 'Exact match, flexible (last number)', value: (scores) => meanOf(scores, valueOf('flexible')) },
  ];
}

function passAtKMetrics(minSamples: number): MetricDefinition[] {
  return reportableK(minSamples).map((k) => ({
      name: `pass@${k}`,
      label: `pass@${k}`,
      value: (scores: ItemScore[]) => passAtK(scores.length, scores.filter((s) => s.passed).length, k),
    }));
}

export interface MetricContext {
  benchmarkId: string;
  /** Every run's scored samples by item (the runs that will be measured with these metrics). */
  scored: Map<string, ItemScore[]>[];
}

export function isIfevalScore(score: ItemScore): boolean {
  return score.values !== undefined && ('inst_total' in score.values || 'prompt_strict' in score.values);
}

/** The metrics these runs are measured with, headline first. */
export function metricDefinitions(context: MetricContext): MetricDefinition[] {
  let ifeval = context.benchmarkId === 'ifeval';
  let minSamples = Infinity;
  let maxSamples = 0;
  let fractionalScore = false;
  for (const run of context.scored) {
    for (const scores of run.values()) {
      minSamples = Math.min(minSamples, scores.length);
      maxSamples = Math.max(maxSamples, scores.length);
      for (const s of scores) {
        if (!ifeval && isIfevalScore(s)) ifeval = true;
        if (s.score !== 0 && s.score !== 1) fractionalScore = true;
      }
    }
  }
  if (ifeval) return ifevalMetrics();
  if (context.benchmarkId === 'gsm8k') return gsm8kMetrics();
  if (context.benchmarkId === 'humaneval') return passAtKMetrics(Number.isFinite(minSamples) ? minSamples : 1);
  const metrics: MetricDefinition[] = [{ name: 'accuracy', label: 'Accuracy', value: (scores) => meanOf(scores, (s) => s.score) }];
  // Several samples per item: accuracy (the mean over items, as stored) is the headline; pass@k adds k ≥ 2.
  if (maxSamples > 1) metrics.push(...passAtKMetrics(Number.isFinite(minSamples) ? minSamples : 1).filter((m) => m.name !== 'pass@1'));
  if (fractionalScore) metrics.push({ name: 'pass_rate', label: 'Pass rate', value: passFraction });
  return metrics;
}

/** One metric's per-item column over `ids` (every id must have scores). */
export function metricColumns(metric: MetricDefinition, scored: Map<string, ItemScore[]>, ids: string[]): MetricColumns {
  const num = new Float64Array(ids.length);
  const den = metric.denominator ? new Float64Array(ids.length) : undefined;
  ids.forEach((id, i) => {
    const scores = scored.get(id) ?? [];
    num[i] = metric.value(scores);
    if (den) den[i] = metric.denominator!(scores);
  });
  return { num, den };
}

/** True when every per-item value is 0 or 1 and there is no denominator: a paired binary outcome. */
export function isBinary(columns: MetricColumns): boolean {
  if (columns.den) return false;
  for (let i = 0; i < columns.num.length; i++) if (columns.num[i] !== 0 && columns.num[i] !== 1) return false;
  return true;
}

export function ratioValue(columns: MetricColumns): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < columns.num.length; i++) {
    num += columns.num[i];
    den += columns.den ? columns.den[i] : 1;
  }
  return den > 0 ? num / den : 0;
}

/**
 * What a stored metric's n counts: IFEval's instruction-level accuracies are over instructions, every other
 * metric over items (prompts, problems, items). `show` and the exports both say it.
 */
export function metricUnit(benchmarkId: string, metricName: string): string {
  if (benchmarkId === 'ifeval' && metricName.startsWith('inst_')) return 'instructions';
  return unitFor(benchmarkId);
}

/** What one item is called in sentences: "prompts", "problems", "items". */
export function unitFor(benchmarkId: string): string {
  if (benchmarkId === 'ifeval') return 'prompts';
  if (benchmarkId === 'humaneval') return 'problems';
  return 'items';
}
