/**
 * Calls one OpenAI-compatible server through the `openai` SDK, with our own timeout and retry
 * policy (the SDK's is off: maxRetries 0) so every wait is visible, cancellable and counted.
 *
 * Retried, with full-jitter back-off or the server's Retry-After (capped at maxDelayMs):
 * connection errors, our per-attempt timeout, 408, 429, 5xx (llama.cpp's 503 "Loading model").
 * A 200 that is not a completion (not JSON, no choices) is retried once only (see
 * MAX_GARBAGE_RETRIES). Other 4xx fail at once. An aborted signal stops the request in flight or
 * the back-off wait at once with CancelledError.
 *
 * latencyMs and ttftMs are those of the attempt that succeeded; `attempts` says how many it took.
 * The transport is node:http with a shared keep-alive pool (httpTransport.ts), not the global fetch.
 */
import { getMaxListeners, setMaxListeners } from 'node:events';
import OpenAI from 'openai';
import { VERSION as SDK_VERSION } from 'openai/version';
import { CancelledError, EndpointError, EvalBenchError } from '../errors';
import { normalizeBaseUrl } from './baseUrl';
import { DEFAULT_MAX_RESPONSE_BYTES, FixedHeaders, createHttpTransport } from './httpTransport';
import { ContextOverflowError, describeOverflow, fittingMaxTokens } from './contextOverflow';
import { AttemptTimeout, classifyFailure, HttpStatusFailure, type Failure } from './failure';
import { fromCompletion, readAnswer, readStream } from './completionReader';
import { abortableSleep, cancelled, MAX_GARBAGE_RETRIES, retryDelayMs } from './retryPolicy';
import {
  DEFAULT_CLIENT_OPTIONS,
  type ClientOptions,
  type EndpointConfig,
  type GenerationRequest,
  type GenerationResult,
  type Generator,
  type ServerKind,
} from './types';
import { ollamaExchange } from './ollamaNative';
import { planSampling } from './samplingParams';

/** Told before every back-off wait; `message` is ready to log as it is. */
export interface RetryInfo {
  /** The API base, e.g. http://127.0.0.1:8000/v1. */
  url: string;
  /** The attempt that failed (1-based) and how many attempts the policy allows. */
  attempt: number;
  maxAttempts: number;
  status?: number;
  /** "503 Loading model", "connection refused", "no complete answer within 300.0 s"… */
  reason: string;
  delayMs: number;
  /** "server http://127.0.0.1:8000/v1 answered 503 Loading model; retrying in 2.1 s (attempt 2 of 5)" */
  message: string;
}

export interface ModelClientOptions extends ClientOptions {
  onRetry?: (info: RetryInfo) => void;
  /** Extra body fields for every request (chat_template_kwargs…). */
  extraBody?: Record<string, unknown>;
  /**
   * What the probe found (default "openai-compatible"): decides the form sampling is sent in
   * (samplingParams.ts) and, for Ollama, the native API (ollamaNative.ts).
   */
  serverKind?: ServerKind;
  /** The context in effect (ServerFacts.contextLength): Ollama gets it as num_ctx and a prompt cut to it is an overflow. */
  contextLength?: number;
  /**
   * The transport. Default: one node:http keep-alive pool shared by every client in the process
   * (256 sockets per origin; see httpTransport.ts for why not the global fetch).
   */
  fetch?: typeof fetch;
  /** Injectable for tests: the back-off wait, the jitter source, the wall clock (for Retry-After dates). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** Counters over the client's life (the run manager may show them). */
export interface ModelClientStats {
  requests: number;
  attempts: number;
  retries: number;
  failures: number;
}

const TIMEOUT = Symbol('attempt timeout');

/** Headers the SDK adds to every request for OpenAI's statistics; ModelClient sends none of them (null removes one). */
const SDK_REPORT_HEADERS = [
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
] as const;

export class ModelClient implements Generator {
  readonly apiBase: string;
  readonly stats: ModelClientStats = { requests: 0, attempts: 0, retries: 0, failures: 0 };
  private readonly sdk: OpenAI;
  /** The transport; non-2xx answers throw HttpStatusFailure with the server's text. */
  private readonly fetch: typeof fetch;
  private readonly options: ModelClientOptions;

