/**
 * The product's real path under a crash and under signals: the CLI run command, its journal batching and
 * its scoring worker, against a loopback server that counts its replies. The server stalls after N replies
 * (every later request hangs), so the kill or signal always lands mid-run whatever the machine's load, at a
 * moment chosen by N, not by a timer.
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/storage/runStore';
import { DEFAULT_FLUSH } from '../../../src/core/storage/runWriter';
import type { FakeModelServer, FakeReply, RecordedRequest } from '../../support/fakeModelServer';
import { useFakeModelServers, type FakeModelServers } from '../../support/useFakeModelServer';
import { collect, runCli, spawnCli } from '../../support/cliProcess';
import { useTempDir } from '../../support/tempDir';

const CONCURRENCY = 8;

/** The prompt itself is the right answer: every item passes unless the server fails it. */
const echoPrompt = (r: RecordedRequest) => String(r.body?.messages?.at(-1)?.content ?? '');

/** A server that answers `budget` requests, then hangs every later one; `onReply(n)` runs after the n-th answer is sent. */
class StallingServer {
  answered = 0;
  asked = 0;
  budget = Infinity;
  onReply: (answered: number) => void = () => {};
  onAsked: (asked: number) => void = () => {};
  server!: FakeModelServer;

  async start(servers: FakeModelServers): Promise<this> {
    this.server = await servers.start({ kind: 'llama.cpp', totalSlots: CONCURRENCY, logRequests: false, reply: (r) => this.reply(r) });
    return this;
  }

  private reply(request: RecordedRequest): FakeReply {
    this.onAsked(++this.asked);
    if (this.answered >= this.budget) return { type: 'hang' };
    const n = ++this.answered;
    setImmediate(() => this.onReply(n)); // after the reply is written
    return echoPrompt(request);
  }
}

function writeDataset(dir: string, total: number): string {
  const file = path.join(dir, 'set.jsonl');
  fs.writeFileSync(file, Array.from({ length: total }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `p${i}`, expected: `p${i}` })).join('\n'));
  return file;
}

function randomBetween(low: number, high: number): number {
  return low + Math.floor(Math.random() * (high - low + 1));
}

