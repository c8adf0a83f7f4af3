import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/storage/runStore';
import { startFakeModelServer, type FakeModelServer } from '../../support/fakeModelServer';
import { collect, runCli, spawnCli } from '../../support/cliProcess';
import { useTempDir } from '../../support/tempDir';

/** The prompt itself is the right answer: every item passes unless the server fails it. */
const echoPrompt = (r: { body?: any }) => String(r.body?.messages?.at(-1)?.content ?? r.body?.prompt ?? '');

describe('a run killed mid-way (SIGKILL of the CLI process)', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  let server: FakeModelServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('leaves a file that opens with its finished items, and resume completes only the rest', async () => {
    const total = 80;
    server = await startFakeModelServer({ kind: 'llama.cpp', totalSlots: 2, latencyMs: 250, reply: echoPrompt });
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, Array.from({ length: total }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `p${i}`, expected: `p${i}` })).join('\n'));
    const runsDir = path.join(tmp.path, 'runs');
    const args = ['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', runsDir];

    const child = spawnCli(args, { cwd: tmp.path });
    const output = collect(child);
    const store = new RunStore(runsDir);
    // Wait until some samples are on disk (the summary is written with every flush), then kill -9.
    const deadline = Date.now() + 60_000;
    let persisted = 0;
    while (Date.now() < deadline) {
      const [summary] = await store.listSummaries();
      // Scored samples: the scoring worker may start seconds after the first replies on a busy machine,
      // so the server is slow enough (250 ms, 2 slots: 10 s for 80 items) that the kill lands mid-run.
      persisted = summary ? summary.counts.total - summary.counts.pending : 0;
      if (persisted >= 10) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(persisted >= 10, 'the run made progress before the kill');
    child.kill('SIGKILL');
    const killed = await output;
    assert.equal(killed.signal, 'SIGKILL', 'the CLI was still running when killed');

    const [summary] = await store.listSummaries();
    const reader = await store.openReader(summary.id);
    const kept = reader.samples();
    assert.equal(reader.run().status, 'running', 'the file still says running: nobody closed it');
    reader.close();
    assert.ok(kept.length >= 10 && kept.length < total, `kept ${kept.length} of ${total}`);
    assert.ok(kept.every((s) => s.status === 'done' && s.response === `p${s.itemId.slice(1)}`));

    const askedBefore = server.generationRequests().length;
    const resumed = await runCli(['run', '--resume', summary.id, '--out', runsDir], { cwd: tmp.path });
    assert.equal(resumed.code, 0, resumed.stderr);
    const askedOnResume = server.generationRequests().length - askedBefore;
    const finalReader = await store.openReader(summary.id);
    const all = finalReader.samples();
    const run = finalReader.run();
    finalReader.close();
    assert.equal(run.status, 'done');
    assert.equal(all.length, total);
    assert.equal(new Set(all.map((s) => s.itemId)).size, total);
    // Items whose reply was in flight at the kill are asked again; finished ones never are.
    assert.ok(askedOnResume <= total - kept.length, `resume asked ${askedOnResume}, ${total - kept.length} were missing`);
    assert.equal(askedOnResume, total - kept.length);
    assert.equal(run.metrics[0].value, 1);
  });
});
