/**
 * Drift metrics on real runs: `evalbench run --logprobs` on the same items against the F32, Q8_0
 * and Q4_0 files, then the drift between them as Compare computes it. The same file twice gives the
 * same text (greedy decoding on one server is repeatable); the quantized files drift, and Q4_0
 * further than Q8_0.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { computeDrift } from '../../src/core/compare/drift';
import { storeLoader } from '../../src/core/compare/runLoader';
import { runCli } from '../support/cliProcess';
import { useTempDir } from '../support/tempDir';
import { requireLlama, type LlamaSetup } from './support/llamaSetup';
import { startLlamaServer, stopAllLlamaServers, type LlamaServer } from './support/llamaServer';
import { writeDataset } from './support/runFiles';

const PROMPTS = [
  'Write one sentence about the sea.',
  'List three colours.',
  'What is two plus two?',
  'Name a city in France.',
  'Describe a cat in five words.',
  'Translate "good morning" into Spanish.',
];

describe('real llama-server: drift between F32, Q8_0 and Q4_0 runs', function () {
  let llama: LlamaSetup;
  const tmp = useTempDir();

  before(async function () {
    llama = await requireLlama(this);
  });
  afterEach(stopAllLlamaServers);

  async function runOn(server: LlamaServer, model: string, dataset: string, out: string): Promise<string> {
    // One request at a time: batching two sequences can change a float's last bits, and this
    // test is about the model file, not about batching.
    const result = await runCli(
      ['run', '--base-url', server.baseUrl, '--model', model, '--benchmark', `custom:${dataset}`, '--logprobs', '--max-tokens', '12', '--concurrency', '1', '--out', out, '--json'],
      { cwd: tmp.path },
    );
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout).id;
  }

  it('measures no drift for the same file and real drift for the quantized ones', async function () {
    this.timeout(300_000);
    const dataset = writeDataset(tmp.path, PROMPTS.map((prompt, i) => ({ id: `p${i}`, prompt, expected: '-' })));
    const out = path.join(tmp.path, 'runs');
    const [f32, q8, q4] = await Promise.all([
      startLlamaServer({ binary: llama.server, model: llama.models.f32 }),
      startLlamaServer({ binary: llama.server, model: llama.models.q8_0 }),
      startLlamaServer({ binary: llama.server, model: llama.models.q4_0 }),
    ]);
    const load = storeLoader(out);
    const full = await load(await runOn(f32, llama.models.f32, dataset, out));
    const fullAgain = await load(await runOn(f32, llama.models.f32, dataset, out));
    const eight = await load(await runOn(q8, llama.models.q8_0, dataset, out));
    const four = await load(await runOn(q4, llama.models.q4_0, dataset, out));

    for (const data of [full, eight, four]) {
      assert.ok(data.samples.every((s) => s.status === 'done' && s.logprobs && s.logprobs.tokens.length === 12), 'every reply carries 12 tokens with logprobs');
    }

    const same = computeDrift(full, fullAgain);
    assert.equal(same.compared, PROMPTS.length);
    assert.equal(same.greedy, true);
    assert.equal(same.identicalShare, 1);
    assert.equal(same.medianEditDistance, 0);
    // Not exactly 0: the second run reuses the server's cached prompt, which rounds differently (~1e-7).
    assert.ok(same.logprobs && same.logprobs.meanAbsDiff < 1e-4, `same file: ${same.logprobs?.meanAbsDiff}`);
    assert.equal(same.logprobs?.tokens, PROMPTS.length * 12);

    const toQ8 = computeDrift(full, eight);
    const toQ4 = computeDrift(full, four);
    assert.equal(toQ4.compared, PROMPTS.length);
    assert.ok(toQ4.identicalShare < 1, 'Q4_0 changes at least one reply');
    assert.ok(toQ4.identicalShare <= toQ8.identicalShare, `identical: Q4_0 ${toQ4.identicalShare}, Q8_0 ${toQ8.identicalShare}`);
    assert.ok(toQ4.medianEditDistance >= toQ8.medianEditDistance);
    assert.ok(toQ4.earliest.length > 0 && toQ4.medianFirstDifferentChar !== undefined);
    assert.ok(toQ8.logprobs && toQ8.logprobs.meanAbsDiff > 0, 'Q8_0 shares tokens with F32 and moves their log-probabilities');
  });
});
