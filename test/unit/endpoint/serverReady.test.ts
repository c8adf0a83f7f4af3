import * as assert from 'node:assert/strict';
import { probeServer } from '../../../src/core/endpoint/serverProbe';
import { waitForServerReady, type ServerReadyStatus } from '../../../src/core/endpoint/serverReady';
import { CancelledError, EndpointError } from '../../../src/core/errors';
import { startLlamaCppSim, type LlamaCppSim } from '../../support/simulators/llamaCpp';
import { startSimServer, type SimServer } from '../../support/simulators/simServer';

describe('waitForServerReady', () => {
  let sim: LlamaCppSim | SimServer | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('waits while llama-server loads its model, saying "loading model…", then probes it as llama.cpp with its slots', async () => {
    const llama = await startLlamaCppSim({ loading: true, modelsWhileLoading: true, totalSlots: 3, nCtx: 2048 });
    sim = llama;
    // What the old probe saw during loading: /v1/models answers, /props is 503, so "openai-compatible" with no slots.
    const early = await probeServer(llama.url);
    assert.equal(early.kind, 'openai-compatible');
    assert.equal(early.totalSlots, undefined);

    const statuses: ServerReadyStatus[] = [];
    let sleeps = 0;
    const result = await waitForServerReady(llama.url, {
      onStatus: (s) => statuses.push(s),
      sleep: async () => {
        if (++sleeps === 3) llama.finishLoading();
      },
    });
    assert.equal(result.waited, true);
    assert.deepEqual(statuses.map((s) => s.state), ['loading', 'ready']);
    assert.equal(statuses[0].message, 'loading model…');
    assert.match(statuses[0].detail, /\/health → 503 Loading model/);

    const facts = await probeServer(llama.url);
    assert.equal(facts.kind, 'llama.cpp');
    assert.equal(facts.totalSlots, 3);
    assert.ok(llama.requests.filter((r) => r.path === '/health').length >= 3);
    assert.equal(facts.parallel, 3);
    assert.equal(facts.contextLength, 2048);
    assert.match(facts.contextSource ?? '', /\/slots/);
    assert.deepEqual(facts.serverDefaults, { temperature: 0.8, top_k: 40, top_p: 0.95, min_p: 0.05, repetition_penalty: 1, seed: -1, max_tokens: -1 });
  });

  it('gives up after its budget with a message that says the model was still loading', async () => {
    sim = await startLlamaCppSim({ loading: true });
    let clock = 0;
    await assert.rejects(
      waitForServerReady(sim.url, { budgetMs: 120_000, now: () => clock, sleep: async (ms) => void (clock += ms) }),
      (error: unknown) => error instanceof EndpointError && /still loading the model after 2\.0 min .*503 Loading model/.test(error.message),
    );
  });

  it('returns at once from a server with no loading phase (no /health)', async () => {
    sim = await startSimServer((req, res) => {
      res.writeHead(req.path === '/v1/models' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(req.path === '/v1/models' ? '{"data":[]}' : '{"error":"not found"}');
    });
    const result = await waitForServerReady(sim.url, { sleep: async () => assert.fail('should not wait') });
    assert.deepEqual(result, { waited: false, waitedMs: result.waitedMs, router: false });
  });

  it('does not wait on a refused connection unless told to (a server being started)', async () => {
    const dead = await startSimServer(() => {});
    const url = dead.url;
    await dead.close();
    const result = await waitForServerReady(url, { sleep: async () => assert.fail('should not wait') });
    assert.equal(result.waited, false);
    let clock = 0;
    const statuses: string[] = [];
    await assert.rejects(
      waitForServerReady(url, { waitForListen: true, budgetMs: 3000, onStatus: (s) => statuses.push(s.message), now: () => clock, sleep: async (ms) => void (clock += ms) }),
      /was still not listening/,
    );
    assert.deepEqual(statuses, ['waiting for the server to listen…']);
  });

  it('in router mode waits for the run\'s model through /props?model= and the probe reads that model\'s slots', async () => {
    const llama = await startLlamaCppSim({ router: true, models: ['a-model', 'b-model'], routerLoadPolls: 2, totalSlots: 2, nCtx: 8192 });
    sim = llama;
    const statuses: string[] = [];
    const result = await waitForServerReady(llama.url, { model: 'b-model', onStatus: (s) => statuses.push(s.state), sleep: async () => {} });
    assert.equal(result.router, true);
    assert.deepEqual(statuses, ['loading', 'ready']);
    const facts = await probeServer(llama.url, { model: 'b-model' });
    assert.equal(facts.kind, 'llama.cpp');
    assert.equal(facts.router, true);
    assert.equal(facts.totalSlots, 2);
    assert.equal(facts.contextLength, 8192);
    assert.equal(facts.modelPath, '/models/b-model.gguf');
  });

  it('stops at once when cancelled', async () => {
    sim = await startLlamaCppSim({ loading: true });
    const controller = new AbortController();
    const waiting = waitForServerReady(sim.url, { signal: controller.signal, pollMs: 60_000 });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(waiting, CancelledError);
  });
});
