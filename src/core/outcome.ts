/**
 * The one vocabulary for what happened to a sample. Every sample is exactly one of: passed, wrong (scored,
 * not passed), request failed (the server never gave a usable reply), scoring error (the scorer could not
 * judge the reply) or pending (not asked yet, cancelled, or replied but not scored yet). Counts, labels,
 * colours, export columns, run statuses and exit codes all derive from here, so they cannot disagree.
 * Pure and import-free (the webview bundles it too): no vscode, no Node, no I/O.
 */

/**
 * done_with_errors: every sample has an outcome but some are request failures or scoring errors.
 * queued: waiting for the process's run limit (evalbench.maxConcurrentRuns) before it asks anything.
 */
export type RunStatus = 'queued' | 'running' | 'done' | 'done_with_errors' | 'failed' | 'cancelled' | 'interrupted';

/** The fields of a stored sample (storage's SampleRecord) the outcome is derived from. */
export interface SampleLike {
  status: 'done' | 'failed';
  error?: string;
  score?: { passed: boolean; failureCause?: string };
}

export type SampleOutcome = 'passed' | 'wrong' | 'request_failed' | 'scoring_error' | 'pending';

/** The fixed order every table, legend and export uses. */
export const SAMPLE_OUTCOMES: readonly SampleOutcome[] = ['passed', 'wrong', 'request_failed', 'scoring_error', 'pending'];

/** How an outcome is shown: `tone` maps to a colour (good = green, bad = red, error = warning, neutral = grey). */
export interface OutcomeWords {
  label: string;
  /** "4 request failures", "1 scoring error". */
  singular: string;
  plural: string;
  tone: 'good' | 'bad' | 'error' | 'neutral';
}

export const OUTCOME_WORDS: Record<SampleOutcome, OutcomeWords> = {
  passed: { label: 'Passed', singular: 'passed', plural: 'passed', tone: 'good' },
  wrong: { label: 'Wrong', singular: 'wrong', plural: 'wrong', tone: 'bad' },
  request_failed: { label: 'Request failed', singular: 'request failure', plural: 'request failures', tone: 'error' },
  scoring_error: { label: 'Scoring error', singular: 'scoring error', plural: 'scoring errors', tone: 'error' },
  pending: { label: 'Pending', singular: 'pending', plural: 'pending', tone: 'neutral' },
};

/** Why a request failed: the server never gave a reply that could be scored. */
export const REQUEST_FAILURE_CAUSES = [
  'http_error', // the server answered an error status after retries
  'connection_error', // refused, reset, unreachable
  'timeout', // no reply within the per-request or per-item limit
  'empty_reply', // a reply with no text
  'context_overflow', // the prompt (plus max_tokens) does not fit the server's context
  'bad_reply', // a 200 that is not a completion (not JSON, no choices)
  'request_failed', // anything else
] as const;
export type RequestFailureCause = (typeof REQUEST_FAILURE_CAUSES)[number];

/** Why a reply could not be judged: the scorer, not the model, failed. */
export const SCORING_FAILURE_CAUSES = [
  'scorer_data_unavailable', // data the scorer needs (Punkt parameters…) could not be read
  'scorer_crashed', // the scoring worker or its sandbox died
  'scoring_error', // anything else
] as const;
export type ScoringFailureCause = (typeof SCORING_FAILURE_CAUSES)[number];

const CAUSE_WORDS: Record<RequestFailureCause | ScoringFailureCause, string> = {
  http_error: 'server error status',
  connection_error: 'could not connect',
  timeout: 'timed out',
  empty_reply: 'empty reply',
  context_overflow: 'prompt does not fit the context',
  bad_reply: 'unusable reply',
  request_failed: 'request failed',
  scorer_data_unavailable: 'scorer data unavailable',
  scorer_crashed: 'scorer crashed',
  scoring_error: 'scoring error',
};

const requestCauses = new Set<string>(REQUEST_FAILURE_CAUSES);
const scoringCauses = new Set<string>(SCORING_FAILURE_CAUSES);

export function isRequestFailureCause(cause: string | undefined): cause is RequestFailureCause {
  return cause !== undefined && requestCauses.has(cause);
}

export function isScoringFailureCause(cause: string | undefined): cause is ScoringFailureCause {
  return cause !== undefined && scoringCauses.has(cause);
}

/** Words for a wrong answer's causes shared by several benchmarks (sampleFailureCause names a plain one "wrong"). */
const WRONG_CAUSE_WORDS: Record<string, string> = { wrong: 'wrong answer', wrong_answer: 'wrong answer' };

/** Words for any failure cause (request, scoring, or a benchmark's own wrong-answer cause such as "truncated"). */
export function causeWords(cause: string): string {
  return (CAUSE_WORDS as Record<string, string>)[cause] ?? WRONG_CAUSE_WORDS[cause] ?? cause.replace(/_/g, ' ');
}

/** What the outcome is derived from; the stored columns, so storage can count without building records. */
export interface OutcomeParts {
  /** The sample's stored status; undefined when no sample is stored. */
  status?: 'done' | 'failed';
  /** A score row exists. */
  scored: boolean;
  passed?: boolean;
  failureCause?: string;
}

