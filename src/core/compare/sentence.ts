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

/** "1.2–5.0" for a positive range, "−0.5 to 2.5" when a bound is negative (a dash would read as minus). */
function range(lo: number, hi: number): string {
  const l = formatPoints(lo);
  const h = formatPoints(hi);
  return lo < 0 || hi < 0 ? `${l} to ${h}` : `${l}–${h}`;
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
 * "B is 3.1 points worse than A on prompt-level strict accuracy (71.2% → 68.1%), 95% CI 1.2–5.0,
 * p = 0.002 (exact McNemar, 541 paired prompts): unlikely to be chance." The interval is given in the
 * direction of the change, so "worse by 1.2–5.0" reads the way it is said.
 */
export function describeDifference(m: SentenceInput): string {
  const hasCi = Number.isFinite(m.ci.lo) && Number.isFinite(m.ci.hi);
  const level = `${Math.round(m.ci.confidence * 100)}% CI`;
  const evidence = Number.isFinite(m.pValue) ? `${formatPValue(m.pValue)} (${m.test}, ${m.n} paired ${m.unit})` : `no significance test (${m.n} paired ${m.unit})`;
  const what = m.label.charAt(0).toLowerCase() + m.label.slice(1);
  const verdict = m.withheld
    ? `not called significant: ${m.withheld}`
    : m.significant ? 'unlikely to be chance' : `could be chance (not significant at the ${Math.round((1 - m.ci.confidence) * 100)}% level)`;
  const points = Math.abs(m.delta * 100).toFixed(1);
  if (points === '0.0') {
    const interval = hasCi ? `${level} of B − A ${range(m.ci.lo, m.ci.hi)} points, ` : '';
    return `A and B are level on ${what} (${formatPercent(m.a)} vs ${formatPercent(m.b)}), ${interval}${evidence}.`;
  }
  const worse = m.delta < 0;
  const [lo, hi] = worse ? [-m.ci.hi, -m.ci.lo] : [m.ci.lo, m.ci.hi];
  // An interval that crosses zero says "from better to worse" in words: "worse, 95% CI −8.3 to 41.7" reads oddly.
  const direction = worse ? 'worse' : 'better';
  const opposite = worse ? 'better' : 'worse';
  const bounds = lo < 0 ? `from ${formatPoints(-lo).replace('−', '')} ${opposite} to ${formatPoints(hi)} ${direction}` : range(lo, hi);
  const interval = hasCi ? `${level} ${bounds}, ` : '';
  const ending = Number.isFinite(m.pValue) ? `: ${verdict}.` : '.';
  return `B is ${points} points ${worse ? 'worse' : 'better'} than A on ${what} (${formatPercent(m.a)} → ${formatPercent(m.b)}), ${interval}${evidence}${ending}`;
}
