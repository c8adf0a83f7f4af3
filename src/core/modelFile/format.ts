/** Model file facts as people read them: sizes, parameter counts, the one-line description. No I/O. */
import type { ModelFileFacts } from './types';

/** "Q4_K_M, 4.1 GB" — what the comparison header shows for one model. */
export function describeModelFile(facts: Pick<ModelFileFacts, 'quantization' | 'sizeBytes'>): string {
  return `${facts.quantization}, ${formatBytes(facts.sizeBytes)}`;
}

/** Decimal units, as model cards and `ls -h --si` give them (a "7B Q4_K_M is 4.1 GB"). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** "7.6B", "494M", "1.2K": parameter counts as model names spell them. */
export function formatParameterCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${Math.round(count / 1e6)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(1)}K`;
  return String(count);
}
