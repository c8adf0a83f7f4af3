import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../../../src/core/errors';
import { cliFixText, vscodeFixText } from '../../../src/core/fixHints';
import type { GenerationRequest, GenerationResult, Generator, ServerFacts } from '../../../src/core/endpoint/types';
import { EndpointError } from '../../../src/core/errors';
import type { RunProgress } from '../../../src/core/run/types';
import { RunStore } from '../../../src/core/storage/runStore';
import { CustomScorer } from '../../../src/core/benchmarks/custom/scorer';
import { useTempDir } from '../../support/tempDir';
import { useRunManagers } from '../../support/useRunManagers';
import { waitFor } from '../../support/waitFor';

/** A model that answers "<n>" for the prompt "<n>" unless told otherwise, after `delayMs`. */
class ScriptedModel implements Generator {
  calls: string[] = [];
  constructor(private readonly answer: (prompt: string, call: number) => string | Error, private readonly delayMs = 2) {}
  async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    const prompt = request.messages?.at(-1)?.content ?? request.prompt ?? '';
    this.calls.push(prompt);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, this.delayMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason ?? new Error('aborted'));
      });
    });
    const reply = this.answer(prompt, this.calls.length);
    if (reply instanceof Error) throw reply;
    return { text: reply, finishReason: 'stop', truncated: false, latencyMs: this.delayMs, attempts: 1, promptTokens: 3, completionTokens: 1 };
  }
}

const facts: ServerFacts = { kind: 'llama.cpp', baseUrl: 'http://127.0.0.1:9/v1', models: ['m', 'm-q4'], totalSlots: 3, raw: {}, probedAt: 'now' };

