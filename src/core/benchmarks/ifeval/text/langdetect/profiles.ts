/**
 * Language profiles (n-gram frequency tables) and the word → per-language probability table
 * built from them, as DetectorFactory.load_profile / add_profile do in Python langdetect.
 *
 * Where the profiles come from, first found wins:
 *   1. an explicit directory (option or EVALBENCH_LANGDETECT_PROFILES);
 *   2. an installed Python langdetect (`…/langdetect/profiles`): the exact 55 profiles;
 *   3. the npm `langdetect` package: 53 profiles, 52 identical to Python's, but no `ca`/`cy`
 *      and an older `ko`, so results can differ from the official scorer (reported as inexact).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, ScoringError, errorMessage } from '../../../../errors';
import { loadModelSnapshot, saveModelSnapshot, snapshotFile } from './modelSnapshot';
import { NgramIndex } from './ngramIndex';

export type ProfileOrigin = 'explicit' | 'python' | 'npm';

export interface ProfileSource {
  dir: string;
  origin: ProfileOrigin;
}

export interface LanguageModel {
  source: ProfileSource;
  /** Language codes in table order (sorted file names, like a sorted `os.listdir`). */
  languages: readonly string[];
  /** Which table row an n-gram is (every 1- to 3-gram of any profile has one). */
  index: NgramIndex;
  /** Row-major table: probabilities[row * languages.length + lang] = P(ngram | lang). */
  probabilities: Float64Array;
  /**
   * True when every language of Python langdetect 1.0.9 is present (so not the npm copy, which
   * lacks ca and cy). Profile contents are not compared: a folder taken from Python is trusted.
   */
  exact: boolean;
}

interface ProfileJson {
  name?: unknown;
  freq?: unknown;
  n_words?: unknown;
}

/** langdetect 1.0.9's languages; a source with all of them is taken as the Python set. */
export const PYTHON_LANGUAGES = [
  'af', 'ar', 'bg', 'bn', 'ca', 'cs', 'cy', 'da', 'de', 'el', 'en', 'es', 'et', 'fa', 'fi', 'fr',
  'gu', 'he', 'hi', 'hr', 'hu', 'id', 'it', 'ja', 'kn', 'ko', 'lt', 'lv', 'mk', 'ml', 'mr', 'ne',
  'nl', 'no', 'pa', 'pl', 'pt', 'ro', 'ru', 'sk', 'sl', 'so', 'sq', 'sv', 'sw', 'ta', 'te', 'th',
  'tl', 'tr', 'uk', 'ur', 'vi', 'zh-cn', 'zh-tw',
] as const;

/** Where pip and Debian put Python langdetect's profiles. */
function pythonProfileCandidates(): string[] {
  const roots = ['/usr/lib/python3/dist-packages', '/usr/local/lib/python3/dist-packages'];
  for (const base of ['/usr/lib', '/usr/local/lib', path.join(os.homedir(), '.local', 'lib')]) {
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(base).filter((name) => /^python3(\.\d+)?$/.test(name));
    } catch {
      continue;
    }
    for (const name of entries) roots.push(path.join(base, name, 'site-packages'), path.join(base, name, 'dist-packages'));
  }
  return roots.map((root) => path.join(root, 'langdetect', 'profiles'));
}

/**
 * The npm `langdetect` package's profiles: copied by esbuild.mjs to dist/langdetect-profiles beside the
 * bundles (the .vsix ships no node_modules), or the installed package when running from source.
 */
export function npmProfileDir(): string | undefined {
  const bundled = path.join(__dirname, 'langdetect-profiles');
  if (isDir(bundled)) return bundled;
  try {
    return path.join(path.dirname(require.resolve('langdetect/package.json')), 'profiles');
  } catch {
    return undefined;
  }
}

const isDir = (dir: string) => {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

/** Pick the profile directory (see the module comment for the order). */
export function resolveProfileSource(explicitDir?: string): ProfileSource {
  const explicit = explicitDir ?? process.env.EVALBENCH_LANGDETECT_PROFILES;
  if (explicit) {
    if (!isDir(explicit)) {
      throw new ConfigError(
        `langdetect profile directory ${explicit} does not exist; point it at Python langdetect's "profiles" folder`,
      );
    }
    return { dir: explicit, origin: 'explicit' };
  }
  const python = pythonProfileCandidates().find(isDir);
  if (python) return { dir: python, origin: 'python' };
  const npm = npmProfileDir();
  if (npm && isDir(npm)) return { dir: npm, origin: 'npm' };
  throw new ConfigError(
    'no langdetect profiles found: install the npm package "langdetect", or Python langdetect 1.0.9, ' +
      'or set EVALBENCH_LANGDETECT_PROFILES to its "profiles" folder',
  );
}

function readProfile(file: string): { name: string; freq: Record<string, number>; nWords: number[] } {
  let json: ProfileJson;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as ProfileJson;
  } catch (error) {
    throw new ScoringError(`langdetect profile ${file} is not readable JSON (${errorMessage(error)})`);
  }
  const { name, freq, n_words } = json;
  if (typeof name !== 'string' || typeof freq !== 'object' || freq === null || !Array.isArray(n_words)) {
    throw new ScoringError(`langdetect profile ${file} lacks "name", "freq" or "n_words"; is this a langdetect profile?`);
  }
  return { name, freq: freq as Record<string, number>, nWords: n_words as number[] };
}

/**
 * The language model of a profile directory: from its saved snapshot when one matches the folder's files
 * (modelSnapshot.ts), else built from the profiles and saved for the next process.
 */
export function loadLanguageModel(source: ProfileSource, options: { snapshots?: boolean; cacheDir?: string } = {}): LanguageModel {
  const files = profileFiles(source);
  if (options.snapshots === false) return buildLanguageModel(source, files);
  const snapshot = snapshotFile(source, files, options.cacheDir ?? process.env.EVALBENCH_CACHE_DIR);
  const saved = loadModelSnapshot(snapshot, source);
  if (saved) return saved;
  const model = buildLanguageModel(source, files);
  saveModelSnapshot(snapshot, model);
  return model;
}

function profileFiles(source: ProfileSource): string[] {
  const files = fs
    .readdirSync(source.dir)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => path.join(source.dir, name))
    .filter((file) => fs.statSync(file).isFile());
  if (files.length < 2) throw new ScoringError(`langdetect needs at least 2 profiles in ${source.dir}, found ${files.length}`);
  return files;
}

/** Load every profile of a directory and build the probability table (add_profile). */
function buildLanguageModel(source: ProfileSource, files: string[]): LanguageModel {
  const profiles = files.map(readProfile);
  const languages = profiles.map((profile) => profile.name);
  if (new Set(languages).size !== languages.length) {
    throw new ScoringError(`langdetect profiles in ${source.dir} name the same language twice`);
  }

  // One pass: number the n-grams in first-seen order and collect (row, language, probability).
  const width = languages.length;
  const index = new NgramIndex();
  const cells: number[] = [];
  const values: number[] = [];
  profiles.forEach((profile, lang) => {
    const freq = profile.freq;
    for (const word in freq) {
      const row = index.intern(word);
      if (row < 0) continue; // never looked up by detection (see NgramIndex)
      cells.push(row * width + lang);
      values.push((1.0 * freq[word]) / profile.nWords[word.length - 1]);
    }
  });
  const probabilities = new Float64Array(index.size * width);
  for (let i = 0; i < cells.length; i++) probabilities[cells[i]] = values[i];

  const exact = source.origin !== 'npm' && PYTHON_LANGUAGES.every((lang) => languages.includes(lang));
  return { source, languages, index, probabilities, exact };
}

