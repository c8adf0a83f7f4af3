/**
 * `score` never reports a scoring error as a verdict, and a rescore records the scorer version so a run is
 * never finished under a second version.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getBenchmarkDefinition } from '../../../src/core/benchmarks/registry';
import { RunStore } from '../../../src/core/storage/runStore';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { runCli } from '../../support/cliProcess';
import { useTempDir } from '../../support/tempDir';

describe('score: scoring errors are never verdicts; rescoring records the scorer version', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  const servers = useFakeModelServers();

  it('with unreachable Punkt data, prints error rows with null verdicts, counts them, and exits 1', async () => {
    const rows = path.join(tmp.path, 'rows.jsonl');
    // Keys 1000 and 1001 of the bundled IFEval prompts; any response: the scorer cannot judge without Punkt.
    fs.writeFileSync(rows, ['{"key": 1000, "response": "A short reply."}', '{"key": 1001, "response": "Another reply."}'].join('\n'));
    const missing = path.join(tmp.path, 'no-such-punkt-folder');
    const result = await runCli(['score', '--benchmark', 'ifeval', '--responses', rows, '--punkt', missing, '--json'], { cwd: tmp.path });
    assert.equal(result.code, 1, 'a row that could not be scored fails the command');
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3, 'one line per row, then the metrics line');
    for (const [i, key] of [1000, 1001].entries()) {
      const row = lines[i];
      assert.equal(row.key, key);
      assert.match(row.error, /Punkt folder .*no-such-punkt-folder/);
      assert.deepEqual([row.strict, row.loose, row.follow_all_strict, row.follow_all_loose], [null, null, null, null], 'no verdict for a row that was not judged');
    }
    assert.deepEqual([lines[2].rows, lines[2].judged, lines[2].scoring_errors], [2, 0, 2]);
    assert.match(result.stderr, /2 of 2 rows could not be scored/);
    assert.doesNotMatch(result.stdout, /"follow_all_strict":true/);

    const text = await runCli(['score', '--benchmark', 'ifeval', '--responses', rows, '--punkt', missing], { cwd: tmp.path });
    assert.equal(text.code, 1);
    assert.match(text.stdout, /2 rows: 0 judged, 0 passed, 2 could not be scored/);
  });

  it('score --run records the scorer version; resume under another version refuses instead of mixing', async () => {
    const server = await servers.start({ reply: (r) => String(r.body?.messages?.at(-1)?.content ?? '').slice(-1) });
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, ['{"id":"a","prompt":"say A","expected":"A"}', '{"id":"b","prompt":"say B","expected":"B"}'].join('\n'));
    const out = path.join(tmp.path, 'runs');
    const run = await runCli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', out, '--json'], { cwd: tmp.path });
    assert.equal(run.code, 0, run.stderr);
    const { id } = JSON.parse(run.stdout);

    // Pretend the run was judged by an older scorer.
    const store = new RunStore(out);
    const writer = await store.openWriter(id);
    writer.updateRun({ config: { ...writer.run().config, benchmarkVersion: '0' } });
    await writer.close();

    const resume = await runCli(['run', '--resume', id, '--out', out], { cwd: tmp.path });
    assert.equal(resume.code, 2, 'refused: the command to run first is named');
    assert.match(resume.stderr, /was scored with custom v0, and this EvalBench scores with v1; rescore it first \(evalbench score --run/);

    const rescore = await runCli(['score', '--run', id, '--out', out], { cwd: tmp.path });
    assert.equal(rescore.code, 0, rescore.stderr);
    assert.match(rescore.stdout, /rescored 2 responses of run \S+ with custom v1 \(was scored with v0\); metrics of 2 judged/);
    const reader = await store.openReader(id);
    assert.equal(reader.run().config.benchmarkVersion, getBenchmarkDefinition('custom', {}).version);
    assert.equal(reader.run().status, 'done');
    reader.close();

    const resumed = await runCli(['run', '--resume', id, '--out', out], { cwd: tmp.path });
    assert.equal(resumed.code, 0, resumed.stderr);
  });
  it("score --run: a judge reply with no readable grade is that sample's scoring error; the others are rescored", async () => {
    // One server plays both parts: the model echoes its prompt; the judge (asked with the rubric) grades PASS,
    // except for the reply THREE, which it answers without any grade.
    const server = await servers.start({
      reply: (r) => {
        const text = String(r.body?.messages?.at(-1)?.content ?? '');
        if (!text.includes('Is it fine?')) return text;
        return text.includes('THREE') ? 'I would rather not say.' : 'PASS';
      },
    });
    const dataset = path.join(tmp.path, 'judged.jsonl');
    fs.writeFileSync(dataset, ['ONE', 'TWO', 'THREE'].map((p) => JSON.stringify({ id: p.toLowerCase(), prompt: p, scorer: 'judge', rubric: 'Is it fine?' })).join('\n'));
    const out = path.join(tmp.path, 'judged-runs');
    const judge = ['--judge-base-url', server.url, '--judge-model', 'fake-model'];
    const run = await runCli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, ...judge, '--out', out, '--json'], { cwd: tmp.path });
    assert.equal(run.code, 1, run.stderr);
    const { id, counts } = JSON.parse(run.stdout);
    assert.deepEqual(counts, { total: 3, passed: 2, wrong: 0, request_failed: 0, scoring_error: 1, pending: 0 });

    const rescore = await runCli(['score', '--run', id, '--out', out], { cwd: tmp.path });
    assert.equal(rescore.code, 1, 'a response that could not be scored fails the command');
    assert.match(rescore.stdout, /rescored 3 responses of run \S+ with custom v\S+; metrics of 2 judged \(1 scoring error\)/);
    assert.match(rescore.stderr, /item three: scoring failed: .*no pass-fail grade/);
    assert.match(rescore.stderr, /1 of 3 responses could not be scored/);
    const reader = await new RunStore(out).openReader(id);
    assert.equal(reader.run().status, 'done_with_errors');
    assert.deepEqual(reader.summary().counts, counts, 'the rescore stored every verdict, and the error as an error');
    reader.close();
  });
});
