/**
 * The red-team suite: every attack in attacks.ts through both executors, one program at a time in one
 * slot, so that "the next program" really runs in the interpreter the attack ran in. For each attack:
 *  - a wrong completion is not passed (the one the official harness passes is passed and flagged);
 *  - nothing was written outside the program's temp dir (a canary folder stays as it was);
 *  - a loopback listener accepted no connection;
 *  - no output holds the parent's environment marker, a host file's marker or /etc/shadow;
 *  - the next programs are judged as if nothing had happened (a canonical solution passes, a wrong one fails).
 */
import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeExecutor, ExecutionResult } from '../../../../src/core/benchmarks/humaneval/executor';
import { NativeExecutor, resolveInterpreter } from '../../../../src/core/benchmarks/humaneval/nativeExecutor';
import { WasmExecutor } from '../../../../src/core/benchmarks/humaneval/wasmExecutor';
import { requireSharedData } from '../../../support/sharedData';
import { loadProblems, specFor, type Problem } from '../oracleSupport';
import { ATTACKS, type Attack } from './attacks';

const ENV_MARKER = `evalbench-env-marker-${crypto.randomBytes(8).toString('hex')}`;
const FILE_MARKER = `evalbench-file-marker-${crypto.randomBytes(8).toString('hex')}`;

function outputs(r: ExecutionResult): string {
  return [r.result, r.traceback ?? '', r.suspicious ?? '', r.exceptionType ?? ''].join('\n');
}

/**
 * Temp dirs of native programs that still hold something after their verdict (each driver's he-* folders), where
 * the host sees them: a driver that has its own tmpfs for them hides them, and they go with it.
 */
function programTreesLeft(): string[] {
  const left: string[] = [];
  for (const base of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('evalbench-humaneval-'))) {
    let programs: string[] = [];
    try {
      programs = fs.readdirSync(path.join(os.tmpdir(), base)).filter((n) => n.startsWith('he-'));
    } catch {
      continue; // another driver's, gone meanwhile
    }
    for (const program of programs) {
      try {
        if (fs.readdirSync(path.join(os.tmpdir(), base, program)).includes('d')) left.push(path.join(base, program));
      } catch {
        // removed meanwhile
      }
    }
  }
  return left;
}

for (const kind of ['native', 'wasm'] as const) {
  describe(`humaneval red team: ${kind} executor`, function () {
    this.timeout(600_000);
    let executor: CodeExecutor;
    let problems: Map<string, Problem>;
    let canary: string;
    let secretFile: string;
    let server: net.Server;
    let port = 0;
    let connections = 0;
    let unixServer: net.Server;
    let unixSocket: string;

    before(async function () {
      problems = loadProblems(requireSharedData(this, 'humaneval/HumanEval.jsonl.gz'));
      if (kind === 'native') {
        try {
          await resolveInterpreter();
        } catch {
          console.warn('      [evalbench] python3 ABSENT — skipping the native red-team suite');
          this.skip();
        }
      }
      // Set before the executor starts: nothing started after this may see it.
      process.env.EVALBENCH_REDTEAM_MARKER = ENV_MARKER;
      canary = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-redteam-'));
      secretFile = path.join(canary, 'secret.txt');
      fs.writeFileSync(secretFile, FILE_MARKER);
      server = net.createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
      // A host service on a unix socket anyone may connect to (D-Bus, a database), in a folder anyone may enter.
      unixSocket = path.join(os.tmpdir(), `evalbench-redteam-${crypto.randomBytes(4).toString('hex')}.sock`);
      unixServer = net.createServer((socket) => {
        connections++;
        socket.end('HOST-SERVICE');
      });
      await new Promise<void>((resolve) => unixServer.listen(unixSocket, resolve));
      fs.chmodSync(unixSocket, 0o777);
      // One slot: every program runs in the interpreter (driver or Pyodide process) the previous one used.
      executor = kind === 'native' ? new NativeExecutor({ parallelism: 1 }) : new WasmExecutor({ parallelism: 1 });
    });

    after(async () => {
      delete process.env.EVALBENCH_REDTEAM_MARKER;
      await executor?.dispose();
      server?.close();
      unixServer?.close();
      if (canary) fs.rmSync(canary, { recursive: true, force: true });
    });

    const fill = (text: string, outside: string) =>
      text.replace(/__OUTSIDE__/g, outside).replace(/__PORT__/g, String(port)).replace(/__SECRET_FILE__/g, secretFile).replace(/__UNIX_SOCKET__/g, unixSocket);

    const check = async (attack: Attack) => {
      const outside = path.join(canary, `escaped-${crypto.randomBytes(4).toString('hex')}`);
      const problem = problems.get(attack.task)!;
      const treesBefore = new Set(programTreesLeft());
      const r = await executor.run(specFor(problem, fill(attack.completion, outside)));
      if (attack.passOnlyIfSuspicious) {
        if (r.result === 'passed') assert.match(r.suspicious ?? '', /which is not a built-in type/, 'a pass the official harness allows is flagged');
      } else if (attack.expectSuspiciousPass) {
        assert.equal(r.result, 'passed', r.result);
        assert.match(r.suspicious ?? '', /which is not a built-in type and may define its own == or arithmetic/);
      } else {
        assert.notEqual(r.outcome, 'passed', `a wrong completion passed: ${r.result}`);
      }
      if (attack.expectWrong) {
        assert.equal(r.outcome, 'failed', `a wrong completion must be judged wrong, not ${r.outcome}: ${r.result}`);
        assert.deepEqual(programTreesLeft().filter((t) => !treesBefore.has(t)), [], 'the program\'s temp dir was not removed');
      }
      if (attack.forbid) assert.doesNotMatch(outputs(r), attack.forbid, 'the attack got through');
      assert.doesNotMatch(outputs(r), /HOST-SERVICE/, 'a host unix socket answered the program');
      assert.deepEqual(fs.readdirSync(canary), ['secret.txt'], 'something was written outside the temp dir');
      assert.equal(connections, 0, 'the loopback listener accepted a connection');
      const text = outputs(r);
      assert.ok(!text.includes(ENV_MARKER), 'the parent environment leaked into the result');
      assert.ok(!text.includes(FILE_MARKER), 'a host file leaked into the result');
      assert.doesNotMatch(text, /root:[^:\n]*:\d+:/, '/etc/shadow leaked into the result');
      assert.ok(r.result.length <= 8_300 && (r.traceback ?? '').length <= 8_300, `a result of ${r.result.length} characters was kept`);
      // The next programs start from a clean interpreter.
      const next = problems.get('HumanEval/2')!;
      const good = await executor.run(specFor(next, next.canonical_solution));
      assert.equal(good.result, 'passed', `after "${attack.name}", a canonical solution got ${good.result}`);
      assert.equal(good.suspicious, undefined);
      const bad = await executor.run(specFor(next, '    return 0.5\n'));
      assert.equal(bad.outcome, 'failed', `after "${attack.name}", a wrong solution got ${bad.result}`);
      return r;
    };

    for (const attack of ATTACKS) {
      if (attack.only && attack.only !== kind) continue;
      it(attack.name, async function () {
        const r = await check(attack);
        if (attack.name.includes('50 MB message')) assert.match(r.result, /truncated: \d+ more characters/);
      });
    }

    it('the same attack again finds the same clean state (no drift across many programs)', async () => {
      for (const attack of ATTACKS.slice(0, 5)) await check(attack);
    });
  });
}
