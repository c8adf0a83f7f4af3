/**
 * The pool's rule for a lost sandbox process (processPool.ts): a SandboxLostError is no verdict, so the
 * program runs once more on a new runner and that run's result is the verdict; any other error is not
 * retried. Runners here are in-memory stand-ins that answer as told, so the rule is tested on its own; the
 * native and wasm suites end real sandbox processes from outside.
 */
import { strict as assert } from 'node:assert';
import { ProcessPool, SandboxLostError, type RunnerResult, type SandboxRunner } from '../../../src/core/benchmarks/humaneval/processPool';
import { ScoringError } from '../../../src/core/errors';

type Answer = RunnerResult | Error;

class ScriptedRunner implements SandboxRunner<string> {
  readonly ready = Promise.resolve('scripted');
  dead = false;
  constructor(private readonly answer: Answer) {}
  async run(): Promise<RunnerResult> {
    if (this.answer instanceof Error) {
      this.dead = true;
      throw this.answer;
    }
    return this.answer;
  }
  abort(): void {}
  kill(): void {
    this.dead = true;
  }
}

/** A pool whose n-th runner gives the n-th answer. */
class ScriptedPool extends ProcessPool<string, ScriptedRunner> {
  readonly kind = 'native' as const;
  started = 0;
  constructor(private readonly answers: Answer[]) {
    super({ parallelism: 1 });
  }
  protected startRunner(): ScriptedRunner {
    return new ScriptedRunner(this.answers[this.started++]);
  }
}

const failed: RunnerResult = { outcome: 'failed', result: 'failed: wrong', durationMs: 1 };

describe('humaneval pool: a sandbox process lost under a program', () => {
  it('runs the program again on a new runner, whose result is the verdict', async () => {
    const pool = new ScriptedPool([new SandboxLostError('killed from outside'), failed]);
    let starts = 0;
    const r = await pool.run({ program: 'x', onStart: () => starts++ });
    assert.equal(r.result, 'failed: wrong');
    assert.equal(pool.started, 2);
    assert.equal(starts, 2);
  });

  it('gives a scoring error when the second run is lost too, and tries no third time', async () => {
    const pool = new ScriptedPool([new SandboxLostError('killed from outside (SIGKILL)'), new SandboxLostError('killed from outside (SIGTERM)'), failed]);
    await assert.rejects(pool.run({ program: 'x' }), (e: unknown) => e instanceof ScoringError && /SIGTERM.*again/.test(e.message));
    assert.equal(pool.started, 2);
  });

  it('does not run the program again for any other error', async () => {
    const pool = new ScriptedPool([new ScoringError('the driver could not run a program'), failed]);
    await assert.rejects(pool.run({ program: 'x' }), /could not run a program/);
    assert.equal(pool.started, 1);
  });
});
