/**
 * Groups run summaries for the runs tree: benchmark, then model, then runs newest first.
 * Pure (no `vscode`), so it is unit-tested on Node.
 */
import { countsText, denominatorText, finishedCount, judgedCount, runStatusLabel } from '../../core/outcome';
import type { RunSummary } from '../../core/storage/types';

export interface ModelGroup {
  /** The model's name, or for a model matrix "Matrix 10:04:05 · model-a, model-b". */
  model: string;
  runs: RunSummary[];
  /** Set when the group is the runs of one model matrix (started together, sharing this id). */
  matrixId?: string;
}

export interface BenchmarkGroup {
  benchmarkId: string;
  /** Model matrices first (newest first), then one group per model. */
  models: ModelGroup[];
}

/**
 * Benchmark, then model, then runs newest first. Runs of one model matrix (a matrix id shared by two or
 * more runs) are grouped together under the benchmark instead of under their models.
 */
export function groupRuns(summaries: RunSummary[], now = new Date()): BenchmarkGroup[] {
  const matrixSizes = new Map<string, number>();
  for (const s of summaries) if (s.matrixId) matrixSizes.set(s.matrixId, (matrixSizes.get(s.matrixId) ?? 0) + 1);
  const byBenchmark = new Map<string, { models: Map<string, RunSummary[]>; matrices: Map<string, RunSummary[]> }>();
  for (const summary of summaries) {
    const groups = byBenchmark.get(summary.benchmarkId) ?? { models: new Map<string, RunSummary[]>(), matrices: new Map<string, RunSummary[]>() };
    byBenchmark.set(summary.benchmarkId, groups);
    const inMatrix = summary.matrixId !== undefined && (matrixSizes.get(summary.matrixId) ?? 0) > 1;
    const [map, key] = inMatrix ? [groups.matrices, summary.matrixId!] : [groups.models, summary.label ?? summary.model];
    map.set(key, [...(map.get(key) ?? []), summary]);
  }
  const newestFirst = (runs: RunSummary[]) => runs.sort((x, y) => y.createdAt.localeCompare(x.createdAt));
  return [...byBenchmark.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([benchmarkId, groups]) => ({
      benchmarkId,
      models: [
        ...[...groups.matrices.entries()]
          .map(([matrixId, runs]) => ({ matrixId, runs: newestFirst(runs) }))
          .sort((x, y) => y.runs[0].createdAt.localeCompare(x.runs[0].createdAt))
          .map(({ matrixId, runs }) => ({
            model: `Matrix ${shortDate(runs[runs.length - 1].createdAt, now)} · ${[...new Set(runs.map((r) => r.label ?? r.model))].sort().join(', ')}`,
            runs,
            matrixId,
          })),
        ...[...groups.models.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([model, runs]) => ({ model, runs: newestFirst(runs) })),
      ],
    }));
}

/** The run line's label: when it started ("10:04" today, else "23 Nov 10:04"); the id is in the tooltip. */
export function runLabel(summary: RunSummary, now = new Date()): string {
  return shortDate(summary.createdAt, now);
}

/** The run line's description: "72.4% · done", "66.7% of 26 judged · done with errors", "50.0% of 8 judged · cancelled", or "running 120/541". */
export function describeRun(summary: RunSummary): string {
  const parts: string[] = [];
  const judged = judgedCount(summary.counts);
  if (summary.headline && summary.headline.n > 0 && judged > 0) {
    // A headline over fewer samples than the run has (failures, or samples never asked) says so, so it is never
    // read as over all of them.
    parts.push(`${(summary.headline.value * 100).toFixed(1)}%${judged < summary.counts.total ? ` of ${judged} judged` : ''}`);
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
    ...summary.metrics.filter((m) => m.n > 0).map((m) => `${m.label}: ${(m.value * 100).toFixed(1)}% ${denominatorText(summary.counts)} (n=${m.n})`),
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
