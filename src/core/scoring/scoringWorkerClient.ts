/**
 * The host's side of the scoring worker: forks it lazily, sends typed requests with timeouts, notices a
 * crash, reports it and starts a fresh worker. A request caught by a crash is tried once more on the new
 * worker, alone (retries are serialised), so that a second crash convicts that request and nothing else: one
 * poisonous response fails its own item and cannot sink the run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { ItemScore, ScoreRequest } from '../benchmarks/types';
import { ScoringError, errorMessage } from '../errors';
import { killDescendants } from '../processTree';
import { ChannelClosedError, MessageChannel, RequestTimeoutError, type ChannelMessage } from '../../shared/messageChannel';
import { batchingSender, unpackBatch, type HostMethods, type WorkerInfo, type WorkerMethods, type WorkerNotifications } from '../../shared/workerProtocol';

/** How long the host gathers score requests into one IPC write (see batchingSender). */
const REQUEST_BATCH_MS = 5;

export interface ScoringWorkerOptions {
  /** dist/worker.js, or src/worker/scoringWorker.ts with execArgv ['--import', 'tsx'] under tests. */
  workerPath: string;
  execArgv?: string[];
  /** Per score request; HumanEval with many samples needs a generous one. */
  requestTimeoutMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Where scorers find updated data copies (Punkt parameters…); passed as EVALBENCH_CACHE_DIR. */
  cacheDir?: string;
}

/** The scoring seam the run manager depends on. */
export interface ScoringService {
  score(request: ScoreRequest, signal?: AbortSignal): Promise<ItemScore>;
  dispose(): Promise<void>;
}

interface LiveWorker {
  child: ChildProcess;
  channel: MessageChannel<WorkerMethods, HostMethods, Record<string, never>, WorkerNotifications>;
  exited: Promise<void>;
}

export class ScoringWorkerClient implements ScoringService {
  private worker: LiveWorker | undefined;
  private disposed = false;
  private crashes = 0;
  private inFlight = 0;
  /** Requests in flight when the worker last died: 1 means the crash has a single suspect. */
  private inFlightAtLastCrash = 0;
  private isolation: Promise<void> = Promise.resolve();

  constructor(private readonly options: ScoringWorkerOptions) {
    if (!fs.existsSync(options.workerPath)) {
      throw new ScoringError(`scoring worker not found at ${options.workerPath}: build the project first (npm run build)`);
    }
  }

  /** How many times the worker died unexpectedly. */
  get crashCount(): number {
    return this.crashes;
  }

  get pid(): number | undefined {
    return this.worker?.child.pid;
  }

  async ping(): Promise<WorkerInfo> {
    return this.ensureWorker().channel.request('ping', {}, { timeoutMs: 30_000 });
  }

  async score(request: ScoreRequest, signal?: AbortSignal): Promise<ItemScore> {
    try {
      return await this.send(request, signal);
    } catch (error) {
      if (!(error instanceof ChannelClosedError) || this.disposed || signal?.aborted) throw this.wrap(error, request);
    }
    // Caught in a crash: retry in isolation. A crash while it runs alone proves this request is the culprit;
    // one while other requests were in flight earns it one more isolated try.
    for (let isolatedTry = 1; ; isolatedTry++) {
      try {
        return await this.isolated(() => this.send(request, signal));
      } catch (error) {
        const crashedAlone = this.inFlightAtLastCrash <= 1;
        if (!(error instanceof ChannelClosedError) || this.disposed || signal?.aborted || crashedAlone || isolatedTry >= 2) {
          throw this.wrap(error, request);
        }
      }
    }
  }

  private async send(request: ScoreRequest, signal?: AbortSignal): Promise<ItemScore> {
    let worker = this.ensureWorker();
    if (!worker.child.connected) {
      // Dying (killed, crashed) but its exit not seen yet: wait for it, so this request goes to a fresh worker
      // instead of failing as if it had caused the death.
      killTree(worker.child);
      await worker.exited;
      worker = this.ensureWorker();
    }
    this.inFlight++;
    try {
      // Counted from when the worker starts scoring it, not from when it was queued behind other programs.
      return await worker.channel.request('score', request, { timeoutMs: this.options.requestTimeoutMs ?? 120_000, signal, timeoutStartsOn: 'started' });
    } catch (error) {
      if (error instanceof RequestTimeoutError) {
        // A scorer stuck in synchronous code (a catastrophic regex…) never answers again: replace the worker.
        // Requests still in flight on it are retried alone on the new one (see score()).
        this.options.log?.('warn', `scoring item ${request.item.id} took too long; restarting the scoring worker`);
        if (this.worker === worker) killTree(worker.child);
      }
      throw error;
    } finally {
      this.inFlight--;
    }
  }

