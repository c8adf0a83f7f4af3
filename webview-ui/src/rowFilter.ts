/** Filtering and sorting the items table. Pure (no DOM), shared by the webview and its unit tests. */
import { OUTCOME_WORDS, SAMPLE_OUTCOMES, causeWords, type SampleOutcome } from '../../src/core/outcome';
import type { ItemRow } from '../../src/shared/webviewProtocol';

/** "all" | "not_passed" | an outcome ("passed", "wrong", "request_failed", "scoring_error", "pending") | "check:<id>" | "cause:<cause>". */
export type RowFilter = string;
export type SortKey = 'index' | 'status' | 'latency' | 'id';

export function matchesFilter(row: ItemRow, filter: RowFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'not_passed') return row.outcome !== 'passed' && row.outcome !== 'pending';
  if ((SAMPLE_OUTCOMES as readonly string[]).includes(filter)) return row.outcome === filter;
  if (filter.startsWith('check:')) return row.failedChecks.includes(filter.slice(6));
  if (filter.startsWith('cause:')) return row.failureCause === filter.slice(6);
  return true;
}

export function matchesSearch(row: ItemRow, search: string): boolean {
  if (!search) return true;
  const needle = search.toLowerCase();
  return row.itemId.toLowerCase().includes(needle) || row.promptPreview.toLowerCase().includes(needle);
}

/** Problems first: request failures, scoring errors, wrong answers, then passes, then pending. */
const SORT_ORDER: Record<SampleOutcome, number> = { request_failed: 0, scoring_error: 1, wrong: 2, passed: 3, pending: 4 };

export function compareRows(a: ItemRow, b: ItemRow, key: SortKey, descending = false): number {
  let d: number;
  switch (key) {
    case 'status':
      d = SORT_ORDER[a.outcome] - SORT_ORDER[b.outcome];
      break;
    case 'latency':
      d = (a.latencyMs ?? Infinity) - (b.latencyMs ?? Infinity);
      break;
    case 'id':
      d = a.itemId.localeCompare(b.itemId, undefined, { numeric: true });
      break;
    default:
      d = 0;
  }
  if (d === 0) d = a.index - b.index || a.sampleIndex - b.sampleIndex;
  return descending ? -d : d;
}

export function visibleRows(rows: Iterable<ItemRow>, filter: RowFilter, search: string, sort: SortKey, descending = false): ItemRow[] {
  const out: ItemRow[] = [];
  for (const row of rows) if (matchesFilter(row, filter) && matchesSearch(row, search)) out.push(row);
  return out.sort((a, b) => compareRows(a, b, sort, descending));
}

/** Filter choices with counts: each outcome seen, failure causes and failed checks (instruction types). */
export function filterOptions(rows: Iterable<ItemRow>): { value: RowFilter; label: string }[] {
  const checks = new Map<string, number>();
  const causes = new Map<string, number>();
  const outcomes = new Map<SampleOutcome, number>();
  let total = 0;
  for (const row of rows) {
    total++;
    outcomes.set(row.outcome, (outcomes.get(row.outcome) ?? 0) + 1);
    for (const c of row.failedChecks) checks.set(c, (checks.get(c) ?? 0) + 1);
    if (row.failureCause) causes.set(row.failureCause, (causes.get(row.failureCause) ?? 0) + 1);
  }
  const notPassed = total - (outcomes.get('passed') ?? 0) - (outcomes.get('pending') ?? 0);
  const options = [
    { value: 'all', label: `All (${total})` },
    { value: 'not_passed', label: `Not passed (${notPassed})` },
  ];
  for (const outcome of SAMPLE_OUTCOMES) {
    const n = outcomes.get(outcome) ?? 0;
    // Passed and wrong are always offered; the error outcomes and pending only when present.
    if (n > 0 || outcome === 'passed' || outcome === 'wrong') options.push({ value: outcome, label: `${OUTCOME_WORDS[outcome].label} (${n})` });
  }
  for (const [cause, n] of [...causes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) options.push({ value: `cause:${cause}`, label: `Cause: ${causeWords(cause)} (${n})` });
  for (const [check, n] of [...checks].sort((a, b) => b[1] - a[1])) options.push({ value: `check:${check}`, label: `Failed check: ${check} (${n})` });
  return options;
}
