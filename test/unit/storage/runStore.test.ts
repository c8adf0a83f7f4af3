import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStoreError } from '../../../src/core/errors';
import { DEFAULT_RUNS_SUBDIR, RunStore, makeRunId } from '../../../src/core/storage/runStore';
import { workToResume } from '../../../src/core/storage/resumeWork';
import { useTempDir } from '../../support/tempDir';
import { config, failedSample, items, sample, score } from './fixtures/runFixtures';

describe('RunStore: run files', () => {
  const tmp = useTempDir('evalbench-storage-');
  const runsDir = () => path.join(tmp.path, 'runs');

  it('creates, writes, flushes and reads back every field exactly', async () => {
    const store = new RunStore(runsDir());
    const writer = await store.create(config(), { runId: 'run-a', items: items(3) });
    assert.equal(writer.file, path.join(runsDir(), 'run-a.sqlite'));
    assert.ok(fs.existsSync(writer.file), 'the file exists as soon as create resolves');
    const s0 = { ...sample('q0'), score: score(true) };
    const s1 = failedSample('q1');
    writer.putSample(s0);
    writer.putSample(s1);
    writer.putSample(sample('q2'));
    writer.setScore('q2', 0, score(false));
    const facts = { kind: 'vllm' as const, baseUrl: 'http://127.0.0.1:8000/v1', models: ['m'], raw: { '/version': { version: '0.8.5' } }, probedAt: '2026-11-23T10:00:00.000Z' };
    const metrics = [{ name: 'prompt_strict', label: 'Prompt-level strict accuracy', value: 0.5, n: 2 }];
    writer.updateRun({ status: 'done', metrics, serverFacts: facts });
    await writer.close();
    await writer.close(); // idempotent

    const reader = await store.openReader('run-a');
    const run = reader.run();
    assert.equal(run.id, 'run-a');
    assert.equal(run.status, 'done');
    assert.deepEqual(run.config, config());
    assert.deepEqual(run.metrics, metrics);
    assert.deepEqual(run.serverFacts, facts);
    assert.equal(run.error, undefined);
    assert.deepEqual(reader.items(), items(3));
    assert.deepEqual(reader.samples(), [s0, s1, { ...sample('q2'), score: score(false) }]);
    assert.deepEqual(reader.samples({ status: 'failed' }), [s1]);
    assert.deepEqual(reader.samples({ itemId: 'q2' }).map((s) => s.itemId), ['q2']);
    reader.close();
    assert.equal(reader.run().id, 'run-a', 'run() still answers after close');
    assert.throws(() => reader.samples(), RunStoreError);
  });

  it('persists without close: the journal batch timer and the every-N batch both reach the disk', async () => {
    const store = new RunStore(runsDir(), { batchMs: 20, batchSamples: 3 });
    const writer = await store.create(config(), { runId: 'run-b', items: items(10) });
    for (let i = 0; i < 3; i++) writer.putSample(sample(`q${i}`)); // third one triggers a flush at once
    await writer.flush(); // waits for it (serialized)
    let reader = await store.openReader('run-b');
    assert.equal(reader.samples().length, 3);
    reader.close();
    writer.putSample(sample('q3')); // below batchSamples: only the timer saves it
    await waitFor(async () => {
      const r = await store.openReader('run-b');
      const n = r.samples().length;
      r.close();
      return n === 4;
    });
    reader = await store.openReader('run-b');
    assert.equal(reader.samples().length, 4);
    reader.close();
    await writer.close();
  });

  it('a resumed writer sees the earlier samples, lists missing and failed ones, and replaces a failure', async () => {
    const store = new RunStore(runsDir());
    const first = await store.create(config({ samplesPerItem: 2 }), { runId: 'run-c', items: items(3) });
    first.putSample({ ...sample('q0', 0), score: score(true) });
    first.putSample({ ...failedSample('q0', 1), score: { ...score(false), failureCause: 'server' } });
    first.putSample(sample('q2', 1));
    await first.close();

    const writer = await store.openWriter('run-c');
    assert.equal(writer.samples().length, 3);
    // Resume asks what was never answered and scores the reply that has no score; re-running failures also asks q0#1 again.
    const units = (mode: 'resume' | 'rerunFailed') => workToResume(writer, mode).map((u) => `${u.itemId}#${u.sampleIndex}${u.scoreOnly ? ' score' : ''}`);
    assert.deepEqual(units('resume'), ['q1#0', 'q1#1', 'q2#0', 'q2#1 score']);
    assert.deepEqual(units('rerunFailed'), ['q0#1', 'q1#0', 'q1#1', 'q2#0', 'q2#1 score']);

    // Re-asking a failed sample: the new reply replaces it, and the old reply's score goes with it.
    writer.putSample(sample('q0', 1));
    assert.equal(writer.samples({ itemId: 'q0' })[1].score, undefined);
    writer.setScore('q0', 1, score(true));
    assert.throws(() => writer.setScore('q1', 0, score(true)), /no reply is stored for it/);
    writer.updateRun({ status: 'failed', error: 'stopped' });
    writer.updateRun({ status: 'done', error: undefined });
    await writer.close();

    const reader = await store.openReader(path.join(runsDir(), 'run-c.sqlite'));
    assert.deepEqual(reader.samples({ status: 'failed' }), []);
    assert.equal(reader.run().status, 'done');
    assert.equal('error' in reader.run(), false, 'error: undefined clears the field');
    assert.deepEqual(reader.summary().counts, { total: 6, passed: 2, wrong: 0, request_failed: 0, scoring_error: 0, pending: 4 }, 'a reply not scored yet is pending');
    reader.close();
  });

  it('a failed flush stops new samples with a clear error, keeps the last good file, and recovers', async () => {
    const store = new RunStore(runsDir(), { batchMs: 3_600_000, batchSamples: 1000 });
    const writer = await store.create(config(), { runId: 'run-f', items: items(3) });
    writer.putSample(sample('q0'));
    await writer.flush();
    fs.rmSync(runsDir(), { recursive: true }); // the folder vanishes (unmounted drive, deleted by hand)
    writer.putSample(sample('q1'));
    await assert.rejects(writer.flush(), (error: unknown) => error instanceof RunStoreError && /could not save run run-f: .*ENOENT/.test(error.message));
    assert.throws(() => writer.putSample(sample('q2')), /could not save run run-f/, 'no silent loss: the run must stop');
    writer.updateRun({ status: 'failed', error: 'disk gone' }); // the final state can still be recorded
    fs.mkdirSync(runsDir());
    await writer.flush();
    writer.putSample(sample('q2'));
    await writer.close();
    const reader = await store.openReader('run-f');
    assert.deepEqual(reader.samples().map((s) => s.itemId), ['q0', 'q1', 'q2']);
    assert.equal(reader.run().error, 'disk gone');
    reader.close();
  });

  it('writes a summary with every flush, and lists newest first', async () => {
    const store = new RunStore(runsDir());
    assert.deepEqual(await store.listSummaries(), [], 'a missing runs folder is an empty list');
    const older = await store.create(config(), { runId: '20261123-100000-a', items: items(4) });
    older.putSample({ ...sample('q0'), score: score(true) });
    older.putSample(failedSample('q1'));
    // Metrics an earlier execution ended with (a resumed run's): about other samples than those stored now.
    older.updateRun({ metrics: [{ name: 'prompt_strict', label: 'Prompt strict', value: 0, n: 7 }, { name: 'x', label: 'X', value: 0, n: 1 }] });
    await older.close();
    const newer = await store.create(config({ matrixId: 'm1', endpoint: { baseUrl: 'http://h/v1', model: 'llama3', mode: 'completions' } }), {
      runId: '20261123-110000-b',
      items: items(2),
    });

    const list = await store.listSummaries();
    assert.deepEqual(list.map((s) => s.id), ['20261123-110000-b', '20261123-100000-a']);
    const [b, a] = list;
    assert.deepEqual(
      { status: b.status, model: b.model, label: b.label, matrixId: b.matrixId, counts: b.counts, headline: b.headline },
      { status: 'running', model: 'llama3', label: undefined, matrixId: 'm1', counts: { total: 2, passed: 0, wrong: 0, request_failed: 0, scoring_error: 0, pending: 2 }, headline: undefined },
    );
    assert.deepEqual(
      { file: a.file, status: a.status, model: a.model, label: a.label, baseUrl: a.baseUrl, benchmarkId: a.benchmarkId, counts: a.counts, headline: a.headline && { name: a.headline.name, value: a.headline.value, n: a.headline.n } },
      {
        file: path.join(runsDir(), '20261123-100000-a.sqlite'),
        status: 'interrupted', // closed while it still said running: no writer will finish it
        model: 'Qwen/Qwen2.5-7B-Instruct',
        label: 'Qwen 7B',
        baseUrl: 'http://127.0.0.1:8000/v1',
        benchmarkId: 'ifeval',
        counts: { total: 4, passed: 1, wrong: 0, request_failed: 1, scoring_error: 0, pending: 2 },
        // Never ended: computed again from the one judged sample, not the 0 of 7 its record holds.
        headline: { name: 'prompt_strict', value: 1, n: 1 },
      },
    );
    await newer.close();
  });

  it('a run left saying queued by a writer that is gone reads as interrupted (resumable), in the file and the list', async () => {
    // A kill that lands before the "running" entry reaches the disk (a slow fsync on a busy machine) leaves "queued".
    const store = new RunStore(runsDir());
    const writer = await store.create(config(), { runId: 'left-queued', items: items(2) });
    writer.updateRun({ status: 'queued' });
    await writer.flush();
    const whileHeld = await store.openReader('left-queued');
    assert.equal(whileHeld.run().status, 'queued', 'its writer is alive: still queued');
    whileHeld.close();
    await writer.close();
    const reader = await store.openReader('left-queued');
    assert.equal(reader.run().status, 'interrupted');
    reader.close();
    assert.equal((await store.listSummaries()).find((r) => r.id === 'left-queued')?.status, 'interrupted');
  });

  it('a run that has not ended shows the metrics of the samples it stored, not those its last execution ended with', async () => {
    const store = new RunStore(runsDir());
    const headline = (metrics: { name: string; value: number; n: number }[] | undefined) => metrics?.[0] && { name: metrics[0].name, value: metrics[0].value, n: metrics[0].n };
    // Cancelled after two judged samples: its record holds their metrics.
    const first = await store.create(config(), { runId: 'resumed', items: items(4) });
    first.putSample({ ...sample('q0'), score: score(true) });
    first.putSample({ ...sample('q1'), score: score(false) });
    first.updateRun({ status: 'cancelled', metrics: [{ name: 'prompt_strict', label: 'Prompt-level strict accuracy', value: 0.5, n: 2 }] });
    await first.close();
    // Resumed: one more judged sample, one failed request (never in a metric).
    const writer = await store.openWriter('resumed');
    writer.updateRun({ status: 'running' });
    writer.putSample({ ...sample('q2'), score: score(true) });
    writer.putSample(failedSample('q3'));
    await writer.flush();
    const live = (await store.listSummaries()).find((r) => r.id === 'resumed');
    assert.equal(live?.status, 'running');
    assert.deepEqual(headline(live?.metrics), { name: 'prompt_strict', value: 2 / 3, n: 3 }, 'the live writer’s summary');
    const whileHeld = await store.openReader('resumed');
    assert.deepEqual(headline(whileHeld.run().metrics), { name: 'prompt_strict', value: 2 / 3, n: 3 }, 'a reader while it runs');
    whileHeld.close();
    // Its writer gone while it still says running (as after a kill): read as interrupted, with the same figures.
    await writer.close();
    const reader = await store.openReader('resumed');
    assert.equal(reader.run().status, 'interrupted');
    assert.deepEqual(headline(reader.run().metrics), { name: 'prompt_strict', value: 2 / 3, n: 3 });
    assert.equal(reader.run().metrics.length, 4, 'every IFEval metric, not only the headline');
    reader.close();
    assert.deepEqual(headline((await store.listSummaries()).find((r) => r.id === 'resumed')?.metrics), { name: 'prompt_strict', value: 2 / 3, n: 3 });

    // Scored by another version of the benchmark than this EvalBench's: no figure rather than one by other rules.
    const other = await store.create(config({ benchmarkVersion: '0-old' }), { runId: 'other-version', items: items(2) });
    other.putSample({ ...sample('q0'), score: score(true) });
    other.updateRun({ metrics: [{ name: 'prompt_strict', label: 'Prompt-level strict accuracy', value: 0, n: 9 }] });
    await other.close();
    const old = await store.openReader('other-version');
    assert.deepEqual(old.run().metrics, []);
    old.close();
    assert.equal((await store.listSummaries()).find((r) => r.id === 'other-version')?.headline, undefined);
  });

  it('lists from summaries only: a corrupt database with a good summary is listed; a bad summary is rebuilt; both bad is reported', async () => {
    const store = new RunStore(runsDir());
    for (const id of ['r1', 'r2', 'r3']) {
      const w = await store.create(config(), { runId: id, items: items(2) });
      w.putSample(sample('q0'));
      await w.close();
    }
    // r1: database destroyed, summary intact → still listed (proves the database was not opened).
    fs.writeFileSync(path.join(runsDir(), 'r1.sqlite'), 'garbage');
    // r2: summary garbled → rebuilt from the database and rewritten.
    fs.writeFileSync(path.join(runsDir(), 'r2.summary.json'), '{"id": ');
    // r3: both gone bad → left out, with a reason.
    fs.writeFileSync(path.join(runsDir(), 'r3.sqlite'), 'garbage');
    fs.rmSync(path.join(runsDir(), 'r3.summary.json'));
    // An orphan summary (its database deleted by hand) is not a run.
    fs.copyFileSync(path.join(runsDir(), 'r1.summary.json'), path.join(runsDir(), 'r4.summary.json'));
    const problems: string[] = [];
    const list = await store.listSummaries({ onProblem: (file, reason) => problems.push(`${path.basename(file)}: ${reason}`) });
    assert.deepEqual(list.map((s) => s.id).sort(), ['r1', 'r2']);
    assert.deepEqual(list.find((s) => s.id === 'r2')?.counts, { total: 2, passed: 0, wrong: 0, request_failed: 0, scoring_error: 0, pending: 2 });
    assert.equal(JSON.parse(fs.readFileSync(path.join(runsDir(), 'r2.summary.json'), 'utf8')).id, 'r2', 'the rebuilt summary is saved');
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^r3\.sqlite: this is not a SQLite file/);
    assert.equal(problems[1], 'r4.sqlite: a summary without its run file (deleted by hand?)');
  });

  it('deletes a closed run and refuses a run being written', async () => {
    const store = new RunStore(runsDir());
    const writer = await store.create(config(), { runId: 'run-d', items: items(1) });
    await assert.rejects(store.delete('run-d'), /run run-d is being written by pid \d+ on host/);
    await writer.close();
    await store.delete('run-d');
    assert.deepEqual(fs.readdirSync(runsDir()), []);
    await assert.rejects(store.delete('run-d'), /no run run-d to delete/);
    await assert.rejects(store.openReader('run-d'), /no run run-d in .*evalbench list/);
  });

  it('refuses to create over an existing run, and refuses ids that are not file names', async () => {
    const store = new RunStore(runsDir());
    await (await store.create(config(), { runId: 'run-e', items: items(1) })).close();
    const before = fs.readFileSync(path.join(runsDir(), 'run-e.sqlite'));
    await assert.rejects(store.create(config(), { runId: 'run-e', items: items(5) }), /run run-e already exists/);
    assert.deepEqual(fs.readFileSync(path.join(runsDir(), 'run-e.sqlite')), before);
    assert.throws(() => store.fileFor('../escape'), /not a valid run id/);
    assert.equal(DEFAULT_RUNS_SUBDIR, '.evalbench/runs');
  });

  it('makes sortable, readable run ids', async () => {
    const id = makeRunId('Qwen/Qwen2.5-7B-Instruct', 'ifeval', new Date('2026-11-23T10:15:02Z'));
    assert.match(id, /^20261123-101502-qwen2\.5-7b-instruct-ifeval-[0-9a-f]{4}$/);
    assert.match(makeRunId('qwen2.5:7b', 'humaneval', new Date('2026-11-23T10:15:02Z')), /^20261123-101502-qwen2\.5-7b-humaneval-[0-9a-f]{4}$/);
    const store = new RunStore(runsDir());
    const writer = await store.create(config(), { items: items(1) });
    assert.match(writer.runId, /^\d{8}-\d{6}-qwen2\.5-7b-instruct-ifeval-[0-9a-f]{4}$/);
    assert.equal(path.basename(writer.file), `${writer.runId}.sqlite`);
    await writer.close();
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
