/**
 * Drift between two runs of the same items, beyond pass rates: how far a quantized model's replies moved from
 * the full model's. Meaningful with greedy sampling (temperature 0), where the same model gives the same text:
 * any difference is then the model's (or the server's), not the dice's.
 *
 * Compared per item on sample 0 where both runs have a reply (failed requests are not replies and are counted
 * apart). Edit distance is Levenshtein over UTF-16 code units, normalised by the longer reply. The logprob
 * figure is the mean |logprob_A − logprob_B| of the chosen token over the tokens both replies share from the
 * start (after the first differing token the contexts differ and the figures no longer pair up).
 */
import { distance } from 'fastest-levenshtein';
import type { TokenLogprobs } from '../endpoint/types';
import type { SampleRecord } from '../storage/types';
import { mean, quantile } from '../stats/quantile';
import type { RunData } from './runData';

export interface ItemDrift {
  itemId: string;
  identical: boolean;
  /** Levenshtein distance / length of the longer reply: 0 identical … 1 nothing in common. */
  editDistance: number;
  /** 0-based index of the first differing character; absent when identical. */
  firstDifferentChar?: number;
  /** 0-based index of the first differing token, when both replies carry tokens; absent when they agree throughout. */
  firstDifferentToken?: number;
  /** The text around the first difference in each reply, for lists (the diff view shows the whole). */
  aExcerpt?: string;
  bExcerpt?: string;
  /** Mean |Δ logprob| over the common token prefix, when both carry logprobs and share at least one token. */
  meanAbsLogprobDiff?: number;
  commonPrefixTokens?: number;
}

export interface DriftReport {
  /** Items whose sample 0 got a reply in both runs: the denominator of every figure below. */
  compared: number;
  /** Items left out because a side has no reply (request failed, pending). */
  missing: { a: number; b: number };
  identical: number;
  identicalShare: number;
  medianEditDistance: number;
  meanEditDistance: number;
  /** Median first differing character over the items that differ. */
  medianFirstDifferentChar?: number;
  /** The items that diverge earliest (by first differing character), at most `earliestCount`. */
  earliest: ItemDrift[];
  /** Present only when both runs stored logprobs for at least one compared item. */
  logprobs?: {
    /** Items with logprobs on both sides and a common token prefix. */
    items: number;
    /** Token pairs the mean is over. */
    tokens: number;
    /** Token-weighted mean |logprob_A − logprob_B| over the common prefixes. */
    meanAbsDiff: number;
  };
  /** False when either run sampled with temperature > 0: differences then include sampling noise. */
  greedy: boolean;
  items: ItemDrift[];
}

export interface DriftOptions {
  earliestCount?: number;
  /** Characters of context on each side of the first difference in the excerpts. */
  excerptChars?: number;
}

export function computeDrift(a: RunData, b: RunData, options: DriftOptions = {}): DriftReport {
  const earliestCount = options.earliestCount ?? 10;
  const excerptChars = options.excerptChars ?? 40;
  const repliesA = firstReplies(a.samples);
  const repliesB = firstReplies(b.samples);
  // Item order: A's, then any item only B has.
  const ids = [...new Set([...sortedIds(a), ...repliesA.keys(), ...sortedIds(b), ...repliesB.keys()])];
  const items: ItemDrift[] = [];
  const missing = { a: 0, b: 0 };
  for (const id of ids) {
    const sa = repliesA.get(id);
    const sb = repliesB.get(id);
    if (sa && sb) items.push(itemDrift(id, sa, sb, excerptChars));
    else {
      if (!sa) missing.a++;
      if (!sb) missing.b++;
    }
  }
  const identical = items.filter((d) => d.identical).length;
  const distances = items.map((d) => d.editDistance);
  const firstChars = items.filter((d) => !d.identical).map((d) => d.firstDifferentChar!);
  const withLogprobs = items.filter((d) => d.meanAbsLogprobDiff !== undefined);
  const tokens = withLogprobs.reduce((sum, d) => sum + d.commonPrefixTokens!, 0);
  const report: DriftReport = {
    compared: items.length,
    missing,
    identical,
    identicalShare: items.length ? identical / items.length : NaN,
    medianEditDistance: quantile(distances, 0.5),
    meanEditDistance: mean(distances),
    earliest: items
      .filter((d) => !d.identical)
      .sort((x, y) => x.firstDifferentChar! - y.firstDifferentChar! || y.editDistance - x.editDistance)
      .slice(0, earliestCount),
    greedy: a.run.config.sampling.temperature === 0 && b.run.config.sampling.temperature === 0,
    items,
  };
  if (firstChars.length) report.medianFirstDifferentChar = quantile(firstChars, 0.5);
  if (withLogprobs.length && tokens > 0) {
    const sum = withLogprobs.reduce((s, d) => s + d.meanAbsLogprobDiff! * d.commonPrefixTokens!, 0);
    report.logprobs = { items: withLogprobs.length, tokens, meanAbsDiff: sum / tokens };
  }
  return report;
}

/** Drift of one item's two replies. */
export function itemDrift(itemId: string, a: SampleRecord, b: SampleRecord, excerptChars = 40): ItemDrift {
  const ta = a.response ?? '';
  const tb = b.response ?? '';
  const identical = ta === tb;
  const longer = Math.max(ta.length, tb.length);
  const drift: ItemDrift = { itemId, identical, editDistance: identical || longer === 0 ? 0 : distance(ta, tb) / longer };
  if (!identical) {
    const at = commonPrefixLength(ta, tb);
    drift.firstDifferentChar = at;
    drift.aExcerpt = excerpt(ta, at, excerptChars);
    drift.bExcerpt = excerpt(tb, at, excerptChars);
  }
  if (a.logprobs && b.logprobs) {
    const shared = commonTokenPrefix(a.logprobs, b.logprobs);
    const shorter = Math.min(a.logprobs.tokens.length, b.logprobs.tokens.length);
    const longerTokens = Math.max(a.logprobs.tokens.length, b.logprobs.tokens.length);
    if (shared < shorter || (shared === shorter && shorter < longerTokens)) drift.firstDifferentToken = shared;
    if (shared > 0) {
      let sum = 0;
      for (let i = 0; i < shared; i++) sum += Math.abs(a.logprobs.logprobs[i] - b.logprobs.logprobs[i]);
      drift.meanAbsLogprobDiff = sum / shared;
      drift.commonPrefixTokens = shared;
    }
  }
  return drift;
}

function sortedIds(data: RunData): string[] {
  return [...data.items].sort((x, y) => x.index - y.index).map((item) => item.id);
}

/** Sample 0 of each item, when it is a reply (status done). */
function firstReplies(samples: SampleRecord[]): Map<string, SampleRecord> {
  const out = new Map<string, SampleRecord>();
  for (const s of samples) if (s.sampleIndex === 0 && s.status === 'done') out.set(s.itemId, s);
  return out;
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonTokenPrefix(a: TokenLogprobs, b: TokenLogprobs): number {
  const n = Math.min(a.tokens.length, b.tokens.length, a.logprobs.length, b.logprobs.length);
  let i = 0;
  while (i < n && a.tokens[i] === b.tokens[i]) i++;
  return i;
}

function excerpt(text: string, at: number, chars: number): string {
  const start = Math.max(0, at - chars);
  const end = Math.min(text.length, at + chars);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
