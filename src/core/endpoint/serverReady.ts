/**
 * Waits until a server can answer generations. llama-server answers 503 "Loading model"
 * (type unavailable_error) while it loads — on every route in current builds (test/realserver shows
 * it), older builds let /v1/models through (tools/server, its server-state middleware) — so a run
 * started then would fail every item after a few retries.
 * In router mode (llama-server without -m) /props without `model` is the router's own answer
 * (role "router"); `/props?model=<id>` loads that model on demand and answers 503 while it loads.
 *
 * Other servers have no loading phase we can see (vLLM and LM Studio listen only once ready;
 * Ollama loads on the first request), so a /health that is absent, or any other answer, ends the
 * wait at once and the probe takes over.
 */
import { CancelledError, EndpointError } from '../errors';
import { normalizeBaseUrl } from './baseUrl';
import { getRoute, type RouteAnswer } from './probeRequest';
import { abortableSleep, cancelled } from './retryPolicy';

export interface ServerReadyOptions {
  signal?: AbortSignal;
  /** How long to wait for the model to load (default 10 minutes). */
  budgetMs?: number;
  /** Told on every change of state: "loading model…", "waiting for the server to listen…". */
  onStatus?: (status: ServerReadyStatus) => void;
  apiKey?: string;
  /** In llama.cpp router mode, the model to wait for (loaded on demand through /props?model=). */
  model?: string;
  /**
   * Keep polling while the connection is refused (a server we just started is not listening yet).
   * Default false: a URL the user typed that refuses connections is reported by the probe at once.
   */
  waitForListen?: boolean;
  /** Between polls (default 1 s). */
  pollMs?: number;
  /** Per poll (default 5 s). */
  timeoutMs?: number;
  /** Injectable for tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface ServerReadyStatus {
  state: 'loading' | 'starting' | 'ready';
  /** "loading model…" / "waiting for the server to listen…" / "ready", ready to show as progress. */
  message: string;
  /** What the last poll answered, e.g. "GET http://127.0.0.1:8080/health → 503 Loading model". */
  detail: string;
  waitedMs: number;
}

export interface ServerReadyResult {
  /** True when the server was seen loading (or not yet listening) before it was ready. */
  waited: boolean;
  waitedMs: number;
  /** True when /props said role "router" (llama-server in router mode). */
  router: boolean;
}

const DEFAULT_BUDGET_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 1_000;

/** True for llama.cpp's 503 while loading: `{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}`. */
export function isLoadingAnswer(status: number | undefined, text: string): boolean {
  if (status !== 503) return false;
  return /unavailable_error|loading model/i.test(text);
}

export async function waitForServerReady(baseUrl: string, options: ServerReadyOptions = {}): Promise<ServerReadyResult> {
  const { root } = normalizeBaseUrl(baseUrl);
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const started = now();
  const get = (url: string) => getRoute(url, { apiKey: options.apiKey, signal: options.signal, timeoutMs: options.timeoutMs, fetch: options.fetch });
  let lastState: ServerReadyStatus['state'] | undefined;
  let waited = false;
  const report = (state: ServerReadyStatus['state'], answer: RouteAnswer) => {
    if (state === lastState) return;
    lastState = state;
    const message = state === 'loading' ? 'loading model…' : state === 'starting' ? 'waiting for the server to listen…' : 'ready';
    options.onStatus?.({ state, message, detail: `GET ${answer.url} → ${answer.outcome}`, waitedMs: now() - started });
  };

  for (;;) {
    if (options.signal?.aborted) throw cancelled(options.signal);
    const state = await pollOnce(root, options.model, get, options.waitForListen ?? false);
    if (state.kind === 'ready') {
      if (waited) report('ready', state.answer);
      return { waited, waitedMs: now() - started, router: state.router };
    }
    waited = true;
    report(state.kind, state.answer);
    const waitedMs = now() - started;
    if (waitedMs >= budgetMs) {
      const what = state.kind === 'loading' ? 'was still loading the model' : 'was still not listening';
      throw new EndpointError(
        `server ${root} ${what} after ${formatMinutes(waitedMs)} (GET ${state.answer.url} → ${state.answer.outcome}); ` +
          'wait until it is ready, or give it longer',
        { url: root, status: state.answer.status, retryable: true },
      );
    }
    try {
      await sleep(Math.min(pollMs, Math.max(0, budgetMs - waitedMs)), options.signal);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      throw cancelled(options.signal!);
    }
  }
}

type PollState =
  | { kind: 'ready'; answer: RouteAnswer; router: boolean }
  | { kind: 'loading' | 'starting'; answer: RouteAnswer };

async function pollOnce(root: string, model: string | undefined, get: (url: string) => Promise<RouteAnswer>, waitForListen: boolean): Promise<PollState> {
  const health = await get(`${root}/health`);
  if (isLoadingAnswer(health.status, health.text)) return { kind: 'loading', answer: health };
  if (health.status === undefined) {
    // Nothing answered: a server being started is not listening yet; a typed URL is the probe's to report.
    return waitForListen ? { kind: 'starting', answer: health } : { kind: 'ready', answer: health, router: false };
  }
  if (health.status !== 200) return { kind: 'ready', answer: health, router: false }; // no llama.cpp loading phase to wait for
  // /health is 200: a single-model llama-server is ready; a router is, but its model may not be.
  const props = await get(`${root}/props`);
  if (isLoadingAnswer(props.status, props.text)) return { kind: 'loading', answer: props };
  if (props.json?.role !== 'router') return { kind: 'ready', answer: health, router: false };
  if (!model) return { kind: 'ready', answer: props, router: true };
  const child = await get(`${root}/props?model=${encodeURIComponent(model)}`);
  // The router loads the model on demand and may hold this request until it has: no answer yet is loading too.
  if (child.status === undefined || isLoadingAnswer(child.status, child.text)) return { kind: 'loading', answer: child };
  return { kind: 'ready', answer: child, router: true };
}

function formatMinutes(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
}
