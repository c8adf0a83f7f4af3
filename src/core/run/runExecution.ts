/**
 * Executes one run file: asks the model for every pending sample with bounded concurrency, stores each reply
 * as it lands, has the worker score it, and keeps progress observable. Nothing here can fail the run because
 * of one item: a request that fails after retries, times out or returns nothing is stored as a failed sample
 * with its reason. Cancelling aborts requests in flight at once; finished samples stay on disk.
 */
import { setMaxListeners } from 'node:events';
import type { BenchmarkDefinition, ItemScore, ScoredSample } from '../benchmarks/types';
import type { GenerationRequest, Generator, SamplingSettings } from '../endpoint/types';
import { errorMessage } from '../errors';
import {
  countOutcomes,
  finalRunStatus,
  isJudged,
  requestFailureCauseFromText,
  requestFailureCauseOf,
  sampleOutcome,
  scoringFailureCauseOf,
  type RequestFailureCause,
} from '../outcome';
import type { ScoringService } from '../scoring/scoringWorkerClient';
import type { RunRecord, SampleRecord, StoredItem } from '../storage/types';
import type { WorkUnit } from '../storage/resumeWork';
import type { RunWriter } from '../storage/runStore';
import { forEachInLanes } from './boundedLanes';
import { failureScore } from './failureScore';
import { Emitter } from './emitter';
import type { RunSlots } from './runSlots';
import type { ServerLease } from './serverLimiter';
import { ProgressTracker } from './progressTracker';
import { CostSpacing } from './costSpacing';
import { ItemSampling } from './itemSampling';
import type { RunHandle, RunProgress } from './types';

export interface RunExecutionOptions {
  writer: RunWriter;
  definition: BenchmarkDefinition;
  generator: Generator;
  scoring: ScoringService;
  work: WorkUnit[];
  concurrency: number;
  itemTimeoutMs: number;
  sampling: SamplingSettings;
  stream: boolean;
  /** Ask for the chosen tokens' log-probabilities and store them with each sample. */
  logprobs?: boolean;
  benchmarkOptions?: Record<string, unknown>;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** How often progress snapshots are emitted. */
  progressIntervalMs?: number;
  /** The run's share of its server: every request waits for a slot of it. */
  serverLease?: ServerLease;
  /** The process's run limit: the run waits as "queued" for one of them. */
  runSlots?: RunSlots;
}

export class RunExecution implements RunHandle {
  readonly runId: string;
  readonly file: string;
  readonly done: Promise<RunRecord>;
  private readonly controller = new AbortController();
  private readonly sampling: ItemSampling;
  /** Scorings in progress (each started when its reply was stored); awaited before the run ends. */
  private readonly pendingScores = new Set<Promise<void>>();
  /** Lanes waiting for the pending scorings to drop under MAX_PENDING_SCORES. */
  private readonly scoreSlotWaiters: (() => void)[] = [];
  private scoringFatal: unknown;
  private stopStatus: 'cancelled' | 'interrupted' = 'cancelled';
  private readonly progressEvents = new Emitter<RunProgress>();
  private readonly sampleEvents = new Emitter<SampleRecord>();
  private readonly tracker: ProgressTracker;
  private readonly items: Map<string, StoredItem>;
  /** Judged samples only (passed or wrong): metrics never count a request failure or a scoring error. */
  private readonly judged = new Map<string, ScoredSample>();
  /** Why each request this execution made failed, until its failure score is stored. */
  private readonly requestCauses = new Map<string, RequestFailureCause>();
  private metricsDirty = true;
  /** Live (not final) metrics are recomputed no more often than their cost allows. */
  private readonly liveMetricsSpacing = new CostSpacing();

