/**
 * The pooled executor, written once: `parallelism` slots, each holding one sandbox process (a runner) that
 * runs one program at a time, is started on first use and replaced after it dies; a FIFO of callers waiting
 * for a slot; cancellation; dispose; and the load-independence rule (a first "timed out" runs again alone).
 * The native (CPython, fork per program) and wasm (Pyodide in a Node child) executors specialise it by
 * saying only how to start a runner; the runner says how to run one program and how to stop it.
 */
import * as os from 'node:os';
import { CancelledError, ScoringError } from '../../errors';
import { DEFAULT_TIMEOUT_MS, type CodeExecutor, type ExecutionResult, type ExecutorOptions, type ProgramSpec } from './executor';

/** A runner's result; `cpuBound`: the program itself used up its CPU-time limit (no second run needed). */
export type RunnerResult = ExecutionResult & { cpuBound?: boolean };

/**
 * The runner's process was lost for a reason the program cannot have caused (stopped from outside, by the
 * host's OOM killer, or by EvalBench itself): no verdict. The pool runs the program once more on a new
 * runner; a second loss is a scoring error — never "failed", which would count the sample as wrong.
 * A runner raises it only for endings the program could not have brought about (see each executor).
 */
export class SandboxLostError extends ScoringError {}

/** One sandbox process of a pool. */
export interface SandboxRunner<Ready> {
  /** Settles when the runner takes programs; its value is what `warmUp()` reports. */
  readonly ready: Promise<Ready>;
  /** The process is gone or must not be reused: the pool starts another in its slot. */
  readonly dead: boolean;
  /**
   * Runs one program; a program that kills or breaks its runner resolves as a failure or a timeout, never a
   * pass. Rejects with SandboxLostError when the process was lost for a reason that is not the program's.
   */
  run(id: number, spec: ProgramSpec, timeoutMs: number): Promise<RunnerResult>;
  /** The caller gave up: stop the running program now (its result is then discarded as cancelled). */
  abort(): void;
  /** Stop the process for good. */
  kill(): void;
}

export abstract class ProcessPool<Ready, R extends SandboxRunner<Ready> = SandboxRunner<Ready>> implements CodeExecutor {
  abstract readonly kind: 'native' | 'wasm';
  protected readonly timeoutMs: number;
  private readonly slots: Pool<{ runner?: R }>;
  private readonly runners = new Set<R>();
  private readonly gate = new AloneGate();
  private nextId = 1;
  private disposed = false;

  constructor(options: ExecutorOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.slots = new Pool(() => ({}), Math.max(1, options.parallelism ?? os.availableParallelism()));
  }

  /** Start one sandbox process (the pool awaits its `ready`). */
  protected abstract startRunner(): Promise<R> | R;

  /** Start every slot's runner now, so the first programs do not pay for start-up. */
  async warmUp(): Promise<Ready> {
    const slots = await Promise.all(Array.from({ length: this.slots.capacity }, () => this.slots.acquire()));
    try {
      const runners = await Promise.all(slots.map((slot) => this.runnerFor(slot)));
      return await runners[0].ready;
    } finally {
      for (const slot of slots) this.slots.release(slot);
    }
  }

