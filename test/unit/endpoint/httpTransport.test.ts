import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FixedHeaders, createHttpTransport } from '../../../src/core/endpoint/httpTransport';
import { ModelClient } from '../../../src/core/endpoint/modelClient';
import { useFakeModelServer } from '../../support/useFakeModelServer';

describe('httpTransport', () => {
  const fake = useFakeModelServer();
  let redirector: http.Server;
  let redirectorOrigin: string;
  const transport = createHttpTransport();

  beforeEach(async () => {
    // Sends every request on to the fake server, as a proxy that moved would.
    redirector = http.createServer((req, res) => {
      res.writeHead(req.url?.startsWith('/see-other') ? 303 : 307, { location: `${fake.server.origin}${req.url}` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirectorOrigin = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    redirector.closeAllConnections();
    await new Promise((resolve) => redirector.close(resolve));
  });
  after(() => transport.close());

  it('follows a 307 with the same method and body, without the key on another origin', async () => {
    const client = new ModelClient({ baseUrl: `${redirectorOrigin}/v1`, model: 'fake-model', mode: 'chat', apiKey: 'secret' }, { fetch: transport.fetch });
    const result = await client.generate({ messages: [{ role: 'user', content: 'moved' }], sampling: { temperature: 0, max_tokens: 8 } });
    assert.equal(result.text, 'echo: moved');
    const [request] = fake.server.generationRequests();
    assert.equal(request.method, 'POST');
    assert.equal(request.headers.authorization, undefined);
  });

  it('turns a POST into a GET on 303, as fetch does', async () => {
    const response = await transport.fetch(`${redirectorOrigin}/see-other`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 404);
    await response.text();
    assert.deepEqual(fake.server.requests.map((r) => [r.method, r.path]), [['GET', '/see-other']]);
  });

  it('reads JSON, text and streams, and reports the URL', async () => {
    const models = await transport.fetch(`${fake.server.url}/models`);
    assert.equal(models.url, `${fake.server.url}/models`);
    assert.equal(((await models.json()) as any).data[0].id, 'fake-model');
    const stream = await transport.fetch(`${fake.server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'a' }], stream: true }),
    });
    assert.ok(stream.body, 'a stream has a body to read');
    assert.match(await stream.text(), /data: \[DONE\]/);
  });

  it('rejects at once when the signal is already aborted', async () => {
    await assert.rejects(transport.fetch(`${fake.server.url}/models`, { signal: AbortSignal.abort() }), /abort/i);
    assert.equal(fake.server.requests.length, 0);
  });

  it('gives a whole answer the headers and body readers fetch has: any case, repeats joined, sorted, body read once', async () => {
    const plain = http.createServer((_req, res) => {
      res.setHeader('X-Request-Id', 'req-1');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('Retry-After', '3');
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down"}}');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
      const response = await transport.fetch(`${origin}/v1/chat/completions`, { method: 'POST', body: '{}' });
      assert.equal(response.status, 429);
      assert.equal(response.ok, false);
      assert.equal(response.url, `${origin}/v1/chat/completions`);
      assert.equal(response.headers.get('x-request-id'), 'req-1');
      assert.equal(response.headers.get('RETRY-AFTER'), '3');
      assert.equal(response.headers.get('set-cookie'), 'a=1, b=2');
      assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2']);
      assert.equal(response.headers.has('Content-Type'), true);
      assert.equal(response.headers.get('x-missing'), null);
      const names = [...response.headers.entries()].map(([name]) => name);
      assert.deepEqual(names, [...names].sort());
      assert.ok(names.includes('retry-after') && names.every((name) => name === name.toLowerCase()));
      const copy = response.clone();
      assert.deepEqual(await response.json(), { error: { message: 'slow down' } });
      // As fetch's: read once (bufferedResponse.test.ts compares every read with Node's own Response).
      assert.equal(response.bodyUsed, true);
      await assert.rejects(response.text(), TypeError);
      assert.equal(new TextDecoder().decode(await copy.arrayBuffer()), '{"error":{"message":"slow down"}}');
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('sends one FixedHeaders with bodies of different lengths, each with its own content-length', async () => {
    const shared = new FixedHeaders({ 'Content-Type': 'application/json', 'X-Probe': 'one' });
    const bodies = ['{"a":1}', '{"a":"longer, and café"}'];
    for (const body of bodies) await (await transport.fetch(`${fake.server.url}/models`, { method: 'POST', headers: shared, body })).text();
    const seen = fake.server.requests.map((r) => [r.headers['x-probe'], r.headers['content-type'], r.headers['content-length']]);
    assert.deepEqual(seen, bodies.map((b) => ['one', 'application/json', String(Buffer.byteLength(b))]));
    assert.deepEqual(shared.record, { 'content-type': 'application/json', 'x-probe': 'one' });
    assert.throws(() => shared.set('content-length', '1'), TypeError);
  });

  it('sends the headers it is given as a Headers, an object or pairs', async () => {
    for (const headers of [new Headers({ 'X-Probe': 'one' }), { 'X-Probe': 'one' }, [['X-Probe', 'one']] as [string, string][]]) {
      const response = await transport.fetch(`${fake.server.url}/models`, { headers });
      await response.text();
    }
    assert.deepEqual(fake.server.requests.map((r) => r.headers['x-probe']), ['one', 'one', 'one']);
  });
});
