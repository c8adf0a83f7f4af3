/**
 * The saved language model (modelSnapshot.ts) is the built one, table for table: every probability and
 * every n-gram row read back equal, so detection cannot differ between a first and a later process; a
 * damaged or stale snapshot is ignored, never trusted.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModelSnapshot, saveModelSnapshot, snapshotFile } from '../../../src/core/benchmarks/ifeval/text/langdetect/modelSnapshot';
import { loadLanguageModel, resolveProfileSource } from '../../../src/core/benchmarks/ifeval/text/langdetect/profiles';
import { useTempDir } from '../../support/tempDir';

describe('langdetect model snapshot', function () {
  this.timeout(120_000);
  const tmp = useTempDir('evalbench-ldsnap-');
  const source = resolveProfileSource();
  const built = loadLanguageModel(source, { snapshots: false });
  const files = fs.readdirSync(source.dir).sort().map((f) => path.join(source.dir, f));

  it('reads back the same languages, probabilities and n-gram rows', () => {
    const file = snapshotFile(source, files, tmp.path);
    saveModelSnapshot(file, built);
    const saved = loadModelSnapshot(file, source);
    assert.ok(saved, 'the snapshot loads');
    assert.deepEqual(saved.languages, built.languages);
    assert.equal(saved.exact, built.exact);
    assert.equal(saved.index.size, built.index.size);
    assert.equal(saved.probabilities.length, built.probabilities.length);
    assert.ok(saved.probabilities.every((p, i) => p === built.probabilities[i]), 'every probability equal');
    for (const gram of ['e', 'th', 'the', ' a', 'ét', 'дом', '日本', 'ん', 'zzq', '\u0378']) {
      assert.equal(saved.index.rowOf(gram), built.index.rowOf(gram), `row of ${JSON.stringify(gram)}`);
    }
  });

  it('ignores a damaged snapshot and one saved under another key', () => {
    const file = snapshotFile(source, files, tmp.path);
    saveModelSnapshot(file, built);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    assert.equal(loadModelSnapshot(file, source), undefined, 'truncated');
    const other = path.join(tmp.path, 'langdetect', 'model-other.bin');
    fs.writeFileSync(other, bytes);
    assert.equal(loadModelSnapshot(other, source), undefined, 'a file whose name is not its key');
  });

  it('names a new snapshot when a profile file changes', () => {
    const copy = path.join(tmp.path, 'profiles');
    fs.cpSync(source.dir, copy, { recursive: true });
    const copySource = { dir: copy, origin: 'explicit' as const };
    const copyFiles = fs.readdirSync(copy).sort().map((f) => path.join(copy, f));
    const before = snapshotFile(copySource, copyFiles, tmp.path);
    fs.appendFileSync(copyFiles[0], ' ');
    assert.notEqual(snapshotFile(copySource, copyFiles, tmp.path), before);
  });
});
