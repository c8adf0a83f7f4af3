#!/usr/bin/env node
/**
 * A stand-in for llama.cpp's `llama-server`, for tests of managed servers: a real executable (plain Node,
 * no build step) that takes llama-server's flags and behaves like it on the routes EvalBench uses.
 *
 *   fake-llama-server.js -m MODEL.gguf --host 127.0.0.1 --port 8080 [--parallel N] [--ctx-size N] [--alias NAME]
 *
 * - exits 1 with llama.cpp's message when -m is missing or the file cannot be opened;
 * - answers 503 {"error":{"code":503,"message":"Loading model","type":"unavailable_error"}} on every route for
 *   FAKE_LLAMA_LOADING_MS (default 300), as current llama-server builds do while they load, and (unless it is 0)
 *   to the first request in any case: a client that is slow to ask on a loaded machine still sees the loading;
 * - then serves /health, /props (total_slots = --parallel), /v1/models (id = --alias, else the -m path),
 *   POST /v1/chat/completions and /v1/completions (JSON or SSE, with chosen-token logprobs when asked);
 * - exits 0 on SIGTERM and SIGINT, unless FAKE_LLAMA_IGNORE_SIGTERM=1 (then only SIGKILL stops it);
 * - with FAKE_LLAMA_PID_DIR set, writes <pid>.json there ({pid, port, model}) once listening, and leaves it,
 *   so tests can list every server that started and check none survives.
 *
 * Replies are deterministic: the last user message (or prompt) itself, so a custom benchmark's exact scorer
 * passes. A model file whose name contains "Q4" (a "quantized" model) changes its reply on some prompts (a hash
 * of the prompt decides) and its logprobs a little, so drift between two files is real and predictable.
 * FAKE_LLAMA_REPLY_DELAY_MS delays every generation. FAKE_LLAMA_HANG_AFTER=N answers the first N generation
 * requests and never answers a later one: a test that kills or signals EvalBench mid-run then lands mid-run
 * whatever the machine's load, instead of racing the run's end.
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const crypto = require('node:crypto');

function parseFlags(argv) {
  const flags = { host: '127.0.0.1', port: 8080, parallel: 1, ctxSize: 4096 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    if (arg === '-m' || arg === '--model') flags.model = next();
    else if (arg === '--host') flags.host = next();
    else if (arg === '--port') flags.port = Number(next());
    else if (arg === '-np' || arg === '--parallel') flags.parallel = Number(next());
    else if (arg === '-c' || arg === '--ctx-size') flags.ctxSize = Number(next());
    else if (arg === '-a' || arg === '--alias') flags.alias = next();
  }
  return flags;
}

const flags = parseFlags(process.argv.slice(2));
const log = (line) => process.stderr.write(`${line}\n`);

if (!flags.model) {
  log('error: --model is required (fake llama-server)');
  process.exit(1);
}
try {
  fs.accessSync(flags.model, fs.constants.R_OK);
} catch {
  log(`llama_model_load: error loading model: failed to open ${flags.model}: No such file or directory`);
  log('main: exiting due to model loading error');
  process.exit(1);
}

const loadingMs = Number(process.env.FAKE_LLAMA_LOADING_MS ?? 300);
const replyDelayMs = Number(process.env.FAKE_LLAMA_REPLY_DELAY_MS ?? 0);
const hangAfter = process.env.FAKE_LLAMA_HANG_AFTER === undefined ? Infinity : Number(process.env.FAKE_LLAMA_HANG_AFTER);
// Prompts ending with this text are refused (400, not retried): their samples end as request failures.
const refusedSuffix = process.env.FAKE_LLAMA_REFUSE_SUFFIX;
let generations = 0;
const modelId = flags.alias ?? flags.model;
const quantized = /Q4/i.test(path.basename(flags.model));
const startedAt = Date.now();
let sawLoading = false;
const loading = () => loadingMs > 0 && (!sawLoading || Date.now() - startedAt < loadingMs);

log(`build: 0 (fake) with node ${process.version}`);
log(`main: loading model ${flags.model}`);

function hash(text) {
  return crypto.createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** The reply and its tokens (words, with their leading space) and logprobs. */
