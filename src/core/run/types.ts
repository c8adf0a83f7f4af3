/** The run manager's public shapes: what the CLI and the VS Code surface drive and observe. */
import type { EndpointConfig, SamplingSettings } from '../endpoint/types';
import type { MetricValue } from '../benchmarks/types';
import type { OutcomeCounts } from '../outcome';
import type { ModelFileFacts } from '../modelFile/types';
import type { ServerProfile } from '../servers/types';
import type { RunRecord, RunStatus, SampleRecord } from '../storage/types';

export interface BenchmarkSelection {
  /** "custom" | "ifeval" | "humaneval". */
  id: string;
  /** A local dataset file (custom: required). */
  datasetPath?: string;
  /** Benchmark options: HumanEval {executor, pythonPath, timeoutMs}, IFEval {stripReasoning, punktDir}… */
  options?: Record<string, unknown>;
}

export interface RunRequest {
  benchmark: BenchmarkSelection;
  /** One run file is written per endpoint (a model matrix shares a matrixId). */
  endpoints: EndpointConfig[];
  sampling?: Partial<SamplingSettings>;
  samplesPerItem?: number;
  /** Only the first N items. */
  limit?: number;
  /** Only these items (Re-ask Wrong Answers); applied before `limit`. */
  itemIds?: string[];
  /** Requests in flight per endpoint; default: the server's slot count, else 4. */
  concurrency?: number;
  /** Wall-clock cap per sample, all retries included. */
  itemTimeoutMs?: number;
  /** Ask for and store the chosen tokens' log-probabilities (drift metrics between models). */
  logprobs?: boolean;
  /** Join an existing model matrix (compare-models runs one model at a time under one id). */
  matrixId?: string;
  /** The model file the endpoint serves (a managed server's GGUF), stored with the run. */
  modelFile?: ModelFileFacts;
  /** How EvalBench started the server (stored, so a resume can start it again). */
  server?: ServerProfile;
}

export interface RunProgress {
  runId: string;
  status: RunStatus;
  /** Samples in the run (items × samples per item). */
  total: number;
  /** Samples per outcome so far (outcome.ts); in-flight samples are still pending. */
  counts: OutcomeCounts;
  inFlight: number;
  /** Finished samples per second over the recent window. */
  itemsPerSecond: number;
  /** Seconds left at the current rate; undefined until known. */
  etaSeconds?: number;
  /** Running metrics over what is scored so far (headline first). */
  metrics: MetricValue[];
  startedAt: string;
}

export interface Listener<T> {
  (value: T): void;
}

export interface Unsubscribe {
  dispose(): void;
}

/** A run in progress. Dispose-like: `cancel()` stops requests at once and leaves finished samples on disk. */
export interface RunHandle {
  readonly runId: string;
  readonly file: string;
  /** Snapshots a few times a second, and a last one when the run ends. */
  onProgress(listener: Listener<RunProgress>): Unsubscribe;
  /** Every finished (scored or failed) sample. */
  onSample(listener: Listener<SampleRecord>): Unsubscribe;
  progress(): RunProgress;
  /** Resolves when the run ends, whatever the status (done, failed, cancelled). Never rejects for item failures. */
  readonly done: Promise<RunRecord>;
  cancel(): void;
}
