/**
 * How many runs of a process may run at once (evalbench.maxConcurrentRuns); the others wait, in the order
 * they were started, with the status "queued" — so a matrix of many runs does not open them all at once.
 */
export class RunSlots {
  private running = 0;
  private readonly queue: { grant: (release: () => void) => void; refuse: (error: unknown) => void }[] = [];

  constructor(private max: number) {}

  setMax(max: number): void {
    this.max = Math.max(1, Math.floor(max));
    this.grantFree();
  }

  /** Resolves with a release function once the run may start; rejects with the signal's reason if aborted while queued. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.running < this.max && this.queue.length === 0) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal!.reason);
      };
      const entry = {
        grant: (release: () => void) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        refuse: reject,
      };
      this.queue.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private take(): () => void {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.grantFree();
    };
  }

  private grantFree(): void {
    while (this.running < this.max && this.queue.length > 0) this.queue.shift()!.grant(this.take());
  }
}

/** Runs beyond this many wait unless a front end sets its own limit (the extension's setting). */
export const DEFAULT_MAX_CONCURRENT_RUNS = 4;

export const processRunSlots = new RunSlots(DEFAULT_MAX_CONCURRENT_RUNS);
