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
/** The most a .gz dataset may inflate to (HumanEval's is 0.2 MB; a bomb of a few KB would take all memory). */
const MAX_GUNZIPPED_BYTES = 512 << 20;

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
    text = (file.endsWith('.gz') ? gunzipSync(bytes, { maxOutputLength: MAX_GUNZIPPED_BYTES }) : bytes).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new DatasetError(`inflates to more than ${MAX_GUNZIPPED_BYTES >> 20} MiB; a dataset that large is not read compressed`, file);
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
      throw new DatasetError(`not valid JSON (${printable(why)}): ${truncate(raw, 80)}`, `${fileLabel}:${i + 1}`);
    }
  }
  return out;
}

function truncate(text: string, max: number): string {
  return printable(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** Control characters as escapes: a bad line quoted in a message must not write raw NULs or escapes to a terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
