/** Many runs at once: a metrics × runs matrix, a leaderboard, deltas against a baseline run. */
import type { MetricValue } from '../benchmarks/types';
import { denominatorText, judgedCount } from '../outcome';
import type { BootstrapOptions } from '../stats/bootstrap';
import type { RunSummary } from '../storage/types';
import { compareRuns, type CompareOptions, type RunComparison } from './compareRuns';
import { estimateRunMetrics, type MetricEstimate } from './estimate';
import { runLabel, type RunData } from './runData';

export interface MatrixColumn {
  id: string;
  label: string;
  benchmarkId: string;
}

export interface MatrixRow {
  name: string;
  label: string;
  /** One cell per run, in the order of `columns`; undefined where the run has no such metric. */
  cells: (MetricEstimate | undefined)[];
}

export interface MetricMatrix {
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

/** Metrics × runs, each cell with its interval. Rows in order of first appearance (headlines first). */
export function matrix(runs: RunData[], options: BootstrapOptions = {}): MetricMatrix {
  const estimates = runs.map((r) => estimateRunMetrics(r, options));
  const rows: MatrixRow[] = [];
  estimates.forEach((list, column) => {
    for (const e of list) {
      let row = rows.find((r) => r.name === e.name);
      if (!row) {
        row = { name: e.name, label: e.label, cells: new Array(runs.length).fill(undefined) };
        rows.push(row);
      }
      row.cells[column] = e;
    }
  });
  return { columns: runs.map((r) => ({ id: r.run.id, label: runLabel(r.run), benchmarkId: r.run.config.benchmarkId })), rows };
}

export interface LeaderboardRow {
  rank: number;
  runId: string;
  model: string;
  label: string;
  value: number;
  n: number;
  createdAt: string;
  status: RunSummary['status'];
  /** What the value is over, in samples: "of 26 judged (4 request failures)". */
  denominator: string;
}

/**
 * Runs of one benchmark ranked by one metric (default: each run's headline), best first. With
 * `onePerModel` (default) only the newest finished run of each model label counts, so re-runs do not
 * crowd the table; equal values share a rank.
 */
export function leaderboard(summaries: RunSummary[], benchmark: string, metric?: string, options: { onePerModel?: boolean } = {}): LeaderboardRow[] {
  const pickMetric = (s: RunSummary): MetricValue | undefined => (metric ? s.metrics.find((m) => m.name === metric) : s.headline ?? s.metrics[0]);
  let candidates = summaries.filter((s) => s.benchmarkId === benchmark && pickMetric(s) !== undefined && judgedCount(s.counts) > 0);
  if (options.onePerModel ?? true) {
    const newest = new Map<string, RunSummary>();
    // A clean finished run beats one with errors, which beats an unfinished one.
    const rank = (s: RunSummary) => (s.status === 'done' ? 2 : s.status === 'done_with_errors' ? 1 : 0);
    for (const s of candidates) {
      const key = s.label || s.model;
      const held = newest.get(key);
      if (!held || rank(s) > rank(held) || (rank(s) === rank(held) && s.createdAt > held.createdAt)) newest.set(key, s);
    }
    candidates = [...newest.values()];
  }
  const rows = candidates
    .map((s) => {
      const m = pickMetric(s)!;
      return { rank: 0, runId: s.id, model: s.model, label: s.label || s.model, value: m.value, n: m.n, createdAt: s.createdAt, status: s.status, denominator: denominatorText(s.counts) };
    })
    .sort((x, y) => y.value - x.value || x.label.localeCompare(y.label));
  rows.forEach((row, i) => (row.rank = i > 0 && row.value === rows[i - 1].value ? rows[i - 1].rank : i + 1));
  return rows;
}

/** Each other run compared against the baseline (A = baseline, B = the other run). */
export function deltaAgainstBaseline(baseline: RunData, others: RunData[], options: CompareOptions = {}): RunComparison[] {
  return others.map((other) => compareRuns(baseline, other, options));
}
