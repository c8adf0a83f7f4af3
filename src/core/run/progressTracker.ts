/** Counts, rate and ETA of a run; the rate is over a sliding window so it follows the server's real pace. */
import type { MetricValue } from '../benchmarks/types';
import { finishedCount, type OutcomeCounts, type SampleOutcome } from '../outcome';
import type { RunStatus } from '../storage/types';
import type { RunProgress } from './types';

const RATE_WINDOW_MS = 15_000;

export class ProgressTracker {
  private readonly counts: OutcomeCounts;
  private inFlight = 0;
  private finishTimes: number[] = [];
  status: RunStatus = 'running';
  metrics: MetricValue[] = [];

  constructor(
    readonly runId: string,
    /** Outcomes already on disk that this execution will not redo; `total` is the whole run. */
    already: OutcomeCounts,
    private readonly startedAt = new Date().toISOString(),
    private readonly now: () => number = Date.now,
  ) {
    this.counts = { ...already };
  }

  get total(): number {
    return this.counts.total;
  }

  started(): void {
    this.inFlight++;
  }

  /** A sample got its final outcome (never 'pending': an abandoned sample goes through `abandoned`). */
  finished(outcome: Exclude<SampleOutcome, 'pending'>): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.counts[outcome]++;
    this.counts.pending = Math.max(0, this.counts.pending - 1);
    const t = this.now();
    this.finishTimes.push(t);
    if (this.finishTimes.length > 4096) this.finishTimes = this.finishTimes.slice(-2048);
  }

  /** A sample was abandoned (cancel) without a result. */
  abandoned(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  snapshot(): RunProgress {
    const now = this.now();
    const cutoff = now - RATE_WINDOW_MS;
    let first = this.finishTimes.length;
    while (first > 0 && this.finishTimes[first - 1] >= cutoff) first--;
    const recent = this.finishTimes.length - first;
    const windowStart = recent > 0 ? Math.max(cutoff, Math.min(this.finishTimes[first], now - 1000)) : now;
    const seconds = Math.max(1, now - windowStart) / 1000;
    const itemsPerSecond = recent / seconds;
    const remaining = Math.max(0, this.total - finishedCount(this.counts));
    return {
      runId: this.runId,
      status: this.status,
      total: this.total,
      counts: { ...this.counts },
      inFlight: this.inFlight,
      itemsPerSecond,
      etaSeconds: remaining === 0 ? 0 : itemsPerSecond > 0 ? remaining / itemsPerSecond : undefined,
      metrics: this.metrics,
      startedAt: this.startedAt,
    };
  }
}
