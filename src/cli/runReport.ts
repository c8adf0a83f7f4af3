/** What `run` prints at the end and `show` prints for a stored run. */
import { causeWords, countFailureCauses, countsText, headlineText, runStatusLabel, sampleFailureCause, sampleOutcome, OUTCOME_WORDS, type OutcomeCounts } from '../core/outcome';
import { sandboxLines, sandboxOf } from '../core/benchmarks/humaneval/sandboxReport';
import type { RunRecord, SampleRecord } from '../core/storage/types';
import { metricUnit } from '../core/compare/metrics';
import { formatMetric, table } from './format';

/** `resumeArgs`: what follows `evalbench run --resume` to find this run from where the command ran (default: its id). */
export function describeRun(run: RecordLike, samples: SampleRecord[], counts: OutcomeCounts, options: { failedItems?: number; resumeArgs?: string } = {}): string {
  const c = run.config;
  const lines: string[] = [];
  lines.push(`run ${run.id}  [${runStatusLabel(run.status)}]`);
  // Both can be resumed: a run whose process died, and one cancelled by Ctrl-C or a signal.
  if (run.status === 'interrupted' || run.status === 'cancelled') lines.push(`  ${run.status} before the end: finished samples are kept; evalbench run --resume ${options.resumeArgs ?? run.id} asks the rest`);
  lines.push(`  benchmark ${c.benchmarkId} v${c.benchmarkVersion}  dataset ${c.datasetOrigin} (sha256 ${c.datasetSha256.slice(0, 16)})`);
  for (const d of c.preparedData ?? []) lines.push(`  ${d.label}: ${d.origin} (sha256 ${d.sha256.slice(0, 16)})`);
  lines.push(`  model ${c.endpoint.model} at ${c.endpoint.baseUrl} (${c.endpoint.mode})${run.serverFacts ? `  server ${run.serverFacts.kind}${run.serverFacts.quantization ? ` ${run.serverFacts.quantization}` : ''}` : ''}`);
  const s = c.sampling;
  lines.push(`  sampling temperature ${s.temperature}${s.top_p !== undefined ? ` top_p ${s.top_p}` : ''}${s.top_k !== undefined ? ` top_k ${s.top_k}` : ''} max_tokens ${s.max_tokens}${s.seed !== undefined ? ` seed ${s.seed}` : ''}  samples/item ${c.samplesPerItem}`);
  lines.push(`  samples: ${counts.total} (${countsText(counts)})`);
  if (run.metrics[0]) lines.push(`  headline: ${run.metrics[0].label} ${headlineText(run.metrics[0], counts)}`);
  if (run.error) lines.push(`  stopped: ${run.error}`);
  const sandbox = sandboxOf(samples);
  if (sandbox) {
    lines.push('  generated code ran in:');
    for (const l of sandboxLines(sandbox)) lines.push(`    ${l}`);
  }
  const suspicious = samples.filter((x) => typeof (x.score?.details as { suspicious?: unknown } | undefined)?.suspicious === 'string').length;
  if (suspicious > 0) lines.push(`  suspicious passes: ${suspicious} (a returned object decides == itself; see the items)`);
  lines.push('');
  if (run.metrics.length > 0) {
    lines.push(table(['metric', 'value', 'n'], run.metrics.map((m) => [m.label, formatMetric(m), `${m.n} ${metricUnit(c.benchmarkId, m.name)}`])));
    lines.push('');
  }
  const causes = countFailureCauses(samples);
  if (causes.length > 0) {
    lines.push(table(['outcome', 'failure cause', 'samples'], causes.map((r) => [OUTCOME_WORDS[r.outcome as keyof typeof OUTCOME_WORDS].label.toLowerCase(), `${r.cause} (${causeWords(r.cause)})`, String(r.count)])));
    lines.push('');
  }
  const failedItems = samples.filter((x) => sampleFailureCause(x) !== undefined).slice(0, options.failedItems ?? 5);
  if (failedItems.length > 0) {
    lines.push('first items that did not pass:');
    for (const f of failedItems) {
      const why = (f.score?.explanation ?? []).filter((e) => !e.passed).slice(0, 3).map((e) => `${e.check}${e.mode ? ` (${e.mode})` : ''}: ${e.detail}`);
      lines.push(`  ${f.itemId}#${f.sampleIndex} [${OUTCOME_WORDS[sampleOutcome(f)].label.toLowerCase()}]: ${why.join('; ') || f.error || causeWords(sampleFailureCause(f)!)}`);
    }
  }
  return lines.join('\n');
}

type RecordLike = Pick<RunRecord, 'id' | 'status' | 'config' | 'metrics' | 'error' | 'serverFacts'>;
