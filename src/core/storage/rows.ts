/** Rows ↔ records. Optional fields are omitted (never set to undefined), so records round-trip exactly. */
import type { Database, SqlValue, Statement } from 'sql.js';
import type { ItemScore } from '../benchmarks/types';
import { countOutcomes, type OutcomeCounts } from '../outcome';
import type { RunRecord, SampleRecord, SampleStatus, StoredItem } from './types';

type Row = Record<string, SqlValue>;

function all(db: Database, sql: string, params: SqlValue[] = []): Row[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const rows: Row[] = [];
    let names: string[] | undefined;
    // get() + the names once is several times faster than getAsObject() per row on large runs.
    while (stmt.step()) {
      names ??= stmt.getColumnNames();
      const values = stmt.get();
      const row: Row = {};
      for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
      rows.push(row);
    }
    return rows;
  } finally {
    stmt.free();
  }
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const parse = (value: SqlValue): any => (value === null || value === undefined ? undefined : JSON.parse(String(value)));

// ---- run ----

export function insertRun(db: Database, run: RunRecord): void {
  db.run(
    'INSERT INTO run (id, created_at, updated_at, status, config_json, server_facts_json, metrics_json, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [run.id, run.createdAt, run.updatedAt, run.status, JSON.stringify(run.config), json(run.serverFacts), JSON.stringify(run.metrics), run.error ?? null],
  );
}

export function writeRun(db: Database, run: RunRecord): void {
  db.run(
    'UPDATE run SET updated_at = ?, status = ?, config_json = ?, server_facts_json = ?, metrics_json = ?, error = ? WHERE id = ?',
    [run.updatedAt, run.status, JSON.stringify(run.config), json(run.serverFacts), JSON.stringify(run.metrics), run.error ?? null, run.id],
  );
}

export function readRun(db: Database): RunRecord | undefined {
  const row = all(db, 'SELECT * FROM run LIMIT 1')[0];
  if (!row) return undefined;
  const run: RunRecord = {
    id: String(row.id),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    status: String(row.status) as RunRecord['status'],
    config: parse(row.config_json),
    metrics: parse(row.metrics_json) ?? [],
  };
  if (row.server_facts_json !== null) run.serverFacts = parse(row.server_facts_json);
  if (row.error !== null) run.error = String(row.error);
  return run;
}

// ---- items ----

export function insertItems(db: Database, items: readonly StoredItem[]): void {
  const stmt = db.prepare('INSERT INTO items (id, idx, prompt_json, data_json) VALUES (?, ?, ?, ?)');
  try {
    for (const item of items) stmt.run([item.id, item.index, JSON.stringify(item.prompt), json(item.data)]);
  } finally {
    stmt.free();
  }
}

export function readItems(db: Database): StoredItem[] {
  return all(db, 'SELECT * FROM items ORDER BY idx, id').map((row) => ({
    id: String(row.id),
    index: Number(row.idx),
    prompt: parse(row.prompt_json),
    data: parse(row.data_json),
  }));
}

/**
 * The items exactly as readItems returns them after insertItems (JSON round trip, index then id order),
 * without a database: a new run's writer gets them while the run file is written on the storage thread.
 */
export function itemsAsStored(items: readonly StoredItem[]): StoredItem[] {
  return items
    .map((item) => ({ id: String(item.id), index: Number(item.index), prompt: jsonRoundTrip(item.prompt), data: item.data === undefined ? undefined : jsonRoundTrip(item.data) }))
    .sort((a, b) => a.index - b.index || compareUtf8(a.id, b.id));
}

/**
 * JSON.parse(JSON.stringify(value)) for plain data without writing the text: strings are shared, not copied
 * (a 5,000-item run's text round trip blocked the event loop for ~0.1 s). Anything not plain data (toJSON,
 * class instances) takes the real round trip.
 */
