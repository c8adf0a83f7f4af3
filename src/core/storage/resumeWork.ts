/** What a reopened run still has to do: the one place that decides it (resume and re-run failed). */
import { sampleOutcome } from '../outcome';
import type { RunReader } from './runHandles';
import type { SampleRecord } from './types';

/** `resume` finishes what never got a verdict; `rerunFailed` also asks again every failed request. */
export type ResumeMode = 'resume' | 'rerunFailed';

export interface WorkUnit {
  itemId: string;
  sampleIndex: number;
  /** Already has a reply that only needs scoring (a run stopped between the reply and its score, or scoring failed). */
  scoreOnly?: SampleRecord;
}

/**
 * In item order, then sample index: samples never answered are asked; replies with no score, or whose
 * scoring failed, are scored again without asking; failed requests are asked again only in `rerunFailed`.
 * Judged samples (passed or wrong) are never touched.
 */
export function workToResume(reader: RunReader, mode: ResumeMode): WorkUnit[] {
  const samplesPerItem = reader.run().config.samplesPerItem;
  const existing = new Map(reader.samples().map((s) => [`${s.itemId}\u0000${s.sampleIndex}`, s]));
  const work: WorkUnit[] = [];
  for (const item of reader.items()) {
    for (let s = 0; s < samplesPerItem; s++) {
      const sample = existing.get(`${item.id}\u0000${s}`);
      if (!sample) work.push({ itemId: item.id, sampleIndex: s });
      else if (sample.status === 'failed' && mode === 'rerunFailed') work.push({ itemId: item.id, sampleIndex: s });
      else if (sampleOutcome(sample) === 'pending' || sampleOutcome(sample) === 'scoring_error') {
        work.push({ itemId: item.id, sampleIndex: s, scoreOnly: sample });
      }
    }
  }
  return work;
}
