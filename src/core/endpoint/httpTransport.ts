/**
 * A `fetch` for the openai SDK over node:http(s) with our own keep-alive agents. Node's global
 * fetch (undici) costs several hundred µs of CPU per request more than node:http on a loaded
 * machine (bench/harness.mjs measures both); at thousands of requests per second, that matters.
 * Only what the SDK uses is supported: method, headers, a string/bytes body, signal, redirects.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable, Transform } from 'node:stream';
import { bufferedResponse } from './bufferedResponse';

export interface HttpTransportOptions {
  /** Sockets per origin; enough that a run's concurrency never queues behind the pool. */
  maxSockets?: number;
  /** Largest answer body accepted (bytes, default 16 MiB); a bigger one fails its request. */
  maxResponseBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** An answer body over the cap: a server streaming without end must not take the process's memory. */
export class ResponseTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`sent a reply larger than the ${formatBytes(limitBytes)} limit (raise evalbench.maxResponseMB or --max-response-mb if it is expected)`);
    this.name = 'ResponseTooLarge';
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}

const MAX_REDIRECTS = 5;

export function createHttpTransport(options: HttpTransportOptions = {}): { fetch: typeof fetch; close(): void } {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256, maxFreeSockets: options.maxSockets ?? 256, scheduling: 'lifo' as const };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  /** One exchange; a 3xx with a Location comes back as { redirect } with its body drained. */
  const send = (url: URL, method: string, headers: Record<string, string>, body: Body | undefined, signal: AbortSignal | undefined) =>
    new Promise<{ response: Response } | { redirect: URL; status: number }>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const secure = url.protocol === 'https:';
      const request = (secure ? https : http).request(url, { method, headers, agent: secure ? agents.https : agents.http }, (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location) {
          response.resume();
          resolve({ redirect: new URL(location, url), status });
          return;
        }
        // SSE (OpenAI streams) and NDJSON (Ollama's native streams) are read as they arrive: time to first token needs it.
        if (/event-stream|x-ndjson/.test(response.headers['content-type'] ?? '')) {
          const init = { status, statusText: response.statusMessage ?? '', headers: fetchHeaders(response.headers) };
          // Abort after the headers must still end the stream the SDK is reading.
          signal?.addEventListener('abort', () => response.destroy(abortError(signal)), { once: true });
          let streamed = 0;
          const capped = new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              streamed += chunk.length;
              if (streamed > maxBytes) {
                response.destroy();
                callback(new ResponseTooLarge(maxBytes));
              } else callback(null, chunk);
            },
          });
          response.on('error', (error) => capped.destroy(error));
          resolve({ response: withUrl(new Response(Readable.toWeb(response.pipe(capped)) as ReadableStream, init), url) });
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        const declared = Number(response.headers['content-length']);
        if (declared > maxBytes) {
          response.destroy();
          reject(new ResponseTooLarge(maxBytes));
          return;
        }
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxBytes) {
            chunks.length = 0;
            response.destroy();
            reject(new ResponseTooLarge(maxBytes));
          } else chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ response: bufferedResponse({ status, statusText: response.statusMessage ?? '', headers: response.headers, url: url.href, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }) }),
        );
        response.on('error', (error) => reject(signal?.aborted ? abortError(signal) : error));
      });
      const onAbort = () => request.destroy(abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      // Aborted, it rejects with the abort's reason as fetch does (the SDK tells its own timeout by that), else as fetch's network errors.
      request.on('error', (error) => reject(signal?.aborted ? abortError(signal) : new TypeError('fetch failed', { cause: error })));
      request.on('close', () => signal?.removeEventListener('abort', onAbort));
      request.end(body);
    });

  const transport = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = typeof input === 'string' ? parseUrl(input) : new URL(input instanceof URL ? input : input.url);
    let method = (init.method ?? 'GET').toUpperCase();
    const headers = requestHeaders(init.headers);
    let body = encodeBody(init.body);
    if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    const signal = init.signal ?? undefined;
    // Followed as fetch does (a proxy in front of a server may redirect http to https).
    for (let redirects = 0; ; redirects++) {
      const answer = await send(url, method, headers, body, signal);
      if ('response' in answer) return answer.response;
      if (redirects >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error(`more than ${MAX_REDIRECTS} redirects from ${url.href}`) });
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-length'];
        delete headers['content-type'];
      }
      if (answer.redirect.origin !== url.origin) delete headers.authorization; // never hand the key to another host
      url = answer.redirect;
    }
  };

  return {
    fetch: transport as typeof fetch,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/**
 * A string body stays a string: node:http then sends the head and the body in one write (a Buffer body
 * goes out as a second piece of a writev), which is most of a small request's CPU on loopback.
 */
type Body = string | Buffer;

/**
 * The SDK asks for the same few URLs over and over: each is parsed once. The URLs handed out are never
 * changed (a redirect makes a new one). Bounded: a caller making ever-new URLs only refills it.
 */
const parsedUrls = new Map<string, URL>();
const MAX_PARSED_URLS = 64;

function parseUrl(href: string): URL {
  let url = parsedUrls.get(href);
  if (!url) {
    if (parsedUrls.size >= MAX_PARSED_URLS) parsedUrls.clear();
    url = new URL(href);
    parsedUrls.set(href, url);
  }
  return url;
}

function encodeBody(body: RequestInit['body']): Body | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('httpTransport sends only string or byte bodies');
}

/**
 * Request headers that never change, for requests that all carry the same ones (ModelClient's generations):
 * one instance is handed to every such request and the form node:http takes is made once. Changing them
 * throws, so code that would write a per-request header into a shared instance fails loudly instead.
 */
export class FixedHeaders extends Headers {
  /** Lowercase names, as node:http takes them. */
  readonly record: Readonly<Record<string, string>>;

  constructor(init: ConstructorParameters<typeof Headers>[0]) {
    super(init);
    const record: Record<string, string> = {};
    this.forEach((value, name) => {
      record[name] = value;
    });
    this.record = Object.freeze(record);
  }

  // Fields, not methods: Node's typings declare Headers' methods as properties.
  override set = refuseChange;
  override append = refuseChange;
  override delete = refuseChange;
}

function refuseChange(..._change: unknown[]): never {
  throw new TypeError('FixedHeaders cannot change: they are shared by many requests');
}

/** Request headers as node:http takes them, lowercase, in an object of the transport's own (it adds content-length). */
function requestHeaders(init: RequestInit['headers']): Record<string, string> {
  if (init instanceof FixedHeaders) return { ...init.record };
  const headers: Record<string, string> = {};
  const source = init instanceof Headers ? init : new Headers(init);
  source.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

/** A streamed answer's headers, for the real Response it gets. */
function fetchHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else headers.set(name, value);
  }
  return headers;
}

/** Response.url is read-only and empty for constructed responses; the SDK only logs it. */
function withUrl(response: Response, url: URL): Response {
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}