function answer(prompt, maxTokens) {
  let text = prompt;
  // The "quantized" model answers differently on about one prompt in three: the end of the reply changes.
  if (quantized && hash(`drift:${prompt}`) % 3 === 0) text = `${prompt} (roughly)`;
  const words = text.match(/\s*\S+/g) ?? [text];
  const tokens = words.slice(0, Math.max(1, maxTokens ?? words.length));
  const logprobs = tokens.map((token, i) => {
    const base = -((hash(`${token}:${i}`) % 1000) / 2000);
    return quantized ? base - 0.01 * ((hash(`q:${token}:${i}`) % 5) + 1) : base;
  });
  const finishReason = tokens.length < words.length ? 'length' : 'stop';
  return { text: tokens.join(''), tokens, logprobs, finishReason };
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    if (loading()) {
      sawLoading = true;
      send(res, 503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } });
      return;
    }
    if (url.pathname === '/v1/models' || url.pathname === '/models') {
      send(res, 200, { object: 'list', data: [{ id: modelId, object: 'model', owned_by: 'llamacpp', meta: { n_ctx_train: flags.ctxSize } }] });
      return;
    }
    if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
    if (url.pathname === '/props') {
      return send(res, 200, {
        total_slots: flags.parallel,
        model_path: flags.model,
        default_generation_settings: { n_ctx: flags.ctxSize },
        build_info: 'b0-fake',
      });
    }
    const chat = url.pathname === '/v1/chat/completions' || url.pathname === '/chat/completions';
    const completion = url.pathname === '/v1/completions' || url.pathname === '/completions';
    if (req.method !== 'POST' || (!chat && !completion)) return send(res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, { error: { code: 400, message: 'invalid JSON', type: 'invalid_request_error' } });
    }
    // Past the budget the request stays open, unanswered, until the client gives up or the server is stopped.
    if (++generations > hangAfter) return;
    const prompt = chat ? String(body.messages?.at(-1)?.content ?? '') : String(body.prompt ?? '');
    if (refusedSuffix && prompt.endsWith(refusedSuffix)) return send(res, 400, { error: { code: 400, message: 'refused by this test server', type: 'invalid_request_error' } });
    setTimeout(() => reply(res, body, chat), replyDelayMs);
  });
});

function reply(res, body, chat) {
  const prompt = chat ? String(body.messages?.at(-1)?.content ?? '') : String(body.prompt ?? '');
  const { text, tokens, logprobs, finishReason } = answer(prompt, body.max_tokens);
  const wantLogprobs = Boolean(body.logprobs);
  const content = tokens.map((token, i) => ({ token, logprob: logprobs[i], bytes: [...Buffer.from(token)], top_logprobs: [] }));
  const usage = { prompt_tokens: prompt.split(/\s+/).length, completion_tokens: tokens.length, total_tokens: prompt.split(/\s+/).length + tokens.length };
  if (body.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    tokens.forEach((token, i) => {
      const last = i === tokens.length - 1;
      const choice = chat
        ? { index: 0, delta: { content: token }, finish_reason: last ? finishReason : null }
        : { index: 0, text: token, finish_reason: last ? finishReason : null };
      if (wantLogprobs) choice.logprobs = { content: [content[i]] };
      res.write(`data: ${JSON.stringify({ object: chat ? 'chat.completion.chunk' : 'text_completion', model: modelId, choices: [choice] })}\n\n`);
    });
    if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
    return;
  }
  const choice = chat
    ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }
    : { index: 0, text, finish_reason: finishReason };
  if (wantLogprobs) choice.logprobs = { content };
  send(res, 200, { object: chat ? 'chat.completion' : 'text_completion', model: modelId, choices: [choice], usage });
}

server.listen(flags.port, flags.host, () => {
  log(`main: server is listening on http://${flags.host}:${flags.port} - starting the main loop`);
  if (process.env.FAKE_LLAMA_PID_DIR) {
    fs.writeFileSync(path.join(process.env.FAKE_LLAMA_PID_DIR, `${process.pid}.json`), JSON.stringify({ pid: process.pid, port: flags.port, model: flags.model }));
  }
  setTimeout(() => log('srv  load_model: model loaded; all slots are idle'), loadingMs).unref();
});
server.on('error', (error) => {
  log(`main: couldn't bind HTTP server socket, hostname: ${flags.host}, port: ${flags.port}: ${error.message}`);
  process.exit(1);
});

function shutdown(signal) {
  if (process.env.FAKE_LLAMA_IGNORE_SIGTERM === '1' && signal === 'SIGTERM') {
    log('received SIGTERM; ignoring it (FAKE_LLAMA_IGNORE_SIGTERM)');
    return;
  }
  log(`srv    operator(): received ${signal}, shutting down`);
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
