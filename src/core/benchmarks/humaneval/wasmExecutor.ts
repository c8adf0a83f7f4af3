/**
 * WebAssembly executor: CPython compiled to WebAssembly (Pyodide), for machines without Python and for
 * when the model's code must not touch the machine at all.
 *
 * Each slot is a Node child process of its own (process.execPath with ELECTRON_RUN_AS_NODE=1, so the same
 * code works in the VS Code extension host), started under Node's permission model: it may read Pyodide's
 * folder and nothing else, and may not write files, start processes or workers, or load addons. Emscripten's
 * routes to the host (posix.system → child_process, file systems mounted from the host) end at that wall;
 * sockets, which Node 20's model does not cover, are replaced by functions that throw (wasmChildSource.ts).
 * The environment is empty, so no API key can be read.
 *
 * Each program starts from the same bytes: the child restores its WebAssembly memory after every program,
 * and is replaced when a program changed what that memory does not hold (see wasmChildSource.ts).
 * Time limit: the child interrupts the program (KeyboardInterrupt → "timed out") when the CPU time it used
 * plus the time it asked to sleep reaches the limit, which machine load does not change; or, as a backstop
 * for a program that waits without either, at WASM_WALL_FACTOR times the limit of wall time, a "timed out"
 * then confirmed by running the program again alone (processPool.ts). A child that does not answer within 3 s
 * after the backstop is killed and replaced. No memory cap beyond WebAssembly's 4 GiB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, ScoringError } from '../../errors';
import { capText, jobOf, outcomeOf, type ExecutorOptions, type ProgramSpec } from './executor';
import { ProcessPool, SandboxLostError, type RunnerResult, type SandboxRunner } from './processPool';
import { WASM_CHILD_JS, WASM_HARNESS_PY, WASM_WALL_FACTOR } from './wasmChildSource';

export const WASM_ISOLATION: Record<string, string> = {
  executor: 'wasm (Pyodide in a Node child process under the permission model)',
  filesystem: "no host files: reads only Pyodide's own folder, writes nothing (in-memory file system)",
  processes: 'none: starting processes and workers is refused by the permission model',
  network: 'cut: every socket API throws',
  environment: 'empty (no API keys)',
  state: 'WebAssembly memory restored after every program',
};

/**
 * Where Pyodide's files are: `dist/pyodide/` next to the bundle (copied by esbuild.mjs), else the
 * `pyodide` package in node_modules (running from source under tsx).
 */
export function pyodideIndexURL(): string {
  const candidates = [path.join(__dirname, 'pyodide'), path.join(__dirname, '..', 'pyodide')];
  try {
    candidates.push(path.dirname(require.resolve('pyodide/package.json')));
  } catch {
    // Not installed: only the bundled copy can work.
  }
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'pyodide.asm.wasm')) && fs.existsSync(path.join(dir, 'pyodide.js'))) return fs.realpathSync(dir) + path.sep;
  }
  throw new ConfigError(`Pyodide's files were not found (looked in ${candidates.join(', ')}): reinstall EvalBench, or use the native executor`);
}

/** The permission flag of the Node that runs us (renamed from --experimental-permission in Node 22.13/23.5). */
export function permissionFlag(version = process.versions.node): string {
  const [major, minor] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13) ? '--permission' : '--experimental-permission';
}

/** How a Pyodide child is started: the permission flags are the sandbox, so they are written once. */
export function pyodideChildCommand(indexURL: string, script: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: process.execPath,
    args: [permissionFlag(), `--allow-fs-read=${indexURL}`, '-e', script],
    // Electron (the VS Code extension host) runs as plain Node with this; nothing else of ours is inherited.
    env: { ELECTRON_RUN_AS_NODE: '1', EVALBENCH_PYODIDE_DIR: indexURL },
  };
}

interface Job {
  id: number;
  resolve(r: RunnerResult): void;
  reject(e: Error): void;
  killTimer?: NodeJS.Timeout;
}

/**
 * Signals that can end a Pyodide process because of the program it runs: the program shares the process
 * with its interpreter, so running out of memory (the OOM killer's SIGKILL, V8's abort) or crashing it
 * (SIGSEGV…) is its own doing, as a killed interpreter is in the official harness ("timed out"). No other
 * signal can come from the program: it has no process API (no JavaScript bridge, signals are emulated
 * inside WebAssembly). Any other signal was sent from outside: no verdict (SandboxLostError).
 */
const PROGRAM_SIGNALS = new Set<string>(['SIGKILL', 'SIGABRT', 'SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP', 'SIGSYS', 'SIGXCPU', 'SIGXFSZ']);