  async run(spec: ProgramSpec, signal?: AbortSignal): Promise<ExecutionResult> {
    this.assertLive();
    if (signal?.aborted) throw new CancelledError();
    const result = await runConfirmingTimeouts(this.gate, () => this.runOnce(spec, signal));
    if (signal?.aborted) throw new CancelledError();
    return result;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const runner of this.runners) runner.kill();
    this.runners.clear();
  }

  private assertLive(): void {
    if (this.disposed) throw new ScoringError(`the ${this.kind} executor was disposed`);
  }

  private async runnerFor(slot: { runner?: R }): Promise<R> {
    // A second run alone may come after dispose(): it must not start a process nobody will stop.
    this.assertLive();
    if (!slot.runner || slot.runner.dead) {
      if (slot.runner) this.runners.delete(slot.runner);
      slot.runner = undefined;
      const runner = await this.startRunner();
      if (this.disposed) {
        runner.kill();
        this.assertLive();
      }
      slot.runner = runner;
      this.runners.add(runner);
    }
    await slot.runner.ready;
    return slot.runner;
  }

  /** One run; a run whose runner was lost (not the program's doing) is made once more on a new runner. */
  private async runOnce(spec: ProgramSpec, signal?: AbortSignal): Promise<RunnerResult> {
    try {
      return await this.runOnSlot(spec, signal);
    } catch (error) {
      if (!(error instanceof SandboxLostError)) throw error;
      try {
        // The slot's runner is dead: runnerFor starts a new one.
        return await this.runOnSlot(spec, signal);
      } catch (again) {
        if (again instanceof SandboxLostError) throw new SandboxLostError(`${again.message}, and again when it ran a second time on a new one: no verdict`);
        throw again;
      }
    }
  }

  private async runOnSlot(spec: ProgramSpec, signal?: AbortSignal): Promise<RunnerResult> {
    const slot = await this.slots.acquire();
    try {
      if (signal?.aborted) throw new CancelledError();
      const runner = await this.runnerFor(slot);
      if (signal?.aborted) throw new CancelledError();
      const onAbort = () => runner.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        spec.onStart?.();
        // Cancelled by a listener of onStart: the runner never sees a program it could not stop.
        if (signal?.aborted) throw new CancelledError();
        const result = await runner.run(this.nextId++, spec, spec.timeoutMs ?? this.timeoutMs);
        if (signal?.aborted) throw new CancelledError();
        // Stopped by dispose(): whatever the runner reported (a killed program reads as "timed out") is no verdict.
        this.assertNotDisposedDuring();
        return result;
      } catch (error) {
        if (signal?.aborted) throw new CancelledError();
        this.assertNotDisposedDuring();
        throw error;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    } finally {
      this.slots.release(slot);
    }
  }

  private assertNotDisposedDuring(): void {
    if (this.disposed) throw new ScoringError(`the ${this.kind} executor was disposed while the program ran: no verdict`);
  }
}

/**
 * Shared/exclusive admission to an executor: programs run shared; a program that timed out runs again
 * exclusive — after every running program has finished and before any queued one starts — so that a
 * "timed out" verdict never comes from programs of the same pool competing for the CPU.
 */
export class AloneGate {
  private running = 0;
  private exclusive = false;
  private readonly queue: Array<{ exclusive: boolean; admit(): void }> = [];

  async run<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((admit) => {
      this.queue.push({ exclusive, admit });
      this.pump();
    });
    try {
      return await task();
    } finally {
      this.running--;
      this.exclusive = false;
      this.pump();
    }
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.exclusive) {
      const next = this.queue[0];
      if (next.exclusive && this.running > 0) return;
      this.queue.shift();
      this.running++;
      this.exclusive = next.exclusive;
      next.admit();
    }
  }
}

/**
 * The load-independence rule: a first "timed out" is only a suspicion; the program runs again alone and its
 * second result is the verdict. `cpuBound` results (the program itself used up the CPU-time limit) need no
 * second run: machine load does not change CPU time.
 */
export async function runConfirmingTimeouts(gate: AloneGate, once: () => Promise<RunnerResult>): Promise<ExecutionResult> {
  const first = await gate.run(false, once);
  if (first.outcome !== 'timed out' || first.cpuBound) return strip(first);
  const second = await gate.run(true, once);
  return { ...strip(second), confirmedAlone: second.outcome === 'timed out' ? true : undefined };
}

function strip(result: RunnerResult): ExecutionResult {
  const { cpuBound: _cpu, ...rest } = result;
  return rest;
}

/** A small FIFO of waiters so `capacity` slots can be shared by any number of callers. */
class Pool<W> {
  private readonly idle: W[] = [];
  private readonly waiters: Array<(w: W) => void> = [];
  private created = 0;

  constructor(private readonly create: () => W, readonly capacity: number) {}

  acquire(): Promise<W> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    if (this.created < this.capacity) {
      this.created++;
      return Promise.resolve(this.create());
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(w: W): void {
    const next = this.waiters.shift();
    if (next) next(w);
    else this.idle.push(w);
  }
}