  constructor(private readonly options: RunExecutionOptions) {
    const { writer } = options;
    // Every request in flight listens to this signal: many lanes are expected, not a leak.
    setMaxListeners(0, this.controller.signal);
    this.runId = writer.runId;
    this.sampling = new ItemSampling(options.sampling);
    this.file = writer.file;
    this.items = new Map(writer.items().map((item) => [item.id, item]));
    const run = writer.run();
    const all = writer.samples();
    const total = this.items.size * run.config.samplesPerItem;
    // What this execution will redo is not finished yet, whatever the file says.
    const redo = new Set(options.work.map((w) => key(w.itemId, w.sampleIndex)));
    const kept = all.filter((s) => !redo.has(key(s.itemId, s.sampleIndex)));
    for (const sample of kept) {
      if (sample.score && isJudged(sampleOutcome(sample))) {
        this.judged.set(key(sample.itemId, sample.sampleIndex), { itemId: sample.itemId, sampleIndex: sample.sampleIndex, score: sample.score });
      }
    }
    this.tracker = new ProgressTracker(this.runId, countOutcomes(kept, total), run.createdAt);
    this.tracker.metrics = this.currentMetrics();
    this.done = this.execute();
  }

  onProgress(listener: (p: RunProgress) => void) {
    return this.progressEvents.on(listener);
  }

  onSample(listener: (s: SampleRecord) => void) {
    return this.sampleEvents.on(listener);
  }

  progress(): RunProgress {
    return this.tracker.snapshot();
  }

