/** The live model matrix: rebuilt while its runs go on, once more at the end, and nothing more once its panel is closed. */
import * as assert from 'node:assert/strict';
import type { RunHandle, RunProgress } from '../../../src/core/run/types';
import type { RunRecord } from '../../../src/core/storage/types';
import { showLiveMatrix } from '../../../src/extension/panels/liveMatrix';
import { PanelHost, type PanelSpec } from '../../../src/extension/panels/panelHost';
import type { MatrixPanelState } from '../../../src/extension/panels/tablePanels';
import { fakePlatform } from './fakePanels';

/** A run handle whose progress and end the test drives; it counts the progress listeners still attached. */
function fakeRun(runId: string) {
  const listeners = new Set<(p: RunProgress) => void>();
  let end!: () => void;
  const done = new Promise<RunRecord>((resolve) => (end = () => resolve({} as RunRecord)));
  const handle = {
    runId,
    onProgress: (l: (p: RunProgress) => void) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
    done,
  } as unknown as RunHandle;
  return { handle, listeners, progress: () => listeners.forEach((l) => l({} as RunProgress)), end };
}

function matrixSpec(builds: string[][]): PanelSpec<MatrixPanelState> {
  return {
    viewType: 'evalbench.matrixPanel',
    title: () => 'Model matrix',
    restore: () => undefined,
    behaviour: ({ state }) => ({
      failure: () => 'Could not build the matrix',
      snapshot: async () => {
        builds.push(state.runIds);
        return { kind: 'notification', method: 'error', params: { message: 'matrix' } };
      },
    }),
  };
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('live model matrix', () => {
  it('rebuilds while the runs go on (one rebuild per interval, however many updates) and once when the last ends', async () => {
    const builds: string[][] = [];
    const a = fakeRun('a');
    const b = fakeRun('b');
    showLiveMatrix(new PanelHost(fakePlatform().platform, matrixSpec(builds)), [a.handle, b.handle], 5);
    a.progress();
    b.progress();
    a.progress();
    await tick(50);
    assert.deepEqual(builds, [['a', 'b']], 'three updates within one interval: one rebuild');
    a.end();
    await tick(10);
    assert.equal(builds.length, 1, 'one run still goes on');
    b.end();
    await tick(10);
    assert.equal(builds.length, 2, 'rebuilt once when the last run ended');
    assert.equal(a.listeners.size + b.listeners.size, 0);
  });

  it('a closed panel stops listening to its runs at once, and is not rebuilt when they end', async () => {
    const builds: string[][] = [];
    const a = fakeRun('a');
    const { platform, created } = fakePlatform();
    showLiveMatrix(new PanelHost(platform, matrixSpec(builds)), [a.handle], 5);
    a.progress();
    created[0].dispose();
    assert.equal(a.listeners.size, 0, 'no listener left on the run');
    assert.equal(created[0].listenerCount, 0, 'no listener left on the panel');
    await tick(50);
    a.end();
    await tick(10);
    assert.deepEqual(builds, []);
  });
});
