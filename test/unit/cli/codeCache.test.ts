/**
 * The V8 code cache the `evalbench` command loads its bundle through: written by a process that had none,
 * used by the next, refused and rewritten when damaged, never shared between two bundle texts, and never
 * able to change what the bundle does.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useTempDir } from '../../support/tempDir';

const codeCacheModule = path.resolve(__dirname, '../../../src/core/codeCache.ts');

/** Load `bundle` through the cache in a fresh Node process (the cache is written at exit); returns what it printed. */
function load(bundle: string, dir: string, tag = 'score'): { cache: string; said: string } {
  const script = `
    const { loadWithCodeCache } = require(${JSON.stringify(codeCacheModule)});
    const loaded = loadWithCodeCache(${JSON.stringify(bundle)}, { dir: ${JSON.stringify(dir)}, tag: ${JSON.stringify(tag)} });
    process.stdout.write(JSON.stringify({ cache: loaded.cache, said: loaded.exports.say(3) }));
  `;
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8' });
  return JSON.parse(out);
}

/** A small CommonJS bundle using require, module, __dirname: what esbuild's CJS output relies on. */
function writeBundle(file: string, word: string): void {
  fs.writeFileSync(
    file,
    `const path = require('node:path');
     function repeat(n) { let s = ''; for (let i = 0; i < n; i++) s += ${JSON.stringify(word)}; return s; }
     module.exports.say = (n) => repeat(n) + ':' + path.basename(__dirname) + ':' + (typeof exports);`,
  );
}

const binFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bin')) : []);

describe('code cache for the CLI bundle', function () {
  this.timeout(120_000);
  const tmp = useTempDir('evalbench-codecache-');

  it('is written by the first process, used by the next, and the bundle behaves the same', () => {
    const bundle = path.join(tmp.path, 'bundle.js');
    const dir = path.join(tmp.path, 'cache', 'code-cache');
    writeBundle(bundle, 'ab');
    const first = load(bundle, dir);
    assert.deepEqual(first, { cache: 'absent', said: `ababab:${path.basename(tmp.path)}:object` });
    assert.equal(binFiles(dir).length, 1, 'written at exit');
    assert.deepEqual(load(bundle, dir), { ...first, cache: 'used' });
  });

  it('refuses a damaged cache, runs from the text, and writes a good one again', () => {
    const bundle = path.join(tmp.path, 'bundle.js');
    const dir = path.join(tmp.path, 'code-cache');
    writeBundle(bundle, 'xy');
    load(bundle, dir);
    const [file] = binFiles(dir);
    fs.writeFileSync(path.join(dir, file), Buffer.from('not a V8 code cache at all'));
    assert.deepEqual(load(bundle, dir), { cache: 'rejected', said: `xyxyxy:${path.basename(tmp.path)}:object` });
    assert.equal(load(bundle, dir).cache, 'used');
  });

  it('never serves one bundle text the cache of another, even of the same length, and keeps only the newest', () => {
    const bundle = path.join(tmp.path, 'bundle.js');
    const dir = path.join(tmp.path, 'code-cache');
    writeBundle(bundle, 'ab');
    load(bundle, dir);
    // Same length, other text: V8 alone would accept the old data (it checks the length), the file name does not.
    writeBundle(bundle, 'cd');
    assert.deepEqual(load(bundle, dir), { cache: 'absent', said: `cdcdcd:${path.basename(tmp.path)}:object` });
    assert.equal(binFiles(dir).length, 1, 'the earlier build’s cache was removed');
    // Another tag (command) has a cache of its own.
    assert.equal(load(bundle, dir, 'run').cache, 'absent');
    assert.equal(load(bundle, dir, 'score').cache, 'used');
  });

  it('only costs the speed when the folder cannot be written', () => {
    const bundle = path.join(tmp.path, 'bundle.js');
    writeBundle(bundle, 'ab');
    const blocker = path.join(tmp.path, 'a-file');
    fs.writeFileSync(blocker, '');
    const dir = path.join(blocker, 'code-cache'); // under a file: mkdir fails
    assert.equal(load(bundle, dir).said, `ababab:${path.basename(tmp.path)}:object`);
    assert.equal(load(bundle, dir).cache, 'absent');
  });
});
