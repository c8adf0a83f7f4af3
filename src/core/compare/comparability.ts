/** What makes two runs' numbers not directly comparable, said plainly. */
import { errorCount, errorText, isFinishedStatus, judgedCount, runStatusWord, type OutcomeCounts } from '../outcome';
import type { RunRecord } from '../storage/types';

export interface ComparabilityWarning {
  /** Stable code for tools: "benchmark", "benchmark-version", "dataset", "items", "prompt-mode", "sampling", "max-tokens", "samples", "options", "chat-template", "status". */
  code: string;
  message: string;
}

const show = (v: unknown) => (v === undefined ? 'unset' : JSON.stringify(v));

/** JSON with sorted keys, so key order does not count as a difference. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function runSettingsWarnings(a: RunRecord, b: RunRecord): ComparabilityWarning[] {
  const warnings: ComparabilityWarning[] = [];
  const ca = a.config;
  const cb = b.config;
  if (ca.benchmarkId !== cb.benchmarkId) {
    warnings.push({ code: 'benchmark', message: `the runs are on different benchmarks (A: ${ca.benchmarkId}, B: ${cb.benchmarkId}); the comparison is meaningless unless the items are the same` });
  } else if (ca.benchmarkVersion !== cb.benchmarkVersion) {
    warnings.push({ code: 'benchmark-version', message: `the runs were scored by different versions of ${ca.benchmarkId} (A: v${ca.benchmarkVersion}, B: v${cb.benchmarkVersion}); part of the difference may come from the scoring rules` });
  }
  if (ca.datasetSha256 !== cb.datasetSha256) {
    warnings.push({ code: 'dataset', message: `the runs used different dataset files (A: ${ca.datasetOrigin}, B: ${cb.datasetOrigin}; their sha256 differ)` });
  }
  if (ca.endpoint.mode !== cb.endpoint.mode) {
    warnings.push({ code: 'prompt-mode', message: `prompt mode differs (A: ${ca.endpoint.mode}, B: ${cb.endpoint.mode}); chat templates change results` });
  }
  const sa = ca.sampling;
  const sb = cb.sampling;
  const samplingDiffs: string[] = [];
  for (const key of ['temperature', 'top_p', 'top_k', 'seed'] as const) {
    if (sa[key] !== sb[key]) samplingDiffs.push(`${key} ${show(sa[key])} vs ${show(sb[key])}`);
  }
  if (canonical(sa.stop ?? []) !== canonical(sb.stop ?? [])) samplingDiffs.push(`stop ${show(sa.stop)} vs ${show(sb.stop)}`);
  if (samplingDiffs.length > 0) warnings.push({ code: 'sampling', message: `sampling settings differ (A vs B): ${samplingDiffs.join(', ')}` });
  if (sa.max_tokens !== sb.max_tokens) {
    warnings.push({ code: 'max-tokens', message: `max_tokens differs (A: ${sa.max_tokens}, B: ${sb.max_tokens}); the run with less room may be cut short more often` });
  }
  if (ca.samplesPerItem !== cb.samplesPerItem) {
    warnings.push({ code: 'samples', message: `samples per item differ (A: ${ca.samplesPerItem}, B: ${cb.samplesPerItem}); pass@k is compared only for k both runs can estimate` });
  }
  if (canonical(ca.benchmarkOptions ?? {}) !== canonical(cb.benchmarkOptions ?? {})) {
    warnings.push({ code: 'options', message: `benchmark options differ (A: ${canonical(ca.benchmarkOptions ?? {})}, B: ${canonical(cb.benchmarkOptions ?? {})})` });
  }
  const ta = ca.modelFile?.chatTemplateSha256;
  const tb = cb.modelFile?.chatTemplateSha256;
  if (ca.modelFile && cb.modelFile && ta !== tb) {
    warnings.push({
      code: 'chat-template',
      message: `the model files' chat templates differ (A: ${ta ? ta.slice(0, 12) : 'none'}, B: ${tb ? tb.slice(0, 12) : 'none'}); the prompts the models saw were not the same text`,
    });
  }
  warnings.push(...serverWarnings(a, b));
  for (const [side, run] of [['A', a], ['B', b]] as const) {
    if (!isFinishedStatus(run.status)) warnings.push({ code: 'status', message: `run ${side} (${run.id}) is ${runStatusWord(run.status)}, not done; only its judged items count` });
  }
  return warnings;
}

/**
 * Same settings are not the same sampling when the servers differ: a field a server does not take (or
 * that an older run did not send) takes that server's default. Compares what each run really sampled with.
 */
