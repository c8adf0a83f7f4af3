/** A run as a Markdown report: settings, metrics with intervals, failure causes, instruction types, failed items. */
import type { ItemScore } from '../benchmarks/types';
import { instructionOutcomes } from '../compare/breakdown';
import {
  OUTCOME_WORDS, SAMPLE_OUTCOMES, causeWords, denominatorText, runStatusLabel, sampleFailureCause, sampleOutcome, wrongAnswerCause,
} from '../outcome';
import { estimateRunMetrics } from '../compare/estimate';
import { orderedItemIds, passFraction, runDataCounts, runLabel, scoresByItem, type RunData } from '../compare/runData';
import { formatPercent } from '../compare/sentence';
import { speedStats } from '../compare/speed';
import type { BootstrapOptions } from '../stats/bootstrap';

/** Text safe in a table cell: pipes escaped, line breaks flattened, Markdown/HTML specials neutralised. */
export function mdCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n|\r/g, ' ').replace(/([`*_[\]])/g, '\\$1');
}

function table(header: string[], rows: unknown[][]): string {
  const align = header.map((h) => (h.startsWith('>') ? '---:' : '---'));
  return [
    `| ${header.map((h) => h.replace(/^>/, '')).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ].join('\n');
}

export interface MarkdownOptions extends BootstrapOptions {
  /** Failed items listed with their explanations (default 20). */
  failedItems?: number;
}

export function renderMarkdown(data: RunData, options: MarkdownOptions = {}): string {
  const { run } = data;
  const c = run.config;
  const out: string[] = [];
  out.push(`# ${c.benchmarkId} — ${mdCell(runLabel(run))}`, '');
  const s = c.sampling;
  const facts = run.serverFacts;
  out.push(table(['Setting', 'Value'], [
    ['Run', run.id],
    ['Status', runStatusLabel(run.status)],
    ['Started', run.createdAt],
    ['Benchmark', `${c.benchmarkId} v${c.benchmarkVersion}`],
    ['Dataset', `${c.datasetOrigin} (sha256 ${c.datasetSha256.slice(0, 12)})`],
    ['Model', `${c.endpoint.model} at ${c.endpoint.baseUrl} (${c.endpoint.mode})`],
    ['Server', facts ? [facts.kind, facts.quantization, facts.modelPath].filter(Boolean).join(', ') : 'not probed'],
    ['Sampling', [`temperature ${s.temperature}`, s.top_p !== undefined ? `top_p ${s.top_p}` : '', s.top_k !== undefined ? `top_k ${s.top_k}` : '', `max_tokens ${s.max_tokens}`, s.seed !== undefined ? `seed ${s.seed}` : ''].filter(Boolean).join(', ')],
    ['Samples per item', c.samplesPerItem],
  ]));
  if (run.error) out.push('', `**Stopped early:** ${mdCell(run.error)}`);

  const counts = runDataCounts(data);
  out.push('', '## Outcomes', '');
  out.push(table(['Outcome', '>Samples'], SAMPLE_OUTCOMES.map((o) => [OUTCOME_WORDS[o].label, counts[o]])));

  const estimates = estimateRunMetrics(data, options);
  out.push('', '## Metrics', '', `Computed over the judged samples only: ${denominatorText(counts)}.`, '');
  if (estimates.length === 0) out.push('No judged items.');
  else {
    out.push(table(['Metric', '>Value', '>95% CI', '>SE', '>n', 'Interval'], estimates.map((e) => [
      e.label, formatPercent(e.value), `${formatPercent(e.ci.lo)} – ${formatPercent(e.ci.hi)}`, formatPercent(e.se, 2), `${e.n} ${e.unit}${e.items ? ` (${e.items.n} ${e.items.unit})` : ''}`, e.method,
    ])));
  }

  const scored = scoresByItem(data);
  const ids = orderedItemIds(data, scored);
  // Every sample that did not pass, under its outcome: the same words as the CSV failure_cause column.
  const causes = new Map<string, { outcome: string; cause: string; n: number }>();
  for (const sample of data.samples) {
    const cause = sampleFailureCause(sample);
    if (!cause) continue;
    const outcome = OUTCOME_WORDS[sampleOutcome(sample)].label;
    const entry = causes.get(`${outcome}/${cause}`) ?? { outcome, cause, n: 0 };
    entry.n++;
    causes.set(`${outcome}/${cause}`, entry);
  }
  if (causes.size > 0) {
    out.push('', '## Failure causes', '');
    out.push(table(['Outcome', 'Cause', '>Samples'], [...causes.values()].sort((x, y) => y.n - x.n).map((e) => [e.outcome, `${e.cause} (${causeWords(e.cause)})`, e.n])));
  }

  const perInstruction = new Map<string, { n: number; strict: number; loose: number }>();
  for (const id of ids) for (const o of instructionOutcomes(scored.get(id)![0])) {
    const row = perInstruction.get(o.id) ?? { n: 0, strict: 0, loose: 0 };
    row.n++;
    if (o.strict) row.strict++;
    if (o.loose) row.loose++;
    perInstruction.set(o.id, row);
  }
  if (perInstruction.size > 0) {
    out.push('', '## Instruction types', '');
    out.push(table(['Instruction', '>n', '>Strict', '>Loose'], [...perInstruction]
      .sort((x, y) => x[1].strict / x[1].n - y[1].strict / y[1].n || x[0].localeCompare(y[0]))
      .map(([id, r]) => [id, r.n, formatPercent(r.strict / r.n), formatPercent(r.loose / r.n)])));
  }

  const speed = speedStats(data.samples);
  if (speed.latencyMs) {
    out.push('', '## Speed', '');
    out.push(table(['Measure', '>Value'], [
      ['Latency p50 / p90 / p99', `${speed.latencyMs.p50.toFixed(0)} / ${speed.latencyMs.p90.toFixed(0)} / ${speed.latencyMs.p99.toFixed(0)} ms`],
      ['Tokens/s per request', speed.tokensPerSecond?.toFixed(1) ?? '--'],
      ['Wall time', speed.wallTimeMs !== null ? `${(speed.wallTimeMs / 1000).toFixed(1)} s` : '--'],
    ]));
  }

  const limit = options.failedItems ?? 20;
  const failed = ids.filter((id) => passFraction(scored.get(id)!) <= 0.5);
  if (failed.length > 0 && limit > 0) {
    out.push('', `## Wrong items (${Math.min(limit, failed.length)} of ${failed.length})`, '');
    for (const id of failed.slice(0, limit)) out.push(`- **${mdCell(id)}**: ${mdCell(explain(scored.get(id)!))}`);
  }
  const unjudged = data.samples.filter((s) => sampleOutcome(s) === 'request_failed' || sampleOutcome(s) === 'scoring_error');
  if (unjudged.length > 0 && limit > 0) {
    out.push('', `## Samples without a verdict (${Math.min(limit, unjudged.length)} of ${unjudged.length})`, '');
    for (const s of unjudged.slice(0, limit)) {
      out.push(`- **${mdCell(s.itemId)}**${c.samplesPerItem > 1 ? ` #${s.sampleIndex}` : ''} (${OUTCOME_WORDS[sampleOutcome(s)].singular}): ${mdCell(s.error ?? s.score?.explanation.find((e) => !e.passed)?.detail ?? sampleFailureCause(s))}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** The first failed sample's failed checks, in words. */
export function explain(scores: ItemScore[]): string {
  const failed = scores.find((s) => !s.passed);
  if (!failed) return 'passed';
  const lines = (failed.explanation ?? []).filter((e) => !e.passed).map((e) => `${e.check}${e.mode ? ` (${e.mode})` : ''}: ${e.detail}`);
  const prefix = scores.length > 1 ? `${scores.filter((s) => s.passed).length}/${scores.length} samples passed; ` : '';
  return prefix + (lines.join('; ') || causeWords(wrongAnswerCause(failed.failureCause)));
}
