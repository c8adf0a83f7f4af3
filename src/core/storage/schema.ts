/**
 * The run file's schema. `PRAGMA application_id` marks a file as ours; `PRAGMA user_version` is the
 * schema version, moved forward one step at a time by MIGRATIONS (each step in its own transaction).
 */
import type { Database } from 'sql.js';
import { NotARunFileError, RunStoreError } from '../errors';

/** "EvB1" in ASCII. */
export const APPLICATION_ID = 0x45764231;

export interface Migration {
  /** The version this step produces; steps run in order from the file's version + 1. */
  version: number;
  up(db: Database): void;
}

const V1 = `
CREATE TABLE run (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  status TEXT NOT NULL,
  config_json TEXT NOT NULL,
  server_facts_json TEXT,
  metrics_json TEXT NOT NULL DEFAULT '[]',
  error TEXT
);
CREATE TABLE items (
  id TEXT PRIMARY KEY,
  idx INTEGER NOT NULL,
  prompt_json TEXT NOT NULL,
  data_json TEXT
);
CREATE TABLE samples (
  item_id TEXT NOT NULL,
  sample_index INTEGER NOT NULL,
  status TEXT NOT NULL,
  response TEXT,
  finish_reason TEXT,
  truncated INTEGER,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  latency_ms REAL,
  ttft_ms REAL,
  attempts INTEGER,
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  PRIMARY KEY (item_id, sample_index)
);
CREATE TABLE scores (
  item_id TEXT NOT NULL,
  sample_index INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  score REAL NOT NULL,
  values_json TEXT NOT NULL,
  failure_cause TEXT,
  explanation_json TEXT NOT NULL,
  details_json TEXT,
  PRIMARY KEY (item_id, sample_index)
);
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up(db) {
      db.run(`PRAGMA application_id = ${APPLICATION_ID}`);
      db.exec(V1);
    },
  },
  {
    // The chosen tokens' log-probabilities, when the run asked for them (drift between two models).
    version: 2,
    up(db) {
      db.exec('ALTER TABLE samples ADD COLUMN logprobs_json TEXT');
    },
  },
  {
    // Which replica answered, when one endpoint has several base URLs.
    version: 3,
    up(db) {
      db.exec('ALTER TABLE samples ADD COLUMN replica TEXT');
    },
  },
  {
    // What the server said beyond the reply: its own timings (no queue time in them) and what EvalBench
    // changed to get the reply (max_tokens lowered to fit the context), as JSON.
    version: 4,
    up(db) {
      db.exec('ALTER TABLE samples ADD COLUMN server_json TEXT');
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

function pragma(db: Database, name: string): number {
  return Number(db.exec(`PRAGMA ${name}`)[0]?.values[0]?.[0] ?? 0);
}

export function schemaVersion(db: Database): number {
  return pragma(db, 'user_version');
}

/** A brand-new, empty database: run every step. */
export function initialize(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  migrate(db, migrations, 0);
}

/** Bring an existing database to the newest version; returns whether anything changed. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, from = schemaVersion(db), file?: string): boolean {
  const latest = migrations[migrations.length - 1].version;
  if (from > latest) {
    throw new RunStoreError(`the run file has schema version ${from}, newer than this EvalBench knows (${latest}); update EvalBench to open it`, file);
  }
  let changed = false;
  for (const step of migrations) {
    if (step.version <= from) continue;
    db.exec('BEGIN');
    try {
      step.up(db);
      db.run(`PRAGMA user_version = ${step.version}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw new RunStoreError(`could not upgrade the run file to schema version ${step.version}: ${(error as Error).message}`, file, { cause: error });
    }
    changed = true;
  }
  return changed;
}

/**
 * Refuse a database that is not ours or is damaged. sql.js only notices damage when pages are read,
 * so quick_check reads them all now (a few ms for a 10 MB file) rather than failing mid-read later.
 */
export function assertRunDatabase(db: Database, file: string): void {
  let appId: number;
  try {
    appId = pragma(db, 'application_id');
  } catch (error) {
    throw new RunStoreError(`the run file is corrupt (${(error as Error).message}); it was left as it is`, file, { cause: error });
  }
  if (appId !== APPLICATION_ID) {
    throw new NotARunFileError(
      `this SQLite file is not an EvalBench run (application_id ${appId}, expected ${APPLICATION_ID}); it was left as it is`,
      file,
    );
  }
  let check: unknown;
  try {
    check = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
  } catch (error) {
    throw new RunStoreError(`the run file is corrupt (${(error as Error).message}); it was left as it is`, file, { cause: error });
  }
  if (check !== 'ok') throw new RunStoreError(`the run file is corrupt (${String(check)}); it was left as it is`, file);
}
