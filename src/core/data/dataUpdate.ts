/**
 * `evalbench data update` and its VS Code command: fetch newer copies of the bundled data files
 * from their public homes, check each one as the benchmarks would load it, and install it in the
 * cache folder (the bundled copy is never changed). Only ever started by the user; the caller
 * supplies the download function, so the extension goes through VS Code's proxy settings and the
 * CLI through HTTPS_PROXY.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadHumanevalFile } from '../benchmarks/humaneval/dataset';
import { loadIfevalFile } from '../benchmarks/ifeval/dataset';
import { installPunktEnglish } from '../benchmarks/ifeval/text/punktData';
import { readJsonlFile } from '../benchmarks/jsonl';
import { CancelledError, DatasetError, errorMessage } from '../errors';
import { writeFileAtomic } from '../storage/atomicWrite';
import { BUNDLED_DATA, bundledDataFile, dataDigest, type DataFileId } from './bundledData';
import { readUpdateRecords, resolveDataCopy, updatedDataDir, updatesRecordFile, type DataCopy, type UpdateRecord } from './dataLocation';

export type FetchBytes = (url: string, signal?: AbortSignal) => Promise<Buffer>;

export interface DataUpdateOptions {
  cacheDir: string;
  fetchBytes: FetchBytes;
  /** Which files (default: all bundled ones). */
  ids?: DataFileId[];
  /** Other addresses than the published ones (tests use a loopback server). */
  urls?: Partial<Record<DataFileId, string>>;
  signal?: AbortSignal;
  /** Called before each download, so the user sees every address that is contacted. */
  onFetch?: (id: DataFileId, url: string) => void;
  now?: () => Date;
}

export interface DataUpdateResult {
  id: DataFileId;
  label: string;
  url: string;
  /** 'updated': a newer copy is installed; 'unchanged': the fetched file equals the one in use; 'failed': see error. */
  status: 'updated' | 'unchanged' | 'failed';
  /** The copy in use before, and after. */
  before: Pick<DataCopy, 'copy' | 'sha256'>;
  sha256?: string;
  error?: string;
}

/** Which copy of each data file runs use now (for `evalbench data status` and the VS Code command). */
export function dataStatus(cacheDir: string): DataCopy[] {
  return BUNDLED_DATA.map((entry) => resolveDataCopy(entry.id, cacheDir));
}

export async function updateData(options: DataUpdateOptions): Promise<DataUpdateResult[]> {
  const results: DataUpdateResult[] = [];
  for (const id of options.ids ?? BUNDLED_DATA.map((d) => d.id)) {
    if (options.signal?.aborted) throw new CancelledError('data update cancelled');
    results.push(await updateOne(id, options));
  }
  return results;
}

async function updateOne(id: DataFileId, options: DataUpdateOptions): Promise<DataUpdateResult> {
  const entry = bundledDataFile(id);
  const url = options.urls?.[id] ?? entry.updateUrl;
  const current = resolveDataCopy(id, options.cacheDir);
  const base = { id, label: entry.label, url, before: { copy: current.copy, sha256: current.sha256 } };
  const target = path.join(updatedDataDir(options.cacheDir), entry.relativePath);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Same folder (so the rename is atomic) and same file ending (the loaders go by .gz).
  const staging = path.join(path.dirname(target), `.part-${process.pid}-${randomBytes(4).toString('hex')}-${path.basename(target)}`);
  try {
    options.onFetch?.(id, url);
    const bytes = await options.fetchBytes(url, options.signal);
    // The fetched copy is checked exactly as a run would load it before it can replace anything.
    if (id === 'punkt') installPunktEnglish(bytes, url, staging);
    else {
      fs.writeFileSync(staging, bytes);
      validate(id, staging, url);
    }
    const sha256 = dataDigest(id, staging);
    if (sha256 === current.sha256) return { ...base, status: 'unchanged', sha256 };
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
    await recordUpdate(options.cacheDir, id, { sha256, url, fetchedAt: (options.now?.() ?? new Date()).toISOString() });
    return { ...base, status: 'updated', sha256 };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    // Errors name the fetched address, not the staging file it was checked in.
    return { ...base, status: 'failed', error: errorMessage(error).split(staging).join(url) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function validate(id: DataFileId, file: string, url: string): void {
  const label = `${url} (fetched)`;
  if (id === 'ifeval') loadIfevalFile(file, label);
  else if (id === 'humaneval') loadHumanevalFile(file, label);
  else {
    const { lines } = readJsonlFile(file);
    for (const { line, value } of lines) {
      const row = value as Record<string, unknown> | null;
      if (!row || typeof row.question !== 'string' || typeof row.answer !== 'string' || !row.answer.includes('####')) {
        throw new DatasetError("expected GSM8K rows {\"question\": …, \"answer\": \"… #### N\"}", `${url}:${line}`);
      }
    }
    if (lines.length === 0) throw new DatasetError('the file has no problems', url);
  }
}

async function recordUpdate(cacheDir: string, id: DataFileId, record: UpdateRecord): Promise<void> {
  const records = { ...readUpdateRecords(cacheDir), [id]: record };
  await writeFileAtomic(updatesRecordFile(cacheDir), `${JSON.stringify(records, null, 2)}\n`);
}

/** Forget every updated copy: runs use the bundled data again. */
export function resetToBundled(cacheDir: string): void {
  fs.rmSync(updatedDataDir(cacheDir), { recursive: true, force: true });
}
