/**
 * Turns whatever a failed attempt threw (the openai SDK's errors, fetch's TypeErrors with a
 * cause code, our own markers) into one readable reason plus what the retry policy needs.
 */
import { APIError } from 'openai';
import { ResponseTooLarge } from './httpTransport';
import { parseContextOverflow, type ContextOverflow } from './contextOverflow';
import type { FailureKind } from './retryPolicy';
import { isRetryableStatus as isRetryable, parseRetryAfterMs } from './retryPolicy';

/**
 * Thrown by our fetch wrapper for every non-2xx answer, so we keep the server's own text:
 * the SDK keeps only `body.error`, and vLLM puts its message at the top level.
 */
export class HttpStatusFailure extends Error {
  constructor(readonly status: number, readonly text: string, readonly headers: Headers) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusFailure';
  }
}

/** A 200 that is not a completion: not JSON, or no choices. */
export class GarbageAnswer extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'GarbageAnswer';
  }
}

/** Our per-attempt timeout fired (requestTimeoutMs). */
export class AttemptTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttemptTimeout';
  }
}

export interface Failure {
  kind: FailureKind;
  status?: number;
  /** What went wrong, for people: "503 Loading model", "connection refused". */
  reason: string;
  retryAfterMs?: number;
  timedOut?: boolean;
  /** Set when the server said the request does not fit its context. */
  overflow?: ContextOverflow;
}

export function classifyFailure(error: unknown, nowMs: number): Failure {
  const status = findCause(error, HttpStatusFailure);
  if (status) {
    const message = serverText(status.text);
    const failure: Failure = {
      kind: isRetryable(status.status) ? 'retryableStatus' : 'fatalStatus',
      status: status.status,
      reason: `${status.status} ${message || 'with no message'}`,
      retryAfterMs: parseRetryAfterMs(status.headers.get('retry-after'), nowMs, status.headers.get('retry-after-ms')),
    };
    const overflow = parseContextOverflow(status.status, status.text, message);
    if (overflow) failure.overflow = overflow;
    return failure;
  }
  if (error instanceof AttemptTimeout) return { kind: 'connection', reason: error.message, timedOut: true };
  // Asking again would fetch the same oversized reply: the item fails with the reason, once.
  const tooLarge = findCause(error, ResponseTooLarge);
  if (tooLarge) return { kind: 'tooLarge', reason: tooLarge.message };
  const garbage = findCause(error, GarbageAnswer);
  if (garbage) return { kind: 'garbage', reason: garbage.detail };
  if (error instanceof SyntaxError) return { kind: 'garbage', reason: `answered a body that is not JSON (${error.message})` };
  if (error instanceof APIError) {
    if (typeof error.status === 'number') {
      return { kind: isRetryable(error.status) ? 'retryableStatus' : 'fatalStatus', status: error.status, reason: error.message };
    }
    // A stream that carried an error event, or an SSE line that was not JSON.
    if (/parse|JSON/i.test(error.message)) return { kind: 'garbage', reason: `sent a stream event that is not JSON (${error.message})` };
    // An error event inside a 200 stream (context overflow, a crashed slot): retried once, like garbage.
    if (error.constructor.name === 'APIError') {
      const overflow = parseContextOverflow(undefined, '', error.message);
      return { kind: 'garbage', reason: `sent an error in its stream (${error.message})`, ...(overflow ? { overflow } : {}) };
    }
  }
  return { kind: 'connection', reason: connectionReason(error) };
}

/** The message inside an error body: OpenAI `{error:{message}}`, vLLM `{message}`, FastAPI `{detail}`, Ollama `{error:"..."}`, or the text. */
export function serverText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    const json = JSON.parse(trimmed);
    const candidate = json?.error?.message ?? (typeof json?.error === 'string' ? json.error : undefined) ?? json?.message ?? json?.detail;
    if (candidate !== undefined) return clip(typeof candidate === 'string' ? candidate : JSON.stringify(candidate));
  } catch {
    // not JSON: show the text itself
  }
  return clip(trimmed.replace(/\s+/g, ' '));
}

const CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer headers in time',
  UND_ERR_BODY_TIMEOUT: 'answer body stalled',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  CERT_HAS_EXPIRED: 'expired TLS certificate',
};

/** "connection refused" from the nested causes fetch and the SDK wrap around a socket error. */
export function connectionReason(error: unknown): string {
  let current: any = error;
  let innermost = '';
  for (let depth = 0; current && depth < 6; depth++) {
    const code = typeof current.code === 'string' ? current.code : undefined;
    if (code && CODES[code]) return CODES[code];
    if (code) innermost = code;
    if (Array.isArray(current.errors) && current.errors[0]) current = current.errors[0]; // AggregateError (IPv4 + IPv6)
    else {
      if (typeof current.message === 'string' && current.message && !/^(fetch failed|Connection error\.?)$/i.test(current.message)) {
        innermost = current.message;
      }
      current = current.cause;
    }
  }
  if (/terminated|other side closed|socket hang up/i.test(innermost)) return 'connection closed by the server';
  return innermost || 'connection failed';
}

function findCause<T>(error: unknown, type: abstract new (...args: any[]) => T): T | undefined {
  let current: any = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current instanceof type) return current;
    current = current.cause;
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
