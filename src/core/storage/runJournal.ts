/**
 * The append-only journal beside a run file (`<run>.sqlite.journal`). Every change a writer makes is
 * one JSON line here first: small appends, fsynced in batches, so the cost of making a reply durable
 * does not grow with the run file. Checkpoints fold the journal into the `.sqlite` (see journalFold.ts)
 * and readers replay whatever has not been folded yet.
 *
 * Rotation keeps a fold and new appends apart: the journal is renamed to `<run>.sqlite.journal.folding`,
 * folded, and removed; appends meanwhile go to a fresh journal. Replaying an entry twice is harmless
 * (every entry is an upsert of a final value), so a crash between any two steps loses nothing.
 */
import * as fs from 'node:fs';
import type { Database } from 'sql.js';
import type { ItemScore } from '../benchmarks/types';
import { RunStoreError, errorMessage } from '../errors';
import { RowStatements, sampleExists, upsertSample, upsertScore } from './rows';
import type { RunRecord, SampleRecord } from './types';

/**
 * The parts of the run record a writer changes; id and createdAt never change. The config changes only when
 * a rescore records the scorer version that judged the run (absent in journals written before that).
 */
export type RunState = Pick<RunRecord, 'status' | 'metrics' | 'updatedAt'> & Partial<Pick<RunRecord, 'error' | 'serverFacts' | 'config'>>;

export type JournalEntry =
  | { t: 'sample'; sample: SampleRecord }
  | { t: 'score'; itemId: string; sampleIndex: number; score: ItemScore }
  | { t: 'run'; state: RunState };

export function journalFileFor(runFile: string): string {
  return `${runFile}.journal`;
}

export function foldingFileFor(runFile: string): string {
  return `${runFile}.journal.folding`;
}

/** The journal segments of a run that are not folded yet, oldest first (those that exist). */
export function pendingSegments(runFile: string): string[] {
  return [foldingFileFor(runFile), journalFileFor(runFile)].filter((f) => fs.existsSync(f));
}

/**
 * Entries of one segment. A kill mid-append leaves at most a torn last line; reading stops at the first
 * line that is not a whole entry, since nothing valid can follow a torn write of the only appender.
 */
export function parseJournal(text: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) break; // no newline: a torn tail
    const line = text.slice(start, end);
    start = end + 1;
    if (line === '') continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line);
    } catch {
      break;
    }
    if (!entry || typeof entry !== 'object' || !('t' in entry)) break;
    entries.push(entry);
  }
  return entries;
}

/**
 * Read the unfolded segments. The newer segment is read first: a fold that completes meanwhile only makes
 * the older one vanish after its entries are in the `.sqlite`, so no entry is missed by a concurrent reader.
 */
export async function readPendingEntries(runFile: string): Promise<JournalEntry[]> {
  const newer = await readIfPresent(journalFileFor(runFile));
  const older = await readIfPresent(foldingFileFor(runFile));
  return [...parseJournal(older), ...parseJournal(newer)];
}

async function readIfPresent(file: string): Promise<string> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new RunStoreError(`could not read the run's journal: ${errorMessage(error)}`, file, { cause: error });
  }
}

/** Apply entries to a database and return the run record they lead to. */
export function applyEntries(db: Database, record: RunRecord, entries: JournalEntry[]): RunRecord {
  let next = record;
  const statements = new RowStatements(db);
  try {
    for (const entry of entries) {
      if (entry.t === 'sample') upsertSample(statements, entry.sample);
      else if (entry.t === 'score') {
        if (sampleExists(statements, entry.itemId, entry.sampleIndex)) upsertScore(statements, entry.itemId, entry.sampleIndex, entry.score);
      } else if (entry.t === 'run') next = withState(next, entry.state);
    }
  } finally {
    statements.free();
  }
  return next;
}

export function withState(record: RunRecord, state: RunState): RunRecord {
  const next: RunRecord = { ...record, status: state.status, metrics: state.metrics, updatedAt: state.updatedAt };
  delete next.error;
  delete next.serverFacts;
  if (state.error !== undefined) next.error = state.error;
  if (state.serverFacts !== undefined) next.serverFacts = state.serverFacts;
  if (state.config !== undefined) next.config = state.config;
  return next;
}

export function stateOf(record: RunRecord): RunState {
  const state: RunState = { status: record.status, metrics: record.metrics, updatedAt: record.updatedAt };
  if (record.error !== undefined) state.error = record.error;
  if (record.serverFacts !== undefined) state.serverFacts = record.serverFacts;
  state.config = record.config;
  return state;
}

export interface JournalLimits {
  /** A batch is written at the latest this long after its first entry (ms). */
  batchMs: number;
  /** A batch is written as soon as it holds this many samples. */
  batchSamples: number;
  /** Writers are asked to wait (`backpressure`) while this many samples are not yet on disk. */
  maxUnsavedSamples: number;
}

