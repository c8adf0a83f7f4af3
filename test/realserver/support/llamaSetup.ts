/**
 * The real llama.cpp server and the tiny GGUF models, made once per test process by the two
 * scripts (scripts/setup-llama-server.sh builds from the npm package node-llama-cpp and caches the
 * build; scripts/make-tiny-models.sh writes the models, cached too). On a machine where they cannot
 * be made, the suite is skipped with a loud message — except under CI or
 * EVALBENCH_REQUIRE_SHARED=1, where that is a failure: CI must prove the real server, not skip it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface LlamaSetup {
  server: string;
  quantize: string;
  models: { f32: string; q4_0: string; q8_0: string };
  modelsDir: string;
}

/** The repository root; bundled copies of this file (the VS Code integration suite) pass their own. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** The first build compiles llama.cpp (about 15 minutes on 2 busy cores); later runs take a second. */
export const SETUP_TIMEOUT_MS = 60 * 60_000;

let pending: Promise<LlamaSetup> | undefined;
let modelsDir: string | undefined;

export function realServerRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.EVALBENCH_REQUIRE_SHARED === '1' || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false');
}

/** Builds (or finds) llama-server and the tiny models; memoised for the whole mocha process. */
export function llamaSetup(repoRoot = REPO_ROOT): Promise<LlamaSetup> {
  pending ??= (async () => {
    const scripts = path.join(repoRoot, 'scripts');
    const server = await runScript(scripts, 'setup-llama-server.sh', []);
    modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-tiny-models-'));
    const dir = await runScript(scripts, 'make-tiny-models.sh', [modelsDir]);
    const models = { f32: path.join(dir, 'tiny-f32.gguf'), q4_0: path.join(dir, 'tiny-q4_0.gguf'), q8_0: path.join(dir, 'tiny-q8_0.gguf') };
    for (const file of Object.values(models)) {
      if (!fs.existsSync(file)) throw new Error(`make-tiny-models.sh did not write ${file}`);
    }
    return { server, quantize: path.join(path.dirname(server), 'llama-quantize'), models, modelsDir: dir };
  })();
  return pending;
}

/**
 * For a suite's `before`: the setup, or a skip (locally) / a failure (CI) saying why there is none.
 * `this.timeout` is raised here because the first build takes minutes.
 */
export async function requireLlama(ctx: Mocha.Context, repoRoot = REPO_ROOT): Promise<LlamaSetup> {
  ctx.timeout(SETUP_TIMEOUT_MS);
  try {
    return await llamaSetup(repoRoot);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (realServerRequired()) throw new Error(`the real llama.cpp server could not be set up: ${reason}`);
    console.warn(`      [evalbench] real llama.cpp server UNAVAILABLE — skipping the real-server suite: ${reason}`);
    ctx.skip();
    throw error; // not reached: skip() throws
  }
}

/** The per-process models folder (its path is on every llama-server command line of this run). */
export function currentModelsDir(): string | undefined {
  return modelsDir;
}

/** Removes the per-process copy of the models (the cached originals stay). */
export function removeModelsCopy(): void {
  if (modelsDir) fs.rmSync(modelsDir, { recursive: true, force: true });
}

/** Runs one script with bash; resolves to its last stdout line; rejects with its stderr's tail. */
function runScript(scripts: string, name: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(scripts, name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000);
      // The build's own progress lines stay quiet; our scripts' lines say what is happening.
      for (const line of d.toString().split('\n')) {
        if (/^(setup-llama-server|make-tiny-models): /.test(line)) console.log(`      [evalbench] ${line}`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && last !== '') resolve(last);
      else reject(new Error(`${name} exited ${code}: ${stderr.trim().split('\n').slice(-15).join('\n')}`));
    });
  });
}
