/**
 * Asks a judge model, through the same ModelClient (and so the same retry policy) as the evaluated
 * model, but with its own concurrency limit and a disk cache. Judge calls are separate from the
 * evaluated model's requests: their latency and tokens are kept in the judge's own record and never in
 * a sample's speed figures.
 */
import { ModelClient } from '../endpoint/modelClient';
import type { ClientOptions, EndpointConfig, Generator } from '../endpoint/types';
import { JudgeCache } from './judgeCache';
import type { JudgeConfig } from './judgeConfig';

export interface JudgeReply {
  text: string;
  cached: boolean;
  /** The judge's own timing and usage, for the judge record only. */
  latencyMs?: number;
  attempts?: number;
  completionTokens?: number;
}

export interface JudgeClientOptions {
  apiKey?: string;
  cacheDir?: string;
  clientOptions?: Partial<ClientOptions>;
  /** Seam for tests and other front ends. */
  createGenerator?: (endpoint: EndpointConfig, options: Partial<ClientOptions>) => Generator;
}

export class JudgeClient {
  private readonly generator: Generator;
  private readonly cache: JudgeCache | undefined;
  private readonly gate: Gate;
  /** Counters over the client's life. */
  readonly stats = { asked: 0, cached: 0 };

  constructor(readonly config: JudgeConfig, options: JudgeClientOptions = {}) {
    const endpoint: EndpointConfig = { baseUrl: config.baseUrl, model: config.model, mode: 'chat', apiKey: options.apiKey };
    this.generator = options.createGenerator?.(endpoint, options.clientOptions ?? {}) ?? new ModelClient(endpoint, options.clientOptions ?? {});
    this.cache = options.cacheDir ? new JudgeCache(options.cacheDir) : undefined;
    this.gate = new Gate(config.concurrency);
  }

  /** The judge's reply to one rendered prompt; `cacheParts` identify it (template and inputs). Throws on failure. */
  async ask(prompt: string, cacheParts: { template: string; inputs: Record<string, string> }, signal?: AbortSignal): Promise<JudgeReply> {
    const key = JudgeCache.key({ model: this.config.model, template: cacheParts.template, inputs: cacheParts.inputs, sampling: this.config.sampling });
    const hit = this.cache?.get(key);
    if (hit) {
      this.stats.cached++;
      return { text: hit.text, cached: true };
    }
    // A derived signal: Node 20's getMaxListeners (used by ModelClient) throws on a plain AbortController's signal.
    const requestSignal = signal ? AbortSignal.any([signal]) : undefined;
    const result = await this.gate.run(() => {
      this.stats.asked++;
      return this.generator.generate({ messages: [{ role: 'user', content: prompt }], sampling: this.config.sampling }, requestSignal);
    }, signal);
    if (result.text.trim() !== '') this.cache?.put(key, { text: result.text, model: this.config.model, storedAt: new Date().toISOString() });
    return { text: result.text, cached: false, latencyMs: result.latencyMs, attempts: result.attempts, completionTokens: result.completionTokens };
  }
}

/** At most `limit` tasks at once; the rest wait in arrival order. A finishing task hands its slot to the next waiter. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await this.waitForSlot(signal);
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  private waitForSlot(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const abort = () => {
        const at = this.waiting.indexOf(go);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal!.reason ?? new Error('cancelled'));
      };
      const go = () => {
        signal?.removeEventListener('abort', abort);
        resolve();
      };
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      this.waiting.push(go);
    });
  }
}
