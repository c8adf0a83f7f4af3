/**
 * Groups run summaries for the runs tree: benchmark, then model, then runs newest first.
 * Pure (no `vscode`), so it is unit-tested on Node.
 */
import { countsText, denominatorText, finishedCount, judgedCount, runStatusLabel } from '../../core/outcome';
import type { RunSummary } from '../../core/storage/types';

export interface ModelGroup {
  model: string;
  runs: RunSummary[];
}

export interface BenchmarkGroup {
  benchmarkId: string;
  models: ModelGroup[];
}

export function groupRuns(summaries: RunSummary[]): BenchmarkGroup[] {
  const byBenchmark = new Map<string, Map<string, RunSummary[]>>();
  for (const summary of summaries) {
    const models = byBenchmark.get(summary.benchmarkId) ?? new Map<string, RunSummary[]>();
    byBenchmark.set(summary.benchmarkId, models);
    const model = summary.label ?? summary.model;
    const runs = models.get(model) ?? [];
    models.set(model, runs);
    runs.push(summary);
  }
  return [...byBenchmark.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([benchmarkId, models]) => ({
      benchmarkId,
      models: [...models.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([model, runs]) => ({ model, runs: runs.sort((x, y) => y.createdAt.localeCompare(x.createdAt)) })),
    }));
}

/** The run line's label: when it started ("10:04" today, else "23 Nov 10:04"); the id is in the tooltip. */
export function runLabel(summary: RunSummary, now = new Date()): string {
  return shortDate(summary.createdAt, now);
}

/** The run line's description: "72.4% · done", "66.7% of 26 judged · done with errors", or "running 120/541". */
export function describeRun(summary: RunSummary): string {
  const parts: string[] = [];
  const errors = summary.counts.request_failed + summary.counts.scoring_error > 0;
  if (summary.headline && summary.headline.n > 0 && judgedCount(summary.counts) > 0) {
    // A headline over fewer samples than the run has says so, so it is never read as over all of them.
    parts.push(`${(summary.headline.value * 100).toFixed(1)}%${errors ? ` of ${judgedCount(summary.counts)} judged` : ''}`);
  }
  const status = runStatusLabel(summary.status).toLowerCase();
  parts.push(summary.status === 'running' ? `${status} ${finishedCount(summary.counts)}/${summary.counts.total}` : status);
  return parts.join(' · ');
}

export function runTooltip(summary: RunSummary): string {
  const lines = [
    `Run ${summary.id}`,
    `${summary.benchmarkId} v${summary.benchmarkVersion} · ${summary.model}`,
    `Server ${summary.baseUrl}`,
    `Status: ${runStatusLabel(summary.status)}`,
    `Samples: ${summary.counts.total} (${countsText(summary.counts) || 'none yet'})`,
    ...summary.metrics.map((m) => `${m.label}: ${(m.value * 100).toFixed(1)}% ${denominatorText(summary.counts)} (n=${m.n})`),
    summary.file,
  ];
  return lines.join('\n');
}

/** "10:04:05" today, else "23 Nov 10:04" (local time). */
export function shortDate(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  // Today's runs are often minutes apart: seconds keep their labels distinct.
  if (date.toDateString() === now.toDateString()) return `${time}:${pad(date.getSeconds())}`;
  const month = date.toLocaleString('en', { month: 'short' });
  return `${date.getDate()} ${month} ${time}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
