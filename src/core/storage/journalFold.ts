/**
 * Folding journal segments into a run file: read the `.sqlite` from disk, apply the segments, export, and
 * replace the file atomically. It works on files alone (not on a writer's in-memory database), so it can
 * run in a worker thread: the `export()` of a large database never blocks the caller's event loop.
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from './atomicWrite';
import { loadRunDatabase } from './runFile';
import { applyEntries, parseJournal } from './runJournal';
import { writeRun } from './rows';

/** Fold `segments` (oldest first) into `runFile`, then remove them. Returns the file's new size. */
export async function foldSegments(runFile: string, segments: string[]): Promise<number> {
  if (segments.length === 0) return (await fs.promises.stat(runFile)).size;
  const { db, record } = await loadRunDatabase(runFile, undefined, { replayJournal: false });
  try {
    let next = record;
    db.exec('BEGIN');
    for (const segment of segments) next = applyEntries(db, next, parseJournal(await fs.promises.readFile(segment, 'utf8')));
    writeRun(db, next);
    db.exec('COMMIT');
    const bytes = db.export();
    await writeFileAtomic(runFile, bytes);
    // Only once the file holds them: a kill before this point replays the segments again (upserts, harmless).
    for (const segment of segments) await fs.promises.rm(segment, { force: true });
    return bytes.byteLength;
  } finally {
    db.close();
  }
}
