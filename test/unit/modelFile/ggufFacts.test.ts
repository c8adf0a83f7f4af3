import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readGgufFacts } from '../../../src/core/modelFile/ggufFacts';
import { describeModelFile, formatBytes, formatParameterCount } from '../../../src/core/modelFile/format';
import { ModelFileError } from '../../../src/core/modelFile/errors';
import { tinyLlamaSpec, writeGguf } from '../../support/ggufWriter';
import { useTempDir } from '../../support/tempDir';

const TEMPLATE = "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}";

describe('GGUF facts', () => {
  const tmp = useTempDir();

  it('reads architecture, parameters, quantization, tensor types, context, tokenizer and template hash from the header', async () => {
    const file = path.join(tmp.path, 'tiny-Q4_K_M.gguf');
    writeGguf(file, tinyLlamaSpec({ fileType: 15, tensorType: 12, chatTemplate: TEMPLATE, sizeBytes: 4_100_000_000 }));
    const facts = await readGgufFacts(file);
    assert.equal(facts.format, 'gguf');
    assert.equal(facts.ggufVersion, 3);
    assert.equal(facts.fileName, 'tiny-Q4_K_M.gguf');
    assert.equal(facts.architecture, 'llama');
    assert.equal(facts.name, 'Tiny Llama');
    assert.equal(facts.quantization, 'Q4_K_M');
    assert.equal(facts.sizeBytes, 4_100_000_000);
    // 64×5 + 2×64×64 + 64
    assert.equal(facts.parameterCount, 320 + 8192 + 64);
    assert.deepEqual(facts.tensorTypes, [
      { type: 'Q4_K', tensors: 2, parameters: 8192 },
      { type: 'F32', tensors: 2, parameters: 384 },
    ]);
    assert.equal(facts.contextLength, 4096);
    assert.deepEqual(facts.tokenizer, { model: 'gpt2', pre: 'qwen2', vocabSize: 5 });
    assert.match(facts.chatTemplateSha256!, /^[0-9a-f]{64}$/);
    assert.match(facts.headerSha256, /^[0-9a-f]{64}$/);
    assert.equal(describeModelFile(facts), 'Q4_K_M, 4.1 GB');
  });

  it('names F16 files and tells templates and sizes apart by hash', async () => {
    const a = path.join(tmp.path, 'a.gguf');
    const b = path.join(tmp.path, 'b.gguf');
    const c = path.join(tmp.path, 'c.gguf');
    writeGguf(a, tinyLlamaSpec({ fileType: 1, tensorType: 1, chatTemplate: TEMPLATE, sizeBytes: 14_500_000_000 }));
    writeGguf(b, tinyLlamaSpec({ fileType: 1, tensorType: 1, chatTemplate: `${TEMPLATE} `, sizeBytes: 14_500_000_000 }));
    writeGguf(c, tinyLlamaSpec({ fileType: 1, tensorType: 1, chatTemplate: TEMPLATE, sizeBytes: 14_500_000_001 }));
    const [fa, fb, fc] = await Promise.all([a, b, c].map(readGgufFacts));
    assert.equal(describeModelFile(fa), 'F16, 14.5 GB');
    assert.notEqual(fa.chatTemplateSha256, fb.chatTemplateSha256);
    assert.equal(fa.chatTemplateSha256, fc.chatTemplateSha256);
    // Same header, other size: another file.
    assert.notEqual(fa.headerSha256, fc.headerSha256);
    const again = await readGgufFacts(a);
    assert.equal(again.headerSha256, fa.headerSha256);
  });

  it('falls back to the dominant tensor type when the file has no general.file_type, and omits a missing template', async () => {
    const file = path.join(tmp.path, 'nofiletype.gguf');
    writeGguf(file, tinyLlamaSpec({ tensorType: 8 }));
    const facts = await readGgufFacts(file);
    assert.equal(facts.quantization, '~Q8_0');
    assert.equal(facts.chatTemplateSha256, undefined);
    assert.equal(facts.sizeBytes, fs.statSync(file).size);
  });

  it('refuses a file that is not GGUF, and a missing file, with a message naming it', async () => {
    const file = path.join(tmp.path, 'model.safetensors');
    fs.writeFileSync(file, '{"not":"gguf"}');
    await assert.rejects(readGgufFacts(file), (e: Error) => e instanceof ModelFileError && /not a GGUF file/.test(e.message) && e.message.includes(file));
    const missing = path.join(tmp.path, 'missing.gguf');
    await assert.rejects(readGgufFacts(missing), (e: Error) => e instanceof ModelFileError && e.message.includes(missing));
  });

  it('refuses a truncated header', async () => {
    const file = path.join(tmp.path, 'cut.gguf');
    const whole = path.join(tmp.path, 'whole.gguf');
    writeGguf(whole, tinyLlamaSpec({ fileType: 15, tensorType: 12, chatTemplate: TEMPLATE }));
    fs.writeFileSync(file, fs.readFileSync(whole).subarray(0, 60));
    await assert.rejects(readGgufFacts(file), ModelFileError);
  });

  it('formats sizes and parameter counts as model cards do', () => {
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(4_100_000_000), '4.1 GB');
    assert.equal(formatParameterCount(7_615_616_512), '7.6B');
    assert.equal(formatParameterCount(494_032_768), '494M');
  });
});
