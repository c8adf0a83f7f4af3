/** Comparison results in plain words. */

export function formatPercent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/** Points on a 0–100 scale, with a real minus sign. */
export function formatPoints(value: number, digits = 1): string {
  const text = (value * 100).toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits); // no "−0.0"
  return text.startsWith('-') ? `−${text.slice(1)}` : text;
}

export function formatPValue(p: number): string {
  if (Number.isNaN(p)) return 'p = n/a';
  if (p < 0.001) return 'p < 0.001';
  if (p < 0.01) return `p = ${p.toFixed(3)}`;
  if (p >= 0.995) return 'p = 1';
  return `p = ${p.toFixed(2)}`;
}

/** A B − A interval, signed, as the comparison table shows it: "−43.3 to −10.0". */
export function formatInterval(lo: number, hi: number): string {
  return `${formatPoints(lo)} to ${formatPoints(hi)}`;
}

export interface SentenceInput {
  label: string;
  a: number;
  b: number;
  delta: number;
  ci: { lo: number; hi: number; confidence: number };
  pValue: number;
  test: string;
  n: number;
  unit: string;
  significant: boolean;
  /** Why significance is not claimed at all (the runs' failures differ). */
  withheld?: string;
}

/**
 * "B is 3.1 points worse than A on prompt-level strict accuracy (71.2% → 68.1%), 95% CI of B − A
 * −5.0 to −1.2 points, p = 0.002 (exact McNemar, 541 paired prompts): unlikely to be chance." The
 * interval is always B − A with its sign, exactly as the table shows it, so the two never disagree.
 */
export function describeDifference(m: SentenceInput): string {
  const hasCi = Number.isFinite(m.ci.lo) && Number.isFinite(m.ci.hi);
  const level = `${Math.round(m.ci.confidence * 100)}% CI`;
  const interval = hasCi ? `${level} of B − A ${formatInterval(m.ci.lo, m.ci.hi)} points, ` : '';
  const evidence = Number.isFinite(m.pValue) ? `${formatPValue(m.pValue)} (${m.test}, ${m.n} paired ${m.unit})` : `no significance test (${m.n} paired ${m.unit})`;
  const what = m.label.charAt(0).toLowerCase() + m.label.slice(1);
  const verdict = m.withheld
    ? `not called significant: ${m.withheld}`
    : m.significant ? 'unlikely to be chance' : `could be chance (not significant at the ${Math.round((1 - m.ci.confidence) * 100)}% level)`;
  const points = Math.abs(m.delta * 100).toFixed(1);
  if (points === '0.0') return `A and B are level on ${what} (${formatPercent(m.a)} vs ${formatPercent(m.b)}), ${interval}${evidence}.`;
  const ending = Number.isFinite(m.pValue) ? `: ${verdict}.` : '.';
  return `B is ${points} points ${m.delta < 0 ? 'worse' : 'better'} than A on ${what} (${formatPercent(m.a)} → ${formatPercent(m.b)}), ${interval}${evidence}${ending}`;
}
