/** The `<runId>.summary.json` sidecar: what lists of runs show, readable without opening any database. */
import * as fs from 'node:fs';
import { SAMPLE_OUTCOMES, type OutcomeCounts } from '../outcome';
import type { RunRecord, RunSummary } from './types';

export function buildSummary(run: RunRecord, file: string, counts: OutcomeCounts): RunSummary {
  const summary: RunSummary = {
    id: run.id,
    file,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    status: run.status,
    benchmarkId: run.config.benchmarkId,
    benchmarkVersion: run.config.benchmarkVersion,
    model: run.config.endpoint.model,
    baseUrl: run.config.endpoint.baseUrl,
    metrics: run.metrics,
    counts,
  };
  if (run.config.endpoint.label !== undefined) summary.label = run.config.endpoint.label;
  // The benchmark puts its headline metric first (what `--fail-under` and the tree show).
  if (run.metrics.length > 0) summary.headline = run.metrics[0];
  if (run.config.matrixId !== undefined) summary.matrixId = run.config.matrixId;
  return summary;
}

/** A summary file's content, or a reason it cannot be used. `file` is where the run's database is now. */
export function readSummaryFile(summaryFile: string, runFile: string): RunSummary | { problem: string } {
  let raw: any;
  try {
    raw = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  } catch (error) {
    return { problem: `unreadable summary (${(error as Error).message})` };
  }
  const strings = ['id', 'createdAt', 'updatedAt', 'status', 'benchmarkId', 'model', 'baseUrl'];
  const missing = strings.find((key) => typeof raw?.[key] !== 'string');
  if (missing) return { problem: `summary without a valid "${missing}"` };
  if (!Array.isArray(raw.metrics) || typeof raw.counts?.total !== 'number') return { problem: 'summary without metrics or counts' };
  // Summaries written before the outcome counts existed are rebuilt from the database.
  if (SAMPLE_OUTCOMES.some((o) => typeof raw.counts[o] !== 'number')) return { problem: 'summary without outcome counts' };
  // The folder may have been moved or shared: trust where the file is, not where it was written.
  return { ...(raw as RunSummary), file: runFile };
}
