/** JSONL reading shared by the dataset loaders: all-or-nothing, and every error names file:line. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from '../errors';

export interface JsonlLine {
  /** 1-based line number in the file. */
  line: number;
  value: unknown;
}

export interface JsonlFile {
  lines: JsonlLine[];
  sha256: string;
}

/** Read a .jsonl (or .jsonl.gz) file. Blank lines are skipped; a line that is not JSON throws, naming it. */
/** `what` names the file in errors ("dataset", "the responses file"). */
export function readJsonlFile(file: string, what = 'dataset'): JsonlFile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DatasetError(`cannot read ${what}: ${code === 'ENOENT' ? 'ENOENT (no such file)' : code ?? String(error)}`, file);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  try {
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    throw new DatasetError('not a valid gzip file', file);
  }
  return { lines: parseJsonl(text, file), sha256 };
}

export function parseJsonl(text: string, fileLabel: string): JsonlLine[] {
  const out: JsonlLine[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i].replace(/\r$/, '');
    if (raw.trim() === '') continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(i === 0 ? raw.replace(/^\uFEFF/, '') : raw) });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new DatasetError(`not valid JSON (${why}): ${truncate(raw, 80)}`, `${fileLabel}:${i + 1}`);
    }
  }
  return out;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
