import * as assert from 'node:assert/strict';
import { defaultReply, type FakeModelServer } from '../../support/fakeModelServer';
import { useFakeModelServers } from '../../support/useFakeModelServer';

/** The fake server is shared by every area's tests: its documented behaviour is checked here, over plain fetch. */
describe('fakeModelServer', () => {
  const servers = useFakeModelServers();
  let server: FakeModelServer;

  const post = (path: string, body: unknown) =>
    fetch(`${server.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers chat and completions deterministically, and logs the requests', async () => {
    server = await servers.start();
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const chat = (await (await post('/v1/chat/completions', { model: 'fake-model', messages: [{ role: 'user', content: 'hi there' }] })).json()) as any;
    assert.equal(chat.choices[0].message.content, 'echo: hi there');
    assert.deepEqual(chat.usage, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
    const text = (await (await post('/v1/completions', { model: 'fake-model', prompt: 'abc' })).json()) as any;
    assert.equal(text.choices[0].text, 'echo: abc');
    const models = (await (await fetch(`${server.url}/models`)).json()) as any;
    assert.deepEqual(models.data.map((m: any) => m.id), ['fake-model']);
    assert.deepEqual(server.requests.map((r) => r.path), ['/v1/chat/completions', '/v1/completions', '/v1/models']);
    assert.equal(server.generationRequests().length, 2);
  });

  it('serves queued faults in order, then replies again', async () => {
    server = await servers.start({ faults: [{ type: 'loading' }, { type: 'rateLimit', retryAfter: '3' }] });
    const first = await post('/v1/chat/completions', { messages: [] });
    assert.equal(first.status, 503);
    assert.deepEqual((await first.json()) as any, { error: { message: 'Loading model', type: 'unavailable_error', code: 503 } });
    const second = await post('/v1/chat/completions', { messages: [] });
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), '3');
    await second.text();
    assert.equal((await post('/v1/chat/completions', { messages: [] })).status, 200);
    assert.deepEqual(server.generationRequests().map((r) => r.fault), ['loading', 'rateLimit', undefined]);
  });

  it('uses the reply function, which may return a fault', async () => {
    server = await servers.start({ reply: (r) => (r.body.prompt === 'fail' ? { type: 'serverError' } : defaultReply(r).toUpperCase()) });
    assert.equal(((await (await post('/v1/completions', { prompt: 'ok' })).json()) as any).choices[0].text, 'ECHO: OK');
    assert.equal((await post('/v1/completions', { prompt: 'fail' })).status, 500);
  });

  it('streams SSE chunks, with a usage chunk when asked', async () => {
    server = await servers.start();
    const response = await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'a b' }], stream: true, stream_options: { include_usage: true } });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const events = (await response.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    assert.equal(events.pop(), '[DONE]');
    const chunks = events.map((e) => JSON.parse(e));
    assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'echo: a b');
    assert.equal(chunks[chunks.length - 2].choices[0].finish_reason, 'stop');
    assert.deepEqual(chunks[chunks.length - 1].usage, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
  });

  it('close() ends hanging requests', async () => {
    server = await servers.start({ faults: [{ type: 'hang' }] });
    const pending = post('/v1/chat/completions', { messages: [] }).then(
      () => 'answered',
      () => 'closed',
    );
    while (server.generationRequests().length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    await server.close();
    assert.equal(await pending, 'closed');
  });

  it('serves the introspection routes of the kind it imitates only', async () => {
    server = await servers.start({ kind: 'ollama' });
    assert.equal(((await (await fetch(`${server.origin}/api/version`)).json()) as any).version, '0.6.8');
    assert.equal(((await (await fetch(`${server.origin}/api/tags`)).json()) as any).models[0].details.quantization_level, 'Q4_K_M');
    assert.equal((await fetch(`${server.origin}/props`)).status, 404);
    assert.equal((await post('/api/show', { model: 'nope' })).status, 404);
  });
});
