/**
 * Which run is A in a comparison, and how the "Compare with…" picker shows runs. A pinned baseline
 * is always A, so deltas read "new run minus baseline" whichever run the user started from. Pure.
 */
import type { RunSummary } from '../../core/storage/types';

/** [A, B] with the baseline (of either run's benchmark) as A. */
export function baselineFirst(a: string, b: string, isBaseline: (runId: string) => boolean): [string, string] {
  return isBaseline(b) && !isBaseline(a) ? [b, a] : [a, b];
}

export interface RunPickItem {
  label: string;
  description: string;
  detail: string;
  id: string;
}

/**
 * The picker's rows: the baseline first, marked with a pin and "baseline · will be A"; `describe`
 * gives the rest of the description (score, status, time).
 */
export function runPickItems(summaries: RunSummary[], isBaseline: (runId: string) => boolean, describe: (s: RunSummary) => string, exclude?: string): RunPickItem[] {
  const rows = summaries
    .filter((s) => s.id !== exclude)
    .map((s) => {
      const baseline = isBaseline(s.id);
      return {
        label: `${baseline ? '$(pinned) ' : ''}${s.label ?? s.model} · ${s.benchmarkId}`,
        description: `${baseline ? 'baseline · will be A · ' : ''}${describe(s)}`,
        detail: s.id,
        id: s.id,
        baseline,
      };
    });
  rows.sort((x, y) => Number(y.baseline) - Number(x.baseline));
  return rows.map(({ baseline: _baseline, ...row }) => row);
}
