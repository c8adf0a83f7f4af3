/**
 * GSM8K problems: openai/grade-school-math's JSONL, one {"question", "answer"} per line, the worked
 * answer ending in "#### N". Item ids are the 0-based line order of the file ("0" … "1318" for test),
 * stable across runs of the same file, which the stored dataset digest pins.
 */
import { DatasetError } from '../../errors';
import { readJsonlFile } from '../jsonl';
import type { BenchmarkItem, LoadedDataset } from '../types';
import { referenceAnswer } from './answer';

export interface Gsm8kItemData {
  question: string;
  /** The dataset's worked solution (with "<<…>>" calculator notes and the final "#### N"). */
  solution: string;
  /** The normalised reference answer, the number after "####". */
  answer: string;
}

export interface Gsm8kProblem {
  question: string;
  solution: string;
  answer: string;
  /** 1-based line in its file, for messages. */
  line: number;
}

/** Read every problem of a GSM8K JSONL file; a line without a question or a "#### N" answer stops the load, naming it. */
export function readGsm8kProblems(file: string): { problems: Gsm8kProblem[]; sha256: string } {
  const { lines, sha256 } = readJsonlFile(file);
  const problems: Gsm8kProblem[] = [];
  for (const { line, value } of lines) {
    const where = `${file}:${line}`;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DatasetError('expected a JSON object {"question": …, "answer": …}', where);
    const row = value as Record<string, unknown>;
    if (typeof row.question !== 'string' || row.question.trim() === '') throw new DatasetError("missing field 'question' (a string)", where);
    if (typeof row.answer !== 'string') throw new DatasetError("missing field 'answer' (the worked solution ending in '#### N')", where);
    const answer = referenceAnswer(row.answer);
    if (answer === undefined) throw new DatasetError("field 'answer' has no final '#### N' with a number", where);
    problems.push({ question: row.question, solution: row.answer, answer, line });
  }
  if (problems.length === 0) throw new DatasetError('the file has no problems', file);
  return { problems, sha256 };
}

export function loadGsm8kFile(file: string, origin = file): LoadedDataset<Gsm8kItemData> {
  const { problems, sha256 } = readGsm8kProblems(file);
  const items: BenchmarkItem<Gsm8kItemData>[] = problems.map((p, index) => ({
    id: String(index),
    data: { question: p.question, solution: p.solution, answer: p.answer },
  }));
  return { items, origin, sha256 };
}
