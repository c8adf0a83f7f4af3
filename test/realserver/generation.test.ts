/**
 * Replies from a real llama-server as EvalBench's client reads them: streaming with time to first
 * token, token usage, finish reasons, and the raw `logprobs` that drift metrics are built on —
 * including the fact they exist for: the Q4_0 file's log-probabilities differ from the F32 file's,
 * while the same file at temperature 0 gives the same ones every time.
 */
import * as assert from 'node:assert/strict';
import { ModelClient } from '../../src/core/endpoint/modelClient';
import type { GenerationRequest } from '../../src/core/endpoint/types';
import { requireLlama, type LlamaSetup } from './support/llamaSetup';
import { startLlamaServer, stopAllLlamaServers, type LlamaServer } from './support/llamaServer';

const PROMPT = 'Write one sentence about the sea.';
const MAX_TOKENS = 8;

interface TokenLogprob {
  token: string;
  logprob: number;
  top_logprobs: { token: string; logprob: number }[];
}

async function chatWithLogprobs(server: LlamaServer, model: string): Promise<{ text: string; tokens: TokenLogprob[] }> {
  const response = await fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: PROMPT }],
      temperature: 0,
      max_tokens: MAX_TOKENS,
      logprobs: true,
      top_logprobs: 3,
    }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const body: any = await response.json();
  return { text: body.choices[0].message.content, tokens: body.choices[0].logprobs.content };
}

/** Mean |Δ logprob| of the chosen tokens over the common prefix of two greedy replies. */
function meanLogprobDifference(a: TokenLogprob[], b: TokenLogprob[]): { prefix: number; mean: number } {
  let prefix = 0;
  let sum = 0;
  while (prefix < Math.min(a.length, b.length) && a[prefix].token === b[prefix].token) {
    sum += Math.abs(a[prefix].logprob - b[prefix].logprob);
    prefix++;
  }
  // The first differing token is compared too: its chosen log-probability is what changed the path.
  if (prefix < Math.min(a.length, b.length)) return { prefix, mean: (sum + Math.abs(a[prefix].logprob - b[prefix].logprob)) / (prefix + 1) };
  return { prefix, mean: prefix === 0 ? 0 : sum / prefix };
}

describe('real llama-server: replies, streaming and logprobs', function () {
  let llama: LlamaSetup;
  let f32: LlamaServer;
  let q4: LlamaServer;
  let q8: LlamaServer;

  before(async function () {
    llama = await requireLlama(this);
    this.timeout(240_000);
    [f32, q4, q8] = await Promise.all([
      startLlamaServer({ binary: llama.server, model: llama.models.f32 }),
      startLlamaServer({ binary: llama.server, model: llama.models.q4_0 }),
      startLlamaServer({ binary: llama.server, model: llama.models.q8_0 }),
    ]);
  });
  after(stopAllLlamaServers);

  const request = (stream: boolean): GenerationRequest => ({
    messages: [{ role: 'user', content: PROMPT }],
    sampling: { temperature: 0, max_tokens: MAX_TOKENS },
    stream,
  });

  it('streams a reply with a time to first token, usage and the length finish reason', async () => {
    const client = new ModelClient({ baseUrl: f32.baseUrl, model: llama.models.f32, mode: 'chat' });
    const streamed = await client.generate(request(true));
    assert.ok(streamed.text.length > 0);
    assert.equal(streamed.finishReason, 'length');
    assert.equal(streamed.truncated, true);
    assert.equal(streamed.completionTokens, MAX_TOKENS);
    assert.ok((streamed.promptTokens ?? 0) > 5, `prompt tokens ${streamed.promptTokens}`);
    assert.equal(streamed.attempts, 1);
    assert.ok(streamed.ttftMs !== undefined && streamed.ttftMs > 0, 'time to first token recorded');
    assert.ok(streamed.ttftMs <= streamed.latencyMs, `ttft ${streamed.ttftMs} ≤ latency ${streamed.latencyMs}`);

    // The pieces of the stream (multi-byte tokens included) add up to the non-streamed reply.
    const whole = await client.generate(request(false));
    assert.equal(whole.ttftMs, undefined);
    assert.equal(whole.text, streamed.text);
    assert.equal(whole.completionTokens, MAX_TOKENS);
  });

  it('answers in completions mode too', async () => {
    const client = new ModelClient({ baseUrl: f32.baseUrl, model: llama.models.f32, mode: 'completions' });
    const reply = await client.generate({ prompt: 'The sea is', sampling: { temperature: 0, max_tokens: MAX_TOKENS }, stream: true });
    assert.ok(reply.text.length > 0);
    assert.equal(reply.finishReason, 'length');
    assert.equal(reply.completionTokens, MAX_TOKENS);
    assert.ok(reply.ttftMs !== undefined);
  });

  it('returns logprobs: the greedy token is the top one, and alternatives are ranked', async () => {
    const { text, tokens } = await chatWithLogprobs(f32, llama.models.f32);
    assert.equal(tokens.length, MAX_TOKENS);
    assert.equal(tokens.map((t) => t.token).join(''), text);
    for (const t of tokens) {
      assert.ok(t.logprob <= 0 && Number.isFinite(t.logprob), `logprob ${t.logprob}`);
      assert.equal(t.top_logprobs.length, 3);
      assert.equal(t.top_logprobs[0].token, t.token, 'temperature 0 picks the most likely token');
      assert.ok(t.top_logprobs[0].logprob >= t.top_logprobs[1].logprob && t.top_logprobs[1].logprob >= t.top_logprobs[2].logprob);
    }
  });

  it('gives the same logprobs for the same file, different ones for the quantized files, Q4_0 further than Q8_0', async () => {
    const first = await chatWithLogprobs(f32, llama.models.f32);
    const again = await chatWithLogprobs(f32, llama.models.f32);
    assert.equal(again.text, first.text);
    assert.deepEqual(again.tokens.map((t) => t.logprob), first.tokens.map((t) => t.logprob));

    const fromQ4 = await chatWithLogprobs(q4, llama.models.q4_0);
    const fromQ8 = await chatWithLogprobs(q8, llama.models.q8_0);
    const driftQ4 = meanLogprobDifference(first.tokens, fromQ4.tokens);
    const driftQ8 = meanLogprobDifference(first.tokens, fromQ8.tokens);
    assert.ok(driftQ4.mean > 0, `Q4_0 drift ${JSON.stringify(driftQ4)}`);
    assert.ok(driftQ8.mean < driftQ4.mean, `Q8_0 ${JSON.stringify(driftQ8)} vs Q4_0 ${JSON.stringify(driftQ4)}`);
  });
});