function serverWarnings(a: RunRecord, b: RunRecord): ComparabilityWarning[] {
  const fa = a.serverFacts;
  const fb = b.serverFacts;
  if (!fa || !fb) return [];
  const warnings: ComparabilityWarning[] = [];
  if (fa.kind !== fb.kind) {
    warnings.push({ code: 'server-kind', message: `the runs come from different servers (A: ${fa.kind}, B: ${fb.kind}); each fills in its own defaults and templates, so part of the difference may be the server` });
  }
  const ea = effectiveSampling(a);
  const eb = effectiveSampling(b);
  const diffs = [...new Set([...Object.keys(ea), ...Object.keys(eb)])]
    .filter((key) => ea[key] !== eb[key])
    .map((key) => `${key} ${ea[key] ?? 'unknown'} vs ${eb[key] ?? 'unknown'}`);
  if (diffs.length > 0) warnings.push({ code: 'effective-sampling', message: `the sampling in effect differs (A vs B, server defaults included): ${diffs.join(', ')}` });
  return warnings;
}

/** Each sampling field as the server applied it: what was sent, else the server's default, else "server default". */
function effectiveSampling(run: RunRecord): Record<string, string> {
  const facts = run.serverFacts;
  const applied = facts?.samplingApplied;
  const out: Record<string, string> = {};
  const fields = ['temperature', 'top_p', 'top_k', 'min_p', 'repetition_penalty'];
  for (const field of fields) {
    const sent = applied?.sent[field] ?? (applied ? undefined : (run.config.sampling as unknown as Record<string, number | undefined>)[field]);
    const fallback = facts?.serverDefaults?.[field];
    // A filter switched off reads the same whatever the server calls "off" (top_k 0 or -1).
    const value = sent ?? (typeof fallback === 'number' ? fallback : undefined);
    out[field] = value === undefined ? `${facts?.kind ?? 'server'} default` : field === 'top_k' && value <= 0 ? 'off' : String(value);
  }
  return out;
}

/** Items judged in one run and not in the other, by side (the run that lacks the verdict) and why. */
export interface ExcludedItems {
  /** The run that lacks the verdict, or both. */
  side: 'A' | 'B' | 'both';
  reason: 'request_failed' | 'scoring_error' | 'pending' | 'missing';
  items: number;
}

/** In the outcome words of core/outcome.ts; "missing" is an item the run does not have at all. */
const EXCLUSION_WORDS: Record<ExcludedItems['reason'], (side: string) => string> = {
  request_failed: (side) => `with a request failure in ${side === 'both' ? 'both runs' : side}`,
  scoring_error: (side) => `with a scoring error in ${side === 'both' ? 'both runs' : side}`,
  pending: (side) => `pending in ${side === 'both' ? 'both runs' : side}`,
  missing: (side) => `not in run ${side}`,
};

/** "14 with a request failure in B, 2 pending in A, 5 not in run A". */
export function exclusionText(excluded: ExcludedItems[]): string {
  return excluded.map((e) => `${e.items} ${EXCLUSION_WORDS[e.reason](e.side)}`).join(', ');
}

/** The item-set warning: the comparison uses the items judged in both runs, and says how many were left out and why. */
export function itemSetWarning(compared: number, excluded: ExcludedItems[], unit: string): ComparabilityWarning | undefined {
  if (excluded.length === 0) return undefined;
  return { code: 'items', message: `compared on the ${compared} ${unit} judged in both runs; left out: ${exclusionText(excluded)}` };
}

/** "B: 14 of 30 requests failed": a run whose samples were not all judged, said per side. */
export function failureWarnings(a: OutcomeCounts, b: OutcomeCounts): ComparabilityWarning[] {
  const warnings: ComparabilityWarning[] = [];
  for (const [side, c] of [['A', a], ['B', b]] as const) {
    const asked = c.total - c.pending;
    if (c.request_failed > 0) warnings.push({ code: 'failures', message: `${side}: ${c.request_failed} of ${asked} requests failed` });
    if (c.scoring_error > 0) warnings.push({ code: 'failures', message: `${side}: ${c.scoring_error} of ${judgedCount(c) + c.scoring_error} replies could not be scored` });
  }
  return warnings;
}

/**
 * Why no difference may be called significant, or undefined. When the runs' failure counts differ, the
 * items that failed are not a random sample (a server that fails long prompts drops the hard items), so a
 * difference between the judged remainders could be made by the failures: say it, never claim it.
 */
export function significanceWithheld(a: OutcomeCounts, b: OutcomeCounts): string | undefined {
  const ea = errorCount(a);
  const eb = errorCount(b);
  if (ea === eb) return undefined;
  const side = (c: OutcomeCounts) => errorText(c) || 'none';
  return `the runs' failures differ (A: ${side(a)}; B: ${side(b)}), so no difference is called significant; re-run the failed items (run --rerun-failed) to compare fully`;
}
