import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { finishedCount } from '../../../src/core/outcome';
import { RunStore } from '../../../src/core/storage/runStore';
import { collect, runCli, spawnCli } from '../../support/cliProcess';
import { eventually, FAKE_LLAMA_SERVER, fakeModelFile, isAlive, liveFakeServers, startedFakeServers } from '../../support/fakeLlamaServer';
import { useTempDir } from '../../support/tempDir';

describe('evalbench compare-models with a fake llama-server', function () {
  this.timeout(180_000);
  const tmp = useTempDir('evalbench-compare-models-');

  function setup(items: number) {
    const dataset = path.join(tmp.path, 'set.jsonl');
    // The fake server answers with the prompt itself: the F16 file passes everything, the Q4 file drifts on some.
    fs.writeFileSync(dataset, Array.from({ length: items }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `item number ${i}`, expected: `item number ${i}` })).join('\n'));
    const pids = path.join(tmp.path, 'pids');
    fs.mkdirSync(pids);
    const full = fakeModelFile(tmp.path, 'tiny-F16.gguf', '{{ a }}');
    const quant = fakeModelFile(tmp.path, 'tiny-Q4_K_M.gguf', '{{ b }}');
    const runsDir = path.join(tmp.path, 'runs');
    const args = ['compare-models', '--server-cmd', FAKE_LLAMA_SERVER, '--model-file', full, '--model-file', quant, '--parallel', '2',
      '--benchmark', `custom:${dataset}`, '--out', runsDir, '--grace', '1'];
    return { args, runsDir, pids, env: { FAKE_LLAMA_PID_DIR: pids, FAKE_LLAMA_LOADING_MS: '300' } };
  }

  it('runs both models in turn, stops both, and prints the comparison with quantization facts and drift', async () => {
    const { args, runsDir, pids, env } = setup(30);
    const result = await runCli(args, { cwd: tmp.path, env });
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /baseline: tiny-F16 \(F16, 14\.5 GB, llama, 8\.6K parameters, context 4096\)/);
    assert.match(out, /model 2: tiny-Q4_K_M \(Q4_K_M, 4\.1 GB/);
    assert.match(out, /== custom: tiny-F16 \(F16, 14\.5 GB\) vs tiny-Q4_K_M \(Q4_K_M, 4\.1 GB\) ==/);
    assert.match(out, /the model files' chat templates differ/);
    assert.match(out, /identical replies\s+\d+ of 30/);
    assert.match(out, /\|Δ logprob\|\s+mean \d\.\d{4} nats per token/);
    assert.match(result.stderr, /tiny-Q4_K_M\] loading model…|tiny-Q4_K_M\] .*ready/);

    // Both servers started one after the other and none is left.
    assert.equal(startedFakeServers(pids).length, 2);
    assert.deepEqual(liveFakeServers(pids), []);

    // One matrix, baseline first, facts and logprobs stored with each run.
    const store = new RunStore(runsDir);
    const summaries = await store.listSummaries();
    assert.equal(summaries.length, 2);
    assert.equal(new Set(summaries.map((s) => s.matrixId)).size, 1);
    const runs = await Promise.all(summaries.map(async (s) => {
      const reader = await store.openReader(s.id);
      try {
        return { run: reader.run(), samples: reader.samples() };
      } finally {
        reader.close();
      }
    }));
    const byQuant = new Map(runs.map((r) => [r.run.config.modelFile?.quantization, r]));
    assert.deepEqual([...byQuant.keys()].sort(), ['F16', 'Q4_K_M']);
    const full = byQuant.get('F16')!;
    const quant = byQuant.get('Q4_K_M')!;
    assert.equal(full.run.config.logprobs, true);
    assert.ok(full.samples.every((s) => s.status === 'done' && s.logprobs && s.logprobs.tokens.join('') === s.response));
    assert.ok(full.samples.every((s) => s.score?.passed), 'the full model echoes every prompt');
    // The fake "quantized" model changes about a third of its replies; the printed count must be the real one.
    const identical = quant.samples.filter((s) => s.response === full.samples.find((f) => f.itemId === s.itemId)!.response).length;
    assert.ok(identical > 0 && identical < 30, `some replies drift (${identical} identical)`);
    assert.match(out, new RegExp(`identical replies\\s+${identical} of 30`));
  });

  it('a run done with errors (some requests failed) exits 1 and says so, unless --allow-errors', async () => {
    const { args, env } = setup(4);
    // "item number 3" is refused by both servers: each run has 3 judged samples and 1 request failure.
    const refused = { ...env, FAKE_LLAMA_REFUSE_SUFFIX: 'number 3' };
    const strict = await runCli(args, { cwd: tmp.path, env: refused });
    assert.equal(strict.code, 1, strict.stderr);
    assert.equal((strict.stderr.match(/: done with errors; its metrics are over the judged samples only \(--allow-errors to exit 0\)/g) ?? []).length, 2, strict.stderr);
    const allowed = await runCli([...args, '--allow-errors'], { cwd: tmp.path, env: refused });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal((allowed.stderr.match(/: done with errors; its metrics are over the judged samples only\n/g) ?? []).length, 2, allowed.stderr);
  });

  it('leaves no server behind when EvalBench is killed mid-run', async () => {
    const { args, pids, env } = setup(400);
    // The server answers 20 requests and then hangs: the kill lands mid-run however slowly this process gets to it.
    const child = spawnCli(args, { cwd: tmp.path, env: { ...env, FAKE_LLAMA_HANG_AFTER: '20' } });
    const output = collect(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    await eventually(() => /running custom/.test(stderr) && liveFakeServers(pids).length === 1, 120_000, 'the first model is running');
    const [pid] = liveFakeServers(pids);
    child.kill('SIGKILL');
    const killed = await output;
    assert.equal(killed.signal, 'SIGKILL', 'EvalBench was still running');
    await eventually(() => !isAlive(pid), 30_000, 'the server is stopped after EvalBench died');
    assert.deepEqual(liveFakeServers(pids), []);
  });

  it('a managed run killed mid-way resumes with its server started again from the stored profile', async () => {
    const { args, runsDir, pids, env } = setup(120);
    // 30 answers, then every request hangs: the kill cannot come after the run's end, whatever the load.
    const child = spawnCli(args, { cwd: tmp.path, env: { ...env, FAKE_LLAMA_HANG_AFTER: '30' } });
    const output = collect(child);
    const store = new RunStore(runsDir);
    await eventually(() => liveFakeServers(pids).length === 1, 120_000, 'the first server is up');
    let persisted = 0;
    await (async () => {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && persisted < 10) {
        const [summary] = await store.listSummaries();
        persisted = summary ? finishedCount(summary.counts) : 0;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    assert.ok(persisted >= 10, 'some items were stored before the kill');
    child.kill('SIGKILL');
    await output;
    await eventually(() => liveFakeServers(pids).length === 0, 30_000, 'the guard stopped the server');
    const [summary] = await store.listSummaries();
    assert.ok(finishedCount(summary.counts) < 120, 'killed mid-run');

    const resumed = await runCli(['run', '--resume', summary.id, '--out', runsDir], { cwd: tmp.path, env });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /starting .*tiny-F16\.gguf on port \d+/);
    const reader = await store.openReader(summary.id);
    const samples = reader.samples();
    const run = reader.run();
    reader.close();
    assert.equal(run.status, 'done');
    assert.equal(samples.length, 120);
    assert.ok(samples.every((s) => s.status === 'done' && s.score?.passed));
    assert.equal(startedFakeServers(pids).length, 2, 'the server was started again for the resume');
    assert.deepEqual(liveFakeServers(pids), [], 'and stopped after it');
  });

  it('on Ctrl-C (SIGINT) cancels the run, stops the server, and starts no further model', async () => {
    const { args, pids, env } = setup(400);
    // 20 answers, then every request hangs: the first model cannot finish before the Ctrl-C arrives.
    const child = spawnCli(args, { cwd: tmp.path, env: { ...env, FAKE_LLAMA_HANG_AFTER: '20' } });
    const output = collect(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    await eventually(() => /running custom/.test(stderr), 120_000, 'the first model is running');
    child.kill('SIGINT');
    const result = await output;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /\(cancelled\)/);
    assert.equal(startedFakeServers(pids).length, 1, 'the second model was never started');
    assert.deepEqual(liveFakeServers(pids), []);
  });

  it('reports a model file that is not GGUF before starting any server', async () => {
    const { args, pids, env } = setup(3);
    const bad = path.join(tmp.path, 'notes.gguf');
    fs.writeFileSync(bad, 'hello');
    const result = await runCli([...args, '--model-file', bad], { cwd: tmp.path, env });
    assert.equal(result.code, 2, 'a model file the user gave that is not GGUF is an input error');
    assert.match(result.stderr, /notes\.gguf is not a GGUF file/);
    assert.equal(startedFakeServers(pids).length, 0);
  });
});
