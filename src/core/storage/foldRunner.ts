/**
 * Runs folds in one worker thread per process (started on first use, unref'd so it never keeps the
 * process alive). Bundled it is dist/foldWorker.js beside the caller; from TypeScript source it is
 * foldWorker.ts under tsx. Where no worker can be started the fold runs inline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RunStoreError } from '../errors';
import { foldSegments } from './journalFold';

export interface FoldRequest {
  id: number;
  runFile: string;
  segments: string[];
}

export type FoldReply = { id: number; size: number } | { id: number; error: string };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (size: number) => void; reject: (error: Error) => void; runFile: string }>();

function locateFoldWorker(): { file: string; execArgv: string[] } | undefined {
  const bundled = path.join(__dirname, 'foldWorker.js');
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = path.join(__dirname, 'foldWorker.ts');
  if (fs.existsSync(source)) return { file: source, execArgv: ['--require', require.resolve('tsx/cjs')] };
  return undefined;
}

function startWorker(): Worker | undefined {
  if (worker) return worker;
  const location = locateFoldWorker();
  if (!location) return undefined;
  const started = new Worker(location.file, { execArgv: location.execArgv });
  started.unref();
  started.on('message', (reply: FoldReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if ('error' in reply) waiter.reject(new RunStoreError(`could not fold the journal into the run file: ${reply.error}`, waiter.runFile));
    else waiter.resolve(reply.size);
    if (pending.size === 0) started.unref();
  });
  const fail = (error: Error) => {
    if (worker === started) worker = undefined;
    for (const [id, waiter] of pending) {
      pending.delete(id);
      waiter.reject(new RunStoreError(`the journal folding thread stopped: ${error.message}`, waiter.runFile, { cause: error }));
    }
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  worker = started;
  return started;
}

/** Fold `segments` into `runFile` off the main thread; resolves with the file's new size. */
export function foldInBackground(runFile: string, segments: string[]): Promise<number> {
  if (segments.length === 0) return Promise.resolve(0);
  const thread = startWorker();
  if (!thread) return foldSegments(runFile, segments);
  const id = nextId++;
  thread.ref(); // a fold in progress keeps the process alive until it is on disk
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, runFile });
    thread.postMessage({ id, runFile, segments } satisfies FoldRequest);
  });
}
