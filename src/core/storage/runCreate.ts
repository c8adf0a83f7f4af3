/**
 * Writing a new run file: the schema, the run record and every item, exported and put on disk atomically.
 * It needs only the records, so it runs on the storage thread (foldRunner.ts): for a 5,000-item run the
 * inserts and the export blocked the caller's event loop for ~0.2 s, and the first run of a process also
 * paid sql.js's start there.
 */
import { writeFileAtomic } from './atomicWrite';
import { insertItems, insertRun, RowStatements, upsertSample } from './rows';
import { initialize } from './schema';
import { loadSqlJs } from './sqlJs';
import type { RunRecord, SampleRecord, StoredItem } from './types';

/** The bytes of a whole run database holding `record`, `items` and `samples` (a new run has none; RunWriter's whole save has them all). */
export async function runFileBytes(record: RunRecord, items: readonly StoredItem[], samples: Iterable<SampleRecord> = []): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    initialize(db);
    db.exec('BEGIN');
    insertRun(db, record);
    insertItems(db, items);
    const statements = new RowStatements(db);
    try {
      for (const sample of samples) upsertSample(statements, sample);
    } finally {
      statements.free();
    }
    db.exec('COMMIT');
    return db.export();
  } finally {
    db.close();
  }
}

/** Write `runFile` holding `record` and `items` (replacing nothing: the caller holds the lock and checked it is new). */
export async function createRunFile(runFile: string, record: RunRecord, items: readonly StoredItem[]): Promise<number> {
  const bytes = await runFileBytes(record, items);
  await writeFileAtomic(runFile, bytes);
  return bytes.byteLength;
}
