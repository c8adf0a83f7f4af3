/**
 * Reading a final answer out of a GSM8K solution, in the two ways lm-evaluation-harness reports:
 *  - strict: the number right after an answer marker ("The answer is", the dataset's own "####");
 *  - flexible: the last number anywhere in the reply.
 * Numbers are normalised before comparing (thousands commas, "$", a trailing "." or ".0", units and
 * "%" after the number), then compared as numbers, so "$1,200.00" equals the reference "1200".
 * Pure functions; every result says what was read from where, for the explanation.
 */

/** The markers strict extraction looks for by default: our prompts' "The answer is N" and GSM8K's "#### N". */
export const DEFAULT_ANSWER_MARKERS = ['The answer is', '####'] as const;

/**
 * A number as written in a reply: optional sign (not a hyphen between two numbers, "16-3"), optional "$",
 * digits with or without thousands commas, optional decimals. A sentence's full stop is never taken
 * because decimals need a digit after the point.
 */
const NUMBER_SOURCE = String.raw`(?:(?<![\w)\]])-)?(?:\$\s?)?(?:(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+)`;
const NUMBER = new RegExp(NUMBER_SOURCE, 'g');
/** What may sit between a marker and its number: spaces, ":", "=", markdown bold, LaTeX \boxed{ or \( ("$" belongs to the number). */
const MARKER_GAP = String.raw`[\s:=*]*(?:\\boxed\{|\\\(|\\\[)?[\s*]*`;

export interface ExtractedAnswer {
  /** The text as found ("$1,200.00"). */
  raw: string;
  /** Normalised decimal string ("1200"). */
  normalized: string;
  value: number;
  /** Character offset in the reply and 1-based line, for the explanation. */
  index: number;
  line: number;
  /** The marker it followed (strict only). */
  marker?: string;
}

/** Normalise a number as written: drop "$", commas and spaces, a trailing "." and trailing zero decimals. */
export function normalizeNumber(raw: string): string | undefined {
  let text = raw.replace(/[$,\s]/g, '').replace(/\.$/, '');
  if (!/^-?(?:\d+(?:\.\d+)?|\.\d+)$/.test(text)) return undefined;
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  if (text.startsWith('-')) text = `-${text.slice(1).replace(/^0+(?=\d)/, '')}`;
  else text = text.replace(/^0+(?=\d)/, '');
  if (text.startsWith('.')) text = `0${text}`;
  if (text.startsWith('-.')) text = `-0${text.slice(1)}`;
  return text === '-0' ? '0' : text;
}

/** The reference answer of a GSM8K solution: the number after its last "####". */
export function referenceAnswer(solution: string): string | undefined {
  const at = solution.lastIndexOf('####');
  if (at < 0) return undefined;
  const match = new RegExp(NUMBER_SOURCE).exec(solution.slice(at + 4));
  return match ? normalizeNumber(match[0]) : undefined;
}

/**
 * Strict: the number directly after the last occurrence of any marker (case-insensitive). The last one,
 * because a chat model that corrects itself states its final answer last; a marker followed by no number
 * ("The answer is unknown") does not count.
 */
export function extractStrict(reply: string, markers: readonly string[] = DEFAULT_ANSWER_MARKERS): ExtractedAnswer | undefined {
  if (markers.length === 0) return undefined;
  const pattern = new RegExp(`(${markers.map(escapeRegExp).join('|')})${MARKER_GAP}(${NUMBER_SOURCE})`, 'gi');
  let best: ExtractedAnswer | undefined;
  for (const match of reply.matchAll(pattern)) {
    const normalized = normalizeNumber(match[2]);
    if (normalized === undefined) continue;
    const index = match.index! + match[0].length - match[2].length;
    best = { raw: match[2], normalized, value: Number(normalized), index, line: lineOf(reply, index), marker: match[1] };
  }
  return best;
}

/** Flexible: the last number anywhere in the reply. */
export function extractFlexible(reply: string): ExtractedAnswer | undefined {
  let last: RegExpMatchArray | undefined;
  for (const match of reply.matchAll(NUMBER)) if (normalizeNumber(match[0]) !== undefined) last = match;
  if (!last) return undefined;
  const normalized = normalizeNumber(last[0])!;
  return { raw: last[0], normalized, value: Number(normalized), index: last.index!, line: lineOf(reply, last.index!) };
}

/** Numeric equality of two normalised answers (so "0.50" and ".5" agree). */
export function sameAnswer(a: string, b: string): boolean {
  return a === b || Number(a) === Number(b);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
