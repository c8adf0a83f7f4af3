/**
 * The one writer of a run file. Changes go to plain maps in memory (what this writer reads back: no
 * database work on the caller's thread per reply, and each reply held once) and, as one line each, to the
 * run's append-only journal, fsynced in small batches: a reply is on disk within ~200 ms or 16 samples,
 * whatever the size of the run file. Checkpoints fold the journal into the `.sqlite` in a worker thread
 * (journalFold.ts) while the run goes on, each once the journal holds half the file's size in new entries;
 * close() folds the rest, leaving the `.sqlite` alone as the run. After a kill -9 at any moment, the `.sqlite`
 * plus the journal replayed is every saved change.
 */
import * as fs from 'node:fs';
import type { Database } from 'sql.js';
import type { ItemScore } from '../benchmarks/types';
import { RunStoreError, errorMessage } from '../errors';
import { writeFileAtomic } from './atomicWrite';
import { foldInBackground } from './foldRunner';
import { countOutcomes } from '../outcome';
import { runFileBytes } from './runCreate';
import type { RunWriter } from './runHandles';
import { DEFAULT_JOURNAL_LIMITS, RunJournal, foldingFileFor, pendingSegments, stateOf, type JournalLimits } from './runJournal';
import { readItems, readSamples } from './rows';
import { buildSummary } from './summary';
import { isUnfinished, metricsOfStoredSamples } from './storedMetrics';
import type { RunRecord, RunSummary, SampleRecord, SampleStatus, StoredItem } from './types';

export interface FlushOptions extends JournalLimits {
  /**
   * Fold the journal into the run file once it has grown by this share of the run file's size (at least
   * checkpointMinBytes, at most checkpointBytes)… A fold rewrites the whole file, so this spacing keeps the
   * folds of a run to a few times its final size in all, while the one at close() folds only the tail:
   * what journal entries cost to apply is then mostly paid during the run, off the caller's wait at the end.
   */
  checkpointFileShare: number;
  checkpointMinBytes: number;
  checkpointBytes: number;
  /** …or this long after the last checkpoint (ms). */
  checkpointMs: number;
  /** The summary file (what lists show) is rewritten at most this often (ms). */
  summaryMs: number;
}

export const DEFAULT_FLUSH: FlushOptions = {
  ...DEFAULT_JOURNAL_LIMITS,
  checkpointFileShare: 0.5,
  checkpointMinBytes: 64 << 10,
  checkpointBytes: 8 << 20,
  checkpointMs: 30_000,
  summaryMs: 1_000,
};

/** What a writer starts from: the run's items and samples, and the bytes of a database not on disk yet. */
export interface WriterContents {
  items: StoredItem[];
  samples: SampleRecord[];
  /** Set when the file on disk is missing or older than these bytes: the first checkpoint writes them. */
  initialBytes?: Uint8Array;
  /** The run file's size on disk, when the caller knows it (read from the file otherwise). */
  fileBytes?: number;
}

export class DbRunWriter implements RunWriter {
  private record: RunRecord;
  private closed = false;
  private readonly itemList: StoredItem[];
  private readonly itemOrder: Map<string, number>;
  private readonly sampleMap = new Map<string, SampleRecord>();
  private readonly journal: RunJournal;
  private readonly options: FlushOptions;
  /** The in-memory database must replace the file whole (new, or upgraded to the current schema). */
  private wholeDirty: boolean;
  private checkpoints: Promise<void> = Promise.resolve();
  /** Checkpoints asked for and not finished: counted when asked, so a burst of changes asks for one, not one each. */
  private checkpointsQueued = 0;
  private lastCheckpoint = Date.now();
  private summaryTimer: NodeJS.Timeout | undefined;
  private summaryWrites: Promise<void> = Promise.resolve();
  private lastSummary = 0;
  private closing: Promise<void> | undefined;
  private checkpointFailure: RunStoreError | undefined;
  private initialBytes: Uint8Array | undefined;
  /** The run file's size after the last checkpoint: what the next one will rewrite. */
  private fileBytes: number;

  constructor(
    readonly runId: string,
    readonly file: string,
    contents: WriterContents,
    record: RunRecord,
    private readonly summaryFile: string,
    private readonly releaseLock: () => void,
    options: Partial<FlushOptions> = DEFAULT_FLUSH,
  ) {
    this.record = record;
    this.itemList = contents.items;
    for (const sample of contents.samples) this.sampleMap.set(key(sample.itemId, sample.sampleIndex), sample);
    this.initialBytes = contents.initialBytes;
    this.itemOrder = new Map(this.itemList.map((item, i) => [item.id, i]));
    this.options = { ...DEFAULT_FLUSH, ...options };
    this.journal = new RunJournal(runId, file, this.options);
    this.wholeDirty = contents.initialBytes !== undefined;
    this.fileBytes = contents.fileBytes ?? contents.initialBytes?.byteLength ?? sizeOf(file);
  }

