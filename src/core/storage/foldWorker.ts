/** The storage thread (see foldRunner.ts): writes new run files and folds journals, off the caller's event loop. */
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../errors';
import { foldSegments } from './journalFold';
import { createRunFile } from './runCreate';
import { loadSqlJs } from './sqlJs';
import type { FoldReply, FoldRequest } from './foldRunner';

// Every task needs sql.js: load it while the caller still prepares its first one.
loadSqlJs().catch(() => {}); // a failure is reported by the task that needs it

parentPort?.on('message', (request: FoldRequest) => {
  const work = request.kind === 'create' ? createRunFile(request.runFile, request.record, request.items) : foldSegments(request.runFile, request.segments);
  work.then(
    (size) => parentPort!.postMessage({ id: request.id, size } satisfies FoldReply),
    (error) => parentPort!.postMessage({ id: request.id, error: errorMessage(error) } satisfies FoldReply),
  );
});
