/**
 * Spaces a repeated piece of work by what it last cost: after a run that took c ms, the next one is
 * due only once `factor × c` ms have passed, so the work takes at most about 1/factor of the thread
 * however large its input grows. Live metrics use it: they re-aggregate every judged sample, a cost
 * that grows with the run (7–20 ms at 20,000 samples), while progress ticks every 250 ms.
 * The clock is injectable so tests drive time by hand.
 */
export class CostSpacing {
  private lastEnd = -Infinity;
  private lastCostMs = 0;

  constructor(
    private readonly factor = 20,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether the work is due now. */
  due(): boolean {
    return this.now() - this.lastEnd >= this.factor * this.lastCostMs;
  }

  /** Runs the work and remembers what it cost. */
  run<T>(work: () => T): T {
    const start = this.now();
    try {
      return work();
    } finally {
      this.lastEnd = this.now();
      this.lastCostMs = this.lastEnd - start;
    }
  }
}
