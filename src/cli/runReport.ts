/** What `run` prints at the end and `show` prints for a stored run. */
import type { RunRecord, SampleRecord } from '../core/storage/types';
import { formatMetric, table } from './format';

export function failureCauses(samples: SampleRecord[]): Map<string, number> {
  const causes = new Map<string, number>();
  for (const s of samples) {
    const cause = s.score && !s.score.passed ? s.score.failureCause ?? 'wrong' : undefined;
    if (cause) causes.set(cause, (causes.get(cause) ?? 0) + 1);
  }
  return causes;
}

export function describeRun(run: RecordLike, samples: SampleRecord[], options: { failedItems?: number } = {}): string {
  const c = run.config;
  const lines: string[] = [];
  lines.push(`run ${run.id}  [${run.status}]`);
  lines.push(`  benchmark ${c.benchmarkId} v${c.benchmarkVersion}  dataset ${c.datasetOrigin} (sha256 ${c.datasetSha256.slice(0, 16)})`);
  for (const d of c.preparedData ?? []) lines.push(`  ${d.label}: ${d.origin} (sha256 ${d.sha256.slice(0, 16)})`);
  lines.push(`  model ${c.endpoint.model} at ${c.endpoint.baseUrl} (${c.endpoint.mode})${run.serverFacts ? `  server ${run.serverFacts.kind}${run.serverFacts.quantization ? ` ${run.serverFacts.quantization}` : ''}` : ''}`);
  const s = c.sampling;
  lines.push(`  sampling temperature ${s.temperature}${s.top_p !== undefined ? ` top_p ${s.top_p}` : ''}${s.top_k !== undefined ? ` top_k ${s.top_k}` : ''} max_tokens ${s.max_tokens}${s.seed !== undefined ? ` seed ${s.seed}` : ''}  samples/item ${c.samplesPerItem}`);
  const done = samples.filter((x) => x.status === 'done').length;
  const failed = samples.filter((x) => x.status === 'failed').length;
  const passed = samples.filter((x) => x.score?.passed).length;
  lines.push(`  samples: ${samples.length} answered (${done} replies, ${failed} request failures), ${passed} passed`);
  if (run.error) lines.push(`  stopped: ${run.error}`);
  lines.push('');
  if (run.metrics.length > 0) {
    lines.push(table(['metric', 'value', 'n'], run.metrics.map((m) => [m.label, formatMetric(m), String(m.n)])));
    lines.push('');
  }
  const causes = failureCauses(samples);
  if (causes.size > 0) {
    lines.push(table(['failure cause', 'samples'], [...causes].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, String(v)])));
    lines.push('');
  }
  const failedItems = samples.filter((x) => x.score && !x.score.passed).slice(0, options.failedItems ?? 5);
  if (failedItems.length > 0) {
    lines.push('first failed items:');
    for (const f of failedItems) {
      const why = f.score!.explanation.filter((e) => !e.passed).slice(0, 3).map((e) => `${e.check}${e.mode ? ` (${e.mode})` : ''}: ${e.detail}`);
      lines.push(`  ${f.itemId}#${f.sampleIndex}: ${why.join('; ') || f.error || 'failed'}`);
    }
  }
  return lines.join('\n');
}

type RecordLike = Pick<RunRecord, 'id' | 'status' | 'config' | 'metrics' | 'error' | 'serverFacts'>;
