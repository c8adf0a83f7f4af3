/**
 * Native executor: CPython in a warm driver process per core that forks once per program.
 *
 * Guarantees (Linux; each one is reported in `ExecutionResult.isolation` when it could not be had):
 *  - environment built from scratch (PATH, LANG, OMP_NUM_THREADS): API keys and tokens of the host never reach it;
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
import { CancelledError, ConfigError, ScoringError } from '../../errors';
import { NATIVE_DRIVER } from './nativeDriver';
import {
  AloneGate,
  capText,
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_MS,
  jobOf,
  outcomeOf,
  Pool,
  runConfirmingTimeouts,
  type CodeExecutor,
  type ExecutionResult,
  type ExecutorOptions,
  type ProgramSpec,
} from './executor';

export interface NativeExecutorOptions extends ExecutorOptions {
  /** Interpreter to use; default `python3` on PATH. */
  pythonPath?: string;
}

/** The environment every driver gets: nothing inherited from the host. */
function sandboxEnv(): NodeJS.ProcessEnv {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', OMP_NUM_THREADS: '1' };
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

type DriverResult = ExecutionResult & { cpuBound?: boolean };

interface PendingJob {
  id: number;
  timeoutMs: number;
  resolve(result: DriverResult): void;
  reject(error: Error): void;
  childPid?: number;
}

/** One warm interpreter. Runs one program at a time. */
class Driver {
  readonly ready: Promise<Record<string, string>>;
  private readonly proc: ChildProcessWithoutNullStreams;
  private pending?: PendingJob;
  private stderrTail = '';
  dead = false;
  isolation: Record<string, string> = {};

  constructor(executable: string) {
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
        if (typeof msg.refused === 'string') readyReject(new ConfigError(msg.refused));
        else readyResolve(this.isolation);
        return;
      }
      const job = this.pending;
      if (!job || msg.id !== job.id) return;
      if (typeof msg.pid === 'number') {
        job.childPid = msg.pid;
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
        // The program itself used up its CPU time: no amount of machine load explains that.
        cpuBound: outcome === 'timed out' && Number(msg.cpu) * 1000 >= job.timeoutMs,
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
      if (job) {
        this.killChild(job);
        // The driver only dies under a program if the program managed to kill it: a failure, never a pass.
        job.resolve({
          outcome: 'failed',
          result: 'failed: the execution harness died while running the program',
          exceptionType: 'HarnessDied',
          durationMs: 0,
          isolation: this.isolation,
        });
      }
    });
  }

  run(id: number, spec: ProgramSpec, timeoutMs: number, memoryMb: number): Promise<DriverResult> {
    return new Promise((resolve, reject) => {
      this.pending = { id, timeoutMs, resolve, reject };
      this.proc.stdin.write(JSON.stringify({ id, job: jobOf(spec), timeout: timeoutMs / 1000, memory: memoryMb * 1024 * 1024 }) + '\n');
    });
  }

  /** Kill the running program's process group (cancellation); the driver reports it and stays warm. */
  cancelCurrent(): void {
    if (this.pending) this.killChild(this.pending);
  }

  private killChild(job: PendingJob): void {
    if (job.childPid === undefined) return;
    try {
      process.kill(-job.childPid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** Stop the driver: end of input lets it remove its temp folder; a driver that lingers is killed. */
  kill(): void {
    this.dead = true;
    if (this.pending) this.killChild(this.pending);
    this.proc.stdin.end();
    setTimeout(() => this.proc.kill('SIGKILL'), 1000).unref();
  }
}

export class NativeExecutor implements CodeExecutor {
  readonly kind = 'native' as const;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;
  /** Slots, each holding a driver started on first use and restarted after it dies. */
  private readonly pool: Pool<{ driver?: Driver }>;
  private readonly drivers = new Set<Driver>();
  private readonly gate = new AloneGate();
  private interpreter?: Promise<InterpreterInfo>;
  private nextId = 1;
  private disposed = false;

  constructor(private readonly options: NativeExecutorOptions = {}) {
    if (process.platform === 'win32') {
      throw new ConfigError('the native HumanEval executor needs Linux or macOS (it forks a warm interpreter); use the wasm executor on Windows');
    }
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
    const size = Math.max(1, options.parallelism ?? os.availableParallelism());
    this.pool = new Pool(() => ({}), size);
  }

  /** The interpreter in use (resolved on first use). */
  interpreterInfo(): Promise<InterpreterInfo> {
    this.interpreter ??= resolveInterpreter(this.options.pythonPath);
    return this.interpreter;
  }

  private async driverFor(slot: { driver?: Driver }): Promise<Driver> {
    // A second run alone may come after dispose(): it must not start a driver nobody will stop.
    if (this.disposed) throw new ScoringError('the native executor was disposed');
    if (!slot.driver || slot.driver.dead) {
      if (slot.driver) this.drivers.delete(slot.driver);
      const info = await this.interpreterInfo();
      slot.driver = new Driver(info.executable);
      this.drivers.add(slot.driver);
    }
    await slot.driver.ready;
    return slot.driver;
  }

  /** Start every driver now, so the first programs do not pay for interpreter start-up. */
  async warmUp(): Promise<Record<string, string>> {
    const slots = await Promise.all(Array.from({ length: this.pool.capacity }, () => this.pool.acquire()));
    try {
      const drivers = await Promise.all(slots.map((slot) => this.driverFor(slot)));
      return drivers[0].isolation;
    } finally {
      for (const slot of slots) this.pool.release(slot);
    }
  }

  async run(spec: ProgramSpec, signal?: AbortSignal): Promise<ExecutionResult> {
    if (this.disposed) throw new ScoringError('the native executor was disposed');
    if (signal?.aborted) throw new CancelledError();
    return runConfirmingTimeouts(this.gate, () => this.runOnce(spec, signal));
  }

  private async runOnce(spec: ProgramSpec, signal?: AbortSignal): Promise<DriverResult> {
    const slot = await this.pool.acquire();
    try {
      const driver = await this.driverFor(slot);
      if (signal?.aborted) throw new CancelledError();
      spec.onStart?.();
      const running = driver.run(this.nextId++, spec, spec.timeoutMs ?? this.timeoutMs, this.memoryMb);
      const onAbort = () => driver.cancelCurrent();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await running;
        if (signal?.aborted) throw new CancelledError();
        return result;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    } finally {
      this.pool.release(slot);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const d of this.drivers) d.kill();
    this.drivers.clear();
  }
}
