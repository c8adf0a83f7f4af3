/**
 * dist/cli.js, the `evalbench` command. It runs the CLI bundle (dist/cliMain.js, built from main.ts) through
 * a V8 code cache in the cache folder (src/core/codeCache.ts): a cold command otherwise spends tens of
 * milliseconds compiling the bundle and then each function it calls. Kept tiny: it is compiled every time.
 */
import * as path from 'node:path';
import { defaultCacheDir } from '../core/cacheDir';
import { loadWithCodeCache } from '../core/codeCache';

const argv = process.argv.slice(2);
const bundle = loadWithCodeCache(path.join(__dirname, 'cliMain.js'), { dir: path.join(cacheDirOf(argv), 'code-cache'), tag: argv[0] ?? 'none' });
(bundle.exports.runFromCommandLine as () => void)();

/** The folder --cache-dir names, as the command will read it, so a fresh cache folder is fresh for the code too. */
function cacheDirOf(args: string[]): string {
  const at = args.indexOf('--cache-dir');
  if (at >= 0 && args[at + 1]) return path.resolve(args[at + 1]);
  const inline = args.find((a) => a.startsWith('--cache-dir='));
  if (inline) return path.resolve(inline.slice('--cache-dir='.length));
  return defaultCacheDir(process.env);
}
