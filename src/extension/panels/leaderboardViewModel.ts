/**
 * Builds the leaderboard: for every benchmark and every metric its runs report, the runs ranked by
 * core/compare's leaderboard(). Summaries are small, so all tables go in one snapshot and the webview
 * switches between them without asking the host. Pure (no `vscode`).
 */
import { leaderboard } from '../../core/compare/tables';
import type { RunSummary } from '../../core/storage/types';
import type { LeaderboardSnapshot, LeaderboardTable } from '../../shared/webviewProtocol';

export function leaderboardView(summaries: RunSummary[]): LeaderboardSnapshot {
  const benchmarks = [...new Set(summaries.map((s) => s.benchmarkId))].sort();
  const tables: LeaderboardTable[] = [];
  for (const benchmarkId of benchmarks) {
    const runs = summaries.filter((s) => s.benchmarkId === benchmarkId);
    // Metrics in order of first appearance, the headline's name first.
    const metrics = new Map<string, string>();
    for (const s of runs) if (s.headline) metrics.set(s.headline.name, s.headline.label);
    for (const s of runs) for (const m of s.metrics) if (!metrics.has(m.name)) metrics.set(m.name, m.label);
    for (const [metric, metricLabel] of metrics) {
      const view = (onePerModel: boolean) =>
        leaderboard(summaries, benchmarkId, metric, { onePerModel }).map((r) => ({
          rank: r.rank, runId: r.runId, label: r.label, value: r.value, n: r.n, denominator: r.denominator, createdAt: r.createdAt, status: r.status,
        }));
      const rows = view(true);
      if (rows.length > 0) tables.push({ benchmarkId, metric, metricLabel, rows, allRows: view(false) });
    }
  }
  return { tables };
}
