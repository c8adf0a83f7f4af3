import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareRuns, type RunComparison } from '../../core/compare/compareRuns';
import { computeDrift } from '../../core/compare/drift';
import { storeLoader, type RunDataLoader } from '../../core/compare/runLoader';
import { formatPercent, formatPoints, formatPValue } from '../../core/compare/sentence';
import { describePairwise, loadPairwiseReport } from '../../core/judge/pairwiseRuns';
import { renderHtmlReport, type ReportAssets } from '../../core/report/htmlReport';
import { loadReportAssets } from '../../core/report/reportAssets';
import { compareReportModel } from '../../core/report/reportModel';
import { DEFAULT_RESAMPLES, DEFAULT_SEED } from '../../core/stats/bootstrap';
import { causeWords, OUTCOME_WORDS, runStatusLabel, type RunStatus } from '../../core/outcome';
import { UsageError, numberOption, parse, runRefFrom, runsDirFrom } from '../args';
import type { CliCommand } from '../command';
import { formatDrift } from '../driftReport';
import { table } from '../format';

const usage = `evalbench compare RUN_A RUN_B [--runs-dir DIR] [--json] [--fail-if-worse POINTS] [--seed N] [--resamples N] [--mid-p] [--drift] [--html FILE]

Compare two stored runs (run ids from 'evalbench list', or .sqlite paths) on the items judged in both
(request failures and scoring errors are left out and counted; when the runs' failure counts differ,
no difference is called significant):
each metric for A and B, the change B − A with its 95% confidence interval, a p-value (exact McNemar
for pass/fail items, paired bootstrap otherwise), per instruction type and failure cause, the items
that flipped, and speed. Warns when the runs' settings differ.
  --runs-dir DIR          where run files are (default .evalbench/runs)
  --drift                 also how far B's replies moved from A's: identical share, edit distance, first
                          difference, earliest-diverging items, |Δ logprob| (quantized vs full, greedy runs)
  --json                  the full comparison as JSON
  --html FILE             also write the comparison as one self-contained HTML file (charts with
                          intervals, sentences, searchable items with both responses; no network)
  --fail-if-worse POINTS  exit 1 when B is significantly worse than A on the headline metric by more
                          than POINTS percentage points (for CI gates), or when that cannot be decided
                          (the runs' request failures differ, no item judged in both); otherwise exit 0
  --seed N                bootstrap seed (default ${DEFAULT_SEED}); same seed, same intervals
  --resamples N           bootstrap resamples (default ${DEFAULT_RESAMPLES})
  --mid-p                 McNemar mid-p instead of the exact (more conservative) p-value`;

/** True when B is significantly worse than A on the headline by more than `points`. */
export function failsGate(comparison: RunComparison, points: number): boolean {
  const h = comparison.headline;
  return !!h && h.significant && h.delta < 0 && -h.delta * 100 > points;
}

/** "request failed": the outcome as show and the exports name it. */
function outcomeWord(outcome: string): string {
  return (OUTCOME_WORDS as Record<string, { label: string } | undefined>)[outcome]?.label.toLowerCase() ?? outcome;
}

function ms(value: number | undefined): string {
  return value === undefined ? '--' : `${value.toFixed(0)} ms`;
}

export function formatComparison(c: RunComparison, options: { flips?: number; instructions?: number } = {}): string {
  const lines: string[] = [];
  lines.push(`A  ${c.a.label}  (run ${c.a.id}, ${runStatusLabel(c.a.status as RunStatus)})`);
  lines.push(`B  ${c.b.label}  (run ${c.b.id}, ${runStatusLabel(c.b.status as RunStatus)})`);
  lines.push(`benchmark ${c.benchmarkId} v${c.a.benchmarkVersion}; ${c.items.compared} ${c.items.unit} judged in both runs compared`);
  if (c.significanceWithheld) lines.push(`significance: not claimed; ${c.significanceWithheld}`);
  if (c.warnings.length > 0) {
    lines.push('', 'warnings:');
    for (const w of c.warnings) lines.push(`  ! ${w.message}`);
  }
  if (c.metrics.length === 0) lines.push('', 'no item judged in both runs: no metric to compare');
  else {
    const level = `${Math.round(c.settings.confidence * 100)}% CI`;
    lines.push('');
    lines.push(table(['metric', 'A', 'B', 'B−A', level, 'p', 'test'], c.metrics.map((m) => [
      m.label, formatPercent(m.a), formatPercent(m.b), formatPoints(m.delta), `${formatPoints(m.ci.lo)} to ${formatPoints(m.ci.hi)}`,
      formatPValue(m.pValue).replace(/^p [=<] ?/, (s) => (s.includes('<') ? '<' : '')), m.test,
    ])));
    lines.push('');
    for (const m of c.metrics) lines.push(`${m.significant ? '*' : '-'} ${m.sentence}`);
  }
  if (c.instructions && c.instructions.length > 0) {
    const top = c.instructions.slice(0, options.instructions ?? 10);
    lines.push('', `instruction types (strict, most worsened first; ${top.length} of ${c.instructions.length}):`);
    lines.push(table(['instruction', 'n', 'A', 'B', 'B−A', 'p'], top.map((r) => [
      r.instruction, String(r.total), formatPercent(r.a.strict / r.total), formatPercent(r.b.strict / r.total), formatPoints(r.deltaStrict), formatPValue(r.pValue).replace(/^p = /, ''),
    ])));
  }
  if (c.failureCauses.length > 0) {
    lines.push('', 'failure causes (every sample that did not pass):');
    lines.push(table(['outcome', 'cause', 'A', 'B', 'B−A'], c.failureCauses.map((r) => [outcomeWord(r.outcome), `${r.cause} (${causeWords(r.cause)})`, String(r.a), String(r.b), `${r.delta > 0 ? '+' : ''}${r.delta}`])));
  }
  const limit = options.flips ?? 10;
  for (const [title, list] of [['passed in A, wrong in B', c.flips.passToFail], ['wrong in A, passed in B', c.flips.failToPass]] as const) {
    if (list.length === 0) continue;
    lines.push('', `${list.length} ${title}${list.length > limit ? ` (first ${limit})` : ''}:`);
    for (const f of list.slice(0, limit)) lines.push(`  ${f.itemId}${f.why ? `: ${f.why}` : f.cause ? `: ${f.cause}` : ''}`);
  }
  const speedRow = (name: string, s: RunComparison['speed']['a']) => [
    name, ms(s.latencyMs?.p50), ms(s.latencyMs?.p90), ms(s.latencyMs?.p99), s.tokensPerSecond?.toFixed(1) ?? '--',
    s.wallTimeMs !== null ? `${(s.wallTimeMs / 1000).toFixed(1)} s` : '--',
  ];
  if (c.speed.a.samples > 0 || c.speed.b.samples > 0) {
    lines.push('', table(['speed', 'p50', 'p90', 'p99', 'tok/s', 'wall'], [speedRow('A', c.speed.a), speedRow('B', c.speed.b)]));
  }
  return lines.join('\n');
}

