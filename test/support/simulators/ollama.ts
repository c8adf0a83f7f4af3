/**
 * An Ollama simulator, behaviour by behaviour from ollama/ollama:
 * - /api/version, /api/tags, POST /api/show (server/routes.go): `parameters` is Modelfile text and
 *   model_info["<arch>.context_length"] the trained maximum, not the context in use;
 * - /api/ps (server/routes.go): the loaded models, with `context_length` = the num_ctx they were
 *   loaded with (older builds leave it out: `psContextLength: false`); a model loads on its first request;
 * - /v1/chat/completions (openai/openai.go): the request struct has no top_k, min_p, repeat_penalty
 *   or num_ctx, so Go's decoder drops them; top_p and temperature left out become 1.0; max_tokens
 *   becomes num_predict;
 * - POST /api/chat and /api/generate (server/routes.go, api/types.go): `options` honoured (num_ctx,
 *   top_k, top_p, min_p, repeat_penalty, temperature, seed, num_predict, stop); fields left out take
 *   the model's parameters, then DefaultOptions (temperature 0.8, top_k 40, top_p 0.9, min_p 0,
 *   repeat_penalty 1.1); `stream` defaults to true (NDJSON); durations in nanoseconds; with
 *   `logprobs: true` (v0.12.11+) each answer object carries `logprobs: [{token, logprob, bytes}]`;
 * - silent truncation (runner/ollamarunner/runner.go): a prompt longer than num_ctx keeps its first
 *   num_keep (4) tokens and its tail, num_ctx tokens in all, logs "truncating input prompt" and
 *   answers 200 with prompt_eval_count = num_ctx — the model answers the cut prompt;
 * - OLLAMA_NUM_PARALLEL defaults to 1: one request at a time, the rest queue.
 */
import type * as http from 'node:http';
import { countTokens, delay, sendJson, sendSse, SlotPool, startSimServer, type SimRequest, type SimServer } from './simServer';

export interface OllamaSimOptions {
  models?: string[];
  version?: string;
  /** The num_ctx a model loads with when a request does not say (OLLAMA_CONTEXT_LENGTH). */
  numCtx?: number;
  /** A `num_ctx` line in the model's parameters. */
  parameterNumCtx?: number;
  trainedContext?: number;
  /** /api/ps reports context_length (newer builds). */
  psContextLength?: boolean;
  /** Start with the first model loaded. */
  loaded?: boolean;
  parallel?: number;
  /** Server-side time per generated token (ms). */
  tokenMs?: number;
}

export interface OllamaSim extends SimServer {
  /** The options each generation ran with, after the route's own handling. */
  readonly effective: Record<string, number>[];
  /** The prompts the model really saw (after any truncation). */
  readonly seenPrompts: string[];
  readonly slots: SlotPool;
}

export const OLLAMA_DEFAULT_OPTIONS = { temperature: 0.8, top_k: 40, top_p: 0.9, min_p: 0, repeat_penalty: 1.1 };
const NUM_KEEP = 4;

