/**
 * Exact McNemar test for paired binary outcomes. Only discordant pairs carry information: b items
 * passed in A and failed in B, c the reverse. Under H0 (no difference) b ~ Binomial(b + c, 1/2), so the
 * two-sided p-value is 2·P(X ≤ min(b, c)), capped at 1 (the conditional exact test, as R's
 * binom.test(b, b + c) and statsmodels' mcnemar(exact=True) compute it). The mid-p variant subtracts
 * half the probability of the observed value, which is less conservative (Fagerland et al. 2013).
 */
export interface McNemarResult {
  /** Discordant pairs: passed in A, wrong in B. */
  b: number;
  /** Discordant pairs: wrong in A, passed in B. */
  c: number;
  /** Two-sided exact p-value. */
  pValue: number;
  /** Two-sided mid-p value. */
  midPValue: number;
}

/** ln C(n, k) through a running sum of logs, exact enough (relative 1e-13) for n up to millions. */
function logBinomialPmfHalf(n: number, k: number, logFactorials: Float64Array): number {
  return logFactorials[n] - logFactorials[k] - logFactorials[n - k] - n * Math.LN2;
}

function logFactorialTable(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) table[i] = table[i - 1] + Math.log(i);
  return table;
}

/** P(X ≤ m) for X ~ Binomial(n, 1/2), summed in log space so that n in the tens of thousands does not underflow. */
export function binomialHalfCdf(m: number, n: number): number {
  if (m < 0) return 0;
  if (m >= n) return 1;
  const logFactorials = logFactorialTable(n);
  // log-sum-exp around the largest term: the pmf rises up to n/2, so for m < n/2 that is the term at m.
  let maxLog = -Infinity;
  for (let k = 0; k <= m; k++) maxLog = Math.max(maxLog, logBinomialPmfHalf(n, k, logFactorials));
  let sum = 0;
  for (let k = 0; k <= m; k++) sum += Math.exp(logBinomialPmfHalf(n, k, logFactorials) - maxLog);
  return Math.min(1, Math.exp(Math.log(sum) + maxLog));
}

export function exactMcNemar(b: number, c: number): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new RangeError(`McNemar counts must be whole numbers ≥ 0; got b=${b}, c=${c}`);
  const n = b + c;
  if (n === 0) return { b, c, pValue: 1, midPValue: 1 };
  const m = Math.min(b, c);
  const tail = binomialHalfCdf(m, n);
  const pointMass = Math.exp(logBinomialPmfHalf(n, m, logFactorialTable(n)));
  const pValue = Math.min(1, 2 * tail);
  const midPValue = Math.min(1, 2 * tail - pointMass);
  return { b, c, pValue, midPValue };
}
