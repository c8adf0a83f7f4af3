/**
 * A whole answer already in memory, shaped as the fetch `Response` its readers use (the openai SDK,
 * ModelClient, the probes): status, ok, url, headers, text(), json(), arrayBuffer(). Building a real
 * `Response` and its `Headers` (web IDL checks on every name and value) cost more CPU per request than
 * the rest of our request path; reading the body through a web ReadableStream, more again. Streamed
 * answers (SSE, NDJSON) keep a real Response: they need its body stream.
 */
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The answer's headers, read-only, straight from node's parsed ones (names already lowercase), with the
 * reading half of the fetch `Headers` API: get, has, entries/keys/values, forEach, iteration, getSetCookie.
 */
export class AnswerHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    // fetch joins repeated headers with ", " (set-cookie too, when read through get).
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    const value = this.raw['set-cookie'];
    return value === undefined ? [] : Array.isArray(value) ? [...value] : [value];
  }

  /** In name order, as fetch's Headers iterate. */
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw).sort()) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, name: string, parent: AnswerHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

export interface BufferedAnswer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  url: string;
  body: Buffer;
}

/**
 * `answer` as a Response. Its body may be read more than once (fetch's may not; nothing here relies on either).
 * The readers are methods of one class, not closures made per answer: one object per answer, not four.
 */
export function bufferedResponse(answer: BufferedAnswer): Response {
  return new BufferedResponse(answer) as unknown as Response;
}

class BufferedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  readonly url: string;
  readonly headers: AnswerHeaders;
  // The whole body is already here: readers call text() or json(), never the stream.
  readonly body = null;
  readonly bodyUsed = false;
  private readonly bytes: Buffer;

  constructor(answer: BufferedAnswer) {
    this.status = answer.status;
    this.statusText = answer.statusText;
    this.ok = answer.status >= 200 && answer.status < 300;
    this.url = answer.url;
    this.headers = new AnswerHeaders(answer.headers);
    this.bytes = answer.body;
  }

  async text(): Promise<string> {
    return this.bytes.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.bytes.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const { bytes } = this;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
}
