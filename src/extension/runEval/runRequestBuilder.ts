/**
 * Turns the choices of the Run Eval flow (or a command argument) into a RunRequest. Pure, no `vscode`.
 */
import type { EndpointConfig, PromptMode, SamplingSettings } from '../../core/endpoint/types';
import { ConfigError } from '../../core/errors';
import type { RunRequest } from '../../core/run/types';

export const BENCHMARK_CHOICES = [
  { id: 'ifeval', label: 'IFEval', detail: 'Instruction following: 541 prompts with verifiable instructions' },
  { id: 'humaneval', label: 'HumanEval', detail: 'Python code generation: 164 problems, runs the model\u2019s code against unit tests' },
  { id: 'gsm8k', label: 'GSM8K', detail: 'Grade-school math: 1,319 word problems, step-by-step answers checked by their final number' },
  { id: 'custom', label: 'Custom JSONL\u2026', detail: 'Your own file: {"id", "prompt" or "messages", "expected"} per line' },
] as const;

/** What the Run Eval command accepts as an argument (tests, keybindings, other extensions skip the pickers). */
export interface RunEvalChoices {
  baseUrl: string;
  models: string[];
  mode?: PromptMode;
  label?: string;
  benchmarks: string[];
  /** The custom benchmark's JSONL file. */
  datasetPath?: string;
  /** Local dataset files for ifeval / humaneval instead of the bundled copies (setting `evalbench.datasetFiles`). */
  datasetFiles?: Record<string, string>;
  limit?: number;
  samplesPerItem?: number;
  sampling?: Partial<SamplingSettings>;
  /**
   * Programmatic callers (tests, other extensions: code that already runs on this machine) may say the
   * HumanEval warning was seen; the Run Eval pickers never set it.
   */
  confirmed?: boolean;
  /** Programmatic callers: open the run (or matrix) panel as the wizard does. */
  openPanels?: boolean;
}

export interface RunEnvironment {
  apiKey?: string;
  concurrency?: number;
  humanevalExecutor?: 'auto' | 'native' | 'wasm';
  pythonPath?: string;
  /** IFEval's Punkt folder (setting `evalbench.punktFolder`). */
  punktDir?: string;
  /** IFEval: strip <think> blocks (setting `evalbench.ifeval.stripReasoning`). */
  stripReasoning?: boolean;
  /** Settings `evalbench.itemTimeoutSeconds` and `evalbench.logprobs`. */
  itemTimeoutMs?: number;
  logprobs?: boolean;
  /** The LLM judge for custom rows with "scorer": "judge" (setting `evalbench.judge`). */
  judge?: Record<string, unknown>;
}

export function validateChoices(value: unknown): RunEvalChoices {
  if (!value || typeof value !== 'object') throw new ConfigError('Run Eval: expected an object with baseUrl, models and benchmarks');
  const v = value as Partial<RunEvalChoices>;
  if (typeof v.baseUrl !== 'string' || !/^https?:\/\//.test(v.baseUrl)) throw new ConfigError(`Run Eval: baseUrl must be an http(s) URL, got ${JSON.stringify(v.baseUrl)}`);
  if (!Array.isArray(v.models) || v.models.length === 0 || v.models.some((m) => typeof m !== 'string' || !m)) {
    throw new ConfigError('Run Eval: models must be a non-empty list of model ids');
  }
  if (!Array.isArray(v.benchmarks) || v.benchmarks.length === 0) throw new ConfigError('Run Eval: choose at least one benchmark');
  for (const b of v.benchmarks) {
    if (!BENCHMARK_CHOICES.some((c) => c.id === b)) throw new ConfigError(`Run Eval: unknown benchmark '${b}' (use ifeval, humaneval, gsm8k or custom)`);
  }
  if (v.benchmarks.includes('custom') && !v.datasetPath) throw new ConfigError('Run Eval: the custom benchmark needs datasetPath (a JSONL file)');
  for (const [name, n] of [['limit', v.limit], ['samplesPerItem', v.samplesPerItem]] as const) {
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new ConfigError(`Run Eval: ${name} must be a whole number ≥ 1, got ${n}`);
  }
  return v as RunEvalChoices;
}

/** One request per benchmark; each covers every chosen model (a model matrix). */
export function buildRunRequests(choices: RunEvalChoices, env: RunEnvironment): RunRequest[] {
  const endpoints: EndpointConfig[] = choices.models.map((model) => ({
    baseUrl: choices.baseUrl,
    model,
    mode: choices.mode ?? 'chat',
    apiKey: env.apiKey,
    label: choices.models.length === 1 ? choices.label : undefined,
  }));
  return choices.benchmarks.map((id) => {
    const options: Record<string, unknown> = {};
    if (id === 'humaneval') {
      if (env.humanevalExecutor && env.humanevalExecutor !== 'auto') options.executor = env.humanevalExecutor;
      if (env.pythonPath) options.pythonPath = env.pythonPath;
    }
    if (id === 'ifeval' && env.punktDir) options.punktDir = env.punktDir;
    if (id === 'ifeval' && env.stripReasoning) options.stripReasoning = true;
    if (id === 'custom' && env.judge) options.judge = env.judge;
    return {
      benchmark: { id, datasetPath: id === 'custom' ? choices.datasetPath : choices.datasetFiles?.[id] || undefined, options },
      endpoints,
      sampling: choices.sampling && Object.keys(choices.sampling).length > 0 ? choices.sampling : undefined,
      samplesPerItem: choices.samplesPerItem,
      limit: choices.limit,
      concurrency: env.concurrency,
      ...(env.itemTimeoutMs !== undefined ? { itemTimeoutMs: env.itemTimeoutMs } : {}),
      ...(env.logprobs ? { logprobs: true } : {}),
    };
  });
}

/** Parses "temperature=0.7, max_tokens=512, top_p=0.9, seed=1" typed by the user. */
export function parseSamplingOverrides(text: string): Partial<SamplingSettings> {
  const out: Partial<SamplingSettings> = {};
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const [key, raw] = part.split('=');
    const value = Number(raw);
    if (raw === undefined || raw === '' || !Number.isFinite(value)) throw new ConfigError(`sampling: '${part}' is not name=number (e.g. temperature=0.7)`);
    switch (key) {
      case 'temperature':
      case 'top_p':
      case 'top_k':
      case 'max_tokens':
      case 'seed':
        out[key] = value;
        break;
      default:
        throw new ConfigError(`sampling: unknown setting '${key}' (use temperature, top_p, top_k, max_tokens, seed)`);
    }
  }
  return out;
}
