/**
 * The dataset files shipped with EvalBench under data/ (copied into dist/data by esbuild.mjs), so
 * every built-in benchmark runs on the first launch with no network. This list is the one place
 * that names them: where they live in the bundle, their sha256, where `data update` fetches a newer
 * copy, and under which licence they are shipped (data/README.md says the same for people).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetError } from '../errors';

export type DataFileId = 'ifeval' | 'punkt' | 'humaneval' | 'gsm8k-test' | 'gsm8k-train';

export interface BundledDataFile {
  id: DataFileId;
  /** What it is, for people: "IFEval prompts". */
  label: string;
  /** Under data/: a file, or for Punkt the folder holding its four files. */
  relativePath: string;
  /** sha256 of the file, or for a folder the digest computed by folderDigest. */
  sha256: string;
  /** Where `evalbench data update` fetches a newer copy (for Punkt: NLTK's zip, of which english/ is kept). */
  updateUrl: string;
  licence: string;
}

export const PUNKT_ENGLISH_FILES = ['abbrev_types.txt', 'collocations.tab', 'ortho_context.tab', 'sent_starters.txt'] as const;

export const BUNDLED_DATA: readonly BundledDataFile[] = [
  {
    id: 'ifeval',
    label: 'IFEval prompts',
    relativePath: 'ifeval/input_data.jsonl',
    sha256: '67ffeee0fcb87c317c5b08a2de85557b4a7e96ada6178aa645b4954fe4b53d49',
    updateUrl: 'https://raw.githubusercontent.com/google-research/google-research/master/instruction_following_eval/data/input_data.jsonl',
    licence: 'Apache-2.0',
  },
  {
    id: 'punkt',
    label: 'NLTK Punkt English parameters (punkt_tab)',
    relativePath: 'punkt_tab/english',
    sha256: '0c03c1586dbd24c59129c8f15190db58b44b66559fe15a6a47dbb6273b216ffa',
    updateUrl: 'https://raw.githubusercontent.com/nltk/nltk_data/gh-pages/packages/tokenizers/punkt_tab.zip',
    licence: 'Apache-2.0',
  },
  {
    id: 'humaneval',
    label: 'HumanEval problems',
    relativePath: 'humaneval/HumanEval.jsonl.gz',
    sha256: 'b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef',
    updateUrl: 'https://raw.githubusercontent.com/openai/human-eval/master/data/HumanEval.jsonl.gz',
    licence: 'MIT',
  },
  {
    id: 'gsm8k-test',
    label: 'GSM8K test problems',
    relativePath: 'gsm8k/test.jsonl',
    sha256: '3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14',
    updateUrl: 'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/test.jsonl',
    licence: 'MIT',
  },
  {
    id: 'gsm8k-train',
    label: 'GSM8K training problems (few-shot exemplars)',
    relativePath: 'gsm8k/train.jsonl',
    sha256: '17f347dc51477c50d4efb83959dbb7c56297aba886e5544ee2aaed3024813465',
    updateUrl: 'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/train.jsonl',
    licence: 'MIT',
  },
];

export function bundledDataFile(id: DataFileId): BundledDataFile {
  const entry = BUNDLED_DATA.find((d) => d.id === id);
  if (!entry) throw new DatasetError(`no bundled data file '${id}'`);
  return entry;
}

let cachedDir: string | undefined;

/**
 * The bundled data folder: dist/data next to the bundle that runs (extension, CLI, worker), or the
 * repository's data/ when running from source (tests). Found by walking up from this module.
 */
export function bundledDataDir(): string {
  if (cachedDir) return cachedDir;
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'data');
    if (fs.existsSync(path.join(candidate, 'ifeval', 'input_data.jsonl'))) return (cachedDir = candidate);
  }
  throw new DatasetError(`EvalBench's bundled data folder is missing (looked above ${__dirname}); reinstall EvalBench`);
}

/** sha256 of a file's bytes. */
export function fileDigest(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** One digest for the Punkt folder: sha256 over "name sha256\n" of its four files, in name order. */
export function folderDigest(dir: string): string {
  const lines = [...PUNKT_ENGLISH_FILES].sort().map((name) => `${name} ${fileDigest(path.join(dir, name))}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** The digest of a data copy on disk, by the rule its entry uses (file or Punkt folder). */
export function dataDigest(id: DataFileId, location: string): string {
  return id === 'punkt' ? folderDigest(location) : fileDigest(location);
}
