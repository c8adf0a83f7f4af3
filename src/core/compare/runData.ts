/** The plain data every comparison and export works on: one stored run, already read from its file. */
import type { ItemScore } from '../benchmarks/types';
import { countOutcomes, isJudged, sampleOutcome, type OutcomeCounts, type SampleOutcome } from '../outcome';
import type { RunRecord, SampleRecord, StoredItem } from '../storage/types';

export interface RunData {
  run: RunRecord;
  items: StoredItem[];
  samples: SampleRecord[];
}

/**
 * The run's samples per outcome, out of every sample it was set to ask (items × samples per item): samples
 * never asked (a cancelled run) are pending, as in the run file's own counts. Every export and view of one
 * stored run counts with this, so none of them drops the never-asked samples from its denominator.
 */
export function runDataCounts(data: RunData): OutcomeCounts {
  return countOutcomes(data.samples, Math.max(data.items.length * data.run.config.samplesPerItem, data.samples.length));
}

/**
 * The judged samples (passed or wrong) of each item, in sample order. A request failure or a scoring
 * error is not a verdict, so it never counts as a wrong answer: items with no judged sample are absent.
 */
export function scoresByItem(data: RunData): Map<string, ItemScore[]> {
  const byItem = new Map<string, { index: number; score: ItemScore }[]>();
  for (const sample of data.samples) {
    if (!sample.score || !isJudged(sampleOutcome(sample))) continue;
    const list = byItem.get(sample.itemId) ?? [];
    list.push({ index: sample.sampleIndex, score: sample.score });
    byItem.set(sample.itemId, list);
  }
  const out = new Map<string, ItemScore[]>();
  for (const [id, list] of byItem) out.set(id, list.sort((x, y) => x.index - y.index).map((e) => e.score));
  return out;
}

/** Item ids in the run's item order (stored index), then any scored id the item table lacks. */
export function orderedItemIds(data: RunData, scored: Map<string, unknown>): string[] {
  const ids = [...data.items].sort((x, y) => x.index - y.index).map((i) => i.id).filter((id) => scored.has(id));
  const seen = new Set(ids);
  for (const id of scored.keys()) if (!seen.has(id)) ids.push(id);
  return ids;
}

export type UnjudgedReason = Exclude<SampleOutcome, 'passed' | 'wrong'>;

/** Why each item without a judged sample has none: a request failure, else a scoring error, else pending. */
export function unjudgedReasons(data: RunData, judged: Map<string, unknown>): Map<string, UnjudgedReason> {
  const rank: Record<UnjudgedReason, number> = { request_failed: 2, scoring_error: 1, pending: 0 };
  const reasons = new Map<string, UnjudgedReason>();
  for (const item of data.items) if (!judged.has(item.id)) reasons.set(item.id, 'pending');
  for (const sample of data.samples) {
    if (judged.has(sample.itemId)) continue;
    const outcome = sampleOutcome(sample);
    if (outcome === 'passed' || outcome === 'wrong') continue;
    const held = reasons.get(sample.itemId);
    if (held === undefined || rank[outcome] > rank[held]) reasons.set(sample.itemId, outcome);
  }
  return reasons;
}

/** A run's name for people: its label, else the model id, else the run id. */
export function runLabel(run: RunRecord): string {
  return run.config.endpoint.label || run.config.endpoint.model || run.id;
}

/** Share of an item's samples that passed. */
export function passFraction(scores: ItemScore[]): number {
  if (scores.length === 0) return 0;
  let passed = 0;
  for (const s of scores) if (s.passed) passed++;
  return passed / scores.length;
}