  /** Run one retry at a time, each after the previous one settled. */
  private isolated<T>(task: () => Promise<T>): Promise<T> {
    const run = this.isolation.then(task, task);
    this.isolation = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private wrap(error: unknown, request: ScoreRequest): Error {
    if (error instanceof ChannelClosedError) {
      return new ScoringError(`the scoring worker stopped while scoring item ${request.item.id}: ${error.message}`, { cause: error });
    }
    if (error instanceof Error && error.name === 'AbortError') return error;
    return new ScoringError(`scoring item ${request.item.id} failed: ${errorMessage(error)}`, { cause: error });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    let shutDown = false;
    try {
      // The worker answers once its scorers' processes have ended (see releaseAll in scoringWorker.ts).
      await worker.channel.request('shutdown', {}, { timeoutMs: 10_000 });
      shutDown = true;
    } catch {
      // Killed below.
    }
    worker.channel.close('scoring worker disposed');
    if (shutDown && worker.child.connected) {
      // A worker that shut down leaves by itself when the channel closes; give it a moment before the kill.
      worker.child.disconnect();
      await Promise.race([worker.exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    }
    if (worker.child.exitCode === null && worker.child.signalCode === null) killTree(worker.child);
    await worker.exited;
  }

  private ensureWorker(): LiveWorker {
    if (this.disposed) throw new ScoringError('the scoring worker was disposed');
    if (this.worker) return this.worker;
    const child = fork(this.options.workerPath, [], {
      execArgv: this.options.execArgv ?? [],
      env: this.options.cacheDir ? { ...process.env, EVALBENCH_CACHE_DIR: this.options.cacheDir } : process.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const log = this.options.log;
    child.stdout?.on('data', (chunk: Buffer) => log?.('info', `worker: ${chunk.toString().trimEnd()}`));
    child.stderr?.on('data', (chunk: Buffer) => log?.('warn', `worker: ${chunk.toString().trimEnd()}`));
    // The requests of a few milliseconds go in one IPC write (see MessageBatch); the worker answers each such
    // batch in one write too. A verdict comes that much later, which no lane waits for.
    const post = batchingSender<ChannelMessage>((message) => {
      // Gone since the messages were queued: its exit closes the channel and fails their requests.
      if (!child.connected) return;
      // A worker that just died makes the send fail (EPIPE) after this returns: its exit closes the channel
      // and fails the requests; the error itself must not surface as an unhandled 'error' event.
      child.send(message, (error) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (error && code !== 'EPIPE' && code !== 'ERR_IPC_CHANNEL_CLOSED') log?.('warn', `scoring worker pid ${child.pid}: ${error.message}`);
      });
    }, { holdMs: REQUEST_BATCH_MS });
    const channel = new MessageChannel<WorkerMethods, HostMethods, Record<string, never>, WorkerNotifications>(
      (message) => {
        if (!child.connected) throw new ChannelClosedError('scoring worker is not connected');
        post(message);
      },
      {},
      (notification) => {
        if (notification.method === 'log') log?.(notification.params.level, `worker: ${notification.params.message}`);
      },
    );
    child.on('message', (message) => unpackBatch(message, (one) => channel.receive(one)));
    // A worker is lost when its IPC channel closes or it exits, whichever comes first: its requests fail at
    // once (then are retried as after a crash, see score()) and the next item goes to a new worker.
    let crashed = false;
    let disconnectedFirst = false;
    const lose = (reason: string) => {
      channel.close(reason);
      if (this.worker?.child !== child) return;
      this.worker = undefined;
      if (this.disposed) return;
      crashed = true;
      this.crashes++;
      this.inFlightAtLastCrash = this.inFlight;
    };
    child.once('disconnect', () => {
      if (child.exitCode !== null || child.signalCode !== null) return; // 'exit' came first and said why
      lose(`scoring worker pid ${child.pid} disconnected (its IPC channel closed)`);
      // Alive but unreachable (or dying): no request can reach it again, so it is stopped for good.
      if (crashed) {
        disconnectedFirst = true;
        killTree(child);
      }
    });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        lose(`scoring worker exited (${signal ?? `code ${code}`})`);
        // A worker that closed its channel and did not exit by itself is killed above: say so.
        const how = `${signal ?? `code ${code}`}${disconnectedFirst && signal === 'SIGKILL' ? ', after its IPC channel closed: a worker EvalBench cannot reach is stopped' : ''}`;
        if (crashed) log?.('error', `scoring worker pid ${child.pid} died (${how}); a new one starts with the next item`);
        resolve();
      });
      // Every error, not just the first: several sends can fail while a killed worker's exit is on its way.
      child.on('error', (error) => {
        log?.('error', `scoring worker: ${error.message}`);
      });
      child.stdout?.on('error', () => {});
      child.stderr?.on('error', () => {});
    });
    this.worker = { child, channel, exited };
    return this.worker;
  }
}

/** SIGKILL a worker and the processes it started: killed alone, its children would be left to init. */
function killTree(child: ChildProcess): void {
  if (child.pid !== undefined) killDescendants(child.pid);
  child.kill('SIGKILL');
}