describe('RunManager', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  const managers = useRunManagers();

  function dataset(n: number): string {
    const file = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(file, Array.from({ length: n }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: String(i), expected: String(i) })).join('\n'));
    return file;
  }

  function setup(model: ScriptedModel) {
    const store = new RunStore(path.join(tmp.path, 'runs'));
    const manager = managers.create({
      store,
      cacheDir: path.join(tmp.path, 'cache'),
      createGenerator: () => model,
      probe: async () => facts,
    });
    return { store, manager };
  }

  const endpoint = { baseUrl: 'http://127.0.0.1:9/v1', model: 'm', mode: 'chat' as const, apiKey: 'sk-secret' };

  it('asks every item, scores it in the worker, stores it, and reports progress and metrics', async () => {
    const model = new ScriptedModel((p) => (Number(p) % 4 === 0 ? 'wrong' : p));
    const { store, manager } = setup(model);
    const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset(20) }, endpoints: [endpoint] });
    const snapshots: RunProgress[] = [];
    handle.onProgress((p) => snapshots.push(p));
    let sampleEvents = 0;
    handle.onSample(() => sampleEvents++);
    const record = await handle.done;

    assert.equal(record.status, 'done');
    assert.equal(model.calls.length, 20);
    assert.equal(sampleEvents, 20);
    assert.deepEqual(record.metrics.map((m) => [m.name, m.value, m.n]), [['accuracy', 15 / 20, 20]]);
    assert.equal(record.config.concurrency, 3, 'default concurrency comes from the server slots');
    assert.equal(record.serverFacts?.kind, 'llama.cpp');
    assert.equal(JSON.stringify(record).includes('sk-secret'), false, 'the API key is never stored');
    const last = snapshots.at(-1)!;
    assert.deepEqual([last.status, last.counts.passed, last.counts.wrong, last.counts.request_failed, last.inFlight, last.total], ['done', 15, 5, 0, 0, 20]);

    const reader = await store.openReader(handle.runId);
    const samples = reader.samples();
    reader.close();
    assert.equal(samples.length, 20);
    assert.equal(samples.filter((s) => s.score?.passed).length, 15);
    const [summary] = await store.listSummaries();
    assert.equal(summary.status, 'done');
    assert.equal(summary.headline?.value, 0.75);
  });

  it('stores a failing item with its reason, never fails the run, and leaves it out of the metrics', async () => {
    const model = new ScriptedModel((p) => (p === '3' ? new EndpointError('server http://127.0.0.1:9/v1 answered 500 after 5 attempts') : p === '5' ? '   ' : p));
    const { store, manager } = setup(model);
    const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset(8) }, endpoints: [endpoint] });
    const record = await handle.done;
    assert.equal(record.status, 'done_with_errors');
    const reader = await store.openReader(handle.runId);
    const failed = reader.samples({ status: 'failed' });
    const counts = reader.summary().counts;
    reader.close();
    assert.deepEqual(failed.map((s) => [s.itemId, s.score?.failureCause]).sort(), [['q3', 'http_error'], ['q5', 'empty_reply']]);
    assert.match(failed.find((s) => s.itemId === 'q3')!.error!, /answered 500 after 5 attempts/);
    assert.deepEqual(counts, { total: 8, passed: 6, wrong: 0, request_failed: 2, scoring_error: 0, pending: 0 });
    // A failed request is not a wrong answer: the metric is over the 6 judged samples.
    assert.deepEqual([record.metrics[0].value, record.metrics[0].n], [1, 6]);
  });

  it('enforces the per-item wall-clock cap', async () => {
    const model = new ScriptedModel((p) => p, 5_000);
    const { manager } = setup(model);
    const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset(2) }, endpoints: [endpoint], itemTimeoutMs: 100 });
    const record = await handle.done;
    assert.equal(record.status, 'done_with_errors');
    assert.equal(handle.progress().counts.request_failed, 2);
  });

  it('cancel stops at once, keeps finished items, and resume asks only the rest', async () => {
    // Cancelled as the 8th question is asked (scoring runs beside the requests, so count what was asked).
    let cancelNow: () => void = () => {};
    const asked8 = new Promise<void>((resolve) => (cancelNow = resolve));
    const model = new ScriptedModel((p, call) => {
      if (call === 8) cancelNow();
      return p;
    }, 30);
    const { store, manager } = setup(model);
    const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset(30) }, endpoints: [endpoint], concurrency: 2 });
    await asked8;
    handle.cancel();
    const cancelled = await handle.done;
    assert.equal(cancelled.status, 'cancelled');
    const reader = await store.openReader(handle.runId);
    const kept = reader.samples().length;
    reader.close();
    assert.ok(kept >= 6 && kept < 30, `kept ${kept}`);

    const asked = model.calls.length;
    const resumed = await manager.resume(handle.runId);
    const record = await resumed.done;
    assert.equal(record.status, 'done');
    assert.equal(model.calls.length - asked, 30 - kept, 'resume asks only what has no result');
    assert.equal(record.metrics[0].value, 1);
  });

  it('re-runs only the failed items', async () => {
    let failing = true;
    const model = new ScriptedModel((p) => (failing && Number(p) % 3 === 0 ? new Error('connection reset') : p));
    const { manager } = setup(model);
    const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset(9) }, endpoints: [endpoint] });
    const first = await handle.done;
    assert.equal(first.status, 'done_with_errors');
    assert.deepEqual([first.metrics[0].value, first.metrics[0].n], [1, 6], 'over the 6 judged items, not 6/9');
    failing = false;
    const before = model.calls.length;
    const rerun = await manager.rerunFailed(handle.runId);
    const record = await rerun.done;
    assert.deepEqual(model.calls.slice(before).sort(), ['0', '3', '6']);
    assert.deepEqual([record.metrics[0].value, record.metrics[0].n, record.status], [1, 9, 'done']);
    assert.deepEqual([rerun.progress().counts.passed, rerun.progress().counts.request_failed], [9, 0]);
  });

  it('writes one run file per endpoint of a model matrix, sharing a matrix id', async () => {
    const model = new ScriptedModel((p) => p);
    const { store, manager } = setup(model);
    const handles = await manager.start({
      benchmark: { id: 'custom', datasetPath: dataset(3) },
      endpoints: [endpoint, { ...endpoint, model: 'm-q4' }],
    });
    const records = await Promise.all(handles.map((h) => h.done));
    assert.equal(records.length, 2);
    assert.ok(records[0].config.matrixId && records[0].config.matrixId === records[1].config.matrixId);
    assert.deepEqual((await store.listSummaries()).map((s) => s.model).sort(), ['m', 'm-q4']);
  });

  it('refuses a model id the server does not serve, naming the ones it does', async () => {
    const { store, manager } = setup(new ScriptedModel((p) => p));
    await assert.rejects(
      manager.start({ benchmark: { id: 'custom', datasetPath: dataset(2) }, endpoints: [{ ...endpoint, model: 'M' }] }),
      /does not serve a model named 'M'; it serves: m, m-q4/,
    );
    assert.deepEqual(await store.listSummaries(), []);
  });

  it('checks what the scorers need before asking the model (IFEval without Punkt data)', async () => {
    const model = new ScriptedModel((p) => p);
    const { store, manager } = setup(model);
    await assert.rejects(
      manager.start({ benchmark: { id: 'ifeval', datasetPath: dataset(2), options: { punktDir: path.join(tmp.path, 'no-punkt') } }, endpoints: [endpoint] }),
      (error: unknown) => /no-punkt/.test(errorMessage(error)) && cliFixText(error) === 'fix: --punkt DIR' && vscodeFixText(error) === 'Fix it in the setting evalbench.punktFolder.',
    );
    assert.equal(model.calls.length, 0);
    assert.deepEqual(await store.listSummaries(), []);
  });

  it('marks errors in files the user gave with what fixes them: the flag in the CLI, the setting in VS Code', async () => {
    const { manager } = setup(new ScriptedModel((p) => p));
    const missing = path.join(tmp.path, 'missing.jsonl');
    await assert.rejects(manager.start({ benchmark: { id: 'humaneval', datasetPath: missing }, endpoints: [endpoint] }), (error: unknown) =>
      errorMessage(error).includes(missing) && cliFixText(error) === 'fix: --dataset PATH' && vscodeFixText(error) === 'Fix it in the setting evalbench.datasetFiles.',
    );
    await assert.rejects(manager.start({ benchmark: { id: 'custom', datasetPath: missing }, endpoints: [endpoint] }), (error: unknown) =>
      cliFixText(error) === 'fix: --benchmark custom:PATH.jsonl' && /Custom JSONL/.test(vscodeFixText(error) ?? ''),
    );
  });

  it('gives each sample of an item its own seed', async () => {
    const seeds: (number | undefined)[] = [];
    const model = new ScriptedModel((p) => p);
    const generate = model.generate.bind(model);
    model.generate = (request, signal) => {
      seeds.push(request.sampling.seed);
      return generate(request, signal);
    };
    const { manager } = setup(model);
    const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset(1) }, endpoints: [endpoint], samplesPerItem: 3, sampling: { seed: 7 } });
    const record = await handle.done;
    assert.deepEqual(seeds.sort(), [7, 8, 9]);
    assert.equal(record.config.sampling.temperature, 0.8, 'several samples at temperature 0 would be one sample repeated');
  });

  it('re-scores on resume the replies whose scoring failed, without asking the model again', async () => {
    let scorerBroken = true;
    const model = new ScriptedModel((p) => p);
    const store = new RunStore(path.join(tmp.path, 'runs'));
    const real = new CustomScorer();
    const manager = managers.create({
      store,
      cacheDir: tmp.path,
      createGenerator: () => model,
      probe: async () => facts,
      scoring: {
        score: async (request) => {
          if (scorerBroken) throw new Error('scorer data missing');
          return real.score(request as never);
        },
        dispose: async () => {},
      },
    });
    const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset(4) }, endpoints: [endpoint] });
    const first = await handle.done;
    assert.equal(first.status, 'done_with_errors');
    assert.equal(first.metrics[0].n, 0, 'nothing was judged: a scoring error is not a verdict');
    const reader = await store.openReader(handle.runId);
    assert.deepEqual(reader.samples().map((s) => s.score?.failureCause), ['scoring_error', 'scoring_error', 'scoring_error', 'scoring_error']);
    reader.close();

    scorerBroken = false;
    const asked = model.calls.length;
    const resumed = await manager.resume(handle.runId);
    const record = await resumed.done;
    assert.equal(model.calls.length, asked, 'the replies were kept; only scoring ran again');
    assert.equal(record.metrics[0].value, 1);
    assert.equal(record.status, 'done');
    assert.deepEqual([resumed.progress().counts.passed, resumed.progress().counts.scoring_error, resumed.progress().total], [4, 0, 4]);
  });

  it('stops asking the model while 256 replies wait for scoring, and goes on as scorings end', async () => {
    const model = new ScriptedModel((p) => p, 0);
    const real = new CustomScorer();
    let open = false;
    const waiting: (() => void)[] = [];
    const manager = managers.create({
      store: new RunStore(path.join(tmp.path, 'runs')),
      cacheDir: tmp.path,
      createGenerator: () => model,
      probe: async () => facts,
      scoring: {
        score: async (request) => {
          if (!open) await new Promise<void>((resolve) => waiting.push(resolve));
          return real.score(request as never);
        },
        dispose: async () => {},
      },
    });
    const concurrency = 8;
    const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset(300) }, endpoints: [endpoint], concurrency });
    try {
      await waitFor('256 replies waiting for scoring', () => waiting.length >= 256);
      // Time for lanes that ignored the bound to ask on; within it, at most the lanes in flight may add a reply.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(model.calls.length <= 256 + concurrency, `asked ${model.calls.length} times with 256 scorings pending`);
    } finally {
      open = true;
      for (const resolve of waiting.splice(0)) resolve();
    }
    const record = await handle.done;
    assert.equal(record.status, 'done');
    assert.equal(model.calls.length, 300);
    assert.equal(handle.progress().counts.passed, 300);
  });

  it('stops the whole run, marked failed with the reason, when the run file cannot be written', async () => {
    const model = new ScriptedModel((p) => p, 10);
    /** A disk that fills up after three samples. */
    class FullDiskStore extends RunStore {
      override async create(...args: Parameters<RunStore['create']>) {
        const writer = await super.create(...args);
        let written = 0;
        const putSample = writer.putSample.bind(writer);
        writer.putSample = (sample) => {
          if (++written > 3) throw new Error('ENOSPC: no space left on device');
          putSample(sample);
        };
        return writer;
      }
    }
    const store = new FullDiskStore(path.join(tmp.path, 'runs'));
    const manager = managers.create({ store, cacheDir: tmp.path, createGenerator: () => model, probe: async () => facts });
    const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset(40) }, endpoints: [endpoint], concurrency: 2 });
    const record = await handle.done;
    assert.equal(record.status, 'failed');
    assert.match(record.error!, /ENOSPC/);
    assert.ok(model.calls.length < 10, `the model was asked ${model.calls.length} times after the disk filled up`);
    const reader = await store.openReader(handle.runId);
    assert.equal(reader.samples().length, 3, 'what was written before the failure is kept');
    assert.equal(reader.run().status, 'failed');
    reader.close();
  });

  it('fails before writing anything when a server cannot be reached', async () => {
    const store = new RunStore(path.join(tmp.path, 'runs'));
    const manager = managers.create({
      store,
      cacheDir: tmp.path,
      probe: async (e) => {
        throw new EndpointError(`cannot reach ${e.baseUrl}: tried /v1/models (connection refused)`);
      },
    });
    await assert.rejects(manager.start({ benchmark: { id: 'custom', datasetPath: dataset(2) }, endpoints: [endpoint] }), /cannot reach http:\/\/127.0.0.1:9\/v1/);
    assert.deepEqual(await store.listSummaries(), []);
  });

  // The dataset is read while the server is probed: when both are wrong, the server's error still comes
  // first (as when they were done one after the other), and the dataset's failure is not left unhandled.
  it('reports a dead server before a malformed dataset read at the same time, and a malformed dataset once the server answers', async () => {
    const store = new RunStore(path.join(tmp.path, 'runs'));
    const malformed = path.join(tmp.path, 'bad.jsonl');
    fs.writeFileSync(malformed, '{"id": "q0", "prompt": "0", "expected": "0"}\n{not json\n');
    let reachable = false;
    const manager = managers.create({
      store,
      cacheDir: tmp.path,
      probe: async (e) => {
        if (!reachable) throw new EndpointError(`cannot reach ${e.baseUrl}: tried /v1/models (connection refused)`);
        return facts;
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await assert.rejects(manager.start({ benchmark: { id: 'custom', datasetPath: malformed }, endpoints: [endpoint] }), /cannot reach http:\/\/127.0.0.1:9\/v1/);
      // The dataset read started with the probe ends after it: give it time to fail, unheard.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
    reachable = true;
    await assert.rejects(manager.start({ benchmark: { id: 'custom', datasetPath: malformed }, endpoints: [endpoint] }), /bad\.jsonl:2: not valid JSON/);
    assert.deepEqual(await store.listSummaries(), []);
  });
});
