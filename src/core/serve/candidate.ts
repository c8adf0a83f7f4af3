/**
 * Turning a Llama Stack `benchmark_config` into an EvalBench run request: the candidate model mapped
 * to an endpoint EvalBench knows, its sampling parameters, the number of examples, and the benchmark's
 * scoring function with its parameters mapped to EvalBench's scorers.
 */
import type { EndpointConfig, SamplingSettings } from '../endpoint/types';
import type { RunRequest } from '../run/types';
import { ApiError } from './apiError';
import type { ServedBenchmark } from './evalBenchmarks';

export interface EndpointMap {
  /** Model id → base URL; models not listed use `defaultBaseUrl`. */
  models: Record<string, string>;
  defaultBaseUrl?: string;
  apiKey?: string;
}

export function endpointFor(model: string, map: EndpointMap): string {
  const url = map.models[model] ?? map.defaultBaseUrl;
  if (!url) throw new ApiError(400, `no endpoint known for model '${model}': start serve with --base-url URL or --endpoint ${model}=URL`);
  return url;
}

/** A sampling value as sent: a number in range, or the request's error (never NaN stored with the run). */
function numberIn(value: unknown, name: string, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new ApiError(400, `sampling_params.${name} must be ${integer ? 'a whole number' : 'a number'} ${max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** sampling_params: max_tokens, stop, strategy greedy | top_p (temperature, top_p) | top_k. */
export function samplingFrom(params: unknown): Partial<SamplingSettings> {
  const p = (params ?? {}) as Record<string, any>;
  const out: Partial<SamplingSettings> = {};
  if (p.max_tokens != null) {
    if (!Number.isInteger(p.max_tokens) || p.max_tokens < 1) throw new ApiError(400, `sampling_params.max_tokens must be a whole number ≥ 1, got ${JSON.stringify(p.max_tokens)}`);
    out.max_tokens = p.max_tokens;
  }
  if (p.stop != null) {
    if (!Array.isArray(p.stop) || p.stop.some((s: unknown) => typeof s !== 'string' || s === '')) throw new ApiError(400, `sampling_params.stop must be a list of non-empty strings, got ${JSON.stringify(p.stop)}`);
    if (p.stop.length > 0) out.stop = p.stop;
  }
  const strategy = p.strategy ?? { type: 'greedy' };
  switch (strategy.type ?? 'greedy') {
    case 'greedy':
      out.temperature = 0;
      break;
    case 'top_p':
      out.temperature = numberIn(strategy.temperature ?? 1, 'strategy.temperature', 0, 2);
      if (strategy.top_p != null) out.top_p = numberIn(strategy.top_p, 'strategy.top_p', 0, 1);
      break;
    case 'top_k':
      out.top_k = numberIn(strategy.top_k, 'strategy.top_k', 1, Infinity, true);
      break;
    default:
      throw new ApiError(400, `sampling_params.strategy.type must be greedy, top_p or top_k, got ${JSON.stringify(strategy.type)}`);
  }
  return out;
}

/** The scoring function of a registered benchmark as custom-benchmark options. */
export function scoringOptions(benchmark: ServedBenchmark, scoringParams: Record<string, any> | undefined, endpoints: EndpointMap): Record<string, unknown> {
  if (benchmark.scoring_functions.length !== 1) throw new ApiError(400, `benchmark '${benchmark.identifier}': EvalBench scores with one scoring function per benchmark, got ${benchmark.scoring_functions.length}`);
  const fn = benchmark.scoring_functions[0];
  const params = (scoringParams?.[fn] ?? {}) as Record<string, any>;
  const kind = params.type ?? kindOf(fn);
  switch (kind) {
    case 'exact':
      return { scorer: 'exact' };
    case 'contains':
      return { scorer: 'contains' };
    case 'regex_parser': {
      const regexes = params.parsing_regexes;
      if (!Array.isArray(regexes) || regexes.length === 0) throw new ApiError(400, `scoring function '${fn}' needs scoring_params.${fn}.parsing_regexes`);
      for (const r of regexes) {
        try {
          new RegExp(String(r), 'u');
        } catch (error) {
          throw new ApiError(400, `parsing regex /${r}/ is not valid: ${(error as Error).message}`);
        }
      }
      return { scorer: 'exact', parsingRegexes: regexes.map(String) };
    }
    case 'llm_as_judge': {
      if (typeof params.judge_model !== 'string') throw new ApiError(400, `scoring function '${fn}' needs scoring_params.${fn}.judge_model`);
      const judge: Record<string, unknown> = { baseUrl: endpointFor(params.judge_model, endpoints), model: params.judge_model };
      if (typeof params.prompt_template === 'string') judge.template = params.prompt_template;
      if (Array.isArray(params.judge_score_regexes) && params.judge_score_regexes.length > 0) judge.scoreRegexes = params.judge_score_regexes.map(String);
      return { scorer: 'judge', judge };
    }
    default:
      throw new ApiError(400, `unknown scoring function '${fn}': use basic::equality, basic::subset_of, a regex_parser or an llm-as-judge function`);
  }
}

function kindOf(fn: string): string {
  if (fn === 'basic::equality' || fn === 'basic' || fn === 'exact') return 'exact';
  if (fn === 'basic::subset_of' || fn === 'contains') return 'contains';
  if (fn.includes('regex_parser')) return 'regex_parser';
  if (fn.startsWith('llm-as-judge') || fn.startsWith('llm_as_judge')) return 'llm_as_judge';
  return fn;
}

export function runRequestFor(benchmark: ServedBenchmark, body: unknown, endpoints: EndpointMap): RunRequest {
  const config = (body as { benchmark_config?: Record<string, any> } | null)?.benchmark_config;
  if (!config || typeof config !== 'object') throw new ApiError(400, 'benchmark_config is required');
  const candidate = config.eval_candidate;
  if (!candidate || typeof candidate.model !== 'string') throw new ApiError(400, 'benchmark_config.eval_candidate.model is required');
  if (candidate.type && candidate.type !== 'model') throw new ApiError(400, `eval_candidate.type '${candidate.type}' is not supported: EvalBench evaluates models`);
  const endpoint: EndpointConfig = { baseUrl: endpointFor(candidate.model, endpoints), model: candidate.model, mode: 'chat', apiKey: endpoints.apiKey };
  const limit = config.num_examples;
  if (limit != null && (!Number.isInteger(limit) || limit < 1)) throw new ApiError(400, `num_examples must be a whole number ≥ 1, got ${JSON.stringify(limit)}`);
  const builtIn = benchmark.metadata.built_in === true;
  return {
    benchmark: builtIn
      ? { id: benchmark.identifier, options: {} }
      : { id: 'custom', datasetPath: benchmark.dataset_id, options: { ...scoringOptions(benchmark, config.scoring_params, endpoints), serveBenchmark: benchmark.identifier } },
    endpoints: [endpoint],
    sampling: samplingFrom(candidate.sampling_params),
    limit: limit ?? undefined,
  };
}
