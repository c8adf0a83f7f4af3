/**
 * How a run's generated code was isolated, for `show`, the run panel header and the JSON export: the
 * executor's isolation record, stored with every HumanEval sample's details, read back from the run.
 */
interface SampleLike {
  score?: { details?: unknown };
}

/** The isolation record of the run's first sample that ran code (undefined for runs that ran none). */
export function sandboxOf(samples: Iterable<SampleLike>): Record<string, string> | undefined {
  for (const s of samples) {
    const iso = (s.score?.details as { isolation?: unknown } | undefined)?.isolation;
    if (iso && typeof iso === 'object') return iso as Record<string, string>;
  }
  return undefined;
}

/** "name: value" lines, limits that were not applied (written in capitals by the executors) first. */
export function sandboxLines(iso: Record<string, string>): string[] {
  const entries = Object.entries(iso).map(([k, v]) => `${k}: ${v}`);
  const missing = entries.filter((l) => /\bNOT\b|not cut|same user/.test(l));
  return [...missing, ...entries.filter((l) => !missing.includes(l))];
}

/** Limits that could not be applied on this machine, in a few words each. */
export function sandboxGaps(iso: Record<string, string>): string[] {
  return Object.entries(iso)
    .filter(([, v]) => /\bNOT\b|not cut/.test(v))
    .map(([k, v]) => `${k}: ${v}`);
}
