/** Small readers for the loosely typed JSON servers answer with. */

export function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function positiveOr(value: unknown): number | undefined {
  const n = numberOr(value);
  return n !== undefined && n > 0 ? n : undefined;
}

export function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** "qwen2.5-7b-instruct-q4_k_m.gguf" → "Q4_K_M"; also IQ3_XS, F16, BF16, Q8_0, AWQ, GPTQ, FP8. */
export function quantizationFrom(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const file = name.split(/[\\/]/).pop() ?? name;
  const match = /(?:^|[-_.])((?:I?Q\d(?:_[A-Z0-9]+)*)|BF16|F16|F32|FP8|AWQ|GPTQ|MXFP4)(?=[-_.]|$)/i.exec(file);
  return match ? match[1].toUpperCase() : undefined;
}

export function parameterSize(n: number | undefined): string | undefined {
  if (n === undefined || n <= 0) return undefined;
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : `${Math.round(n / 1e6)}M`;
}

/** Raw answers go into the run file: long strings (chat templates) are cut. */
export function trim(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > 300 ? `${value.slice(0, 300)}… (${value.length} chars)` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => trim(v, depth + 1));
  if (value && typeof value === 'object' && depth < 6) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trim(v, depth + 1)]));
  }
  return value;
}

/** Only the numeric fields among `keys`, renamed to EvalBench's names where `rename` says. */
export function pickNumbers(source: unknown, keys: readonly string[], rename: Record<string, string> = {}): Record<string, number> | undefined {
  if (!source || typeof source !== 'object') return undefined;
  const out: Record<string, number> = {};
  for (const key of keys) {
    const value = numberOr((source as Record<string, unknown>)[key]);
    if (value !== undefined) out[rename[key] ?? key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
