/**
 * Waits until a server EvalBench just started answers: /health 200 (llama.cpp, vLLM), or /v1/models 200 for
 * servers without /health. A refused connection (not listening yet) and llama.cpp's 503 "Loading model" mean
 * "keep waiting". Stops early when `signal` aborts (the process exited, the user cancelled).
 */
import { CancelledError } from '../errors';
import { ServerProcessError } from './errors';

export interface ReadyOptions {
  signal?: AbortSignal;
  budgetMs: number;
  pollMs?: number;
  onStatus?: (message: string) => void;
}

export async function waitUntilListeningAndLoaded(root: string, options: ReadyOptions): Promise<void> {
  const pollMs = options.pollMs ?? 250;
  const deadline = Date.now() + options.budgetMs;
  let last = '';
  const status = (message: string) => {
    if (message !== last) options.onStatus?.(message);
    last = message;
  };
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new CancelledError();
    const health = await get(`${root}/health`, options.signal);
    if (health.status === 200) return;
    if (health.status === 404) {
      const models = await get(`${root}/v1/models`, options.signal);
      if (models.status === 200) return;
    }
    if (health.status === 503) status('loading model…');
    else if (health.status === undefined) status('waiting for the server to listen…');
    else status(`GET /health answered ${health.status}`);
    if (Date.now() > deadline) {
      throw new ServerProcessError(`the server at ${root} was not ready within ${Math.round(options.budgetMs / 1000)} s (last: ${last || 'no answer'})`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}

async function get(url: string, signal?: AbortSignal): Promise<{ status?: number }> {
  try {
    const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(5000)]) : AbortSignal.timeout(5000) });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  } catch {
    return {};
  }
}
