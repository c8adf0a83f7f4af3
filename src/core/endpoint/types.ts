/** What EvalBench needs to know to talk to one OpenAI-compatible model server. */

export type PromptMode = 'chat' | 'completions';

export interface SamplingSettings {
  temperature: number;
  top_p?: number;
  /** Not in the OpenAI API; vLLM, llama.cpp, Ollama and LM Studio accept it as an extra body field. */
  top_k?: number;
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
  /** llama.cpp /props: total_slots; used as the default concurrency. */
  totalSlots?: number;
  contextLength?: number;
  modelPath?: string;
  quantization?: string;
  parameterSize?: string;
  build?: string;
  /** Raw answers of the probes that replied, trimmed, for the run header and debugging. */
  raw: Record<string, unknown>;
  probedAt: string;
}

/** The model-calling seam the run manager depends on; ModelClient implements it with `openai`. */
export interface Generator {
  generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult>;
}
