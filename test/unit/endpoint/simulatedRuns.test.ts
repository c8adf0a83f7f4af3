/** Whole runs (RunManager, ModelClient, the scoring worker) against the per-kind server simulators. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunManager } from '../../../src/core/run/runManager';
import { RunStore } from '../../../src/core/storage/runStore';
import type { SampleRecord } from '../../../src/core/storage/types';
import { eventually } from '../../support/fakeLlamaServer';
import { startLlamaCppSim } from '../../support/simulators/llamaCpp';
import { startVllmSim } from '../../support/simulators/vllm';
import { startOllamaSim } from '../../support/simulators/ollama';
import type { SimServer } from '../../support/simulators/simServer';
import { useTempDir } from '../../support/tempDir';
import { useRunManagers } from '../../support/useRunManagers';

describe('runs against server simulators', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  // Registered before the hook that closes the simulator: runs stop before their server goes.
  const managers = useRunManagers();
  let sim: SimServer | undefined;
  const logs: string[] = [];
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    logs.length = 0;
  });

  /** Items whose expected answer is the simulators' echo of the prompt. */
  function dataset(prompts: string[]): string {
    const file = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(file, prompts.map((prompt, i) => JSON.stringify({ id: `q${i}`, prompt, expected: `echo: ${prompt}` })).join('\n'));
    return file;
  }

  function newManager(): RunManager {
    return managers.create({
      store: new RunStore(path.join(tmp.path, 'runs')),
      cacheDir: path.join(tmp.path, 'cache'),
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
  }

  it('a run started while llama-server loads waits, then finishes with the server recorded as llama.cpp with its slots', async () => {
    const llama = await startLlamaCppSim({ loading: true, totalSlots: 2, models: ['qwen'] });
    sim = llama;
    // The model finishes loading once the run has seen it loading (not after a fixed delay, which a busy
    // machine can outlast before the first poll, so that the run never meets the loading phase at all).
    void eventually(() => logs.some((l) => /loading model…/.test(l)), 60_000, 'the run saw the model loading').then(() => llama.finishLoading(), () => {});
    const [handle] = await newManager().start({
      benchmark: { id: 'custom', datasetPath: dataset(['one', 'two', 'three']) },
      endpoints: [{ baseUrl: llama.url, model: 'qwen', mode: 'chat' }],
    });
    const record = await handle.done;
    assert.equal(record.status, 'done');
    assert.equal(record.serverFacts?.kind, 'llama.cpp');
    assert.equal(record.serverFacts?.totalSlots, 2);
    assert.equal(record.config.concurrency, 2);
    assert.ok(logs.some((l) => /loading model…/.test(l)), logs.join('\n'));
    assert.deepEqual(record.metrics.map((m) => [m.name, m.value]), [['accuracy', 1]]);
  });

  async function samplesOf(runId: string): Promise<SampleRecord[]> {
    const reader = await new RunStore(path.join(tmp.path, 'runs')).openReader(runId);
    try {
      return reader.samples();
    } finally {
      reader.close();
    }
  }

  it('an item longer than llama.cpp\'s context is a request failure with cause context_overflow, never a wrong answer', async () => {
    sim = await startLlamaCppSim({ nCtx: 40, models: ['qwen'] });
    const [handle] = await newManager().start({
      benchmark: { id: 'custom', datasetPath: dataset(['short one', 'long '.repeat(60).trim()]) },
      endpoints: [{ baseUrl: sim.url, model: 'qwen', mode: 'chat' }],
      sampling: { max_tokens: 8 },
    });
    const record = await handle.done;
    const samples = await samplesOf(record.id);
    assert.equal(samples[0].status, 'done');
    assert.equal(samples[1].status, 'failed');
    assert.equal(samples[1].score?.failureCause, 'context_overflow');
    assert.match(samples[1].error ?? '', /^context overflow: the prompt is 60 tokens, the context 40/);
  });

  it('vLLM: the lowered max_tokens is said on the item and kept in the run file', async () => {
    sim = await startVllmSim({ maxModelLen: 40, models: ['qwen'] });
    const [handle] = await newManager().start({
      benchmark: { id: 'custom', datasetPath: dataset(['a b c', 'x '.repeat(30).trim()]) },
      endpoints: [{ baseUrl: sim.url, model: 'qwen', mode: 'chat' }],
      sampling: { max_tokens: 16 },
    });
    const record = await handle.done;
    const samples = await samplesOf(record.id);
    assert.equal(samples[0].notes, undefined);
    assert.deepEqual(samples[1].notes, ['max_tokens lowered from 16 to 10 to fit the context of 40 tokens (the prompt is 30); asked again once']);
    assert.equal(samples[1].status, 'done');
  });

  it('Ollama: a prompt longer than num_ctx, which Ollama cuts silently, is marked context overflow, not a wrong answer', async () => {
    const ollama = await startOllamaSim({ numCtx: 32, loaded: true, models: ['qwen2.5:7b'] });
    sim = ollama;
    const long = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const [handle] = await newManager().start({
      benchmark: { id: 'custom', datasetPath: dataset(['short one', long]) },
      endpoints: [{ baseUrl: ollama.url, model: 'qwen2.5:7b', mode: 'chat' }],
      sampling: { max_tokens: 64 },
    });
    const record = await handle.done;
    assert.equal(record.serverFacts?.contextLength, 32);
    assert.match(record.serverFacts?.contextSource ?? '', /\/api\/ps/);
    assert.ok(logs.some((l) => /^warn: .*context of 32 tokens.*item q1.*Ollama cuts such prompts silently/.test(l)), logs.join('\n'));
    // The server really did cut it and answer 200.
    assert.equal(ollama.seenPrompts[1].split(' ').length, 32);
    const samples = await samplesOf(record.id);
    assert.equal(samples[0].status, 'done');
    assert.equal(samples[0].score?.passed, true);
    assert.equal(samples[1].status, 'failed');
    assert.equal(samples[1].score?.failureCause, 'context_overflow');
    assert.match(samples[1].error ?? '', /^context overflow: the prompt is 32 tokens, the context 32 .*cut the prompt/);
  });

  it('Ollama: sampling goes through /api/chat options (honoured), one request at a time, with its own timings', async () => {
    const ollama = await startOllamaSim({ models: ['qwen2.5:7b'], tokenMs: 1 });
    sim = ollama;
    const [handle] = await newManager().start({
      benchmark: { id: 'custom', datasetPath: dataset(['a', 'b', 'c', 'd']) },
      endpoints: [{ baseUrl: ollama.url, model: 'qwen2.5:7b', mode: 'chat' }],
      sampling: { top_k: 1 },
    });
    const record = await handle.done;
    assert.deepEqual(record.metrics.map((m) => [m.name, m.value]), [['accuracy', 1]]);
    assert.equal(record.config.concurrency, 1);
    assert.equal(ollama.slots.maxInUse, 1);
    assert.ok(ollama.requests.every((r) => r.path !== '/v1/chat/completions'));
    // top_k as set, every other filter off; the old /v1 route would have run with top_k 40 and repeat_penalty 1.1.
    for (const e of ollama.effective) assert.deepEqual(e, { temperature: 0, top_k: 1, top_p: 1, min_p: 0, repeat_penalty: 1, num_predict: 512, num_ctx: 4096 });
    assert.equal(record.serverFacts?.samplingApplied?.api, 'Ollama /api/chat options');
    assert.deepEqual(record.serverFacts?.samplingApplied?.notHonoured, []);
    const samples = await samplesOf(record.id);
    assert.ok(samples.every((s) => s.serverTimings?.generatedTokens === 2 && s.promptTokens === 1));
  });

  it('llama.cpp and vLLM get every filter switched off explicitly, and the server defaults are recorded', async () => {
    const llama = await startLlamaCppSim({ models: ['qwen'] });
    sim = llama;
    const [handle] = await newManager().start({ benchmark: { id: 'custom', datasetPath: dataset(['a', 'b']) }, endpoints: [{ baseUrl: llama.url, model: 'qwen', mode: 'chat' }] });
    const record = await handle.done;
    for (const e of llama.effective) assert.deepEqual(e, { temperature: 0, top_k: 0, top_p: 1, min_p: 0, repeat_penalty: 1 });
    assert.equal(record.serverFacts?.serverDefaults?.top_k, 40);
    await llama.close();

    const vllm = await startVllmSim({ models: ['qwen'] });
    sim = vllm;
    const [second] = await newManager().start({ benchmark: { id: 'custom', datasetPath: dataset(['a', 'b']) }, endpoints: [{ baseUrl: vllm.url, model: 'qwen', mode: 'chat' }] });
    await second.done;
    // Not generation_config.json's top_k 20 and repetition_penalty 1.05.
    for (const e of vllm.effective) assert.deepEqual(e, { temperature: 0, top_p: 1, top_k: -1, min_p: 0, repetition_penalty: 1 });
  });

  it('llama.cpp: server-side timings are kept per sample, without the time spent queued for a slot', async () => {
    const llama = await startLlamaCppSim({ models: ['qwen'], totalSlots: 1, tokenMs: 5 });
    sim = llama;
    const [handle] = await newManager().start({
      benchmark: { id: 'custom', datasetPath: dataset(['one two three', 'four five six']) },
      endpoints: [{ baseUrl: llama.url, model: 'qwen', mode: 'chat' }],
      concurrency: 2,
    });
    const record = await handle.done;
    const samples = await samplesOf(record.id);
    for (const s of samples) {
      assert.deepEqual(s.serverTimings, { promptTokens: 3, promptMs: 1.5, generatedTokens: 4, generationMs: 20 });
    }
    assert.equal(llama.slots.maxInUse, 1);
  });
});
