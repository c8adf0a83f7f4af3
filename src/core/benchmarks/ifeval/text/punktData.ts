/**
 * Finds NLTK's Punkt English parameters (punkt_tab/english) for the IFEval scorer: a folder or
 * punkt_tab.zip the user names, else the copy bundled with EvalBench (or the newer one
 * `evalbench data update` fetched). Nothing is downloaded here. An archive is checked (CRC-32 of
 * every file, the four files parse) before anything is unpacked, and lands with a rename, so a
 * half-written folder is never taken for a good one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveDataCopy } from '../../../data/dataLocation';
import { DatasetError, errorMessage } from '../../../errors';
import { PunktSentenceTokenizer } from './punkt';
import { PUNKT_FILES, PunktFileContents, loadPunktParameters, missingPunktFiles, parsePunktParameters } from './punktParameters';
import { listZipEntries, readZipEntry } from './zipReader';

const ENGLISH_PREFIX = 'punkt_tab/english/';

export interface PunktSource {
  /** A folder the user gives: punkt_tab/english itself, punkt_tab, or an nltk_data root; or punkt_tab.zip. */
  path?: string;
  /** Cache root: a user's punkt_tab.zip is unpacked to `<cacheDir>/punkt_tab/english`; updated data lives under it. */
  cacheDir: string;
  signal?: AbortSignal;
}

/** The cache folder that ensurePunktEnglish fills from a user's punkt_tab.zip. */
export function cachedPunktEnglishDir(cacheDir: string): string {
  return path.join(cacheDir, 'punkt_tab', 'english');
}

/**
 * Resolves a user-given Punkt location to the folder holding the four punkt_tab files. Accepts the
 * english folder itself, a punkt_tab folder, a tokenizers folder or an nltk_data root.
 */
export function resolvePunktEnglishDir(userPath: string): string {
  const candidates = ['', 'english', 'punkt_tab/english', 'tokenizers/punkt_tab/english'].map((rel) => path.join(userPath, rel));
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, PUNKT_FILES[0])) && missingPunktFiles(dir).length === 0) return dir;
  }
  if (!fs.existsSync(userPath)) {
    throw new DatasetError(`Punkt folder ${userPath} does not exist; give the path of NLTK's punkt_tab/english folder, or none to use the copy bundled with EvalBench`);
  }
  const missing = missingPunktFiles(userPath);
  throw new DatasetError(
    `Punkt folder ${userPath} lacks ${missing.join(', ')}; give the path of NLTK's punkt_tab/english folder ` +
      '(or a punkt_tab or nltk_data folder that contains it), or none to use the copy bundled with EvalBench',
  );
}

const inFlight = new Map<string, Promise<string>>();

/**
 * Returns the folder with Punkt English parameters: the user's (`path`: a folder, or a punkt_tab.zip
 * unpacked once into the cache), else the bundled copy (or the one `data update` installed).
 */
export function ensurePunktEnglish(source: PunktSource): Promise<string> {
  if (!source.path) return Promise.resolve().then(() => resolveDataCopy('punkt', source.cacheDir).path);
  if (!source.path.toLowerCase().endsWith('.zip')) return Promise.resolve().then(() => resolvePunktEnglishDir(source.path!));
  const target = cachedPunktEnglishDir(source.cacheDir);
  // One unpacking per target at a time inside this process; across processes the rename decides.
  let pending = inFlight.get(target);
  if (!pending) {
    pending = unpackUserZip(source.path, target).finally(() => inFlight.delete(target));
    inFlight.set(target, pending);
  }
  return pending;
}

async function unpackUserZip(zipPath: string, target: string): Promise<string> {
  let zip: Buffer;
  try {
    zip = fs.readFileSync(zipPath);
  } catch (error) {
    throw new DatasetError(`could not read Punkt archive ${zipPath} (${errorMessage(error)})`);
  }
  installPunktEnglish(zip, zipPath, target);
  return target;
}

/** Unpacks punkt_tab/english from NLTK's punkt_tab.zip into `target`, after checking that it parses. */
export function installPunktEnglish(zip: Buffer, origin: string, target: string): void {
  const entries = listZipEntries(zip, origin).filter((e) => e.name.startsWith(ENGLISH_PREFIX) && !e.name.endsWith('/'));
  const files = new Map<string, Buffer>();
  for (const entry of entries) {
    const rel = entry.name.slice(ENGLISH_PREFIX.length);
    // Only plain file names: nothing in the archive may write outside the target folder.
    if (rel.includes('/') || rel.includes('\\') || rel === '..' || rel === '.') continue;
    files.set(rel, readZipEntry(zip, entry, origin));
  }
  const missing = PUNKT_FILES.filter((name) => !files.has(name));
  if (missing.length > 0) {
    throw new DatasetError(`${origin} has no ${missing.map((name) => ENGLISH_PREFIX + name).join(', ')}; it is not NLTK's punkt_tab.zip`);
  }
  const contents = Object.fromEntries(PUNKT_FILES.map((name) => [name, files.get(name)!.toString('utf8')])) as PunktFileContents;
  parsePunktParameters(contents, `${origin}:${ENGLISH_PREFIX}`);

  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, '.english-'));
  try {
    for (const [name, data] of files) fs.writeFileSync(path.join(staging, name), data);
    if (fs.existsSync(target)) fs.rmSync(target, { recursive: true, force: true });
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      // Another process finished first: its copy is as good as ours.
      if (missingPunktFiles(target).length > 0) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

const tokenizers = new Map<string, PunktSentenceTokenizer>();

/**
 * A Punkt English tokenizer for `source`, built once per folder and reused: the parameter tables
 * (20k orthographic contexts) are parsed only on first use.
 */
export async function loadPunktEnglishTokenizer(source: PunktSource): Promise<PunktSentenceTokenizer> {
  const dir = await ensurePunktEnglish(source);
  let tokenizer = tokenizers.get(dir);
  if (!tokenizer) {
    tokenizer = new PunktSentenceTokenizer(loadPunktParameters(dir));
    tokenizers.set(dir, tokenizer);
  }
  return tokenizer;
}
