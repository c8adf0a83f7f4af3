/** Argument parsing helpers shared by the commands (node:util parseArgs, with errors users can read). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import * as path from 'node:path';
import type { SamplingSettings } from '../core/endpoint/types';
import { ConfigError } from '../core/errors';

export class UsageError extends ConfigError {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/**
 * `--temperature -3`: parseArgs would read `-3` as an option. A value that looks like a negative number
 * after an option that takes a value is that option's value (then checked, and refused, with a clear message).
 */
function joinNegativeValues(argv: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') && !argv[i].includes('=') ? argv[i].slice(2) : undefined;
    if (name && options[name]?.type === 'string' && /^-(\d|\.\d)/.test(argv[i + 1] ?? '')) {
      out.push(`${argv[i]}=${argv[++i]}`);
    } else out.push(argv[i]);
  }
  return out;
}

export function numberOption(value: string | undefined, name: string, { integer = false, min = -Infinity, max = Infinity } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    const range = max < Infinity ? ` between ${min} and ${max}` : min > -Infinity ? ` ≥ ${min}` : '';
    throw new UsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'}${range}; got '${value}'`);
  }
  return n;
}

export { defaultCacheDir } from '../core/cacheDir';

export function runsDirFrom(out: string | undefined, cwd: string): string {
  return path.resolve(cwd, out ?? path.join('.evalbench', 'runs'));
}

/**
 * A run as the user named it: a run id (looked up in the runs folder) stays as it is; a path to a run file
 * (`./x.sqlite`, `runs/x.sqlite`) is relative to the working folder, as any path on a command line is.
 */
export function runRefFrom(ref: string, cwd: string): string {
  return ref.endsWith('.sqlite') || ref.includes('/') || ref.includes(path.sep) ? path.resolve(cwd, ref) : ref;
}

/** Options every benchmark-running command shares (run, score). */
export const BENCHMARK_OPTIONS = {
  dataset: { type: 'string' },
  scorer: { type: 'string' },
  'strip-reasoning': { type: 'boolean' },
  executor: { type: 'string' },
  python: { type: 'string' },
  punkt: { type: 'string' },
  shots: { type: 'string' },
  'cache-dir': { type: 'string' },
} as const;

export const BENCHMARK_OPTIONS_HELP = `  --dataset PATH         the benchmark's dataset file instead of the bundled copy
  --cache-dir DIR        copies fetched by 'evalbench data update' (default ~/.cache/evalbench)
  --scorer KIND          custom: exact | contains | regex | json-valid (a line's "scorer" wins)
  --strip-reasoning      ifeval: remove <think>…</think> before scoring
  --punkt DIR            ifeval: NLTK punkt_tab English folder (default: the bundled copy)
  --executor native|wasm humaneval: where generated code runs (default: native if python3 is found)
  --python PATH          humaneval: interpreter for the native executor
  --shots N              gsm8k: few-shot exemplars from train.jsonl (default 0 in chat mode, 8 in completions)`;

/** The benchmark options the run stores and the worker's scorers read. */
/** The benchmarks each benchmark option is read by; given for none of a command's benchmarks, it would be ignored. */
const OPTION_BENCHMARKS: Record<'scorer' | 'strip-reasoning' | 'executor' | 'python' | 'punkt' | 'shots', string[]> = {
  scorer: ['custom'],
  'strip-reasoning': ['ifeval'],
  punkt: ['ifeval'],
  executor: ['humaneval'],
  python: ['humaneval'],
  shots: ['gsm8k'],
};

export function benchmarkOptionsFrom(
  values: { scorer?: string; 'strip-reasoning'?: boolean; executor?: string; python?: string; punkt?: string; shots?: string },
  benchmarkIds: string[],
): Record<string, unknown> {
  for (const [flag, readers] of Object.entries(OPTION_BENCHMARKS) as [keyof typeof OPTION_BENCHMARKS, string[]][]) {
    if (values[flag] === undefined || values[flag] === false) continue;
    if (!benchmarkIds.some((id) => readers.includes(id))) {
      throw new UsageError(`--${flag} is a ${readers.join('/')} option; ${benchmarkIds.join(', ')} would ignore it`);
    }
  }
  const options: Record<string, unknown> = {};
  if (values.scorer) options.scorer = values.scorer;
  if (values['strip-reasoning']) options.stripReasoning = true;
  if (values.executor) {
    if (values.executor !== 'native' && values.executor !== 'wasm') throw new UsageError(`--executor must be native or wasm; got '${values.executor}'`);
    options.executor = values.executor;
  }
  if (values.python) options.pythonPath = values.python;
  if (values.punkt) options.punktDir = values.punkt;
  const shots = numberOption(values.shots, 'shots', { integer: true, min: 0 });
  if (shots !== undefined) options.shots = shots;
  return options;
}

/**
 * The dataset file of one benchmark: `--dataset PATH` or the spec's own (`custom:PATH`). Both naming different
 * files is a usage error, not a silent choice of one.
 */
export function datasetPathFrom(dataset: string | undefined, spec: { id: string; datasetPath?: string }, cwd: string): string | undefined {
  if (dataset !== undefined && spec.datasetPath !== undefined && path.resolve(cwd, dataset) !== path.resolve(cwd, spec.datasetPath)) {
    throw new UsageError(`two dataset files: --benchmark ${spec.id}:${spec.datasetPath} and --dataset ${dataset}; give one`);
  }
  return dataset ?? spec.datasetPath;
}

/** Sampling flags every command that asks a model shares (run, compare-models). */
export const SAMPLING_OPTIONS = {
  temperature: { type: 'string' },
  'top-p': { type: 'string' },
  'top-k': { type: 'string' },
  'max-tokens': { type: 'string' },
  seed: { type: 'string' },
  stop: { type: 'string', multiple: true },
} as const;

export function samplingFrom(values: { temperature?: string; 'top-p'?: string; 'top-k'?: string; 'max-tokens'?: string; seed?: string; stop?: string[] }): Partial<SamplingSettings> {
  const sampling: Partial<SamplingSettings> = {};
  const set = <K extends keyof SamplingSettings>(key: K, value: SamplingSettings[K] | undefined) => {
    if (value !== undefined) sampling[key] = value;
  };
  set('temperature', numberOption(values.temperature, 'temperature', { min: 0 }));
  set('top_p', numberOption(values['top-p'], 'top-p', { min: 0, max: 1 }));
  set('top_k', numberOption(values['top-k'], 'top-k', { integer: true, min: 0 }));
  set('max_tokens', numberOption(values['max-tokens'], 'max-tokens', { integer: true, min: 1 }));
  set('seed', numberOption(values.seed, 'seed', { integer: true }));
  if (values.stop?.some((stop) => stop === '')) throw new UsageError('--stop needs a non-empty string (an empty stop sequence would end every reply at once)');
  if (values.stop?.length) sampling.stop = values.stop;
  return sampling;
}
