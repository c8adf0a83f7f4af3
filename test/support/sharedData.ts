/**
 * Reference data lives in ../shared/data (never copied into this repository). Tests that need it
 * call `requireSharedData`; when it is absent they are skipped with a message that says so, except under
 * EVALBENCH_REQUIRE_SHARED=1 (CI: .ci/run), where an absent reference is a failure: a suite cannot pass
 * by skipping its checks against the originals.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SHARED_DATA_DIR = path.resolve(
  process.env.EVALBENCH_SHARED_DATA ?? path.join(__dirname, '..', '..', '..', 'shared', 'data'),
);

/** Absolute path of a reference file, or undefined when it is not on this machine. */
export function sharedDataFile(relative: string): string | undefined {
  const file = path.join(SHARED_DATA_DIR, relative);
  return fs.existsSync(file) ? file : undefined;
}

const warned = new Set<string>();

/** EVALBENCH_REQUIRE_SHARED=1: every reference the tests need must be there. */
export function sharedDataRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.EVALBENCH_REQUIRE_SHARED === '1';
}

/**
 * Skip the current mocha test or suite because a reference is missing, saying why; under
 * EVALBENCH_REQUIRE_SHARED=1 fail instead. Use inside `before` or `it`.
 */
export function skipForAbsentReference(ctx: Mocha.Context, what: string): never {
  const message = `reference data ABSENT: ${what}`;
  if (sharedDataRequired()) throw new Error(`${message} (EVALBENCH_REQUIRE_SHARED=1: an absent reference is a failure)`);
  if (!warned.has(what)) {
    warned.add(what);
    console.warn(`      [evalbench] ${message} — skipping the checks against the originals`);
  }
  ctx.skip();
  throw new Error('unreachable: mocha skip returned');
}

/**
 * The absolute path of a reference file; skips the current mocha suite/test when it is absent (fails under
 * EVALBENCH_REQUIRE_SHARED=1). Use inside `before` or `it`: `requireSharedData(this, 'ifeval/oracle_public.jsonl')`.
 */
export function requireSharedData(ctx: Mocha.Context, relative: string): string {
  const file = sharedDataFile(relative);
  if (!file) skipForAbsentReference(ctx, path.join(SHARED_DATA_DIR, relative));
  return file;
}

export function readJsonl<T = any>(file: string): T[] {
  const text = file.endsWith('.gz')
    ? require('node:zlib').gunzipSync(fs.readFileSync(file)).toString('utf8')
    : fs.readFileSync(file, 'utf8');
  return text
    .split('\n')
    .filter((line: string) => line.trim() !== '')
    .map((line: string) => JSON.parse(line) as T);
}

/**
 * Punkt English from the repository's own data/ folder (shipped with the product, byte-identical to the
 * reference copy: test/unit/data checks that). Tests that only need Punkt to split sentences use this, so
 * they never depend on ../shared/data.
 */
export function bundledPunktEnglishDir(): string {
  const dir = path.join(__dirname, '..', '..', 'data', 'punkt_tab', 'english');
  if (!fs.existsSync(path.join(dir, 'abbrev_types.txt'))) throw new Error(`the bundled Punkt English folder is missing: ${dir}`);
  return dir;
}
