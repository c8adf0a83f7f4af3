/**
 * An LM Studio simulator, from its REST docs (lmstudio.ai/docs/developer/rest, lmstudio-ai/docs
 * 1_developer/2_rest): GET /api/v1/models (LM Studio 0.4+: `models[]` with `key`,
 * `loaded_instances[].config.context_length`, `max_context_length`, `quantization.name`), the
 * deprecated GET /api/v0/models (`data[]` with `id`, `state` "loaded"/"not-loaded",
 * `loaded_context_length` when loaded, `max_context_length`, `quantization`), and /v1/models,
 * which lists every downloaded model in no particular order — so the first entry may well be
 * another model than the one a run uses. OpenAI /v1 chat completions take temperature, top_p,
 * top_k, repeat_penalty, seed, max_tokens, stop (no min_p).
 */
import { countTokens, echoReply, promptText, sendJson, startSimServer, type SimServer } from './simServer';

export interface LmStudioModel {
  id: string;
  /** The context it is loaded with; undefined = not loaded. */
  loadedContext?: number;
  maxContext: number;
  quantization: string;
}

export interface LmStudioSimOptions {
  models: LmStudioModel[];
  /** Serve /api/v1/models (LM Studio 0.4+); default true. */
  v1?: boolean;
}

export async function startLmStudioSim(options: LmStudioSimOptions): Promise<SimServer> {
  const { models } = options;
  return startSimServer((req, res) => {
    const { method, path, body } = req;
    if (method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', owned_by: 'organization_owner' })) });
    }
    if (method === 'GET' && path === '/api/v1/models' && options.v1 !== false) {
      return sendJson(res, 200, {
        models: models.map((m) => ({
          type: 'llm', publisher: 'lmstudio-community', key: m.id, display_name: m.id, architecture: 'qwen2',
          quantization: { name: m.quantization, bits_per_weight: 4 }, size_bytes: 4_683_073_536, params_string: '7B',
          loaded_instances: m.loadedContext === undefined ? [] : [{ id: m.id, config: { context_length: m.loadedContext } }],
          max_context_length: m.maxContext, format: 'gguf',
        })),
      });
    }
    if (method === 'GET' && path === '/api/v0/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: models.map((m) => ({
          id: m.id, object: 'model', type: 'llm', publisher: 'lmstudio-community', arch: 'qwen2', compatibility_type: 'gguf',
          quantization: m.quantization, state: m.loadedContext === undefined ? 'not-loaded' : 'loaded', max_context_length: m.maxContext,
          ...(m.loadedContext === undefined ? {} : { loaded_context_length: m.loadedContext }),
        })),
      });
    }
    if (method === 'POST' && path === '/v1/chat/completions') {
      const words = echoReply(body);
      const n = countTokens(promptText(body));
      return sendJson(res, 200, {
        id: 'chatcmpl-1', object: 'chat.completion', created: 1_700_000_000, model: body?.model,
        choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }],
        usage: { prompt_tokens: n, completion_tokens: words.length, total_tokens: n + words.length },
      });
    }
    sendJson(res, 404, { error: `Unexpected endpoint or method. (${method} ${path})` });
  });
}
