/**
 * The messages between the extension host and the run / comparison webviews. Imported by both ends
 * (webview-ui imports it by relative path), so it must never import `vscode` or Node modules.
 *
 * Both ends speak through one MessageChannel (./messageChannel.ts), as the host and the scoring worker do.
 * Flow: the webview notifies `ready`; the host answers with a snapshot notification (everything the view
 * shows), then streams small `runUpdate`s (coalesced to a few per second). Requests that need an answer
 * (`itemDetail`) carry an id and a timeout; the reply carries the same id and either a result or an error.
 */

import type { ChartSpec, TradeoffChart } from '../core/charts/types';
import type { OutcomeCounts, RunStatus, SampleOutcome } from '../core/outcome';
import type { NotificationOf } from './messageChannel';

/** One row of the items table: small, so thousands fit in one message. */
export interface ItemRow {
  /** `${itemId}#${sampleIndex}`, unique within a run. */
  key: string;
  itemId: string;
  sampleIndex: number;
  index: number;
  /** The one vocabulary (core/outcome.ts): passed, wrong, request_failed, scoring_error, pending. */
  outcome: SampleOutcome;
  score?: number;
  /** The finer cause under the outcome: "http_error", "timeout", "truncated", "extraction"… */
  failureCause?: string;
  /** Checks that failed (IFEval instruction ids, test names) for the filter and the table. */
  failedChecks: string[];
  /** All checks (for the "by instruction type" filter). */
  checks: string[];
  /** The first ~120 characters of the prompt, for search and the table. */
  promptPreview: string;
  latencyMs?: number;
}

export interface MetricView {
  name: string;
  label: string;
  value: number;
  n: number;
}

export interface ProgressView {
  status: RunStatus;
  total: number;
  /** Samples per outcome; metrics are over passed + wrong (the judged ones). */
  counts: OutcomeCounts;
  inFlight: number;
  itemsPerSecond: number;
  etaSeconds?: number;
  metrics: MetricView[];
}

export interface RunHeaderView {
  runId: string;
  benchmark: string;
  model: string;
  baseUrl: string;
  createdAt: string;
  /** "llama.cpp b4567", "ctx 8192", "Q4_K_M"… */
  serverFacts: string[];
  /** "temperature 0", "max_tokens 1280"… */
  sampling: string[];
  samplesPerItem: number;
  error?: string;
  /** The model file behind the run (managed servers): "Q4_K_M, 4.1 GB". */
  modelFile?: string;
  /** Where generated code ran and which limits were not applied (HumanEval runs). */
  sandbox?: string[];
}

export interface RunSnapshot {
  header: RunHeaderView;
  progress: ProgressView;
  rows: ItemRow[];
}

export interface ExplanationView {
  check: string;
  passed: boolean;
  detail: string;
  mode?: string;
}

export interface ItemDetail {
  key: string;
  itemId: string;
  sampleIndex: number;
  prompt: string;
  response?: string;
  error?: string;
  outcome: SampleOutcome;
  failureCause?: string;
  finishReason?: string;
  truncated?: boolean;
  latencyMs?: number;
  completionTokens?: number;
  explanation: ExplanationView[];
}

export interface CompareMetricRow {
  name: string;
  label: string;
  a?: number;
  b?: number;
  delta?: number;
  /** A sentence on significance, e.g. "p = 0.03 (McNemar): unlikely to be chance". */
  significance?: string;
}

export interface CompareItemRow {
  itemId: string;
  /** "fixed" (wrong in A, passed in B), "broken" (the reverse), "same-pass", "same-wrong", "only-a", "only-b". Judged samples only: a request failure or scoring error is neither. */
  change: 'fixed' | 'broken' | 'same-pass' | 'same-wrong' | 'only-a' | 'only-b';
  aPassed?: boolean;
  bPassed?: boolean;
  promptPreview: string;
}

export interface CompareSnapshot {
  a: RunHeaderView;
  b: RunHeaderView;
  metrics: CompareMetricRow[];
  /** Flipped items first. */
  items: CompareItemRow[];
  summary: string[];
  /** What src/core/compare found; absent when the statistics could not be computed. */
  stats?: CompareStatsView;
  /** The pairwise LLM-judge report of these two runs (`evalbench pairwise`), when one was made. */
  pairwise?: PairwiseView;
  /** Drift of B's replies from A's (identical share, edit distance, |Δ logprob|), one line each. */
  drift?: string[];
  /** The items whose replies diverge earliest, with the character where they do (a click opens the diff). */
  driftEarliest?: { itemId: string; at: number }[];
  /** Charts of the comparison (src/core/charts): deltas with intervals, flips, latency. */
  charts?: ChartSpec[];
}

/** Win/tie/loss from B's side over swap-consistent verdicts; win rate on a 0..1 scale. */
export interface PairwiseView {
  judgeModel: string;
  win: number;
  tie: number;
  loss: number;
  inconsistent: number;
  noVerdict: number;
  judged: number;
  winRate?: { estimate: number; lo: number; hi: number; n: number };
}

/** One metric of a paired comparison, numbers on a 0..1 scale. */
export interface CompareStatMetric {
  label: string;
  a: number;
  b: number;
  delta: number;
  ciLo: number;
  ciHi: number;
  pValue: number;
  test: string;
  significant: boolean;
  sentence: string;
  n: number;
}