/** The single derivation. A failed request is never wrong and never passed, whatever score row it carries. */
export function outcomeOf(parts: OutcomeParts): SampleOutcome {
  if (parts.status === undefined) return 'pending';
  if (parts.status === 'failed') return 'request_failed';
  if (!parts.scored) return 'pending';
  if (isScoringFailureCause(parts.failureCause)) return 'scoring_error';
  return parts.passed ? 'passed' : 'wrong';
}

export function sampleOutcome(sample: SampleLike | undefined): SampleOutcome {
  if (!sample) return 'pending';
  return outcomeOf({ status: sample.status, scored: sample.score !== undefined, passed: sample.score?.passed, failureCause: sample.score?.failureCause });
}

/** Judged = the scorer gave a verdict (passed or wrong): the only samples metrics are computed over. */
export function isJudged(outcome: SampleOutcome): boolean {
  return outcome === 'passed' || outcome === 'wrong';
}

/**
 * The finer cause under the outcome: a request-failure cause, a scoring-failure cause, or for a wrong answer
 * the benchmark's cause ("truncated", "extraction"…) else "wrong". Undefined for passed and pending samples.
 * Run files written before the vocabulary stored "empty" for empty replies; they read as "empty_reply".
 */
export function sampleFailureCause(sample: SampleLike | undefined): string | undefined {
  const outcome = sampleOutcome(sample);
  const stored = sample?.score?.failureCause;
  switch (outcome) {
    case 'request_failed':
      if (isRequestFailureCause(stored)) return stored;
      if (stored === 'empty') return 'empty_reply';
      return requestFailureCauseFromText(sample?.error ?? '');
    case 'scoring_error':
      return stored;
    case 'wrong':
      return wrongAnswerCause(stored);
    default:
      return undefined;
  }
}

/**
 * A wrong answer's cause as every view names it: the benchmark's own ("truncated", "timeout"…), and one name,
 * "wrong", for a plain wrong answer (custom and GSM8K store "wrong_answer", IFEval nothing).
 */
export function wrongAnswerCause(stored: string | undefined): string {
  return stored === undefined || stored === 'wrong_answer' ? 'wrong' : stored;
}

export interface FailureCauseCount {
  outcome: SampleOutcome;
  cause: string;
  count: number;
}

/**
 * Samples per (outcome, cause) for every sample that did not pass, in the outcome order, then most
 * frequent first. The one count of failure causes: `show`, `run`'s report and Compare all use it.
 */
