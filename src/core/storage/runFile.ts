/** A run database held in memory (sql.js), and the read side shared by readers and writers. */
import * as fs from 'node:fs';
import type { Database } from 'sql.js';
import { RunStoreError } from '../errors';
import { checkSqliteBytes } from './fileCheck';
import type { RunReader, SampleKey } from './runHandles';
import { countSamples, itemIds, readItems, readRun, readSamples, sampleKeys } from './rows';
import { assertRunDatabase, migrate, MIGRATIONS, type Migration } from './schema';
import { applyEntries, readPendingEntries } from './runJournal';
import { loadSqlJs } from './sqlJs';
import { buildSummary } from './summary';
import type { RunRecord, RunSummary, SampleRecord, SampleStatus, StoredItem } from './types';

/**
 * Read a run file into memory and check it is one of ours, at a schema we can use (older ones are
 * upgraded in memory only; a writer saves the upgrade with its first flush), with the journal's entries
 * that are not folded into it yet. Never modifies the file.
 */
export async function loadRunDatabase(
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
  options: { replayJournal: boolean } = { replayJournal: true },
): Promise<{ db: Database; record: RunRecord; migrated: boolean; journaled: boolean }> {
  // The journal is read before the file: a fold finishing in between removes only entries the file then has.
  const entries = options.replayJournal ? await readPendingEntries(file) : [];
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RunStoreError('no such run file', file);
    throw new RunStoreError(`could not read the run file: ${(error as Error).message}`, file, { cause: error });
  }
  checkSqliteBytes(bytes, file);
  const SQL = await loadSqlJs();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (error) {
    throw new RunStoreError(`the run file is corrupt (${(error as Error).message}); it was left as it is`, file, { cause: error });
  }
  try {
    assertRunDatabase(db, file);
    const migrated = migrate(db, migrations, undefined, file);
    let record: RunRecord | undefined;
    try {
      record = readRun(db);
    } catch (error) {
      throw new RunStoreError(`the run file's run record is unreadable (${(error as Error).message}); it was left as it is`, file, { cause: error });
    }
    if (!record) throw new RunStoreError('the run file has no run record (created but never saved?); it was left as it is', file);
    if (entries.length > 0) {
      db.exec('BEGIN');
      record = applyEntries(db, record, entries);
      db.exec('COMMIT');
    }
    return { db, record, migrated, journaled: entries.length > 0 };
  } catch (error) {
    db.close();
    throw error;
  }
}

export class DbRunReader implements RunReader {
  protected closed = false;

  constructor(
    readonly runId: string,
    readonly file: string,
    protected readonly db: Database,
    protected record: RunRecord,
  ) {}

  run(): RunRecord {
    return structuredClone(this.record);
  }

  items(): StoredItem[] {
    return readItems(this.open());
  }

  samples(filter?: { itemId?: string; status?: SampleStatus }): SampleRecord[] {
    return readSamples(this.open(), filter);
  }

  summary(): RunSummary {
    return buildSummary(this.record, this.file, countSamples(this.open(), this.record.config.samplesPerItem));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  protected open(): Database {
    if (this.closed) throw new RunStoreError(`run ${this.runId} is closed; open it again to read it`, this.file);
    return this.db;
  }
}
