/**
 * LM Studio's facts, from its own REST API (lmstudio.ai/docs/developer/rest): /api/v1/models
 * (LM Studio 0.4+: `models[]` with `key`, `loaded_instances[].config.context_length`,
 * `max_context_length`, `quantization.name`) when present, else the deprecated /api/v0/models
 * (`data[]` with `id`, `state`, `loaded_context_length`, `max_context_length`, `quantization`).
 * The run's model is matched by id, never by position: the first entry may be another model.
 * A server is called LM Studio only when these answers carry LM Studio's own fields.
 */
import type { RouteAnswer } from '../probeRequest';
import type { ServerFacts } from '../types';
import { positiveOr, stringOr, trim } from './values';

export function isLmStudioV1(answer: RouteAnswer): boolean {
  const models = answer.json?.models;
  return Array.isArray(models) && models.some((m: any) => typeof m?.key === 'string' && Array.isArray(m?.loaded_instances));
}

export function isLmStudioV0(answer: RouteAnswer): boolean {
  const data = answer.json?.data;
  return Array.isArray(data) && data.some((m: any) => typeof m?.id === 'string' && typeof m?.state === 'string' && m?.max_context_length !== undefined);
}

export function readLmStudio(facts: ServerFacts, v1: RouteAnswer, v0: RouteAnswer, model: string | undefined): void {
  facts.kind = 'lmstudio';
  if (isLmStudioV1(v1)) {
    facts.raw['/api/v1/models'] = trim(v1.json);
    const entry = v1.json.models.find((m: any) => m?.key === model || (Array.isArray(m?.loaded_instances) && m.loaded_instances.some((i: any) => i?.id === model)));
    if (!entry) return;
    const instance = entry.loaded_instances.find((i: any) => i?.id === model) ?? entry.loaded_instances[0];
    facts.quantization = stringOr(entry.quantization?.name);
    facts.parameterSize = stringOr(entry.params_string);
    facts.trainedContextLength = positiveOr(entry.max_context_length);
    const loaded = positiveOr(instance?.config?.context_length);
    if (loaded !== undefined) {
      facts.contextLength = loaded;
      facts.contextSource = 'LM Studio /api/v1/models loaded_instances config.context_length';
    }
    return;
  }
  facts.raw['/api/v0/models'] = trim(v0.json);
  const entry = v0.json.data.find((m: any) => m?.id === model);
  if (!entry) return;
  facts.quantization = stringOr(entry.quantization);
  facts.trainedContextLength = positiveOr(entry.max_context_length);
  const loaded = entry.state === 'loaded' ? positiveOr(entry.loaded_context_length) : undefined;
  if (loaded !== undefined) {
    facts.contextLength = loaded;
    facts.contextSource = 'LM Studio /api/v0/models loaded_context_length';
  }
}
