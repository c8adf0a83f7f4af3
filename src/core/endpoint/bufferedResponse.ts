/**
 * A whole answer already in memory, shaped as the fetch `Response` its readers use (the openai SDK,
 * ModelClient, the probes). Building a real `Response` and its `Headers` (web IDL checks on every name and
 * value) cost more CPU per request than the rest of our request path; reading the body through a web
 * ReadableStream, more again. Streamed answers (SSE, NDJSON) keep a real Response. One object per answer:
 * the readers are methods of a class, not closures made per answer, and the stream is made only if asked for.
 *
 * The body behaves as fetch's (Node 20): text(), json(), arrayBuffer(), blob() read it once (then
 * `bodyUsed`, and a second read rejects with TypeError); `body` is a ReadableStream of the bytes (null for a
 * null-body status such as 204), made only when asked for; `clone()` gives an independent copy and throws
 * once the body was read. The SDK (openai 6.x) reads `body` of a whole answer when a streamed request is
 * answered without a stream (its SSE reader then finds no event, as over fetch) and, on retry paths we turn
 * off, cancels it; text() and json() on every other path. Not provided: formData() (no reader here posts
 * forms), bytes() (not in Node 20's Response) and the stream's BYOB reader.
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

/** Statuses whose Response has a null body (fetch: "null body status", and 101/103 informational). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const EMPTY = Buffer.alloc(0);

class BufferedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  readonly url: string;
  readonly headers: AnswerHeaders;
  private used = false;
  /** Made on first access of `body` (undefined until then). */
  private stream: ReadableStream<Uint8Array> | null | undefined;

  constructor(
    private readonly answer: BufferedAnswer,
    headers?: AnswerHeaders,
  ) {
    this.status = answer.status;
    this.statusText = answer.statusText;
    this.ok = answer.status >= 200 && answer.status < 300;
    this.url = answer.url;
    this.headers = headers ?? new AnswerHeaders(answer.headers);
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.stream === undefined) this.stream = NULL_BODY_STATUSES.has(this.status) ? null : this.bodyStream();
    return this.stream;
  }

  /** As fetch's: true once the body was read or its stream read from or cancelled. */
  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    return decodeUtf8(this.consume());
  }

  async json(): Promise<unknown> {
    return JSON.parse(decodeUtf8(this.consume()));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.consume();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async blob(): Promise<Blob> {
    return new Blob([this.consume()], { type: this.headers.get('content-type') ?? '' });
  }

  /** An independent copy (the bytes are never written to; every reader gets its own copy of them). */
  clone(): BufferedResponse {
    if (this.used || this.stream?.locked) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.answer, this.headers);
  }

  /** The bytes, once: fetch's "consume body". A body stream already handed out ends locked, as one read through. */
  private consume(): Buffer {
    // A null body reads as empty, any number of times, and is never "used".
    if (NULL_BODY_STATUSES.has(this.status)) return EMPTY;
    if (this.used || this.stream?.locked) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    if (this.stream) this.stream.getReader().cancel().catch(() => undefined);
    return this.answer.body;
  }

  private bodyStream(): ReadableStream<Uint8Array> {
    const bytes = this.answer.body;
    return new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          this.used = true;
          if (bytes.byteLength > 0) controller.enqueue(new Uint8Array(bytes));
          controller.close();
        },
        cancel: () => {
          this.used = true;
        },
      },
      // Nothing is pulled before a reader asks: merely looking at `body` does not use it.
      { highWaterMark: 0 },
    );
  }
}

/** UTF-8 as fetch decodes a body: a leading byte-order mark is dropped, bad sequences become U+FFFD. */
function decodeUtf8(bytes: Buffer): string {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return (bom ? bytes.subarray(3) : bytes).toString('utf8');
}

/** `answer` as a Response. */
export function bufferedResponse(answer: BufferedAnswer): Response {
  return new BufferedResponse(answer) as unknown as Response;
}
