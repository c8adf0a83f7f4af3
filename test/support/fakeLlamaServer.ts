/** Helpers around test/support/fake-llama-server.js: its path, a tiny GGUF to give it, and survivor checks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tinyLlamaSpec, writeGguf } from './ggufWriter';

export const FAKE_LLAMA_SERVER = path.join(__dirname, 'fake-llama-server.js');

/**
 * Writes `<dir>/<name>` as a GGUF header (Q4_K_M when the name contains Q4, else F16), extended sparsely to the size
 * of a 7B model in that quantization (4.1 GB or 14.5 GB): nothing is written to disk beyond the header.
 */
export function fakeModelFile(dir: string, name: string, chatTemplate = '{{ messages }}'): string {
  const file = path.join(dir, name);
  const q4 = /Q4/i.test(name);
  writeGguf(file, tinyLlamaSpec({ fileType: q4 ? 15 : 1, tensorType: q4 ? 12 : 1, chatTemplate, name, sizeBytes: q4 ? 4_100_000_000 : 14_500_000_000 }));
  return file;
}

/** Pids of fake servers that wrote their pid file into `dir` (FAKE_LLAMA_PID_DIR) and are still alive. */
export function liveFakeServers(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => Number(path.basename(f, '.json')))
    .filter(isAlive);
}

/** Every pid that ever wrote a pid file into `dir` (alive or not). */
export function startedFakeServers(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => Number(path.basename(f, '.json')));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it is dead for our purposes.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** Polls `check` until it holds or `timeoutMs` passes (generous: the machine may be busy). */
export async function eventually(check: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
