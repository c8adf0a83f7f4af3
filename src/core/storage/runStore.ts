/**
 * Run files in one folder: `<runId>.sqlite` (the run, a sql.js database), `<runId>.summary.json`
 * (what lists show) and, while a writer has it open, `<runId>.sqlite.lock` and the journal of changes
 * not yet folded into the file, `<runId>.sqlite.journal` (runJournal.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotARunFileError, RunNotFoundError, RunStoreError, errorMessage } from '../errors';
import { makeDirectory } from '../makeDirectory';
import { TEMP_MARK, writeFileAtomic } from './atomicWrite';
import { DbRunReader, loadRunDatabase } from './runFile';
import type { RunReader, RunWriter } from './runHandles';
import { isValidRunId, makeRunId } from './runId';
import { acquireLock, liveOwner, lockFileFor } from './runLock';
import { createInBackground, warmStorageThread } from './foldRunner';
import { itemsAsStored } from './rows';
import { readSummaryFile } from './summary';
import { isUnfinished, metricsOfStoredSamples } from './storedMetrics';
import { foldingFileFor, journalFileFor } from './runJournal';
import { DEFAULT_FLUSH, DbRunWriter, type FlushOptions } from './runWriter';
import type { RunConfig, RunRecord, RunSummary, StoredItem } from './types';

export type { RunReader, RunWriter, SampleKey } from './runHandles';
export { makeRunId } from './runId';

/** Where callers keep runs, relative to the workspace (or the CLI's working folder). */
export const DEFAULT_RUNS_SUBDIR = '.evalbench/runs';

const RUN_EXT = '.sqlite';
const SUMMARY_EXT = '.summary.json';

export class RunStore {
  readonly runsDir: string;
  private readonly flushOptions: FlushOptions;

  constructor(runsDir: string, options: Partial<FlushOptions> = {}) {
    this.runsDir = path.resolve(runsDir);
    this.flushOptions = { ...DEFAULT_FLUSH, ...options };
  }

  fileFor(runId: string): string {
    if (!isValidRunId(runId)) throw new RunStoreError(`"${runId}" is not a valid run id (letters, digits, ".", "_" and "-" only)`);
    return path.join(this.runsDir, `${runId}${RUN_EXT}`);
  }

  /** Start the thread that writes run files (it loads sql.js), ahead of a create() that is coming. */
  warmUp(): void {
    warmStorageThread();
  }

  /** Start a new run file (refuses an existing one) and hold its lock. It is on disk when this resolves. */
  async create(config: RunConfig, options: { runId?: string; items: StoredItem[] } = { items: [] }): Promise<RunWriter> {
    // The storage thread loads sql.js while the folder is made and the lock taken.
    warmStorageThread();
    await makeDirectory(this.runsDir);
    for (let attempt = 0; ; attempt++) {
      const runId = options.runId ?? makeRunId(config.endpoint.model, config.benchmarkId);
      const file = this.fileFor(runId);
      const release = acquireLock(runId, file);
      if (fs.existsSync(file)) {
        release();
        if (options.runId === undefined && attempt < 5) continue; // a random suffix collided: draw again
        throw new RunStoreError(`run ${runId} already exists; choose another id or delete it first`, file);
      }
      let writer: DbRunWriter | undefined;
      try {
        const now = new Date().toISOString();
        const record: RunRecord = { id: runId, createdAt: now, updatedAt: now, status: 'running', config: structuredClone(config), metrics: [] };
        // A journal left by a run of the same id whose .sqlite was deleted by hand is not this run's.
        await removeJournal(file);
        // The database is built and written on the storage thread; this thread keeps serving its event loop.
        // The items as the file will hold them (JSON's view of them: what a reader reads back) go to both.
        const items = itemsAsStored(options.items);
        const fileBytes = await createInBackground(file, record, items);
        writer = new DbRunWriter(runId, file, { items, samples: [], fileBytes }, record, this.summaryFileOf(file), release, this.flushOptions);
        // The run file is on disk (all a resume needs); its summary, a cache that lists rebuild when it is
        // missing, is written meanwhile rather than before the first request.
        writer.saveSummarySoon();
        return writer;
      } catch (error) {
        if (writer) await writer.close().catch(() => {});
        else release();
        await fs.promises.rm(file, { force: true }).catch(() => {}); // only ever our own new file
        throw error instanceof RunStoreError ? error : new RunStoreError(`could not create run ${runId}: ${errorMessage(error)}`, file, { cause: error });
      }
    }
  }

