/**
 * Chart specifications: plain data (no DOM, no library objects) built by pure functions from runs and
 * comparisons, drawn by webview-ui/src/charts/ with Observable Plot in the panels and in the HTML
 * report. Every chart carries its text alternative: the table it draws.
 */

/** The numbers a chart draws, as a table (shown under the chart and read by screen readers). */
export interface AltTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** One bar of a delta chart: B − A in points (0–100 scale), with its interval when there is one. */
export interface DeltaBar {
  label: string;
  delta: number;
  lo?: number;
  hi?: number;
  n: number;
}

/** Horizontal B − A bars sorted by effect (most worsened first), a zero rule, CI whiskers. */
export interface DeltaBarsChart {
  kind: 'deltaBars';
  id: string;
  title: string;
  /** "points" (share differences ×100), "samples" (count differences), or "percent" (plain values with CIs, not deltas). */
  unit: 'points' | 'samples' | 'percent';
  bars: DeltaBar[];
  alt: AltTable;
}

/** Empirical cumulative distributions of one measure in each run (latency). */
export interface EcdfChart {
  kind: 'ecdf';
  id: string;
  title: string;
  xLabel: string;
  series: { name: string; values: number[] }[];
  alt: AltTable;
}

/** The two-by-two of item outcomes: A pass/fail × B pass/fail. */
export interface FlipsChart {
  kind: 'flips';
  id: string;
  title: string;
  cells: { a: 'pass' | 'wrong'; b: 'pass' | 'wrong'; count: number; label: string }[];
  alt: AltTable;
}

/** One run in the quality–speed chart. */
export interface TradeoffPoint {
  runId: string;
  label: string;
  /** Headline metric and its interval, 0–100 scale. */
  value: number;
  lo: number;
  hi: number;
  n: number;
  speed: number;
  quantization?: string;
  sizeBytes?: number;
  onFront: boolean;
}

/** Headline metric (with CI error bars) against speed, one point per run, Pareto front drawn. */
export interface TradeoffChart {
  kind: 'tradeoff';
  id: string;
  title: string;
  benchmarkId: string;
  metricLabel: string;
  xLabel: string;
  points: TradeoffPoint[];
  /** Runs left out of the chart, with why (no timings, no headline). */
  missing: { runId: string; label: string; reason: string }[];
  alt: AltTable;
}

export type ChartSpec = DeltaBarsChart | EcdfChart | FlipsChart | TradeoffChart;
