import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ScoringWorkerClient } from '../../../src/core/scoring/scoringWorkerClient';
import { tsxExecArgv } from '../../../src/core/scoring/workerLocation';
import type { ScoreRequest } from '../../../src/core/benchmarks/types';
import { ScoringError } from '../../../src/core/errors';
import { waitFor } from '../../support/waitFor';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const realWorker = path.resolve(__dirname, '../../../src/worker/scoringWorker.ts');
const crashingWorker = path.resolve(__dirname, 'fixtures/crashingWorker.ts');
const tsx = tsxExecArgv();

function request(response: string, id = 'q1'): ScoreRequest {
  return { benchmarkId: 'custom', item: { id, data: { prompt: 'p', expected: ['4'], scorer: 'exact', ignoreCase: false } }, response };
}

describe('ScoringWorkerClient', function () {
  this.timeout(120_000);
  let client: ScoringWorkerClient | undefined;
  afterEach(async () => {
    await client?.dispose();
    client = undefined;
  });

  it('scores in a separate process and answers ping', async () => {
    client = new ScoringWorkerClient({ workerPath: realWorker, execArgv: tsx });
    const info = await client.ping();
    assert.notEqual(info.pid, process.pid);
    assert.ok(info.benchmarks.includes('custom'));
    const [right, wrong] = await Promise.all([client.score(request('4')), client.score(request('5'))]);
    assert.equal(right.passed, true);
    assert.equal(wrong.passed, false);
  });

  it('reports an unknown benchmark as a scoring error', async () => {
    client = new ScoringWorkerClient({ workerPath: realWorker, execArgv: tsx });
    await assert.rejects(client.score({ ...request('4'), benchmarkId: 'nope' }), /no scorer for benchmark 'nope'/);
  });

  it('restarts a crashed worker, and fails only the item that crashes it twice', async () => {
    const logs: string[] = [];
    client = new ScoringWorkerClient({ workerPath: crashingWorker, execArgv: tsx, log: (_l, m) => logs.push(m) });
    const firstPid = (await client.ping()).pid;
    const results = await Promise.allSettled([client.score(request('CRASH', 'poison')), client.score(request('4', 'fine'))]);
    assert.equal(results[0].status, 'rejected');
    assert.match(String((results[0] as PromiseRejectedResult).reason.message), /stopped while scoring item poison/);
    // The innocent item caught in the first crash was retried on a fresh worker.
    assert.equal(results[1].status, 'fulfilled');
    assert.ok(client.crashCount >= 2, `crashes: ${client.crashCount}`);
    assert.ok(logs.some((l) => /died \(code 3\)/.test(l)), logs.join('\n'));
    const after = await client.ping();
    assert.notEqual(after.pid, firstPid);
    assert.equal((await client.score(request('4'))).passed, true);
  });

  it('fails the requests of a worker that closed its IPC channel but stays alive, at once, and stops it', async () => {
    const logs: string[] = [];
    // A 10-minute limit: only the closed channel can end these requests within the test's timeout.
    client = new ScoringWorkerClient({ workerPath: crashingWorker, execArgv: tsx, requestTimeoutMs: 600_000, log: (_l, m) => logs.push(m) });
    const firstPid = (await client.ping()).pid;
    // Sent in one turn: they travel to the worker in one batch.
    const results = await Promise.allSettled([client.score(request('DISCONNECT', 'leaver')), client.score(request('4', 'fine'))]);
    assert.equal(results[0].status, 'rejected');
    const reason = (results[0] as PromiseRejectedResult).reason as Error;
    assert.ok(reason instanceof ScoringError, String(reason));
    assert.match(reason.message, /stopped while scoring item leaver: scoring worker pid \d+ disconnected \(its IPC channel closed\)/);
    // The item caught with it was scored again on a new worker, as after a crash.
    assert.equal(results[1].status, 'fulfilled', String((results[1] as PromiseRejectedResult).reason));
    assert.ok(client.crashCount >= 2, `crashes: ${client.crashCount}`);
    // Requests after it go to a new worker at once, and the disconnected ones did not stay behind.
    assert.equal((await client.score(request('4'))).passed, true);
    assert.notEqual(client.pid, firstPid);
    // Failed in a CI rehearsal and under two busy loops: the fixture itself crashed sending after its disconnect
    // (fixed there); the client's log says what happened if it ever fails again.
    await waitFor('the disconnected workers to be stopped', () => logs.filter((l) => /after its IPC channel closed: a worker EvalBench cannot reach is stopped/.test(l)).length >= 2).catch((error: Error) => {
      throw new Error(`${error.message} (crashes: ${client?.crashCount}); the client's log:\n${logs.join('\n')}`);
    });
    assert.equal(isAlive(firstPid), false, `worker ${firstPid} is still running`);
  });

  it('times out a hung scorer, replaces the stuck worker, and aborts on request', async () => {
    // The budget covers scoring only: every worker is started (and pinged, with its own generous limit)
    // before a timed request, so process start-up on a busy machine is never part of what is timed; the
    // budget itself is generous (5 s) because the item scored under it on a loaded box must still pass.
    client = new ScoringWorkerClient({ workerPath: crashingWorker, execArgv: tsx, requestTimeoutMs: 5_000 });
    const stuckPid = (await client.ping()).pid;
    await assert.rejects(client.score(request('HANG')), /no reply within/);
    // The next item is scored by a fresh worker, not queued behind the stuck one.
    // (The stuck worker is being killed: ping until the fresh one answers, however long its start-up takes.)
    for (;;) {
      const pid = await client.ping().then((info) => info.pid, () => stuckPid);
      if (pid !== stuckPid) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal((await client.score(request('4'))).passed, true);
    assert.notEqual(client.pid, stuckPid);
    const controller = new AbortController();
    const pending = client.score(request('HANG'), controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled by user')), 50);
    await assert.rejects(pending, /cancelled by user/);
  });

  it('says plainly when the worker bundle is missing', () => {
    assert.throws(() => new ScoringWorkerClient({ workerPath: '/nope/worker.js' }), /scoring worker not found at \/nope\/worker.js: build the project first/);
  });
});
