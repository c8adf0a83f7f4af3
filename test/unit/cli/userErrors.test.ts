/**
 * What a user gets wrong on the command line is refused before any work, with a message that names it and
 * no stack trace: a score gate or sampling value out of its range, an empty responses file, a folder or
 * output file that cannot be written. Runs `main` in this process against a loopback server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeModelServer, type FakeModelServer } from '../../support/fakeModelServer';
import { cliInProcess } from '../../support/cliInProcess';
import { useTempDir } from '../../support/tempDir';

const cli = (argv: string[], cwd: string) => cliInProcess(argv, cwd);

const STACK_LINE = /\n\s+at .+:\d+:\d+/;

describe('CLI: user errors are refused with a clear message', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  let server: FakeModelServer;

  before(async () => {
    server = await startFakeModelServer({ reply: (r) => String(r.body?.messages?.at(-1)?.content ?? '') });
  });
  after(async () => {
    await server.close();
  });

  function dataset(): string {
    const file = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(file, ['{"id":"a","prompt":"A","expected":"A"}', '{"id":"b","prompt":"B","expected":"not B"}'].join('\n'));
    return file;
  }

  it('--fail-under outside 0–1 (e.g. 50 meant as percent) and --top-p above 1 are usage errors; nothing is asked', async () => {
    const file = dataset();
    const before = server.requests.length;
    for (const [flag, value, message] of [
      ['--fail-under', '50', /--fail-under must be a number between 0 and 1; got '50'/],
      ['--fail-under', '1.5', /--fail-under must be a number between 0 and 1; got '1.5'/],
      ['--top-p', '2', /--top-p must be a number between 0 and 1; got '2'/],
    ] as const) {
      const result = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${file}`, flag, value], tmp.path);
      assert.equal(result.code, 2, `${flag} ${value}: exit ${result.code}\n${result.stderr}`);
      assert.match(result.stderr, message);
    }
    assert.equal(server.requests.filter((r) => r.path.includes('completions')).length, server.requests.slice(0, before).filter((r) => r.path.includes('completions')).length, 'no generation request was sent');
    // The documented range still gates: 50% is below 0.9.
    const gated = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${file}`, '--fail-under', '0.9'], tmp.path);
    assert.equal(gated.code, 1, gated.stderr);
    assert.match(gated.stderr, /below --fail-under 0\.9/);
  });

  it('score with an empty responses file is an input error, not "0.0%" and exit 0', async () => {
    const file = dataset();
    const responses = path.join(tmp.path, 'empty.jsonl');
    fs.writeFileSync(responses, '\n');
    const result = await cli(['score', '--benchmark', `custom:${file}`, '--responses', responses], tmp.path);
    assert.equal(result.code, 2, result.stderr + result.stdout);
    assert.match(result.stderr, /empty\.jsonl: the responses file has no rows/);
    assert.doesNotMatch(result.stdout, /0\.0%/);
  });

  it('a runs folder or output file that cannot be written: a message naming the path, exit 2, no stack trace', async () => {
    const file = dataset();
    const notADir = path.join(tmp.path, 'a-file');
    fs.writeFileSync(notADir, 'x');
    const run = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${file}`, '--out', path.join(notADir, 'runs')], tmp.path);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^evalbench run: cannot create the folder .*a-file: it is a file not a folder \(ENOTDIR\)/m);
    assert.doesNotMatch(run.stderr, STACK_LINE);
    assert.doesNotMatch(run.stderr, /unexpected error/);

    const stored = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${file}`, '--allow-errors', '--json'], tmp.path);
    const id = JSON.parse(stored.stdout).id as string;
    const exported = await cli(['export', id, '--format', 'md', '--out', path.join(notADir, 'report.md')], tmp.path);
    assert.equal(exported.code, 2, exported.stderr);
    assert.match(exported.stderr, /^evalbench export: cannot open .*a-file\/report\.md: not a directory \(ENOTDIR\)/m);
    assert.doesNotMatch(exported.stderr, STACK_LINE);
  });

  it('a runs folder under /proc (where Node\'s recursive mkdir never returns) fails at once with the folder\'s own error', async function () {
    if (process.platform !== 'linux') this.skip();
    const run = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset()}`, '--out', '/proc/evalbench-no-such/runs'], tmp.path);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^evalbench run: cannot create the folder \/proc\/evalbench-no-such(\/runs)?: /m);
    assert.doesNotMatch(run.stderr, STACK_LINE);
  });

  it('list --status: an unknown status is a usage error; a filter that matches nothing does not claim the folder is empty', async () => {
    const file = dataset();
    const ran = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${file}`], tmp.path);
    assert.equal(ran.code, 0, ran.stderr);
    const bogus = await cli(['list', '--status', 'finished'], tmp.path);
    assert.equal(bogus.code, 2, bogus.stderr);
    assert.match(bogus.stderr, /--status must be one of queued, running, done, done_with_errors, failed, cancelled, interrupted; got 'finished'/);
    const none = await cli(['list', '--status', 'running'], tmp.path);
    assert.equal(none.code, 0, none.stderr);
    assert.doesNotMatch(none.stdout, /^no runs in /);
    assert.match(none.stdout, /^no run matches --status running \(1 run in .*\)$/m);
  });

  it('compare-models with a model file that is not there, or not GGUF, is an input error (exit 2), before any server starts', async () => {
    const fakeServer = path.resolve(__dirname, '..', '..', 'support', 'fake-llama-server.js');
    const notGguf = path.join(tmp.path, 'notes.gguf');
    fs.writeFileSync(notGguf, 'not a model');
    for (const [file, message] of [
      [path.join(tmp.path, 'missing.gguf'), /cannot read the model file .*missing\.gguf/],
      [notGguf, /notes\.gguf is not a GGUF file/],
    ] as const) {
      const result = await cli(['compare-models', '--server-cmd', `${process.execPath} ${fakeServer} --port {port} -m {model}`, '--model-file', file, '--model-file', notGguf, '--benchmark', `custom:${dataset()}`], tmp.path);
      assert.equal(result.code, 2, `${file}: exit ${result.code}\n${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });
});
