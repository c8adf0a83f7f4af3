/**
 * Compare two runs of the same benchmark on the items both scored: per metric A, B, the change, its
 * confidence interval and p-value (exact McNemar for paired 0/1 outcomes, paired bootstrap otherwise),
 * a sentence saying it plainly, plus where the runs differ (instruction types, failure causes, flipped
 * items) and how fast each was.
 */
import type { ItemScore } from '../benchmarks/types';
import {
  bootstrapStatistics, differenceInterval, differenceStatistic, percentileInterval, ratioStatistic,
  DEFAULT_RESAMPLES, DEFAULT_SEED, type BootstrapOptions, type SumStatistic,
} from '../stats/bootstrap';
import { exactMcNemar } from '../stats/mcnemar';
import { wilsonInterval } from '../stats/proportion';
import type { OutcomeCounts } from '../outcome';
import { failureCauseBreakdown, failureCauseOf, instructionBreakdown, type FailureCauseRow, type InstructionRow } from './breakdown';
import {
  failureWarnings, itemSetWarning, runSettingsWarnings, significanceWithheld, type ComparabilityWarning, type ExcludedItems,
} from './comparability';
import { isBinary, isIfevalScore, metricColumns, metricDefinitions, ratioValue, unitFor } from './metrics';
import { orderedItemIds, passFraction, runDataCounts, runLabel, scoresByItem, unjudgedReasons, type RunData } from './runData';
import { describeModelFile } from '../modelFile/format';
import type { ModelFileFacts } from '../modelFile/types';
import { describeDifference } from './sentence';
import { speedStats, type SpeedStats } from './speed';

export interface CompareOptions extends BootstrapOptions {
  /** Report McNemar's mid-p instead of the (more conservative) exact p. */
  midP?: boolean;
  /**
   * false: skip the bootstrap (a quick preview, e.g. while a run is still going): intervals of B − A
   * and bootstrap p-values are NaN and never significant; McNemar p-values and Wilson intervals stay.
   */
  bootstrap?: boolean;
}

export interface MetricComparison {
  name: string;
  label: string;
  /** Paired items (prompts, problems) the figures are computed on. */
  n: number;
  unit: string;
  a: number;
  b: number;
  /** B − A (0..1 scale; ×100 for points). */
  delta: number;
  /** Each run's own interval on the compared items (Wilson for 0/1 outcomes, bootstrap otherwise). */
  aInterval: { lo: number; hi: number };
  bInterval: { lo: number; hi: number };
  /** Interval of B − A (paired bootstrap percentile). */
  ci: { lo: number; hi: number; confidence: number };
  pValue: number;
  test: 'exact McNemar' | 'exact McNemar, mid-p' | 'paired bootstrap';
  /** McNemar's discordant pairs: passed only in A, passed only in B. */
  discordant?: { onlyA: number; onlyB: number };
  significant: boolean;
  /** Why significance is not claimed (the runs' failures differ), when so. */
  withheld?: string;
  sentence: string;
}

export interface Flip {
  itemId: string;
  /** Share of the item's samples that passed in A and in B (0 or 1 with one sample). */
  a: number;
  b: number;
  /** Why the failing side failed: its failure cause and first failed check. */
  cause?: string;
  why?: string;
}

export interface RunSide {
  id: string;
  label: string;
  model: string;
  benchmarkId: string;
  benchmarkVersion: string;
  status: string;
  createdAt: string;
  /** The model file behind the run (managed servers): "Q4_K_M, 4.1 GB" and the figures it comes from. */
  modelFile?: { fileName: string; quantization: string; sizeBytes: number; parameterCount: number; description: string };
}

export interface RunComparison {
  a: RunSide;
  b: RunSide;
  benchmarkId: string;
  /** Items judged in both runs (compared), judged only in A / only in B, and why the others were left out. */
  items: { compared: number; onlyA: number; onlyB: number; unit: string; excluded: ExcludedItems[] };
  /** Each run's samples per outcome. */
  outcomes: { a: OutcomeCounts; b: OutcomeCounts };
  /** Set when the runs' failure counts differ: then no metric is called significant, and this says why. */
  significanceWithheld?: string;
  warnings: ComparabilityWarning[];
  /** Headline first. */
  metrics: MetricComparison[];
  headline?: MetricComparison;
  /** IFEval only: per instruction type, most worsened first. */
  instructions?: InstructionRow[];
  failureCauses: FailureCauseRow[];
  flips: { passToFail: Flip[]; failToPass: Flip[] };
  speed: { a: SpeedStats; b: SpeedStats };
  settings: { confidence: number; resamples: number; seed: number };
}

