/**
 * Nothing EvalBench starts outlives it. Each command runs as a user runs it (a child process); its process
 * tree is sampled from /proc while it runs, and right after it exits none of those processes — nor any
 * process carrying the command's environment marker, nor an orphan naming its temp dir — may still be
 * alive: scoring worker, Python drivers and their programs, Pyodide processes. Covers `score` (IFEval,
 * HumanEval native and wasm), `run`, and runs cancelled by SIGINT and SIGTERM.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { collect, spawnCli, type CliResult } from '../../support/cliProcess';
import type { FakeReply, RecordedRequest } from '../../support/fakeModelServer';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { TreeWatcher, orphansNaming, procAvailable, processesWithEnv, stillAlive, type ProcessEntry } from '../../support/processTree';
import { useTempDir } from '../../support/tempDir';

const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', '0'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface Traced extends CliResult {
  seen: ProcessEntry[];
  survivors: ProcessEntry[];
}

/** Run the CLI, watch its tree, and list what is alive the moment it has exited. */
async function traced(args: string[], cwd: string, during?: (child: ReturnType<typeof spawnCli>) => void): Promise<Traced> {
  const marker = `EVALBENCH_PROCESS_TREE_TEST=${randomUUID()}`;
  const [name, value] = marker.split('=');
  const child = spawnCli(args, { cwd, env: { [name]: value } });
  const watcher = new TreeWatcher(child.pid!);
  during?.(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const result = collect(child);
  await exited;
  // Checked at once: the command's exit must come after its children's, not shortly before.
  const seen = watcher.stop();
  const survivors = [...stillAlive(seen), ...processesWithEnv(marker), ...orphansNaming([cwd])];
  const unique = [...new Map(survivors.map((p) => [`${p.pid}/${p.startTime}`, p])).values()];
  for (const p of unique) {
    try {
      process.kill(p.pid, 'SIGKILL'); // do not leave them to the next test
    } catch {}
  }
  return { ...(await result), seen, survivors: unique };
}

function assertNothingLeft(r: Traced, what: string): void {
  assert.deepEqual(
    r.survivors.map((p) => `${p.pid} ${p.cmdline.slice(0, 160)}`),
    [],
    `${what}: processes still alive after the command exited (it saw ${r.seen.length} descendants)\n${r.stderr.slice(-2000)}`,
  );
}

describe('nothing left behind: the process tree after each command', function () {
  this.timeout(600_000);
  const tmp = useTempDir('evalbench-proctree-');
  const servers = useFakeModelServers();
  before(function () {
    if (!procAvailable) this.skip(); // the process tree is read from /proc
  });

  it('score --benchmark ifeval', async () => {
    const rows = path.join(tmp.path, 'rows.jsonl');
    fs.writeFileSync(rows, [
      { key: 1000, response: 'A short answer.' },
      { key: 1001, response: 'Une réponse en français, sans majuscules.' },
    ].map((r) => JSON.stringify(r)).join('\n'));
    const r = await traced(['score', '--benchmark', 'ifeval', '--responses', rows, '--json'], tmp.path);
    assert.equal(r.code, 0, r.stderr);
    // IFEval is scored in the CLI process itself (src/core/scoring/inProcessScoring.ts): no worker is forked.
    assert.deepEqual(r.seen.filter((p) => /scoringWorker|worker\.js/.test(p.cmdline)).map((p) => p.cmdline), [], 'no scoring worker for IFEval');
    assertNothingLeft(r, 'score ifeval');
  });

  for (const executor of ['native', 'wasm'] as const) {
    it(`score --benchmark humaneval --executor ${executor}`, async function () {
      if (executor === 'native' && !hasPython) this.skip();
      const rows = path.join(tmp.path, 'rows.jsonl');
      fs.writeFileSync(rows, [
        { task_id: 'HumanEval/53', completion: '    return x + y\n' },
        { task_id: 'HumanEval/53', completion: '    return x - y\n' },
        { task_id: 'HumanEval/0', completion: '    import time\n    time.sleep(0.5)\n    return False\n' },
        { task_id: 'HumanEval/2', completion: '    return number % 1.0\n' },
      ].map((r) => JSON.stringify(r)).join('\n'));
      const r = await traced(['score', '--benchmark', 'humaneval', '--responses', rows, '--executor', executor, '--json'], tmp.path);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.seen.length >= 2, `the worker and its ${executor} executor were seen (${r.seen.map((p) => p.cmdline.slice(0, 60)).join(' | ')})`);
      assertNothingLeft(r, `score humaneval ${executor}`);
    });
  }

  function writeCustomDataset(total: number): string {
    const file = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(file, Array.from({ length: total }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `p${i}`, expected: `p${i}` })).join('\n'));
    return file;
  }
  const echo = (r: RecordedRequest) => String(r.body?.messages?.at(-1)?.content ?? '');

  it('run (custom benchmark, to the end)', async () => {
    const server = await servers.start({ logRequests: false, reply: echo });
    const dataset = writeCustomDataset(12);
    const r = await traced(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', path.join(tmp.path, 'runs')], tmp.path);
    assert.equal(r.code, 0, r.stderr);
    assertNothingLeft(r, 'run');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`a run cancelled by ${signal} (HumanEval, ${hasPython ? 'native' : 'wasm'} executor busy)`, async () => {
      // Answers 3 requests, then hangs every later one: the signal lands mid-run, with programs being scored.
      let answered = 0;
      let signalled = false;
      let cli: ReturnType<typeof spawnCli> | undefined;
      const reply = (): FakeReply => {
        if (answered >= 3) {
          if (!signalled) {
            signalled = true;
            // Give the scoring of the answered items a moment to start, by the count of processes, not a timer.
            const wait = setInterval(() => {
              cli?.kill(signal);
              clearInterval(wait);
            }, 300);
          }
          return { type: 'hang' };
        }
        answered++;
        return '```python\ndef f():\n    import time\n    time.sleep(2)\n```\n';
      };
      const server = await servers.start({ logRequests: false, reply });
      const r = await traced(
        ['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', 'humaneval', '--executor', hasPython ? 'native' : 'wasm', '--limit', '10', '--concurrency', '4', '--out', path.join(tmp.path, 'runs')],
        tmp.path,
        (child) => (cli = child),
      );
      assert.notEqual(r.code, 0, `a cancelled run does not exit 0\n${r.stderr}`);
      assert.match(r.stderr, new RegExp(signal));
      assertNothingLeft(r, `run cancelled by ${signal}`);
    });
  }
});
