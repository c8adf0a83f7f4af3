/**
 * PanelHost on Node with a fake platform and fake panels (no VS Code): create, reveal by key, the page's CSP,
 * the snapshot on `ready`, failures in words, requests and notifications, revive, and disposal.
 */
import * as assert from 'node:assert/strict';
import { PanelHost, type PanelBehaviour, type PanelSpec } from '../../../src/extension/panels/panelHost';
import type { ItemDetail, ToWebview } from '../../../src/shared/webviewProtocol';
import { FakePanel, fakePlatform } from './fakePanels';

interface TestState {
  kind: 'run';
  runId: string;
}

/** Waits for the host's async work (snapshot build, handlers) started by a message. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const detail = (key: string): ItemDetail => ({ key, itemId: key, sampleIndex: 0, prompt: 'p', outcome: 'passed', explanation: [] });

function testSpec(options: { fail?: boolean; events: string[] }): PanelSpec<TestState> {
  return {
    viewType: 'evalbench.test',
    title: (s) => `Run ${s.runId}`,
    key: (s) => s.runId,
    restore: (saved) => (saved?.runId ? { kind: 'run', runId: saved.runId } : undefined),
    behaviour: (panel): PanelBehaviour => ({
      failure: () => `Could not open run ${panel.state.runId}`,
      snapshot: async (): Promise<ToWebview> => {
        if (options.fail) throw new Error('the run file is gone');
        panel.title = `model · ${panel.state.runId}`;
        return { kind: 'notification', method: 'leaderboardSnapshot', params: { snapshot: { tables: [] } } };
      },
      requests: {
        itemDetail: ({ key }) => {
          if (key === 'missing#0') throw new Error(`item ${key} is not in run ${panel.state.runId}`);
          return detail(key);
        },
      },
      notifications: {
        openRun: ({ runId }) => void options.events.push(`openRun ${runId}`),
        swapSides: () => {
          throw new Error('cannot swap a run');
        },
      },
      dispose: () => void options.events.push(`disposed ${panel.state.runId}`),
    }),
  };
}

describe('PanelHost', () => {
  it('opens a panel with a strict CSP page carrying its state, and answers ready with the snapshot', async () => {
    const { platform, created } = fakePlatform();
    const host = new PanelHost(platform, testSpec({ events: [] }));
    host.show({ kind: 'run', runId: 'r1' });
    const [panel] = created;
    assert.equal(panel.title, 'Run r1');
    const html = panel.webview.html;
    const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce, 'scripts only with a nonce');
    assert.match(html, /default-src 'none'/);
    assert.ok(html.includes(`<script type="module" nonce="${nonce}" src="https://webview/main.js">`));
    assert.ok(html.includes('data-state="{&#34;kind&#34;:&#34;run&#34;,&#34;runId&#34;:&#34;r1&#34;}"'), 'the state is in the page, escaped');
    panel.fromWebview({ kind: 'notification', method: 'ready', params: {} });
    await settle();
    assert.deepEqual(panel.posted, [{ kind: 'notification', method: 'leaderboardSnapshot', params: { snapshot: { tables: [] } } }]);
    assert.equal(panel.title, 'model · r1', 'the behaviour names the panel once it has read its content');
  });

  it('a second show of the same key brings the open panel forward; another key opens another', () => {
    const { platform, created } = fakePlatform();
    const host = new PanelHost(platform, testSpec({ events: [] }));
    const first = host.show({ kind: 'run', runId: 'r1' });
    assert.equal(host.show({ kind: 'run', runId: 'r1' }), first);
    assert.equal(created[0].revealed, 1);
    host.show({ kind: 'run', runId: 'r2' });
    assert.equal(created.length, 2);
    assert.equal(host.find('r2')?.panel, created[1]);
  });

  it('shows a failed snapshot in the panel, in words, and logs it', async () => {
    const { platform, created, logged } = fakePlatform();
    const host = new PanelHost(platform, testSpec({ fail: true, events: [] }));
    host.show({ kind: 'run', runId: 'r1' });
    created[0].fromWebview({ kind: 'notification', method: 'ready', params: {} });
    await settle();
    assert.deepEqual(created[0].posted, [{ kind: 'notification', method: 'error', params: { message: 'Could not open run r1: the run file is gone' } }]);
    assert.match(logged[0], /Could not open run r1: the run file is gone/);
  });

  it('answers requests with a result or an error reply, and names an unknown method', async () => {
    const { platform, created } = fakePlatform();
    new PanelHost(platform, testSpec({ events: [] })).show({ kind: 'run', runId: 'r1' });
    const panel = created[0];
    panel.fromWebview({ kind: 'request', id: 1, method: 'itemDetail', params: { key: 'a#0' } });
    panel.fromWebview({ kind: 'request', id: 2, method: 'itemDetail', params: { key: 'missing#0' } });
    panel.fromWebview({ kind: 'request', id: 3, method: 'deleteEverything', params: {} });
    await settle();
    const byId = new Map(panel.posted.map((m) => [m.id, m]));
    assert.deepEqual(byId.get(1), { kind: 'reply', id: 1, result: detail('a#0') });
    assert.deepEqual(byId.get(2)?.error, { message: 'item missing#0 is not in run r1', name: 'Error' });
    assert.match(byId.get(3)?.error.message, /unknown method 'deleteEverything'/);
  });

  it('passes notifications to the behaviour; a handler that throws is logged, not fatal', async () => {
    const events: string[] = [];
    const { platform, created, logged } = fakePlatform();
    new PanelHost(platform, testSpec({ events })).show({ kind: 'run', runId: 'r1' });
    created[0].fromWebview({ kind: 'notification', method: 'swapSides', params: {} });
    created[0].fromWebview({ kind: 'notification', method: 'openRun', params: { runId: 'r9' } });
    created[0].fromWebview({ kind: 'notification', method: 'noSuchThing', params: {} });
    await settle();
    assert.deepEqual(events, ['openRun r9']);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /swapSides: cannot swap a run/);
  });

  it('revives a panel from the state its webview kept, and closes one that kept nothing', async () => {
    const { platform, prepared, serializers } = fakePlatform();
    const host = new PanelHost(platform, testSpec({ events: [] }));
    const registration = host.registerSerializer();
    const revive = serializers.get('evalbench.test')!;
    const restored = new FakePanel('evalbench.test', 'model · r3');
    await revive(restored, { kind: 'run', runId: 'r3', filter: 'failed' });
    assert.deepEqual(prepared, [restored], 'options and icon set again');
    assert.equal(host.find('r3')?.panel, restored);
    assert.deepEqual(host.find('r3')?.state, { kind: 'run', runId: 'r3' });
    assert.match(restored.webview.html, /&#34;runId&#34;:&#34;r3&#34;/);
    const empty = new FakePanel('evalbench.test', '');
    await revive(empty, undefined);
    assert.ok(empty.disposed);
    assert.equal(host.all().length, 1);
    registration.dispose();
    assert.equal(serializers.size, 0);
  });

  it('closing a panel (by the user or the code) releases the behaviour and every listener, once', async () => {
    const events: string[] = [];
    const { platform, created } = fakePlatform();
    const host = new PanelHost(platform, testSpec({ events }));
    host.show({ kind: 'run', runId: 'r1' });
    const open2 = host.show({ kind: 'run', runId: 'r2' });
    created[0].dispose(); // the user closed it
    open2.dispose(); // the code closed it
    open2.dispose();
    assert.deepEqual(events, ['disposed r1', 'disposed r2']);
    assert.equal(created[0].listenerCount + created[1].listenerCount, 0);
    assert.ok(created[1].disposed);
    assert.deepEqual(host.all(), []);
    await open2.refresh();
    assert.deepEqual(created[1].posted, [], 'a closed panel builds and sends nothing');
  });

  it('drops a snapshot overtaken by a newer refresh, whichever finishes first', async () => {
    const { platform, created } = fakePlatform();
    const builds: ((label: string) => void)[] = [];
    const spec: PanelSpec<TestState> = {
      ...testSpec({ events: [] }),
      behaviour: () => ({
        failure: () => 'Could not build',
        snapshot: () => new Promise<ToWebview>((resolve) => builds.push((label) => resolve({ kind: 'notification', method: 'error', params: { message: label } }))),
      }),
    };
    const open = new PanelHost(platform, spec).show({ kind: 'run', runId: 'r1' });
    const first = open.refresh();
    const second = open.refresh();
    builds[1]('newer');
    builds[0]('older');
    await Promise.all([first, second]);
    assert.deepEqual(created[0].posted.map((m) => m.params.message), ['newer']);
  });

  it('reload drops a snapshot of the old state still being built', async () => {
    const { platform, created } = fakePlatform();
    const builds: ((label: string) => void)[] = [];
    const spec: PanelSpec<TestState> = {
      ...testSpec({ events: [] }),
      behaviour: (panel) => ({
        failure: () => 'Could not build',
        snapshot: () => {
          const runId = panel.state.runId;
          return new Promise<ToWebview>((resolve) => builds.push(() => resolve({ kind: 'notification', method: 'error', params: { message: runId } })));
        },
      }),
    };
    const open = new PanelHost(platform, spec).show({ kind: 'run', runId: 'r1' });
    const old = open.refresh();
    open.reload({ kind: 'run', runId: 'r2' });
    builds[0]('r1');
    await old;
    assert.equal(created[0].posted.length, 0, 'the old state is not painted on the new page');
    created[0].fromWebview({ kind: 'notification', method: 'ready', params: {} });
    await settle();
    builds[1]('r2');
    await settle();
    assert.deepEqual(created[0].posted.map((m) => m.params.message), ['r2']);
  });

  it('reload puts the new state in a fresh page, and the next ready gets its snapshot', async () => {
    const { platform, created } = fakePlatform();
    const open = new PanelHost(platform, testSpec({ events: [] })).show({ kind: 'run', runId: 'r1' });
    open.reload({ kind: 'run', runId: 'r2' });
    assert.match(created[0].webview.html, /&#34;runId&#34;:&#34;r2&#34;/);
    created[0].fromWebview({ kind: 'notification', method: 'ready', params: {} });
    await settle();
    assert.equal(created[0].title, 'model · r2');
  });
});
