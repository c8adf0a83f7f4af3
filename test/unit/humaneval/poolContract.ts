/**
 * What every pooled executor (processPool.ts) must do, whatever its sandbox: pass the canonical solutions,
 * give every oracle case its official outcome, let no program forge a pass by ending early or printing,
 * reach no network, stop a cancelled program and keep serving, refuse work once disposed. Called inside
 * each executor's suite, so the native and the wasm executor are held to the same tests.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import type { CodeExecutor, ExecutorOptions } from '../../../src/core/benchmarks/humaneval/executor';
import { readJsonl, requireSharedData } from '../../support/sharedData';
import { loadProblems, oracleMismatches, specFor, type OracleCase } from './oracleSupport';

export interface PoolUnderTest {
  /** The suite's warm executor. */
  executor(): CodeExecutor;
  /** A new executor of the same kind, for tests that dispose it. */
  create(options: ExecutorOptions): CodeExecutor;
  /** Whether this executor cut the network here (the native one cannot everywhere: it then says so). */
  networkCut(): boolean;
  /** Slots of the executor the oracle's waiting cases (sleeps, spins until interrupted) run on. */
  waitingParallelism: number;
}

export function itBehavesAsAPooledExecutor(pool: PoolUnderTest): void {
  it('passes all 164 canonical solutions', async function () {
    const problems = loadProblems(requireSharedData(this, 'humaneval/HumanEval.jsonl.gz'));
    assert.equal(problems.size, 164);
    const results = await Promise.all([...problems.values()].map((p) => pool.executor().run(specFor(p, p.canonical_solution))));
    const failed = results.map((r, i) => [[...problems.keys()][i], r.result]).filter(([, r]) => r !== 'passed');
    assert.deepEqual(failed, []);
  });

  it('gives every oracle case its official outcome', async function () {
    // Every timeout runs a second time alone: on a busy machine that is minutes, not a speed claim.
    this.timeout(1_200_000);
    const problems = loadProblems(requireSharedData(this, 'humaneval/HumanEval.jsonl.gz'));
    const cases = readJsonl<OracleCase>(requireSharedData(this, 'humaneval/oracle_public.jsonl'));
    assert.equal(cases.length, 300);
    const wide = pool.create({ parallelism: pool.waitingParallelism });
    try {
      assert.deepEqual(await oracleMismatches(pool.executor(), wide, problems, cases), []);
    } finally {
      await wide.dispose();
    }
  });

  it('cannot forge a pass by ending early or printing', async () => {
    const failing = '\nassert False, "the tests fail"';
    const forgeries: Array<[string, string]> = [
      ['import os\nos._exit(0)' + failing, 'timed out'],
      ['import sys\nsys.exit(0)' + failing, 'failed'],
      ['raise SystemExit(0)' + failing, 'failed'],
      ['import sys\nprint("passed")\nsys.__stdout__.write("passed\\n")' + failing, 'failed'],
    ];
    for (const [program, outcome] of forgeries) {
      const r = await pool.executor().run({ program });
      assert.equal(r.outcome, outcome, `${program}\n→ ${r.result}`);
    }
    // The runners survived all of it.
    assert.equal((await pool.executor().run({ program: 'assert True' })).result, 'passed');
  });

  it('has no network (a loopback server sees no connection)', async function () {
    if (!pool.networkCut()) this.skip();
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = await pool.executor().run({ program: `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=1)` });
      assert.equal(r.outcome, 'failed');
      assert.equal(r.exceptionType, 'OSError');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(connections, 0);
    } finally {
      server.close();
    }
  });

  it('stops a program when the run is cancelled, whenever that comes, and keeps serving', async () => {
    // Cancelled as it starts (before the runner could say which process runs it), a moment later, and by
    // onStart itself. With a 10-minute limit, only the cancellation can end these within the test's timeout.
    const cancellers: Array<(abort: () => void) => void> = [(abort) => queueMicrotask(abort), (abort) => setTimeout(abort, 100), (abort) => abort()];
    for (const cancel of cancellers) {
      const controller = new AbortController();
      const spin = { program: 'while True:\n    pass', timeoutMs: 600_000, onStart: () => cancel(() => controller.abort()) };
      await assert.rejects(pool.executor().run(spin, controller.signal), /cancelled/);
    }
    assert.equal((await pool.executor().run({ program: 'assert True' })).result, 'passed');
  });

  it('refuses programs once disposed, and a program already cancelled never starts', async () => {
    const executor = pool.create({ parallelism: 1 });
    let started = false;
    try {
      await assert.rejects(executor.run({ program: 'assert True', onStart: () => (started = true) }, AbortSignal.abort()), /cancelled/);
      assert.equal((await executor.run({ program: 'assert True' })).result, 'passed');
    } finally {
      await executor.dispose();
    }
    await assert.rejects(executor.run({ program: 'assert True', onStart: () => (started = true) }), /disposed/);
    assert.equal(started, false);
  });
}
