/** The data shipped under data/: the files, their digests, licences and README, and nothing else. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLED_DATA, PUNKT_ENGLISH_FILES, bundledDataDir, dataDigest, fileDigest } from '../../../src/core/data/bundledData';
import { bundledCopy, resolveDataCopy } from '../../../src/core/data/dataLocation';
import { requireSharedData } from '../../support/sharedData';
import { useTempDir } from '../../support/tempDir';

const REPO_DATA = path.resolve(__dirname, '..', '..', '..', 'data');

/** Where each bundled file comes from in ../shared/data. */
const SHARED_NAME: Record<string, string> = {
  'ifeval/input_data.jsonl': 'ifeval/input_data.jsonl',
  'humaneval/HumanEval.jsonl.gz': 'humaneval/HumanEval.jsonl.gz',
  'gsm8k/test.jsonl': 'gsm8k/test.jsonl',
  'gsm8k/train.jsonl': 'gsm8k/train.jsonl',
  ...Object.fromEntries(PUNKT_ENGLISH_FILES.map((f) => [`punkt_tab/english/${f}`, `ifeval/punkt_tab/english/${f}`])),
};

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('bundled data', () => {
  const tmp = useTempDir();

  it('is found in the repository when running from source', () => {
    assert.equal(bundledDataDir(), REPO_DATA);
  });

  it('holds exactly the dataset files, one LICENSE per source and the README: no oracle, result or golden file', () => {
    const expected = [...Object.keys(SHARED_NAME), 'README.md', 'ifeval/LICENSE', 'punkt_tab/LICENSE', 'humaneval/LICENSE', 'gsm8k/LICENSE'].sort();
    assert.deepEqual(listFiles(REPO_DATA).sort(), expected);
  });

  for (const [bundled, shared] of Object.entries(SHARED_NAME)) {
    it(`${bundled} is ../shared/data/${shared} byte for byte`, function () {
      const original = requireSharedData(this, shared);
      assert.ok(fs.readFileSync(path.join(REPO_DATA, bundled)).equals(fs.readFileSync(original)));
    });
  }

  it('matches the digests listed in the code and in data/README.md', () => {
    const readme = fs.readFileSync(path.join(REPO_DATA, 'README.md'), 'utf8');
    for (const entry of BUNDLED_DATA) {
      assert.equal(dataDigest(entry.id, path.join(REPO_DATA, entry.relativePath)), entry.sha256, entry.id);
      assert.ok(readme.includes(entry.sha256), `README gives ${entry.id}'s digest`);
      assert.ok(readme.includes(entry.updateUrl), `README names ${entry.id}'s source`);
    }
    for (const file of Object.keys(SHARED_NAME)) {
      assert.ok(readme.includes(fileDigest(path.join(REPO_DATA, file))), `README gives the sha256 of ${file}`);
    }
  });

  it('names the right licence and copyright holder for each source', () => {
    const licence = (dir: string) => fs.readFileSync(path.join(REPO_DATA, dir, 'LICENSE'), 'utf8');
    assert.match(licence('ifeval'), /Google Research Authors[\s\S]*Apache License\s+Version 2\.0/);
    assert.match(licence('punkt_tab'), /NLTK Project[\s\S]*Apache License\s+Version 2\.0/);
    assert.match(licence('humaneval'), /MIT License[\s\S]*Copyright \(c\) OpenAI/);
    assert.match(licence('gsm8k'), /MIT License[\s\S]*Copyright \(c\) 2021 OpenAI/);
  });

  it('is the copy runs use when nothing was updated, and it says so', () => {
    for (const entry of BUNDLED_DATA) {
      const copy = resolveDataCopy(entry.id, tmp.path);
      assert.equal(copy.copy, 'bundled');
      assert.equal(copy.sha256, entry.sha256);
      assert.equal(copy.path, path.join(REPO_DATA, entry.relativePath));
      assert.match(copy.origin, /^bundled copy /);
    }
    assert.deepEqual(bundledCopy('ifeval'), resolveDataCopy('ifeval', undefined));
  });
});
