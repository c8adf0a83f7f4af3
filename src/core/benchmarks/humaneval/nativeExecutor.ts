/**
 * Native executor: CPython in a warm driver process per core that forks once per program.
 *
 * Guarantees (Linux; each one is reported in `ExecutionResult.isolation` when it could not be had):
 *  - environment built from scratch (PATH, LANG, OMP_NUM_THREADS, GLIBC_TUNABLES): API keys and tokens of the host never reach it;
 *  - argument arrays, never a shell; `python -I -B` (no user site-packages, no PYTHON* variables, no .pyc writes);
 *  - each program: a fresh temp dir as cwd, removed afterwards; stdin raising, stdout/stderr swallowed
 *    (the official `swallow_io`); the official `reliability_guard` Nones (exit, quit, os.kill, os.getcwd…);
 *  - the official time limit (3 s `setitimer` in the program, the process killed at limit + 1 s), the whole
 *    process group — and, where permitted, its own pid namespace — killed at the end of every program;
 *  - an address-space cap (RLIMIT_AS, 2 GiB by default: the official harness lets a 1 GiB allocation pass);
 *  - network cut by an empty network namespace; Landlock: writes only inside the temp dir, reads only from
 *    the interpreter and system folders (not /proc, not home folders), no signals to processes outside;
 *    uid `nobody` when the host runs as root;
 *  - a verdict the program cannot forge: see nativeDriver.ts.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as os from 'node:os';
import * as readline from 'node:readline';
import { ConfigError, ScoringError } from '../../errors';
import { capText, DEFAULT_MEMORY_MB, jobOf, outcomeOf, type ExecutorOptions, type ProgramSpec } from './executor';
import { NATIVE_DRIVER } from './nativeDriver';
import { ProcessPool, SandboxLostError, type RunnerResult, type SandboxRunner } from './processPool';

/**
 * A timed-out program that used this much memory is confirmed by a second run alone even when it used up its
 * CPU time. CPU time does not follow the machine's load, but what the kernel spends handing out memory does
 * follow the machine's state: on a VM the first touch of memory the host has not backed yet is CPU time of
 * the guest. The official harness's 1 GiB `bytearray` took 2.61 s of CPU there the first time and
 * 0.12–0.13 s right after (`python3 -c "bytearray(1 << 30)"` with sandboxEnv's huge pages, 2026-12-02),
 * and it timed out in the oracle suite this way twice that day. The second run gets the memory the first one
 * freed. An infinite loop uses little memory and is not run twice.
 */
export const FRESH_MEMORY_BYTES = 256 * 1024 * 1024;

export interface NativeExecutorOptions extends ExecutorOptions {
  /** Interpreter to use; default `python3` on PATH. */
  pythonPath?: string;
}

/**
 * The environment every driver gets: nothing inherited from the host.
 *
 * GLIBC_TUNABLES asks glibc (2.35 and later; others ignore it) to back large allocations with transparent huge
 * pages. The official harness lets a 1 GiB allocation pass within its 3 s; on a VM whose page faults are slow
 * that allocation alone took 3.5–3.9 s in 4 KiB pages and 0.4–2.4 s in huge pages (python3 -c
 * "bytearray(1 << 30)", wall, 2026-12-02), so without it the verdict would follow the machine, not the program.
 */
export function sandboxEnv(): NodeJS.ProcessEnv {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', OMP_NUM_THREADS: '1', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' };
}

export interface InterpreterInfo {
  executable: string;
  version: string;
}

/**
 * The real interpreter behind a name or a shim (pyenv, conda): asked once, with only PATH and HOME passed
 * through so shims can resolve, and nothing of the program's is run by it.
 */
export function resolveInterpreter(pythonPath = 'python3', timeoutMs = 15_000): Promise<InterpreterInfo> {
  return new Promise((resolve, reject) => {
    execFile(
      pythonPath,
      ['-I', '-c', 'import sys; print(sys.executable); print(sys.version.split()[0])'],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.homedir() }, timeout: timeoutMs },
      (error, stdout) => {
        const [executable, version] = stdout.trim().split('\n');
        if (error || !executable) {
          reject(new ConfigError(`cannot run the Python interpreter '${pythonPath}' (${error?.message ?? 'no output'}): install Python 3 or set evalbench.pythonPath / --python, or use the wasm executor`));
          return;
        }
        const [major, minor] = version.split('.').map(Number);
        if (major !== 3 || minor < 8) {
          reject(new ConfigError(`'${pythonPath}' is Python ${version}; HumanEval's native executor needs Python 3.8 or later`));
          return;
        }
        resolve({ executable, version });
      },
    );
  });
}

interface PendingJob {
  id: number;
  timeoutMs: number;
  resolve(result: RunnerResult): void;
  reject(error: Error): void;
  childPid?: number;
  /** Cancelled before the driver said which process runs it: killed as soon as it does. */
  cancelled?: boolean;
}

/** One warm interpreter. Runs one program at a time. */
class Driver implements SandboxRunner<Record<string, string>> {
  readonly ready: Promise<Record<string, string>>;
  private readonly proc: ChildProcessWithoutNullStreams;
  private pending?: PendingJob;
  private stderrTail = '';
  /** The driver said no program can signal it (pid namespace per program, or programs run as another uid). */
  private unreachable = false;
  /** kill() was called: an ending from now on is ours. */
  private stopping = false;
  dead = false;
  isolation: Record<string, string> = {};

