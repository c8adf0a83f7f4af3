/** HumanEval problems: the official JSONL(.gz) with task_id, prompt, canonical_solution, test, entry_point. */
import { DatasetError } from '../../errors';
import { readJsonlFile } from '../jsonl';
import type { BenchmarkItem, LoadedDataset } from '../types';

export interface HumanevalItemData {
  prompt: string;
  test: string;
  entryPoint: string;
  /** The reference solution, kept so a person can compare it with the model's. */
  canonicalSolution?: string;
}

const REQUIRED = ['task_id', 'prompt', 'test', 'entry_point'] as const;

export function loadHumanevalFile(file: string, origin = file): LoadedDataset<HumanevalItemData> {
  const { lines, sha256 } = readJsonlFile(file);
  const items: BenchmarkItem<HumanevalItemData>[] = [];
  const seen = new Set<string>();
  for (const { line, value } of lines) {
    const where = `${file}:${line}`;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DatasetError('expected a JSON object', where);
    const row = value as Record<string, unknown>;
    for (const field of REQUIRED) {
      if (typeof row[field] !== 'string') throw new DatasetError(`missing field '${field}' (a string)`, where);
    }
    const id = row.task_id as string;
    if (seen.has(id)) throw new DatasetError(`duplicate task_id '${id}'`, where);
    if (!/^[A-Za-z_]\w*$/.test(row.entry_point as string)) throw new DatasetError(`entry_point '${String(row.entry_point)}' is not a Python name`, where);
    seen.add(id);
    items.push({
      id,
      data: {
        prompt: row.prompt as string,
        test: row.test as string,
        entryPoint: row.entry_point as string,
        canonicalSolution: typeof row.canonical_solution === 'string' ? row.canonical_solution : undefined,
      },
    });
  }
  if (items.length === 0) throw new DatasetError('the file has no problems', file);
  return { items, origin, sha256 };
}