export interface SpeedView {
  latencyP50?: number;
  latencyP90?: number;
  latencyP99?: number;
  tokensPerSecond?: number;
  throughputTokensPerSecond?: number;
  wallTimeMs?: number;
  samples: number;
}

export interface CompareStatsView {
  /** Comparability warnings, in words, shown next to the result. */
  warnings: string[];
  /** "541 paired prompts (3 only in A)". */
  itemsLine: string;
  confidence: number;
  metrics: CompareStatMetric[];
  /** IFEval: per instruction type, strict followed share in A and B. */
  instructions?: { instruction: string; total: number; a: number; b: number; delta: number; pValue: number }[];
  /** Causes of every sample that did not pass, under their outcome (core/outcome.ts). */
  failureCauses: { outcome: string; cause: string; a: number; b: number; delta: number }[];
  speed: { a: SpeedView; b: SpeedView };
}

/** An item's outcome in one run of the matrix: a sample outcome, or `absent` when the run has no such item. */
export type MatrixOutcome = SampleOutcome | 'absent';

/** Several runs at once: metrics × runs, then items × runs pass/fail. */
export interface MatrixSnapshot {
  columns: { runId: string; label: string; detail: string }[];
  metrics: { label: string; cells: ({ value: number; lo: number; hi: number; n: number } | null)[]; best: number[] }[];
  /**
   * The first items (in item order), each with its outcome in every run: passed or wrong (the verdict over its
   * judged samples), else why it has none (request failed, scoring error, pending), or absent from that run.
   */
  items: { itemId: string; outcomes: MatrixOutcome[]; disagree: boolean }[];
  totalItems: number;
  disagreeing: number;
  warnings: string[];
  /** The quality–speed chart, one per benchmark. */
  charts?: TradeoffChart[];
}

export interface LeaderboardTable {
  benchmarkId: string;
  metric: string;
  metricLabel: string;
  /** The newest finished run of each model. */
  rows: LeaderboardRowView[];
  /** Every run, for the "every run" switch. */
  allRows: LeaderboardRowView[];
}

export interface LeaderboardRowView {
  rank: number;
  runId: string;
  label: string;
  value: number;
  n: number;
  /** What the value is over, in samples, with what was left out: "of 26 judged (4 request failures)". */
  denominator: string;
  createdAt: string;
  status: RunStatus;
}

export interface LeaderboardSnapshot {
  tables: LeaderboardTable[];
}

// ---- the channel (src/shared/messageChannel.ts): requests with ids and replies, and notifications ----------

/** What the webview may ask the panel's host: method → [params, result]. A failed request replies with an error. */
export type PanelMethods = {
  itemDetail: [{ key: string }, ItemDetail];
};

/** The host asks the webview nothing. */
export type WebviewMethods = Record<string, never>;

/** Buttons of the run panel that run an EvalBench command on the panel's run. */
export const RUN_COMMANDS = ['resumeRun', 'rerunFailed', 'reaskWrong', 'exportRun', 'revealRunFile', 'cancelRun'] as const;
export type RunCommand = (typeof RUN_COMMANDS)[number];

/** The host runs `evalbench.<command>` for a run panel's button: only these, whatever a message says. */
export function isRunCommand(command: unknown): command is RunCommand {
  return typeof command === 'string' && (RUN_COMMANDS as readonly string[]).includes(command);
}

/** Webview → host notifications: method → params. */
export type PanelNotifications = {
  /** The page has loaded: the host answers with the panel's snapshot. */
  ready: Record<string, never>;
  openInEditor: { key: string; part: 'response' | 'prompt' };
  openDiff: { itemId: string };
  openRun: { runId: string };
  /** Compare panel: show the same two runs the other way round (B becomes A). */
  swapSides: Record<string, never>;
  command: { command: RunCommand };
};

/** Host → webview notifications: method → params. */
export type WebviewNotifications = {
  runSnapshot: { snapshot: RunSnapshot };
  compareSnapshot: { snapshot: CompareSnapshot };
  matrixSnapshot: { snapshot: MatrixSnapshot };
  leaderboardSnapshot: { snapshot: LeaderboardSnapshot };
  /** Rows added or changed since the last update, and the latest progress. */
  runUpdate: RunUpdate;
  error: { message: string };
};

export interface RunUpdate {
  progress: ProgressView;
  rows: ItemRow[];
}

/** One host → webview notification as it travels, told apart by `method`. */
export type ToWebview = NotificationOf<WebviewNotifications>;
/** One webview → host notification as it travels. */
export type FromWebview = NotificationOf<PanelNotifications>;

/** What the webview keeps in `setState` (UI trivia only: the host and the run file are the truth). */
export interface WebviewState {
  kind: 'run' | 'compare' | 'matrix' | 'leaderboard';
  runId?: string;
  /** compare: [A, B]; matrix: every column's run. */
  runIds?: string[];
  /** leaderboard: the table shown. */
  benchmark?: string;
  metric?: string;
  disagreeOnly?: boolean;
  allRuns?: boolean;
  filter?: string;
  search?: string;
  selectedKey?: string;
  /** run: the last header shown, so a panel restored after a reload paints at once, before the run file is read. */
  header?: { runId: string; model: string; benchmark: string; line: string };
}
