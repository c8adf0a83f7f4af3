/**
 * Loads a CommonJS bundle through a V8 code cache (Node 20 has no module.enableCompileCache). A cold
 * `evalbench score` compiled its 1.3 MB bundle, then each function on its first call, in every process; the
 * cache holds that bytecode. It is written after a process that had none (or had one V8 refused) has done its
 * work, so the functions that work compiled are in it, one file per bundle content, Node build and `tag` (the
 * CLI passes the command name: `score` and `run` compile different functions).
 *
 * Safe by construction: the file name carries the SHA-256 of the bundle's text, so a rebuilt bundle never
 * meets an old cache (V8 itself checks only the text's length); V8 refuses data from another V8 version or
 * other flags (`cachedDataRejected`), and a refused, damaged or unwritable cache only costs the speed: the
 * bundle is compiled from its text as it would be without a cache, and the file is written again.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

export interface CodeCacheOptions {
  /** Folder of the cache files, e.g. <cache dir>/code-cache; created when first written. */
  dir: string;
  /** What the process is about to run (letters, digits, '-'); anything else is filed as 'other'. */
  tag: string;
}

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** What the cache did: 'used', 'absent' (none yet) or 'rejected' (V8 refused it); the last two write one at exit. */
  cache: 'used' | 'absent' | 'rejected';
  /** The cache file for this bundle and tag. */
  cacheFile: string;
}

/** Run the CommonJS file `file` as `require` would, with its compiled code from the cache when there is one. */
export function loadWithCodeCache(file: string, options: CodeCacheOptions): LoadedBundle {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = codeCacheFile(file, source, options);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // None yet (or unreadable): compiled from the text, written at exit.
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const cache = !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  if (cache !== 'used') process.once('exit', () => writeCodeCache(cacheFile, script, cachePrefix(file, options.tag)));

  const module = { exports: {} as Record<string, unknown>, id: file, filename: file, loaded: false };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return { exports: module.exports, cache, cacheFile };
}

/** `<dir>/<bundle name>-<tag>-<sha256 of its text, node version, arch>.bin`. */
export function codeCacheFile(file: string, source: string, options: CodeCacheOptions): string {
  const key = createHash('sha256').update(source).update(`\0${process.version}\0${process.arch}`).digest('hex').slice(0, 32);
  return path.join(options.dir, `${cachePrefix(file, options.tag)}${key}.bin`);
}

/** The part of a cache file's name shared by every version of one bundle and tag. */
function cachePrefix(file: string, tag: string): string {
  return `${path.basename(file, '.js')}-${/^[a-z0-9-]{1,40}$/i.test(tag) ? tag : 'other'}-`;
}

/**
 * Best effort, whole or absent (a temp file renamed into place): a read-only folder only costs the speed.
 * Caches of earlier builds of the same bundle and tag are removed, so rebuilds do not pile files up.
 */
function writeCodeCache(file: string, script: vm.Script, prefix: string): void {
  try {
    const data = script.createCachedData();
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.bin') && name !== path.basename(file)) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // Nothing to do: the next process compiles from the text and tries again.
  }
}
