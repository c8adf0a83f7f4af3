/**
 * Custom JSONL benchmarks: one object per line,
 *   {"id": "q1", "prompt": "2+2=", "expected": "4"}
 *   {"id": "q2", "messages": [{"role": "user", "content": "…"}], "expected": ["yes", "Yes"], "scorer": "contains"}
 * `expected` is a string or a list of accepted strings; `scorer` (per line) overrides the file's default.
 * With `"scorer": "judge"` an LLM judge grades the reply against the line's `rubric` and/or `reference`
 * (or `expected`), see src/core/judge/.
 */
import type { ChatMessage } from '../../endpoint/types';
import { DatasetError } from '../../errors';
import type { BenchmarkItem, LoadedDataset } from '../types';
import { readJsonlFile } from '../jsonl';

export const CUSTOM_SCORERS = ['exact', 'contains', 'regex', 'json-valid', 'judge'] as const;
export type CustomScorerKind = (typeof CUSTOM_SCORERS)[number];

export interface CustomItemData {
  prompt?: string;
  messages?: ChatMessage[];
  expected: string[];
  scorer: CustomScorerKind;
  /** Compare ignoring case (exact, contains, regex). */
  ignoreCase: boolean;
  /** judge: what a good answer must do, and a reference answer. */
  rubric?: string;
  reference?: string;
}

const ROLES = new Set(['system', 'user', 'assistant']);

export function loadCustomDataset(file: string, defaultScorer: CustomScorerKind = 'exact'): LoadedDataset<CustomItemData> {
  const { lines, sha256 } = readJsonlFile(file);
  const items: BenchmarkItem<CustomItemData>[] = [];
  const seen = new Map<string, number>();
  for (const { line, value } of lines) {
    const where = `${file}:${line}`;
    const item = parseItem(value, where, defaultScorer);
    const earlier = seen.get(item.id);
    if (earlier !== undefined) throw new DatasetError(`duplicate id '${item.id}' (first on line ${earlier})`, where);
    seen.set(item.id, line);
    items.push(item);
  }
  if (items.length === 0) throw new DatasetError('the file has no items', file);
  return { items, origin: file, sha256 };
}

function parseItem(value: unknown, where: string, defaultScorer: CustomScorerKind): BenchmarkItem<CustomItemData> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DatasetError('expected a JSON object', where);
  const row = value as Record<string, unknown>;
  const id = row.id;
  if (typeof id !== 'string' && typeof id !== 'number') throw new DatasetError("missing field 'id' (a string or number)", where);
  if (String(id).trim() === '') throw new DatasetError("field 'id' is empty", where);

  const prompt = row.prompt;
  const messages = row.messages;
  if (prompt === undefined && messages === undefined) throw new DatasetError("missing field 'prompt' (or 'messages')", where);
  if (prompt !== undefined && typeof prompt !== 'string') throw new DatasetError("field 'prompt' must be a string", where);
  if (messages !== undefined) validateMessages(messages, where);

  const scorerValue = row.scorer ?? defaultScorer;
  if (typeof scorerValue !== 'string' || !(CUSTOM_SCORERS as readonly string[]).includes(scorerValue)) {
    throw new DatasetError(`field 'scorer' must be one of ${CUSTOM_SCORERS.join(', ')}; got ${JSON.stringify(scorerValue)}`, where);
  }
  const scorer = scorerValue as CustomScorerKind;

  for (const field of ['rubric', 'reference'] as const) {
    if (row[field] !== undefined && (typeof row[field] !== 'string' || (row[field] as string).trim() === '')) throw new DatasetError(`field '${field}' must be a non-empty string`, where);
  }
  if (scorer === 'judge' && row.rubric === undefined && row.reference === undefined && row.expected === undefined) {
    throw new DatasetError("the 'judge' scorer needs a 'rubric' or a 'reference' (or 'expected') to grade against", where);
  }
  let expected: string[] = [];
  if (row.expected === undefined) {
    if (scorer !== 'json-valid' && scorer !== 'judge') throw new DatasetError(`missing field 'expected' (needed by the '${scorer}' scorer)`, where);
  } else if (typeof row.expected === 'string') {
    expected = [row.expected];
  } else if (Array.isArray(row.expected) && row.expected.length > 0 && row.expected.every((e) => typeof e === 'string')) {
    expected = row.expected as string[];
  } else {
    throw new DatasetError("field 'expected' must be a string or a non-empty list of strings", where);
  }
  if (scorer === 'regex') {
    for (const pattern of expected) {
      try {
        new RegExp(pattern, 'u');
      } catch (error) {
        throw new DatasetError(`'expected' is not a valid regular expression: ${(error as Error).message}`, where);
      }
    }
  }
  const ignoreCase = row.ignore_case === true;
  return {
    id: String(id),
    data: {
      prompt: prompt as string | undefined,
      messages: messages as ChatMessage[] | undefined,
      expected,
      scorer,
      ignoreCase,
      ...(typeof row.rubric === 'string' ? { rubric: row.rubric } : {}),
      ...(typeof row.reference === 'string' ? { reference: row.reference } : {}),
    },
  };
}

function validateMessages(messages: unknown, where: string): void {
  if (!Array.isArray(messages) || messages.length === 0) throw new DatasetError("field 'messages' must be a non-empty list", where);
  messages.forEach((m, i) => {
    const msg = m as Record<string, unknown> | null;
    if (!msg || typeof msg !== 'object' || typeof msg.role !== 'string' || !ROLES.has(msg.role) || typeof msg.content !== 'string') {
      throw new DatasetError(`messages[${i}] must be {"role": "system"|"user"|"assistant", "content": string}`, where);
    }
  });
}
