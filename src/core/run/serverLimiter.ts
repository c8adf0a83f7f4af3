/**
 * One limiter per model server (per base URL, so each replica of an endpoint has its own), shared by every
 * run of the process: the CLI's matrix runs, or every run the extension host starts. The server's slots
 * are the most requests ever in flight to it, whatever the number of runs; a freed slot goes to the
 * waiting run with the fewest requests in flight, so runs sharing a server split it fairly.
 */
import { normalizeBaseUrl } from '../endpoint/baseUrl';

/** A run's handle on its server's limiter. */
export interface ServerLease {
  /** Resolves with a release function once a slot is free; rejects with the signal's reason if aborted first. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** The run is finished with this server. */
  dispose(): void;
}

interface Waiter {
  grant: (release: () => void) => void;
  refuse: (error: Error) => void;
}

interface RunShare {
  inFlight: number;
  waiting: Waiter[];
}

export class ServerLimiter {
  private inFlight = 0;
  private readonly runs = new Set<RunShare>();

  constructor(
    readonly key: string,
    private slots: number,
  ) {}

  get capacity(): number {
    return this.slots;
  }

  get active(): number {
    return this.inFlight;
  }

  /** The server's slots (from its /props, or the concurrency setting) as last reported. */
  setCapacity(slots: number): void {
    this.slots = Math.max(1, Math.floor(slots));
    this.grantFree();
  }

  join(): ServerLease {
    const share: RunShare = { inFlight: 0, waiting: [] };
    this.runs.add(share);
    return {
      acquire: (signal) => this.acquire(share, signal),
      dispose: () => {
        this.runs.delete(share);
        for (const waiter of share.waiting.splice(0)) waiter.refuse(new Error('the run finished'));
      },
    };
  }

  private acquire(share: RunShare, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.inFlight < this.slots && !this.anyWaiting()) return Promise.resolve(this.take(share));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = share.waiting.indexOf(waiter);
        if (i >= 0) share.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        refuse: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      share.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private take(share: RunShare): () => void {
    this.inFlight++;
    share.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      share.inFlight--;
      this.grantFree();
    };
  }

  private anyWaiting(): boolean {
    for (const run of this.runs) if (run.waiting.length > 0) return true;
    return false;
  }

  /** Free slots go, one at a time, to the waiting run with the fewest requests in flight. */
  private grantFree(): void {
    while (this.inFlight < this.slots) {
      let pick: RunShare | undefined;
      for (const run of this.runs) if (run.waiting.length > 0 && (!pick || run.inFlight < pick.inFlight)) pick = run;
      if (!pick) return;
      const waiter = pick.waiting.shift()!;
      waiter.grant(this.take(pick));
    }
  }
}

/** The limiters of one process, by server. */
export class ServerLimiters {
  private readonly byServer = new Map<string, ServerLimiter>();

  /** The limiter of the server at `baseUrl`, created with `slots`, or updated to them when given again. */
  forServer(baseUrl: string, slots: number): ServerLimiter {
    const key = serverKey(baseUrl);
    let limiter = this.byServer.get(key);
    if (!limiter) this.byServer.set(key, (limiter = new ServerLimiter(key, Math.max(1, Math.floor(slots)))));
    else limiter.setCapacity(slots);
    return limiter;
  }
}

function serverKey(baseUrl: string): string {
  try {
    return normalizeBaseUrl(baseUrl).apiBase;
  } catch {
    return baseUrl;
  }
}

/** Every run manager of the process shares these unless given its own (tests). */
export const processServerLimiters = new ServerLimiters();
