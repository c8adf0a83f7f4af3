/**
 * The webview's message channel, on Node with a stand-in `window` and a fake acquireVsCodeApi that
 * records what the webview posts (the pull-request-github habit).
 */
import * as assert from 'node:assert/strict';
import type { ItemDetail, ToWebview } from '../../../src/shared/webviewProtocol';
import { HostChannel } from '../../../webview-ui/src/vscodeApi';

interface FakeApi {
  posted: unknown[];
  state: unknown;
}

function installFakeWebviewGlobals(): { api: FakeApi; deliver(message: ToWebview): void; restore(): void } {
  const api: FakeApi = { posted: [], state: undefined };
  const target = new EventTarget();
  const g = globalThis as any;
  const saved = { window: g.window, acquire: g.acquireVsCodeApi };
  g.window = Object.assign(target, { setTimeout, clearTimeout });
  g.acquireVsCodeApi = () => ({
    postMessage: (m: unknown) => api.posted.push(m),
    getState: () => api.state,
    setState: (s: unknown) => (api.state = s),
  });
  return {
    api,
    deliver: (message) => target.dispatchEvent(new MessageEvent('message', { data: message })),
    restore: () => {
      g.window = saved.window;
      g.acquireVsCodeApi = saved.acquire;
    },
  };
}

const detail = (key: string): ItemDetail => ({ key, itemId: key, sampleIndex: 0, prompt: 'p', outcome: 'passed', explanation: [] });

describe('webview host channel', () => {
  let env: ReturnType<typeof installFakeWebviewGlobals>;

  beforeEach(() => {
    env = installFakeWebviewGlobals();
  });
  afterEach(() => env.restore());

  it('matches replies to requests by id and passes other messages on', async () => {
    const received: ToWebview[] = [];
    const channel = new HostChannel((m) => received.push(m));
    const first = channel.requestItemDetail('a#0');
    const second = channel.requestItemDetail('b#0');
    assert.deepEqual(env.api.posted, [
      { type: 'itemDetail', requestId: 1, key: 'a#0' },
      { type: 'itemDetail', requestId: 2, key: 'b#0' },
    ]);
    env.deliver({ type: 'itemDetailReply', requestId: 2, result: detail('b#0') });
    env.deliver({ type: 'itemDetailReply', requestId: 1, error: 'item a#0 is not in run r' });
    assert.equal((await second).key, 'b#0');
    await assert.rejects(first, /item a#0 is not in run r/);
    env.deliver({ type: 'error', message: 'boom' });
    assert.deepEqual(received, [{ type: 'error', message: 'boom' }]);
  });

  it('rejects a request nobody answers, and ignores the late reply', async () => {
    const received: ToWebview[] = [];
    const channel = new HostChannel((m) => received.push(m), 5);
    await assert.rejects(channel.requestItemDetail('a#0'), /did not answer within 0.005 s/);
    env.deliver({ type: 'itemDetailReply', requestId: 1, result: detail('a#0') });
    assert.deepEqual(received, [], 'a stale reply is dropped, not passed to the view');
  });

  it('keeps UI state through the VS Code API', () => {
    const channel = new HostChannel(() => undefined);
    channel.setState({ kind: 'run', runId: 'r1', filter: 'failed' });
    assert.deepEqual(channel.getState(), { kind: 'run', runId: 'r1', filter: 'failed' });
  });
});
