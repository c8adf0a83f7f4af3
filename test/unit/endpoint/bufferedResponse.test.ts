/**
 * The stand-in Response of a whole answer (bufferedResponse.ts) against Node's own fetch Response: the same
 * bytes, the same reads in the same order, the same results or the same kind of error. Then the path on
 * which the openai SDK reads `body` of a whole answer (a streamed request answered without a stream),
 * through our transport and through fetch.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { bufferedResponse } from '../../../src/core/endpoint/bufferedResponse';
import { createHttpTransport } from '../../../src/core/endpoint/httpTransport';

type Step = (r: Response) => unknown;

/** What a step gave: its value (bytes as arrays), or the name of the error it threw or rejected with. */
async function outcome(step: Step, r: Response): Promise<unknown> {
  try {
    const value = await step(r);
    if (value instanceof ArrayBuffer) return { arrayBuffer: [...new Uint8Array(value)] };
    if (value instanceof Blob) return { blob: [...new Uint8Array(await value.arrayBuffer())], type: value.type };
    return { value };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

async function readStream(body: ReadableStream<Uint8Array> | null): Promise<number[] | null> {
  if (body === null) return null;
  const out: number[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) out.push(...chunk);
  return out;
}

const JSON_BODY = Buffer.from('\ufeff{"answer": "é 42"}');

function both(status = 200, body = JSON_BODY, contentType = 'application/json'): [Response, Response] {
  const real = new Response(status === 204 ? null : body, { status, headers: { 'content-type': contentType } });
  const ours = bufferedResponse({ status, statusText: '', headers: { 'content-type': contentType }, url: 'http://127.0.0.1/x', body });
  return [real, ours];
}

const scripts: Record<string, Step[]> = {
  'text, then every other read': [(r) => r.bodyUsed, (r) => r.text(), (r) => r.bodyUsed, (r) => r.json(), (r) => r.arrayBuffer(), (r) => r.text(), (r) => r.clone()],
  'json (byte-order mark dropped)': [(r) => r.json(), (r) => r.bodyUsed, (r) => r.blob()],
  arrayBuffer: [(r) => r.arrayBuffer(), (r) => r.arrayBuffer()],
  'blob with its type': [(r) => r.blob()],
  'clone, read both, neither sees the other': [
    async (r) => {
      const copy = r.clone();
      const mine = new Uint8Array(await copy.arrayBuffer());
      mine.fill(0);
      return [copy.bodyUsed, r.bodyUsed, await r.text()];
    },
  ],
  'body stream, then text': [(r) => r.bodyUsed, (r) => r.body !== null && r.bodyUsed, (r) => readStream(r.body), (r) => r.bodyUsed, (r) => r.text(), (r) => r.clone()],
  'body looked at, then text, then the stream': [(r) => r.body !== null, (r) => r.text(), (r) => r.bodyUsed, (r) => r.body!.getReader()],
  'body cancelled': [(r) => r.body!.cancel(), (r) => r.bodyUsed, (r) => r.json()],
};

describe('bufferedResponse: the same as a fetch Response for every read', () => {
  for (const [name, steps] of Object.entries(scripts)) {
    it(name, async () => {
      const [real, ours] = both();
      for (const [i, step] of steps.entries()) {
        assert.deepEqual(await outcome(step, ours), await outcome(step, real), `step ${i + 1} of "${name}"`);
      }
    });
  }

  it('has a null body for 204, readable as empty text', async () => {
    const [real, ours] = both(204, Buffer.alloc(0));
    for (const step of [(r: Response) => r.body, (r: Response) => r.text(), (r: Response) => r.bodyUsed, (r: Response) => r.json(), (r: Response) => r.clone().status]) {
      assert.deepEqual(await outcome(step, ours), await outcome(step, real));
    }
  });

  it('streams an empty body as no chunk', async () => {
    const [real, ours] = both(200, Buffer.alloc(0), 'text/plain');
    assert.deepEqual(await readStream(ours.body), await readStream(real.body));
    assert.equal(ours.bodyUsed, real.bodyUsed);
  });
});

describe('bufferedResponse: the openai SDK reading a whole answer to a streamed request', () => {
  let server: http.Server;
  let baseURL: string;
  const transport = createHttpTransport();

  before(async () => {
    // A server that ignores `stream: true` and answers with one JSON body.
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    transport.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const events = async (fetchImpl: typeof fetch): Promise<unknown> => {
    const sdk = new OpenAI({ baseURL, apiKey: 'none', maxRetries: 0, fetch: fetchImpl });
    try {
      const stream = await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
      const seen: unknown[] = [];
      for await (const event of stream) seen.push(event);
      return { events: seen };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it('finds the same (no) events as over fetch, instead of failing for want of a body', async () => {
    const overFetch = await events(globalThis.fetch);
    assert.deepEqual(overFetch, { events: [] });
    assert.deepEqual(await events(transport.fetch), overFetch);
  });
});
