import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelClient } from '../../../src/core/endpoint/modelClient';
import type { PromptMode } from '../../../src/core/endpoint/types';

/**
 * A server answering in the three shapes servers use for chosen-token logprobs: chat JSON (`content[]`), legacy
 * completions (`tokens[]` + `token_logprobs[]`) and chat SSE (a `content[]` per chunk). It records request bodies.
 */
async function startLogprobServer() {
  const bodies: any[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      bodies.push(body);
      const withLogprobs = Boolean(body.logprobs);
      if (req.url === '/v1/completions') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({
          choices: [{ text: 'ab', finish_reason: 'stop', ...(withLogprobs ? { logprobs: { tokens: ['a', 'b'], token_logprobs: [-0.5, -1.25] } } : {}) }],
        }));
      } else if (body.stream) {
        res.setHeader('content-type', 'text/event-stream');
        const chunk = (token: string, logprob: number, finish?: string) => ({
          choices: [{ delta: { content: token }, finish_reason: finish ?? null, ...(withLogprobs ? { logprobs: { content: [{ token, logprob, top_logprobs: [] }] } } : {}) }],
        });
        res.write(`data: ${JSON.stringify(chunk('x', -0.1))}\n\n`);
        res.write(`data: ${JSON.stringify(chunk('y', -0.2, 'stop'))}\n\n`);
        res.end('data: [DONE]\n\n');
      } else {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({
          choices: [{
            message: { role: 'assistant', content: 'xy' },
            finish_reason: 'stop',
            ...(withLogprobs ? { logprobs: { content: [{ token: 'x', logprob: -0.1, bytes: [120], top_logprobs: [] }, { token: 'y', logprob: -0.2, bytes: [121], top_logprobs: [] }] } } : {}),
          }],
        }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('ModelClient logprobs', () => {
  let server: Awaited<ReturnType<typeof startLogprobServer>>;
  beforeEach(async () => {
    server = await startLogprobServer();
  });
  afterEach(() => server.close());

  const client = (mode: PromptMode) => new ModelClient({ baseUrl: server.url, model: 'm', mode }, { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
  const request = { prompt: 'hi', sampling: { temperature: 0, max_tokens: 8 } };

  it('does not ask for logprobs unless told, and then returns none', async () => {
    const result = await client('chat').generate(request);
    assert.equal(server.bodies[0].logprobs, undefined);
    assert.equal(result.logprobs, undefined);
  });

  it('asks chat servers with logprobs: true and keeps each chosen token with its logprob', async () => {
    const result = await client('chat').generate({ ...request, logprobs: true });
    assert.equal(server.bodies[0].logprobs, true);
    assert.deepEqual(result.logprobs, { tokens: ['x', 'y'], logprobs: [-0.1, -0.2] });
  });

  it('asks legacy completions with logprobs: 1 and reads the parallel token arrays', async () => {
    const result = await client('completions').generate({ ...request, logprobs: true });
    assert.equal(server.bodies[0].logprobs, 1);
    assert.deepEqual(result.logprobs, { tokens: ['a', 'b'], logprobs: [-0.5, -1.25] });
  });

  it('gathers logprobs across the chunks of a stream', async () => {
    const result = await client('chat').generate({ ...request, logprobs: true, stream: true });
    assert.equal(result.text, 'xy');
    assert.deepEqual(result.logprobs, { tokens: ['x', 'y'], logprobs: [-0.1, -0.2] });
  });
});