describe('the CLI killed or signalled mid-run (real batching path)', function () {
  this.timeout(300_000);
  const tmp = useTempDir();
  const servers = useFakeModelServers();

  it('kill -9 at random replies: loss ≤ in-flight + 50 each time, the file opens, and resume asks exactly the rest', async () => {
    const total = 3000;
    const stalling = await new StallingServer().start(servers);
    const dataset = writeDataset(tmp.path, total);
    const runsDir = path.join(tmp.path, 'runs');
    const store = new RunStore(runsDir);
    const bound = CONCURRENCY + 50;
    assert.ok(DEFAULT_FLUSH.maxUnsavedSamples + CONCURRENCY <= bound, 'the writer keeps at most the documented number of replies unsaved');
    let runId: string | undefined;
    let stored = 0;

    for (let kill = 0; kill < 3; kill++) {
      // Counted per kill: items lost by an earlier kill are asked (and answered) again by the next resume.
      const answeredBefore = stalling.answered;
      const target = answeredBefore + randomBetween(100, 700);
      stalling.budget = target;
      const args = runId
        ? ['run', '--resume', runId, '--out', runsDir]
        : ['run', '--base-url', stalling.server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', runsDir, '--concurrency', String(CONCURRENCY)];
      const child: ChildProcess = spawnCli(args, { cwd: tmp.path });
      const output = collect(child);
      // SIGKILL the moment the target-th reply has left the server: whatever the CLI holds unsaved then is lost.
      stalling.onReply = (n) => {
        if (n === target) child.kill('SIGKILL');
      };
      const killed = await output;
      assert.equal(killed.signal, 'SIGKILL', `kill ${kill}: the CLI was still running when killed\n${killed.stderr}`);

      const summaries = await store.listSummaries();
      assert.equal(summaries.length, 1, 'one run file');
      runId = summaries[0].id;
      const reader = await store.openReader(runId); // the file opens: intact, journal replayed
      const samples = reader.samples();
      const status = reader.run().status;
      const counts = reader.summary().counts;
      const metrics = reader.run().metrics;
      reader.close();
      // Its metrics are those of the judged samples on disk (every reply here is right), in the file and the list alike.
      const judged = counts.passed + counts.wrong;
      const expectedHeadline = judged === 0 ? undefined : { value: 1, n: judged };
      assert.deepEqual(metrics[0] && { value: metrics[0].value, n: metrics[0].n }, expectedHeadline, `kill ${kill}: the file's metrics`);
      assert.deepEqual(summaries[0].headline && { value: summaries[0].headline.value, n: summaries[0].headline.n }, expectedHeadline, `kill ${kill}: the list's headline`);
      // The list (and the tree) count what the file holds, not the summary the killed writer last wrote.
      assert.deepEqual([summaries[0].status, summaries[0].counts], ['interrupted', counts], `kill ${kill}: list agrees with the run file`);
      const answered = stalling.answered - answeredBefore;
      const lost = answered - (samples.length - stored);
      console.log(`      kill ${kill + 1}: ${answered} replies sent, ${samples.length - stored} more on disk, ${lost} lost (bound ${bound})`);
      assert.equal(status, 'interrupted', 'its writer died: the run reads as interrupted');
      assert.ok(lost >= 0 && lost <= bound, `lost ${lost} answered samples, more than in-flight ${CONCURRENCY} + 50`);
      assert.ok(samples.every((s) => s.status === 'done' && s.response === `p${s.itemId.slice(1)}`), 'every stored reply is whole and its own');
      stored = samples.length;
    }

    // Resume to the end: exactly the samples not on disk are asked again, and nothing is asked twice.
    stalling.budget = Infinity;
    stalling.onReply = () => {};
    const askedBefore = stalling.asked;
    const resumed = await runCli(['run', '--resume', runId!, '--out', runsDir], { cwd: tmp.path });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(stalling.asked - askedBefore, total - stored, 'resume asked exactly the missing samples');
    const reader = await store.openReader(runId!);
    const all = reader.samples();
    const run = reader.run();
    reader.close();
    assert.equal(run.status, 'done');
    assert.equal(all.length, total);
    assert.equal(new Set(all.map((s) => s.itemId)).size, total);
    assert.equal(run.metrics[0].value, 1);
    assert.deepEqual(fs.readdirSync(runsDir).sort(), [`${runId}.sqlite`, `${runId}.summary.json`], 'journal folded, lock released');
  });

  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`${signal} ends the run as cancelled: every answered sample saved, the lock released, exit 1`, async () => {
      const total = 400;
      const stalling = await new StallingServer().start(servers);
      const dataset = writeDataset(tmp.path, total);
      const runsDir = path.join(tmp.path, `runs-${signal}`);
      const answered = randomBetween(40, 200);
      stalling.budget = answered;
      const child = spawnCli(
        ['run', '--base-url', stalling.server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', runsDir, '--concurrency', String(CONCURRENCY)],
        { cwd: tmp.path },
      );
      const output = collect(child);
      // Every lane asks for its next item only after storing the previous reply: once every lane hangs, all
      // `answered` replies were handed to the writer, and some may still be only in memory.
      stalling.onAsked = (asked) => {
        if (asked === answered + CONCURRENCY) child.kill(signal);
      };
      const result = await output;
      assert.equal(result.code, 1, `exit 1 for a cancelled run\n${result.stderr}`);
      const store = new RunStore(runsDir);
      const [summary] = await store.listSummaries();
      const reader = await store.openReader(summary.id);
      const samples = reader.samples();
      const run = reader.run();
      reader.close();
      assert.equal(run.status, 'cancelled');
      assert.equal(samples.length, answered, '0 answered samples lost');
      // A reply whose scoring was cut short by the signal is stored unscored; resume scores it without asking again.
      assert.deepEqual(fs.readdirSync(runsDir).sort(), [`${summary.id}.sqlite`, `${summary.id}.summary.json`], 'journal folded, lock released');
      assert.match(result.stderr, new RegExp(`evalbench run --resume ${summary.id}`), 'the hint names the real run id');
    });
  }

  it('resume checks the server first: a dead one or another model leaves the run as it was; --base-url finishes it at a new address', async () => {
    const total = 60;
    const answered = 20;
    const stalling = await new StallingServer().start(servers);
    stalling.budget = answered;
    const dataset = writeDataset(tmp.path, total);
    const runsDir = path.join(tmp.path, 'runs-moved');
    const child = spawnCli(['run', '--base-url', stalling.server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', runsDir, '--concurrency', String(CONCURRENCY)], { cwd: tmp.path });
    const output = collect(child);
    stalling.onAsked = (asked) => {
      if (asked === answered + CONCURRENCY) child.kill('SIGINT');
    };
    assert.equal((await output).code, 1);
    const store = new RunStore(runsDir);
    const [{ id }] = await store.listSummaries();
    const stored = async () => {
      const reader = await store.openReader(id);
      try {
        return { status: reader.run().status, counts: reader.summary().counts };
      } finally {
        reader.close();
      }
    };
    const before = await stored();
    // Replies whose scoring the signal cut short are stored unscored (pending): resume scores them without asking.
    assert.equal(before.status, 'cancelled');
    assert.equal(before.counts.passed + before.counts.pending, total);
    assert.ok(before.counts.pending >= total - answered);

    // Nothing listens there any more: said at once, exit 1, and no pending sample becomes a request failure.
    const gone = await servers.start({ kind: 'llama.cpp', reply: echoPrompt });
    const deadUrl = gone.url;
    await gone.close();
    const dead = await runCli(['run', '--resume', id, '--out', runsDir, '--base-url', deadUrl], { cwd: tmp.path });
    assert.equal(dead.code, 1, dead.stderr);
    assert.match(dead.stderr, /no OpenAI-compatible server at http:\/\/127\.0\.0\.1:\d+\/v1: GET \S+\/models → connection refused/);
    assert.deepEqual(await stored(), before);

    // A server at the new address that serves another model: an input error, the run untouched.
    const other = await servers.start({ kind: 'llama.cpp', models: ['other-model'], reply: echoPrompt });
    const wrongModel = await runCli(['run', '--resume', id, '--out', runsDir, '--base-url', other.url], { cwd: tmp.path });
    assert.equal(wrongModel.code, 2, wrongModel.stderr);
    assert.match(wrongModel.stderr, /does not serve a model named 'fake-model'/);
    assert.deepEqual(await stored(), before);

    // The same model at its new address: the rest is asked there, the run ends done.
    const moved = await servers.start({ kind: 'llama.cpp', reply: echoPrompt });
    const resumed = await runCli(['run', '--resume', id, '--out', runsDir, '--base-url', moved.url], { cwd: tmp.path });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(await stored(), { status: 'done', counts: { total, passed: total, wrong: 0, request_failed: 0, scoring_error: 0, pending: 0 } });
    assert.equal(moved.requests.filter((r) => r.path.endsWith('/chat/completions')).length, total - answered, 'only the pending samples were asked');
  });

  it('kill -9 of the scoring worker, again and again, never crashes the CLI: the run finishes', async function () {
    if (process.platform !== 'linux') this.skip(); // finds the worker through /proc
    const total = 400;
    const stalling = await new StallingServer().start(servers);
    const dataset = writeDataset(tmp.path, total);
    const runsDir = path.join(tmp.path, 'runs-worker');
    const child = spawnCli(
      ['run', '--base-url', stalling.server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', runsDir, '--concurrency', String(CONCURRENCY)],
      { cwd: tmp.path },
    );
    const output = collect(child);
    let kills = 0;
    stalling.onReply = (n) => {
      if (n % 60 !== 0 || kills >= 4) return;
      for (const pid of childPids(child.pid!)) {
        try {
          process.kill(pid, 'SIGKILL');
          kills++;
        } catch {
          // already gone
        }
      }
    };
    const result = await output;
    assert.ok(kills >= 2, `the worker was killed ${kills} times`);
    assert.equal(result.signal, null, result.stderr);
    assert.doesNotMatch(result.stderr, /unexpected error|EPIPE|Unhandled|ERR_IPC/, `no crash, no unhandled error:\n${result.stderr}`);
    assert.match(result.stderr, /scoring worker pid \d+ died/, 'the deaths were seen and reported');
    const store = new RunStore(runsDir);
    const [summary] = await store.listSummaries();
    assert.equal(summary.status === 'done' || summary.status === ('done_with_errors' as string), true, `status ${summary.status}`);
    assert.equal(summary.counts.pending, 0, "every sample answered and judged or failed");
  });
});

/** Direct children of a process (Linux). */
function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
