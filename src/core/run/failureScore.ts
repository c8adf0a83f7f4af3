import type { BenchmarkDefinition, ItemScore } from '../benchmarks/types';

/**
 * The score stored for a sample with no verdict (a failed request, a scorer that threw), with the benchmark's
 * denominators (IFEval counts its instructions as not followed). Its cause decides the outcome (core/outcome.ts).
 */
export function failureScore(definition: BenchmarkDefinition, item: { id: string; data: unknown }, check: string, reason: string, cause: string): ItemScore {
  const base = definition.scoreForFailure?.(item, reason, cause) ?? { passed: false, score: 0, values: {}, explanation: [] };
  return { ...base, passed: false, score: 0, failureCause: cause, explanation: [{ check, passed: false, detail: reason }, ...base.explanation] };
}
