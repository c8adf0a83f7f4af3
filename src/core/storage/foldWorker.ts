/** Worker thread that folds run journals (see journalFold.ts), so big exports never block the main thread. */
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../errors';
import { foldSegments } from './journalFold';
import type { FoldReply, FoldRequest } from './foldRunner';

parentPort?.on('message', (request: FoldRequest) => {
  foldSegments(request.runFile, request.segments).then(
    (size) => parentPort!.postMessage({ id: request.id, size } satisfies FoldReply),
    (error) => parentPort!.postMessage({ id: request.id, error: errorMessage(error) } satisfies FoldReply),
  );
});
