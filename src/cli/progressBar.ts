/** The run's progress on the terminal: one redrawn line on a TTY, a line every 10% otherwise. */
import type { RunProgress } from '../core/run/types';
import { errorCount, finishedCount, judgedCount } from '../core/outcome';
import { formatDuration, formatMetric } from './format';

export class ProgressBar {
  private lastDecile = -1;

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, private readonly label: string) {}

  update(p: RunProgress): void {
    const finished = finishedCount(p.counts);
    const fraction = p.total === 0 ? 1 : finished / p.total;
    const metric = p.metrics[0] ? ` ${p.metrics[0].name} ${formatMetric(p.metrics[0])} of ${judgedCount(p.counts)} judged` : '';
    const stats = `${finished}/${p.total} judged ${judgedCount(p.counts)} errors ${errorCount(p.counts)} in flight ${p.inFlight} ${p.itemsPerSecond.toFixed(1)}/s ETA ${formatDuration(p.etaSeconds)}${metric}`;
    if (this.stream.isTTY) {
      const width = 24;
      const filled = Math.round(fraction * width);
      const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${stats}`;
      const columns = this.stream.columns ?? 120;
      this.stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`${this.label} ${stats}\n`);
      }
    }
  }

  end(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
