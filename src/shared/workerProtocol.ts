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
 * of the reader: one per answer was a fifth of a cold IFEval score. The worker gathers the messages of one
 * turn of its event loop into one of these; the host unpacks it.
 */
export interface MessageBatch {
  evalbenchBatch: unknown[];
}

export function isMessageBatch(message: unknown): message is MessageBatch {
  return typeof message === 'object' && message !== null && Array.isArray((message as MessageBatch).evalbenchBatch);
}
