import * as assert from 'node:assert/strict';
import { ContextOverflowError, parseContextOverflow, ollamaTruncation } from '../../../src/core/endpoint/contextOverflow';
import { ModelClient } from '../../../src/core/endpoint/modelClient';
import { startLlamaCppSim } from '../../support/simulators/llamaCpp';
import type { SimServer } from '../../support/simulators/simServer';
import { startVllmSim } from '../../support/simulators/vllm';

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
const noWait = { sleep: async () => {} };

describe('context overflow', () => {
  let sim: SimServer | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("llama.cpp's exceed_context_size_error fails the item at once as context overflow, with its token counts", async () => {
    const llama = await startLlamaCppSim({ nCtx: 64, models: ['m'] });
    sim = llama;
    const client = new ModelClient({ baseUrl: llama.url, model: 'm', mode: 'chat' }, noWait);
    await assert.rejects(
      client.generate({ messages: [{ role: 'user', content: words(100) }], sampling: { temperature: 0, max_tokens: 16 } }),
      (error: unknown) =>
        error instanceof ContextOverflowError &&
        error.overflow.promptTokens === 100 && error.overflow.contextLength === 64 &&
        /^context overflow: the prompt is 100 tokens, the context 64/.test(error.message),
    );
    assert.equal(llama.requests.filter((r) => r.method === 'POST').length, 1, 'not retried');
  });

  it('vLLM: a max_tokens that does not fit beside the prompt is lowered to what fits, asked once more, and said on the reply', async () => {
    const vllm = await startVllmSim({ maxModelLen: 128 });
    sim = vllm;
    const client = new ModelClient({ baseUrl: vllm.url, model: 'Qwen/Qwen2.5-7B-Instruct', mode: 'chat' }, noWait);
    const result = await client.generate({ messages: [{ role: 'user', content: words(100) }], sampling: { temperature: 0, max_tokens: 64 } });
    assert.equal(result.attempts, 2);
    assert.deepEqual(result.notes, ['max_tokens lowered from 64 to 28 to fit the context of 128 tokens (the prompt is 100); asked again once']);
    const posts = vllm.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(posts.map((r) => r.body.max_tokens), [64, 28]);
    assert.equal(result.finishReason, 'length');
  });

  for (const flatErrors of [false, true]) {
    it(`vLLM: a prompt longer than max_model_len is context overflow, not retried (${flatErrors ? 'older flat' : 'nested'} error body)`, async () => {
      const vllm = await startVllmSim({ maxModelLen: 50, flatErrors });
      sim = vllm;
      const client = new ModelClient({ baseUrl: vllm.url, model: 'Qwen/Qwen2.5-7B-Instruct', mode: 'chat' }, noWait);
      await assert.rejects(
        client.generate({ messages: [{ role: 'user', content: words(80) }], sampling: { temperature: 0, max_tokens: 8 } }),
        (error: unknown) => error instanceof ContextOverflowError && error.overflow.promptTokens === 80 && error.overflow.contextLength === 50,
      );
      assert.equal(vllm.requests.filter((r) => r.method === 'POST').length, 1);
    });
  }

  it("reads vLLM's older wording and a generic context-length 400; leaves other 400s alone", () => {
    assert.deepEqual(
      parseContextOverflow(400, '', "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (3000 in the messages, 2000 in the completion). Please reduce the length of the messages or completion."),
      { contextLength: 4096, promptTokens: 3000, maxTokens: 2000, message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (3000 in the messages, 2000 in the completion). Please reduce the length of the messages or completion." },
    );
    assert.ok(parseContextOverflow(400, '', 'The number of tokens to keep from the initial prompt is greater than the context length'));
    assert.equal(parseContextOverflow(400, '', "model 'x' not found"), undefined);
    assert.equal(parseContextOverflow(500, '', 'context length exceeded'), undefined);
  });

  it('Ollama truncation: prompt tokens at or within a few tokens of num_ctx', () => {
    assert.equal(ollamaTruncation(2000, 2048), undefined);
    assert.ok(ollamaTruncation(2048, 2048));
    assert.ok(ollamaTruncation(2045, 2048));
    assert.equal(ollamaTruncation(undefined, 2048), undefined);
  });
});
