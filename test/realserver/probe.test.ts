/**
 * What EvalBench learns from a real llama-server before a run: the facts from /props and
 * /v1/models as the probe records them, and the GGUF header facts of the real quantized files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { probeServer } from '../../src/core/endpoint/serverProbe';
import { readGgufFacts } from '../../src/core/modelFile/ggufFacts';
import { requireLlama, type LlamaSetup } from './support/llamaSetup';
import { startLlamaServer, stopAllLlamaServers, type LlamaServer } from './support/llamaServer';

describe('real llama-server: probe and model-file facts', function () {
  let llama: LlamaSetup;
  let f32: LlamaServer;
  let q4: LlamaServer;

  before(async function () {
    llama = await requireLlama(this);
    this.timeout(240_000);
    [f32, q4] = await Promise.all([
      startLlamaServer({ binary: llama.server, model: llama.models.f32, ctx: 512, parallel: 2 }),
      startLlamaServer({ binary: llama.server, model: llama.models.q4_0, ctx: 512, parallel: 2 }),
    ]);
  });
  after(stopAllLlamaServers);

  it('records the server as llama.cpp with its slots, per-slot context, model path and build', async () => {
    const facts = await probeServer(f32.baseUrl, { timeoutMs: 30_000 });
    assert.equal(facts.kind, 'llama.cpp');
    assert.equal(facts.baseUrl, f32.baseUrl);
    assert.deepEqual(facts.models, [llama.models.f32], 'llama-server names the model by its path');
    assert.equal(facts.totalSlots, 2, '-np 2');
    // -c 512 is shared by the 2 slots: each request gets 256 tokens, and that is what /props reports.
    assert.equal(facts.contextLength, 256);
    assert.equal(facts.modelPath, llama.models.f32);
    assert.equal(facts.quantization, 'F32');
    assert.match(facts.build ?? '', /^llama\.cpp b\d+-[0-9a-f]+$/);
    // 2 layers × (4 × 64² + 3 × 64 × 128 + 2 × 64) + 2 × 32000 × 64 + 64 = 4,178,240 parameters.
    assert.equal(facts.parameterSize, '4M');
    const props = facts.raw['/props'] as Record<string, any>;
    assert.equal(props.total_slots, 2);
    assert.equal(props.default_generation_settings.n_ctx, 256);
  });

  it('tells the Q4_0 file from the F32 one', async () => {
    const facts = await probeServer(q4.baseUrl, { timeoutMs: 30_000 });
    assert.equal(facts.kind, 'llama.cpp');
    assert.equal(facts.modelPath, llama.models.q4_0);
    assert.equal(facts.quantization, 'Q4_0');
    assert.equal(facts.totalSlots, 2);
  });

  it('reads the quantization type and size from the real GGUF headers', async () => {
    const full = await readGgufFacts(llama.models.f32);
    const quantized = await readGgufFacts(llama.models.q4_0);
    const q8 = await readGgufFacts(llama.models.q8_0);
    assert.equal(full.quantization, 'F32');
    assert.equal(quantized.quantization, 'Q4_0');
    assert.equal(q8.quantization, 'Q8_0');
    for (const facts of [full, quantized, q8]) {
      assert.equal(facts.architecture, 'llama');
      assert.equal(facts.contextLength, 512);
      assert.equal(facts.parameterCount, 4_178_240);
      assert.deepEqual(facts.tokenizer, { model: 'llama', pre: 'default', vocabSize: 32_000 });
      assert.equal(facts.sizeBytes, fs.statSync(facts.path).size);
    }
    // Every tensor of the F32 file is F32. llama-quantize made the 15 weight matrices Q4_0, kept the
    // output matrix at higher precision (Q8_0: its 64 columns are too few for Q6_K) and the 5 norms F32.
    assert.deepEqual(full.tensorTypes, [{ type: 'F32', tensors: 21, parameters: 4_178_240 }]);
    assert.deepEqual(quantized.tensorTypes, [
      { type: 'Q4_0', tensors: 15, parameters: 2_129_920 },
      { type: 'Q8_0', tensors: 1, parameters: 2_048_000 },
      { type: 'F32', tensors: 5, parameters: 320 },
    ]);
    assert.ok(quantized.sizeBytes < full.sizeBytes / 3, `${quantized.sizeBytes} vs ${full.sizeBytes}`);
    assert.notEqual(quantized.headerSha256, full.headerSha256);
  });
});
