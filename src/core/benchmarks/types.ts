/**
 * The benchmark interface. A benchmark is split in two halves:
 *  - a `BenchmarkDefinition` (host side: loads items, builds prompts, aggregates metrics), and
 *  - a `BenchmarkScorer` (runs in the scoring worker process: turns one response into an ItemScore).
 * Everything that crosses between them is plain JSON, because it crosses a process boundary.
 */
import type { ChatMessage, PromptMode, SamplingSettings } from '../endpoint/types';

/** One benchmark item. `data` is whatever the scorer needs (IFEval kwargs, HumanEval tests…). */
export interface BenchmarkItem<Data = unknown> {
  /** Stable id within the benchmark (IFEval key, HumanEval task_id, custom line id). */
  id: string;
  data: Data;
}

/** What is sent to the model for one item. */
export interface PromptPayload {
  /** Chat mode: the conversation. */
  messages?: ChatMessage[];
  /** Completions mode: the raw prompt. */
  prompt?: string;
  /** Stop sequences this benchmark needs (merged with the user's). */
  stop?: string[];
}

/** Where a benchmark's data comes from: a user's file, else the bundled copy (or an updated one in the cache). */
export interface DatasetSource {
  /** Explicit file given by the user (CLI --dataset, VS Code setting, or custom:PATH). */
  path?: string;
  /** Cache folder (extension global storage or CLI cache): holds copies `evalbench data update` fetched. */
  cacheDir: string;
}

/** A data file other than the dataset that a run used (IFEval's Punkt parameters): which copy, and its digest. */
export interface PreparedData {
  label: string;
  /** 'bundled' with EvalBench, 'updated' by `data update`, or the 'user''s own path. */
  copy: 'bundled' | 'updated' | 'user';
  origin: string;
  sha256: string;
}

export interface LoadedDataset<Data = unknown> {
  items: BenchmarkItem<Data>[];
  /** Human-readable origin: a file path or URL. */
  origin: string;
  /** sha256 of the dataset bytes, stored with the run. */
  sha256: string;
}

/** One line of a per-item explanation, e.g. "number_words (strict): asked for at least 300 words, found 212". */
export interface ExplanationLine {
  /** What was checked: an instruction id, a test, "extraction"… */
  check: string;
  passed: boolean;
  /** Why, in words a person can act on. */
  detail: string;
  /** For benchmarks with several modes (IFEval strict / loose). */
  mode?: string;
}

/** The scorer's verdict on one response (one sample of one item). JSON only. */
export interface ItemScore {
  /** The headline binary outcome (IFEval: all instructions followed, strict; HumanEval: passed). */
  passed: boolean;
  /** 0..1; equals Number(passed) for binary benchmarks. */
  score: number;
  /**
   * Numeric per-sample contributions that `aggregate` sums or averages, e.g.
   * IFEval {prompt_strict: 1, prompt_loose: 1, inst_strict_passed: 2, inst_loose_passed: 3, inst_total: 3}.
   */
  values: Record<string, number>;
  /** Why it failed, as a short cause to count per run: "truncated", "extraction", "timeout", "empty", … */
  failureCause?: string;
  explanation: ExplanationLine[];
  /** Benchmark-specific detail kept with the score (strict/loose lists, traceback, result string). */
  details?: unknown;
}

/** What the scorer receives for one sample. */
export interface ScoreRequest<Data = unknown> {
  benchmarkId: string;
  item: BenchmarkItem<Data>;
  response: string;
  /** The reply was cut at max_tokens; scorers may mention it in explanations. */
  truncated?: boolean;
  /** Benchmark options chosen for this run (e.g. HumanEval executor, IFEval stripReasoning). */
  options?: Record<string, unknown>;
}

/** What a scorer may tell the worker while it scores. */
export interface ScoreHooks {
  /** The scoring work begins now (after waiting for an executor): the host's timeout counts from here. */
  started(): void;
}

/** Runs in the worker process. Must be safe to call concurrently. */
export interface BenchmarkScorer<Data = unknown> {
  readonly benchmarkId: string;
  score(request: ScoreRequest<Data>, signal?: AbortSignal, hooks?: ScoreHooks): Promise<ItemScore>;
  /** True when the scorer calls `hooks.started()` itself (it queues work, e.g. HumanEval's executor pool). */
  readonly reportsStart?: boolean;
  /** Release processes, interpreters, temp dirs. */
  dispose?(): Promise<void>;
}

export interface MetricValue {
  /** Machine name: "prompt_strict", "pass@1", "accuracy". */
  name: string;
  /** Label for people: "Prompt-level strict accuracy". */
  label: string;
  value: number;
  /** How many units it averages over (prompts, instructions, problems). */
  n: number;
}

/** One scored sample as the aggregator sees it. */
export interface ScoredSample {
  itemId: string;
  sampleIndex: number;
  score: ItemScore;
}

export interface BenchmarkDefinition<Data = unknown> {
  /** "custom", "ifeval", "humaneval". */
  readonly id: string;
  /** Bumped whenever loading, prompting or scoring changes results, so stored runs say which rules scored them. */
  readonly version: string;
  readonly displayName: string;
  /** Sampling defaults this benchmark needs (IFEval max_tokens 1280…); the user's overrides win. */
  readonly defaultSampling: Partial<SamplingSettings>;
  loadDataset(source: DatasetSource, signal?: AbortSignal): Promise<LoadedDataset<Data>>;
  buildPrompt(item: BenchmarkItem<Data>, mode: PromptMode): PromptPayload;
  /**
   * Fetch and check what the scorers will need (IFEval's Punkt parameters), before any model is asked, so a
   * missing file or no network fails the run at once with a clear error. Optional.
   */
  prepare?(context: { cacheDir: string; options: Record<string, unknown> }, signal?: AbortSignal): Promise<PreparedData[] | void>;
  /** Headline metric first. Items with no scored sample are left out (failed items count as failed). */
  aggregate(samples: ScoredSample[], itemCount: number): MetricValue[];
  /**
   * The score of a sample whose reply never came (server error after retries, timeout, empty reply), so
   * aggregates count it as failed with the right denominators (IFEval: its instructions). Optional: the
   * run manager's default is {passed: false, score: 0, values: {}}.
   */
  scoreForFailure?(item: BenchmarkItem<Data>, reason: string, cause: string): ItemScore;
}

/**
 * "Evaluate rows" without calling a model: `evalbench score --benchmark X --responses FILE.jsonl`.
 * Each benchmark says how to read one input row and how to print one scored row.
 */
export interface OfflineScoringAdapter<Data = unknown> {
  readonly benchmarkId: string;
  /** Turn one parsed JSONL row into the item it answers and the response text; throw DatasetError naming the line. */
  /** `options` are scorer options for this row only (HumanEval: whether the text is a raw completion or a chat reply). */
  parseRow(row: unknown, location: string): { itemId: string; response: string; options?: Record<string, unknown> };
  /** The JSON line printed for one scored row with --json. */
  formatRow(item: BenchmarkItem<Data>, response: string, score: ItemScore): Record<string, unknown>;
  /**
   * The JSON line for a row the scorer could not judge: the row's id, `error`, and every verdict field null,
   * so a scoring failure never reads as a verdict. Default: {id, passed: null, error}.
   */
  formatError?(item: BenchmarkItem<Data>, reason: string): Record<string, unknown>;
}
