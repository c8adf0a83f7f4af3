import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { ChannelClosedError, MessageChannel, RemoteError, RequestTimeoutError, type ChannelMessage } from '../../../src/shared/messageChannel';

type AskB = {
  add: [{ a: number; b: number }, number];
  fail: [Record<string, never>, void];
  slow: [{ ms: number }, string];
  queued: [Record<string, never>, string];
  stuck: [Record<string, never>, string];
};

/** Opened by a test to let the `queued` handler start its work. */
let openQueue: () => void = () => undefined;

/** Two ends wired back to back, delivering asynchronously like a real transport. */
function pair(defaultTimeoutMs = 1000) {
  let aEnd!: MessageChannel<AskB, Record<string, never>>;
  let bEnd!: MessageChannel<Record<string, never>, AskB>;
  const deliver = (to: () => MessageChannel<any, any>) => (m: ChannelMessage) => setImmediate(() => to().receive(structuredClone(m)));
  const aborted: string[] = [];
  aEnd = new MessageChannel<AskB, Record<string, never>>(deliver(() => bEnd), {}, undefined, defaultTimeoutMs);
  bEnd = new MessageChannel<Record<string, never>, AskB>(deliver(() => aEnd), {
    add: ({ a, b }) => a + b,
    fail: () => {
      throw new TypeError('no such thing');
    },
    queued: async (_params, _signal, started) => {
      await new Promise<void>((resolve) => {
        openQueue = resolve;
      });
      started();
      return 'done';
    },
    stuck: (_params, _signal, started) => {
      started();
      return new Promise<string>(() => undefined);
    },
    slow: ({ ms }, signal) =>
      new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => resolve('late'), ms);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          aborted.push('slow');
          reject(new Error('aborted'));
        });
      }),
  });
  return { a: aEnd, b: bEnd, aborted };
}

describe('MessageChannel', () => {
  it('answers a request with its result', async () => {
    const { a } = pair();
    assert.equal(await a.request('add', { a: 2, b: 3 }), 5);
    assert.equal(a.pendingCount, 0);
  });

  it('carries a remote error back as a rejected promise with its message and name', async () => {
    const { a } = pair();
    await assert.rejects(a.request('fail', {}), (e: unknown) => e instanceof RemoteError && e.message === 'no such thing' && e.name === 'TypeError');
  });

  it('times out a request that gets no reply, and drops the late reply', async () => {
    const { a } = pair();
    await assert.rejects(a.request('slow', { ms: 200 }, { timeoutMs: 20 }), RequestTimeoutError);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(a.pendingCount, 0);
  });

  it("with timeoutStartsOn 'started', does not time out while the work waits in a queue", async () => {
    const { a } = pair();
    // A timeout long enough that its ten-timeout backstop (10 s) is never reached by a loaded machine's
    // stalls: with 100 ms, a 1 s pause of this process let the backstop fire in the same timer turn.
    const pending = a.request('queued', {}, { timeoutMs: 1_000, timeoutStartsOn: 'started' });
    // Longer than the timeout (far shorter than the backstop): still queued, so no timeout.
    await new Promise((r) => setTimeout(r, 1_200));
    openQueue();
    assert.equal(await pending, 'done');
  });

  it("with timeoutStartsOn 'started', times out once the work has started and gives no reply", async () => {
    const { a } = pair();
    await assert.rejects(a.request('stuck', {}, { timeoutMs: 20, timeoutStartsOn: 'started' }), RequestTimeoutError);
  });

  it('cancels the remote handler when the caller aborts', async () => {
    const { a, aborted } = pair();
    const controller = new AbortController();
    const pending = a.request('slow', { ms: 5000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await assert.rejects(pending, /stop/);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(aborted, ['slow']);
  });

  it('listens once to a signal shared by many requests, and its abort cancels every one still pending', async () => {
    const { a, aborted } = pair();
    const controller = new AbortController();
    assert.equal(await a.request('add', { a: 1, b: 2 }, { signal: controller.signal }), 3, 'a finished request leaves the others alone');
    const pending = Array.from({ length: 50 }, () => a.request('slow', { ms: 5000 }, { signal: controller.signal }));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    controller.abort(new Error('run cancelled'));
    for (const one of pending) await assert.rejects(one, /run cancelled/);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(aborted.length, 50);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('rejects everything pending when closed, and new requests after', async () => {
    const { a } = pair();
    const pending = a.request('slow', { ms: 5000 });
    a.close('worker exited (SIGKILL)');
    await assert.rejects(pending, (e: unknown) => e instanceof ChannelClosedError && /SIGKILL/.test((e as Error).message));
    await assert.rejects(a.request('add', { a: 1, b: 1 }), ChannelClosedError);
  });

  it('names an unknown method in the error', async () => {
    const { a } = pair();
    await assert.rejects((a as any).request('nope', {}), /unknown method 'nope'/);
  });
});