/** The command, with the way runs are read as a seam (tests pass in-memory runs). */
export function createCompareCommand(loaderFor: (runsDir: string) => RunDataLoader = storeLoader, reportAssets: () => ReportAssets = loadReportAssets): CliCommand {
  return {
    name: 'compare',
    summary: 'compare two runs with confidence intervals and significance tests',
    usage,
    async run(argv, io) {
      const { values, positionals } = parse(argv, {
        'runs-dir': { type: 'string' }, json: { type: 'boolean' }, 'fail-if-worse': { type: 'string' },
        seed: { type: 'string' }, resamples: { type: 'string' }, 'mid-p': { type: 'boolean' }, drift: { type: 'boolean' },
        html: { type: 'string' },
      }, true);
      if (positionals.length !== 2) throw new UsageError('give two runs: evalbench compare RUN_A RUN_B');
      const gate = numberOption(values['fail-if-worse'], 'fail-if-worse', { min: 0 });
      const seed = numberOption(values.seed, 'seed', { integer: true });
      const resamples = numberOption(values.resamples, 'resamples', { integer: true, min: 100 });
      const load = loaderFor(runsDirFrom(values['runs-dir'], io.cwd));
      const a = await load(runRefFrom(positionals[0], io.cwd));
      const b = await load(runRefFrom(positionals[1], io.cwd));
      const comparison = compareRuns(a, b, { seed, resamples, midP: values['mid-p'] });
      // A pairwise judge report of these two runs (evalbench pairwise), when one was made.
      const pairwise = loadPairwiseReport(runsDirFrom(values['runs-dir'], io.cwd), comparison.a.id, comparison.b.id);
      const drift = values.drift ? computeDrift(a, b) : undefined;
      if (values.html) {
        const file = path.resolve(io.cwd, values.html);
        fs.writeFileSync(file, renderHtmlReport(compareReportModel(a, b, comparison), reportAssets()));
        io.stderr.write(`wrote ${file}\n`);
      }
      if (values.json) {
        const { items: _perItem, ...driftSummary } = drift ?? { items: undefined };
        io.stdout.write(`${JSON.stringify({ ...comparison, ...(pairwise ? { pairwise } : {}), ...(drift ? { drift: driftSummary } : {}) }, null, 2)}\n`);
      } else {
        io.stdout.write(`${formatComparison(comparison)}${pairwise ? `\n\n${describePairwise(pairwise).join('\n')}` : ''}${drift ? `\n\n${formatDrift(drift)}` : ''}\n`);
      }
      // A gate that cannot tell whether B is worse fails: passing it would let a regression through whenever one
      // request failed (significance is withheld then) or the runs share no judged item.
      const undecided = gate === undefined ? undefined : comparison.significanceWithheld ?? (comparison.headline ? undefined : 'no item judged in both runs, so nothing was compared');
      if (undecided) {
        io.stderr.write(`evalbench compare: --fail-if-worse not decided: ${undecided}; the gate fails (it passes only when it can tell B is not worse)\n`);
        return 1;
      }
      if (gate !== undefined && failsGate(comparison, gate)) {
        io.stderr.write(`evalbench compare: B is significantly worse than A on ${comparison.headline!.label} by more than ${gate} points\n`);
        return 1;
      }
      return 0;
    },
  };
}

export const compareCommand = createCompareCommand();
