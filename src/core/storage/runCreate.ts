/**
 * Writing a new run file: the schema, the run record and every item, exported and put on disk atomically.
 * It needs only the records, so it runs on the storage thread (foldRunner.ts): for a 5,000-item run the
 * inserts and the export blocked the caller's event loop for ~0.2 s, and the first run of a process also
 * paid sql.js's start there.
 */
import { writeFileAtomic } from './atomicWrite';
import { insertItems, insertRun } from './rows';
import { initialize } from './schema';
import { loadSqlJs } from './sqlJs';
import type { RunRecord, StoredItem } from './types';

/** Write `runFile` holding `record` and `items` (replacing nothing: the caller holds the lock and checked it is new). */
export async function createRunFile(runFile: string, record: RunRecord, items: readonly StoredItem[]): Promise<number> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  let bytes: Uint8Array;
  try {
    initialize(db);
    db.exec('BEGIN');
    insertRun(db, record);
    insertItems(db, items);
    db.exec('COMMIT');
    bytes = db.export();
  } finally {
    db.close();
  }
  await writeFileAtomic(runFile, bytes);
  return bytes.byteLength;
}
