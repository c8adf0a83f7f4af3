import * as assert from 'node:assert/strict';
import { UpdateCoalescer, type Timers } from '../../../src/extension/panels/updateCoalescer';
import type { ItemRow, ProgressView, RunUpdate } from '../../../src/shared/webviewProtocol';

/** Timers driven by hand: `tick()` fires what is due. */
function manualTimers(): Timers & { tick(): void; pending(): number } {
  let queue: { fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    setTimeout(fn) {
      const id = next++;
      queue.push({ fn, id });
      return id;
    },
    clearTimeout(handle) {
      queue = queue.filter((t) => t.id !== handle);
    },
    tick() {
      const due = queue;
      queue = [];
      for (const t of due) t.fn();
    },
    pending: () => queue.length,
  };
}

const progress = (done: number): ProgressView => ({
  status: 'running', total: 10, counts: { total: 10, passed: done, wrong: 0, request_failed: 0, scoring_error: 0, pending: 10 - done }, inFlight: 1, itemsPerSecond: 1, metrics: [],
});
const row = (key: string, passed: boolean): ItemRow => ({ key, itemId: key, sampleIndex: 0, index: 0, outcome: passed ? 'passed' : 'wrong', failedChecks: [], checks: [], promptPreview: '' });

describe('update coalescer', () => {
  it('holds updates until the webview is ready, then sends one message with the latest of each row', () => {
    const sent: RunUpdate[] = [];
    const timers = manualTimers();
    const c = new UpdateCoalescer((m) => sent.push(m), 250, timers);
    c.addRow(row('a', false));
    c.setProgress(progress(1));
    c.addRow(row('a', true));
    c.addRow(row('b', true));
    c.setProgress(progress(2));
    timers.tick();
    assert.equal(sent.length, 0, 'paused until ready');
    c.resume();
    timers.tick();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].rows.map((r) => [r.key, r.outcome === 'passed']), [
      ['a', true],
      ['b', true],
    ]);
    assert.equal(sent[0].progress.counts.passed, 2);
  });

  it('sends nothing when nothing changed, and at most one timer is pending', () => {
    const sent: RunUpdate[] = [];
    const timers = manualTimers();
    const c = new UpdateCoalescer((m) => sent.push(m), 250, timers);
    c.resume();
    timers.tick();
    assert.equal(sent.length, 0);
    for (let i = 0; i < 100; i++) c.addRow(row(`r${i}`, true));
    c.setProgress(progress(100));
    assert.equal(timers.pending(), 1);
    timers.tick();
    assert.equal(sent.length, 1);
    assert.equal(sent[0].rows.length, 100);
  });

  it('flushes at once for the last snapshot and drops rows covered by a fresh snapshot', () => {
    const sent: RunUpdate[] = [];
    const timers = manualTimers();
    const c = new UpdateCoalescer((m) => sent.push(m), 250, timers);
    c.resume();
    c.addRow(row('a', true));
    c.setProgress(progress(1));
    c.clear();
    c.setProgress(progress(3));
    c.flush();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].rows, []);
    assert.equal(sent[0].progress.counts.passed, 3);
    assert.equal(timers.pending(), 0);
  });
});
