/**
 * Fast "is this n-gram in a profile, and which table row is it" lookup. Python asks
 * `w in word_lang_prob_map` with a string; building 3 strings per character and hashing them
 * was half of our detection time, so n-grams are looked up by small integer keys instead:
 * every character that occurs in some profile gets an id (1..K-1; 0 = in no profile, so any
 * n-gram containing it is unknown), a bigram is a*K+b, and a trigram is (number of its first
 * two characters as a trigram prefix)*K+c. With K = 2^15 every key is a V8 small integer.
 *
 * Profiles hold BMP characters only; an n-gram with a character outside the BMP is never
 * known here (Python would look it up and, with these profiles, not find it either).
 */

/** An NgramIndex's tables; keys and values of a map alternate in its Int32Array. */
export interface NgramIndexState {
  charIds: Uint16Array;
  unigrams: Int32Array;
  denseBigrams: Int32Array;
  denseTrigrams: Int32Array;
  bigrams: Int32Array;
  trigramPrefixes: Int32Array;
  trigrams: Int32Array;
  nextId: number;
  rowCount: number;
}

function mapPairs(map: Map<number, number>): Int32Array {
  const pairs = new Int32Array(map.size * 2);
  let i = 0;
  for (const [key, value] of map) {
    pairs[i++] = key;
    pairs[i++] = value;
  }
  return pairs;
}

function fillMap(map: Map<number, number>, pairs: Int32Array): void {
  for (let i = 0; i < pairs.length; i += 2) map.set(pairs[i], pairs[i + 1]);
}

const UNKNOWN = 0;
const K = 1 << 15;
/**
 * Characters with ids below DENSE (space and the ASCII letters first) also get flat lookup
 * tables: most text is Latin, and an array read beats a Map probe in the hot loop.
 */
const DENSE = 64;
const DENSE_FIRST = ' abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export class NgramIndex {
  /** Character id by BMP code point. */
  private readonly charIds = new Uint16Array(0x10000);
  private nextId = 1;
  private readonly unigrams = new Int32Array(K).fill(-1);
  private readonly bigrams = new Map<number, number>();
  private readonly trigramPrefixes = new Map<number, number>();
  private readonly trigrams = new Map<number, number>();
  private readonly denseBigrams = new Int32Array(DENSE * DENSE).fill(-1);
  private readonly denseTrigrams = new Int32Array(DENSE * DENSE * DENSE).fill(-1);
  private rowCount = 0;

  constructor(state?: NgramIndexState) {
    if (!state) {
      for (const ch of DENSE_FIRST) this.charIds[ch.charCodeAt(0)] = this.nextId++;
      return;
    }
    // A saved index (modelSnapshot.ts): the same tables, without interning every profile n-gram again.
    this.charIds.set(state.charIds);
    this.unigrams.set(state.unigrams);
    this.denseBigrams.set(state.denseBigrams);
    this.denseTrigrams.set(state.denseTrigrams);
    fillMap(this.bigrams, state.bigrams);
    fillMap(this.trigramPrefixes, state.trigramPrefixes);
    fillMap(this.trigrams, state.trigrams);
    this.nextId = state.nextId;
    this.rowCount = state.rowCount;
  }

  /** Everything the index holds, as flat arrays (maps as key, value pairs), to be saved and given back to the constructor. */
  exportState(): NgramIndexState {
    return {
      charIds: this.charIds,
      unigrams: this.unigrams,
      denseBigrams: this.denseBigrams,
      denseTrigrams: this.denseTrigrams,
      bigrams: mapPairs(this.bigrams),
      trigramPrefixes: mapPairs(this.trigramPrefixes),
      trigrams: mapPairs(this.trigrams),
      nextId: this.nextId,
      rowCount: this.rowCount,
    };
  }

  /** Number of rows handed out by `intern`. */
  get size(): number {
    return this.rowCount;
  }

  /**
   * The row of a profile n-gram, numbered in first-seen order (as Python fills its dict), or -1
   * for a word that detection can never look up (empty, longer than 3, outside the BMP).
   */
  intern(word: string): number {
    const n = word.length;
    if (n === 0 || n > 3) return -1;
    for (let i = 0; i < n; i++) if ((word.charCodeAt(i) & 0xf800) === 0xd800) return -1; // surrogate
    const a = this.idFor(word.charCodeAt(0));
    if (word.length === 1) {
      if (this.unigrams[a] < 0) this.unigrams[a] = this.rowCount++;
      return this.unigrams[a];
    }
    const b = this.idFor(word.charCodeAt(1));
    if (word.length === 2) {
      let row = this.bigrams.get(a * K + b);
      if (row === undefined) {
        this.bigrams.set(a * K + b, (row = this.rowCount++));
        if (a < DENSE && b < DENSE) this.denseBigrams[a * DENSE + b] = row;
      }
      return row;
    }
    const c = this.idFor(word.charCodeAt(2));
    let prefix = this.trigramPrefixes.get(a * K + b);
    if (prefix === undefined) {
      if (this.trigramPrefixes.size >= K) throw new RangeError('langdetect profiles have too many trigram prefixes for NgramIndex');
      this.trigramPrefixes.set(a * K + b, (prefix = this.trigramPrefixes.size));
    }
    let row = this.trigrams.get(prefix * K + c);
    if (row === undefined) {
      this.trigrams.set(prefix * K + c, (row = this.rowCount++));
      if (a < DENSE && b < DENSE && c < DENSE) this.denseTrigrams[(a * DENSE + b) * DENSE + c] = row;
    }
    return row;
  }

  private idFor(cp: number): number {
    let id = this.charIds[cp];
    if (id === UNKNOWN) {
      if (this.nextId >= K) throw new RangeError('langdetect profiles use too many distinct characters for NgramIndex');
      this.charIds[cp] = id = this.nextId++;
    }
    return id;
  }

  charId(cp: number): number {
    return cp <= 0xffff ? this.charIds[cp] : UNKNOWN;
  }

  /** Table row of a 1-gram, or -1. */
  unigram(a: number): number {
    return a === UNKNOWN ? -1 : this.unigrams[a];
  }

  bigram(a: number, b: number): number {
    // Id 0 (unknown) has no dense entries, so the dense tables answer -1 for it by themselves.
    if (a < DENSE && b < DENSE) return this.denseBigrams[a * DENSE + b];
    if (a === UNKNOWN || b === UNKNOWN) return -1;
    return this.bigrams.get(a * K + b) ?? -1;
  }

  trigram(a: number, b: number, c: number): number {
    if (a < DENSE && b < DENSE && c < DENSE) return this.denseTrigrams[(a * DENSE + b) * DENSE + c];
    if (a === UNKNOWN || b === UNKNOWN || c === UNKNOWN) return -1;
    const prefix = this.trigramPrefixes.get(a * K + b);
    return prefix === undefined ? -1 : (this.trigrams.get(prefix * K + c) ?? -1);
  }

  /** Row of an n-gram given as a string (tests, explanations), or -1. */
  rowOf(gram: string): number {
    const ids = [...gram].map((ch) => this.charId(ch.codePointAt(0)!));
    if (ids.length === 1) return this.unigram(ids[0]);
    if (ids.length === 2) return this.bigram(ids[0], ids[1]);
    if (ids.length === 3) return this.trigram(ids[0], ids[1], ids[2]);
    return -1;
  }
}
