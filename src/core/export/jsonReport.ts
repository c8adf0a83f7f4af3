/**
 * A run as JSON in the shape the project owner's scripts already read, extended:
 *   {timestamp, repo_id, model_path, model_format, gpu_info,
 *    benchmarks: {<benchmark id>: {benchmark, questions, overall_score, <metric>: value…, ci: {<metric>: …}, …}}}
 * Scores are fractions in 0..1, as in the run file. Fields past the owner's shape (run id, server,
 * sampling, failure causes, speed) are extra keys, so readers of the original shape keep working.
 */
import { sandboxOf } from '../benchmarks/humaneval/sandboxReport';
import type { ServerFacts } from '../endpoint/types';
import { countFailureCauses, type SampleOutcome } from '../outcome';
import { estimateRunMetrics, type MetricEstimate } from '../compare/estimate';
import { runDataCounts, scoresByItem, type RunData } from '../compare/runData';
import { speedStats } from '../compare/speed';
import type { BootstrapOptions } from '../stats/bootstrap';

const BENCHMARK_NAMES: Record<string, string> = { ifeval: 'IFEval', humaneval: 'HumanEval', custom: 'Custom JSONL' };

/** "GGUF" when the server says so (a .gguf model path, Ollama's or LM Studio's format field); null when unknown. */
export function modelFormat(facts: ServerFacts | undefined, model: string): string | null {
  if (!facts) return null;
  if (facts.modelPath && /\.gguf$/i.test(facts.modelPath)) return 'GGUF';
  const show = facts.raw?.['/api/show'] as { details?: { format?: unknown } } | undefined;
  if (typeof show?.details?.format === 'string' && show.details.format) return show.details.format.toUpperCase();
  const lmstudio = facts.raw?.['/api/v0/models'] as { data?: { id?: unknown; compatibility_type?: unknown }[] } | undefined;
  const entry = Array.isArray(lmstudio?.data) ? lmstudio!.data.find((m) => m?.id === model) : undefined;
  if (typeof entry?.compatibility_type === 'string' && entry.compatibility_type) return entry.compatibility_type.toUpperCase();
  if (facts.modelPath && /\.safetensors$/i.test(facts.modelPath)) return 'safetensors';
  return null;
}

function round(value: number, digits = 6): number {
  return Number(value.toFixed(digits));
}

export interface JsonReportOptions extends BootstrapOptions {
  /** Known GPU description; the server does not report one, so it is null unless given. */
  gpuInfo?: unknown;
}

export function benchmarkSection(data: RunData, estimates: MetricEstimate[]): Record<string, unknown> {
  const { run } = data;
  const scored = scoresByItem(data);
  // Causes of every sample that did not pass, under its outcome: a cause alone can belong to two of them (HumanEval's
  // "timeout" is a wrong answer whose program ran out of time; a request's "timeout" is a reply that never came).
  const causes: Partial<Record<SampleOutcome, Record<string, number>>> = {};
  for (const { outcome, cause, count } of countFailureCauses(data.samples)) (causes[outcome] ??= {})[cause] = count;
  const outcomes = runDataCounts(data);
  const headline = estimates[0];
  const section: Record<string, unknown> = {
    benchmark: BENCHMARK_NAMES[run.config.benchmarkId] ?? run.config.benchmarkId,
    questions: scored.size,
  };
  if (run.config.benchmarkId === 'humaneval' || run.config.samplesPerItem > 1) section.n_samples = run.config.samplesPerItem;
  section.overall_score = headline ? round(headline.value) : null;
  for (const e of estimates) section[e.name] = round(e.value);
  section.ci = Object.fromEntries(
    estimates.map((e) => [e.name, { lo: round(e.ci.lo), hi: round(e.ci.hi), se: round(e.se), confidence: e.ci.confidence, method: e.method, n: e.n, unit: e.unit, ...(e.items ? { items: e.items } : {}) }]),
  );
  section.run_id = run.id;
  section.status = run.status;
  // Metrics are over the judged samples; these say how many there were and what was left out.
  section.outcomes = outcomes;
  section.benchmark_version = run.config.benchmarkVersion;
  section.dataset = { origin: run.config.datasetOrigin, sha256: run.config.datasetSha256 };
  if (run.config.preparedData) section.data_files = run.config.preparedData;
  section.sampling = run.config.sampling;
  section.prompt_mode = run.config.endpoint.mode;
  section.failure_causes = causes;
  section.speed = speedStats(data.samples);
  const sandbox = sandboxOf(data.samples);
  if (sandbox) section.sandbox = sandbox;
  return section;
}

export function toJsonReport(data: RunData, options: JsonReportOptions = {}): Record<string, unknown> {
  const { run } = data;
  const facts = run.serverFacts;
  return {
    timestamp: run.createdAt,
    repo_id: run.config.endpoint.model,
    model_path: facts?.modelPath ?? null,
    model_format: modelFormat(facts, run.config.endpoint.model),
    gpu_info: options.gpuInfo ?? null,
    quantization: facts?.quantization ?? null,
    server: facts ? { kind: facts.kind, base_url: facts.baseUrl, build: facts.build ?? null, context_length: facts.contextLength ?? null } : null,
    label: run.config.endpoint.label ?? null,
    benchmarks: { [run.config.benchmarkId]: benchmarkSection(data, estimateRunMetrics(data, options)) },
  };
}

export function renderJson(data: RunData, options: JsonReportOptions = {}): string {
  return `${JSON.stringify(toJsonReport(data, options), null, 2)}\n`;
}

