/** What a run file holds. One sql.js file per run: `<runsDir>/<runId>.sqlite`. */
import type { EndpointConfig, SamplingSettings, ServerFacts, ServerTimings, TokenLogprobs } from '../endpoint/types';
import type { ItemScore, MetricValue, PreparedData, PromptPayload } from '../benchmarks/types';
import type { OutcomeCounts, RunStatus } from '../outcome';
import type { ModelFileFacts } from '../modelFile/types';
import type { ServerProfile } from '../servers/types';

export type { RunStatus } from '../outcome';

/** Everything needed to (re)start a run; never contains an API key. */
export interface RunConfig {
  benchmarkId: string;
  benchmarkVersion: string;
  /** The dataset file ("bundled copy …", "updated copy …" or the user's path), and its sha256. */
  datasetOrigin: string;
  datasetSha256: string;
  /** Other data files the run used (IFEval's Punkt parameters): which copy, and digest. */
  preparedData?: PreparedData[];
  endpoint: Omit<EndpointConfig, 'apiKey'>;
  sampling: SamplingSettings;
  samplesPerItem: number;
  concurrency: number;
  /** Per-item wall-clock cap (all attempts). */
  itemTimeoutMs: number;
  limit?: number;
  /** Benchmark options (HumanEval executor, IFEval stripReasoning…). */
  benchmarkOptions?: Record<string, unknown>;
  /** Runs launched together (a model matrix) share this id. */
  matrixId?: string;
  /** Ask the server for the chosen tokens' log-probabilities and store them (drift metrics). */
  logprobs?: boolean;
  /** Facts from the model file the server loaded, when EvalBench started the server on a local file. */
  modelFile?: ModelFileFacts;
  /** The profile EvalBench started the server with (compare-models): resume starts it again. */
  server?: ServerProfile;
}

export interface RunRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  config: RunConfig;
  serverFacts?: ServerFacts;
  metrics: MetricValue[];
  /** Why the run as a whole stopped early (not per-item failures). */
  error?: string;
}

/** Small, cheap to read: what the runs tree and `evalbench list` show without opening the database. */
export interface RunSummary {
  id: string;
  file: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  benchmarkId: string;
  benchmarkVersion: string;
  model: string;
  label?: string;
  baseUrl: string;
  /** The headline metric, when there is one yet. */
  headline?: MetricValue;
  metrics: MetricValue[];
  /** Samples per outcome (outcome.ts); total = items × samples per item. */
  counts: OutcomeCounts;
  matrixId?: string;
}

export type SampleStatus = 'done' | 'failed';

/** One response (one sample of one item) and its score. */
export interface SampleRecord {
  itemId: string;
  sampleIndex: number;
  status: SampleStatus;
  response?: string;
  finishReason?: string;
  truncated?: boolean;
  promptTokens?: number;
  completionTokens?: number;
  latencyMs?: number;
  ttftMs?: number;
  attempts?: number;
  /** Why the sample failed (server error after retries, timeout, empty reply…). */
  error?: string;
  /** The reply's tokens and their log-probabilities, when the run asked for them (RunConfig.logprobs). */
  logprobs?: TokenLogprobs;
  /** The replica (base URL) that answered, when the endpoint has several. */
  replica?: string;
  /** What EvalBench changed to get this reply (e.g. max_tokens lowered to fit the context). */
  notes?: string[];
  /** The server's own timings for this reply, when it gives them (queue time excluded). */
  serverTimings?: ServerTimings;
  startedAt: string;
  finishedAt: string;
  /** Absent while not yet scored. */
  score?: ItemScore;
}

export interface StoredItem {
  id: string;
  index: number;
  prompt: PromptPayload;
  /** The benchmark item's data, as the scorer needs it. */
  data: unknown;
}
