/** The reader and writer a RunStore hands out (re-exported by runStore.ts, where callers import them). */
import type { ItemScore } from '../benchmarks/types';
import type { RunRecord, RunSummary, SampleRecord, SampleStatus, StoredItem } from './types';

export interface SampleKey {
  itemId: string;
  sampleIndex: number;
}

/** A read-only snapshot of one run file, taken when it was opened; holds no lock. */
export interface RunReader {
  readonly runId: string;
  readonly file: string;
  /** Still answers after close() (the record is kept in memory). */
  run(): RunRecord;
  /** In dataset order. */
  items(): StoredItem[];
  /** In item order, then sample index; each with its score when scored. */
  samples(filter?: { itemId?: string; status?: SampleStatus }): SampleRecord[];
  summary(): RunSummary;
  close(): void;
}

export interface RunWriter extends RunReader {
  /** Upsert by (itemId, sampleIndex); replaces the stored score with sample.score (none = unscored). Persisted by the next flush. */
  putSample(sample: SampleRecord): void;
  /** Score an already stored sample. */
  setScore(itemId: string, sampleIndex: number, score: ItemScore): void;
  /** A key present with `undefined` clears that field (e.g. `{ error: undefined }`). */
  updateRun(patch: Partial<Pick<RunRecord, 'status' | 'metrics' | 'error' | 'serverFacts' | 'config'>>): void;
  /**
   * Resolves once few enough replies wait for the disk; undefined when none too many do. Callers that
   * produce samples await it, so a crash never loses more than a small fixed number of them.
   */
  backpressure(): Promise<void> | undefined;
  /** Everything so far into the `.sqlite` itself (journal fsynced, folded atomically), then the summary file. */
  flush(): Promise<void>;
  /** Final flush, then release the lock; idempotent. Throws if the final flush failed (the lock is released anyway). */
  close(): Promise<void>;
}