  /** Open a run to change it (resume, re-score): takes the lock, refuses a file another live process writes. */
  async openWriter(runIdOrFile: string): Promise<RunWriter> {
    const { runId, file } = this.resolve(runIdOrFile);
    const release = acquireLock(runId, file);
    try {
      const { db, record, migrated } = await loadRunDatabase(file);
      await removeTempFiles(file);
      const writer = DbRunWriter.fromDatabase(runId, file, db, record, this.summaryFileOf(file), release, this.flushOptions, migrated);
      // What a killed writer left in its journal goes into the file now, so this writer starts a clean journal.
      if (migrated || writer.hasUnfoldedJournal()) {
        await writer.checkpoint().catch(async (error) => {
          await writer.close().catch(() => {});
          throw error;
        });
      }
      return writer;
    } catch (error) {
      release();
      throw error;
    }
  }

  /** A snapshot to read; no lock, so it works while another process writes (its flushes replace the file whole). */
  async openReader(runIdOrFile: string): Promise<RunReader> {
    const { runId, file } = this.resolve(runIdOrFile);
    const { db, record } = await loadRunDatabase(file);
    const reader = new DbRunReader(runId, file, db, record);
    if (!isUnfinished(record)) return reader;
    // Not ended: the metrics its file holds are about other samples (see storedMetrics.ts).
    try {
      const metrics = metricsOfStoredSamples(record.config, reader.samples(), reader.items().length);
      return new DbRunReader(runId, file, db, withLiveness({ ...record, metrics }, file));
    } catch (error) {
      reader.close();
      throw error;
    }
  }

  /**
   * Every run, newest first, from the summary files alone. A run whose summary is missing or garbled
   * is rebuilt from its database (and the summary rewritten when nobody is writing it); a run that
   * cannot be read at all is left out and reported to `onProblem`.
   */
  async listSummaries(options: { onProblem?: (file: string, reason: string) => void } = {}): Promise<RunSummary[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.runsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new RunStoreError(`could not list the runs folder: ${errorMessage(error)}`, this.runsDir, { cause: error });
    }
    const present = new Set(names);
    const summaries: RunSummary[] = [];
    for (const name of names) {
      if (!name.endsWith(RUN_EXT)) continue;
      const file = path.join(this.runsDir, name);
      const summaryFile = this.summaryFileOf(file);
      if (present.has(path.basename(summaryFile))) {
        const read = readSummaryFile(summaryFile, file);
        if (!('problem' in read)) {
          // Rebuilt when its writer died after writing more; kept as it is when the rebuild cannot read the files.
          const rebuilt = outdatedByDeadWriter(read, file, summaryFile) ? await this.rebuildSummary(file, summaryFile) : undefined;
          summaries.push(withLiveness(rebuilt && !('problem' in rebuilt) ? rebuilt : read, file));
          continue;
        }
      }
      const rebuilt = await this.rebuildSummary(file, summaryFile);
      if ('problem' in rebuilt) options.onProblem?.(file, rebuilt.problem);
      else summaries.push(withLiveness(rebuilt, file));
    }
    for (const name of names) {
      if (!name.endsWith(SUMMARY_EXT)) continue;
      const runFile = path.join(this.runsDir, name.slice(0, -SUMMARY_EXT.length) + RUN_EXT);
      if (!present.has(path.basename(runFile))) options.onProblem?.(runFile, 'a summary without its run file (deleted by hand?)');
    }
    return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** Remove a run's files; refuses a run that a live process is writing. */
  async delete(runId: string): Promise<void> {
    const file = this.fileFor(runId);
    if (!fs.existsSync(file) && !fs.existsSync(this.summaryFileOf(file))) throw new RunNotFoundError(`no run ${runId} to delete`, file);
    const owner = liveOwner(file);
    if (owner) throw new RunStoreError(`run ${runId} is being written by pid ${owner.pid} on host ${owner.hostname}; stop it before deleting`, file);
    const release = acquireLock(runId, file); // keeps a writer from opening it while its files go
    try {
      await fs.promises.rm(file, { force: true });
      await fs.promises.rm(this.summaryFileOf(file), { force: true });
      await removeJournal(file);
      await removeTempFiles(file);
    } finally {
      release();
    }
  }

