/** Progress in words for notifications and the status bar. Pure (no `vscode`). */
import { errorCount, errorText, finishedCount, judgedCount } from '../../core/outcome';
import type { RunProgress } from '../../core/run/types';
import { formatMetricValue } from '../panels/runViewModel';

/** "120/541 · 2 request failures · prompt_strict 72.4% of 118 judged · ETA 3m 10s"; a metric over nothing judged is left out. */
export function progressMessage(p: RunProgress): string {
  const parts = [`${finishedCount(p.counts)}/${p.total}`];
  if (errorCount(p.counts)) parts.push(errorText(p.counts));
  if (p.metrics[0] && p.metrics[0].n > 0) parts.push(`${p.metrics[0].name} ${formatMetricValue(p.metrics[0].value)} of ${judgedCount(p.counts)} judged`);
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return parts.join(' · ');
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
