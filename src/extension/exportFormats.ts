/** The export formats offered from the tree, and the text of each. Pure (no `vscode`), unit-tested. */
import * as path from 'node:path';
import { exportRun, type ExportOptions } from '../core/export';
import { isJudged, sampleFailureCause, sampleOutcome } from '../core/outcome';
import type { RunContents } from './runReading';

export type RunExportFormat = 'json' | 'csv' | 'md' | 'junit' | 'html' | 'jsonl';

export const EXPORT_CHOICES: { format: RunExportFormat; label: string; detail: string; extension: string; filter: string }[] = [
  { format: 'html', label: 'HTML report', detail: 'one self-contained file to share: charts, metrics with intervals, searchable items (no network)', extension: 'html', filter: 'HTML' },
  { format: 'json', label: 'JSON report', detail: 'timestamp, model, GPU, per benchmark scores with intervals (the report shape)', extension: 'json', filter: 'JSON' },
  { format: 'csv', label: 'CSV', detail: 'one row per sample: item, pass/fail, score, failure cause, latency', extension: 'csv', filter: 'CSV' },
  { format: 'md', label: 'Markdown report', detail: 'metrics with 95% intervals, failures, speed', extension: 'md', filter: 'Markdown' },
  { format: 'junit', label: 'JUnit XML', detail: 'one test case per item, for CI dashboards', extension: 'xml', filter: 'JUnit XML' },
  { format: 'jsonl', label: 'Samples as JSON Lines', detail: 'one line per sample with the full response', extension: 'jsonl', filter: 'JSON Lines' },
];

/** The format a file name implies, so a caller that passes only a target gets what its extension says. */
export function formatForFile(file: string): RunExportFormat | undefined {
  const ext = path.extname(file).slice(1).toLowerCase();
  return EXPORT_CHOICES.find((c) => c.extension === ext || c.format === ext)?.format;
}

export function renderExport(contents: RunContents, format: RunExportFormat, options: ExportOptions = {}): string {
  if (format !== 'jsonl') return exportRun(contents, format, options);
  const { run, samples } = contents;
  const lines = samples.map((s) =>
    JSON.stringify({
      run_id: run.id, model: run.config.endpoint.model, benchmark: run.config.benchmarkId, item_id: s.itemId, sample: s.sampleIndex,
      status: s.status, outcome: sampleOutcome(s), passed: isJudged(sampleOutcome(s)) ? s.score?.passed : null,
      score: isJudged(sampleOutcome(s)) ? s.score?.score : null, failure_cause: sampleFailureCause(s) ?? null, response: s.response,
      error: s.error, latency_ms: s.latencyMs,
    }),
  );
  return lines.join('\n') + '\n';
}
