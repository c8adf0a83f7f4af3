/**
 * Pure conversions from what the run file and the run manager hold to what the run panel shows.
 * No `vscode` import, so the unit tests run on plain Node.
 */
import { describeModelFile } from '../../core/modelFile/format';
import type { PromptPayload } from '../../core/benchmarks/types';
import { sandboxLines, sandboxOf } from '../../core/benchmarks/humaneval/sandboxReport';
import { emptyOutcomeCounts, sampleFailureCause, sampleOutcome } from '../../core/outcome';
import type { RunProgress } from '../../core/run/types';
import type { RunRecord, SampleRecord, StoredItem } from '../../core/storage/types';
import type { ItemDetail, ItemRow, ProgressView, RunHeaderView } from '../../shared/webviewProtocol';

const PREVIEW_CHARS = 120;

export function rowKey(itemId: string, sampleIndex: number): string {
  return `${itemId}#${sampleIndex}`;
}

export function parseRowKey(key: string): { itemId: string; sampleIndex: number } {
  const at = key.lastIndexOf('#');
  if (at < 0) return { itemId: key, sampleIndex: 0 };
  return { itemId: key.slice(0, at), sampleIndex: Number(key.slice(at + 1)) || 0 };
}

export function promptText(prompt: PromptPayload): string {
  if (prompt.prompt !== undefined) return prompt.prompt;
  return (prompt.messages ?? []).map((m) => (prompt.messages!.length > 1 ? `[${m.role}]\n${m.content}` : m.content)).join('\n\n');
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

/**
 * The table's prompt preview: for a HumanEval-like item (its data names an entry point) the function's
 * signature, since every prompt starts with the same instruction; otherwise the prompt's start.
 */
export function itemPreview(item: StoredItem): string {
  const data = item.data as { entryPoint?: unknown; prompt?: unknown } | undefined;
  if (data && typeof data.entryPoint === 'string' && typeof data.prompt === 'string') {
    const signature = data.prompt.split('\n').find((line) => line.trimStart().startsWith(`def ${data.entryPoint}(`));
    if (signature) return preview(signature.trim().replace(/:$/, ''));
  }
  return preview(promptText(item.prompt));
}

export function pendingRow(item: StoredItem, sampleIndex: number): ItemRow {
  return {
    key: rowKey(item.id, sampleIndex),
    itemId: item.id,
    sampleIndex,
    index: item.index,
    outcome: 'pending',
    failedChecks: [],
    checks: [],
    promptPreview: itemPreview(item),
  };
}

/** A row for a finished sample; `item` supplies the index and prompt preview when known. */
export function sampleRow(sample: SampleRecord, item: StoredItem | undefined): ItemRow {
  const explanation = sample.score?.explanation ?? [];
  const checks = unique(explanation.map((e) => e.check));
  const failedChecks = unique(explanation.filter((e) => !e.passed).map((e) => e.check));
  return {
    key: rowKey(sample.itemId, sample.sampleIndex),
    itemId: sample.itemId,
    sampleIndex: sample.sampleIndex,
    index: item?.index ?? Number.MAX_SAFE_INTEGER,
    outcome: sampleOutcome(sample),
    score: sample.score?.score,
    failureCause: sampleFailureCause(sample),
    failedChecks,
    checks,
    promptPreview: item ? itemPreview(item) : '',
    latencyMs: sample.latencyMs,
  };
}

/** All rows of a run: one per item × sample, pending where no sample is stored yet. */
export function buildRows(items: StoredItem[], samples: SampleRecord[], samplesPerItem: number): ItemRow[] {
  const byKey = new Map(samples.map((s) => [rowKey(s.itemId, s.sampleIndex), s]));
  const rows: ItemRow[] = [];
  for (const item of items) {
    for (let s = 0; s < samplesPerItem; s++) {
      const sample = byKey.get(rowKey(item.id, s));
      rows.push(sample ? sampleRow(sample, item) : pendingRow(item, s));
    }
  }
  return rows;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export function headerView(run: RunRecord, samples: Iterable<{ score?: { details?: unknown } }> = []): RunHeaderView {
  const facts = run.serverFacts;
  const serverFacts: string[] = [];
  if (facts) {
    serverFacts.push(facts.build ? (facts.build.startsWith(facts.kind) ? facts.build : `${facts.kind} ${facts.build}`) : facts.kind);
    if (facts.contextLength) serverFacts.push(`context ${facts.contextLength}`);
    if (facts.totalSlots) serverFacts.push(`${facts.totalSlots} slots`);
    if (facts.quantization) serverFacts.push(facts.quantization);
    if (facts.parameterSize) serverFacts.push(facts.parameterSize);
  }
  const sampling = Object.entries(run.config.sampling)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name} ${Array.isArray(value) ? JSON.stringify(value) : value}`);
  return {
    runId: run.id,
    benchmark: `${run.config.benchmarkId} v${run.config.benchmarkVersion}`,
    model: run.config.endpoint.label ?? run.config.endpoint.model,
    baseUrl: run.config.endpoint.baseUrl,
    createdAt: run.createdAt,
    serverFacts,
    sampling,
    samplesPerItem: run.config.samplesPerItem,
    error: run.error,
    ...(run.config.modelFile ? { modelFile: describeModelFile(run.config.modelFile) } : {}),
    sandbox: sandboxSummary(samples),
  };
}

/** Where the run's generated code ran, limits not applied first (HumanEval only). */
function sandboxSummary(samples: Iterable<{ score?: { details?: unknown } }>): string[] | undefined {
  const iso = sandboxOf(samples);
  return iso ? sandboxLines(iso) : undefined;
}

export function progressFromRun(progress: RunProgress): ProgressView {
  return {
    status: progress.status,
    total: progress.total,
    counts: { ...progress.counts },
    inFlight: progress.inFlight,
    itemsPerSecond: progress.itemsPerSecond,
    etaSeconds: progress.etaSeconds,
    metrics: progress.metrics.map((m) => ({ name: m.name, label: m.label, value: m.value, n: m.n })),
  };
}

/** Progress of a run nobody is executing right now, from its stored record and rows. */
export function progressFromStored(run: RunRecord, rows: ItemRow[]): ProgressView {
  // Rows already carry their derived outcome; counting them keeps the panel's numbers equal to its table.
  const counts = { ...emptyOutcomeCounts(rows.length), pending: 0 };
  for (const row of rows) counts[row.outcome]++;
  return {
    status: run.status,
    total: rows.length,
    counts,
    inFlight: 0,
    itemsPerSecond: 0,
    metrics: run.metrics.map((m) => ({ name: m.name, label: m.label, value: m.value, n: m.n })),
  };
}

export function itemDetail(item: StoredItem | undefined, sample: SampleRecord | undefined, key: string): ItemDetail {
  const { itemId, sampleIndex } = parseRowKey(key);
  return {
    key,
    itemId,
    sampleIndex,
    prompt: item ? promptText(item.prompt) : '(item not found in the run file)',
    response: sample?.response,
    error: sample?.error,
    outcome: sampleOutcome(sample),
    failureCause: sampleFailureCause(sample),
    finishReason: sample?.finishReason,
    truncated: sample?.truncated,
    latencyMs: sample?.latencyMs,
    completionTokens: sample?.completionTokens,
    explanation: (sample?.score?.explanation ?? []).map((e) => ({ check: e.check, passed: e.passed, detail: e.detail, mode: e.mode })),
  };
}

export function formatMetricValue(value: number): string {
  return value >= 0 && value <= 1 ? `${(value * 100).toFixed(1)}%` : value.toFixed(3);
}
