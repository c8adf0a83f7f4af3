/**
 * `mkdir -p`, one level at a time from the nearest folder that exists.
 *
 * Node's own `mkdir(dir, { recursive: true })` never returns under /proc (it loops on an error it expects to
 * clear by making the parent, in a file system where no folder can be made): `--out /proc/x` spun a core and
 * ignored SIGTERM. Made level by level, the first folder that cannot be made fails with its own error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    let found: fs.Stats;
    try {
      found = await fs.promises.stat(current);
    } catch (error) {
      // ENOTDIR: something on the way is a file; the mkdir below that reaches it says so.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(current) === current) throw error;
      missing.push(current);
      continue;
    }
    // A file where a folder must be: say which, not the ENOTDIR of a file made inside it later.
    if (!found.isDirectory()) {
      throw Object.assign(new Error(`ENOTDIR: it is a file not a folder, mkdir '${current}'`), { code: 'ENOTDIR', errno: -20, syscall: 'mkdir', path: current });
    }
    break;
  }
  for (const folder of missing.reverse()) {
    try {
      await fs.promises.mkdir(folder);
    } catch (error) {
      // Made meanwhile by someone else: as good as made here.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
