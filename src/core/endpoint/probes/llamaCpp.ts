/**
 * llama-server's facts (ggml-org/llama.cpp tools/server): /props gives total_slots,
 * default_generation_settings (its sampling defaults and n_ctx per slot), model_path, build_info;
 * /slots gives each slot's n_ctx (the context one request really gets: -c divided by -np unless
 * the KV cache is unified). In router mode (server-models.cpp) /props is the router's own answer
 * (role "router", n_ctx 0, no slots) and `/props?model=<id>` is the loaded model's.
 */
import { getRoute, type RouteAnswer, type RouteOptions } from '../probeRequest';
import type { ServerFacts } from '../types';
import { numberOr, parameterSize, pickNumbers, positiveOr, quantizationFrom, stringOr, trim } from './values';

/** The sampling fields of default_generation_settings.params we record, in llama.cpp's names. */
const SAMPLING_KEYS = ['temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'repeat_penalty', 'repeat_last_n', 'presence_penalty', 'frequency_penalty', 'dry_multiplier', 'xtc_probability', 'mirostat', 'n_predict', 'seed'] as const;

export function isLlamaCppProps(props: RouteAnswer): boolean {
  const p = props.json;
  return !!p && (p.default_generation_settings !== undefined || p.total_slots !== undefined || p.role === 'router');
}

export async function readLlamaCpp(facts: ServerFacts, root: string, props: any, entry: any, model: string | undefined, options: RouteOptions): Promise<void> {
  facts.kind = 'llama.cpp';
  facts.raw['/props'] = trim(props);
  let p = props;
  if (props.role === 'router') {
    facts.router = true;
    if (model) {
      const child = await getRoute(`${root}/props?model=${encodeURIComponent(model)}`, options);
      facts.raw[`/props?model=${model}`] = child.json ? trim(child.json) : child.outcome;
      if (child.json) p = child.json;
    }
  }
  facts.build = typeof props.build_info === 'string' ? `llama.cpp ${props.build_info}` : undefined;
  if (p === props && props.role === 'router') return; // nothing known about the model itself yet
  facts.totalSlots = positiveOr(p.total_slots);
  facts.parallel = facts.totalSlots;
  facts.modelPath = stringOr(p.model_path);
  facts.quantization = quantizationFrom(facts.modelPath);
  facts.parameterSize = parameterSize(numberOr(entry?.meta?.n_params));
  facts.trainedContextLength = positiveOr(entry?.meta?.n_ctx_train);
  const defaults = pickNumbers(p.default_generation_settings?.params, SAMPLING_KEYS, { repeat_penalty: 'repetition_penalty', n_predict: 'max_tokens' });
  if (defaults) facts.serverDefaults = defaults;

  // Per-slot n_ctx from /slots when it is served (--no-slots turns it off); else /props, which reports slot 0.
  const slots = facts.router ? undefined : await getRoute(`${root}/slots`, options);
  const slotCtx = Array.isArray(slots?.json) ? positiveOr(slots.json[0]?.n_ctx) : undefined;
  if (slotCtx !== undefined) {
    facts.contextLength = slotCtx;
    facts.contextSource = 'llama.cpp /slots n_ctx (per slot)';
    return;
  }
  const propsCtx = positiveOr(p.default_generation_settings?.n_ctx) ?? positiveOr(p.n_ctx);
  if (propsCtx !== undefined) {
    facts.contextLength = propsCtx;
    facts.contextSource = 'llama.cpp /props default_generation_settings.n_ctx (per slot)';
  }
}
