/**
 * What a shareable HTML report holds, as plain data: the headline, sentences, charts, and the items
 * with each one's prompt, response and reason. Built from one run or from a comparison. Pure.
 */
import { compareCharts, latencyChartOf } from '../charts/compareCharts';
import { pct } from '../charts/format';
import type { ChartSpec, DeltaBarsChart } from '../charts/types';
import type { RunComparison } from '../compare/compareRuns';
import { estimateRunMetrics } from '../compare/estimate';
import { passFraction, runDataCounts, runLabel, scoresByItem, type RunData } from '../compare/runData';
import { countsText, headlineText, OUTCOME_WORDS, runStatusLabel, sampleFailureCause, sampleOutcome, causeWords } from '../outcome';
import type { PromptPayload } from '../benchmarks/types';
import type { SampleRecord } from '../storage/types';
import type { BootstrapOptions } from '../stats/bootstrap';

export interface ReportTable {
  columns: string[];
  rows: string[][];
}

export interface ReportModel {
  title: string;
  /** Who and what: model, benchmark, date, run ids. */
  facts: string[];
  /** The headline result in one or two sentences. */
  headline: string[];
  /** Comparison sentences and warnings. */
  sentences: string[];
  metrics: ReportTable;
  charts: ChartSpec[];
  /** One row per item (per sample when there are several), searchable in the page. */
  items: ReportTable;
}

function promptOf(prompt: PromptPayload): string {
  if (prompt.prompt !== undefined) return prompt.prompt;
  return (prompt.messages ?? []).map((m) => `[${m.role}] ${m.content}`).join('\n\n');
}

/** Why a sample got its outcome: its failure cause, error, and the checks it failed. */
function reasonOf(s: SampleRecord | undefined): string {
  if (!s) return 'not answered';
  const outcome = sampleOutcome(s);
  const cause = sampleFailureCause(s);
  const checks = (s.score?.explanation ?? []).filter((e) => !e.passed).map((e) => `${e.check}${e.mode ? ` (${e.mode})` : ''}: ${e.detail}`);
    const label = OUTCOME_WORDS[outcome].label;
  const because = cause && causeWords(cause).toLowerCase() !== label.toLowerCase() ? causeWords(cause) : '';
  return [label, because, s.error ?? '', ...checks].filter(Boolean).join(' · ');
}

function factsOf(d: RunData, side?: string): string {
  const c = d.run.config;
  const file = c.modelFile ? ` (${c.modelFile.fileName}, ${c.modelFile.quantization})` : '';
  return `${side ? `${side}: ` : ''}${c.endpoint.model}${file} · ${c.benchmarkId} · ${d.run.createdAt.slice(0, 16).replace('T', ' ')} UTC · run ${d.run.id} · ${runStatusLabel(d.run.status)}`;
}

function sortedSamples(d: RunData): SampleRecord[] {
  const order = new Map(d.items.map((i) => [i.id, i.index]));
  return [...d.samples].sort((x, y) => (order.get(x.itemId) ?? Infinity) - (order.get(y.itemId) ?? Infinity) || x.itemId.localeCompare(y.itemId) || x.sampleIndex - y.sampleIndex);
}

/** The run's metrics as bars on a 0–100 scale with their intervals. */
function metricsChart(d: RunData, options: BootstrapOptions): DeltaBarsChart | undefined {
  const estimates = estimateRunMetrics(d, options);
  if (estimates.length === 0) return undefined;
  const bars = estimates.map((e) => ({ label: e.label, delta: e.value * 100, lo: e.ci.lo * 100, hi: e.ci.hi * 100, n: e.n }));
  return {
    kind: 'deltaBars', id: 'metrics', title: 'Metrics (95% CI)', unit: 'percent', bars,
    alt: { caption: 'Metrics with their 95% intervals', columns: ['Metric', 'Value', '95% CI', 'n'], rows: bars.map((b) => [b.label, pct(b.delta), `${pct(b.lo)}–${pct(b.hi)}`, String(b.n)]) },
  };
}

