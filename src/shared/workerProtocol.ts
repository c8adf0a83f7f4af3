/** Host ↔ scoring worker messages. Imported by both ends (src/core/scoring/scoringWorkerClient.ts, src/worker/scoringWorker.ts), beside the webview protocol. */
import type { ItemScore, ScoreRequest } from '../core/benchmarks/types';

export interface WorkerInfo {
  pid: number;
  benchmarks: string[];
}

/** What the host may ask the worker: method → [params, result]. */
export type WorkerMethods = {
  ping: [Record<string, never>, WorkerInfo];
  score: [ScoreRequest, ItemScore];
  /** Release scorers (interpreters, temp dirs) before the worker is stopped. */
  shutdown: [Record<string, never>, void];
};

/** The worker asks nothing of the host; it only logs. */
export type HostMethods = Record<string, never>;

export interface WorkerLogParams {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** Worker → host notifications: method → params. */
export type WorkerNotifications = {
  log: WorkerLogParams;
};

/**
 * Several channel messages in one IPC write. Each write to the IPC pipe costs a system call and a wake-up
 * of the reader: one per answer was a fifth of a cold IFEval score, and one per request a sixth of the host's
 * CPU in a fast run. Both ends gather the messages of one turn of their event loop into one of these
 * (batchingSender) and unpack what they receive (unpackBatch).
 */
export interface MessageBatch {
  evalbenchBatch: unknown[];
}

export function isMessageBatch(message: unknown): message is MessageBatch {
  return typeof message === 'object' && message !== null && Array.isArray((message as MessageBatch).evalbenchBatch);
}

/**
 * A send function that queues messages and posts them together once this turn of the event loop is over
 * (setImmediate: after the I/O callbacks of the turn, so every reply that arrived in it goes in one write),
 * or, with `holdMs`, that long after the first of them: a fast run's replies come back one per turn, and
 * a write per reply (with the reader's wake-up) was ~65 µs of the host's time per item in a CPU profile.
 * `post` gets one message alone, or a MessageBatch of several, in the order they were sent.
 */
export function batchingSender<T>(post: (message: T | MessageBatch) => void, options: { holdMs?: number } = {}): (message: T) => void {
  let outbox: T[] = [];
  const flush = () => {
    const messages = outbox;
    outbox = [];
    post(messages.length === 1 ? messages[0] : { evalbenchBatch: messages });
  };
  const holdMs = options.holdMs ?? 0;
  return (message) => {
    if (outbox.push(message) !== 1) return;
    if (holdMs > 0) setTimeout(flush, holdMs);
    else afterThisTurn(flush);
  };
}

/** Node's setImmediate (this module is also compiled for the webview, which has no such global). */
const afterThisTurn: (callback: () => void) => void =
  (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate ?? ((callback) => setTimeout(callback, 0));

/** Hands each message of a received IPC message to `receive`: a MessageBatch's in order, any other as it is. */
export function unpackBatch(message: unknown, receive: (one: unknown) => void): void {
  if (isMessageBatch(message)) for (const one of message.evalbenchBatch) receive(one);
  else receive(message);
}
