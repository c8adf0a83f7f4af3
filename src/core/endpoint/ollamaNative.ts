/**
 * One exchange with Ollama's native API: /api/chat (chat mode) or /api/generate with raw: true
 * (completions mode). Native because Ollama's /v1 drops top_k, min_p, repeat_penalty and num_ctx
 * (openai/openai.go), and because its answer carries the prompt_eval_count that shows a silently
 * cut prompt. Replies are NDJSON lines when streamed, one JSON object otherwise; durations are in
 * nanoseconds (api/types.go).
 */
import { ContextOverflowError, describeOverflow, ollamaTruncation } from './contextOverflow';
import { GarbageAnswer } from './failure';
import type { FinishReason, GenerationRequest, GenerationResult, PromptMode } from './types';

export interface OllamaExchange {
  root: string;
  apiBase: string;
  model: string;
  mode: PromptMode;
  /** The sampling in Ollama's option names (samplingParams.ts). */
  options: Record<string, number>;
  /** The context in effect; sent as num_ctx so it is true, and used to spot a cut prompt. */
  numCtx?: number;
  extraBody?: Record<string, unknown>;
}

export async function ollamaExchange(
  exchange: OllamaExchange,
  request: GenerationRequest,
  fetchImpl: typeof fetch,
  signal: AbortSignal,
): Promise<Omit<GenerationResult, 'attempts'>> {
  const started = performance.now();
  const chat = exchange.mode === 'chat';
  const options: Record<string, unknown> = { ...exchange.options };
  if (exchange.numCtx !== undefined && options.num_ctx === undefined) options.num_ctx = exchange.numCtx;
  if (request.sampling.stop && request.sampling.stop.length > 0) options.stop = request.sampling.stop;
  const body: Record<string, unknown> = { model: exchange.model, stream: request.stream === true, options, ...exchange.extraBody };
  // api/types.go (v0.12.11+): `logprobs` on the request; each answer object carries its tokens' [{token, logprob}].
  if (request.logprobs) body.logprobs = true;
  if (chat) {
    body.messages = request.messages ?? (request.prompt !== undefined ? [{ role: 'user', content: request.prompt }] : undefined);
  } else {
    body.prompt = request.prompt;
    body.raw = true; // the prompt is already formatted: no chat template
  }
  const response = await fetchImpl(`${exchange.root}/api/${chat ? 'chat' : 'generate'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  const lines = request.stream ? await readLines(response, started) : { objects: [parse(await response.text())], ttftMs: undefined };
  let text = '';
  let final: any;
  const tokens: string[] = [];
  const logprobs: number[] = [];
  for (const object of lines.objects) {
    if (typeof object?.error === 'string') throw new GarbageAnswer(`sent an error in its stream (${object.error})`);
    text += chat ? String(object?.message?.content ?? '') : String(object?.response ?? '');
    for (const entry of Array.isArray(object?.logprobs) ? object.logprobs : []) {
      if (typeof entry?.token === 'string' && typeof entry?.logprob === 'number') (tokens.push(entry.token), logprobs.push(entry.logprob));
    }
    if (object?.done) final = object;
  }
  if (!final) throw new GarbageAnswer('answered without a final "done" object');
  const promptTokens = numberOr(final.prompt_eval_count);
  const overflow = ollamaTruncation(promptTokens, exchange.numCtx);
  if (overflow) throw new ContextOverflowError(describeOverflow(overflow), overflow, exchange.apiBase);
  const finishReason: FinishReason = final.done_reason === 'length' ? 'length' : final.done_reason === 'stop' ? 'stop' : 'unknown';
  const evalMs = nsToMs(final.eval_duration);
  const promptMs = nsToMs(final.prompt_eval_duration);
  return {
    text,
    finishReason,
    truncated: finishReason === 'length',
    promptTokens,
    completionTokens: numberOr(final.eval_count),
    latencyMs: performance.now() - started,
    ...(lines.ttftMs !== undefined ? { ttftMs: lines.ttftMs } : {}),
    serverTimings: { promptTokens, promptMs, generatedTokens: numberOr(final.eval_count), generationMs: evalMs },
    ...(tokens.length > 0 ? { logprobs: { tokens, logprobs } } : {}),
  };
}

async function readLines(response: Response, started: number): Promise<{ objects: any[]; ttftMs?: number }> {
  const objects: any[] = [];
  let ttftMs: number | undefined;
  let pending = '';
  const decoder = new TextDecoder();
  const take = (line: string) => {
    if (line.trim() === '') return;
    const object = parse(line);
    const piece = object?.message?.content ?? object?.response;
    if (ttftMs === undefined && typeof piece === 'string' && piece !== '') ttftMs = performance.now() - started;
    objects.push(object);
  };
  if (!response.body) {
    for (const line of (await response.text()).split('\n')) take(line);
    return { objects, ttftMs };
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      take(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
  }
  take(pending + decoder.decode());
  return { objects, ttftMs };
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    throw new GarbageAnswer(`answered a body that is not JSON (${text.slice(0, 80)})`);
  }
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function nsToMs(value: unknown): number | undefined {
  const ns = numberOr(value);
  return ns === undefined ? undefined : ns / 1e6;
}
