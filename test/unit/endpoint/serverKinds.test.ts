/** What the probe and the sampling plan make of each server kind, against the simulators. */
import * as assert from 'node:assert/strict';
import { planSampling } from '../../../src/core/endpoint/samplingParams';
import { probeServer } from '../../../src/core/endpoint/serverProbe';
import { ConfigError } from '../../../src/core/errors';
import { startLmStudioSim } from '../../support/simulators/lmStudio';
import { startOllamaSim } from '../../support/simulators/ollama';
import { ModelClient } from '../../../src/core/endpoint/modelClient';
import { sendJson, startSimServer, type SimServer } from '../../support/simulators/simServer';

describe('server kinds', () => {
  let sim: SimServer | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  const lmModels = [
    { id: 'llama-3.2-1b-instruct', loadedContext: 4096, maxContext: 131072, quantization: 'Q8_0' },
    { id: 'qwen2.5-7b-instruct', loadedContext: 8192, maxContext: 32768, quantization: 'Q4_K_M' },
    { id: 'gemma-3-4b', maxContext: 32768, quantization: 'Q4_0' },
  ];

  it('LM Studio: the run\'s model is matched by id in /api/v1/models (never the first entry), with its loaded context', async () => {
    sim = await startLmStudioSim({ models: lmModels });
    const facts = await probeServer(sim.url, { model: 'qwen2.5-7b-instruct' });
    assert.equal(facts.kind, 'lmstudio');
    assert.equal(facts.contextLength, 8192);
    assert.equal(facts.trainedContextLength, 32768);
    assert.equal(facts.quantization, 'Q4_K_M');
    assert.ok('/api/v1/models' in facts.raw);
  });

  it('LM Studio without /api/v1: /api/v0/models by id; a model not loaded has no context in effect', async () => {
    sim = await startLmStudioSim({ models: lmModels, v1: false });
    const loaded = await probeServer(sim.url, { model: 'qwen2.5-7b-instruct' });
    assert.equal(loaded.contextLength, 8192);
    assert.equal(loaded.quantization, 'Q4_K_M');
    const notLoaded = await probeServer(sim.url, { model: 'gemma-3-4b' });
    assert.equal(notLoaded.contextLength, undefined);
    assert.equal(notLoaded.quantization, 'Q4_0');
    const unknown = await probeServer(sim.url, { model: 'not-there' });
    assert.equal(unknown.quantization, undefined, 'no fallback to data[0]');
  });

  it('a server is not called LM Studio without LM Studio\'s own fields', async () => {
    sim = await startSimServer((req, res) => {
      if (req.path === '/v1/models' || req.path === '/api/v0/models') return sendJson(res, 200, { object: 'list', data: [{ id: 'm', object: 'model' }] });
      sendJson(res, 404, { error: 'not found' });
    });
    const facts = await probeServer(sim.url);
    assert.equal(facts.kind, 'openai-compatible');
  });

  it('Ollama: the context in effect from /api/ps, else the num_ctx parameter, never the trained maximum', async () => {
    const loaded = await startOllamaSim({ numCtx: 8192, loaded: true, trainedContext: 32768 });
    sim = loaded;
    let facts = await probeServer(loaded.url, { model: 'qwen2.5:7b' });
    assert.deepEqual([facts.contextLength, facts.trainedContextLength, facts.parallel], [8192, 32768, 1]);
    assert.equal(facts.serverDefaults?.top_k, 40);
    await loaded.close();

    sim = await startOllamaSim({ parameterNumCtx: 16384 });
    facts = await probeServer(sim.url, { model: 'qwen2.5:7b' });
    assert.equal(facts.contextLength, 16384);
    assert.match(facts.contextSource ?? '', /num_ctx/);
    await sim.close();

    sim = await startOllamaSim({ version: '0.9.6' });
    facts = await probeServer(sim.url, { model: 'qwen2.5:7b' });
    assert.equal(facts.contextLength, 2048);
    assert.match(facts.contextSource ?? '', /^an estimate/);
  });

  it('sampling per server kind: every filter explicit and off unless set, in the server\'s own names', () => {
    const s = { temperature: 0, max_tokens: 100 };
    assert.deepEqual(planSampling('llama.cpp', s).fields, { temperature: 0, top_p: 1, top_k: 0, min_p: 0, repeat_penalty: 1, max_tokens: 100 });
    assert.deepEqual(planSampling('vllm', s).fields, { temperature: 0, top_p: 1, top_k: -1, min_p: 0, repetition_penalty: 1, max_tokens: 100 });
    assert.deepEqual(planSampling('ollama', { ...s, seed: 7 }).fields, { temperature: 0, top_p: 1, top_k: 0, min_p: 0, repeat_penalty: 1, seed: 7, num_predict: 100 });
    const lm = planSampling('lmstudio', s);
    assert.deepEqual(lm.fields, { temperature: 0, top_p: 1, top_k: 0, repeat_penalty: 1, max_tokens: 100 });
    assert.deepEqual(lm.applied.notHonoured, ['min_p']);
    const other = planSampling('openai-compatible', { ...s, top_k: 5 });
    assert.deepEqual(other.fields, { temperature: 0, top_p: 1, top_k: 5, max_tokens: 100 });
    assert.deepEqual(other.applied.notHonoured, ['min_p', 'repetition_penalty', 'top_k (sent; not known to be honoured)']);
  });

  it('refuses a parameter the server kind would ignore, with a clear message', () => {
    assert.throws(() => planSampling('lmstudio', { temperature: 0, max_tokens: 10, min_p: 0.1 }), (e: unknown) => e instanceof ConfigError && /LM Studio \/v1 does not take min_p/.test(e.message));
  });

  for (const stream of [false, true]) {
    it(`Ollama natively (${stream ? 'NDJSON stream' : 'one JSON object'}): text, finish reason, token counts, server timings and logprobs`, async () => {
      const ollama = await startOllamaSim({ tokenMs: 1 });
      sim = ollama;
      const client = new ModelClient({ baseUrl: ollama.url, model: 'qwen2.5:7b', mode: 'chat' }, { serverKind: 'ollama', contextLength: 4096 });
      const result = await client.generate({ messages: [{ role: 'user', content: 'one two three' }], sampling: { temperature: 0, max_tokens: 3 }, stream, logprobs: true });
      assert.equal(result.text, 'echo: one two ');
      assert.equal(result.finishReason, 'length');
      assert.deepEqual([result.promptTokens, result.completionTokens], [3, 3]);
      assert.deepEqual(result.serverTimings, { promptTokens: 3, promptMs: 1.5, generatedTokens: 3, generationMs: 3 });
      assert.deepEqual(result.logprobs, { tokens: ['echo: ', 'one ', 'two '], logprobs: [-0.25, -0.25, -0.25] });
      if (stream) assert.equal(typeof result.ttftMs, 'number');
      const sent = ollama.requests.find((r) => r.path === '/api/chat');
      assert.equal(sent?.body.stream, stream);
      assert.deepEqual(sent?.body.options, { temperature: 0, top_p: 1, top_k: 0, min_p: 0, repeat_penalty: 1, num_predict: 3, num_ctx: 4096 });
    });
  }
});
