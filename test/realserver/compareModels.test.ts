/**
 * `evalbench compare-models` end to end with the real llama-server: EvalBench starts a server for
 * the F32 file, runs, stops it, does the same for the Q4_0 file, and prints both files'
 * quantization, the comparison and the drift. No server outlives the command — also when the
 * command itself is SIGKILLed mid-run.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { collect, runCli, spawnCli } from '../support/cliProcess';
import { useTempDir } from '../support/tempDir';
import { requireLlama, type LlamaSetup } from './support/llamaSetup';
import { processesMentioning } from './support/llamaServer';
import { readRun, writeDataset } from './support/runFiles';
import { waitFor } from '../support/waitFor';

const PROMPTS = ['Write one sentence about the sea.', 'List three colours.', 'What is two plus two?', 'Name a city in France.'];

describe('real llama-server: evalbench compare-models', function () {
  let llama: LlamaSetup;
  const tmp = useTempDir();

  before(async function () {
    llama = await requireLlama(this);
  });

  const args = (out: string, dataset: string, extra: string[] = []) => [
    'compare-models', '--server-cmd', llama.server, '--model-file', llama.models.f32, '--model-file', llama.models.q4_0,
    '--benchmark', `custom:${dataset}`, '--ctx-size', '512', '--parallel', '2', '--max-tokens', '8', '--out', out, ...extra,
  ];
  const serversLeft = () => [llama.models.f32, llama.models.q4_0].flatMap((file) => processesMentioning(file).filter((p) => p.cmdline.startsWith(llama.server)));

  it('starts and stops the real servers for F32 and Q4_0, and reports both quantization types, the comparison and the drift', async function () {
    this.timeout(600_000);
    const dataset = writeDataset(tmp.path, PROMPTS.map((prompt, i) => ({ id: `p${i}`, prompt, expected: '-' })));
    const out = path.join(tmp.path, 'runs');
    const result = await runCli(args(out, dataset, ['--json']), { cwd: tmp.path });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(serversLeft(), [], 'no llama-server outlives compare-models');

    const report = JSON.parse(result.stdout);
    assert.equal(report.cancelled, false);
    assert.deepEqual(report.models.map((m: any) => m.modelFile.quantization), ['F32', 'Q4_0']);
    assert.deepEqual(report.models.map((m: any) => m.modelFile.sizeBytes), [17_438_080, 4_100_512].map(Number));
    assert.equal(report.comparisons.length, 1);
    const [comparison] = report.comparisons;
    assert.equal(comparison.drift.compared, PROMPTS.length);
    assert.equal(comparison.drift.greedy, true);
    assert.ok(comparison.drift.identicalShare < 1, 'Q4_0 changed at least one reply');

    for (const [i, model] of report.models.entries()) {
      assert.equal(model.runs.length, 1);
      const { record, samples } = await readRun(out, model.runs[0].id);
      assert.equal(record.config.matrixId, report.matrixId);
      assert.equal(record.serverFacts?.kind, 'llama.cpp');
      assert.equal(record.serverFacts?.totalSlots, 2);
      assert.equal(record.serverFacts?.quantization, ['F32', 'Q4_0'][i]);
      assert.equal(samples.length, PROMPTS.length);
      assert.ok(samples.every((s) => s.status === 'done' && s.logprobs !== undefined), 'answered, with logprobs for the drift');
    }
  });

  it('prints both quantization types for people', async function () {
    this.timeout(600_000);
    const dataset = writeDataset(tmp.path, PROMPTS.slice(0, 2).map((prompt, i) => ({ id: `p${i}`, prompt, expected: '-' })));
    const result = await runCli(args(path.join(tmp.path, 'runs'), dataset), { cwd: tmp.path });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /baseline: .*\(F32, 17\.4 MB/);
    assert.match(result.stdout, /model 2: .*\(Q4_0, 4\.1 MB/);
    assert.deepEqual(serversLeft(), []);
  });

  it('leaves no llama-server behind when compare-models is SIGKILLed mid-run', async function () {
    this.timeout(600_000);
    const dataset = writeDataset(tmp.path, PROMPTS.map((prompt, i) => ({ id: `p${i}`, prompt, expected: '-' })));
    const child = spawnCli(args(path.join(tmp.path, 'runs'), dataset), { cwd: tmp.path });
    const finished = collect(child);
    try {
      await waitFor('compare-models started a server', () => serversLeft().length > 0, 180_000);
      child.kill('SIGKILL');
      await finished;
      await waitFor('the servers of the killed command are stopped', () => serversLeft().length === 0, 60_000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
