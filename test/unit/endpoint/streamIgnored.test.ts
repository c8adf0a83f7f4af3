/**
 * `--stream` against a server that ignores `stream: true` and answers with one whole JSON completion (a
 * proxy, a server without streaming): the reply is the reply. It used to fail every item as "answered without
 * choices (the stream carried none)", though the body held the choice. A body that is no completion still fails
 * as a garbage answer, naming what came.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelClient } from '../../../src/core/endpoint/modelClient';
import { EndpointError } from '../../../src/core/errors';

const transports: [string, typeof fetch | undefined][] = [
  ['node:http transport', undefined],
  ['global fetch', globalThis.fetch],
];

for (const [transportName, transport] of transports) describe(`ModelClient --stream, server answers whole (${transportName})`, () => {
  let server: http.Server;
  let baseUrl: string;
  let answer: { type: string; body: string };

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': answer.type });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (mode: 'chat' | 'completions') =>
    new ModelClient({ baseUrl, model: 'm', mode }, { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 }, ...(transport ? { fetch: transport } : {}) });

  it('reads a whole chat completion as the reply, with its usage', async () => {
    answer = {
      type: 'application/json',
      body: JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hello there' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2 } }),
    };
    const result = await client('chat').generate({ messages: [{ role: 'user', content: 'hi' }], sampling: { temperature: 0, max_tokens: 8 }, stream: true });
    assert.equal(result.text, 'hello there');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.completionTokens, 2);
  });

  it('reads a whole legacy completion as the reply', async () => {
    answer = { type: 'application/json; charset=utf-8', body: JSON.stringify({ id: 'x', object: 'text_completion', choices: [{ index: 0, text: ' 42', finish_reason: 'length' }] }) };
    const result = await client('completions').generate({ prompt: 'x', sampling: { temperature: 0, max_tokens: 8 }, stream: true });
    assert.equal(result.text, ' 42');
    assert.equal(result.truncated, true);
  });

  it('fails a body that is no completion as a garbage answer that shows the body', async () => {
    answer = { type: 'text/html', body: '<html>proxy error</html>' };
    await assert.rejects(
      client('chat').generate({ messages: [{ role: 'user', content: 'hi' }], sampling: { temperature: 0, max_tokens: 8 }, stream: true }),
      (error: EndpointError) => /answered without choices \(body: <html>proxy error<\/html>\)/.test(error.message),
    );
  });
});