export function jsonRoundTrip(value: unknown): any {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null; // -0 → 0, NaN/±Infinity → null
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return JSON.parse(JSON.stringify(value));
    return value.map((v) => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : jsonRoundTrip(v)));
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(value));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      // JSON.parse makes "__proto__" an own property; an assignment would set the prototype instead.
      if (k === '__proto__') Object.defineProperty(out, k, { value: jsonRoundTrip(v), enumerable: true, writable: true, configurable: true });
      else out[k] = jsonRoundTrip(v);
    }
    return out;
  }
  return JSON.parse(JSON.stringify(value) ?? 'null'); // bigint throws, as JSON.stringify does
}

/** SQLite's default (BINARY) collation compares UTF-8 bytes; JS strings compare UTF-16 units, which differ above U+FFFF. */
function compareUtf8(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function itemIds(db: Database): string[] {
  return all(db, 'SELECT id FROM items ORDER BY idx, id').map((row) => String(row.id));
}

// ---- samples and scores ----

/**
 * Runs the row writes of one batch (a journal segment folded or replayed, a whole save) with each SQL prepared
 * once: sql.js's db.run(sql, params) compiles the SQL on every call, four times per sample, which was most of
 * a fold's time. Freed by free() (sql.js frees a database's statements on export() and close(): a batch ends
 * before either). Every sample and score write goes through one.
 */
export class RowStatements {
  private readonly prepared = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  run(sql: string, params: SqlValue[]): void {
    this.statement(sql).run(params);
  }

  /** Whether the query gives a row. */
  exists(sql: string, params: SqlValue[]): boolean {
    const stmt = this.statement(sql);
    try {
      stmt.bind(params);
      return stmt.step();
    } finally {
      stmt.reset();
    }
  }

  free(): void {
    for (const stmt of this.prepared.values()) stmt.free();
    this.prepared.clear();
  }

  private statement(sql: string): Statement {
    let stmt = this.prepared.get(sql);
    if (!stmt) this.prepared.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }
}

const UPSERT_SAMPLE = `INSERT OR REPLACE INTO samples (item_id, sample_index, status, response, finish_reason, truncated, prompt_tokens,
       completion_tokens, latency_ms, ttft_ms, attempts, error, started_at, finished_at, logprobs_json, replica, server_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const DELETE_SCORE = 'DELETE FROM scores WHERE item_id = ? AND sample_index = ?';
const UPSERT_SCORE = `INSERT OR REPLACE INTO scores (item_id, sample_index, passed, score, values_json, failure_cause, explanation_json, details_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
const SAMPLE_EXISTS = 'SELECT 1 FROM samples WHERE item_id = ? AND sample_index = ?';

export function upsertSample(rows: RowStatements, s: SampleRecord): void {
  rows.run(UPSERT_SAMPLE, [
    s.itemId, s.sampleIndex, s.status, s.response ?? null, s.finishReason ?? null,
    s.truncated === undefined ? null : Number(s.truncated), s.promptTokens ?? null, s.completionTokens ?? null,
    s.latencyMs ?? null, s.ttftMs ?? null, s.attempts ?? null, s.error ?? null, s.startedAt, s.finishedAt, json(s.logprobs), s.replica ?? null,
    s.notes || s.serverTimings ? JSON.stringify({ notes: s.notes, serverTimings: s.serverTimings }) : null,
  ]);
  // A new reply replaces the old one's score too: a score always belongs to the reply stored with it.
  if (s.score) upsertScore(rows, s.itemId, s.sampleIndex, s.score);
  else rows.run(DELETE_SCORE, [s.itemId, s.sampleIndex]);
}

export function upsertScore(rows: RowStatements, itemId: string, sampleIndex: number, score: ItemScore): void {
  rows.run(UPSERT_SCORE, [itemId, sampleIndex, Number(score.passed), score.score, JSON.stringify(score.values), score.failureCause ?? null,
    JSON.stringify(score.explanation), json(score.details)]);
}

export function sampleExists(rows: RowStatements, itemId: string, sampleIndex: number): boolean {
  return rows.exists(SAMPLE_EXISTS, [itemId, sampleIndex]);
}

export function readSamples(db: Database, filter: { itemId?: string; status?: SampleStatus } = {}): SampleRecord[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.itemId !== undefined) (where.push('s.item_id = ?'), params.push(filter.itemId));
  if (filter.status !== undefined) (where.push('s.status = ?'), params.push(filter.status));
  const sql = `SELECT s.*, sc.passed, sc.score, sc.values_json, sc.failure_cause, sc.explanation_json, sc.details_json
    FROM samples s
    LEFT JOIN items i ON i.id = s.item_id
    LEFT JOIN scores sc ON sc.item_id = s.item_id AND sc.sample_index = s.sample_index
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY i.idx, s.item_id, s.sample_index`;
  return all(db, sql, params).map(toSample);
}

function toSample(row: Row): SampleRecord {
  const s: SampleRecord = {
    itemId: String(row.item_id),
    sampleIndex: Number(row.sample_index),
    status: String(row.status) as SampleStatus,
    startedAt: String(row.started_at),
    finishedAt: String(row.finished_at),
  };
  if (row.response !== null) s.response = String(row.response);
  if (row.finish_reason !== null) s.finishReason = String(row.finish_reason);
  if (row.truncated !== null) s.truncated = Boolean(row.truncated);
  if (row.prompt_tokens !== null) s.promptTokens = Number(row.prompt_tokens);
  if (row.completion_tokens !== null) s.completionTokens = Number(row.completion_tokens);
  if (row.latency_ms !== null) s.latencyMs = Number(row.latency_ms);
  if (row.ttft_ms !== null) s.ttftMs = Number(row.ttft_ms);
  if (row.attempts !== null) s.attempts = Number(row.attempts);
  if (row.error !== null) s.error = String(row.error);
  if (row.logprobs_json !== null && row.logprobs_json !== undefined) s.logprobs = parse(row.logprobs_json);
  if (row.replica !== null && row.replica !== undefined) s.replica = String(row.replica);
  if (row.server_json !== null && row.server_json !== undefined) {
    const server = parse(row.server_json) as Pick<SampleRecord, 'notes' | 'serverTimings'>;
    if (server.notes) s.notes = server.notes;
    if (server.serverTimings) s.serverTimings = server.serverTimings;
  }
  if (row.passed !== null && row.passed !== undefined) {
    const score: ItemScore = {
      passed: Boolean(row.passed),
      score: Number(row.score),
      values: parse(row.values_json),
      explanation: parse(row.explanation_json),
    };
    if (row.failure_cause !== null) score.failureCause = String(row.failure_cause);
    if (row.details_json !== null) score.details = parse(row.details_json);
    s.score = score;
  }
  return s;
}

/** (itemId, sampleIndex) of every stored sample with the given status, or of all when omitted. */
export function sampleKeys(db: Database, status?: SampleStatus): { itemId: string; sampleIndex: number }[] {
  const sql = `SELECT s.item_id, s.sample_index FROM samples s LEFT JOIN items i ON i.id = s.item_id
    ${status ? 'WHERE s.status = ?' : ''} ORDER BY i.idx, s.item_id, s.sample_index`;
  return all(db, sql, status ? [status] : []).map((row) => ({ itemId: String(row.item_id), sampleIndex: Number(row.sample_index) }));
}

/** Samples per outcome, derived by outcome.ts from the stored columns alone (no records built). */
export function countSamples(db: Database, samplesPerItem: number): OutcomeCounts {
  const items = Number(db.exec('SELECT count(*) FROM items')[0]?.values[0]?.[0] ?? 0);
  const rows = all(db, `SELECT s.status, sc.passed, sc.failure_cause FROM samples s
    LEFT JOIN scores sc ON sc.item_id = s.item_id AND sc.sample_index = s.sample_index`);
  return countOutcomes(
    rows.map((row) => ({
      status: String(row.status) as 'done' | 'failed',
      scored: row.passed !== null && row.passed !== undefined,
      passed: Boolean(row.passed),
      failureCause: row.failure_cause === null || row.failure_cause === undefined ? undefined : String(row.failure_cause),
    })),
    items * samplesPerItem,
  );
}