  /**
   * A writer of a database read into memory (then closed: the journal and the folds carry the changes).
   * `dirty`: it is new or upgraded, not on disk in this form yet, so the first checkpoint writes it whole.
   */
  static fromDatabase(
    runId: string,
    file: string,
    db: Database,
    record: RunRecord,
    summaryFile: string,
    releaseLock: () => void,
    options: Partial<FlushOptions> = DEFAULT_FLUSH,
    dirty = false,
  ): DbRunWriter {
    let contents: WriterContents;
    try {
      // A new or upgraded database goes to disk as it is (its schema may be one only its migrations know).
      contents = { items: readItems(db), samples: readSamples(db), initialBytes: dirty ? db.export() : undefined };
    } finally {
      db.close();
    }
    return new DbRunWriter(runId, file, contents, record, summaryFile, releaseLock, options);
  }

  run(): RunRecord {
    return structuredClone(this.record);
  }

  items(): StoredItem[] {
    this.open();
    return [...this.itemList];
  }

  samples(filter: { itemId?: string; status?: SampleStatus } = {}): SampleRecord[] {
    this.open();
    const out: SampleRecord[] = [];
    for (const s of this.sampleMap.values()) {
      if ((filter.itemId === undefined || s.itemId === filter.itemId) && (filter.status === undefined || s.status === filter.status)) out.push({ ...s });
    }
    return out.sort((a, b) => (this.itemOrder.get(a.itemId) ?? 0) - (this.itemOrder.get(b.itemId) ?? 0) || a.sampleIndex - b.sampleIndex);
  }

  /** While the run goes, its metrics are computed from the samples judged so far (see storedMetrics.ts), about once a second. */
  summary(): RunSummary {
    const record = isUnfinished(this.record) ? { ...this.record, metrics: metricsOfStoredSamples(this.record.config, this.sampleMap.values(), this.itemList.length) } : this.record;
    return buildSummary(record, this.file, countOutcomes(this.sampleMap.values(), this.itemList.length * this.record.config.samplesPerItem));
  }

  putSample(sample: SampleRecord): void {
    this.writable(true);
    this.sampleMap.set(key(sample.itemId, sample.sampleIndex), { ...sample });
    this.journal.append({ t: 'sample', sample });
    this.changed();
  }

  setScore(itemId: string, sampleIndex: number, score: ItemScore): void {
    this.writable(true);
    const stored = this.sampleMap.get(key(itemId, sampleIndex));
    if (!stored) {
      throw new RunStoreError(`run ${this.runId}: cannot score ${itemId} sample ${sampleIndex}: no reply is stored for it`, this.file);
    }
    this.sampleMap.set(key(itemId, sampleIndex), { ...stored, score });
    this.journal.append({ t: 'score', itemId, sampleIndex, score });
    this.changed();
  }

  updateRun(patch: Partial<Pick<RunRecord, 'status' | 'metrics' | 'error' | 'serverFacts' | 'config'>>): void {
    // Never refused after a failed write: the final status must still be recordable.
    this.writable(false);
    const next: RunRecord = { ...this.record, updatedAt: new Date().toISOString() };
    for (const key of ['status', 'metrics', 'error', 'serverFacts', 'config'] as const) {
      if (!(key in patch)) continue;
      const value = patch[key];
      if (value === undefined) {
        if (key === 'error' || key === 'serverFacts') delete next[key];
      } else (next as any)[key] = structuredClone(value);
    }
    const statusChanged = next.status !== this.record.status;
    this.record = next;
    this.journal.append({ t: 'run', state: stateOf(next) });
    this.changed(statusChanged);
  }

  backpressure(): Promise<void> | undefined {
    return this.journal.backpressure();
  }

  /** Everything so far into the `.sqlite` itself (journal written, then folded), and the summary. */
  async flush(): Promise<void> {
    if (this.closed) return;
    await this.journal.write().catch((error) => {
      throw this.wrap(error);
    });
    // The summary (built now, so it never leads the journal just written) goes to disk while the fold runs.
    const [folded, summarized] = await Promise.allSettled([this.checkpoint(), this.writeSummary()]);
    if (folded.status === 'rejected') throw folded.reason;
    if (summarized.status === 'rejected') throw summarized.reason;
  }

