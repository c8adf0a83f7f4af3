/**
 * Asks a server what it is before a run: the models it serves, and, through each server's own
 * routes, the facts a run header needs (the context in effect, slots, sampling defaults,
 * quantization, build). Every route is tried at once; a server that answers none of them gets one
 * error listing what each gave. Each kind's reading is in probes/.
 */
import { EndpointError } from '../errors';
import { normalizeBaseUrl } from './baseUrl';
import { getRoute, type RouteOptions } from './probeRequest';
import { isLlamaCppProps, readLlamaCpp } from './probes/llamaCpp';
import { isLmStudioV0, isLmStudioV1, readLmStudio } from './probes/lmStudio';
import { readOllama } from './probes/ollama';
import { numberOr, quantizationFrom, trim } from './probes/values';
import type { ServerFacts } from './types';

export { quantizationFrom } from './probes/values';

export interface ProbeOptions extends RouteOptions {
  /** The model the run will use (Ollama /api/show, vLLM max_model_len, LM Studio's entry); default: the first listed. */
  model?: string;
}

export async function probeServer(baseUrl: string, given: ProbeOptions = {}): Promise<ServerFacts> {
  // The routes listen on a signal of this probe's own, which follows the caller's without a listener on it: a
  // model matrix probes its servers at once under one command signal, six routes each (Node warned of a leak).
  const options = given.signal ? { ...given, signal: AbortSignal.any([given.signal]) } : given;
  const { apiBase, root } = normalizeBaseUrl(baseUrl);
  const get = (url: string) => getRoute(url, options);
  const [models, props, ollamaVersion, lmstudioV1, lmstudioV0, vllmVersion] = await Promise.all([
    get(`${apiBase}/models`),
    get(`${root}/props`),
    get(`${root}/api/version`),
    get(`${root}/api/v1/models`),
    get(`${root}/api/v0/models`),
    get(`${root}/version`),
  ]);
  const tried = [models, props, ollamaVersion, lmstudioV1, lmstudioV0, vllmVersion];
  if (!Array.isArray(models.json?.data)) {
    const hint = /^40[13]/.test(models.outcome)
      ? 'the server wants an API key: check the key you gave'
      : 'check the URL and that the server is running';
    throw new EndpointError(
      `no OpenAI-compatible server at ${baseUrl}: ${tried.map((r) => `GET ${r.url} → ${r.outcome}`).join('; ')}. ${hint}`,
      { url: apiBase, retryable: false },
    );
  }
  const modelEntries: any[] = models.json.data;
  const ids = modelEntries.map((m) => String(m?.id ?? '')).filter((id) => id !== '');
  const model = options.model ?? ids[0];
  const entry = modelEntries.find((m) => m?.id === model);
  const raw: Record<string, unknown> = { '/v1/models': trim(models.json) };
  const facts: ServerFacts = { kind: 'openai-compatible', baseUrl: apiBase, models: ids, raw, probedAt: new Date().toISOString() };

  if (isLlamaCppProps(props)) {
    // One model per single-model llama-server: its /v1/models entry carries n_params and n_ctx_train whatever the run calls it.
    await readLlamaCpp(facts, root, props.json, entry ?? (props.json.role === 'router' ? undefined : modelEntries[0]), model, options);
  } else if (typeof ollamaVersion.json?.version === 'string') {
    await readOllama(facts, root, ollamaVersion.json.version, model, options);
  } else if (isLmStudioV1(lmstudioV1) || isLmStudioV0(lmstudioV0)) {
    readLmStudio(facts, lmstudioV1, lmstudioV0, model);
  } else if (typeof vllmVersion.json?.version === 'string' || entry?.owned_by === 'vllm') {
    facts.kind = 'vllm';
    if (vllmVersion.json) raw['/version'] = vllmVersion.json;
    facts.build = typeof vllmVersion.json?.version === 'string' ? `vLLM ${vllmVersion.json.version}` : undefined;
    facts.contextLength = numberOr(entry?.max_model_len);
    if (facts.contextLength !== undefined) facts.contextSource = 'vLLM /v1/models max_model_len';
    facts.quantization = quantizationFrom(typeof entry?.root === 'string' ? entry.root : model);
  }
  dropUndefined(facts);
  return facts;
}

/** The model ids a server lists at /v1/models. */
export async function listModels(baseUrl: string, apiKey?: string, options: Omit<ProbeOptions, 'apiKey'> = {}): Promise<string[]> {
  const { apiBase } = normalizeBaseUrl(baseUrl);
  const answer = await getRoute(`${apiBase}/models`, { ...options, apiKey });
  if (!Array.isArray(answer.json?.data)) {
    throw new EndpointError(`could not list the models of ${apiBase}: GET ${answer.url} → ${answer.outcome}`, { url: apiBase, status: answer.status });
  }
  return answer.json.data.map((m: any) => String(m?.id ?? '')).filter((id: string) => id !== '');
}

function dropUndefined(facts: ServerFacts): void {
  for (const key of Object.keys(facts) as (keyof ServerFacts)[]) {
    if (facts[key] === undefined) delete facts[key];
  }
}

