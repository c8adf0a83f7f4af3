import * as assert from 'node:assert/strict';
import type { GenerationRequest, GenerationResult, Generator } from '../../../src/core/endpoint/types';
import { CancelledError, EndpointError } from '../../../src/core/errors';
import { ReplicaPool, type ReplicaClientHooks } from '../../../src/core/replicas/replicaPool';
import { ServerLimiters } from '../../../src/core/run/serverLimiter';

const request: GenerationRequest = { prompt: 'x', sampling: { temperature: 0, max_tokens: 4 } };
const reply = (text: string): GenerationResult => ({ text, finishReason: 'stop', truncated: false, latencyMs: 1, attempts: 1 });

/** A replica whose requests wait until the test answers them, recording how many it holds at once. */
class HeldReplica implements Generator {
  held: { resolve: (r: GenerationResult) => void; reject: (e: unknown) => void }[] = [];
  maxInFlight = 0;
  inFlight = 0;
  hooks!: ReplicaClientHooks;
  constructor(readonly url: string) {}
  generate(_request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<GenerationResult>((resolve, reject) => {
      this.held.push({ resolve, reject });
      signal?.addEventListener('abort', () => reject(new CancelledError()), { once: true });
    }).finally(() => this.inFlight--);
  }
  answerAll(): void {
    for (const h of this.held.splice(0)) h.resolve(reply(this.url));
  }
}

const tick = () => new Promise((r) => setImmediate(r));

function pool(urls: string[], limit: number) {
  const replicas = new Map<string, HeldReplica>();
  const p = new ReplicaPool(urls, (url, hooks) => {
    const r = new HeldReplica(url);
    r.hooks = hooks;
    replicas.set(url, r);
    return r;
  }, { perReplicaLimit: limit, cooldownMs: 60_000 });
  return { p, replicas };
}

describe('ReplicaPool', () => {
  it("takes a slot of each replica's own server limiter, shared with other runs on that server, and gives it back", async () => {
    const limiters = new ServerLimiters();
    // Another run holds one of replica a's two server slots.
    const otherRun = limiters.forServer('http://a', 2).join();
    const releaseOther = await otherRun.acquire();
    const replicas = new Map<string, HeldReplica>();
    const p = new ReplicaPool(['http://a', 'http://b'], (url) => {
      const r = new HeldReplica(url);
      replicas.set(url, r);
      return r;
    }, { perReplicaLimit: 2, leaseFor: (url) => limiters.forServer(url, 2).join() });
    const results = Array.from({ length: 4 }, () => p.generate(request));
    await tick();
    const a = replicas.get('http://a')!;
    const b = replicas.get('http://b')!;
    assert.deepEqual([a.inFlight, b.inFlight], [1, 2], "replica a's server has one slot left");
    releaseOther();
    await tick();
    assert.equal(a.inFlight, 2, 'the slot the other run gave back went to the waiting request');
    a.answerAll();
    b.answerAll();
    await Promise.all(results);
    assert.equal(limiters.forServer('http://a', 2).active, 0, 'every slot given back');
    p.dispose();
    otherRun.dispose();
  });

  it('sends each request to the replica with the fewest outstanding, never past its limit, and names who answered', async () => {
    const { p, replicas } = pool(['http://a', 'http://b'], 2);
    const results = Array.from({ length: 6 }, () => p.generate(request));
    await tick();
    const a = replicas.get('http://a')!;
    const b = replicas.get('http://b')!;
    assert.deepEqual([a.inFlight, b.inFlight], [2, 2], 'spread evenly, the rest wait');
    a.answerAll();
    await tick();
    await tick();
    assert.deepEqual([a.inFlight, b.inFlight], [2, 2], 'the freed slots went to the waiting requests');
    a.answerAll();
    b.answerAll();
    await tick();
    a.answerAll();
    b.answerAll();
    const answered = (await Promise.all(results)).map((r) => r.replica);
    assert.equal(answered.filter((u) => u === 'http://a').length + answered.filter((u) => u === 'http://b').length, 6);
    assert.ok(answered.includes('http://a') && answered.includes('http://b'));
    assert.equal(Math.max(a.maxInFlight, b.maxInFlight), 2);
    assert.deepEqual(p.servedCounts, { 'http://a': answered.filter((u) => u === 'http://a').length, 'http://b': answered.filter((u) => u === 'http://b').length });
  });

  it('moves the requests of a replica found unreachable to another one at once, and sends it nothing more', async () => {
    const { p, replicas } = pool(['http://a', 'http://b'], 4);
    const results = Array.from({ length: 4 }, () => p.generate(request));
    await tick();
    const a = replicas.get('http://a')!;
    const b = replicas.get('http://b')!;
    assert.deepEqual([a.inFlight, b.inFlight], [2, 2]);
    a.hooks.onUnreachable('connection refused');
    await tick();
    await tick();
    assert.deepEqual([a.inFlight, b.inFlight], [0, 4], "a's two requests moved to b");
    const more = p.generate(request);
    await tick();
    assert.equal(a.inFlight, 0, 'a set-aside replica gets no new request');
    b.answerAll();
    await tick();
    b.answerAll();
    assert.deepEqual((await Promise.all([...results, more])).map((r) => r.replica), Array(5).fill('http://b'));
  });

  it("keeps a replica's real answers: an HTTP error is the item's, not a reason to try elsewhere", async () => {
    const p = new ReplicaPool(['http://a', 'http://b'], (url) => ({
      generate: async () => {
        throw new EndpointError(`server ${url} answered 400 bad request`, { status: 400, retryable: false });
      },
    }), { perReplicaLimit: 1 });
    await assert.rejects(p.generate(request), /answered 400/);
  });

  it('fails the request with the last reason when every replica is unreachable', async () => {
    let calls = 0;
    const p = new ReplicaPool(['http://a', 'http://b'], (url) => ({
      generate: async () => {
        calls++;
        throw new EndpointError(`server ${url} could not be reached (connection refused)`, { retryable: true });
      },
    }), { perReplicaLimit: 1 });
    await assert.rejects(p.generate(request), (e: Error) => e instanceof EndpointError && /could not be reached/.test(e.message));
    assert.equal(calls, 2, 'each replica tried once');
  });

  it('stops waiting for a free replica when the request is cancelled', async () => {
    const { p } = pool(['http://a'], 1);
    void p.generate(request).catch(() => {});
    const controller = new AbortController();
    const waiting = p.generate(request, controller.signal);
    await tick();
    controller.abort();
    await assert.rejects(waiting, CancelledError);
  });
});