  cancel(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error('run cancelled'));
  }

  /** Stop because the front end is going away (not the user's choice): the run ends "interrupted", resumable. */
  interrupt(): void {
    if (this.controller.signal.aborted) return;
    this.stopStatus = 'interrupted';
    this.controller.abort(new Error('run interrupted'));
  }

  private async execute(): Promise<RunRecord> {
    const { writer, log } = this.options;
    let releaseRunSlot: (() => void) | undefined;
    let fatal: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      if (this.options.runSlots) {
        this.tracker.status = 'queued';
        writer.updateRun({ status: 'queued', error: undefined });
        // Cancelled while queued: it ends as cancelled without having asked anything.
        releaseRunSlot = await this.options.runSlots.acquire(this.controller.signal).catch(() => undefined);
      }
      if (!this.controller.signal.aborted) {
        this.tracker.status = 'running';
        writer.updateRun({ status: 'running', error: undefined });
        this.emitProgress(true);
        timer = setInterval(() => this.emitProgress(), this.options.progressIntervalMs ?? 250);
        // Only storage can throw (items never do): the first failure stops every lane, and the writer is
        // closed only after no lane is still touching it.
        try {
          await forEachInLanes(this.options.work, this.options.concurrency, (unit) => this.runUnit(unit), {
            signal: this.controller.signal,
            onError: (error) => {
              log?.('error', `run ${this.runId} stopped: ${errorMessage(error)}`);
              this.controller.abort(error);
            },
          });
        } finally {
          // Nothing may touch the writer after it is closed: every scoring started is awaited.
          while (this.pendingScores.size > 0) await Promise.all(this.pendingScores);
        }
        if (this.scoringFatal !== undefined) throw this.scoringFatal;
      }
    } catch (error) {
      fatal = error;
    } finally {
      releaseRunSlot?.();
      this.options.serverLease?.dispose();
    }
    clearInterval(timer);
    const stopped = this.controller.signal.aborted && !fatal;
    // Counted from the file, the truth: any request failure or scoring error makes it done_with_errors.
    const status = fatal ? 'failed' : stopped ? this.stopStatus : finalRunStatus(this.storedCounts());
    this.tracker.status = status;
    this.metricsDirty = true;
    const metrics = this.currentMetrics();
    this.tracker.metrics = metrics;
    try {
      writer.updateRun({ status, metrics, error: fatal ? errorMessage(fatal) : undefined });
      await writer.close();
    } catch (error) {
      log?.('error', `run ${this.runId}: could not save the final state: ${errorMessage(error)}`);
    }
    this.emitProgress(true);
    this.progressEvents.clear();
    this.sampleEvents.clear();
    return writer.run();
  }

  private async runUnit(unit: WorkUnit): Promise<void> {
    const item = this.items.get(unit.itemId);
    if (!item) return;
    this.tracker.started();
    let sample: SampleRecord;
    if (unit.scoreOnly) {
      sample = unit.scoreOnly;
    } else {
      sample = await this.generate(item, unit.sampleIndex);
      if (this.controller.signal.aborted && sample.status === 'failed') {
        // Cut short by cancel: not a failure of the item; it stays pending for resume.
        this.tracker.abandoned();
        return;
      }
      this.options.writer.putSample(sample);
      // Never more than a few dozen replies only in memory: a crash can lose at most those.
      await this.options.writer.backpressure();
    }
    // Scoring runs beside the next request: the lane goes back to the server at once, so the server sees
    // the run's full concurrency. A storage failure while storing the score stops the run like any other.
    const scoring = this.scoreAndStore(item, sample).catch((error) => {
      if (this.scoringFatal === undefined) {
        this.scoringFatal = error;
        this.options.log?.('error', `run ${this.runId} stopped: ${errorMessage(error)}`);
      }
      this.controller.abort(error);
    });
    this.pendingScores.add(scoring);
    void scoring.finally(() => {
      this.pendingScores.delete(scoring);
      this.scoreSlotWaiters.shift()?.();
    });
    // Each scoring that ends lets one waiting lane on. (Promise.race over the pending set put a reaction on
    // every one of them, for every lane, on every reply while the worker was behind.)
    if (this.pendingScores.size >= MAX_PENDING_SCORES) await new Promise<void>((resolve) => this.scoreSlotWaiters.push(resolve));
  }

  private async scoreAndStore(item: StoredItem, sample: SampleRecord): Promise<void> {
    const score = await this.score(item, sample);
    if (!score) {
      this.tracker.abandoned();
      return;
    }
    sample = { ...sample, score };
    this.options.writer.setScore(sample.itemId, sample.sampleIndex, score);
    const outcome = sampleOutcome(sample);
    if (isJudged(outcome)) {
      this.judged.set(key(sample.itemId, sample.sampleIndex), { itemId: sample.itemId, sampleIndex: sample.sampleIndex, score });
      this.metricsDirty = true;
    }
    this.tracker.finished(outcome === 'pending' ? 'scoring_error' : outcome);
    this.sampleEvents.emit(sample);
  }

  private async generate(item: StoredItem, sampleIndex: number): Promise<SampleRecord> {
    // A slot of the server first (shared with the other runs on it); waiting for it is not the item's time.
    let release: (() => void) | undefined;
    try {
      release = await this.options.serverLease?.acquire(this.controller.signal);
    } catch (error) {
      return { itemId: item.id, sampleIndex, startedAt: new Date().toISOString(), status: 'failed', error: errorMessage(error), finishedAt: new Date().toISOString() };
    }
    try {
      return await this.generateInSlot(item, sampleIndex);
    } finally {
      release?.();
    }
  }

  private async generateInSlot(item: StoredItem, sampleIndex: number): Promise<SampleRecord> {
    const started = new Date();
    // The run's signal or the item's time cap, whichever comes first. One controller, one timer and one
    // listener: AbortSignal.timeout + AbortSignal.any cost several times more per item (weak refs, two signals).
    const itemController = new AbortController();
    const run = this.controller.signal;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      itemController.abort(new DOMException('the per-item time limit passed', 'TimeoutError'));
    }, this.options.itemTimeoutMs);
    const onRunAbort = () => itemController.abort(run.reason);
    if (run.aborted) onRunAbort();
    else run.addEventListener('abort', onRunAbort, { once: true });
    const signal = itemController.signal;
    const request: GenerationRequest = {
      messages: item.prompt.messages,
      prompt: item.prompt.prompt,
      sampling: this.sampling.for(item, sampleIndex),
      stream: this.options.stream,
    };
    if (this.options.logprobs) request.logprobs = true;
    const startedAt = started.toISOString();
    try {
      const result = await this.options.generator.generate(request, signal);
      const finishedAt = new Date().toISOString();
      // Built field by field: spreading `base` and four conditional objects into it cost ~7 µs per sample (a
      // slow path of object spread), more than the rest of this method.
      const record: SampleRecord = {
        itemId: item.id,
        sampleIndex,
        startedAt,
        status: 'done',
        response: result.text,
        finishReason: result.finishReason,
        truncated: result.truncated,
        promptTokens: result.promptTokens,
        completionTokens: result.completionTokens,
        latencyMs: result.latencyMs,
        ttftMs: result.ttftMs,
        attempts: result.attempts,
        finishedAt,
      };
      if (result.logprobs) record.logprobs = result.logprobs;
      if (result.replica) record.replica = result.replica;
      if (result.notes) record.notes = result.notes;
      if (result.serverTimings) record.serverTimings = result.serverTimings;
      if (result.text.trim() === '') {
        this.requestCauses.set(key(item.id, sampleIndex), 'empty_reply');
        return { ...record, status: 'failed', error: result.truncated ? 'the reply was empty (cut at max_tokens before any text)' : 'the server returned an empty reply' };
      }
      return record;
    } catch (error) {
      const itemTimedOut = timedOut && !run.aborted;
      const reason = itemTimedOut ? `no reply within the per-item limit of ${Math.round(this.options.itemTimeoutMs / 1000)} s` : errorMessage(error);
      this.requestCauses.set(key(item.id, sampleIndex), itemTimedOut ? 'timeout' : requestFailureCauseOf(error));
      return { itemId: item.id, sampleIndex, startedAt, status: 'failed', error: reason, finishedAt: new Date().toISOString() };
    } finally {
      clearTimeout(timer);
      run.removeEventListener('abort', onRunAbort);
    }
  }

  /** Returns undefined only when cancelled mid-scoring (the sample stays stored, unscored, for resume). */
  private async score(item: StoredItem, sample: SampleRecord): Promise<ItemScore | undefined> {
    const { definition } = this.options;
    const benchmarkItem = { id: item.id, data: item.data };
    if (sample.status === 'failed') {
      const reason = sample.error ?? 'failed';
      const k = key(sample.itemId, sample.sampleIndex);
      // A failed reply stored by an earlier process has only its reason text left.
      const cause = this.requestCauses.get(k) ?? requestFailureCauseFromText(reason);
      this.requestCauses.delete(k);
      return failureScore(definition, benchmarkItem, 'request', reason, cause);
    }
    try {
      return await this.options.scoring.score(
        { benchmarkId: definition.id, item: benchmarkItem, response: sample.response ?? '', truncated: sample.truncated, options: this.options.benchmarkOptions },
        this.controller.signal,
      );
    } catch (error) {
      if (this.controller.signal.aborted) return undefined;
      const reason = `scoring failed: ${errorMessage(error)}`;
      this.options.log?.('error', `run ${this.runId}, item ${item.id}: ${reason}`);
      return failureScore(definition, benchmarkItem, 'scoring', reason, scoringFailureCauseOf(error));
    }
  }

  /**
   * The metrics over every judged sample. While the run goes (`live`), a recomputation that is not yet
   * due by its cost keeps the previous figures; the first and the final metrics are always exact.
   */
  private currentMetrics(live = false) {
    if (!this.metricsDirty) return this.tracker.metrics;
    if (live && !this.liveMetricsSpacing.due()) return this.tracker.metrics;
    this.metricsDirty = false;
    try {
      return this.liveMetricsSpacing.run(() => this.options.definition.aggregate([...this.judged.values()], this.items.size));
    } catch (error) {
      this.options.log?.('warn', `metrics not computed: ${errorMessage(error)}`);
      return [];
    }
  }

  private storedCounts() {
    return countOutcomes(this.options.writer.samples(), this.tracker.total);
  }

  private lastEmitted = '';

  private emitProgress(force = false): void {
    this.tracker.metrics = this.currentMetrics(true);
    const snapshot = this.tracker.snapshot();
    const c = snapshot.counts;
    const signature = `${snapshot.status}/${c.passed}/${c.wrong}/${c.request_failed}/${c.scoring_error}/${snapshot.inFlight}`;
    if (!force && signature === this.lastEmitted) return;
    this.lastEmitted = signature;
    this.progressEvents.emit(snapshot);
  }
}

/** Scorings that may wait for the worker before the lanes stop taking new replies (bounds memory). */
const MAX_PENDING_SCORES = 256;

function key(itemId: string, sampleIndex: number): string {
  return `${itemId}\u0000${sampleIndex}`;
}
