/**
 * Builds the comparison view: metrics side by side with deltas and significance in words (from
 * src/core/compare), items whose outcome flipped first. Pure.
 */
import { compareRuns, type RunComparison } from '../../core/compare/compareRuns';
import { exclusionText } from '../../core/compare/comparability';
import { compareCharts } from '../../core/charts/compareCharts';
import { computeDrift } from '../../core/compare/drift';
import { errorMessage } from '../../core/errors';
import { isJudged, sampleOutcome } from '../../core/outcome';
import type { RunContents } from '../runReading';
import type { SpeedStats } from '../../core/compare/speed';
import type { CompareItemRow, CompareMetricRow, CompareSnapshot, CompareStatsView, PairwiseView, SpeedView } from '../../shared/webviewProtocol';
import type { PairwiseReport } from '../../core/judge/pairwise';
import { headerView, itemPreview } from './runViewModel';

const CHANGE_ORDER: Record<CompareItemRow['change'], number> = { broken: 0, fixed: 1, 'only-a': 2, 'only-b': 3, 'same-wrong': 4, 'same-pass': 5 };

/** An item passed when most of its judged samples passed (one sample: that sample); failures are no verdict. */
function outcomes(contents: RunContents): Map<string, boolean> {
  const tally = new Map<string, { passed: number; n: number }>();
  for (const s of contents.samples) {
    if (!s.score || !isJudged(sampleOutcome(s))) continue;
    const t = tally.get(s.itemId) ?? { passed: 0, n: 0 };
    t.n++;
    if (s.score.passed) t.passed++;
    tally.set(s.itemId, t);
  }
  return new Map([...tally].map(([id, t]) => [id, t.passed * 2 > t.n]));
}

export function compareContents(a: RunContents, b: RunContents): CompareSnapshot {
  let comparison: RunComparison | undefined;
  let failure: string | undefined;
  try {
    comparison = compareRuns(a, b);
  } catch (error) {
    failure = `Statistics unavailable: ${errorMessage(error)}`;
  }
  const simple = simpleComparison(a, b);
  if (!comparison) return { ...simple, summary: [...simple.summary, failure ?? ''] };
  return {
    ...simple,
    ...driftView(a, b),
    metrics: comparison.metrics.map((m) => ({ name: m.name, label: m.label, a: m.a, b: m.b, delta: m.delta, significance: m.sentence })),
    summary: [...simple.summary.filter((line) => !line.startsWith('Warning')), ...comparison.warnings.map((w) => `Warning: ${w.message}`)],
    stats: statsView(comparison),
    charts: compareCharts(a, b, comparison),
  };
}

/** Everything compareRuns found, flattened for the webview (numbers stay on the 0..1 scale). */
export function statsView(c: RunComparison): CompareStatsView {
  const { compared, unit, excluded } = c.items;
  const left = exclusionText(excluded);
  return {
    warnings: c.warnings.map((w) => w.message),
    itemsLine: `${compared} ${unit} judged in both runs${left ? ` (left out: ${left})` : ''}${c.significanceWithheld ? '; significance not claimed: failures differ' : ''}`,
    confidence: c.settings.confidence,
    metrics: c.metrics.map((m) => ({
      label: m.label, a: m.a, b: m.b, delta: m.delta, ciLo: m.ci.lo, ciHi: m.ci.hi, pValue: m.pValue, test: m.test,
      significant: m.significant, sentence: m.sentence, n: m.n,
    })),
    instructions: c.instructions?.map((r) => ({
      instruction: r.instruction, total: r.total, a: r.total ? r.a.strict / r.total : 0, b: r.total ? r.b.strict / r.total : 0, delta: r.deltaStrict, pValue: r.pValue,
    })),
    failureCauses: c.failureCauses.map((r) => ({ ...r })),
    speed: { a: speedView(c.speed.a), b: speedView(c.speed.b) },
  };
}

export function speedView(s: SpeedStats): SpeedView {
  const orUndefined = (v: number | null | undefined) => (v === null || v === undefined ? undefined : v);
  return {
    latencyP50: s.latencyMs?.p50, latencyP90: s.latencyMs?.p90, latencyP99: s.latencyMs?.p99,
    tokensPerSecond: orUndefined(s.tokensPerSecond), throughputTokensPerSecond: orUndefined(s.throughputTokensPerSecond),
    wallTimeMs: orUndefined(s.wallTimeMs), samples: s.samples,
  };
}