  /**
   * Start writing the summary file and return at once (a failure is reported by the next flush or close).
   * A new run's summary is only a cache of its file: lists rebuild a missing one from the file.
   */
  saveSummarySoon(): void {
    this.writeSummary().catch(() => {});
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.clearSummaryTimer();
      try {
        await this.flush();
      } finally {
        this.closed = true;
        await this.journal.close();
        this.sampleMap.clear();
        this.releaseLock();
      }
    })();
    return this.closing;
  }

  /**
   * Fold what the journal holds into the run file. Serialized. A segment left by an earlier writer (or a
   * checkpoint that failed) is folded first, oldest first.
   */
  checkpoint(): Promise<void> {
    this.checkpointsQueued++;
    const run = this.checkpoints.then(async () => {
      try {
        const leftover = fs.existsSync(foldingFileFor(this.file)) ? foldingFileFor(this.file) : undefined;
        if (leftover && !this.wholeDirty) await this.fold([leftover]).catch(() => (this.wholeDirty = true));
        const segment = await this.journal.rotate();
        if (segment && !this.wholeDirty) await this.fold([segment]).catch(() => (this.wholeDirty = true));
        // A fold that failed (the file gone or damaged): the in-memory database has every change, write it whole.
        if (this.wholeDirty) await this.saveWhole([leftover, segment]);
        this.lastCheckpoint = Date.now();
        this.checkpointFailure = undefined;
      } catch (error) {
        // The journal may be gone with the failure (a folder deleted by hand): the in-memory database has
        // every change, so the next checkpoint writes it whole. Until one succeeds, new samples are refused.
        this.wholeDirty = true;
        this.checkpointFailure = this.wrap(error);
        throw this.checkpointFailure;
      }
    }).finally(() => {
      this.checkpointsQueued--;
    });
    this.checkpoints = run.catch(() => {});
    return run;
  }

  /** Segments of an earlier writer (killed) that the next checkpoint folds. */
  hasUnfoldedJournal(): boolean {
    return pendingSegments(this.file).length > 0;
  }

  private async fold(segments: string[]): Promise<void> {
    this.fileBytes = await foldInBackground(this.file, segments);
  }

  /** Memory holds every change (the rotated segments' too): write a database of it whole, drop the segments. */
  private async saveWhole(segments: (string | undefined)[]): Promise<void> {
    if (this.initialBytes) {
      // The database as created or upgraded, then the changes since from the journal.
      await writeFileAtomic(this.file, this.initialBytes);
      this.fileBytes = this.initialBytes.byteLength;
      this.initialBytes = undefined;
      const pending = segments.filter((s): s is string => s !== undefined);
      if (pending.length > 0) await this.fold(pending);
      this.wholeDirty = false;
      return;
    }
    const bytes = await runFileBytes(this.record, this.itemList, this.sampleMap.values());
    await writeFileAtomic(this.file, bytes);
    this.fileBytes = bytes.byteLength;
    for (const segment of segments) if (segment) await fs.promises.rm(segment, { force: true });
    this.wholeDirty = false;
  }

  /** Journal bytes that make a checkpoint due (see FlushOptions). */
  private checkpointThreshold(): number {
    const { checkpointFileShare, checkpointMinBytes, checkpointBytes } = this.options;
    return Math.min(checkpointBytes, Math.max(checkpointMinBytes, this.fileBytes * checkpointFileShare));
  }

  /** `urgent`: lists should show it at once (a status change), not within the next second. */
  private changed(urgent = false): void {
    const now = Date.now();
    if (this.checkpointsQueued === 0 && (this.journal.bytesSinceRotation >= this.checkpointThreshold() || now - this.lastCheckpoint >= this.options.checkpointMs)) {
      this.lastCheckpoint = now;
      this.checkpoint().catch(() => {}); // the journal still holds everything; the next checkpoint or close() reports it
    }
    if (this.closing) return;
    if (urgent) {
      this.clearSummaryTimer();
      this.writeSummary().catch(() => {});
    } else if (!this.summaryTimer) {
      this.summaryTimer = setTimeout(() => {
        this.summaryTimer = undefined;
        this.writeSummary().catch(() => {});
      }, Math.max(0, this.lastSummary + this.options.summaryMs - now));
      this.summaryTimer.unref();
    }
  }

  /** The summary is built before the journal write that covers it: it may lag the saved data, never lead it. */
  private writeSummary(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const text = JSON.stringify(this.summary(), null, 2);
    const run = this.summaryWrites.then(async () => {
      await this.journal.write();
      await writeFileAtomic(this.summaryFile, text);
      this.lastSummary = Date.now();
    });
    this.summaryWrites = run.catch(() => {});
    return run.catch((error) => {
      throw this.wrap(error);
    });
  }

  private clearSummaryTimer(): void {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = undefined;
  }

  private wrap(error: unknown): RunStoreError {
    if (error instanceof RunStoreError && error.message.startsWith('could not save')) return error;
    return new RunStoreError(`could not save run ${this.runId}: ${errorMessage(error)}`, this.file, { cause: error });
  }

  private open(): void {
    if (this.closed) throw new RunStoreError(`run ${this.runId} is closed; open it again to read it`, this.file);
  }

  private writable(refuseAfterFailure: boolean): void {
    if (this.closed || this.closing) throw new RunStoreError(`run ${this.runId} is closed; open a writer again to change it`, this.file);
    // A journal that cannot be written means replies would be lost silently: stop the run instead.
    const failure = this.journal.error ?? this.checkpointFailure;
    if (refuseAfterFailure && failure) throw failure;
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0; // not on disk yet: the first checkpoint learns its size
  }
}

function key(itemId: string, sampleIndex: number): string {
  return `${itemId}\u0000${sampleIndex}`;
}
