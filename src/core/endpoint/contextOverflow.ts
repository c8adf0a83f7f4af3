/**
 * Context overflow: a prompt (plus the tokens asked for) that does not fit the context the server
 * gives a request. Its own cause, with the server's token counts, because it is neither a wrong
 * answer nor a flaky server: the item cannot be answered at this context size.
 *
 * What each server says (read from their sources):
 * - llama.cpp (tools/server): 400 {"error":{"type":"exceed_context_size_error",
 *   "n_prompt_tokens":N,"n_ctx":M,…}} when the prompt alone does not fit a slot;
 * - vLLM (entrypoints/openai serving_engine.py): 400 "'max_tokens' or 'max_completion_tokens' is
 *   too large: X. This model's maximum context length is M tokens and your request has N input
 *   tokens (X > M - N)." — the prompt fits, the completion budget does not; older releases said
 *   "However, you requested T tokens (N in the messages, X in the completion)"; a prompt that alone
 *   is too long: "…However, your request has N input tokens" or "The decoder prompt (length N) is
 *   longer than the maximum model length of M";
 * - Ollama (runner): nothing — it keeps num_keep tokens and the tail, answers 200, and reports
 *   prompt_eval_count = num_ctx (see ollamaTruncation below);
 * - LM Studio and others: a 400 whose message speaks of the context length.
 */
import { EndpointError } from '../errors';

export interface ContextOverflow {
  promptTokens?: number;
  contextLength?: number;
  /** The max_tokens the request asked for, when the server says the completion is what does not fit. */
  maxTokens?: number;
  /** The server's words. */
  message: string;
}

/** A request failed because it does not fit the context. Its message starts with "context overflow". */
export class ContextOverflowError extends EndpointError {
  readonly failureCause = 'context_overflow';
  constructor(message: string, readonly overflow: ContextOverflow, url: string) {
    super(message, { url, status: 400, retryable: false });
  }
}

/** The overflow a 400 (or a stream's error event) describes, or undefined when it is about something else. */
export function parseContextOverflow(status: number | undefined, text: string, message: string): ContextOverflow | undefined {
  if (status !== undefined && status !== 400 && status !== 413) return undefined;
  const error = errorObject(text);
  if (error?.type === 'exceed_context_size_error') {
    return { promptTokens: num(error.n_prompt_tokens), contextLength: num(error.n_ctx), message };
  }
  let m = /is too large: (\d+)\. This model's maximum context length is (\d+) tokens and your request has (\d+) input tokens/i.exec(message);
  if (m) return { maxTokens: Number(m[1]), contextLength: Number(m[2]), promptTokens: Number(m[3]), message };
  m = /maximum context length is (\d+) tokens\. However, you requested \d+ tokens \((\d+) in the messages, (\d+) in the completion\)/i.exec(message);
  if (m) return { contextLength: Number(m[1]), promptTokens: Number(m[2]), maxTokens: Number(m[3]), message };
  m = /maximum context length is (\d+) tokens\. However, your request has (\d+) input tokens/i.exec(message);
  if (m) return { contextLength: Number(m[1]), promptTokens: Number(m[2]), message };
  m = /prompt \(length (\d+)\) is longer than the maximum model length of (\d+)/i.exec(message);
  if (m) return { promptTokens: Number(m[1]), contextLength: Number(m[2]), message };
  if (/context (length|size|window)|n_ctx|max_model_len/i.test(message) && /exceed|greater|longer|too (long|large|many)|overflow/i.test(message)) return { message };
  return undefined;
}

/** The max_tokens that fits, when the server said the prompt fits and the completion budget does not. */
export function fittingMaxTokens(overflow: ContextOverflow): number | undefined {
  const { promptTokens, contextLength, maxTokens } = overflow;
  if (promptTokens === undefined || contextLength === undefined || maxTokens === undefined) return undefined;
  const room = contextLength - promptTokens;
  return room > 0 && room < maxTokens ? room : undefined;
}

/**
 * Ollama cuts a prompt longer than num_ctx to exactly num_ctx tokens (runner: keep num_keep, drop
 * from the middle) and says so only in its log. A prompt_tokens at num_ctx, or within a few
 * tokens of it (room for no answer at all), is that cut.
 */
export const OLLAMA_TRUNCATION_MARGIN = 4;

export function ollamaTruncation(promptTokens: number | undefined, numCtx: number | undefined): ContextOverflow | undefined {
  if (promptTokens === undefined || numCtx === undefined || numCtx <= 0) return undefined;
  if (promptTokens < numCtx - OLLAMA_TRUNCATION_MARGIN) return undefined;
  return {
    promptTokens,
    contextLength: numCtx,
    message: `Ollama reported ${promptTokens} prompt tokens for a context of ${numCtx}: it cut the prompt to fit (it does so silently)`,
  };
}

export function describeOverflow(overflow: ContextOverflow): string {
  const counts = overflow.promptTokens !== undefined && overflow.contextLength !== undefined
    ? `the prompt is ${overflow.promptTokens} tokens, the context ${overflow.contextLength}`
    : overflow.contextLength !== undefined
      ? `the context is ${overflow.contextLength} tokens`
      : '';
  return `context overflow: ${counts ? `${counts} (${overflow.message})` : overflow.message}`;
}

function errorObject(text: string): any {
  try {
    const json = JSON.parse(text);
    return json?.error && typeof json.error === 'object' ? json.error : json;
  } catch {
    return undefined;
  }
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
