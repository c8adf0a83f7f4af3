/**
 * A llama-server simulator, behaviour by behaviour from ggml-org/llama.cpp tools/server:
 * - loading phase (server.cpp starts listening first; server-http.cpp's middleware answers): until
 *   the model is loaded every route answers 503 {"error":{"code":503,"message":"Loading model",
 *   "type":"unavailable_error"}}, /health and /props included; older builds let /models,
 *   /v1/models and /api/tags through (`modelsWhileLoading`), so a probe then saw a server with
 *   models but no /props;
 * - /props (server-context.cpp): default_generation_settings {n_ctx per slot, params with the
 *   sampling defaults top_k 40, top_p 0.95, min_p 0.05…}, total_slots, model_path, build_info;
 *   /slots: one entry per slot with its n_ctx;
 * - router mode (server-models.cpp, llama-server without -m): /props without `model` is the
 *   router's own {role:"router", n_ctx 0, no total_slots}; /props?model=<id> is the child's, which
 *   answers 503 Loading model while it loads; /v1/models entries carry status.value;
 * - context overflow (server-context.cpp, checked before a slot runs): a prompt of n_ctx tokens or
 *   more answers 400 {"error":{"code":400,"message":"request (N tokens) exceeds the available
 *   context size (M tokens), try increasing it","type":"exceed_context_size_error",
 *   "n_prompt_tokens":N,"n_ctx":M}};
 * - slots (server-context.cpp): at most total_slots requests run, the rest wait in the queue;
 * - timings (server-task.cpp): each reply carries server-side `timings` (prompt_n, prompt_ms,
 *   predicted_n, predicted_ms, predicted_per_second…) that exclude the time spent queued;
 * - every sampling field a request gives is honoured; fields left out take the defaults above.
 */
import type * as http from 'node:http';
import { countTokens, delay, echoReply, promptText, sendJson, sendSse, SlotPool, startSimServer, type SimRequest, type SimServer } from './simServer';

export interface LlamaCppSimOptions {
  /** The model id (single-model mode) or the models on offer (router mode). */
  models?: string[];
  router?: boolean;
  /** Start in the loading phase; finishLoading() ends it (single-model mode). */
  loading?: boolean;
  /** Older builds: /v1/models answers 200 while loading (default: 503 like every route, as builds of 2025+). */
  modelsWhileLoading?: boolean;
  /** Router mode: a model asked for through /props?model= or a request loads for this many polls. */
  routerLoadPolls?: number;
  totalSlots?: number;
  /** Context per slot. */
  nCtx?: number;
  /** Server-side time per generated token (ms). */
  tokenMs?: number;
}

export interface LlamaCppSim extends SimServer {
  finishLoading(): void;
  /** The sampling each generation ran with: what the request gave over the server's defaults. */
  readonly effective: Record<string, number>[];
  readonly slots: SlotPool;
}

export const LLAMA_DEFAULTS = { temperature: 0.8, top_k: 40, top_p: 0.95, min_p: 0.05, repeat_penalty: 1.0, seed: -1, n_predict: -1 };
const LOADING = { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } };
const BUILD = 'b6000-0a1b2c3d';

