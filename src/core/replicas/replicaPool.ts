/**
 * One endpoint served by several replicas (vLLM behind Ray Serve or KServe, several llama.cpp hosts): each
 * request goes to the live replica with the fewest requests outstanding, never past a replica's own limit
 * (its slots), and the reply says which replica answered.
 *
 * A replica that cannot be reached (connection refused or reset, no answer) is set aside for a cool-down: the
 * requests it holds are aborted at once and sent to another replica, so one replica dying mid-run costs a
 * retry, not an item. A replica's real answers (4xx, a reply) are the item's, as with one server. When no
 * replica is left to try, the request fails with the last replica's reason.
 */
import { CancelledError, EndpointError, errorMessage } from '../errors';
import type { GenerationRequest, GenerationResult, Generator } from '../endpoint/types';
import type { ServerLease } from '../run/serverLimiter';

export interface ReplicaClientHooks {
  /** Call when an attempt on this replica found it unreachable (the pool sets it aside). */
  onUnreachable: (reason: string) => void;
}

export interface ReplicaPoolOptions {
  /** Requests in flight per replica at most. */
  perReplicaLimit: number;
  /** How long an unreachable replica is left out before it is tried again (default 10 s). */
  cooldownMs?: number;
  log?: (message: string) => void;
  now?: () => number;
  /**
   * Each replica's share of its own server's limiter: a replica is a server that other runs may use too
   * (alone or in another replica set), so its slots are counted with theirs, not under the set's URL list.
   */
  leaseFor?: (url: string) => ServerLease;
}

interface Replica {
  url: string;
  client: Generator;
  inFlight: number;
  downUntil: number;
  /** Aborted when the replica is set aside: its requests in flight move elsewhere. */
  down: AbortController;
  served: number;
  lease?: ServerLease;
}

class ReplicaDown extends Error {}

export class ReplicaPool implements Generator {
  private readonly replicas: Replica[];
  private readonly waiters: (() => void)[] = [];
  private readonly now: () => number;

  /** `makeClient` builds each replica's client; it reports unreachability through the hooks (ModelClient's onRetry). */
  constructor(urls: string[], makeClient: (url: string, hooks: ReplicaClientHooks) => Generator, private readonly options: ReplicaPoolOptions) {
    if (urls.length === 0) throw new EndpointError('a replicated endpoint needs at least one base URL');
    this.now = options.now ?? Date.now;
    this.replicas = urls.map((url) => {
      const replica: Replica = { url, client: undefined as unknown as Generator, inFlight: 0, downUntil: 0, down: new AbortController(), served: 0, lease: options.leaseFor?.(url) };
      replica.client = makeClient(url, { onUnreachable: (reason) => this.setAside(replica, reason) });
      return replica;
    });
  }

  /** The run is finished with the replicas' servers: their limiters forget it. */
  dispose(): void {
    for (const replica of this.replicas) replica.lease?.dispose();
  }

  /** Requests answered per replica so far. */
  get servedCounts(): Record<string, number> {
    return Object.fromEntries(this.replicas.map((r) => [r.url, r.served]));
  }

  async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    const tried = new Set<Replica>();
    let lastError: unknown;
    for (;;) {
      const replica = await this.acquire(tried, signal);
      if (!replica) {
        throw lastError instanceof EndpointError
          ? lastError
          : new EndpointError(`no replica could answer (${this.replicas.map((r) => r.url).join(', ')})${lastError ? `: ${errorMessage(lastError)}` : ''}`, { retryable: true });
      }
      const down = replica.down.signal;
      const combined = signal ? AbortSignal.any([signal, down]) : down;
      let releaseSlot: (() => void) | undefined;
      try {
        // A slot of the replica's server; set aside while waiting, the request moves to another replica.
        releaseSlot = await replica.lease?.acquire(combined);
        const result = await replica.client.generate(request, combined);
        replica.served++;
        return { ...result, replica: replica.url };
      } catch (error) {
        if (signal?.aborted) throw error instanceof CancelledError ? error : new CancelledError();
        if (!down.aborted && !unreachable(error)) throw error;
        // The replica went away under this request: try another one.
        if (!down.aborted) this.setAside(replica, errorMessage(error));
        tried.add(replica);
        lastError = error;
      } finally {
        releaseSlot?.();
        this.release(replica);
      }
    }
  }

  /** The live, untried replica with the fewest requests outstanding that has room; waits for room. Undefined: none left. */
  private async acquire(tried: Set<Replica>, signal?: AbortSignal): Promise<Replica | undefined> {
    for (;;) {
      if (signal?.aborted) throw new CancelledError();
      const now = this.now();
      const candidates = this.replicas.filter((r) => !tried.has(r));
      // Set-aside replicas come back when their cool-down ends; if every untried one is set aside, try them anyway.
      const live = candidates.filter((r) => r.downUntil <= now);
      const pool = live.length > 0 ? live : candidates;
      if (pool.length === 0) return undefined;
      const free = pool.filter((r) => r.inFlight < this.options.perReplicaLimit);
      if (free.length > 0) {
        const best = free.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
        if (best.downUntil > now) this.revive(best);
        best.inFlight++;
        return best;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  private release(replica: Replica): void {
    replica.inFlight--;
    this.waiters.shift()?.();
  }

  private setAside(replica: Replica, reason: string): void {
    if (replica.downUntil > this.now()) return;
    replica.downUntil = this.now() + (this.options.cooldownMs ?? 10_000);
    this.options.log?.(`replica ${replica.url} is unreachable (${reason}); its requests go to the other replicas`);
    replica.down.abort(new ReplicaDown(reason));
    // Waiters may now pick another replica.
    for (const wake of this.waiters.splice(0)) wake();
  }

  private revive(replica: Replica): void {
    replica.downUntil = 0;
    replica.down = new AbortController();
  }
}

/** Connection-level failures (no HTTP answer): the replica, not the request, is at fault. */
function unreachable(error: unknown): boolean {
  return error instanceof EndpointError && error.details.status === undefined && error.details.retryable !== false;
}