  constructor(readonly endpoint: EndpointConfig, options: Partial<ModelClientOptions> = {}) {
    this.options = {
      ...DEFAULT_CLIENT_OPTIONS,
      ...options,
      retry: { ...DEFAULT_CLIENT_OPTIONS.retry, ...options.retry },
    };
    this.apiBase = normalizeBaseUrl(endpoint.baseUrl).apiBase;
    const transport = this.options.fetch ?? sharedTransport(this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    this.fetch = statusCapturingFetch(transport);
    this.sdk = new EndpointSdk({
      baseURL: this.apiBase,
      // Never fall back to OPENAI_API_KEY / OPENAI_ORG_ID from the environment: that key is not for this server.
      apiKey: endpoint.apiKey || 'no-key',
      organization: null,
      project: null,
      // Nor OPENAI_ADMIN_KEY, which the SDK also reads from the environment: no OpenAI key belongs to this server.
      adminAPIKey: null,
      maxRetries: 0,
      // The SDK would print unparsable stream lines to the console; we report them as errors instead.
      logLevel: 'off',
      // Ours fires first (it also covers reading a stream); the SDK's only guards headers.
      timeout: this.options.requestTimeoutMs + 60_000,
      fetch: this.fetch,
      defaultHeaders: {
        // The SDK's platform report to OpenAI (OS, CPU, runtime, its version, retry count, timeout): no model
        // server reads it, and this machine's details are not the server's business.
        ...Object.fromEntries(SDK_REPORT_HEADERS.map((name) => [name, null])),
        // The SDK names itself after its class, which would be "EndpointSdk/JS …" in a server's log.
        'user-agent': `OpenAI/JS ${SDK_VERSION}`,
      },
    });
  }

  async generate(original: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    let request = original;
    const notes: string[] = [];
    this.stats.requests++;
    const { retry } = this.options;
    const maxAttempts = retry.maxRetries + 1;
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? abortableSleep;
    const random = this.options.random ?? Math.random;
    let garbageRetries = 0;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelled(signal);
      this.stats.attempts++;
      let failure: Failure;
      try {
        const result = await this.attempt(request, signal);
        return { ...result, attempts: attempt, ...(notes.length > 0 ? { notes } : {}) };
      } catch (error) {
        if (signal?.aborted) throw cancelled(signal);
        if (error instanceof EndpointError) this.stats.failures++;
        // Ours already say what is wrong (a context overflow, a settings error): retrying cannot help.
        if (error instanceof EvalBenchError) throw error;
        failure = classifyFailure(error, now());
        if (failure.overflow) {
          // vLLM refuses a max_tokens that does not fit beside the prompt: ask once for what fits, and say so.
          const fit = notes.length === 0 ? fittingMaxTokens(failure.overflow) : undefined;
          if (fit !== undefined) {
            notes.push(
              `max_tokens lowered from ${request.sampling.max_tokens} to ${fit} to fit the context of ${failure.overflow.contextLength} tokens ` +
                `(the prompt is ${failure.overflow.promptTokens}); asked again once`,
            );
            request = { ...request, sampling: { ...request.sampling, max_tokens: fit } };
            continue;
          }
          this.stats.failures++;
          throw new ContextOverflowError(describeOverflow(failure.overflow), failure.overflow, this.apiBase);
        }
        const retryable = failure.kind !== 'fatalStatus' && failure.kind !== 'tooLarge' && (failure.kind !== 'garbage' || garbageRetries < MAX_GARBAGE_RETRIES);
        if (!retryable || attempt >= maxAttempts) {
          this.stats.failures++;
          throw this.finalError(failure, attempt, retryable, error);
        }
        if (failure.kind === 'garbage') garbageRetries++;
      }
      const delayMs = retryDelayMs(retry, attempt - 1, random, failure.retryAfterMs);
      this.stats.retries++;
      this.options.onRetry?.({
        url: this.apiBase,
        attempt,
        maxAttempts,
        status: failure.status,
        reason: failure.reason,
        delayMs,
        message: `${this.describe(failure)}; retrying in ${formatDelay(delayMs)} (attempt ${attempt + 1} of ${maxAttempts})`,
      });
      await sleep(delayMs, signal);
    }
  }