export function countFailureCauses(samples: Iterable<SampleLike>): FailureCauseCount[] {
  const counts = new Map<string, FailureCauseCount>();
  for (const s of samples) {
    const cause = sampleFailureCause(s);
    if (!cause) continue;
    const outcome = sampleOutcome(s);
    const key = `${outcome}\u0000${cause}`;
    const entry = counts.get(key) ?? { outcome, cause, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  const order = (o: SampleOutcome) => SAMPLE_OUTCOMES.indexOf(o);
  return [...counts.values()].sort((a, b) => order(a.outcome) - order(b.outcome) || b.count - a.count || a.cause.localeCompare(b.cause));
}

/** Best effort for run files whose failed samples carry only a reason text. */
export function requestFailureCauseFromText(reason: string): RequestFailureCause {
  if (/context|too long|exceeds|maximum.*tokens/i.test(reason)) return 'context_overflow';
  if (/empty/i.test(reason)) return 'empty_reply';
  if (/time(d)? ?out|within|per-item limit|stalled/i.test(reason)) return 'timeout';
  if (/answered \d{3}|HTTP \d{3}|\b[45]\d\d\b/.test(reason)) return 'http_error';
  if (/connect|refused|reset|unreachable|not found|closed/i.test(reason)) return 'connection_error';
  return 'request_failed';
}

/**
 * The cause of a request that threw. An error may say its own cause (`failureCause`, set by the endpoint
 * layer, e.g. context_overflow); otherwise an HTTP status means http_error, and the text decides the rest.
 */
export function requestFailureCauseOf(error: unknown): RequestFailureCause {
  const declared = (error as { failureCause?: unknown } | undefined)?.failureCause;
  if (typeof declared === 'string' && isRequestFailureCause(declared)) return declared;
  const text = error instanceof Error ? error.message : String(error);
  const byText = requestFailureCauseFromText(text);
  if (byText === 'context_overflow' || byText === 'timeout') return byText;
  const status = (error as { details?: { status?: unknown } } | undefined)?.details?.status;
  if (typeof status === 'number') return 'http_error';
  if (/without choices|not JSON|stream/i.test(text)) return 'bad_reply';
  return byText;
}

// ---- counts ----

/** Samples per outcome; `total` = items × samples per item, so pending includes samples never asked. */
export type OutcomeCounts = Record<SampleOutcome, number> & { total: number };

export function emptyOutcomeCounts(total = 0): OutcomeCounts {
  return { total, passed: 0, wrong: 0, request_failed: 0, scoring_error: 0, pending: total };
}

/** Counts of the given samples; samples not in the list are pending. */
export function countOutcomes(samples: Iterable<SampleLike | OutcomeParts>, total: number): OutcomeCounts {
  const counts = emptyOutcomeCounts(total);
  for (const s of samples) {
    const outcome = 'scored' in s ? outcomeOf(s) : sampleOutcome(s);
    if (outcome !== 'pending') counts[outcome]++;
  }
  // Pending = everything without a final outcome: never asked, cancelled, or replied but not scored yet.
  counts.pending = Math.max(0, total - counts.passed - counts.wrong - counts.request_failed - counts.scoring_error);
  return counts;
}

export function judgedCount(c: OutcomeCounts): number {
  return c.passed + c.wrong;
}

export function errorCount(c: OutcomeCounts): number {
  return c.request_failed + c.scoring_error;
}

/** Samples with a final outcome (everything but pending). */
export function finishedCount(c: OutcomeCounts): number {
  return c.total - c.pending;
}

/** "4 request failures, 1 scoring error"; empty when there are none. */
export function errorText(c: OutcomeCounts): string {
  const parts: string[] = [];
  for (const outcome of ['request_failed', 'scoring_error'] as const) {
    const n = c[outcome];
    if (n > 0) parts.push(`${n} ${n === 1 ? OUTCOME_WORDS[outcome].singular : OUTCOME_WORDS[outcome].plural}`);
  }
  return parts.join(', ');
}

/** "of 26 judged (4 request failures)": what a metric's denominator is, in samples. */
export function denominatorText(c: OutcomeCounts): string {
  const errors = errorText(c);
  const pending = c.pending > 0 ? `${c.pending} pending` : '';
  const notes = [errors, pending].filter(Boolean).join(', ');
  return `of ${judgedCount(c)} judged${notes ? ` (${notes})` : ''}`;
}

/** "66.7% of 26 judged (4 request failures)". Metrics are fractions in 0..1. */
export function headlineText(metric: { value: number; name?: string; label?: string; n?: number } | undefined, c: OutcomeCounts): string {
  if (judgedCount(c) === 0) return `no judged samples${errorText(c) ? ` (${errorText(c)})` : ''}`;
  if (!metric) return denominatorText(c);
  // Several samples per item: the metric is a mean over items, not a fraction of the judged samples; say over how many.
  const over = metric.n !== undefined && metric.n !== judgedCount(c) ? ` over ${metric.n} items,` : '';
  return `${(metric.value * 100).toFixed(1)}%${over} ${denominatorText(c)}`;
}

/** "passed 12, wrong 4, request failed 14" in the fixed order, zeros left out. */
export function countsText(c: OutcomeCounts): string {
  return SAMPLE_OUTCOMES.filter((o) => c[o] > 0)
    .map((o) => `${OUTCOME_WORDS[o].label.toLowerCase()} ${c[o]}`)
    .join(', ');
}

// ---- run status ----

/** A run that finished every sample but some could not be judged ends as done_with_errors, never plain done. */
export function finalRunStatus(c: OutcomeCounts): 'done' | 'done_with_errors' {
  return errorCount(c) > 0 ? 'done_with_errors' : 'done';
}

/** The run reached the end of its work (with or without errors). */
export function isFinishedStatus(status: RunStatus): boolean {
  return status === 'done' || status === 'done_with_errors';
}

export const RUN_STATUS_WORDS: Record<RunStatus, { label: string; tone: 'good' | 'bad' | 'error' | 'neutral' | 'running' }> = {
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Running', tone: 'running' },
  done: { label: 'Done', tone: 'good' },
  done_with_errors: { label: 'Done with errors', tone: 'error' },
  failed: { label: 'Failed', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  // Its writer died (a kill, a crash, a closed editor) or the front end shut down: the finished items are kept.
  interrupted: { label: 'Interrupted — resume?', tone: 'neutral' },
};

export function runStatusLabel(status: RunStatus): string {
  return RUN_STATUS_WORDS[status]?.label ?? status;
}

/** The status inside a sentence: "done with errors", "interrupted" (the label without its question). */
export function runStatusWord(status: RunStatus): string {
  return runStatusLabel(status).replace(/ — .*$/, '').toLowerCase();
}

/** The cause of a scoring attempt that threw: missing scorer data, a dead worker or sandbox, or anything else. */
export function scoringFailureCauseOf(error: unknown): ScoringFailureCause {
  for (let current: any = error, depth = 0; current && depth < 6; current = current.cause, depth++) {
    if (current.name === 'DatasetError' || current.remoteName === 'DatasetError') return 'scorer_data_unavailable';
  }
  const text = error instanceof Error ? error.message : String(error);
  if (/Punkt|punkt_tab|data file|could not read/i.test(text)) return 'scorer_data_unavailable';
  if (/worker (stopped|exited|is not connected|was disposed)|crashed/i.test(text)) return 'scorer_crashed';
  return 'scoring_error';
}
