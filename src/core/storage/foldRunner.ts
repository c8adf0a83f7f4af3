/**
 * The storage thread: one worker thread per process (started on first use, or early by warmStorageThread;
 * unref'd so it never keeps the process alive) that does a run file's database work off the caller's event
 * loop: writing a new run file, and folding journals into run files. It loads sql.js as it starts.
 * Bundled it is dist/foldWorker.js beside the caller; from TypeScript source it is foldWorker.ts under tsx.
 * Where no thread can be started the work runs inline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RunStoreError } from '../errors';
import { createRunFile } from './runCreate';
import { foldSegments } from './journalFold';
import type { RunRecord, StoredItem } from './types';

export type StorageTask = { kind: 'fold'; runFile: string; segments: string[] } | { kind: 'create'; runFile: string; record: RunRecord; items: readonly StoredItem[] };

export type FoldRequest = StorageTask & { id: number };

export type FoldReply = { id: number; size: number } | { id: number; error: string };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (size: number) => void; reject: (error: Error) => void; task: StorageTask }>();

function locateFoldWorker(): { file: string; execArgv: string[] } | undefined {
  const bundled = path.join(__dirname, 'foldWorker.js');
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = path.join(__dirname, 'foldWorker.ts');
  if (fs.existsSync(source)) return { file: source, execArgv: ['--require', require.resolve('tsx/cjs')] };
  return undefined;
}

function failureText(task: StorageTask): string {
  return task.kind === 'fold' ? 'could not fold the journal into the run file' : 'could not write the new run file';
}

function startWorker(): Worker | undefined {
  if (worker) return worker;
  const location = locateFoldWorker();
  if (!location) return undefined;
  const started = new Worker(location.file, { execArgv: location.execArgv });
  started.on('message', (reply: FoldReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if ('error' in reply) waiter.reject(new RunStoreError(`${failureText(waiter.task)}: ${reply.error}`, waiter.task.runFile));
    else waiter.resolve(reply.size);
    if (pending.size === 0) started.unref();
  });
  const fail = (error: Error) => {
    if (worker === started) worker = undefined;
    for (const [id, waiter] of pending) {
      pending.delete(id);
      waiter.reject(new RunStoreError(`the storage thread stopped: ${error.message}`, waiter.task.runFile, { cause: error }));
    }
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  // After the listeners: adding a 'message' listener refs the thread again, and an idle thread (one only
  // warmed, for a run that then failed to start) must not keep the process alive.
  started.unref();
  worker = started;
  return started;
}

/**
 * Start the storage thread now (it loads sql.js as it starts), so that a run about to be created does not
 * wait for it: callers start it while they probe servers and read datasets.
 */
export function warmStorageThread(): void {
  startWorker();
}

function runInBackground(task: StorageTask, inline: () => Promise<number>): Promise<number> {
  const thread = startWorker();
  if (!thread) return inline();
  const id = nextId++;
  thread.ref(); // work in progress keeps the process alive until it is on disk
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, task });
    try {
      thread.postMessage({ ...task, id } satisfies FoldRequest);
    } catch (error) {
      // Not sent (a value that cannot be cloned): nothing waits on the thread for it.
      pending.delete(id);
      if (pending.size === 0) thread.unref();
      reject(error);
    }
  });
}

/** Fold `segments` into `runFile` off the main thread; resolves with the file's new size. */
export function foldInBackground(runFile: string, segments: string[]): Promise<number> {
  if (segments.length === 0) return Promise.resolve(0);
  return runInBackground({ kind: 'fold', runFile, segments }, () => foldSegments(runFile, segments));
}

/** Write a new run file off the main thread (see runCreate.ts); resolves with its size once it is on disk. */
export function createInBackground(runFile: string, record: RunRecord, items: readonly StoredItem[]): Promise<number> {
  return runInBackground({ kind: 'create', runFile, record, items }, () => createRunFile(runFile, record, items));
}
