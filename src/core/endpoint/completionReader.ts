/**
 * Reads a completion server's answer into a GenerationResult: a whole JSON answer or an SSE stream, in
 * either shape servers send (chat or legacy completions), with log-probabilities, usage and llama.cpp's
 * timings. An answer that is not a completion (no choices) is a GarbageAnswer.
 */
import { GarbageAnswer } from './failure';
import type { FinishReason, GenerationResult, ServerTimings, TokenLogprobs } from './types';

/**
 * The body of a whole (non-streamed) answer, decoded as the openai SDK's own parser does: JSON when the
 * content type says so, else the text (which then fails as a garbage answer, with a preview).
 * ModelClient reads the SDK's raw Response (`asResponse()`) and calls this: the SDK's parser also tags
 * every answer with a `_request_id` property, a redefinition that cost more than the JSON parse.
 */
export async function readAnswer(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
  if (mediaType?.includes('application/json') || mediaType?.endsWith('+json')) {
    if (response.headers.get('content-length') === '0') return undefined;
    return response.json();
  }
  return response.text();
}

export function fromCompletion(answer: unknown, started: number): Omit<GenerationResult, 'attempts'> {
  const latencyMs = performance.now() - started;
  const choice = firstChoice(answer);
  const text = typeof choice.message?.content === 'string' ? choice.message.content : typeof choice.text === 'string' ? choice.text : '';
  const usage = (answer as any).usage;
  const logprobs = new LogprobCollector();
  logprobs.add(choice.logprobs);
  return { ...finish(text, choice.finish_reason, usage, latencyMs), ...logprobs.result(), ...timingsFrom((answer as any).timings) };
}

/**
 * Gathers chosen-token log-probabilities from either shape servers send: chat's `logprobs.content[]`
 * ({token, logprob}) or legacy completions' parallel `tokens[]` / `token_logprobs[]`. Streams send them per chunk.
 */
class LogprobCollector {
  private readonly tokens: string[] = [];
  private readonly logprobs: number[] = [];

  add(block: any): void {
    if (!block || typeof block !== 'object') return;
    if (Array.isArray(block.content)) {
      for (const entry of block.content) {
        if (typeof entry?.token === 'string' && typeof entry.logprob === 'number') {
          this.tokens.push(entry.token);
          this.logprobs.push(entry.logprob);
        }
      }
    } else if (Array.isArray(block.tokens) && Array.isArray(block.token_logprobs)) {
      block.tokens.forEach((token: unknown, i: number) => {
        const logprob = block.token_logprobs[i];
        if (typeof token === 'string' && typeof logprob === 'number') {
          this.tokens.push(token);
          this.logprobs.push(logprob);
        }
      });
    }
  }

  result(): { logprobs?: TokenLogprobs } {
    return this.tokens.length > 0 ? { logprobs: { tokens: this.tokens, logprobs: this.logprobs } } : {};
  }
}

function firstChoice(answer: unknown): any {
  if (answer === null || typeof answer !== 'object') {
    throw new GarbageAnswer(`answered without choices (body: ${preview(answer)})`);
  }
  const choices = (answer as any).choices;
  if (!Array.isArray(choices) || choices.length === 0 || typeof choices[0] !== 'object' || choices[0] === null) {
    throw new GarbageAnswer(`answered without choices (body: ${preview(answer)})`);
  }
  return choices[0];
}

export async function readStream(stream: AsyncIterable<any>, started: number): Promise<Omit<GenerationResult, 'attempts'>> {
  let text = '';
  let ttftMs: number | undefined;
  let finishReason: unknown;
  let usage: any;
  let timings: any;
  let sawChoice = false;
  const logprobs = new LogprobCollector();
  for await (const chunk of stream) {
    if (chunk?.usage) usage = chunk.usage;
    if (chunk?.timings) timings = chunk.timings;
    const choice = Array.isArray(chunk?.choices) ? chunk.choices[0] : undefined;
    if (!choice) continue;
    sawChoice = true;
    const piece = typeof choice.delta?.content === 'string' ? choice.delta.content : typeof choice.text === 'string' ? choice.text : '';
    if (piece !== '') {
      if (ttftMs === undefined) ttftMs = performance.now() - started;
      text += piece;
    }
    logprobs.add(choice.logprobs);
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  if (!sawChoice) throw new GarbageAnswer('answered without choices (the stream carried none)');
  return { ...finish(text, finishReason, usage, performance.now() - started), ttftMs, ...logprobs.result(), ...timingsFrom(timings) };
}

function finish(text: string, reason: unknown, usage: any, latencyMs: number): Omit<GenerationResult, 'attempts'> {
  const finishReason = toFinishReason(reason);
  return {
    text,
    finishReason,
    truncated: finishReason === 'length',
    promptTokens: typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : undefined,
    completionTokens: typeof usage?.completion_tokens === 'number' ? usage.completion_tokens : undefined,
    latencyMs,
  };
}

function toFinishReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'stop':
    case 'eos': // some llama.cpp builds
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    default:
      return 'unknown';
  }
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** llama.cpp's `timings` (server-task.cpp): measured in the slot, so queue time is not in them. */
function timingsFrom(timings: any): { serverTimings?: ServerTimings } {
  if (!timings || typeof timings !== 'object') return {};
  const pick = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const serverTimings: ServerTimings = {
    promptTokens: pick(timings.prompt_n),
    promptMs: pick(timings.prompt_ms),
    generatedTokens: pick(timings.predicted_n),
    generationMs: pick(timings.predicted_ms),
  };
  return serverTimings.generatedTokens !== undefined || serverTimings.promptTokens !== undefined ? { serverTimings } : {};
}
