/**
 * The scoring worker process (dist/worker.js). Forked by ScoringWorkerClient with an IPC channel; scores one
 * response per `score` request. It never talks to model servers and never touches run files: the host owns those.
 */
import { endDescendants } from '../core/processTree';
import { MessageChannel } from '../shared/messageChannel';
import { batchingSender, unpackBatch, type HostMethods, type WorkerMethods, type WorkerNotifications } from '../shared/workerProtocol';
import { ScorerRegistry, constructionOptions, registeredBenchmarks } from '../core/scoring/scorerRegistry';

if (!process.send) {
  console.error('evalbench scoring worker: start me with an IPC channel (child_process.fork)');
  process.exit(2);
}

// The cache dir comes from the host through EVALBENCH_CACHE_DIR (see ScoringWorkerClient).
const registry = new ScorerRegistry({ cacheDir: process.env.EVALBENCH_CACHE_DIR });
// Messages of one event-loop turn (answers, `started` notices) leave in one IPC write (see MessageBatch).
const send = batchingSender((message) => {
  if (process.connected) process.send!(message);
});

const channel = new MessageChannel<HostMethods, WorkerMethods, WorkerNotifications>(send, {
  ping: () => ({ pid: process.pid, benchmarks: registeredBenchmarks() }),
  score: async (request, signal, started) => {
    const scorer = registry.get(request.benchmarkId, constructionOptions(request.options));
    // The host times a request from its start: scorers that queue say when that is, others start now.
    if (!scorer.reportsStart) started();
    return scorer.score(request, signal, { started });
  },
  shutdown: async () => {
    await releaseAll();
  },
});

/**
 * Dispose every scorer, then wait for the processes they started (Python drivers, Pyodide processes) to be
 * gone: executors ask them to stop without waiting, and the host must not exit while they still run.
 */
async function releaseAll(): Promise<void> {
  await registry.disposeAll();
  await endDescendants(process.pid, 3_000);
}

// The host batches its requests the same way.
process.on('message', (message) => unpackBatch(message, (one) => channel.receive(one)));
process.on('disconnect', () => {
  // The host went away: release interpreters and leave.
  void releaseAll().finally(() => process.exit(0));
});
