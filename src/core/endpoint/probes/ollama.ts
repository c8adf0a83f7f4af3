/**
 * Ollama's facts (ollama/ollama server/routes.go, api/types.go). The context a request really gets
 * is num_ctx — the loaded model's `context_length` in /api/ps, else a `num_ctx` line in the model's
 * /api/show `parameters`, else the server default (OLLAMA_CONTEXT_LENGTH: 2048 before v0.10, 4096
 * after, VRAM-dependent in newer builds) — not the trained maximum in model_info, and a longer
 * prompt is cut silently. Sampling defaults: api/types.go DefaultOptions, overridden by the
 * model's parameters. One request at a time unless OLLAMA_NUM_PARALLEL says otherwise, which the
 * API does not report.
 */
import { routeRequest, getRoute, type RouteOptions } from '../probeRequest';
import type { ServerFacts } from '../types';
import { positiveOr, stringOr, trim } from './values';

/** api/types.go DefaultOptions, in EvalBench's names. */
const OLLAMA_DEFAULTS: Record<string, number> = { temperature: 0.8, top_k: 40, top_p: 0.9, min_p: 0, repetition_penalty: 1.1, seed: -1, max_tokens: -1 };
const PARAMETER_NAMES: Record<string, string> = { temperature: 'temperature', top_k: 'top_k', top_p: 'top_p', min_p: 'min_p', repeat_penalty: 'repetition_penalty', seed: 'seed', num_predict: 'max_tokens', num_ctx: 'num_ctx' };

export async function readOllama(facts: ServerFacts, root: string, version: string, model: string | undefined, options: RouteOptions): Promise<void> {
  facts.kind = 'ollama';
  facts.build = `ollama ${version}`;
  facts.raw['/api/version'] = { version };
  facts.parallel = 1;
  if (!model) return;
  const [show, ps] = await Promise.all([routeRequest(`${root}/api/show`, { model }, options), getRoute(`${root}/api/ps`, options)]);
  let numCtxParameter: number | undefined;
  if (show.json) {
    facts.raw['/api/show'] = trim({ details: show.json.details, model_info: show.json.model_info, parameters: show.json.parameters });
    facts.quantization = stringOr(show.json.details?.quantization_level);
    facts.parameterSize = stringOr(show.json.details?.parameter_size);
    facts.trainedContextLength = contextFromModelInfo(show.json.model_info);
    const parameters = parseParameters(show.json.parameters);
    numCtxParameter = parameters.num_ctx;
    delete parameters.num_ctx;
    facts.serverDefaults = { ...OLLAMA_DEFAULTS, ...parameters };
  } else {
    facts.raw['/api/show'] = show.outcome;
    facts.serverDefaults = { ...OLLAMA_DEFAULTS };
  }
  const loaded = Array.isArray(ps.json?.models) ? ps.json.models.find((m: any) => sameModel(m?.name, model) || sameModel(m?.model, model)) : undefined;
  if (ps.json) facts.raw['/api/ps'] = trim(ps.json);
  const psCtx = positiveOr(loaded?.context_length);
  if (psCtx !== undefined) {
    facts.contextLength = psCtx;
    facts.contextSource = 'Ollama /api/ps context_length (loaded model)';
  } else if (numCtxParameter !== undefined) {
    facts.contextLength = numCtxParameter;
    facts.contextSource = "Ollama /api/show parameters num_ctx";
  } else {
    facts.contextLength = defaultNumCtx(version);
    facts.contextSource = `an estimate: Ollama ${version}'s default num_ctx (the model is not loaded; OLLAMA_CONTEXT_LENGTH may differ)`;
  }
}

/** Ollama lists "qwen2.5:7b"; a user may write "qwen2.5" for "qwen2.5:latest". */
export function sameModel(name: unknown, wanted: string): boolean {
  if (typeof name !== 'string') return false;
  return name === wanted || name === `${wanted}:latest` || `${name}:latest` === wanted;
}

/** `parameters` is Modelfile text: `num_ctx 8192\nstop "<|im_end|>"\ntemperature 0.7`. Numbers only. */
export function parseParameters(text: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof text !== 'string') return out;
  for (const line of text.split('\n')) {
    const match = /^\s*(\w+)\s+(-?[\d.]+)\s*$/.exec(line);
    const name = match ? PARAMETER_NAMES[match[1]] : undefined;
    if (match && name) out[name] = Number(match[2]);
  }
  return out;
}

/** Ollama's own default: 2048 before v0.10, 4096 from v0.10 (newer builds may pick more from free VRAM). */
export function defaultNumCtx(version: string): number {
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (Number.isFinite(major) && Number.isFinite(minor) && major === 0 && minor < 10) return 2048;
  return 4096;
}

/** model_info has "<arch>.context_length" (e.g. "qwen2.context_length"). */
function contextFromModelInfo(info: any): number | undefined {
  if (!info || typeof info !== 'object') return undefined;
  const direct = positiveOr(info[`${info['general.architecture']}.context_length`]);
  if (direct !== undefined) return direct;
  const key = Object.keys(info).find((k) => k.endsWith('.context_length'));
  return key ? positiveOr(info[key]) : undefined;
}
