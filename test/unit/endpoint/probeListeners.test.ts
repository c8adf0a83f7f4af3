/**
 * A model matrix probes its servers at once, all under the command's one signal. Each probe used to hang six
 * abort listeners on that signal (one per route), so two models printed Node's "MaxListenersExceededWarning:
 * Possible EventTarget memory leak detected" on every `evalbench run --model a --model b`. A probe now listens
 * on the caller's signal once, and still stops at once when it is aborted.
 */
import * as assert from 'node:assert/strict';
import { probeServer } from '../../../src/core/endpoint/serverProbe';
import { CancelledError } from '../../../src/core/errors';
import type { FakeModelServer } from '../../support/fakeModelServer';
import { useFakeModelServers } from '../../support/useFakeModelServer';

describe('server probes under one signal', () => {
  const servers = useFakeModelServers();
  let server: FakeModelServer;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  beforeEach(async () => {
    server = await servers.start({ kind: 'llama.cpp' });
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('probes three models at once without a max-listeners warning', async () => {
    const signal = new AbortController().signal;
    const facts = await Promise.all([1, 2, 3].map(() => probeServer(server.url, { signal })));
    assert.deepEqual(facts.map((f) => f.kind), ['llama.cpp', 'llama.cpp', 'llama.cpp']);
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message), []);
  });

  it('still stops when the caller aborts', async () => {
    const controller = new AbortController();
    // A transport that answers only by failing once its request is aborted.
    const hanging = ((_url: string, init: RequestInit) => new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(new Error('aborted'))))) as unknown as typeof fetch;
    const probe = probeServer(server.url, { signal: controller.signal, timeoutMs: 60_000, fetch: hanging });
    controller.abort(new Error('stop'));
    await assert.rejects(probe, (error) => error instanceof CancelledError);
  });
});
