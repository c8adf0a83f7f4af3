/**
 * The webview ↔ host channel end to end on Node: the webview's HostChannel (with a stand-in `window` and a
 * fake acquireVsCodeApi that records what it posts, the pull-request-github habit) and the host's panel
 * channel, over the same MessageChannel the scoring worker speaks.
 */
import * as assert from 'node:assert/strict';
import { openPanelChannel } from '../../../src/extension/panels/panelChannel';
import type { FromWebview, ItemDetail, ToWebview } from '../../../src/shared/webviewProtocol';
import { HostChannel } from '../../../webview-ui/src/vscodeApi';

interface FakeWebviewEnv {
  /** Everything the webview posted to the host, in order. */
  posted: unknown[];
  state: unknown;
  /** Delivers a message to the webview as VS Code does (a `message` event on window). */
  deliver(message: unknown): void;
  /** Where the webview's posts go besides `posted` (the host's end, when one is linked). */
  forward?: (message: unknown) => void;
  restore(): void;
}

function installFakeWebviewGlobals(): FakeWebviewEnv {
  const target = new EventTarget();
  const g = globalThis as any;
  const saved = { window: g.window, acquire: g.acquireVsCodeApi };
  const env: FakeWebviewEnv = {
    posted: [],
    state: undefined,
    deliver: (message) => target.dispatchEvent(new MessageEvent('message', { data: message })),
    restore: () => {
      g.window = saved.window;
      g.acquireVsCodeApi = saved.acquire;
    },
  };
  g.window = target;
  g.acquireVsCodeApi = () => ({
    postMessage: (m: unknown) => {
      env.posted.push(m);
      env.forward?.(m);
    },
    getState: () => env.state,
    setState: (s: unknown) => (env.state = s),
  });
  return env;
}

/** A host-side webview whose posts reach the webview's window, and whose listener hears the webview's posts. */
function linkHost(env: FakeWebviewEnv) {
  const listeners = new Set<(m: unknown) => void>();
  env.forward = (m) => listeners.forEach((l) => l(structuredClone(m)));
  return {
    postMessage: (m: unknown) => (env.deliver(structuredClone(m)), Promise.resolve(true)),
    onDidReceiveMessage: (l: (m: unknown) => void) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
    listeners,
  };
}

const detail = (key: string): ItemDetail => ({ key, itemId: key, sampleIndex: 0, prompt: 'p', outcome: 'passed', explanation: [] });

describe('webview host channel', () => {
  let env: FakeWebviewEnv;

  beforeEach(() => {
    env = installFakeWebviewGlobals();
  });
  afterEach(() => env.restore());

  it('sends typed requests with ids and matches replies by id, in any order', async () => {
    const channel = new HostChannel(() => undefined);
    const first = channel.request('itemDetail', { key: 'a#0' });
    const second = channel.request('itemDetail', { key: 'b#0' });
    assert.deepEqual(env.posted, [
      { kind: 'request', id: 1, method: 'itemDetail', params: { key: 'a#0' } },
      { kind: 'request', id: 2, method: 'itemDetail', params: { key: 'b#0' } },
    ]);
    env.deliver({ kind: 'reply', id: 2, result: detail('b#0') });
    env.deliver({ kind: 'reply', id: 1, error: { message: 'item a#0 is not in run r', name: 'Error' } });
    assert.equal((await second).key, 'b#0');
    await assert.rejects(first, /item a#0 is not in run r/);
  });

  it('rejects a request nobody answers in words a person reads, and drops the late reply', async () => {
    const received: ToWebview[] = [];
    const channel = new HostChannel((m) => received.push(m), 5);
    await assert.rejects(channel.request('itemDetail', { key: 'a#0' }), /the extension did not answer within 0.005 s/);
    env.deliver({ kind: 'reply', id: 1, result: detail('a#0') });
    assert.deepEqual(received, [], 'a stale reply is dropped, not passed to the view');
  });

  it('ignores a reply to an id it never sent, and messages that are not the channel’s', async () => {
    const received: ToWebview[] = [];
    const channel = new HostChannel((m) => received.push(m));
    const pending = channel.request('itemDetail', { key: 'a#0' });
    env.deliver({ kind: 'reply', id: 99, result: detail('zz#0') });
    env.deliver({ type: 'itemDetailReply', requestId: 1, result: detail('a#0') });
    env.deliver('ready');
    env.deliver({ kind: 'reply', id: 1, result: detail('a#0') });
    assert.equal((await pending).key, 'a#0', 'only the reply with its own id settles the request');
    assert.deepEqual(received, []);
  });

  it('passes notifications to the view, told apart by method', () => {
    const received: ToWebview[] = [];
    const channel = new HostChannel((m) => received.push(m));
    channel.notify('ready', {});
    env.deliver({ kind: 'notification', method: 'error', params: { message: 'boom' } });
    assert.deepEqual(env.posted, [{ kind: 'notification', method: 'ready', params: {} }]);
    assert.deepEqual(received, [{ kind: 'notification', method: 'error', params: { message: 'boom' } }]);
  });

  it('keeps UI state through the VS Code API', () => {
    const channel = new HostChannel(() => undefined);
    channel.setState({ kind: 'run', runId: 'r1', filter: 'failed' });
    assert.deepEqual(channel.getState(), { kind: 'run', runId: 'r1', filter: 'failed' });
  });

  describe('linked to the host’s panel channel', () => {
    it('answers a request from the host’s handler, carries its error back, and names an unknown method', async () => {
      const webview = linkHost(env);
      const notes: FromWebview[] = [];
      const host = openPanelChannel(
        webview,
        {
          itemDetail: ({ key }) => {
            if (key === 'x#0') throw new Error('item x#0 is not in run r1');
            return detail(key);
          },
        },
        (n) => notes.push(n),
      );
      const received: ToWebview[] = [];
      const channel = new HostChannel((m) => received.push(m));
      channel.notify('openRun', { runId: 'r2' });
      assert.deepEqual(notes, [{ kind: 'notification', method: 'openRun', params: { runId: 'r2' } }]);
      assert.equal((await channel.request('itemDetail', { key: 'a#0' })).key, 'a#0');
      await assert.rejects(channel.request('itemDetail', { key: 'x#0' }), /item x#0 is not in run r1/);
      await assert.rejects(channel.request('noSuchThing' as 'itemDetail', { key: 'a#0' }), /unknown method 'noSuchThing'/);
      host.channel.notify('runUpdate', { progress: { status: 'running', total: 1, counts: { total: 1, passed: 0, wrong: 0, request_failed: 0, scoring_error: 0, pending: 1 }, inFlight: 1, itemsPerSecond: 0, metrics: [] }, rows: [] });
      assert.equal(received.length, 1);
      assert.equal(received[0].method, 'runUpdate');
      host.dispose();
      assert.equal(webview.listeners.size, 0, 'closing the panel removes its listener');
    });

    it('a request pending when the panel closes times out on the webview side instead of hanging', async () => {
      const webview = linkHost(env);
      let answer: ((d: ItemDetail) => void) | undefined;
      const host = openPanelChannel(webview, { itemDetail: () => new Promise<ItemDetail>((resolve) => (answer = resolve)) }, () => undefined);
      const channel = new HostChannel(() => undefined, 50);
      const pending = channel.request('itemDetail', { key: 'a#0' });
      host.dispose();
      answer?.(detail('a#0'));
      await assert.rejects(pending, /did not answer within 0.05 s/);
    });
  });
});