class PyodideChild implements SandboxRunner<string> {
  readonly ready: Promise<string>;
  dead = false;
  private readonly child: ChildProcess;
  private job?: Job;
  private stderrTail = '';
  /** kill() was called (cancel, dispose, a child that stopped answering): its ending is ours. */
  private killed = false;

  constructor(indexURL: string) {
    const { command, args, env } = pyodideChildCommand(indexURL, WASM_CHILD_JS);
    this.child = spawn(command, args, {
      env,
      cwd: indexURL,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    let readyResolve!: (v: string) => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    this.ready.catch(() => undefined);
    this.child.on('message', (msg: Record<string, unknown>) => {
      if (msg.type === 'ready') readyResolve(String(msg.version));
      else if (msg.type === 'error') readyReject(new ScoringError(`Pyodide could not start: ${String(msg.message)}`));
      else if (msg.type === 'fatal' && this.job?.id === msg.id) {
        // The interpreter failed under the program (a refused process start…): never a pass.
        this.dead = true;
        this.finish({ outcome: 'failed', result: `failed: the sandbox stopped the program (${capText(String(msg.message), 300)})`, exceptionType: 'SandboxRefusal', durationMs: Number(msg.ms), isolation: WASM_ISOLATION });
      } else if (msg.type === 'result' && this.job?.id === msg.id) {
        if (msg.tainted) this.dead = true;
        const result = msg.timedOut ? 'timed out' : capText(String(msg.result));
        this.finish({
          outcome: outcomeOf(result),
          result,
          traceback: !msg.timedOut && typeof msg.traceback === 'string' ? capText(msg.traceback) : undefined,
          exceptionType: !msg.timedOut && typeof msg.exc === 'string' ? msg.exc : undefined,
          suspicious: typeof msg.suspicious === 'string' ? msg.suspicious : undefined,
          durationMs: Number(msg.ms),
          isolation: WASM_ISOLATION,
          // The program used up its CPU-plus-sleep time: a second run alone would change nothing.
          cpuBound: msg.timedOut === true && msg.overCharge === true,
        });
      }
    });
    const onGone = (why: string, signal?: NodeJS.Signals | null) => {
      this.dead = true;
      readyReject(new ScoringError(`the Pyodide process stopped: ${why} ${this.stderrTail.trim().slice(-500)}`));
      const job = this.job;
      if (!job) return;
      if (signal && !this.killed && !PROGRAM_SIGNALS.has(signal)) {
        this.job = undefined;
        clearTimeout(job.killTimer);
        job.reject(new SandboxLostError(`the Pyodide process was stopped from outside (${signal}) while the program ran; not the program's fault`));
        return;
      }
      // Ended without reporting, like a killed process in the official harness.
      this.finish({ outcome: 'timed out', result: 'timed out', durationMs: 0, isolation: WASM_ISOLATION });
    };
    this.child.on('error', (e) => onGone(e.message));
    this.child.on('exit', (code, signal) => onGone(`(${signal ?? `exit code ${code}`})`, signal));
    this.child.send({ type: 'init', harness: WASM_HARNESS_PY });
  }

  private finish(result: RunnerResult): void {
    const job = this.job;
    if (!job) return;
    this.job = undefined;
    clearTimeout(job.killTimer);
    job.resolve(result);
  }

  run(id: number, spec: ProgramSpec, timeoutMs: number): Promise<RunnerResult> {
    return new Promise((resolve, reject) => {
      // The child times the program itself from its start; this only catches a child that stopped answering.
      const job: Job = { id, resolve, reject };
      this.job = job;
      job.killTimer = setTimeout(() => this.kill(), timeoutMs * WASM_WALL_FACTOR + 3000);
      this.child.send({ type: 'run', id, job: JSON.stringify(jobOf(spec)), timeoutMs });
    });
  }

  /** Cancellation: the interpreter cannot be interrupted from outside without losing it, so it goes. */
  abort(): void {
    this.kill();
  }

  /** Stop the process; a running program is reported as timed out. */
  kill(): void {
    this.dead = true;
    this.killed = true;
    this.child.kill('SIGKILL');
  }
}

export class WasmExecutor extends ProcessPool<string, PyodideChild> {
  readonly kind = 'wasm' as const;
  private indexURL?: string;

  constructor(options: ExecutorOptions & { indexURL?: string } = {}) {
    super(options);
    this.indexURL = options.indexURL;
  }

  get isolation(): Record<string, string> {
    return WASM_ISOLATION;
  }

  protected startRunner(): PyodideChild {
    this.indexURL ??= pyodideIndexURL();
    return new PyodideChild(this.indexURL);
  }
}
