/**
 * Finding Punkt English: the bundled copy, a folder or a punkt_tab.zip the user gives. The archive
 * is built at test time from the shared punkt_tab files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetError } from '../../../src/core/errors';
import { PUNKT_FILES, countSentences } from '../../../src/core/benchmarks/ifeval/text/punkt';
import {
  cachedPunktEnglishDir,
  ensurePunktEnglish,
  installPunktEnglish,
  loadPunktEnglishTokenizer,
  resolvePunktEnglishDir,
} from '../../../src/core/benchmarks/ifeval/text/punktData';
import { bundledDataDir } from '../../../src/core/data/bundledData';
import { bundledPunktEnglishDir, requireSharedData } from '../../support/sharedData';
import { useTempDir } from '../../support/tempDir';
import { punktTabZip } from './zipFixture';

function sharedEnglishDir(ctx: Mocha.Context): string {
  return path.dirname(requireSharedData(ctx, 'ifeval/punkt_tab/english/abbrev_types.txt'));
}

/** Punkt files to build archives from: the bundled copy, so these tests do not depend on ../shared/data. */
function punktSourceDir(_ctx?: Mocha.Context): string {
  return bundledPunktEnglishDir();
}

describe('ensurePunktEnglish: the default and a punkt_tab.zip the user gives', () => {
  const tmp = useTempDir();

  it('uses the bundled copy when no location is given, with no network', async function () {
    const english = sharedEnglishDir(this);
    const dir = await ensurePunktEnglish({ cacheDir: tmp.path });
    assert.equal(dir, path.join(bundledDataDir(), 'punkt_tab', 'english'));
    for (const file of PUNKT_FILES) {
      assert.ok(fs.readFileSync(path.join(dir, file)).equals(fs.readFileSync(path.join(english, file))), `${file} is the shared file byte for byte`);
    }
    const tokenizer = await loadPunktEnglishTokenizer({ cacheDir: tmp.path });
    assert.equal(countSentences('Mr. Smith came. He left.', tokenizer), 2);
    assert.equal(await loadPunktEnglishTokenizer({ cacheDir: tmp.path }), tokenizer, 'one tokenizer per folder');
  });

  it('extracts only punkt_tab/english from a zip, once, nothing outside the target', async function () {
    const english = punktSourceDir(this);
    const zipFile = path.join(tmp.path, 'punkt_tab.zip');
    fs.writeFileSync(zipFile, punktTabZip(english));
    const cacheDir = path.join(tmp.path, 'cache');
    const [first, concurrent] = await Promise.all([ensurePunktEnglish({ path: zipFile, cacheDir }), ensurePunktEnglish({ path: zipFile, cacheDir })]);
    assert.equal(first, cachedPunktEnglishDir(cacheDir));
    assert.equal(concurrent, first);
    assert.deepEqual(fs.readdirSync(first).sort(), [...PUNKT_FILES].sort());
    for (const file of PUNKT_FILES) {
      assert.ok(fs.readFileSync(path.join(first, file)).equals(fs.readFileSync(path.join(english, file))), `${file} is byte-identical`);
    }
    assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'punkt_tab')), ['english'], 'no other language, no staging folder');
    assert.ok(!fs.existsSync(path.join(cacheDir, 'escape.txt')));
  });

  it('rejects a corrupt archive and leaves nothing behind', async function () {
    const zip = punktTabZip(punktSourceDir(this), (entries) => {
      const ortho = entries.find((e) => e.name.endsWith('ortho_context.tab'))!;
      ortho.store = true;
    });
    // Flip one byte inside the stored ortho_context.tab body: the CRC-32 check must catch it.
    const at = zip.indexOf('zwyer');
    assert.ok(at > 0);
    zip[at] ^= 0x20;
    const target = path.join(tmp.path, 'out', 'english');
    assert.throws(() => installPunktEnglish(zip, 'corrupt.zip', target), (error: unknown) => error instanceof DatasetError && /CRC-32/.test(error.message));
    assert.ok(!fs.existsSync(target));
  });

  it('rejects an archive without punkt_tab/english, and a truncated one', async function () {
    const noEnglish = punktTabZip(punktSourceDir(this), (entries) => {
      entries.splice(0, entries.length, ...entries.filter((e) => !e.name.startsWith('punkt_tab/english/')));
    });
    const target = path.join(tmp.path, 'out', 'english');
    assert.throws(
      () => installPunktEnglish(noEnglish, 'x.zip', target),
      (error: unknown) => error instanceof DatasetError && /has no punkt_tab\/english\/abbrev_types\.txt/.test(error.message),
    );
    const truncated = punktTabZip(punktSourceDir(this)).subarray(0, 5000);
    assert.throws(() => installPunktEnglish(truncated, 'x.zip', target), (error: unknown) => error instanceof DatasetError && /not a usable ZIP archive/.test(error.message));
    assert.ok(!fs.existsSync(target));
  });
});

describe('ensurePunktEnglish: a location the user gives', () => {
  const tmp = useTempDir();

  it('accepts the english folder, its punkt_tab parent, or an nltk_data root', async function () {
    const english = punktSourceDir(this);
    assert.equal(await ensurePunktEnglish({ path: english, cacheDir: tmp.path }), english);
    assert.equal(resolvePunktEnglishDir(path.dirname(english)), path.join(path.dirname(english), 'english'));

    const root = path.join(tmp.path, 'nltk_data');
    const target = path.join(root, 'tokenizers', 'punkt_tab', 'english');
    fs.mkdirSync(target, { recursive: true });
    for (const file of PUNKT_FILES) fs.copyFileSync(path.join(english, file), path.join(target, file));
    assert.equal(resolvePunktEnglishDir(root), target);
  });

  it('unpacks a punkt_tab.zip given as a file into the cache', async function () {
    const zipFile = path.join(tmp.path, 'punkt_tab.zip');
    fs.writeFileSync(zipFile, punktTabZip(punktSourceDir(this)));
    const cacheDir = path.join(tmp.path, 'cache');
    assert.equal(await ensurePunktEnglish({ path: zipFile, cacheDir }), cachedPunktEnglishDir(cacheDir));
    assert.deepEqual(fs.readdirSync(cachedPunktEnglishDir(cacheDir)).sort(), [...PUNKT_FILES].sort());
  });

  it('names the missing files of an incomplete folder', async () => {
    fs.writeFileSync(path.join(tmp.path, 'abbrev_types.txt'), 'dr\n');
    await assert.rejects(
      ensurePunktEnglish({ path: tmp.path, cacheDir: tmp.path }),
      (error: unknown) =>
        error instanceof DatasetError && /lacks collocations\.tab, sent_starters\.txt, ortho_context\.tab/.test(error.message),
    );
    await assert.rejects(
      ensurePunktEnglish({ path: path.join(tmp.path, 'nope'), cacheDir: tmp.path }),
      (error: unknown) => error instanceof DatasetError && /does not exist/.test(error.message),
    );
  });
});
