/**
 * `evalbench run` against a real llama-server, as a user runs it: the server recorded as llama.cpp,
 * its slot count used as the default concurrency, streamed replies with time to first token, and
 * a prompt longer than the context failing with llama.cpp's own exceed_context_size_error.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { sampleFailureCause, sampleOutcome } from '../../src/core/outcome';
import { runCli } from '../support/cliProcess';
import { useTempDir } from '../support/tempDir';
import { requireLlama, type LlamaSetup } from './support/llamaSetup';
import { startLlamaServer, stopAllLlamaServers } from './support/llamaServer';
import { LONG_PROMPT, readRun, writeDataset } from './support/runFiles';

describe('real llama-server: evalbench run', function () {
  let llama: LlamaSetup;
  const tmp = useTempDir();

  before(async function () {
    llama = await requireLlama(this);
  });
  afterEach(stopAllLlamaServers);

  it('records the server facts, uses the 2 slots as concurrency and records time to first token when streaming', async () => {
    const server = await startLlamaServer({ binary: llama.server, model: llama.models.f32, ctx: 512, parallel: 2 });
    const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, prompt: `Say the letter ${id.toUpperCase()}.`, expected: id.toUpperCase() }));
    const out = path.join(tmp.path, 'runs');
    const result = await runCli(
      ['run', '--base-url', server.baseUrl, '--model', llama.models.f32, '--benchmark', `custom:${writeDataset(tmp.path, items)}`, '--stream', '--max-tokens', '8', '--out', out, '--json'],
      { cwd: tmp.path },
    );
    assert.equal(result.code, 0, result.stderr);
    const { record, samples } = await readRun(out, JSON.parse(result.stdout).id);
    assert.equal(record.status, 'done');
    assert.equal(record.config.concurrency, 2, 'no --concurrency: the server’s total_slots');
    assert.equal(record.serverFacts?.kind, 'llama.cpp');
    assert.equal(record.serverFacts?.totalSlots, 2);
    assert.equal(record.serverFacts?.contextLength, 256);
    assert.equal(record.serverFacts?.modelPath, llama.models.f32);
    assert.equal(record.serverFacts?.quantization, 'F32');
    assert.equal(record.serverFacts?.trainedContextLength, 512);
    // llama.cpp's own defaults for what a request leaves out, as its /props gives them…
    const defaults = record.serverFacts?.serverDefaults as Record<string, number>;
    assert.equal(defaults.top_k, 40);
    assert.ok(Math.abs(defaults.min_p - 0.05) < 1e-6 && Math.abs(defaults.top_p - 0.95) < 1e-6, JSON.stringify(defaults));
    // …and EvalBench sends the neutral values explicitly instead, all of them honoured by llama.cpp.
    assert.deepEqual(record.serverFacts?.samplingApplied?.sent, { temperature: 0, top_p: 1, top_k: 0, min_p: 0, repetition_penalty: 1, max_tokens: 8 });
    assert.deepEqual(record.serverFacts?.samplingApplied?.notHonoured, []);
    assert.equal(samples.length, items.length);
    for (const sample of samples) {
      assert.equal(sample.status, 'done', sample.error);
      assert.equal(sample.finishReason, 'length');
      assert.equal(sample.completionTokens, 8);
      assert.ok(sample.ttftMs !== undefined && sample.ttftMs > 0 && sample.ttftMs <= sample.latencyMs!, JSON.stringify(sample));
      // The server's own timings (queue time excluded): the same generated tokens; of the prompt,
      // only what was not already in the slot's cache (the items share the chat template's start).
      const timings = sample.serverTimings;
      assert.equal(timings?.generatedTokens, 8);
      assert.ok(timings?.promptTokens && timings.promptTokens > 0 && timings.promptTokens <= sample.promptTokens!, JSON.stringify([timings, sample.promptTokens]));
      // Random weights answer gibberish; what matters is that every reply reached the scorer.
      assert.ok(sample.score, `sample ${sample.itemId} scored`);
    }
  });

  it('fails a prompt longer than the context with llama.cpp’s exceed_context_size_error, once, and answers the others', async () => {
    const server = await startLlamaServer({ binary: llama.server, model: llama.models.f32, ctx: 128, parallel: 2 });
    const items = [
      { id: 'short', prompt: 'Say A.', expected: 'A' },
      { id: 'long', prompt: LONG_PROMPT, expected: 'word' },
    ];
    const out = path.join(tmp.path, 'runs');
    const result = await runCli(
      ['run', '--base-url', server.baseUrl, '--model', llama.models.f32, '--benchmark', `custom:${writeDataset(tmp.path, items)}`, '--max-tokens', '8', '--out', out, '--json'],
      { cwd: tmp.path },
    );
    const { record, samples } = await readRun(out, JSON.parse(result.stdout).id);
    assert.equal(result.code, 1, 'a run with a request failure is not a clean exit');
    assert.equal(record.status, 'done_with_errors');
    // Warned before the run: the longest prompt does not fit the context in effect.
    assert.match(result.stderr, /context of 256 tokens .*the longest prompt \(item long\)/);
    // This llama.cpp pads each slot's context to a multiple of 256 (src/llama-context.cpp): -c 128
    // gives 256 tokens per slot, and the probe records what is in effect, not what was asked for.
    assert.equal(record.serverFacts?.contextLength, 256);
    const short = samples.find((s) => s.itemId === 'short')!;
    const long = samples.find((s) => s.itemId === 'long')!;
    assert.equal(short.status, 'done', short.error);
    assert.equal(long.status, 'failed');
    assert.equal(long.response, undefined);
    assert.equal(sampleOutcome(long), 'request_failed', 'a failure is never a wrong answer');
    assert.equal(sampleFailureCause(long), 'context_overflow');
    assert.match(long.error ?? '', /^context overflow: the prompt is \d+ tokens, the context 256 \(request \(\d+ tokens\) exceeds the available context size \(256 tokens\)/);
    assert.equal(long.attempts ?? 1, 1, 'a 400 is not retried');
  });

  it('runs IFEval (bundled data, real scorer) to the end: every sample answered and judged', async () => {
    const server = await startLlamaServer({ binary: llama.server, model: llama.models.q4_0, ctx: 512, parallel: 2 });
    const out = path.join(tmp.path, 'runs');
    const result = await runCli(['run', '--base-url', server.baseUrl, '--model', llama.models.q4_0, '--benchmark', 'ifeval', '--limit', '4', '--out', out, '--json'], { cwd: tmp.path });
    assert.equal(result.code, 0, result.stderr);
    const { record, samples } = await readRun(out, JSON.parse(result.stdout).id);
    assert.equal(record.status, 'done');
    assert.equal(record.serverFacts?.quantization, 'Q4_0');
    assert.equal(samples.length, 4);
    assert.ok(samples.every((s) => s.status === 'done' && s.score !== undefined), JSON.stringify(samples.map((s) => [s.status, s.error])));
    const promptStrict = record.metrics.find((m) => m.name === 'prompt_strict');
    assert.equal(promptStrict?.n, 4, JSON.stringify(record.metrics));
  });
});
