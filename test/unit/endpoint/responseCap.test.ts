import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelClient } from '../../../src/core/endpoint/modelClient';
import { EndpointError } from '../../../src/core/errors';

/** A server whose generation answer never ends: 64 KiB chunks for as long as the client reads. */
async function endlessServer(stream: boolean): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
      const chunk = stream ? `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x'.repeat(65_000) } }] })}\n\n` : `{"choices":[{"message":{"content":"${'x'.repeat(65_536)}`;
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
      };
      res.on('drain', pump);
      res.on('close', () => res.off('drain', pump));
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('reply size cap', function () {
  this.timeout(120_000);
  for (const stream of [false, true]) {
    it(`a ${stream ? 'streamed' : 'JSON'} reply that never ends fails its request with the reason, once, without retries`, async () => {
      const server = await endlessServer(stream);
      try {
        const client = new ModelClient({ baseUrl: server.url, model: 'm', mode: 'chat' }, { maxResponseBytes: 1024 * 1024, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 1 } });
        await assert.rejects(
          client.generate({ messages: [{ role: 'user', content: 'hi' }], sampling: { temperature: 0, max_tokens: 10 }, stream }),
          (error: unknown) => error instanceof EndpointError && /larger than the 1 MB limit/.test(error.message),
        );
        assert.equal(server.requests(), 1, 'not asked again');
      } finally {
        await server.close();
      }
    });
  }
});
