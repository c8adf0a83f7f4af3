/**
 * Scoring in the calling process, with the same ScorerRegistry (the same scorer modules) the scoring worker
 * uses, for the headless `score` command only. Why: the worker process exists so an editor never stalls
 * behind a scorer; a CLI process has no editor to stall, and for IFEval the worker cost more than the work.
 * A cold `score` of the 2,164 bench responses spent about half its wall time forking the worker, loading a
 * second bundle and warming a second V8, and cloning 2,164 requests and verdicts through IPC (measured with
 * --cpu-prof; bench/ifeval.mjs). Benchmarks that run programs (HumanEval) or call a judge still go to the
 * worker and its pool, which owns their processes and time limits.
 *
 * What this gives up: the worker's request timeout cannot stop a scorer stuck in synchronous code in this
 * process. IFEval's checkers are our own code with fixed patterns (as in the official scorer, which also runs
 * in one process); the command still ends on SIGKILL, and between rows it yields so Ctrl-C is seen.
 */
import type { ItemScore, ScoreRequest } from '../benchmarks/types';
import { CancelledError, ScoringError, errorMessage } from '../errors';
import type { ScoringService } from './scoringWorkerClient';
import { ScorerRegistry, constructionOptions } from './scorerRegistry';

/** Benchmarks whose scorers are pure computation over the reply: cheaper here than in a fresh worker. */
export const IN_PROCESS_BENCHMARKS: ReadonlySet<string> = new Set(['ifeval']);

/** How long scoring may hold the event loop before letting signals, output and timers run. */
const YIELD_EVERY_MS = 20;

export class InProcessScoring implements ScoringService {
  private readonly registry: ScorerRegistry;
  private lastYield = performance.now();

  constructor(options: { cacheDir?: string } = {}) {
    this.registry = new ScorerRegistry({ cacheDir: options.cacheDir });
  }

  async score(request: ScoreRequest, signal?: AbortSignal): Promise<ItemScore> {
    // Rows queued in microtasks would otherwise run back to back and starve the signal handlers.
    if (performance.now() - this.lastYield >= YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
    }
    if (signal?.aborted) throw new CancelledError('scoring cancelled');
    try {
      const scorer = this.registry.get(request.benchmarkId, constructionOptions(request.options));
      return await scorer.score(request, signal, { started: () => {} });
    } catch (error) {
      if (error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError')) throw error;
      // Worded as the worker client words a scorer's failure, so a row's error reads the same either way.
      throw new ScoringError(`scoring item ${request.item.id} failed: ${errorMessage(error)}`, { cause: error });
    }
  }

  async dispose(): Promise<void> {
    await this.registry.disposeAll();
  }
}

/**
 * The CLI's scoring: IN_PROCESS_BENCHMARKS here, every other benchmark in the scoring worker, which is only
 * started (by `worker()`) when a request needs it.
 */
export class CliScoring implements ScoringService {
  private readonly local: InProcessScoring;
  private remote: ScoringService | undefined;

  constructor(private readonly options: { cacheDir?: string; worker: () => ScoringService }) {
    this.local = new InProcessScoring({ cacheDir: options.cacheDir });
  }

  /** Start the worker now (it loads while the caller reads its input); dispose() ends it with the rest. */
  startWorker(): ScoringService {
    this.remote ??= this.options.worker();
    return this.remote;
  }

  score(request: ScoreRequest, signal?: AbortSignal): Promise<ItemScore> {
    if (IN_PROCESS_BENCHMARKS.has(request.benchmarkId)) return this.local.score(request, signal);
    return this.startWorker().score(request, signal);
  }

  async dispose(): Promise<void> {
    await Promise.all([this.local.dispose(), this.remote?.dispose()]);
  }
}
