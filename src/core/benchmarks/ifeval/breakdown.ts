/** The official report's extra tables: accuracy per instruction id and per category. (Failure causes are counted once, for every benchmark, by `countFailureCauses` in core/outcome.) */
import type { ScoredSample } from '../types';
import { instructionCategory } from './checkers';
import type { IfevalScoreDetails } from './scorer';

export interface IfevalAccuracy {
  /** Instructions of this kind that were scored. */
  n: number;
  strict: number;
  loose: number;
}

export interface IfevalBreakdown {
  byInstruction: Record<string, IfevalAccuracy>;
  byCategory: Record<string, IfevalAccuracy>;
}

export function ifevalBreakdown(samples: readonly ScoredSample[]): IfevalBreakdown {
  const byId = new Map<string, { n: number; strict: number; loose: number }>();
  const byCategory = new Map<string, { n: number; strict: number; loose: number }>();
  const add = (map: typeof byId, key: string, strict: boolean, loose: boolean) => {
    const entry = map.get(key) ?? { n: 0, strict: 0, loose: 0 };
    entry.n++;
    if (strict) entry.strict++;
    if (loose) entry.loose++;
    map.set(key, entry);
  };
  for (const { score } of samples) {
    const details = score.details as Partial<IfevalScoreDetails> | undefined;
    if (!details?.instruction_id_list || !details.strict || !details.loose) continue;
    details.instruction_id_list.forEach((id, i) => {
      add(byId, id, details.strict![i] === true, details.loose![i] === true);
      add(byCategory, instructionCategory(id), details.strict![i] === true, details.loose![i] === true);
    });
  }
  const toRecord = (map: typeof byId): Record<string, IfevalAccuracy> =>
    Object.fromEntries(
      [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, e]) => [key, { n: e.n, strict: e.strict / e.n, loose: e.loose / e.n }]),
    );
  return { byInstruction: toRecord(byId), byCategory: toRecord(byCategory) };
}
