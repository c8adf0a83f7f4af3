/**
 * Which copy of a data file a run uses: a newer copy the user fetched on purpose with
 * `evalbench data update` (kept in the cache folder, with a record of its digest and source), else
 * the copy bundled with EvalBench. Nothing here touches the network.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetError } from '../errors';
import { bundledDataDir, bundledDataFile, dataDigest, type DataFileId } from './bundledData';

export type DataCopyKind = 'bundled' | 'updated';

export interface DataCopy {
  id: DataFileId;
  /** The file (or Punkt folder) to read. */
  path: string;
  copy: DataCopyKind;
  sha256: string;
  /** For people and run files: "bundled copy …/data/ifeval/input_data.jsonl". */
  origin: string;
}

/** One entry of `<cacheDir>/data/updates.json`: what `data update` installed. */
export interface UpdateRecord {
  sha256: string;
  url: string;
  fetchedAt: string;
}

export function updatedDataDir(cacheDir: string): string {
  return path.join(cacheDir, 'data');
}

export function updatesRecordFile(cacheDir: string): string {
  return path.join(updatedDataDir(cacheDir), 'updates.json');
}

export function readUpdateRecords(cacheDir: string): Partial<Record<DataFileId, UpdateRecord>> {
  try {
    const parsed = JSON.parse(fs.readFileSync(updatesRecordFile(cacheDir), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Partial<Record<DataFileId, UpdateRecord>>) : {};
  } catch {
    return {};
  }
}

/** The bundled copy of `id`, checked against the digest it shipped with. */
export function bundledCopy(id: DataFileId): DataCopy {
  const entry = bundledDataFile(id);
  const location = path.join(bundledDataDir(), entry.relativePath);
  if (!fs.existsSync(location)) throw new DatasetError(`the bundled ${entry.label} (${location}) is missing; reinstall EvalBench`);
  const sha256 = dataDigest(id, location);
  if (sha256 !== entry.sha256) {
    throw new DatasetError(`the bundled ${entry.label} (${location}) has sha256 ${sha256}, expected ${entry.sha256}; it was changed after installation: reinstall EvalBench`);
  }
  return { id, path: location, copy: 'bundled', sha256, origin: `bundled copy ${location}` };
}

/**
 * The copy a run should use: the updated one when `data update` installed one and it is intact
 * (same digest as recorded), else the bundled one. A damaged update is passed over, not trusted.
 */
export function resolveDataCopy(id: DataFileId, cacheDir: string | undefined): DataCopy {
  if (cacheDir) {
    const record = readUpdateRecords(cacheDir)[id];
    const location = path.join(updatedDataDir(cacheDir), bundledDataFile(id).relativePath);
    if (record && fs.existsSync(location)) {
      try {
        const sha256 = dataDigest(id, location);
        if (sha256 === record.sha256) {
          return { id, path: location, copy: 'updated', sha256, origin: `updated copy ${location} (fetched ${record.fetchedAt} from ${record.url})` };
        }
      } catch {
        // An unreadable updated copy falls back to the bundled one below.
      }
    }
  }
  return bundledCopy(id);
}
