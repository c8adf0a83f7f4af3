import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { runCli } from '../../support/cliProcess';
import { useTempDir } from '../../support/tempDir';

describe('evalbench CLI', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  const servers = useFakeModelServers();

  function dataset(): string {
    const file = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(file, ['{"id":"a","prompt":"say A","expected":"A"}', '{"id":"b","prompt":"say B","expected":"B"}', '{"id":"c","prompt":"say C","expected":"C"}'].join('\n'));
    return file;
  }

  it('prints help for the tool and every command', async () => {
    const top = await runCli(['--help'], { cwd: tmp.path });
    assert.equal(top.code, 0);
    for (const name of ['run', 'list', 'show', 'score', 'compare', 'export']) {
      assert.match(top.stdout, new RegExp(`\\b${name}\\b`));
      const help = await runCli([name, '--help'], { cwd: tmp.path });
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, new RegExp(`^evalbench ${name}`));
    }
  });

  it('exits 2 with a readable message on a usage error', async () => {
    const result = await runCli(['run', '--model', 'x'], { cwd: tmp.path });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--benchmark is required/);
    const unknown = await runCli(['run', '--bogus'], { cwd: tmp.path });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /bogus/);
  });

  it('runs a custom benchmark, prints a summary, then lists, shows and rescores it', async () => {
    const server = await servers.start({ reply: (r) => (String(r.body?.messages?.at(-1)?.content).endsWith('C') ? 'no idea' : String(r.body.messages.at(-1).content).slice(-1)) });
    const out = path.join(tmp.path, 'runs');
    const run = await runCli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset()}`, '--out', out], { cwd: tmp.path });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Accuracy\s+66\.7%\s+3/);
    assert.match(run.stdout, /c#0 \[wrong\]: exact: expected "C", got "no idea"/);
    assert.match(run.stdout, /headline: Accuracy 66\.7% of 3 judged\n/);

    const list = await runCli(['list', '--out', out, '--json'], { cwd: tmp.path });
    const [summary] = JSON.parse(list.stdout);
    assert.equal(summary.benchmarkId, 'custom');
    assert.deepEqual(summary.counts, { total: 3, passed: 2, wrong: 1, request_failed: 0, scoring_error: 0, pending: 0 });

    const show = await runCli(['show', summary.id, '--out', out], { cwd: tmp.path });
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /model fake-model at http:\/\/127\.0\.0\.1:\d+\/v1 \(chat\)/);
    assert.match(show.stdout, /wrong\s+wrong \(wrong answer\)\s+1/);

    const rescore = await runCli(['score', '--run', summary.id, '--out', out], { cwd: tmp.path });
    assert.equal(rescore.code, 0, rescore.stderr);
    assert.match(rescore.stdout, /rescored 3 responses/);
  });

  it('names the flag that fixes a bad file, and runs IFEval on the bundled data with no dataset flag', async () => {
    const server = await servers.start({ reply: () => 'yes' });
    const out = path.join(tmp.path, 'runs');
    const bad = await runCli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', 'ifeval', '--punkt', path.join(tmp.path, 'nope'), '--out', out], { cwd: tmp.path });
    assert.equal(bad.code, 2, 'a bad file given on the command line is an input error');
    assert.match(bad.stderr, /Punkt folder .*nope does not exist/);
    assert.match(bad.stderr, /\n  fix: --punkt DIR\n/);
    const good = await runCli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', 'ifeval', '--limit', '2', '--out', out, '--cache-dir', path.join(tmp.path, 'cache')], { cwd: tmp.path });
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /dataset bundled copy .*input_data\.jsonl \(sha256 67ffeee0fcb87c31\)/);
    assert.match(good.stdout, /NLTK Punkt English parameters: bundled copy .*punkt_tab.english \(sha256 0c03c1586dbd24c5\)/);
  });

  it('--fail-under gates CI on the headline metric, and --json prints the record', async () => {
    const server = await servers.start({ reply: () => 'A' });
    const result = await runCli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset()}`, '--out', path.join(tmp.path, 'r'), '--json', '--fail-under', '0.5'], { cwd: tmp.path });
    assert.equal(result.code, 1);
    const record = JSON.parse(result.stdout);
    assert.equal(record.status, 'done');
    assert.equal(record.metrics[0].value, 1 / 3);
    assert.match(result.stderr, /below --fail-under 0.5/);
  });

  it('exits 1 when no item got a reply, even though the run itself finished', async () => {
    const server = await servers.start({ reply: () => ({ type: 'status', status: 400, message: 'max_tokens is too large' }) });
    const result = await runCli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset()}`, '--out', path.join(tmp.path, 'r')], { cwd: tmp.path });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /\[Done with errors\]/);
    assert.match(result.stdout, /headline: Accuracy no judged samples \(3 request failures\)/);
    assert.match(result.stderr, /no item got a reply from the server/);
  });

  it('names the URL and what was tried when the server is dead', async () => {
    const result = await runCli(['run', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--benchmark', `custom:${dataset()}`, '--out', path.join(tmp.path, 'r')], { cwd: tmp.path });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /127\.0\.0\.1:9/);
    assert.equal(fs.existsSync(path.join(tmp.path, 'r')) && fs.readdirSync(path.join(tmp.path, 'r')).some((f) => f.endsWith('.sqlite')), false);
  });

  it('scores a responses file without a model, one JSON line per row in order, then the metrics', async () => {
    const responses = path.join(tmp.path, 'rows.jsonl');
    fs.writeFileSync(responses, ['{"id":"b","response":"B"}', '{"id":"a","response":"nope"}'].join('\n'));
    const result = await runCli(['score', '--benchmark', `custom:${dataset()}`, '--responses', responses, '--json'], { cwd: tmp.path });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.slice(0, 2).map((l) => [l.id, l.passed]), [['b', true], ['a', false]]);
    assert.deepEqual(lines[2].metrics, { accuracy: 0.5 });

    fs.writeFileSync(responses, ['{"id":"b","response":"B"}', '{"id":"zz","response":"x"}'].join('\n'));
    const bad = await runCli(['score', '--benchmark', `custom:${dataset()}`, '--responses', responses], { cwd: tmp.path });
    assert.equal(bad.code, 2, 'a bad row is an input error');
    assert.match(bad.stderr, /rows\.jsonl:2: no custom item 'zz'/);
  });
});
