/** The load-independence rule: a first "timed out" is only confirmed by a second run with nothing else running. */
import { strict as assert } from 'node:assert';
import { AloneGate, runConfirmingTimeouts } from '../../../src/core/benchmarks/humaneval/processPool';
import type { ExecutionResult } from '../../../src/core/benchmarks/humaneval/executor';

const result = (outcome: ExecutionResult['outcome'], extra: Partial<ExecutionResult & { cpuBound: boolean }> = {}) => ({
  outcome,
  result: outcome === 'failed' ? 'failed: x' : outcome,
  durationMs: 1,
  ...extra,
});

describe('humaneval AloneGate and runConfirmingTimeouts', () => {
  it('admits shared runs together and an exclusive run only when nothing else runs', async () => {
    const gate = new AloneGate();
    const log: string[] = [];
    let running = 0;
    let maxWithExclusive = 0;
    const releases: Array<() => void> = [];
    const task = (name: string, exclusive: boolean) =>
      gate.run(exclusive, async () => {
        running++;
        if (exclusive) maxWithExclusive = Math.max(maxWithExclusive, running);
        log.push(`start ${name}`);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        log.push(`end ${name}`);
      });
    const a = task('a', false);
    const b = task('b', false);
    const x = task('x', true);
    const c = task('c', false); // queued behind the exclusive run
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['start a', 'start b']);
    releases.shift()!();
    releases.shift()!();
    await Promise.all([a, b]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log.slice(-1), ['start x']);
    releases.shift()!();
    await x;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log.slice(-2), ['end x', 'start c']);
    releases.shift()!();
    await c;
    assert.equal(maxWithExclusive, 1);
  });

  it('runs a timed-out program again alone and keeps the second verdict', async () => {
    const gate = new AloneGate();
    const outcomes: ExecutionResult['outcome'][] = ['timed out', 'passed'];
    const r = await runConfirmingTimeouts(gate, async () => result(outcomes.shift()!));
    assert.equal(r.outcome, 'passed');
    assert.equal(r.confirmedAlone, undefined);
  });

  it('records "timed out" only when the run alone timed out too', async () => {
    const gate = new AloneGate();
    let runs = 0;
    const r = await runConfirmingTimeouts(gate, async () => {
      runs++;
      return result('timed out');
    });
    assert.equal(runs, 2);
    assert.equal(r.outcome, 'timed out');
    assert.equal(r.confirmedAlone, true);
  });

  it('does not run again when the program used up its CPU time itself, nor after other verdicts', async () => {
    const gate = new AloneGate();
    let runs = 0;
    const cpu = await runConfirmingTimeouts(gate, async () => {
      runs++;
      return result('timed out', { cpuBound: true });
    });
    assert.equal(cpu.outcome, 'timed out');
    assert.equal(runs, 1);
    assert.equal('cpuBound' in cpu, false);
    const failed = await runConfirmingTimeouts(gate, async () => {
      runs++;
      return result('failed');
    });
    assert.equal(failed.outcome, 'failed');
    assert.equal(runs, 2);
  });
});
