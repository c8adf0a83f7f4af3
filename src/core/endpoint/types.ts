/** What EvalBench needs to know to talk to one OpenAI-compatible model server. */

export type PromptMode = 'chat' | 'completions';

export interface SamplingSettings {
  temperature: number;
  top_p?: number;
  /** Not in the OpenAI API; vLLM, llama.cpp and LM Studio take it as an extra body field, Ollama only natively. 0 = off. */
  top_k?: number;
  /** Not in the OpenAI API; 0 = off. */
  min_p?: number;
  /** 1 = off (llama.cpp and Ollama call it repeat_penalty). */
  repetition_penalty?: number;
  max_tokens: number;
  seed?: number;
  stop?: string[];
}

/** Defaults that suit evaluation: greedy, reproducible. Benchmarks may override max_tokens. */
export const DEFAULT_SAMPLING: SamplingSettings = { temperature: 0, max_tokens: 1024 };

export interface EndpointConfig {
  /** e.g. http://127.0.0.1:8000/v1 (a missing /v1 is added where the server needs it). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  mode: PromptMode;
  /** Optional display name ("Qwen2.5-7B Q4_K_M"); defaults to the model id. */
  label?: string;
  /** More base URLs serving the same model (replicas); requests spread over these and baseUrl. */
  replicas?: string[];
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One request to a model: either a chat conversation or a raw completion prompt. */
export interface GenerationRequest {
  messages?: ChatMessage[];
  prompt?: string;
  sampling: SamplingSettings;
  /** Stream the reply (needed for time to first token). */
  stream?: boolean;
  /** Ask for the chosen tokens' log-probabilities (drift metrics between two models use them). */
  logprobs?: boolean;
}

/** The reply's tokens and each one's log-probability, in order (when asked and the server gave them). */
export interface TokenLogprobs {
  tokens: string[];
  logprobs: number[];
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'unknown';

export interface GenerationResult {
  text: string;
  finishReason: FinishReason;
  /** True when the reply was cut at max_tokens (finish_reason "length"). */
  truncated: boolean;
  promptTokens?: number;
  completionTokens?: number;
  latencyMs: number;
  /** Time to first token, only when streaming. */
  ttftMs?: number;
  /** How many attempts it took (1 = no retry). */
  attempts: number;
  /** Only when the request asked for logprobs and the server returned them. */
  logprobs?: TokenLogprobs;
  /** The base URL of the replica that answered, when the endpoint has replicas. */
  replica?: string;
  /** What EvalBench changed to get this reply, said on the item ("max_tokens lowered from 1024 to 296 to fit…"). */
  notes?: string[];
  /** The server's own timings (llama.cpp `timings`, Ollama durations): they exclude time queued for a slot. */
  serverTimings?: ServerTimings;
}

export interface ServerTimings {
  promptTokens?: number;
  promptMs?: number;
  generatedTokens?: number;
  generationMs?: number;
}

export interface RetryPolicy {
  maxRetries: number;
  /** First back-off delay; doubled each retry, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ClientOptions {
  /** Per-request timeout (one attempt). */
  requestTimeoutMs: number;
  retry: RetryPolicy;
  /** Largest reply body accepted, in bytes (default 16 MiB); a bigger reply fails its item with the reason. */
  maxResponseBytes?: number;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = {
  requestTimeoutMs: 300_000,
  retry: { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000 },
};

export type ServerKind = 'vllm' | 'llama.cpp' | 'ollama' | 'lmstudio' | 'openai-compatible';

/** What a server said about itself before a run; stored with the run. */
export interface ServerFacts {
  kind: ServerKind;
  baseUrl: string;
  /** Model ids from /v1/models. */
  models: string[];
  /** llama.cpp /props total_slots. */
  totalSlots?: number;
  /**
   * Requests the server works on at once, the default concurrency: llama.cpp total_slots, Ollama 1
   * (OLLAMA_NUM_PARALLEL's default; the API does not say). More would only queue, and queue time
   * would count as generation time.
   */
  parallel?: number;
  /** The context in effect for the run's model, in tokens per request (not the trained maximum). */
  contextLength?: number;
  /** Where contextLength comes from, e.g. "llama.cpp /slots n_ctx", "Ollama /api/ps", "an estimate: …". */
  contextSource?: string;
  /** What the model was trained for (Ollama /api/show, llama.cpp n_ctx_train, LM Studio max_context_length). */
  trainedContextLength?: number;
  /** llama-server in router mode (no -m): one process, models loaded on demand. */
  router?: boolean;
  /** Sampling the server applies to what a request leaves out, where it says (llama.cpp /props, Ollama /api/show). */
  serverDefaults?: Record<string, unknown>;
  /** Filled when a run starts: the sampling sent, in the server's own terms, and what it honours. */
  samplingApplied?: AppliedSampling;
  modelPath?: string;
  quantization?: string;
  parameterSize?: string;
  build?: string;
  /** Raw answers of the probes that replied, trimmed, for the run header and debugging. */
  raw: Record<string, unknown>;
  probedAt: string;
}

/** The sampling a run sends, per server kind (see samplingParams.ts). */
export interface AppliedSampling {
  /** "OpenAI /v1/chat/completions", "Ollama /api/chat options"… */
  api: string;
  /** Every sampling field sent, with its value, in EvalBench's names (temperature, top_p, top_k, min_p, repetition_penalty, seed, max_tokens). */
  sent: Record<string, number>;
  /** Fields the server applies. */
  honoured: string[];
  /** Fields this server kind has no way to take; they take the server's own value. */
  notHonoured: string[];
}

/** The model-calling seam the run manager depends on; ModelClient implements it with `openai`. */
export interface Generator {
  generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult>;
}
