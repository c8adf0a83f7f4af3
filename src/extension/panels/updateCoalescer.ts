/**
 * Coalesces a fast stream of row changes and progress snapshots into a few messages a second: only the
 * latest version of each row and the latest progress are kept until the next flush (gitlens's "keep only
 * the latest of each kind"). Timer functions are injectable so tests drive time by hand.
 */
import type { ItemRow, ProgressView, RunUpdate } from '../../shared/webviewProtocol';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class UpdateCoalescer {
  private readonly rows = new Map<string, ItemRow>();
  private progress: ProgressView | undefined;
  private progressChanged = false;
  private timer: unknown;
  private paused = true;

  constructor(
    private readonly send: (update: RunUpdate) => void,
    private readonly intervalMs = 250,
    private readonly timers: Timers = realTimers,
  ) {}

  /** While paused (the webview is not ready) updates only accumulate. */
  pause(): void {
    this.paused = true;
    this.cancelTimer();
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Forget the rows that accumulated (a fresh snapshot was just sent); keep the latest progress. */
  clear(): void {
    this.rows.clear();
    this.progressChanged = false;
    this.cancelTimer();
  }

  addRow(row: ItemRow): void {
    this.rows.set(row.key, row);
    this.schedule();
  }

  setProgress(progress: ProgressView): void {
    this.progress = progress;
    this.progressChanged = true;
    this.schedule();
  }

  /** Send what is pending now (the run's last snapshot should not wait for the timer). */
  flush(): void {
    this.cancelTimer();
    if (this.paused || !this.progress || (!this.progressChanged && this.rows.size === 0)) return;
    const update: RunUpdate = { progress: this.progress, rows: [...this.rows.values()] };
    this.rows.clear();
    this.progressChanged = false;
    this.send(update);
  }

  dispose(): void {
    this.cancelTimer();
    this.rows.clear();
  }

  private schedule(): void {
    if (this.paused || this.timer !== undefined) return;
    if (!this.progressChanged && this.rows.size === 0) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.intervalMs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
