/**
 * A vLLM OpenAI-server simulator, from vllm-project/vllm entrypoints/openai:
 * - /v1/models entries carry owned_by "vllm", root and max_model_len; /version and /health answer;
 * - serving_engine.py `_validate_input`: a prompt of max_model_len tokens or more answers 400
 *   "This model's maximum context length is M tokens. However, your request has N input tokens.
 *   Please reduce the length of the input messages."; a prompt that fits with a max_tokens that
 *   does not answers 400 "'max_tokens' or 'max_completion_tokens' is too large: X. This model's
 *   maximum context length is M tokens and your request has N input tokens (X > M - N)."
 *   (ErrorResponse: {"error":{message,type:"BadRequestError",param,code}} in current releases,
 *   the same fields at the top level with object "error" in older ones: `flatErrors`);
 * - sampling fields a request leaves out take the model's generation_config.json (the default
 *   `--generation-config auto`), e.g. Qwen2.5's temperature 0.7, top_p 0.8, top_k 20,
 *   repetition_penalty 1.05; top_k -1 (or 0) and min_p 0 turn those filters off;
 * - continuous batching: no slot limit worth simulating.
 */
import { countTokens, echoReply, promptText, sendJson, startSimServer, type SimServer } from './simServer';

export interface VllmSimOptions {
  models?: string[];
  maxModelLen?: number;
  /** The model's generation_config.json sampling fields. */
  generationConfig?: Record<string, number>;
  flatErrors?: boolean;
}

export interface VllmSim extends SimServer {
  /** The sampling each generation ran with. */
  readonly effective: Record<string, number>[];
}

export const QWEN_GENERATION_CONFIG = { temperature: 0.7, top_p: 0.8, top_k: 20, repetition_penalty: 1.05 };

export async function startVllmSim(options: VllmSimOptions = {}): Promise<VllmSim> {
  const models = options.models ?? ['Qwen/Qwen2.5-7B-Instruct'];
  const maxModelLen = options.maxModelLen ?? 4096;
  const generationConfig = options.generationConfig ?? QWEN_GENERATION_CONFIG;
  const effective: Record<string, number>[] = [];
  const badRequest = (message: string) =>
    options.flatErrors
      ? { object: 'error', message, type: 'BadRequestError', param: null, code: 400 }
      : { error: { message, type: 'BadRequestError', param: null, code: 400 } };

  const server = await startSimServer((req, res) => {
    const { method, path } = req;
    if (method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'vllm', root: id, parent: null, max_model_len: maxModelLen })) });
    }
    if (method === 'GET' && path === '/version') return sendJson(res, 200, { version: '0.10.1' });
    if (method === 'GET' && path === '/health') return void res.writeHead(200).end();
    if (method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/v1/completions')) {
      return sendJson(res, 404, { detail: 'Not Found' });
    }
    const body = req.body ?? {};
    const nPrompt = countTokens(promptText(body));
    if (nPrompt >= maxModelLen) {
      return sendJson(res, 400, badRequest(`This model's maximum context length is ${maxModelLen} tokens. However, your request has ${nPrompt} input tokens. Please reduce the length of the input messages.`));
    }
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : maxModelLen - nPrompt;
    if (maxTokens > maxModelLen - nPrompt) {
      return sendJson(res, 400, badRequest(
        `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ${maxModelLen} tokens and your request has ${nPrompt} input tokens (${maxTokens} > ${maxModelLen} - ${nPrompt}).`,
      ));
    }
    const sampling: Record<string, number> = { ...generationConfig };
    for (const key of ['temperature', 'top_p', 'top_k', 'min_p', 'repetition_penalty', 'seed']) if (typeof body[key] === 'number') sampling[key] = body[key];
    effective.push(sampling);
    let words = echoReply(body);
    let finish = 'stop';
    if (words.length > maxTokens) {
      words = words.slice(0, maxTokens);
      finish = 'length';
    }
    const text = words.join('');
    const chat = path === '/v1/chat/completions';
    const choice = chat ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: finish } : { index: 0, text, finish_reason: finish };
    sendJson(res, 200, {
      id: 'cmpl-sim', object: chat ? 'chat.completion' : 'text_completion', created: 1_700_000_000, model: body.model, choices: [choice],
      usage: { prompt_tokens: nPrompt, completion_tokens: words.length, total_tokens: nPrompt + words.length },
    });
  });
  return { ...server, effective };
}