  /** One HTTP exchange, bounded by requestTimeoutMs and by the caller's signal: a whole answer, a stream, or Ollama's native API. */
  private async attempt(request: GenerationRequest, signal?: AbortSignal): Promise<Omit<GenerationResult, 'attempts'>> {
    if (!request.stream && this.options.serverKind !== 'ollama') return this.wholeAnswer(request, signal);
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal!.reason);
    if (signal) {
      // One run signal is shared by every request in flight: 64 listeners is the design, not a leak
      // (each is removed when its attempt ends), so lift Node's warning threshold of 10.
      if (getMaxListeners(signal) < 1024) setMaxListeners(1024, signal);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    const timer = setTimeout(() => controller.abort(TIMEOUT), this.options.requestTimeoutMs);
    const started = performance.now();
    try {
      if (this.options.serverKind === 'ollama') {
        const { root } = normalizeBaseUrl(this.endpoint.baseUrl);
        const exchange = {
          root, apiBase: this.apiBase, model: this.endpoint.model, mode: this.endpoint.mode,
          options: planSampling('ollama', request.sampling).fields, numCtx: this.options.contextLength, extraBody: this.options.extraBody,
        };
        return await ollamaExchange(exchange, request, this.fetch, controller.signal);
      }
      // A stream: the SDK's timer would stop at the headers, ours covers the whole stream.
      const body = { ...this.body(request), stream: true, stream_options: { include_usage: true } };
      const options = { signal: controller.signal };
      const create = this.endpoint.mode === 'chat' ? this.sdk.chat.completions.create(body as any, options) : this.sdk.completions.create(body as any, options);
      const { data: stream, response } = await create.withResponse();
      // A server that ignores `stream: true` answers whole: that answer is the reply (the SDK would find no events in it).
      if (!/event-stream/.test(response.headers.get('content-type') ?? '')) return fromCompletion(await readAnswer(response), started);
      const result = await readStream(stream as unknown as AsyncIterable<any>, started);
      // The SDK ends a stream quietly when its signal aborts: a partial text is not a reply.
      if (controller.signal.aborted) throw new Error('stream aborted');
      return result;
    } catch (error) {
      if (controller.signal.reason === TIMEOUT && !signal?.aborted) throw this.attemptTimeout();
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A whole (non-streamed) answer through the SDK. The SDK's own per-request timer bounds it: our transport
   * resolves only once the whole body is in, so that timer covers the answer to its last byte, and the
   * caller's signal goes to the SDK as it is. No controller, timer or listener of ours per request.
   */
  private async wholeAnswer(request: GenerationRequest, signal?: AbortSignal): Promise<Omit<GenerationResult, 'attempts'>> {
    const started = performance.now();
    const body = this.body(request);
    const options = { signal, timeout: Math.max(1, Math.ceil(this.options.requestTimeoutMs)) };
    try {
      // The SDK's raw answer, decoded as its parser would (readAnswer) without its per-answer extras.
      const create = this.endpoint.mode === 'chat' ? this.sdk.chat.completions.create(body as any, options) : this.sdk.completions.create(body as any, options);
      return fromCompletion(await readAnswer(await create.asResponse()), started);
    } catch (error) {
      if (error instanceof OpenAI.APIConnectionTimeoutError && !signal?.aborted) throw this.attemptTimeout();
      throw error;
    }
  }

  private attemptTimeout(): AttemptTimeout {
    return new AttemptTimeout(`no complete answer within ${(this.options.requestTimeoutMs / 1000).toFixed(1)} s`);
  }

  /** The request body: OpenAI fields, plus top_k at the top level as vLLM, llama.cpp, Ollama and LM Studio read it. */
  private body(request: GenerationRequest): Record<string, unknown> {
    const s = request.sampling;
    // Every sampling field explicit, in this server kind's names: left out, each server fills in its own defaults.
    const body: Record<string, unknown> = { model: this.endpoint.model, ...this.samplingFields(s) };
    if (s.stop && s.stop.length > 0) body.stop = s.stop;
    // Chat takes a boolean; legacy completions take how many alternatives per token (1: the chosen one and its best rival).
    if (request.logprobs) body.logprobs = this.endpoint.mode === 'chat' ? true : 1;
    if (this.endpoint.mode === 'chat') {
      body.messages = request.messages ?? (request.prompt !== undefined ? [{ role: 'user', content: request.prompt }] : undefined);
      if (!body.messages) throw new EndpointError('this request has neither chat messages nor a prompt', { url: this.apiBase });
    } else {
      if (request.prompt === undefined) {
        throw new EndpointError(
          `${this.apiBase} is used in completions mode, but this benchmark item has only chat messages; use chat mode`,
          { url: this.apiBase, retryable: false },
        );
      }
      body.prompt = request.prompt;
    }
    return { ...body, ...this.options.extraBody };
  }

  /**
   * The sampling fields in this server kind's names. A run hands every request the same settings object
   * (runExecution.ts), so the last plan is kept: planning it per request was a few µs and a dozen objects.
   */
  private samplingFields(sampling: GenerationRequest['sampling']): Record<string, number> {
    if (this.lastPlan?.sampling !== sampling) this.lastPlan = { sampling, fields: planSampling(this.options.serverKind ?? 'openai-compatible', sampling).fields };
    return this.lastPlan.fields;
  }

  private lastPlan: { sampling: GenerationRequest['sampling']; fields: Record<string, number> } | undefined;

  private describe(failure: Failure): string {
    if (failure.status !== undefined) return `server ${this.apiBase} answered ${failure.reason}`;
    if (failure.kind === 'garbage' || failure.kind === 'tooLarge' || failure.timedOut) return `server ${this.apiBase} ${failure.timedOut ? 'sent ' : ''}${failure.reason}`;
    return `server ${this.apiBase} could not be reached (${failure.reason})`;
  }

  private finalError(failure: Failure, attempt: number, retryable: boolean, cause: unknown): EndpointError {
    const path = this.endpoint.mode === 'chat' ? '/chat/completions' : '/completions';
    if (failure.kind === 'fatalStatus') {
      return new EndpointError(`server ${this.apiBase}${path} answered ${failure.reason}${hint(failure.status!, this.endpoint.model)}`, {
        url: this.apiBase + path,
        status: failure.status,
        retryable: false,
        cause,
      });
    }
    const tail = attempt > 1 ? `; gave up after ${attempt} attempts` : retryable ? '' : '; not retried';
    return new EndpointError(`${this.describe(failure)}${tail}`, { url: this.apiBase, status: failure.status, retryable, cause });
  }
}

type SdkRequestOptions = Parameters<OpenAI['buildRequest']>[0];
type SdkBuiltRequest = Awaited<ReturnType<OpenAI['buildRequest']>>;

/**
 * The SDK, with each request's head (URL and headers) built once per method, path, timeout, retry count and
 * auth schemes instead of per request: the SDK builds a dozen headers, the Authorization one among them,
 * through three Headers objects per request (about a quarter of a run's allocations: bench/runAlloc.mjs) and
 * the transport then reads them back out. Only the body differs from one generation to the next. The key is
 * a fixed string (never a function, never a workload identity), so every request would get the same
 * Authorization header. The first request of each kind goes through the SDK whole and its head is kept only
 * if the body the SDK encoded is exactly JSON.stringify of the body given, so anything the SDK would do
 * differently (a per-request header, query or fetch option, an idempotency key) still goes through it.
 *
 * Exported for its tests; ModelClient is the only user.
 */
export class EndpointSdk extends OpenAI {
  private readonly requestHeads = new Map<string, { url: string; headers: FixedHeaders }>();

  override async buildRequest(options: SdkRequestOptions, { retryCount = 0 }: { retryCount?: number } = {}): Promise<SdkBuiltRequest> {
    const key = sameHeadKey(options, retryCount, this.idempotencyHeader, this.fetchOptions);
    const head = key === undefined ? undefined : this.requestHeads.get(key);
    if (head) {
      const req = { method: options.method, headers: head.headers, body: JSON.stringify(options.body), ...(options.signal ? { signal: options.signal } : {}) };
      return { req, url: head.url, timeout: options.timeout ?? this.timeout };
    }
    const built = await super.buildRequest(options, { retryCount });
    const { headers, body } = built.req;
    if (key !== undefined && headers instanceof Headers && typeof body === 'string' && body === JSON.stringify(options.body)) {
      this.requestHeads.set(key, { url: built.url, headers: new FixedHeaders(headers) });
    }
    return built;
  }
}

/**
 * Which kept request head fits these options, or undefined when the SDK must build this one itself: only a
 * plain JSON body with nothing per request beside it (no headers, query, fetch options, base URL or metadata).
 */
function sameHeadKey(options: SdkRequestOptions, retryCount: number, idempotencyHeader: string | undefined, clientFetchOptions: unknown): string | undefined {
  if (idempotencyHeader !== undefined || clientFetchOptions !== undefined) return undefined;
  if (options.headers !== undefined || options.query !== undefined || options.fetchOptions !== undefined) return undefined;
  if (options.defaultBaseURL !== undefined || options.__metadata !== undefined || options.__binaryResponse) return undefined;
  const body = options.body;
  if (body === null || typeof body !== 'object' || Object.getPrototypeOf(body) !== Object.prototype) return undefined;
  const security = options.__security;
  return `${options.method} ${options.path} ${options.timeout} ${retryCount} ${security?.bearerAuth}/${security?.adminAPIKeyAuth}`;
}

/** One keep-alive pool per process (per body cap, which is one setting in practice). */
const shared = new Map<number, typeof fetch>();
function sharedTransport(maxResponseBytes: number): typeof fetch {
  let transport = shared.get(maxResponseBytes);
  if (!transport) shared.set(maxResponseBytes, (transport = createHttpTransport({ maxResponseBytes }).fetch));
  return transport;
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function hint(status: number, model: string): string {
  if (status === 401 || status === 403) return ' (check the API key)';
  if (status === 404) return ` (check the base URL and that the server serves model "${model}")`;
  return '';
}

/** Keeps the text of every non-2xx answer: the SDK would keep only `body.error`. */
function statusCapturingFetch(transport: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await transport(input, init);
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    throw new HttpStatusFailure(response.status, text, response.headers);
  };
}
