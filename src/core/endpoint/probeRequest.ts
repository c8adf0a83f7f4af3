/**
 * One introspection request (GET /props, POST /api/show…) that never throws except on
 * cancellation: whatever happened is in the answer, so a probe can try every route at once and
 * report what each gave.
 */
import { CancelledError } from '../errors';
import { connectionReason, serverText } from './failure';
import { cancelled } from './retryPolicy';

export interface RouteOptions {
  apiKey?: string;
  signal?: AbortSignal;
  /** Per request (default 5 s). */
  timeoutMs?: number;
  /** The transport; default: the global fetch. */
  fetch?: typeof fetch;
}

/** What one route gave. */
export interface RouteAnswer {
  url: string;
  /** The HTTP status, when the server answered at all. */
  status?: number;
  /** The body as text ('' when there was no answer). */
  text: string;
  /** Parsed JSON when the route answered 2xx with JSON. */
  json?: any;
  /** "200", "404 File Not Found", "connection refused", "no answer within 5.0 s"… */
  outcome: string;
}

const DEFAULT_TIMEOUT_MS = 5_000;

export function getRoute(url: string, options: RouteOptions): Promise<RouteAnswer> {
  return routeRequest(url, undefined, options);
}

/** GET (or POST `body` as JSON) one route. */
export async function routeRequest(url: string, body: unknown, options: RouteOptions): Promise<RouteAnswer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    if (options.signal?.aborted) throw cancelled(options.signal);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await (options.fetch ?? fetch)(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
    const text = await response.text();
    if (!response.ok) {
      const message = serverText(text);
      return { url, status: response.status, text, outcome: `${response.status}${message ? ` ${message}` : ''}` };
    }
    try {
      return { url, status: response.status, text, json: JSON.parse(text), outcome: String(response.status) };
    } catch {
      return { url, status: response.status, text, outcome: `${response.status} but not JSON` };
    }
  } catch (error) {
    if (options.signal?.aborted) throw error instanceof CancelledError ? error : cancelled(options.signal);
    if (controller.signal.aborted) return { url, text: '', outcome: `no answer within ${(timeoutMs / 1000).toFixed(1)} s` };
    return { url, text: '', outcome: connectionReason(error) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
