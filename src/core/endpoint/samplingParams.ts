/**
 * Every sampling parameter sent explicitly, in the form each server kind takes. A parameter a
 * request leaves out takes the server's default, and those differ: llama.cpp top_k 40, top_p 0.95,
 * min_p 0.05; vLLM the model's generation_config.json (e.g. top_k 20, repetition_penalty 1.05,
 * even at temperature 0); Ollama's /v1 top_p 1.0 and its DefaultOptions for the rest. So unless
 * the user set them, filters are sent switched off (top_p 1, top_k off, min_p 0, repetition
 * penalty 1) and two servers sample the same way.
 *
 * Where each server reads them (their sources):
 * - llama.cpp /v1/*: temperature, top_p, top_k (0 = off), min_p, repeat_penalty, seed, max_tokens;
 * - vLLM /v1/*: temperature, top_p, top_k (-1 = off in every release), min_p, repetition_penalty, seed, max_tokens;
 * - Ollama: its /v1 route drops top_k, min_p, repeat_penalty and num_ctx (openai/openai.go has no
 *   such fields), so EvalBench talks to /api/chat and /api/generate, whose `options` take them all;
 * - LM Studio /v1/*: temperature, top_p, top_k, repeat_penalty, seed, max_tokens (its documented
 *   fields; no min_p);
 * - any other server: the OpenAI fields only; anything else is sent only when the user set it,
 *   and recorded as not known to be honoured.
 */
import { ConfigError } from '../errors';
import type { AppliedSampling, SamplingSettings, ServerKind } from './types';

type Field = 'temperature' | 'top_p' | 'top_k' | 'min_p' | 'repetition_penalty' | 'seed' | 'max_tokens';

/** The neutral value of each filter: switched off. */
const NEUTRAL: Partial<Record<Field, number>> = { top_p: 1, top_k: 0, min_p: 0, repetition_penalty: 1 };

interface KindForm {
  api: string;
  /** Our name → the server's name, for every field the server honours. */
  names: Partial<Record<Field, string>>;
  /** How "top_k off" is written. */
  topKOff?: number;
}

const OPENAI_NAMES = { temperature: 'temperature', top_p: 'top_p', seed: 'seed', max_tokens: 'max_tokens' } as const;

const FORMS: Record<ServerKind, KindForm> = {
  'llama.cpp': { api: 'llama.cpp /v1', names: { ...OPENAI_NAMES, top_k: 'top_k', min_p: 'min_p', repetition_penalty: 'repeat_penalty' }, topKOff: 0 },
  vllm: { api: 'vLLM /v1', names: { ...OPENAI_NAMES, top_k: 'top_k', min_p: 'min_p', repetition_penalty: 'repetition_penalty' }, topKOff: -1 },
  ollama: {
    api: 'Ollama /api/chat options',
    names: { temperature: 'temperature', top_p: 'top_p', seed: 'seed', max_tokens: 'num_predict', top_k: 'top_k', min_p: 'min_p', repetition_penalty: 'repeat_penalty' },
    topKOff: 0,
  },
  lmstudio: { api: 'LM Studio /v1', names: { ...OPENAI_NAMES, top_k: 'top_k', repetition_penalty: 'repeat_penalty' }, topKOff: 0 },
  'openai-compatible': { api: 'OpenAI /v1', names: { ...OPENAI_NAMES } },
};

const FIELDS: Field[] = ['temperature', 'top_p', 'top_k', 'min_p', 'repetition_penalty', 'seed', 'max_tokens'];
const EXTRA_NAMES: Partial<Record<Field, string>> = { top_k: 'top_k', min_p: 'min_p', repetition_penalty: 'repetition_penalty' };

export interface SamplingPlan {
  /** The fields to put in the request (the body for /v1, `options` for Ollama), in the server's names. */
  fields: Record<string, number>;
  applied: AppliedSampling;
}

/**
 * What to send a server of `kind` for `sampling`. Throws ConfigError when the user set a parameter
 * this server kind is known to ignore (it would be recorded as applied and silently not be).
 */
export function planSampling(kind: ServerKind, sampling: SamplingSettings): SamplingPlan {
  const form = FORMS[kind];
  const fields: Record<string, number> = {};
  const sent: Record<string, number> = {};
  const honoured: string[] = [];
  const notHonoured: string[] = [];
  const unverified: string[] = [];
  for (const field of FIELDS) {
    const userValue = sampling[field];
    const name = form.names[field];
    if (name === undefined) {
      if (kind === 'openai-compatible' && userValue !== undefined) {
        // An unknown server may take it (most OpenAI-compatible servers read top_k); we cannot tell.
        fields[EXTRA_NAMES[field] ?? field] = userValue;
        sent[field] = userValue;
        unverified.push(field);
      } else if (userValue !== undefined) {
        throw new ConfigError(`${form.api} does not take ${field}: remove it from the sampling settings (the server would ignore it)`);
      } else notHonoured.push(field);
      continue;
    }
    let value = userValue ?? NEUTRAL[field];
    if (value === undefined) continue; // seed: only when set
    if (field === 'top_k' && value <= 0) value = form.topKOff ?? 0;
    fields[name] = value;
    sent[field] = value;
    honoured.push(field);
  }
  return { fields, applied: { api: form.api, sent, honoured, notHonoured: [...notHonoured, ...unverified.map((f) => `${f} (sent; not known to be honoured)`)] } };
}
