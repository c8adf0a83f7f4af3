/**
 * The aggregated_results of a job or of scored rows. A score exists only over judged samples (passed or
 * wrong): with none judged, accuracy is null, never 0, which would say every answer was wrong. The
 * counts of each outcome always come with it, so a client sees what happened to the samples.
 */
import { errorText, judgedCount, type OutcomeCounts } from '../outcome';

export interface AggregatedAccuracy {
  accuracy: { accuracy: number | null; num_correct: number; num_total: number };
  /** Samples per outcome (outcome.ts), total included. */
  outcomes: OutcomeCounts;
  errors: { request_failed: number; scoring_error: number };
}

export function aggregatedAccuracy(counts: OutcomeCounts): AggregatedAccuracy {
  const judged = judgedCount(counts);
  return {
    accuracy: { accuracy: judged > 0 ? counts.passed / judged : null, num_correct: counts.passed, num_total: judged },
    outcomes: { ...counts },
    errors: { request_failed: counts.request_failed, scoring_error: counts.scoring_error },
  };
}

/** What happened to the samples, for the job's detail: undefined when every sample was judged. */
export function outcomeDetail(counts: OutcomeCounts): string | undefined {
  const judged = judgedCount(counts);
  const errors = errorText(counts);
  if (judged === 0 && counts.total > 0) return `no sample was judged${errors ? ` (${errors})` : ''}: there is no score; the result lists each sample's outcome`;
  if (!errors && counts.pending === 0) return undefined;
  const pending = counts.pending > 0 ? `${counts.pending} pending` : '';
  return `${judged} of ${counts.total} samples judged (${[errors, pending].filter(Boolean).join(', ')}); the score is over the judged samples only`;
}
