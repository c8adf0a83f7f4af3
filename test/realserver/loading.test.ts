/**
 * The loading phase of a real llama-server: it listens before the model is loaded and answers
 * every route with 503 `Loading model` until it is (tools/server/server.cpp starts the HTTP server
 * first; server-http.cpp's middleware answers the 503) — what EvalBench's probe and retries meet
 * when a run starts together with the server.
 */
import * as assert from 'node:assert/strict';
import { requireLlama, type LlamaSetup } from './support/llamaSetup';
import { spawnLlamaServer, stopAllLlamaServers, waitUntilReady } from './support/llamaServer';

const LOADING_BODY = { error: { message: 'Loading model', type: 'unavailable_error', code: 503 } };

describe('real llama-server: the loading phase', function () {
  let llama: LlamaSetup;

  before(async function () {
    llama = await requireLlama(this);
  });
  afterEach(stopAllLlamaServers);

  it('answers 503 Loading model (as JSON) from the moment it listens until the model is loaded', async () => {
    const server = await spawnLlamaServer({ binary: llama.server, model: llama.models.f32 });
    // Poll as fast as the event loop allows: loading the tiny model takes a few hundred ms.
    const answers = await waitUntilReady(server, 120_000, 2);
    const http = answers.filter((a) => a.kind === 'http');
    const loading = http.slice(0, -1);
    assert.equal(http.at(-1)?.kind === 'http' && http.at(-1)!.status, 200);
    assert.ok(loading.length > 0, `the loading phase was seen: ${JSON.stringify(answers.slice(-5))}`);
    for (const answer of loading) {
      assert.equal(answer.kind === 'http' && answer.status, 503);
      assert.deepEqual(JSON.parse(answer.kind === 'http' ? answer.body : ''), LOADING_BODY);
    }
    // Every answer before the first HTTP one was a refused connection (not yet listening).
    assert.ok(answers.slice(0, answers.indexOf(http[0])).every((a) => a.kind === 'no connection'));
  });

  it('answers the OpenAI routes with the same 503 while loading, then serves them', async () => {
    const server = await spawnLlamaServer({ binary: llama.server, model: llama.models.q4_0 });
    let sawLoading = false;
    const deadline = Date.now() + 120_000;
    for (;;) {
      assert.ok(Date.now() < deadline, `not ready within 120 s: ${server.output()}`);
      assert.equal(server.process.exitCode, null, `llama-server exited: ${server.output()}`);
      let response: Response;
      try {
        response = await fetch(`${server.baseUrl}/models`);
      } catch {
        await new Promise((r) => setTimeout(r, 2)); // not listening yet
        continue;
      }
      const body: any = await response.json();
      if (response.status === 200) {
        assert.equal(body.data[0].id, llama.models.q4_0);
        break;
      }
      assert.equal(response.status, 503);
      assert.deepEqual(body, LOADING_BODY);
      sawLoading = true;
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.ok(sawLoading, '/v1/models answered 503 while the model loaded');
  });
});
