/**
 * The two follow-ups a finished run offers, kept apart because they mean different things:
 *  - Retry Failed Requests: the samples whose request never got an answer are asked again, in the
 *    same run (a failure was never a verdict, so filling it in keeps the numbers true);
 *  - Re-ask Wrong Answers: the items the model answered wrong are asked again as a NEW run, so the
 *    first run's score is never improved by retrying only its misses.
 * Each says what it will do and how many before it starts, and says so when there is nothing to do.
 */
import type { EndpointConfig } from '../endpoint/types';
import { sampleOutcome } from '../outcome';
import type { RunRecord, SampleRecord, StoredItem } from '../storage/types';
import type { RunRequest } from './types';

export interface FollowUpCounts {
  /** Samples whose request failed (answered nothing). */
  requestFailed: number;
  /** Items with at least one sample judged wrong, and those samples. */
  wrongItems: string[];
  wrongSamples: number;
  /** Samples never asked (a stopped run): Resume finishes those. */
  notRun: number;
}

export function followUpCounts(items: StoredItem[], samples: SampleRecord[], samplesPerItem: number): FollowUpCounts {
  const byKey = new Map(samples.map((s) => [`${s.itemId}\u0000${s.sampleIndex}`, s]));
  let requestFailed = 0;
  let wrongSamples = 0;
  let notRun = 0;
  const wrongItems: string[] = [];
  for (const item of items) {
    let wrongHere = 0;
    for (let i = 0; i < samplesPerItem; i++) {
      const sample = byKey.get(`${item.id}\u0000${i}`);
      if (!sample) {
        notRun++;
        continue;
      }
      const outcome = sampleOutcome(sample);
      if (outcome === 'request_failed') requestFailed++;
      else if (outcome === 'wrong') wrongHere++;
    }
    if (wrongHere > 0) wrongItems.push(item.id);
    wrongSamples += wrongHere;
  }
  return { requestFailed, wrongItems, wrongSamples, notRun };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What "Retry Failed Requests" will do, or why it will do nothing. */
export function describeRetry(runId: string, c: FollowUpCounts): { nothing: boolean; text: string } {
  if (c.requestFailed === 0) {
    const hint = c.wrongItems.length > 0 ? ` ${plural(c.wrongItems.length, 'item was', 'items were')} answered wrong: that is Re-ask Wrong Answers.` : '';
    return { nothing: true, text: `Run ${runId} has no failed requests: nothing to retry.${hint}` };
  }
  return {
    nothing: false,
    text: `Ask again the ${plural(c.requestFailed, 'sample')} of run ${runId} whose request failed. Their answers fill in the failures in this run; passed and wrong answers stay as they are.`,
  };
}

/** What "Re-ask Wrong Answers" will do, or why it will do nothing. */
export function describeReask(run: RunRecord, c: FollowUpCounts): { nothing: boolean; text: string } {
  if (c.wrongItems.length === 0) {
    const hint = c.requestFailed > 0 ? ` ${plural(c.requestFailed, 'request')} failed: that is Retry Failed Requests.` : '';
    return { nothing: true, text: `Run ${run.id} has no wrong answers: nothing to re-ask.${hint}` };
  }
  const temperature = run.config.sampling.temperature ?? 0;
  const caveat = temperature === 0 ? ' At temperature 0 the same server usually gives the same answers; this is for after a change of server, template or model.' : '';
  return {
    nothing: false,
    text:
      `Ask the model again the ${plural(c.wrongItems.length, 'item')} run ${run.id} answered wrong, as a new run with the same settings. ` +
      `Run ${run.id} keeps its numbers (retrying only the misses would inflate a score).${caveat}`,
  };
}

/** The request for the new run of "Re-ask Wrong Answers": the same benchmark, data, settings and model, only those items. */
export function reaskRequest(run: RunRecord, itemIds: string[], apiKey: string | undefined): RunRequest {
  const c = run.config;
  const { promptMode: _promptMode, ...options } = c.benchmarkOptions ?? {};
  // Bundled or updated data is found again by the benchmark; a user's file is named by its path.
  const userFile = /^(bundled|updated) copy /.test(c.datasetOrigin) ? undefined : c.datasetOrigin;
  const endpoint: EndpointConfig = { ...c.endpoint, apiKey };
  return {
    benchmark: { id: c.benchmarkId, datasetPath: userFile, options },
    endpoints: [endpoint],
    sampling: c.sampling,
    samplesPerItem: c.samplesPerItem,
    concurrency: c.concurrency,
    itemTimeoutMs: c.itemTimeoutMs,
    ...(c.logprobs ? { logprobs: true } : {}),
    itemIds,
  };
}