function side(data: RunData): RunSide {
  const { run } = data;
  return {
    id: run.id, label: runLabel(run), model: run.config.endpoint.model, benchmarkId: run.config.benchmarkId,
    benchmarkVersion: run.config.benchmarkVersion, status: run.status, createdAt: run.createdAt,
    ...(run.config.modelFile ? { modelFile: modelFileSide(run.config.modelFile) } : {}),
  };
}

function modelFileSide(facts: ModelFileFacts): NonNullable<RunSide['modelFile']> {
  const { fileName, quantization, sizeBytes, parameterCount } = facts;
  return { fileName, quantization, sizeBytes, parameterCount, description: describeModelFile(facts) };
}

function sameValues(x: Float64Array, y: Float64Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function firstFailure(scores: ItemScore[]): { cause?: string; why?: string } {
  const failed = scores.find((s) => !s.passed);
  if (!failed) return {};
  const line = failed.explanation?.find((e) => !e.passed);
  return { cause: failureCauseOf(failed), why: line ? `${line.check}${line.mode ? ` (${line.mode})` : ''}: ${line.detail}` : undefined };
}

export function compareRuns(a: RunData, b: RunData, options: CompareOptions = {}): RunComparison {
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  const benchmarkId = a.run.config.benchmarkId;
  const unit = unitFor(benchmarkId);

  const scoredA = scoresByItem(a);
  const scoredB = scoresByItem(b);
  const ids = orderedItemIds(a, scoredA).filter((id) => scoredB.has(id));
  const onlyA = scoredA.size - ids.length;
  const onlyB = scoredB.size - ids.length;

  const excluded = exclusions(a, b, scoredA, scoredB);
  const outcomes = { a: runDataCounts(a), b: runDataCounts(b) };
  const withheld = significanceWithheld(outcomes.a, outcomes.b);

  const warnings = runSettingsWarnings(a.run, b.run);
  warnings.push(...failureWarnings(outcomes.a, outcomes.b));
  const itemWarning = itemSetWarning(ids.length, excluded, unit);
  if (itemWarning) warnings.push(itemWarning);

  // Metrics are chosen from the compared items only, so pass@k uses the k both runs can estimate.
  const pick = (scored: Map<string, ItemScore[]>) => new Map(ids.map((id) => [id, scored.get(id)!]));
  // No item judged in both runs, nothing to compare: a metric over none would read "level at 0.0%".
  const metrics = ids.length === 0 ? [] : metricDefinitions({ benchmarkId, scored: [pick(scoredA), pick(scoredB)] });

  // One joint bootstrap for all metrics: binary metrics need only the per-item difference (the
  // p-value is McNemar's); the others need each side's columns to give each side's interval too.
  const columns: Float64Array[] = [];
  const column = (values: Float64Array) => columns.push(values) - 1;
  const plans = metrics.map((metric) => {
    const ca = metricColumns(metric, scoredA, ids);
    const cb = metricColumns(metric, scoredB, ids);
    if (ca.den && cb.den && sameValues(ca.den, cb.den)) cb.den = ca.den;
    const binary = isBinary(ca) && isBinary(cb);
    if (binary) {
      const diff = new Float64Array(ids.length);
      for (let i = 0; i < ids.length; i++) diff[i] = cb.num[i] - ca.num[i];
      return { metric, ca, cb, binary, statistics: [ratioStatistic(column(diff))] };
    }
    const ra = ratioStatistic(column(ca.num), ca.den ? column(ca.den) : -1);
    const denB = cb.den ? (cb.den === ca.den ? columns.indexOf(ca.den) : column(cb.den)) : -1;
    const rb = ratioStatistic(column(cb.num), denB);
    return { metric, ca, cb, binary, statistics: [differenceStatistic(rb, ra), ra, rb] };
  });
  const allStatistics: SumStatistic[] = plans.flatMap((p) => p.statistics);
  const boot = ids.length > 0 && options.bootstrap !== false ? bootstrapStatistics(columns, allStatistics, { resamples, seed, confidence }) : undefined;

  let next = 0;
  const comparisons = plans.map(({ metric, ca, cb, binary, statistics }): MetricComparison => {
    const first = next;
    next += statistics.length;
    const valueA = ratioValue(ca);
    const valueB = ratioValue(cb);
    const n = ids.length;
    const diff = boot
      ? differenceInterval(boot.estimates[first], boot.draws[first], confidence)
      : n === 0 ? { lo: 0, hi: 0, pValue: 1 } : { lo: NaN, hi: NaN, pValue: NaN };
    let pValue = diff.pValue;
    let test: MetricComparison['test'] = 'paired bootstrap';
    let discordant: MetricComparison['discordant'];
    let aInterval = { lo: valueA, hi: valueA };
    let bInterval = { lo: valueB, hi: valueB };
    if (binary) {
      let onlyInA = 0;
      let onlyInB = 0;
      for (let i = 0; i < n; i++) {
        if (ca.num[i] === 1 && cb.num[i] === 0) onlyInA++;
        if (ca.num[i] === 0 && cb.num[i] === 1) onlyInB++;
      }
      const mcnemar = exactMcNemar(onlyInA, onlyInB);
      pValue = options.midP ? mcnemar.midPValue : mcnemar.pValue;
      test = options.midP ? 'exact McNemar, mid-p' : 'exact McNemar';
      discordant = { onlyA: onlyInA, onlyB: onlyInB };
      aInterval = wilsonInterval(Math.round(valueA * n), n, confidence);
      bInterval = wilsonInterval(Math.round(valueB * n), n, confidence);
    } else if (boot) {
      const ia = percentileInterval(boot.estimates[first + 1], boot.draws[first + 1], confidence);
      const ib = percentileInterval(boot.estimates[first + 2], boot.draws[first + 2], confidence);
      aInterval = { lo: ia.lo, hi: ia.hi };
      bInterval = { lo: ib.lo, hi: ib.hi };
    }
    const significant = !withheld && n > 0 && pValue < 1 - confidence; // false for NaN
    const result = {
      name: metric.name, label: a.run.metrics.find((m) => m.name === metric.name)?.label ?? metric.label, n, unit,
      a: valueA, b: valueB, delta: valueB - valueA, aInterval, bInterval, ci: { lo: diff.lo, hi: diff.hi, confidence },
      pValue, test, discordant, significant, withheld,
    };
    return { ...result, sentence: describeDifference(result) };
  });

  const flips: RunComparison['flips'] = { passToFail: [], failToPass: [] };
  for (const id of ids) {
    // An item passes when most of its samples pass (one sample: that sample), as the compare panel shows it.
    const fa = passFraction(scoredA.get(id)!);
    const fb = passFraction(scoredB.get(id)!);
    if (fa > 0.5 && fb <= 0.5) flips.passToFail.push({ itemId: id, a: fa, b: fb, ...firstFailure(scoredB.get(id)!) });
    if (fa <= 0.5 && fb > 0.5) flips.failToPass.push({ itemId: id, a: fa, b: fb, ...firstFailure(scoredA.get(id)!) });
  }

  const ifeval = ids.some((id) => scoredA.get(id)!.some(isIfevalScore));
  return {
    a: side(a),
    b: side(b),
    benchmarkId,
    items: { compared: ids.length, onlyA, onlyB, unit, excluded },
    outcomes,
    ...(withheld ? { significanceWithheld: withheld } : {}),
    warnings,
    metrics: comparisons,
    headline: comparisons[0],
    instructions: ifeval ? instructionBreakdown(ids, scoredA, scoredB) : undefined,
    failureCauses: failureCauseBreakdown(a.samples, b.samples),
    flips,
    speed: { a: speedStats(a.samples), b: speedStats(b.samples) },
    settings: { confidence, resamples, seed },
  };
}



/** Items judged in one run only, grouped by the side that lacks the verdict and why it lacks it. */
function exclusions(a: RunData, b: RunData, scoredA: Map<string, ItemScore[]>, scoredB: Map<string, ItemScore[]>): ExcludedItems[] {
  const counts = new Map<string, ExcludedItems>();
  const bump = (side: ExcludedItems['side'], reason: ExcludedItems['reason']) => {
    const key = `${side}/${reason}`;
    const entry = counts.get(key) ?? { side, reason, items: 0 };
    entry.items++;
    counts.set(key, entry);
  };
  const reasonsA = unjudgedReasons(a, scoredA);
  const reasonsB = unjudgedReasons(b, scoredB);
  for (const id of scoredA.keys()) if (!scoredB.has(id)) bump('B', reasonsB.get(id) ?? 'missing');
  for (const id of scoredB.keys()) if (!scoredA.has(id)) bump('A', reasonsA.get(id) ?? 'missing');
  // Judged in neither: left out too, counted once (by A's reason when the two differ).
  for (const id of new Set([...a.items, ...b.items].map((item) => item.id))) {
    if (scoredA.has(id) || scoredB.has(id)) continue;
    const reasonA = reasonsA.get(id) ?? 'missing';
    const reasonB = reasonsB.get(id) ?? 'missing';
    bump(reasonA === reasonB ? 'both' : reasonA === 'missing' ? 'B' : 'A', reasonA === 'missing' ? reasonB : reasonA);
  }
  const order = { request_failed: 0, scoring_error: 1, pending: 2, missing: 3 };
  const sides = { A: 0, B: 1, both: 2 };
  return [...counts.values()].sort((x, y) => sides[x.side] - sides[y.side] || order[x.reason] - order[y.reason]);
}
