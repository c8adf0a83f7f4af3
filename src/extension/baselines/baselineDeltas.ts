/**
 * Deltas of runs against their benchmark's baseline, for the runs tree: computed lazily (one at a time,
 * off the tree's critical path) and cached by both runs' `updatedAt`, so a rewritten run file makes a new
 * key and the old entry is dropped on the next prune. No `vscode`: the tree wires it up.
 */
import type { RunComparison } from '../../core/compare/compareRuns';
import type { RunData } from '../../core/compare/runData';
import { formatPoints, formatPValue } from '../../core/compare/sentence';
import { deltaAgainstBaseline } from '../../core/compare/tables';
import { errorMessage } from '../../core/errors';
import type { RunSummary } from '../../core/storage/types';

export type DeltaState = { kind: 'pending' } | { kind: 'done'; text: string; significant: boolean; sentence: string } | { kind: 'error'; message: string };

/** "−3.1 pts (p=0.002)" for the headline metric: short, the tree's line is narrow; the sentence goes in the tooltip. */
export function deltaText(comparison: RunComparison): { text: string; significant: boolean; sentence: string } {
  const m = comparison.headline;
  if (!m || m.n === 0) return { text: 'no items in common with the baseline', significant: false, sentence: 'The runs share no scored items.' };
  const points = formatPoints(m.delta);
  const sign = m.delta > 0 && Number(points) !== 0 ? '+' : '';
  const p = formatPValue(m.pValue).replace(' = ', '=').replace(' < ', '<');
  // The delta is over the items judged in both runs: say how many, and when failures keep it from being judged.
  const note = comparison.significanceWithheld ? 'failures differ, not significant' : p;
  return { text: `${sign}${points} pts on ${m.n} shared ${m.unit} (${note})`, significant: m.significant, sentence: m.sentence };
}

const key = (baseline: RunSummary, run: RunSummary) => `${baseline.id}@${baseline.updatedAt}|${run.id}@${run.updatedAt}`;

export class BaselineDeltas {
  private readonly cache = new Map<string, DeltaState>();
  private queue: Promise<void> = Promise.resolve();
  private baselineData: { key: string; data: Promise<RunData> } | undefined;

  constructor(
    private readonly load: (runId: string) => Promise<RunData>,
    /** Called when a delta is ready, so the tree can redraw that run's line. */
    private readonly onComputed: (runId: string) => void,
  ) {}

  /** The cached state, or 'pending' after queueing the work. */
  get(baseline: RunSummary, run: RunSummary): DeltaState {
    const k = key(baseline, run);
    const cached = this.cache.get(k);
    if (cached) return cached;
    const pending: DeltaState = { kind: 'pending' };
    this.cache.set(k, pending);
    this.queue = this.queue.then(() => this.compute(k, baseline, run));
    return pending;
  }

  /** Waits until everything queued so far is computed (tests, and callers that want the final text). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Drops entries of runs no longer listed or since rewritten. */
  prune(summaries: RunSummary[]): void {
    const live = new Set(summaries.map((s) => `${s.id}@${s.updatedAt}`));
    for (const k of this.cache.keys()) {
      const [a, b] = k.split('|');
      if (!live.has(a) || !live.has(b)) this.cache.delete(k);
    }
    if (this.baselineData && !live.has(this.baselineData.key)) this.baselineData = undefined;
  }

  clear(): void {
    this.cache.clear();
    this.baselineData = undefined;
  }

  private async compute(k: string, baseline: RunSummary, run: RunSummary): Promise<void> {
    if (this.cache.get(k)?.kind !== 'pending') return; // cleared meanwhile
    try {
      const baselineKey = `${baseline.id}@${baseline.updatedAt}`;
      if (this.baselineData?.key !== baselineKey) this.baselineData = { key: baselineKey, data: this.load(baseline.id) };
      const baselineRun = await this.baselineData.data;
      const other = await this.load(run.id);
      // The line needs only the headline's delta and p. A 0/1 headline gets its p from exact McNemar, so the
      // bootstrap (intervals of every metric) is skipped; only a bootstrap-tested headline pays for it.
      let [comparison] = deltaAgainstBaseline(baselineRun, [other], { bootstrap: false });
      if (comparison.headline?.test === 'paired bootstrap') [comparison] = deltaAgainstBaseline(baselineRun, [other]);
      this.set(k, { kind: 'done', ...deltaText(comparison) });
    } catch (error) {
      this.baselineData = undefined; // a failed read is not cached: the next refresh tries again
      this.set(k, { kind: 'error', message: errorMessage(error) });
    }
    this.onComputed(run.id);
  }

  private set(k: string, state: DeltaState): void {
    if (this.cache.has(k)) this.cache.set(k, state);
  }
}