/** Every sample is on disk within ~batchMs + one fsync, and at most maxUnsavedSamples (+ lanes) are ever at risk. */
export const DEFAULT_JOURNAL_LIMITS: JournalLimits = { batchMs: 200, batchSamples: 16, maxUnsavedSamples: 40 };

/**
 * Append, create, and (where the platform has O_DSYNC) return from each write only once it is on disk.
 * Under load each thread-pool trip waits for a core: write + datasync as two trips made the lanes wait for
 * the journal (backpressure) on a third of a fast run's items.
 */
const APPEND_DURABLY = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | (fs.constants.O_DSYNC ?? 0);

/** The appending side, owned by the run's one writer. */
export class RunJournal {
  private buffer: string[] = [];
  private bufferedSamples = 0;
  private writingSamples = 0;
  private timer: NodeJS.Timeout | undefined;
  private handle: fs.promises.FileHandle | undefined;
  /** Bytes of whole entries in the open journal file. */
  private size = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure: RunStoreError | undefined;
  private waiters: (() => void)[] = [];
  /**
   * Characters appended since the last rotation, written yet or not (about how many bytes a checkpoint would
   * fold): counted as they are appended, so a checkpoint is due when the entries are, not when the disk has them.
   */
  bytesSinceRotation = 0;

  constructor(
    private readonly runId: string,
    private readonly runFile: string,
    private readonly limits: JournalLimits = DEFAULT_JOURNAL_LIMITS,
  ) {}

  /** The last write's failure, until a write succeeds. */
  get error(): RunStoreError | undefined {
    return this.failure;
  }

  append(entry: JournalEntry): void {
    const line = `${JSON.stringify(entry)}\n`;
    this.buffer.push(line);
    this.bytesSinceRotation += line.length;
    if (entry.t === 'sample') this.bufferedSamples++;
    if (this.bufferedSamples >= this.limits.batchSamples) void this.write().catch(() => {});
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.write().catch(() => {});
      }, this.limits.batchMs);
      this.timer.unref();
    }
  }

  /** Resolves when fewer than maxUnsavedSamples samples wait for the disk; undefined when that is already so. */
  backpressure(): Promise<void> | undefined {
    if (this.unsaved() < this.limits.maxUnsavedSamples || this.failure) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Write and fsync everything appended so far. */
  write(): Promise<void> {
    const run = this.chain.then(() => this.writeNow());
    this.chain = run.catch(() => {});
    return run;
  }

  /**
   * Move the journal aside for a fold: returns the segment to fold, or undefined when nothing was
   * appended. New appends go to a fresh journal file.
   */
  rotate(): Promise<string | undefined> {
    const run = this.chain.then(async () => {
      await this.writeNow();
      await this.closeHandle();
      const journal = journalFileFor(this.runFile);
      if (!fs.existsSync(journal)) return undefined;
      const folding = foldingFileFor(this.runFile);
      if (fs.existsSync(folding)) throw new RunStoreError('an earlier checkpoint of this run did not finish; its journal is kept', folding);
      await fs.promises.rename(journal, folding);
      // What was appended while the rename ran is in the buffer, bound for the new journal.
      this.bytesSinceRotation = this.buffer.reduce((sum, line) => sum + line.length, 0);
      return folding;
    });
    this.chain = run.then(() => {}, () => {});
    return run;
  }

  async close(): Promise<void> {
    await this.write().catch(() => {});
    await this.chain;
    await this.closeHandle();
    this.release();
  }

  private unsaved(): number {
    return this.bufferedSamples + this.writingSamples;
  }

  private async writeNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.writingSamples = this.bufferedSamples;
    this.bufferedSamples = 0;
    try {
      if (!this.handle) {
        this.handle = await fs.promises.open(journalFileFor(this.runFile), APPEND_DURABLY);
        this.size = (await this.handle.stat()).size;
      }
      // After a failed write the file may end in part of a line: cut it, or replay would stop there.
      if (this.failure) await this.handle.truncate(this.size);
      await this.handle.write(text);
      // Opened O_DSYNC, the write returned only once its data was on disk: one trip to the thread pool, not two.
      if (!fs.constants.O_DSYNC) await this.handle.datasync();
      this.size += Buffer.byteLength(text);
      this.failure = undefined;
    } catch (error) {
      // Kept for the next attempt: nothing appended is dropped because one write failed.
      this.buffer.unshift(text);
      this.bufferedSamples += this.writingSamples;
      this.failure = new RunStoreError(`could not save run ${this.runId}: ${errorMessage(error)}`, journalFileFor(this.runFile), { cause: error });
      throw this.failure;
    } finally {
      this.writingSamples = 0;
      this.release();
    }
  }

  private release(): void {
    if (this.unsaved() >= this.limits.maxUnsavedSamples && !this.failure) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => {});
  }
}
