/**
 * Exit codes of every command, as one table: 0 done; 1 the work failed, was cancelled, ended with errors,
 * or a gate said worse; 2 a usage or input error (bad flag, bad value, unknown benchmark, a file that is
 * not there, a malformed dataset line). Each row also checks the message says what was wrong, without a
 * stack trace. Runs `main` in this process (the CLI's own entry), against a loopback server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/storage/runStore';
import { startFakeModelServer, type FakeModelServer } from '../../support/fakeModelServer';
import { cliInProcess } from '../../support/cliInProcess';
import { useTempDir } from '../../support/tempDir';

const cli = (argv: string[], cwd: string) => cliInProcess(argv, cwd);

describe('exit codes of every command', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  let server: FakeModelServer;

  before(async () => {
    server = await startFakeModelServer({ kind: 'llama.cpp', reply: (r) => String(r.body?.messages?.at(-1)?.content ?? '') });
  });
  after(async () => {
    await server.close();
  });

  function files() {
    const good = path.join(tmp.path, 'good.jsonl');
    fs.writeFileSync(good, ['{"id":"a","prompt":"A","expected":"A"}', '{"id":"b","prompt":"B","expected":"B"}'].join('\n'));
    const bad = path.join(tmp.path, 'bad.jsonl');
    fs.writeFileSync(bad, ['{"id":"a","prompt":"A","expected":"A"}', '{"id":"b", "prompt": '].join('\n'));
    const rows = path.join(tmp.path, 'rows.jsonl');
    fs.writeFileSync(rows, '{"id":"a","prompt":"A","expected":"A","response":"A"}\n');
    return { good, bad, rows };
  }

  async function storedRuns(): Promise<string[]> {
    return (await new RunStore(path.join(tmp.path, '.evalbench', 'runs')).listSummaries()).map((s) => s.id);
  }

  it('run, list, show, score, compare and export: 0, 1 and 2 as documented', async () => {
    const { good, bad } = files();
    const run = (...more: string[]) => ['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${good}`, ...more];
    const rows: [string, string[], number, RegExp?][] = [
      ['top-level help', ['--help'], 0],
      ['no command', [], 2],
      ['unknown command', ['frobnicate'], 2, /unknown command 'frobnicate'/],
      ['run: done', run(), 0],
      ['run: a second done run', run('--temperature', '0'), 0],
      ['run: unknown flag', ['run', '--bogus'], 2, /bogus/],
      ['run: --temperature -3 (without =)', run('--temperature', '-3'), 2, /--temperature must be a number ≥ 0; got '-3'/],
      ['run: unknown benchmark', ['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', 'nope'], 2, /nope/],
      ['run: malformed dataset line', ['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${bad}`], 2, /bad\.jsonl:2/],
      ['run: a URL that is not one', ['run', '--base-url', 'not a url', '--model', 'fake-model', '--benchmark', `custom:${good}`], 2],
      ['run: --fail-under outside 0–1', run('--fail-under', '1.5'), 2, /--fail-under must be a number between 0 and 1/],
      ['run: two dataset files (the spec names one, --dataset another)', run('--dataset', bad), 2, /two dataset files: --benchmark custom:\S+good\.jsonl and --dataset \S+bad\.jsonl; give one/],
      ['run: an option of another benchmark', run('--shots', '3'), 2, /--shots is a gsm8k option; custom would ignore it/],
      ['run: an empty --stop', run('--stop', ''), 2, /--stop needs a non-empty string/],
      ['run: --out names a file', run('--out', good), 2, /cannot create the folder \S+good\.jsonl: it is a file not a folder \(ENOTDIR\)/],
      ['run: --resume of a file that does not exist', ['run', '--resume', path.join(tmp.path, 'nope', 'x.sqlite')], 2, /no such run file/],
      ['list', ['list'], 0],
      ['list: bad flag', ['list', '--bogus'], 2],
      ['show: no such run', ['show', 'no-such-run'], 2, /no run no-such-run/],
      ['score: responses file missing', ['score', '--benchmark', `custom:${good}`, '--responses', path.join(tmp.path, 'missing.jsonl')], 2, /cannot read the responses file/],
      ['score: without --responses', ['score', '--benchmark', 'custom'], 2, /--responses/],
      ['compare: one run only', ['compare', 'x'], 2],
      ['export: no such run', ['export', 'no-such-run', '--format', 'md'], 2, /no run no-such-run/],
      ['compare-models: no arguments', ['compare-models'], 2],
      ['pairwise: no arguments', ['pairwise'], 2],
      ['serve: bad flag', ['serve', '--bogus'], 2],
      ['data: unknown subcommand', ['data', 'frobnicate'], 2],
    ];
    for (const [what, argv, expected, message] of rows) {
      const result = await cli(argv, tmp.path);
      assert.equal(result.code, expected, `${what}: exit ${result.code}, expected ${expected}\n${result.stderr}`);
      if (message) assert.match(result.stderr + result.stdout, message, what);
      assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, `${what}: no stack trace`);
    }

    const [runA, runB] = await storedRuns();
    // A run file named by a path relative to the working folder, and files that are not runs.
    fs.copyFileSync(path.join(tmp.path, '.evalbench', 'runs', `${runA}.sqlite`), path.join(tmp.path, 'copy.sqlite'));
    fs.writeFileSync(path.join(tmp.path, 'junk.sqlite'), 'not a database at all');
    for (const [what, argv, expected, message] of [
      ['show: ./copy.sqlite, relative to the working folder', ['show', './copy.sqlite'], 0, /run /],
      ['export: copy.sqlite, relative to the working folder', ['export', 'copy.sqlite', '--format', 'md'], 0, /# /],
      ['show: a file that is not SQLite', ['show', './junk.sqlite'], 2, /not a SQLite file, so not an EvalBench run/],
      ['compare: a file that is not a run file', ['compare', runA, './good.jsonl'], 2, /a run file ends with \.sqlite/],
    ] as [string, string[], number, RegExp][]) {
      const result = await cli(argv, tmp.path);
      assert.equal(result.code, expected, `${what}: exit ${result.code}, expected ${expected}\n${result.stderr}`);
      assert.match(result.stderr + result.stdout, message, what);
    }
    for (const [what, argv, expected] of [
      ['show: a run', ['show', runA], 0],
      ['export: a run', ['export', runA, '--format', 'md'], 0],
      ['export: unknown format', ['export', runA, '--format', 'docx'], 2],
      ['compare: two runs', ['compare', runA, runB], 0],
      ['score: rescore a run', ['score', '--run', runA], 0],
    ] as [string, string[], number][]) {
      const result = await cli(argv, tmp.path);
      assert.equal(result.code, expected, `${what}: exit ${result.code}, expected ${expected}\n${result.stderr}`);
    }
  });

  it('--fail-under on a run with no judged sample fails as not decided, never as a score of 0', async () => {
    const { good } = files();
    const refusing = await startFakeModelServer({ kind: 'llama.cpp', reply: () => ({ type: 'status', status: 400, message: 'refused' }) });
    try {
      const out = path.join(tmp.path, 'refused-runs');
      const result = await cli(['run', '--base-url', refusing.url, '--model', 'fake-model', '--benchmark', `custom:${good}`, '--out', out, '--allow-errors', '--fail-under', '0.5'], tmp.path);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /--fail-under 0\.5 not decided: no judged samples \(2 request failures\); the gate fails/);
      assert.doesNotMatch(result.stderr, /is below --fail-under/);
    } finally {
      await refusing.close();
    }
  });

  it('resume by absolute path from another folder finishes and exits 0; list reports an unreadable run file', async () => {
    const { good } = files();
    assert.equal((await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${good}`], tmp.path)).code, 0);
    const [id] = await storedRuns();
    const file = path.join(tmp.path, '.evalbench', 'runs', `${id}.sqlite`);
    const elsewhere = fs.mkdtempSync(path.join(tmp.path, 'elsewhere-'));
    const resumed = await cli(['run', '--resume', file], elsewhere);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`stored in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

    fs.writeFileSync(path.join(tmp.path, '.evalbench', 'runs', 'broken.sqlite'), 'not a database');
    const listed = await cli(['list'], tmp.path);
    assert.equal(listed.code, 0);
    assert.match(listed.stderr, /cannot read .*broken\.sqlite/);
  });
});
