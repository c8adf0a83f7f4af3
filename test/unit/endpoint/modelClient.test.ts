import * as assert from 'node:assert/strict';
import { FixedHeaders } from '../../../src/core/endpoint/httpTransport';
import { EndpointSdk, ModelClient, type ModelClientOptions, type RetryInfo } from '../../../src/core/endpoint/modelClient';
import type { EndpointConfig, GenerationRequest } from '../../../src/core/endpoint/types';
import { CancelledError, EndpointError } from '../../../src/core/errors';
import type { FakeModelServer, ScriptedFault } from '../../support/fakeModelServer';
import { useFakeModelServers } from '../../support/useFakeModelServer';

const ask = (content: string, extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
  messages: [{ role: 'user', content }],
  sampling: { temperature: 0, max_tokens: 64 },
  ...extra,
});

// Every behaviour is checked over both transports: ours (the default) and the global fetch a caller may pass.
const transports: [string, typeof fetch | undefined][] = [
  ['node:http transport', undefined],
  ['global fetch', globalThis.fetch],
];

for (const [transportName, transport] of transports) describe(`ModelClient over ${transportName}`, () => {
  const servers = useFakeModelServers();
  let server: FakeModelServer;
  let retries: RetryInfo[];
  let sleeps: number[];

  beforeEach(async () => {
    server = await servers.start();
    retries = [];
    sleeps = [];
  });

  /** A client whose back-off waits are recorded, not slept: no test depends on wall time. */
  function client(options: Partial<ModelClientOptions> = {}, endpoint: Partial<EndpointConfig> = {}): ModelClient {
    return new ModelClient(
      { baseUrl: server.url, model: 'fake-model', mode: 'chat', ...endpoint },
      {
        retry: { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 5_000 },
        onRetry: (info) => retries.push(info),
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        random: () => 0.5,
        ...(transport ? { fetch: transport } : {}),
        ...options,
      },
    );
  }

  describe('requests and results', () => {
    it('sends a chat request with the sampling settings and top_k at the top level', async () => {
      const result = await client({ extraBody: { min_p: 0.05 } }).generate(
        ask('two words', { sampling: { temperature: 0.7, top_p: 0.9, top_k: 20, max_tokens: 64, seed: 7, stop: ['###'] } }),
      );
      assert.equal(result.text, 'echo: two words');
      assert.equal(result.finishReason, 'stop');
      assert.equal(result.truncated, false);
      assert.equal(result.attempts, 1);
      assert.equal(result.promptTokens, 2);
      assert.equal(result.completionTokens, 3);
      assert.equal(result.ttftMs, undefined);
      const [request] = server.generationRequests();
      assert.equal(request.path, '/v1/chat/completions');
      assert.deepEqual(request.body, {
        model: 'fake-model',
        temperature: 0.7,
        top_p: 0.9,
        top_k: 20,
        max_tokens: 64,
        seed: 7,
        stop: ['###'],
        min_p: 0.05,
        messages: [{ role: 'user', content: 'two words' }],
      });
    });

    it('sends a raw prompt to /v1/completions in completions mode', async () => {
      const result = await client({}, { mode: 'completions' }).generate({ prompt: 'def f():', sampling: { temperature: 0, max_tokens: 8 } });
      assert.equal(result.text, 'echo: def f():');
      assert.equal(server.generationRequests()[0].path, '/v1/completions');
      assert.equal(server.generationRequests()[0].body.prompt, 'def f():');
    });

    it('refuses chat-only items in completions mode without calling the server', async () => {
      await assert.rejects(client({}, { mode: 'completions' }).generate(ask('hi')), (error: EndpointError) => {
        assert.match(error.message, /completions mode.*only chat messages/);
        return true;
      });
      assert.equal(server.generationRequests().length, 0);
    });

    it('accepts a base URL without /v1', async () => {
      const result = await client({}, { baseUrl: server.origin }).generate(ask('x'));
      assert.equal(result.text, 'echo: x');
    });

    it('flags a reply cut at max_tokens as truncated', async () => {
      const result = await client().generate(ask('one two three four five', { sampling: { temperature: 0, max_tokens: 3 } }));
      assert.equal(result.text, 'echo: one two ');
      assert.equal(result.finishReason, 'length');
      assert.equal(result.truncated, true);
      server.setBehavior({ faults: [{ type: 'truncated', text: 'half a' }] });
      const scripted = await client().generate(ask('x'));
      assert.deepEqual([scripted.text, scripted.truncated], ['half a', true]);
    });

    it('streams chat with time to first token and usage', async () => {
      server.setBehavior({ chunkDelayMs: 5 });
      const result = await client().generate(ask('a b c', { stream: true }));
      assert.equal(result.text, 'echo: a b c');
      assert.equal(result.finishReason, 'stop');
      assert.equal(result.completionTokens, 4);
      assert.ok(result.ttftMs !== undefined && result.ttftMs > 0 && result.ttftMs <= result.latencyMs);
      const body = server.generationRequests()[0].body;
      assert.equal(body.stream, true);
      assert.deepEqual(body.stream_options, { include_usage: true });
    });

    it('streams completions and flags truncation', async () => {
      const result = await client({}, { mode: 'completions' }).generate({
        prompt: 'p q r s',
        sampling: { temperature: 0, max_tokens: 2 },
        stream: true,
      });
      assert.equal(result.text, 'echo: p ');
      assert.equal(result.truncated, true);
      assert.ok(result.ttftMs !== undefined);
    });

    it('sends the API key, never OPENAI_API_KEY or OPENAI_ADMIN_KEY from the environment', async () => {
      // The SDK reads both from the environment by default.
      const names = ['OPENAI_API_KEY', 'OPENAI_ADMIN_KEY'] as const;
      const saved = names.map((name) => process.env[name]);
      process.env.OPENAI_API_KEY = 'sk-not-for-this-server';
      process.env.OPENAI_ADMIN_KEY = 'sk-admin-not-for-this-server';
      try {
        await client().generate(ask('x'));
        const keyed = client({}, { apiKey: 'local-key' });
        // The header is built once per client (EndpointSdk): every request of it carries it.
        await keyed.generate(ask('y'));
        await keyed.generate(ask('z'));
      } finally {
        names.forEach((name, i) => {
          if (saved[i] === undefined) delete process.env[name];
          else process.env[name] = saved[i];
        });
      }
      const auth = server.generationRequests().map((r) => r.headers.authorization);
      assert.deepEqual(auth, ['Bearer no-key', 'Bearer local-key', 'Bearer local-key']);
    });

    it('sends each request its own sampling, whether the settings object is new or the same as before', async () => {
      const c = client();
      const shared = { temperature: 0, max_tokens: 64 };
      await c.generate(ask('a', { sampling: shared }));
      await c.generate(ask('b', { sampling: { temperature: 0.5, max_tokens: 32 } }));
      await c.generate(ask('c', { sampling: shared }));
      const sent = server.generationRequests().map((r) => [r.body.temperature, r.body.max_tokens]);
      assert.deepEqual(sent, [[0, 64], [0.5, 32], [0, 64]]);
    });

    it('sends every generation the URL and headers the SDK built for the first of its kind, whole or streamed', async () => {
      const c = client();
      for (const stream of [false, true]) for (const text of ['first', 'second, longer', 'third']) await c.generate(ask(text, { stream }));
      const sent = server.generationRequests();
      assert.deepEqual(sent.map((r) => r.body.messages[0].content), ['first', 'second, longer', 'third', 'first', 'second, longer', 'third']);
      // Everything but the body's length is the same within each kind.
      const head = (r: (typeof sent)[number]) => ({ path: r.path, headers: { ...r.headers, 'content-length': undefined } });
      for (const [first, ...rest] of [sent.slice(0, 3), sent.slice(3)]) for (const later of rest) assert.deepEqual(head(later), head(first));
      // Only what a server reads: none of the SDK's platform report (x-stainless-os, -arch, -runtime…), whole or streamed.
      for (const r of sent) assert.deepEqual(Object.keys(r.headers).filter((name) => name.startsWith('x-stainless')), []);
      assert.equal(sent[0].headers.authorization, 'Bearer no-key');
      // The SDK names itself after its class: ours is a subclass, and servers' logs should still say OpenAI/JS.
      for (const r of sent) assert.match(r.headers['user-agent'] as string, /^OpenAI\/JS \d+\.\d+\.\d+$/);
      for (const r of sent) assert.equal(Number(r.headers['content-length']), Buffer.byteLength(JSON.stringify(r.body)));
    });

    it('sends a body with characters beyond ASCII whole (its length is counted in bytes)', async () => {
      const text = 'café 日本語 🚀 naïve';
      const result = await client().generate(ask(text));
      assert.equal(result.text, `echo: ${text}`);
      assert.equal(server.generationRequests()[0].body.messages[0].content, text);
    });
  });

  describe('retries', () => {
    const retried: [string, ScriptedFault, RegExp][] = [
      ['503 Loading model (llama.cpp)', { type: 'loading' }, /answered 503 Loading model; retrying in 50 ms \(attempt 2 of 5\)$/],
      ['500', { type: 'serverError' }, /answered 500 Internal server error; retrying/],
      ['429', { type: 'rateLimit' }, /answered 429 Rate limit exceeded; retrying/],
      ['408', { type: 'status', status: 408, message: 'Request Timeout' }, /answered 408 Request Timeout; retrying/],
      ['a connection reset', { type: 'reset' }, /could not be reached \(.+\); retrying/],
      ['a body that is not JSON', { type: 'malformed' }, /(answered a body|sent a stream event) that is not JSON .*; retrying/],
      ['empty choices', { type: 'emptyChoices' }, /answered without choices .*; retrying/],
    ];
    for (const [name, fault, message] of retried) for (const stream of [false, true]) {
      it(`retries ${name} and then succeeds${stream ? ' (streaming)' : ''}`, async () => {
        server.setBehavior({ faults: [fault] });
        const result = await client().generate(ask('again', { stream }));
        assert.equal(result.text, 'echo: again');
        assert.equal(result.attempts, 2);
        assert.equal(server.generationRequests().length, 2);
        assert.equal(retries.length, 1);
        assert.match(retries[0].message, new RegExp(`^server ${server.url.replace(/[.]/g, '\\.')} `));
        assert.match(retries[0].message, message);
      });
    }

    it('gives up after maxRetries with a message naming the server, the status and the attempts', async () => {
      server.setBehavior({ faults: Array.from({ length: 10 }, () => ({ type: 'loading' }) as ScriptedFault) });
      const c = client({ retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 5_000 } });
      await assert.rejects(c.generate(ask('x')), (error: EndpointError) => {
        assert.ok(error instanceof EndpointError);
        assert.equal(error.message, `server ${server.url} answered 503 Loading model; gave up after 3 attempts`);
        assert.equal(error.details.status, 503);
        assert.equal(error.details.retryable, true);
        return true;
      });
      assert.equal(server.generationRequests().length, 3);
      assert.deepEqual(c.stats, { requests: 1, attempts: 3, retries: 2, failures: 1 });
    });

    it('backs off exponentially with full jitter, capped at maxDelayMs', async () => {
      server.setBehavior({ faults: Array.from({ length: 4 }, () => ({ type: 'serverError' }) as ScriptedFault) });
      await client({ retry: { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 300 }, random: () => 0.5 }).generate(ask('x'));
      // ceilings 100, 200, 400→300, 800→300; a draw of 0.5 takes half of each
      assert.deepEqual(sleeps, [50, 100, 150, 150]);
      assert.deepEqual(retries.map((r) => r.delayMs), sleeps);
    });

    it('honours Retry-After in seconds', async () => {
      server.setBehavior({ faults: [{ type: 'rateLimit', retryAfter: '2' }] });
      await client().generate(ask('x'));
      assert.deepEqual(sleeps, [2000]);
      assert.match(retries[0].message, /answered 429 Rate limit exceeded; retrying in 2\.0 s/);
    });

    it('honours Retry-After as an HTTP-date, measured against the injected clock', async () => {
      const now = Date.parse('2026-01-01T00:00:00Z');
      server.setBehavior({ faults: [{ type: 'rateLimit', retryAfter: new Date(now + 3_000).toUTCString() }] });
      await client({ now: () => now }).generate(ask('x'));
      assert.deepEqual(sleeps, [3000]);
    });

    it('caps a long Retry-After at maxDelayMs', async () => {
      server.setBehavior({ faults: [{ type: 'rateLimit', retryAfter: '3600' }] });
      await client({ retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_500 } }).generate(ask('x'));
      assert.deepEqual(sleeps, [1500]);
    });

    it('retries a garbage answer once only', async () => {
      server.setBehavior({ faults: [{ type: 'emptyChoices' }, { type: 'malformed' }, { type: 'emptyChoices' }] });
      await assert.rejects(client().generate(ask('x')), (error: EndpointError) => {
        assert.match(error.message, /^server http:\/\/127\.0\.0\.1:\d+\/v1 answered a body that is not JSON .*; gave up after 2 attempts$/);
        return true;
      });
      assert.equal(server.generationRequests().length, 2);
    });

    it('reports a stream line that is not JSON', async () => {
      server.setBehavior({ faults: [{ type: 'malformed' }, { type: 'malformed' }] });
      await assert.rejects(client().generate(ask('x', { stream: true })), /answered a body that is not JSON|not JSON/);
      assert.equal(server.generationRequests().length, 2);
    });

    it('fails at once on a 4xx that retrying cannot fix, quoting the server', async () => {
      server.setBehavior({ faults: [{ type: 'status', status: 400, body: '{"object":"error","message":"max_tokens is too large: 99999","type":"BadRequestError","code":400}' }] });
      await assert.rejects(client().generate(ask('x')), (error: EndpointError) => {
        assert.equal(error.message, `server ${server.url}/chat/completions answered 400 max_tokens is too large: 99999`);
        assert.equal(error.details.retryable, false);
        return true;
      });
      assert.equal(server.generationRequests().length, 1);
      assert.equal(retries.length, 0);
    });

    it('says what to check on 401 and 404', async () => {
      server.setBehavior({ faults: [{ type: 'status', status: 401, message: 'Invalid API Key' }, { type: 'status', status: 404, message: 'model not found' }] });
      await assert.rejects(client().generate(ask('x')), /answered 401 Invalid API Key \(check the API key\)/);
      await assert.rejects(client().generate(ask('x')), /answered 404 model not found \(check the base URL and that the server serves model "fake-model"\)/);
    });

    // Only the first attempt hangs; the retry is answered at once, but on a loaded machine an answered attempt
    // may still pass a short limit and be retried too. So: every retry is a timeout retry, the hung attempt was
    // one of them, and the answer came with the last attempt; not that exactly one retry sufficed.
    function assertRetriedOnlyForTimeouts(result: { attempts: number }, limit: string): void {
      assert.ok(result.attempts >= 2, `the hung attempt was retried (${result.attempts} attempts)`);
      assert.equal(retries.length, result.attempts - 1);
      for (const retry of retries) assert.match(retry.message, new RegExp(` sent no complete answer within ${limit} s; retrying`));
    }

    it('retries an attempt that passes requestTimeoutMs', async () => {
      server.setBehavior({ faults: [{ type: 'hang' }] });
      const result = await client({ requestTimeoutMs: 500 }).generate(ask('late'));
      assert.equal(result.text, 'echo: late');
      assertRetriedOnlyForTimeouts(result, '0\\.5');
    });

    it('retries a stream that stalls after its first chunk', async () => {
      server.setBehavior({ faults: [{ type: 'hang', partial: true }] });
      const result = await client({ requestTimeoutMs: 500 }).generate(ask('slow', { stream: true }));
      assert.equal(result.text, 'echo: slow');
      assertRetriedOnlyForTimeouts(result, '0\\.5');
    });

    it('names a dead server and the attempts it took', async () => {
      const deadUrl = server.url;
      await server.close();
      const dead = new ModelClient(
        { baseUrl: deadUrl, model: 'm', mode: 'chat' },
        { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => undefined, ...(transport ? { fetch: transport } : {}) },
      );
      await assert.rejects(dead.generate(ask('x')), (error: EndpointError) => {
        assert.equal(error.message, `server ${deadUrl} could not be reached (connection refused); gave up after 2 attempts`);
        return true;
      });
    });
  });

  describe('cancellation', () => {
    it('stops a request in flight', async () => {
      server.setBehavior({ faults: [{ type: 'hang' }] });
      const controller = new AbortController();
      const pending = client().generate(ask('x'), controller.signal);
      await until(() => server.generationRequests().length === 1);
      controller.abort();
      await assert.rejects(pending, CancelledError);
      assert.equal(retries.length, 0);
    });

    it('stops a stream that has started', async () => {
      server.setBehavior({ faults: [{ type: 'hang', partial: true }] });
      const controller = new AbortController();
      const pending = client().generate(ask('x', { stream: true }), controller.signal);
      await until(() => server.generationRequests().length === 1);
      setTimeout(() => controller.abort(), 20);
      await assert.rejects(pending, CancelledError);
    });

    it('stops a back-off wait at once', async () => {
      server.setBehavior({ faults: [{ type: 'loading' }] });
      const controller = new AbortController();
      // A real sleep of a minute: only cancellation can end this test within mocha's timeout.
      const c = client({ sleep: undefined, random: () => 1, retry: { maxRetries: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
      const pending = c.generate(ask('x'), controller.signal);
      await until(() => retries.length === 1);
      controller.abort();
      await assert.rejects(pending, CancelledError);
      assert.equal(server.generationRequests().length, 1);
    });

    it('keeps 64 requests in flight at once (the connection pool does not queue them)', async () => {
      server.setBehavior({ faults: Array.from({ length: 64 }, () => ({ type: 'hang' }) as ScriptedFault) });
      const controller = new AbortController();
      const c = client();
      const pending = Array.from({ length: 64 }, (_, i) => c.generate(ask(`q${i}`), controller.signal).catch((error) => error));
      // None of them is ever answered: only a pool with 64 open sockets lets all 64 reach the server.
      await until(() => server.generationRequests().length === 64);
      controller.abort();
      const outcomes = await Promise.all(pending);
      assert.ok(outcomes.every((error) => error instanceof CancelledError));
    });

    it('does not start when the signal is already aborted', async () => {
      await assert.rejects(client().generate(ask('x'), AbortSignal.abort()), CancelledError);
      assert.equal(server.generationRequests().length, 0);
    });
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('EndpointSdk', () => {
  /** An SDK whose requests are recorded and answered at once, with no server. */
  function recordingSdk(options: Partial<ConstructorParameters<typeof EndpointSdk>[0]> = {}) {
    const sent: { url: string; init: RequestInit }[] = [];
    const fetch = async (url: string | URL | Request, init: RequestInit = {}) => {
      sent.push({ url: String(url), init });
      const completion = { id: 'c', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] };
      return new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } });
    };
    const sdk = new EndpointSdk({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', organization: null, project: null, adminAPIKey: null, maxRetries: 0, logLevel: 'off', fetch, ...options });
    const headersOf = (i: number) => Object.fromEntries(new Headers(sent[i].init.headers).entries());
    return { sdk, sent, headersOf };
  }
  const body = (content: string) => ({ model: 'm', messages: [{ role: 'user' as const, content }] });

  it('builds the first request of a kind through the SDK and hands later ones its head, shared and unchangeable', async () => {
    const { sdk, sent, headersOf } = recordingSdk();
    await sdk.chat.completions.create(body('a'));
    await sdk.chat.completions.create(body('b'));
    await sdk.chat.completions.create(body('c'));
    assert.equal(sent[0].init.headers instanceof FixedHeaders, false);
    assert.ok(sent[1].init.headers instanceof FixedHeaders);
    assert.equal(sent[2].init.headers, sent[1].init.headers);
    assert.deepEqual(headersOf(1), headersOf(0));
    assert.deepEqual(sent.map((s) => s.url), Array(3).fill('http://127.0.0.1:9/v1/chat/completions'));
    assert.deepEqual(sent.map((s) => JSON.parse(s.init.body as string).messages[0].content), ['a', 'b', 'c']);
    assert.deepEqual(sent.map((s) => s.init.method), ['POST', 'POST', 'POST']);
    assert.throws(() => (sent[1].init.headers as Headers).set('x-mine', '1'), /FixedHeaders cannot change/);
    assert.throws(() => (sent[1].init.headers as Headers).append('x-mine', '1'), /FixedHeaders cannot change/);
    assert.throws(() => (sent[1].init.headers as Headers).delete('authorization'), /FixedHeaders cannot change/);
    assert.deepEqual(headersOf(2), headersOf(0));
  });

  it('keeps one head per path and timeout: a request of another kind is built by the SDK first', async () => {
    const { sdk, sent, headersOf } = recordingSdk();
    await sdk.chat.completions.create(body('a'), { timeout: 5_000 });
    await sdk.chat.completions.create(body('b'), { timeout: 9_000 });
    await sdk.chat.completions.create(body('c'), { timeout: 9_000 });
    assert.deepEqual(sent.map((s) => s.init.headers instanceof FixedHeaders), [false, false, true]);
    assert.deepEqual([headersOf(0)['x-stainless-timeout'], headersOf(1)['x-stainless-timeout'], headersOf(2)['x-stainless-timeout']], ['5', '9', '9']);
  });

  it('lets the SDK build any request that carries something of its own: headers, a query, fetch options', async () => {
    const { sdk, sent, headersOf } = recordingSdk();
    await sdk.chat.completions.create(body('a'));
    await sdk.chat.completions.create(body('b'), { headers: { 'X-Trace': 't1' } });
    await sdk.chat.completions.create(body('c'), { query: { debug: '1' } });
    await sdk.chat.completions.create(body('d'), { fetchOptions: { keepalive: true } });
    await sdk.chat.completions.create(body('e'));
    assert.deepEqual(sent.map((s) => s.init.headers instanceof FixedHeaders), [false, false, false, false, true]);
    assert.equal(headersOf(1)['x-trace'], 't1');
    assert.equal(headersOf(4)['x-trace'], undefined);
    assert.equal(sent[2].url, 'http://127.0.0.1:9/v1/chat/completions?debug=1');
    assert.equal(sent[4].url, 'http://127.0.0.1:9/v1/chat/completions');
    assert.equal(sent[3].init.keepalive, true);
    assert.equal(sent[4].init.keepalive, undefined);
  });

  it('never keeps a head for a client with fetch options of its own', async () => {
    const { sdk, sent } = recordingSdk({ fetchOptions: { keepalive: true } });
    for (const content of ['a', 'b']) await sdk.chat.completions.create(body(content));
    assert.deepEqual(sent.map((s) => [s.init.headers instanceof FixedHeaders, s.init.keepalive]), [[false, true], [false, true]]);
  });
});