  constructor(executable: string, private readonly memoryMb: number) {
    this.proc = spawn(executable, ['-I', '-B', '-c', NATIVE_DRIVER], { env: sandboxEnv(), stdio: ['pipe', 'pipe', 'pipe'], cwd: os.tmpdir() });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    let readyResolve!: (iso: Record<string, string>) => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    this.ready.catch(() => undefined);
    const lines = readline.createInterface({ input: this.proc.stdout });
    lines.on('line', (line) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.ready) {
        this.isolation = { executor: 'native (python3 forked per program)', ...(msg.isolation as Record<string, string>) };
        this.unreachable = msg.unreachable === true;
        if (typeof msg.refused === 'string') readyReject(new ConfigError(msg.refused));
        else readyResolve(this.isolation);
        return;
      }
      const job = this.pending;
      if (!job || msg.id !== job.id) return;
      if (typeof msg.pid === 'number') {
        job.childPid = msg.pid;
        if (job.cancelled) this.killChild(job);
        return;
      }
      this.pending = undefined;
      if (typeof msg.error === 'string') {
        job.reject(new ScoringError(`the HumanEval driver could not run a program: ${msg.error}`));
        return;
      }
      const result = capText(String(msg.result));
      const outcome = outcomeOf(result);
      job.resolve({
        outcome,
        result,
        traceback: typeof msg.traceback === 'string' ? capText(msg.traceback) : undefined,
        exceptionType: typeof msg.exc === 'string' ? msg.exc : undefined,
        suspicious: typeof msg.suspicious === 'string' ? msg.suspicious : undefined,
        durationMs: Number(msg.ms),
        isolation: this.isolation,
        // The program itself used up its CPU time: no amount of machine load explains that, unless much of
        // that time was the kernel handing it fresh memory (see FRESH_MEMORY_BYTES): then it runs again alone.
        cpuBound: outcome === 'timed out' && Number(msg.cpu) * 1000 >= job.timeoutMs && !(Number(msg.rss) >= FRESH_MEMORY_BYTES),
      });
    });
    this.proc.on('error', (error) => {
      this.dead = true;
      readyReject(new ConfigError(`cannot start ${executable}: ${error.message}`));
    });
    this.proc.on('exit', (code, sig) => {
      this.dead = true;
      readyReject(new ScoringError(`the HumanEval driver exited before it was ready (${sig ?? code}): ${this.stderrTail.trim()}`));
      const job = this.pending;
      this.pending = undefined;
      if (!job) return;
      this.killChild(job);
      const how = sig ? `killed by ${sig}` : `exited with code ${code}`;
      if (this.stopping) {
        job.reject(new SandboxLostError(`the sandbox process was stopped by EvalBench while the program ran (${how})`));
      } else if (this.unreachable) {
        // The program cannot signal or starve this process (nativeDriver.ts): someone else ended it — a
        // person, a supervisor, the OOM killer. No verdict; the pool runs the program again on a new driver.
        job.reject(new SandboxLostError(`the sandbox process was ${sig ? `killed from outside (${sig})` : `ended from outside (${how})`} while the program ran; not the program's fault`));
      } else {
        // Here the program could have killed its driver itself (no pid namespace, same uid): counted as its
        // failure, never a pass, so that a failing program cannot escape its verdict that way.
        job.resolve({
          outcome: 'failed',
          result: `failed: the execution harness died while running the program (${how}; this sandbox cannot keep a program from signalling it)`,
          exceptionType: 'HarnessDied',
          durationMs: 0,
          isolation: this.isolation,
        });
      }
    });
    // A driver that died as we wrote to it: its 'exit' above settles the program.
    this.proc.stdin.on('error', () => undefined);
  }

  run(id: number, spec: ProgramSpec, timeoutMs: number): Promise<RunnerResult> {
    return new Promise((resolve, reject) => {
      this.pending = { id, timeoutMs, resolve, reject };
      this.proc.stdin.write(JSON.stringify({ id, job: jobOf(spec), timeout: timeoutMs / 1000, memory: this.memoryMb * 1024 * 1024 }) + '\n');
    });
  }

  /** Kill the running program's process group (cancellation); the driver reports it and stays warm. */
  abort(): void {
    if (!this.pending) return;
    this.pending.cancelled = true;
    this.killChild(this.pending);
  }

  private killChild(job: PendingJob): void {
    if (job.childPid === undefined) return;
    try {
      process.kill(-job.childPid, 'SIGKILL');
    } catch {
      // No such group: the program ended, or has not yet made its group (setsid, just after the fork). A
      // cancelled program is tried again until it did or its driver reported it.
      if (job.cancelled) setTimeout(() => this.pending === job && this.killChild(job), 5).unref();
    }
  }

  /** Stop the driver: end of input lets it remove its temp folder; a driver that lingers is killed. */
  kill(): void {
    this.dead = true;
    this.stopping = true;
    this.abort();
    this.proc.stdin.end();
    setTimeout(() => this.proc.kill('SIGKILL'), 1000).unref();
  }
}

export class NativeExecutor extends ProcessPool<Record<string, string>, Driver> {
  readonly kind = 'native' as const;
  private readonly memoryMb: number;
  private interpreter?: Promise<InterpreterInfo>;

  constructor(private readonly options: NativeExecutorOptions = {}) {
    if (process.platform === 'win32') {
      throw new ConfigError('the native HumanEval executor needs Linux or macOS (it forks a warm interpreter); use the wasm executor on Windows');
    }
    super(options);
    this.memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  }

  /** The interpreter in use (resolved on first use). */
  interpreterInfo(): Promise<InterpreterInfo> {
    this.interpreter ??= resolveInterpreter(this.options.pythonPath);
    return this.interpreter;
  }

  protected async startRunner(): Promise<Driver> {
    const info = await this.interpreterInfo();
    return new Driver(info.executable, this.memoryMb);
  }
}