  private summaryFileOf(runFile: string): string {
    return runFile.slice(0, -RUN_EXT.length) + SUMMARY_EXT;
  }

  /** A run id (in this folder) or a path to a `.sqlite` file anywhere. */
  private resolve(runIdOrFile: string): { runId: string; file: string } {
    if (runIdOrFile.endsWith(RUN_EXT) || runIdOrFile.includes('/') || runIdOrFile.includes(path.sep)) {
      const file = path.resolve(this.runsDir, runIdOrFile);
      if (!file.endsWith(RUN_EXT)) throw new NotARunFileError(`a run file ends with ${RUN_EXT}`, file);
      if (!fs.existsSync(file)) throw new RunNotFoundError('no such run file', file);
      return { runId: path.basename(file, RUN_EXT), file };
    }
    const file = this.fileFor(runIdOrFile);
    if (!fs.existsSync(file)) throw new RunNotFoundError(`no run ${runIdOrFile} in ${this.runsDir}; "evalbench list" shows the runs there`, file);
    return { runId: runIdOrFile, file };
  }

  private async rebuildSummary(file: string, summaryFile: string): Promise<RunSummary | { problem: string }> {
    let reader: RunReader | undefined;
    try {
      reader = await this.openReader(file);
      const summary = reader.summary();
      // A live writer rewrites it on its next flush; otherwise save the rebuilt one for next time.
      if (!liveOwner(file)) await writeFileAtomic(summaryFile, JSON.stringify(summary, null, 2)).catch(() => {});
      return summary;
    } catch (error) {
      return { problem: errorMessage(error) };
    } finally {
      reader?.close();
    }
  }
}

/**
 * A writer refreshes its run's summary about once a second, behind the journal: one killed mid-run leaves a
 * summary that lacks its last samples. Its run file or journal written since (or in the same clock tick) means
 * the summary must be rebuilt from them, so `list` and the tree count what `show` and resume see.
 */
function outdatedByDeadWriter(summary: RunSummary, file: string, summaryFile: string): boolean {
  if (!isUnfinished(summary) || liveOwner(file)) return false;
  const mtime = (f: string) => {
    try {
      return fs.statSync(f).mtimeMs;
    } catch {
      return -Infinity;
    }
  };
  const written = mtime(summaryFile);
  return [file, journalFileFor(file), foldingFileFor(file)].some((f) => mtime(f) >= written);
}

/**
 * A run that says "running" or "queued" while no live process holds its lock lost its writer (a kill, a
 * crash, a closed editor): it is interrupted and can be resumed. ("queued" too: a kill that lands before
 * the "running" entry reaches the disk, which a loaded machine's slow fsync makes likely, leaves it so.)
 * Only the view changes; the file is left alone.
 */
function withLiveness<T extends { status: RunRecord['status'] }>(run: T, file: string): T {
  return isUnfinished(run) && !liveOwner(file) ? { ...run, status: 'interrupted' } : run;
}

async function removeJournal(runFile: string): Promise<void> {
  for (const segment of [journalFileFor(runFile), foldingFileFor(runFile)]) await fs.promises.rm(segment, { force: true });
}

/** Temp files left by a writer killed mid-flush (only called while holding the run's lock). */
async function removeTempFiles(runFile: string): Promise<void> {
  const dir = path.dirname(runFile);
  const base = path.basename(runFile, RUN_EXT);
  const prefixes = [`${base}${RUN_EXT}${TEMP_MARK}`, `${base}${SUMMARY_EXT}${TEMP_MARK}`];
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => prefixes.some((p) => n.startsWith(p))).map((n) => fs.promises.rm(path.join(dir, n), { force: true }).catch(() => {})),
  );
}

export { lockFileFor };
