/**
 * When to retry a failed model request and how long to wait. Pure functions, so the policy is
 * tested without a clock; ModelClient supplies the clock, the randomness and the sleeping.
 */
import { CancelledError } from '../errors';
import type { RetryPolicy } from './types';

/** Why an attempt failed, as far as retrying is concerned. */
export type FailureKind =
  /** Connection refused/reset, DNS, socket closed mid-answer, our per-attempt timeout. */
  | 'connection'
  /** 408, 429, 5xx (llama.cpp's 503 "Loading model" included). */
  | 'retryableStatus'
  /** Any other 4xx: the request itself is wrong; repeating it cannot help. */
  | 'fatalStatus'
  /** 200 with a body that is not a completion (not JSON, no choices). */
  | 'garbage'
  /** A reply over the size cap: asking again would fetch it again. */
  | 'tooLarge';

/**
 * A garbage 200 is retried once only: a proxy or an overloaded server can glitch once, but a server
 * that keeps answering garbage will keep doing so, and every retry costs a full generation.
 */
export const MAX_GARBAGE_RETRIES = 1;

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): a uniform draw in
 * [0, min(max, base·2^retry)], so many clients that failed together do not retry together.
 * `retry` is 0 for the first retry. `random` is in [0, 1).
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.round(random() * ceiling);
}

/**
 * Retry-After as milliseconds: delta-seconds ("2", "1.5") or an HTTP-date. Undefined when absent
 * or unreadable; never negative. `retry-after-ms` (sent by some gateways) wins when present.
 */
export function parseRetryAfterMs(retryAfter: string | null | undefined, nowMs: number, retryAfterMs?: string | null): number | undefined {
  if (retryAfterMs != null && retryAfterMs.trim() !== '') {
    const ms = Number(retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  }
  if (retryAfter == null || retryAfter.trim() === '') return undefined;
  const value = retryAfter.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before the next attempt: the server's Retry-After when it gave one (capped at
 * maxDelayMs so a server cannot park a run for an hour), else full-jitter back-off.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  return backoffDelayMs(policy, retry, random);
}

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(signal: AbortSignal): CancelledError {
  const reason = signal.reason;
  if (reason instanceof CancelledError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return new CancelledError(`cancelled: ${reason.message}`);
  return new CancelledError();
}