export async function startOllamaSim(options: OllamaSimOptions = {}): Promise<OllamaSim> {
  const models = options.models ?? ['qwen2.5:7b'];
  const version = options.version ?? '0.12.3';
  const baseNumCtx = options.parameterNumCtx ?? options.numCtx ?? 4096;
  const loaded = new Map<string, number>(); // model → num_ctx it was loaded with
  if (options.loaded) loaded.set(models[0], baseNumCtx);
  const slots = new SlotPool(options.parallel ?? 1);
  const effective: Record<string, number>[] = [];
  const seenPrompts: string[] = [];
  const details = { parent_model: '', format: 'gguf', family: 'qwen2', families: ['qwen2'], parameter_size: '7.6B', quantization_level: 'Q4_K_M' };
  const known = (name: unknown) => models.find((m) => m === name || m === `${name}:latest`);

  const server = await startSimServer(async (req, res) => {
    const { method, path, body } = req;
    if (method === 'GET' && path === '/api/version') return sendJson(res, 200, { version });
    if (method === 'GET' && path === '/api/tags') return sendJson(res, 200, { models: models.map((name) => ({ name, model: name, size: 4_683_087_332, digest: 'sha256:845dbda0ea48', details })) });
    if (method === 'GET' && path === '/v1/models') return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'library' })) });
    if (method === 'GET' && path === '/api/ps') {
      return sendJson(res, 200, {
        models: [...loaded].map(([name, numCtx]) => ({
          name, model: name, size: 6_000_000_000, digest: 'sha256:845dbda0ea48', details, expires_at: '2030-01-01T00:00:00Z', size_vram: 6_000_000_000,
          ...(options.psContextLength === false ? {} : { context_length: numCtx }),
        })),
      });
    }
    if (method === 'POST' && path === '/api/show') {
      const name = known(body?.model ?? body?.name);
      if (!name) return sendJson(res, 404, { error: `model '${body?.model}' not found` });
      return sendJson(res, 200, {
        modelfile: `FROM ${name}`,
        parameters: ['stop "<|im_end|>"', ...(options.parameterNumCtx ? [`num_ctx ${options.parameterNumCtx}`] : [])].join('\n'),
        details,
        model_info: { 'general.architecture': 'qwen2', 'general.parameter_count': 7_615_616_512, 'qwen2.context_length': options.trainedContext ?? 32768 },
      });
    }
    if (method === 'POST' && path === '/v1/chat/completions') {
      // openai.go: only the fields of its request struct survive decoding.
      const opts: Record<string, number> = { temperature: body?.temperature ?? 1.0, top_p: body?.top_p ?? 1.0 };
      if (typeof body?.max_tokens === 'number') opts.num_predict = body.max_tokens;
      if (typeof body?.seed === 'number') opts.seed = body.seed;
      return run(req, res, { model: body?.model, messages: body?.messages, options: opts }, 'openai');
    }
    if (method === 'POST' && (path === '/api/chat' || path === '/api/generate')) {
      return run(req, res, body ?? {}, path === '/api/chat' ? 'chat' : 'generate');
    }
    sendJson(res, 404, { error: '404 page not found' });
  });

  async function run(req: SimRequest, res: http.ServerResponse, native: any, route: 'openai' | 'chat' | 'generate'): Promise<void> {
    const name = known(native.model);
    if (!name) return sendJson(res, 404, { error: `model '${native.model}' not found` });
    const given = native.options ?? {};
    const numCtx = typeof given.num_ctx === 'number' ? given.num_ctx : loaded.get(name) ?? baseNumCtx;
    loaded.set(name, numCtx);
    const sampling: Record<string, number> = { ...OLLAMA_DEFAULT_OPTIONS, num_ctx: numCtx };
    for (const key of ['temperature', 'top_k', 'top_p', 'min_p', 'repeat_penalty', 'seed', 'num_predict']) if (typeof given[key] === 'number') sampling[key] = given[key];
    effective.push(sampling);
    const text = route === 'generate' ? String(native.prompt ?? '') : (native.messages ?? []).map((m: any) => String(m?.content ?? '')).join(' ');
    let tokens = text.split(/\s+/).filter(Boolean);
    if (tokens.length > numCtx) tokens = [...tokens.slice(0, NUM_KEEP), ...tokens.slice(tokens.length - (numCtx - NUM_KEEP))]; // "truncating input prompt"
    seenPrompts.push(tokens.join(' '));
    const release = await slots.acquire();
    try {
      const lastMessage = route === 'generate' ? tokens.join(' ') : String(native.messages?.at(-1)?.content ?? '');
      // The model answers what it saw: a cut prompt loses its beginning.
      const seen = tokens.length < countTokens(text) ? tokens.slice(-countTokens(lastMessage)).join(' ') : lastMessage;
      let words = `echo: ${seen}`.split(/(?<=\s)/);
      let doneReason = 'stop';
      if (typeof sampling.num_predict === 'number' && sampling.num_predict >= 0 && words.length > sampling.num_predict) {
        words = words.slice(0, sampling.num_predict);
        doneReason = 'length';
      }
      const evalMs = (options.tokenMs ?? 0) * words.length;
      await delay(evalMs);
      const reply = words.join('');
      const promptEvalCount = tokens.length;
      if (route === 'openai') {
        const usage = { prompt_tokens: promptEvalCount, completion_tokens: words.length, total_tokens: promptEvalCount + words.length };
        if (req.body?.stream) {
          const chunks: unknown[] = words.map((w) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: name, choices: [{ index: 0, delta: { role: 'assistant', content: w }, finish_reason: null }] }));
          chunks.push({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: name, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: doneReason }] });
          if (req.body?.stream_options?.include_usage) chunks.push({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: name, choices: [], usage });
          return sendSse(res, chunks);
        }
        return sendJson(res, 200, { id: 'chatcmpl-1', object: 'chat.completion', created: 1_700_000_000, model: name, choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: doneReason }], usage });
      }
      const stats = {
        done: true, done_reason: doneReason, total_duration: Math.round((evalMs + 5) * 1e6), load_duration: 1_000_000,
        prompt_eval_count: promptEvalCount, prompt_eval_duration: promptEvalCount * 500_000, eval_count: words.length, eval_duration: Math.round(evalMs * 1e6),
      };
      const logprob = (w: string) => (native.logprobs ? { logprobs: w === '' ? [] : [{ token: w, logprob: -0.25, bytes: [...Buffer.from(w)] }] } : {});
      const piece = (content: string) => ({ ...(route === 'chat' ? { message: { role: 'assistant', content } } : { response: content }), ...logprob(content) });
      if (native.stream === false) {
        const all = native.logprobs ? { logprobs: words.map((w) => ({ token: w, logprob: -0.25, bytes: [...Buffer.from(w)] })) } : {};
        return sendJson(res, 200, { model: name, created_at: '2026-01-01T00:00:00Z', ...piece(reply), ...all, ...stats });
      }
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      for (const w of words) res.write(`${JSON.stringify({ model: name, created_at: '2026-01-01T00:00:00Z', ...piece(w), done: false })}\n`);
      res.end(`${JSON.stringify({ model: name, created_at: '2026-01-01T00:00:00Z', ...piece(''), ...stats })}\n`);
    } finally {
      release();
    }
  }

  return { ...server, effective, seenPrompts, slots };
}
