/** Text for drift between a baseline run and another (compare-models). */
import type { DriftReport } from '../core/compare/drift';
import { table } from './format';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '--');

export function formatDrift(d: DriftReport, options: { earliest?: number } = {}): string {
  const lines: string[] = [];
  lines.push(`drift (sample 0 of the ${d.compared} items both answered${d.missing.a || d.missing.b ? `; left out: ${d.missing.a} without a reply in A, ${d.missing.b} in B` : ''}):`);
  if (!d.greedy) lines.push('  ! a run sampled with temperature > 0: differences include sampling noise, not only the models');
  if (d.compared === 0) return [...lines, '  nothing to compare'].join('\n');
  lines.push(`  identical replies      ${d.identical} of ${d.compared} (${pct(d.identicalShare)})`);
  lines.push(`  edit distance          median ${pct(d.medianEditDistance)}, mean ${pct(d.meanEditDistance)} of the longer reply`);
  if (d.medianFirstDifferentChar !== undefined) lines.push(`  first difference       median at character ${d.medianFirstDifferentChar} (over the ${d.compared - d.identical} that differ)`);
  if (d.logprobs) {
    lines.push(`  |Δ logprob|            mean ${d.logprobs.meanAbsDiff.toFixed(4)} nats per token over the common prefix (${d.logprobs.tokens} tokens, ${d.logprobs.items} items)`);
  } else {
    lines.push('  |Δ logprob|            -- (logprobs not stored by both runs)');
  }
  const earliest = d.earliest.slice(0, options.earliest ?? 5);
  if (earliest.length > 0) {
    lines.push('', `  earliest divergence (${earliest.length} of ${d.compared - d.identical}):`);
    lines.push(table(['item', 'char', 'token', 'edit', 'A', 'B'], earliest.map((e) => [
      e.itemId, String(e.firstDifferentChar), e.firstDifferentToken === undefined ? '--' : String(e.firstDifferentToken), pct(e.editDistance),
      JSON.stringify(e.aExcerpt ?? ''), JSON.stringify(e.bExcerpt ?? ''),
    ])).replace(/^/gm, '  '));
  }
  return lines.join('\n');
}
