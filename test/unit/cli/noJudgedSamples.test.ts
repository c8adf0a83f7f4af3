/**
 * A run in which no sample was judged (every request failed) has no score: nowhere may it read "0.0%", which
 * says the model answered everything wrong. The terminal table and progress line, show, the Markdown,
 * JSON, JUnit and HTML exports and score all say there is no judged sample instead. In this process, against a
 * loopback server that answers every generation with HTTP 500.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeModelServer, type FakeModelServer } from '../../support/fakeModelServer';
import { cliInProcess } from '../../support/cliInProcess';
import { useTempDir } from '../../support/tempDir';

const cli = (argv: string[], cwd: string) => cliInProcess(argv, cwd);

describe('CLI: a run with no judged sample shows no score', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  let server: FakeModelServer;

  before(async () => {
    server = await startFakeModelServer({ reply: () => ({ type: 'status', status: 500, message: 'model crashed' }) });
  });
  after(async () => {
    await server.close();
  });

  it('run, show and every export say "no judged samples", never 0.0%', async () => {
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, ['{"id":"a","prompt":"A","expected":"A"}', '{"id":"b","prompt":"B","expected":"B"}'].join('\n'));
    const ran = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--retries', '0'], tmp.path);
    assert.equal(ran.code, 1, ran.stderr);
    assert.match(ran.stdout, /headline: Accuracy no judged samples \(2 request failures\)/);
    assert.doesNotMatch(ran.stdout, /0\.0%/, 'the metric table shows no value over 0 judged samples');
    assert.match(ran.stdout, /^Accuracy\s+--\s+0 items$/m);
    assert.doesNotMatch(ran.stderr, /0\.0%/, 'the progress line shows no value over 0 judged samples');
    const id = /^run (\S+)/m.exec(ran.stdout)![1];

    const shown = await cli(['show', id], tmp.path);
    assert.equal(shown.code, 0, shown.stderr);
    assert.doesNotMatch(shown.stdout, /0\.0%/);

    const md = await cli(['export', id, '--format', 'md'], tmp.path);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /No judged items\./);
    assert.doesNotMatch(md.stdout, /0\.0%/);

    const json = JSON.parse((await cli(['export', id, '--format', 'json'], tmp.path)).stdout);
    const section = json.benchmarks.custom;
    assert.equal(section.overall_score, null, 'no score over 0 judged samples');
    assert.equal(section.accuracy, undefined);
    assert.deepEqual(section.outcomes, { total: 2, passed: 0, wrong: 0, request_failed: 2, scoring_error: 0, pending: 0 });

    const junit = (await cli(['export', id, '--format', 'junit'], tmp.path)).stdout;
    assert.doesNotMatch(junit, /metric\.accuracy/, 'no metric property without a judged sample');
    assert.match(junit, /errors="2"/);

    const html = (await cli(['export', id, '--format', 'html'], tmp.path)).stdout;
    assert.match(html, /no judged samples/);
    assert.doesNotMatch(html, /Metrics \(95% CI\)/, 'no metrics chart of zeros');
  });
});
