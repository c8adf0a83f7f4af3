/**
 * The one writer of a run file. Changes go to the in-memory database at once and reach the disk in
 * batches (a timer, or every N samples): the whole database is exported and atomically replaces the
 * file, so after a kill -9 at any moment the file is the previous or the new complete database.
 */
import type { Database } from 'sql.js';
import type { ItemScore } from '../benchmarks/types';
import { RunStoreError, errorMessage } from '../errors';
import { writeFileAtomic } from './atomicWrite';
import { DbRunReader } from './runFile';
import type { RunWriter } from './runHandles';
import { countSamples, sampleExists, upsertSample, upsertScore, writeRun } from './rows';
import { buildSummary } from './summary';
import type { RunRecord, SampleRecord } from './types';

export interface FlushOptions {
  /** Longest time a change waits in memory (default 500 ms). */
  flushIntervalMs: number;
  /** Flush at once after this many putSample/setScore calls (default 50). */
  flushEvery: number;
}

export const DEFAULT_FLUSH: FlushOptions = { flushIntervalMs: 500, flushEvery: 50 };
const FLUSH_COST_SPACING = 10;

export class DbRunWriter extends DbRunReader implements RunWriter {
  private generation = 0;
  private flushedGeneration = 0;
  private samplesSinceFlush = 0;
  private timer: NodeJS.Timeout | undefined;
  /**
   * A flush exports the whole database (synchronous, on the event loop) and rewrites the file, so its cost
   * grows with the run. Flushes are spaced to at least FLUSH_COST_SPACING times the last one's cost, keeping
   * them to about a tenth of the time whatever the file size.
   */
  private earliestNextFlush = 0;
  private chain: Promise<void> = Promise.resolve();
  /** The last flush's failure, until one succeeds: new samples are refused so the run stops instead of losing them silently. */
  private failure: RunStoreError | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    runId: string,
    file: string,
    db: Database,
    record: RunRecord,
    private readonly summaryFile: string,
    private readonly releaseLock: () => void,
    private readonly options: FlushOptions = DEFAULT_FLUSH,
    /** A new or upgraded database is not on disk yet in this form. */
    dirty = false,
  ) {
    super(runId, file, db, record);
    if (dirty) this.changed(false);
  }

  putSample(sample: SampleRecord): void {
    this.writable(true);
    upsertSample(this.db, sample);
    this.changed(true);
  }

  setScore(itemId: string, sampleIndex: number, score: ItemScore): void {
    this.writable(true);
    if (!sampleExists(this.db, itemId, sampleIndex)) {
      throw new RunStoreError(`run ${this.runId}: cannot score ${itemId} sample ${sampleIndex}: no reply is stored for it`, this.file);
    }
    upsertScore(this.db, itemId, sampleIndex, score);
    this.changed(true);
  }

  updateRun(patch: Partial<Pick<RunRecord, 'status' | 'metrics' | 'error' | 'serverFacts'>>): void {
    // Never refused after a failed flush: the final status must still be recordable.
    this.writable(false);
    const next: RunRecord = { ...this.record };
    for (const key of ['status', 'metrics', 'error', 'serverFacts'] as const) {
      if (!(key in patch)) continue;
      const value = patch[key];
      if (value === undefined) {
        if (key === 'error' || key === 'serverFacts') delete next[key];
      } else (next as any)[key] = structuredClone(value);
    }
    this.record = next;
    this.changed(false);
  }

  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    // Serialized: each flush waits for the previous one, and does nothing when nothing changed since.
    const run = this.chain.then(() => this.flushNow());
    this.chain = run.catch(() => {});
    return run;
  }

  override close(): Promise<void> {
    this.closing ??= (async () => {
      this.clearTimer();
      try {
        await this.flush();
      } finally {
        this.closed = true;
        this.clearTimer();
        this.db.close();
        this.releaseLock();
      }
    })();
    return this.closing;
  }

  private async flushNow(): Promise<void> {
    this.clearTimer();
    if (this.generation === this.flushedGeneration || this.closed) return;
    const generation = this.generation;
    const started = Date.now();
    this.samplesSinceFlush = 0;
    let bytes: Uint8Array;
    let summaryText: string;
    try {
      this.record = { ...this.record, updatedAt: new Date().toISOString() };
      writeRun(this.db, this.record);
      // export() snapshots synchronously, so changes made while the file is written go to the next flush.
      bytes = this.db.export();
      summaryText = JSON.stringify(buildSummary(this.record, this.file, countSamples(this.db, this.record.config.samplesPerItem)), null, 2);
    } catch (error) {
      throw this.failed(error);
    }
    try {
      await writeFileAtomic(this.file, bytes);
      // The summary follows the database: it may lag it by one flush after a crash, never lead it.
      await writeFileAtomic(this.summaryFile, summaryText);
    } catch (error) {
      throw this.failed(error);
    }
    this.flushedGeneration = generation;
    this.failure = undefined;
    this.earliestNextFlush = Date.now() + FLUSH_COST_SPACING * (Date.now() - started);
    if (this.generation !== this.flushedGeneration) this.schedule();
  }

  private failed(error: unknown): RunStoreError {
    this.failure = new RunStoreError(`could not save run ${this.runId}: ${errorMessage(error)}`, this.file, { cause: error });
    this.schedule(); // try again later; explicit flush()/close() report it
    return this.failure;
  }

  private changed(sample: boolean): void {
    this.generation++;
    if (sample && ++this.samplesSinceFlush >= this.options.flushEvery && Date.now() >= this.earliestNextFlush) {
      this.flush().catch(() => {}); // recorded in this.failure, reported by putSample/flush/close
    } else this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const delay = Math.max(this.options.flushIntervalMs, this.earliestNextFlush - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => {});
    }, delay);
    this.timer.unref(); // a pending flush never keeps the process alive; close() does the last one
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private writable(refuseAfterFailure: boolean): void {
    if (this.closed || this.closing) throw new RunStoreError(`run ${this.runId} is closed; open a writer again to change it`, this.file);
    if (refuseAfterFailure && this.failure) throw this.failure;
  }
}
