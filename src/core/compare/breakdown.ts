/** Where two runs differ: per IFEval instruction type and per failure cause. */
import type { ItemScore } from '../benchmarks/types';
import { countFailureCauses, wrongAnswerCause } from '../outcome';
import type { SampleRecord } from '../storage/types';
import { exactMcNemar } from '../stats/mcnemar';

/** One instruction of one prompt: its id and whether it was followed (strict, loose). */
export interface InstructionOutcome {
  id: string;
  strict?: boolean;
  loose?: boolean;
}

function booleanList(value: unknown): boolean[] | undefined {
  if (Array.isArray(value) && value.every((v) => typeof v === 'boolean')) return value;
  if (value && typeof value === 'object') return booleanList((value as Record<string, unknown>).follow_instruction_list);
  return undefined;
}

/**
 * Per-instruction outcomes of one IFEval sample. Read from `details.instruction_id_list` with
 * `details.strict` / `details.loose` (boolean lists, or objects with follow_instruction_list as the
 * official output has), else from explanation lines (check = instruction id, mode strict/loose).
 */
export function instructionOutcomes(score: ItemScore): InstructionOutcome[] {
  const details = (score.details ?? {}) as Record<string, unknown>;
  const ids = details.instruction_id_list;
  if (Array.isArray(ids) && ids.every((id) => typeof id === 'string')) {
    const strict = booleanList(details.strict) ?? booleanList(details.follow_instruction_list_strict);
    const loose = booleanList(details.loose) ?? booleanList(details.follow_instruction_list_loose);
    if (strict || loose) return ids.map((id, i) => ({ id, strict: strict?.[i], loose: loose?.[i] }));
  }
  const outcomes: InstructionOutcome[] = [];
  const open = new Map<string, InstructionOutcome[]>();
  for (const line of score.explanation ?? []) {
    if (line.mode !== 'strict' && line.mode !== 'loose') continue;
    // The nth strict line of an id pairs with the nth loose line of the same id (an id may repeat).
    const list = open.get(line.check) ?? [];
    let entry = list.find((o) => o[line.mode as 'strict' | 'loose'] === undefined);
    if (!entry) {
      entry = { id: line.check };
      list.push(entry);
      outcomes.push(entry);
      open.set(line.check, list);
    }
    entry[line.mode] = line.passed;
  }
  return outcomes;
}

export interface InstructionRow {
  instruction: string;
  /** Instruction instances on the compared prompts (first sample of each). */
  total: number;
  a: { strict: number; loose: number };
  b: { strict: number; loose: number };
  /** B − A in strict followed share (0..1 scale). */
  deltaStrict: number;
  /** Exact McNemar on the instances followed (strict) in one run and not the other. */
  pValue: number;
  /** Instances followed (strict) only in A, only in B: the paired difference's interval needs them. */
  discordant: { onlyA: number; onlyB: number };
}

/** Per instruction type on the compared prompts; instances are paired by prompt and position. */
export function instructionBreakdown(ids: string[], a: Map<string, ItemScore[]>, b: Map<string, ItemScore[]>): InstructionRow[] {
  const rows = new Map<string, { total: number; aS: number; aL: number; bS: number; bL: number; onlyA: number; onlyB: number }>();
  for (const id of ids) {
    const oa = instructionOutcomes(a.get(id)?.[0] ?? ({} as ItemScore));
    const ob = instructionOutcomes(b.get(id)?.[0] ?? ({} as ItemScore));
    const count = Math.min(oa.length, ob.length);
    for (let i = 0; i < count; i++) {
      if (oa[i].id !== ob[i].id) continue; // different instruction lists: not the same prompt, nothing to pair
      const row = rows.get(oa[i].id) ?? { total: 0, aS: 0, aL: 0, bS: 0, bL: 0, onlyA: 0, onlyB: 0 };
      row.total++;
      if (oa[i].strict) row.aS++;
      if (oa[i].loose) row.aL++;
      if (ob[i].strict) row.bS++;
      if (ob[i].loose) row.bL++;
      if (oa[i].strict && !ob[i].strict) row.onlyA++;
      if (!oa[i].strict && ob[i].strict) row.onlyB++;
      rows.set(oa[i].id, row);
    }
  }
  return [...rows]
    .map(([instruction, r]) => ({
      instruction,
      total: r.total,
      a: { strict: r.aS, loose: r.aL },
      b: { strict: r.bS, loose: r.bL },
      deltaStrict: (r.bS - r.aS) / r.total,
      pValue: exactMcNemar(r.onlyA, r.onlyB).pValue,
      discordant: { onlyA: r.onlyA, onlyB: r.onlyB },
    }))
    .sort((x, y) => x.deltaStrict - y.deltaStrict || x.instruction.localeCompare(y.instruction));
}

export interface FailureCauseRow {
  /** The outcome the cause belongs to (wrong, request_failed, scoring_error). */
  outcome: string;
  cause: string;
  /** Samples with this cause, over every sample of each run. */
  a: number;
  b: number;
  delta: number;
}

/** A judged sample's cause of failure; a plain wrong answer is "wrong". */
export function failureCauseOf(score: ItemScore): string | undefined {
  return score.passed ? undefined : wrongAnswerCause(score.failureCause);
}

/** Causes of every sample that did not pass, in both runs (request failures and scoring errors included). */
export function failureCauseBreakdown(a: SampleRecord[], b: SampleRecord[]): FailureCauseRow[] {
  const count = (samples: SampleRecord[]) => new Map(countFailureCauses(samples).map((r) => [`${r.outcome}\u0000${r.cause}`, r.count]));
  const ca = count(a);
  const cb = count(b);
  const keys = new Set([...ca.keys(), ...cb.keys()]);
  return [...keys]
    .map((key) => {
      const [outcome, cause] = key.split('\u0000');
      return { outcome, cause, a: ca.get(key) ?? 0, b: cb.get(key) ?? 0, delta: (cb.get(key) ?? 0) - (ca.get(key) ?? 0) };
    })
    .sort((x, y) => y.delta - x.delta || y.b - x.b || x.cause.localeCompare(y.cause));
}
