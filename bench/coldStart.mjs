// Whole-process timing for the bench scripts: a command started fresh each time (cold: a new process
// loads the bundle, its data and its worker), timed from spawn to exit, median of several runs; and the
// start-up floor every Node command pays (`node -e 0`), measured in the same run as the baseline.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const builtCli = path.join(repoRoot, 'dist', 'cli.js');

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Median wall seconds of `reps` fresh runs of command+args; throws with the output when one fails. */
export function timeProcess(command, args, { reps = 5, cwd = repoRoot, env = process.env, okCodes = [0] } = {}) {
  const walls = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    const run = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    walls.push((performance.now() - start) / 1000);
    if (!okCodes.includes(run.status)) {
      throw new Error(`${command} ${args.join(' ')} exited ${run.status ?? run.signal}:\n${String(run.stderr).slice(-2000)}`);
    }
  }
  return { median: median(walls), min: Math.min(...walls), runs: walls.length };
}

/** The `node -e 0` floor: what any Node process costs to start and stop on this machine now. */
export function nodeFloor(reps = 5) {
  return timeProcess(process.execPath, ['-e', '0'], { reps });
}

/** The built CLI (npm run build); the cold figures time what a user runs, not the TypeScript source. */
export function requireBuiltCli() {
  if (!fs.existsSync(builtCli)) {
    console.log(`dist/cli.js ABSENT: run npm run build first; cold whole-process figures need the bundle`);
    return undefined;
  }
  return builtCli;
}

/** Load average, printed with every figure: the box is shared, and its load moves the numbers. */
export function loadNote() {
  try {
    const [one, five] = fs.readFileSync('/proc/loadavg', 'utf8').split(' ');
    return `load average ${one} (1 min), ${five} (5 min)`;
  } catch {
    return 'load average unknown';
  }
}

/**
 * Bundle a small TypeScript entry (`source`, importing from the repository) with esbuild, as the shipped
 * bundles are built, into a temporary .cjs; `run(file)` can then time fresh `node file` processes.
 * The file is removed afterwards.
 */
export async function withBundledEntry(source, run) {
  const esbuild = await import('esbuild');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-cold-'));
  const file = path.join(dir, 'entry.cjs');
  try {
    await esbuild.build({
      stdin: { contents: source, resolveDir: repoRoot, loader: 'ts', sourcefile: 'cold-entry.ts' },
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
      external: ['vscode', 'pyodide', 'tsx'],
    });
    return await run(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall seconds of one fresh run of command+args, without blocking this process (for benches that serve it). */
export async function timeProcessAsync(command, args, { cwd = repoRoot, env = process.env } = {}) {
  const { spawn } = await import('node:child_process');
  const start = performance.now();
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`);
  return (performance.now() - start) / 1000;
}

/**
 * Store a run given as records ({ run, items, samples }, as the compare and drift benches build them) in
 * `runsDir` through RunStore, as a run writes it, so that a fresh CLI process can be timed on it. Returns its file.
 */
export async function storeRun(runsDir, { run, items, samples }) {
  const { RunStore } = await import('../src/core/storage/runStore.ts');
  const writer = await new RunStore(runsDir).create(run.config, { runId: run.id, items });
  for (const sample of samples) writer.putSample(sample);
  writer.updateRun({ status: run.status, metrics: run.metrics });
  await writer.close();
  return writer.file;
}
