/**
 * The runs view's filter: by model, benchmark, status and a date range. Pure (no `vscode`), so the
 * matching, the date parsing and the view's description line are unit-tested on Node.
 */
import { runStatusWord } from '../../core/outcome';
import type { RunSummary } from '../../core/storage/types';

export interface RunsFilter {
  /** Model label or model id, as the tree shows it. */
  model?: string;
  benchmark?: string;
  status?: RunSummary['status'];
  /** Inclusive bounds on the run's creation time, ISO strings. */
  since?: string;
  until?: string;
  /** How the date range was chosen ("last 7 days", "2026-11-01..2026-11-15"), for the description. */
  dateLabel?: string;
}

export function isEmptyFilter(filter: RunsFilter | undefined): boolean {
  return !filter || (!filter.model && !filter.benchmark && !filter.status && !filter.since && !filter.until);
}

export function matchesFilter(summary: RunSummary, filter: RunsFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.model && (summary.label ?? summary.model) !== filter.model && summary.model !== filter.model) return false;
  if (filter.benchmark && summary.benchmarkId !== filter.benchmark) return false;
  if (filter.status && summary.status !== filter.status) return false;
  const created = Date.parse(summary.createdAt);
  if (filter.since && !(created >= Date.parse(filter.since))) return false;
  if (filter.until && !(created <= Date.parse(filter.until))) return false;
  return true;
}

export function applyFilter(summaries: RunSummary[], filter: RunsFilter | undefined): RunSummary[] {
  return isEmptyFilter(filter) ? summaries : summaries.filter((s) => matchesFilter(s, filter));
}

/** The view's description while a filter is on: "model fake-model · status done · last 7 days". */
export function describeFilter(filter: RunsFilter | undefined): string | undefined {
  if (!filter || isEmptyFilter(filter)) return undefined;
  const parts: string[] = [];
  if (filter.model) parts.push(`model ${filter.model}`);
  if (filter.benchmark) parts.push(`benchmark ${filter.benchmark}`);
  if (filter.status) parts.push(`status ${runStatusWord(filter.status)}`);
  if (filter.since || filter.until) parts.push(filter.dateLabel ?? `${filter.since?.slice(0, 10) ?? '…'}..${filter.until?.slice(0, 10) ?? '…'}`);
  return `Filtered: ${parts.join(' · ')}`;
}

/** The last `days` days up to now (today counts as one). */
export function lastDays(days: number, now = new Date()): Pick<RunsFilter, 'since' | 'until' | 'dateLabel'> {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  return { since: start.toISOString(), until: undefined, dateLabel: days === 1 ? 'today' : `last ${days} days` };
}

/**
 * Parses "2026-11-01..2026-11-15", "2026-11-01.." or "..2026-11-15" (local dates, both days included).
 * Returns a message saying what is wrong otherwise.
 */
export function parseDateRange(text: string): Pick<RunsFilter, 'since' | 'until' | 'dateLabel'> | { error: string } {
  const match = /^\s*(\d{4}-\d{2}-\d{2})?\s*\.\.\s*(\d{4}-\d{2}-\d{2})?\s*$/.exec(text) ?? /^\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(text);
  if (!match || (!match[1] && !match[2])) return { error: 'Write a range as YYYY-MM-DD..YYYY-MM-DD (either side may be left out), or one day as YYYY-MM-DD.' };
  const day = (iso: string, end: boolean): Date | undefined => {
    const [y, m, d] = iso.split('-').map(Number);
    const date = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d);
    return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? date : undefined;
  };
  const single = match.length === 2 || !text.includes('..');
  const from = match[1] ? day(match[1], false) : undefined;
  const to = single ? (match[1] ? day(match[1], true) : undefined) : match[2] ? day(match[2], true) : undefined;
  if ((match[1] && !from) || (!single && match[2] && !to)) return { error: `${text.trim()} is not a real date; use YYYY-MM-DD.` };
  if (from && to && from > to) return { error: `The range starts after it ends (${text.trim()}); put the earlier date first.` };
  return { since: from?.toISOString(), until: to?.toISOString(), dateLabel: single ? match[1] : text.trim().replace(/\s+/g, '') };
}