export async function startLlamaCppSim(options: LlamaCppSimOptions = {}): Promise<LlamaCppSim> {
  const models = options.models ?? ['qwen2.5-7b-instruct-q4_k_m'];
  const totalSlots = options.totalSlots ?? 4;
  const nCtx = options.nCtx ?? 4096;
  let loading = options.loading ?? false;
  /** Router mode: polls left before each child model is loaded (absent = not asked for yet). */
  const childLoading = new Map<string, number>();
  const slots = new SlotPool(totalSlots);
  const effective: Record<string, number>[] = [];

  const modelProps = (model: string) => ({
    default_generation_settings: { n_ctx: nCtx, params: { ...LLAMA_DEFAULTS, n_ctx: nCtx } },
    total_slots: totalSlots,
    model_path: `/models/${model}.gguf`,
    model_alias: model,
    chat_template: '{% for message in messages %}{{ message.content }}{% endfor %}',
    build_info: BUILD,
  });
  /** Router mode: is the child for `model` loaded? Asking starts (or advances) its loading. */
  const childReady = (model: string): boolean => {
    const left = childLoading.get(model) ?? options.routerLoadPolls ?? 2;
    childLoading.set(model, Math.max(0, left - 1));
    return left <= 0;
  };

  const server = await startSimServer(async (req, res) => {
    const { method, path } = req;
    const modelsRoute = method === 'GET' && (path === '/v1/models' || path === '/models');
    if (loading && !(modelsRoute && options.modelsWhileLoading)) return sendJson(res, 503, LOADING);
    if (modelsRoute) {
      return sendJson(res, 200, {
        object: 'list',
        data: models.map((id) => ({
          id,
          object: 'model',
          owned_by: 'llamacpp',
          created: 1_700_000_000,
          ...(options.router
            ? { status: { value: childLoading.get(id) === 0 ? 'loaded' : childLoading.has(id) ? 'loading' : 'unloaded' } }
            : { meta: { n_ctx_train: 32768, n_params: 7_615_616_512, size: 4_683_073_536 } }),
        })),
      });
    }
    if (method === 'GET' && path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (method === 'GET' && path === '/props') {
      const model = req.query.get('model');
      if (!options.router) return sendJson(res, 200, modelProps(models[0]));
      if (!model) {
        return sendJson(res, 200, {
          role: 'router', max_instances: 4, models_autoload: true, model_alias: 'llama-server', model_path: 'none',
          default_generation_settings: { params: {}, n_ctx: 0 }, build_info: BUILD,
        });
      }
      if (!models.includes(model)) return sendJson(res, 400, { error: { code: 400, message: `model '${model}' not found`, type: 'invalid_request_error' } });
      return childReady(model) ? sendJson(res, 200, modelProps(model)) : sendJson(res, 503, LOADING);
    }
    if (method === 'GET' && path === '/slots' && !options.router) {
      return sendJson(res, 200, Array.from({ length: totalSlots }, (_, id) => ({ id, n_ctx: nCtx, is_processing: false })));
    }
    if (method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/completions')) {
      if (options.router && !childReady(String(req.body?.model ?? ''))) return sendJson(res, 503, LOADING);
      return generate(req, res, path === '/v1/chat/completions');
    }
    sendJson(res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
  });

  async function generate(req: SimRequest, res: http.ServerResponse, chat: boolean): Promise<void> {
    const body = req.body ?? {};
    const nPrompt = countTokens(promptText(body));
    if (nPrompt >= nCtx) {
      return sendJson(res, 400, {
        error: {
          code: 400,
          message: `request (${nPrompt} tokens) exceeds the available context size (${nCtx} tokens), try increasing it`,
          type: 'exceed_context_size_error',
          n_prompt_tokens: nPrompt,
          n_ctx: nCtx,
        },
      });
    }
    effective.push({
      temperature: body.temperature ?? LLAMA_DEFAULTS.temperature,
      top_k: body.top_k ?? LLAMA_DEFAULTS.top_k,
      top_p: body.top_p ?? LLAMA_DEFAULTS.top_p,
      min_p: body.min_p ?? LLAMA_DEFAULTS.min_p,
      repeat_penalty: body.repeat_penalty ?? LLAMA_DEFAULTS.repeat_penalty,
    });
    const release = await slots.acquire(); // queue time: not in the timings below
    try {
      let words = echoReply(body);
      let finish = 'stop';
      const limit = Math.min(typeof body.max_tokens === 'number' ? body.max_tokens : Infinity, nCtx - nPrompt);
      if (words.length > limit) {
        words = words.slice(0, limit);
        finish = 'length';
      }
      const predictedMs = (options.tokenMs ?? 0) * words.length;
      await delay(predictedMs);
      const promptMs = nPrompt * 0.5;
      const timings = {
        cache_n: 0, prompt_n: nPrompt, prompt_ms: promptMs, prompt_per_token_ms: 0.5, prompt_per_second: 2000,
        predicted_n: words.length, predicted_ms: predictedMs,
        predicted_per_token_ms: options.tokenMs ?? 0, predicted_per_second: predictedMs > 0 ? (words.length * 1000) / predictedMs : 0,
      };
      const text = words.join('');
      const usage = { prompt_tokens: nPrompt, completion_tokens: words.length, total_tokens: nPrompt + words.length };
      const model = body.model ?? models[0];
      if (!body.stream) {
        const choice = chat ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: finish } : { index: 0, text, finish_reason: finish };
        return sendJson(res, 200, { id: 'chatcmpl-sim', object: chat ? 'chat.completion' : 'text_completion', created: 1_700_000_000, model, choices: [choice], usage, timings });
      }
      const piece = (content: string, finishReason: string | null) =>
        chat ? { index: 0, delta: { content }, finish_reason: finishReason } : { index: 0, text: content, finish_reason: finishReason };
      const events: unknown[] = words.map((w) => ({ id: 'chatcmpl-sim', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [piece(w, null)] }));
      events.push({ id: 'chatcmpl-sim', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [piece('', finish)], timings });
      if (body.stream_options?.include_usage) events.push({ id: 'chatcmpl-sim', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [], usage, timings });
      sendSse(res, events);
    } finally {
      release();
    }
  }

  return {
    ...server,
    effective,
    slots,
    finishLoading: () => {
      loading = false;
    },
  };
}