export function runReportModel(d: RunData, options: BootstrapOptions = {}): ReportModel {
  const counts = runDataCounts(d);
  const estimates = estimateRunMetrics(d, options);
  const head = estimates[0];
  const itemsById = new Map(d.items.map((i) => [i.id, i]));
  return {
    title: `${d.run.config.benchmarkId} — ${runLabel(d.run)}`,
    facts: [factsOf(d)],
    headline: [`${head ? `${head.label}: ` : ''}${headlineText(head && { value: head.value, n: head.n }, counts)}${head ? `, 95% CI ${pct(head.ci.lo * 100)}–${pct(head.ci.hi * 100)}` : ''}.`, `Samples: ${countsText(counts)}.`],
    sentences: [],
    metrics: { columns: ['Metric', 'Value', '95% CI', 'n'], rows: estimates.map((e) => [e.label, pct(e.value * 100), `${pct(e.ci.lo * 100)}–${pct(e.ci.hi * 100)}`, `${e.n} ${e.unit}${e.items ? ` (${e.items.n} ${e.items.unit})` : ''}`]) },
    charts: ([metricsChart(d, options), latencyChartOf([{ name: 'this run', data: d }])] as (ChartSpec | undefined)[]).filter((c): c is ChartSpec => c !== undefined),
    items: {
      columns: ['Item', 'Outcome', 'Prompt', 'Response', 'Reason'],
      rows: sortedSamples(d).map((s) => [
        d.run.config.samplesPerItem > 1 ? `${s.itemId} #${s.sampleIndex}` : s.itemId,
        OUTCOME_WORDS[sampleOutcome(s)].label,
        itemsById.has(s.itemId) ? promptOf(itemsById.get(s.itemId)!.prompt) : '',
        s.response ?? '',
        reasonOf(s),
      ]),
    },
  };
}

export function compareReportModel(a: RunData, b: RunData, c: RunComparison): ReportModel {
  const level = `${Math.round(c.settings.confidence * 100)}% CI`;
  const passA = new Map([...scoresByItem(a)].map(([id, s]) => [id, passFraction(s) > 0.5]));
  const passB = new Map([...scoresByItem(b)].map(([id, s]) => [id, passFraction(s) > 0.5]));
  const firstSample = (d: RunData) => new Map(sortedSamples(d).filter((s) => s.sampleIndex === 0).map((s) => [s.itemId, s]));
  const sa = firstSample(a);
  const sb = firstSample(b);
  const prompts = new Map([...a.items, ...b.items].map((i) => [i.id, promptOf(i.prompt)]));
  const order = new Map([...b.items, ...a.items].map((i) => [i.id, i.index]));
  const ids = [...new Set([...sa.keys(), ...sb.keys()])].sort((x, y) => (order.get(x) ?? Infinity) - (order.get(y) ?? Infinity));
  const change = (id: string) => {
    const x = passA.get(id);
    const y = passB.get(id);
    if (x === undefined || y === undefined) return x === undefined && y === undefined ? 'not judged' : x === undefined ? 'judged only in B' : 'judged only in A';
    return x === y ? (x ? 'both passed' : 'both wrong') : y ? 'fixed in B' : 'broken in B';
  };
  const flipFirst = (id: string) => (['broken in B', 'fixed in B'].includes(change(id)) ? 0 : 1);
  ids.sort((x, y) => flipFirst(x) - flipFirst(y));
  return {
    title: `Compare: ${runLabel(a.run)} (A) vs ${runLabel(b.run)} (B) — ${c.benchmarkId}`,
    facts: [factsOf(a, 'A'), factsOf(b, 'B')],
    headline: [c.headline ? c.headline.sentence : 'No metric to compare.', `${c.items.compared} ${c.items.unit} judged in both runs.`],
    sentences: [...c.warnings.map((w) => `Warning: ${w.message}`), ...(c.significanceWithheld ? [`Significance not claimed: ${c.significanceWithheld}`] : []), ...c.metrics.slice(1).map((m) => m.sentence)],
    metrics: {
      columns: ['Metric', 'A', 'B', 'B − A (pts)', level, 'p', 'test'],
      rows: c.metrics.map((m) => [m.label, pct(m.a * 100), pct(m.b * 100), (m.delta * 100).toFixed(1), `${(m.ci.lo * 100).toFixed(1)} to ${(m.ci.hi * 100).toFixed(1)}`, m.pValue < 0.001 ? '< 0.001' : m.pValue.toFixed(3), m.test]),
    },
    charts: compareCharts(a, b, c),
    items: {
      columns: ['Item', 'Change', 'Prompt', 'Response A', 'Reason A', 'Response B', 'Reason B'],
      rows: ids.map((id) => [id, change(id), prompts.get(id) ?? '', sa.get(id)?.response ?? '', reasonOf(sa.get(id)), sb.get(id)?.response ?? '', reasonOf(sb.get(id))]),
    },
  };
}