/** Stored metrics and per-item outcomes only: what can always be shown, even when statistics cannot. */
function simpleComparison(a: RunContents, b: RunContents): CompareSnapshot {
  const metricsB = new Map(b.run.metrics.map((m) => [m.name, m]));
  const metrics: CompareMetricRow[] = a.run.metrics.map((m) => {
    const other = metricsB.get(m.name);
    return { name: m.name, label: m.label, a: m.value, b: other?.value, delta: other ? other.value - m.value : undefined };
  });
  for (const m of b.run.metrics) if (!metrics.some((r) => r.name === m.name)) metrics.push({ name: m.name, label: m.label, b: m.value });

  const outA = outcomes(a);
  const outB = outcomes(b);
  const prompts = new Map([...a.items, ...b.items].map((i) => [i.id, itemPreview(i)]));
  const ids = new Set([...outA.keys(), ...outB.keys()]);
  const items: CompareItemRow[] = [...ids].map((itemId) => {
    const aPassed = outA.get(itemId);
    const bPassed = outB.get(itemId);
    const change: CompareItemRow['change'] =
      aPassed === undefined ? 'only-b' : bPassed === undefined ? 'only-a' : aPassed === bPassed ? (aPassed ? 'same-pass' : 'same-wrong') : bPassed ? 'fixed' : 'broken';
    const prompt = (prompts.get(itemId) ?? '').replace(/\s+/g, ' ').trim();
    return { itemId, change, aPassed, bPassed, promptPreview: prompt.length > 120 ? `${prompt.slice(0, 119)}…` : prompt };
  });
  items.sort((x, y) => CHANGE_ORDER[x.change] - CHANGE_ORDER[y.change] || x.itemId.localeCompare(y.itemId, undefined, { numeric: true }));

  const fixed = items.filter((i) => i.change === 'fixed').length;
  const broken = items.filter((i) => i.change === 'broken').length;
  const both = items.filter((i) => i.change !== 'only-a' && i.change !== 'only-b').length;
  const summary = [`${both} items judged in both runs: ${fixed} fixed in B, ${broken} broken in B, ${both - fixed - broken} unchanged.`];
  if (a.run.config.benchmarkId !== b.run.config.benchmarkId) summary.push(`Warning: the runs are on different benchmarks (${a.run.config.benchmarkId} vs ${b.run.config.benchmarkId}).`);
  else if (a.run.config.datasetSha256 !== b.run.config.datasetSha256) summary.push('Warning: the runs used different dataset files (their sha256 differ).');
  return { a: headerView(a.run), b: headerView(b.run), metrics, items, summary };
}

/** The pairwise judge's counts and B's win rate, for the compare panel. */
export function pairwiseView(report: PairwiseReport): PairwiseView {
  const { win, tie, loss, inconsistent, error } = report.counts;
  return { judgeModel: report.judge.model, win, tie, loss, inconsistent, noVerdict: error, judged: report.judged, winRate: report.winRate };
}

/** Drift in a few lines (sample 0 of the items both runs answered), and the earliest-diverging items to click. */
export function driftView(a: RunContents, b: RunContents): Pick<CompareSnapshot, 'drift' | 'driftEarliest'> {
  const d = computeDrift(a, b);
  if (d.compared === 0) return {};
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `Identical replies: ${d.identical} of the ${d.compared} items both answered (${pct(d.identicalShare)}); median edit distance ${pct(d.medianEditDistance)} of the longer reply.`,
  ];
  if (d.medianFirstDifferentChar !== undefined) {
    lines.push(`Replies that differ diverge at character ${d.medianFirstDifferentChar} (median).`);
  }
  if (d.logprobs) lines.push(`Mean |Δ logprob| of the chosen token over the common prefix: ${d.logprobs.meanAbsDiff.toFixed(4)} (${d.logprobs.tokens} tokens, ${d.logprobs.items} items).`);
  if (!d.greedy) lines.push('Warning: a run sampled with temperature > 0, so differences include sampling noise.');
  return { drift: lines, driftEarliest: d.earliest.map((e) => ({ itemId: e.itemId, at: e.firstDifferentChar! })) };
}
