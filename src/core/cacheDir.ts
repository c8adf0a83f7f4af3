/** The cache folder when nobody says otherwise (the CLI, the worker's fallback): data copies fetched by `evalbench data update`, an unpacked punkt_tab.zip. */
import * as os from 'node:os';
import * as path from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EVALBENCH_CACHE_DIR) return env.EVALBENCH_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'evalbench');
}
