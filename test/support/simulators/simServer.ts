/**
 * The plumbing the per-kind server simulators share: a loopback node:http server on port 0 with a
 * request log, JSON and SSE answers, a word-per-token count, and a slot pool that queues requests
 * beyond a server's parallel slots as the real servers do. Each simulator (llamaCpp.ts, ollama.ts,
 * vllm.ts, lmStudio.ts) imitates one server kind's behaviour as its source code has it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, when there was one. */
  body?: any;
}

export interface SimServer {
  /** Base URL including /v1. */
  readonly url: string;
  readonly origin: string;
  readonly requests: SimRequest[];
  close(): Promise<void>;
}

export type SimHandler = (req: SimRequest, res: http.ServerResponse) => void | Promise<void>;

export async function startSimServer(handler: SimHandler): Promise<SimServer> {
  const requests: SimRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://sim');
      const record: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers };
      if (raw !== '') {
        try {
          record.body = JSON.parse(raw);
        } catch {
          record.body = undefined;
        }
      }
      requests.push(record);
      Promise.resolve(handler(record, res)).catch((error) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendSse(res: http.ServerResponse, events: unknown[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.end(events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n');
}

/** The simulators' tokenizer: one token per whitespace-separated word. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The text a request's prompt is made of (chat messages joined, or the completion prompt). */
export function promptText(body: any): string {
  if (Array.isArray(body?.messages)) return body.messages.map((m: any) => String(m?.content ?? '')).join(' ');
  return String(body?.prompt ?? '');
}

/** The simulators' model: it answers "echo: <the last message or the prompt>", one token per word. */
export function echoReply(body: any): string[] {
  const messages = Array.isArray(body?.messages) ? body.messages : undefined;
  const last = messages ? String(messages[messages.length - 1]?.content ?? '') : String(body?.prompt ?? '');
  return `echo: ${last}`.split(/(?<=\s)/);
}

/** Parallel slots: requests beyond `size` wait their turn (queue time the client sees, the server does not count). */
export class SlotPool {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most requests ever in a slot at once. */
  maxInUse = 0;
  constructor(readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.inUse >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inUse++;
    this.maxInUse = Math.max(this.maxInUse, this.inUse);
    return () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.inUse--;
    };
  }
}

export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
