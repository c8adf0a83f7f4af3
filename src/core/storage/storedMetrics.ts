/**
 * The metrics of a run that has not ended, computed from the judged samples it has stored.
 *
 * A run file's metrics are written when an execution ends. While a run goes, or after its writer died
 * (a kill, a crash, a closed terminal), the file still holds what the execution before it ended with: none
 * for a fresh run, the figures of fewer samples for a resumed one. Shown beside the stored counts they would
 * be about other samples ("66.7% over 84 items, of 204 judged"), so every reader of an unfinished run
 * computes them again from what is stored, with the rule the run itself uses (only judged samples count).
 */
import { getBenchmarkDefinition } from '../benchmarks/registry';
import type { MetricValue, ScoredSample } from '../benchmarks/types';
import { isJudged, sampleOutcome } from '../outcome';
import type { RunRecord, SampleRecord } from './types';

/** Whether a record's metrics may be stale: the run has not ended (or its writer died before it could end it). */
export function isUnfinished(run: Pick<RunRecord, 'status'>): boolean {
  return run.status === 'running' || run.status === 'queued';
}

/**
 * The benchmark's metrics over the judged samples given. None when this EvalBench scores the benchmark by
 * other rules than the run did (another version) or cannot aggregate them: no figure rather than a wrong one.
 */
export function metricsOfStoredSamples(config: RunRecord['config'], samples: Iterable<SampleRecord>, itemCount: number): MetricValue[] {
  let definition;
  try {
    definition = getBenchmarkDefinition(config.benchmarkId, config.benchmarkOptions ?? {});
  } catch {
    return [];
  }
  if (definition.version !== config.benchmarkVersion) return [];
  const judged: ScoredSample[] = [];
  for (const sample of samples) {
    if (sample.score && isJudged(sampleOutcome(sample))) judged.push({ itemId: sample.itemId, sampleIndex: sample.sampleIndex, score: sample.score });
  }
  // Nothing judged yet: no figure (an aggregate of nothing is a 0 that means nothing).
  if (judged.length === 0) return [];
  try {
    return definition.aggregate(judged, itemCount);
  } catch {
    return [];
  }
}
