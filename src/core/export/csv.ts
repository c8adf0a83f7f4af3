/**
 * One CSV row per sample the run was set to ask (one per item with a single sample), RFC 4180: CRLF, quotes
 * doubled. Samples never asked (a cancelled run) are rows too, pending, so the rows add up to the run's counts.
 */
import { isJudged, sampleFailureCause, sampleOutcome } from '../outcome';
import type { SampleRecord } from '../storage/types';
import type { RunData } from '../compare/runData';

/** Quote a field when it holds a comma, a quote, CR or LF (RFC 4180 §2.6–2.7). */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: unknown[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A sample the run never asked for: no reply, no status, pending. */
type NeverAsked = Pick<SampleRecord, 'itemId' | 'sampleIndex'>;

function failedChecks(sample: SampleRecord): string {
  return (sample.score?.explanation ?? [])
    .filter((e) => !e.passed)
    .map((e) => `${e.check}${e.mode ? ` (${e.mode})` : ''}: ${e.detail}`)
    .join('; ');
}

export function renderCsv(data: RunData): string {
  const order = new Map(data.items.map((i) => [i.id, i.index]));
  const stored = new Set(data.samples.map((s) => `${s.itemId}\u0000${s.sampleIndex}`));
  const neverAsked = data.items.flatMap((item) =>
    Array.from({ length: data.run.config.samplesPerItem }, (_, sampleIndex) => sampleIndex)
      .filter((sampleIndex) => !stored.has(`${item.id}\u0000${sampleIndex}`))
      .map((sampleIndex) => ({ itemId: item.id, sampleIndex })),
  );
  const samples: (SampleRecord | NeverAsked)[] = [...data.samples, ...neverAsked].sort(
    (x, y) => (order.get(x.itemId) ?? Infinity) - (order.get(y.itemId) ?? Infinity) || x.itemId.localeCompare(y.itemId) || x.sampleIndex - y.sampleIndex,
  );
  // Every numeric value any score reports gets its own column (IFEval: prompt_strict, inst_total…).
  const valueKeys = [...new Set(data.samples.flatMap((s) => Object.keys(s.score?.values ?? {})))].sort();
  const header = [
    'item_id', 'item_index', 'sample_index', 'status', 'outcome', 'passed', 'score', 'failure_cause', ...valueKeys,
    'finish_reason', 'truncated', 'latency_ms', 'ttft_ms', 'prompt_tokens', 'completion_tokens', 'attempts', 'error', 'failed_checks', 'response',
  ];
  let out = csvLine(header);
  for (const s of samples) {
    if (!('status' in s)) {
      const known = [s.itemId, order.get(s.itemId), s.sampleIndex, '', 'pending'];
      out += csvLine(header.map((_, i) => known[i]));
      continue;
    }
    // passed and score are verdicts: empty for a request failure or a scoring error, never false.
    const outcome = sampleOutcome(s);
    const judged = isJudged(outcome);
    out += csvLine([
      s.itemId, order.get(s.itemId), s.sampleIndex, s.status, outcome, judged ? s.score!.passed : '', judged ? s.score!.score : '', sampleFailureCause(s),
      ...valueKeys.map((k) => (judged ? s.score?.values?.[k] : undefined)),
      s.finishReason, s.truncated, s.latencyMs, s.ttftMs, s.promptTokens, s.completionTokens, s.attempts, s.error, failedChecks(s), s.response,
    ]);
  }
  return out;
}
