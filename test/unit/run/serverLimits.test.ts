/**
 * One limiter per server: however many runs (and run managers) of a process use a server, no more requests
 * are in flight to it than its slots; runs beyond the process's run limit wait as "queued"; a matrix
 * starts all-or-nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunManager } from '../../../src/core/run/runManager';
import { RunSlots } from '../../../src/core/run/runSlots';
import { ServerLimiters } from '../../../src/core/run/serverLimiter';
import type { RunHandle } from '../../../src/core/run/types';
import { RunStore } from '../../../src/core/storage/runStore';
import { defaultReply, type RecordedRequest } from '../../support/fakeModelServer';
import { useFakeModelServers, type FakeModelServers } from '../../support/useFakeModelServer';
import { useTempDir } from '../../support/tempDir';
import { useRunManagers } from '../../support/useRunManagers';

const SLOTS = 3;
const LATENCY_MS = 15;

/** A llama.cpp-like server with SLOTS slots that records how many generation requests it serves at once, per model. */
async function countingServer(servers: FakeModelServers) {
  const counts = { now: 0, max: 0, byModel: new Map<string, number>(), overlapped: false };
  const server = await servers.start({
    kind: 'llama.cpp',
    totalSlots: SLOTS,
    models: ['m1', 'm2'],
    latencyMs: LATENCY_MS,
    logRequests: false,
    reply: (request: RecordedRequest) => {
      const model = String(request.body?.model);
      counts.now++;
      counts.max = Math.max(counts.max, counts.now);
      counts.byModel.set(model, (counts.byModel.get(model) ?? 0) + 1);
      if ([...counts.byModel.values()].filter((n) => n > 0).length > 1) counts.overlapped = true;
      // Registered before the server's own reply timer of the same delay, so it runs first: no new request can
      // arrive on this slot before the count drops.
      setTimeout(() => {
        counts.now--;
        counts.byModel.set(model, counts.byModel.get(model)! - 1);
      }, LATENCY_MS);
      return defaultReply(request).replace(/^echo: /, '');
    },
  });
  return { server, counts };
}

describe('server limits shared by every run of the process', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  // Registered in this order: runs are stopped before their server goes.
  const managers = useRunManagers();
  const servers = useFakeModelServers();

  function dataset(n: number): string {
    const file = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(file, Array.from({ length: n }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `p${i}`, expected: `p${i}` })).join('\n'));
    return file;
  }

  function manager(limits: { serverLimiters: ServerLimiters; runSlots: RunSlots }): RunManager {
    return managers.create({ store: new RunStore(path.join(tmp.path, 'runs')), cacheDir: path.join(tmp.path, 'cache'), ...limits });
  }

  it('two runs from two managers and a matrix on one server never exceed its slots, and share them', async () => {
    const counting = await countingServer(servers);
    const server = counting.server;
    const limits = { serverLimiters: new ServerLimiters(), runSlots: new RunSlots(8) };
    const file = dataset(60);
    // Two managers, as the extension has after the runs folder changed during a run; each run alone would use all slots.
    const [a] = await manager(limits).start({ benchmark: { id: 'custom', datasetPath: file }, endpoints: [{ baseUrl: server.url, model: 'm1', mode: 'chat' }] });
    const [b] = await manager(limits).start({ benchmark: { id: 'custom', datasetPath: file }, endpoints: [{ baseUrl: server.url, model: 'm2', mode: 'chat' }] });
    const matrix = await manager(limits).start({
      benchmark: { id: 'custom', datasetPath: file },
      endpoints: [
        { baseUrl: server.url, model: 'm1', mode: 'chat' },
        { baseUrl: server.url, model: 'm2', mode: 'chat' },
      ],
    });
    const records = await Promise.all([a, b, ...matrix].map((h) => h.done));
    assert.deepEqual(records.map((r) => r.status), ['done', 'done', 'done', 'done']);
    assert.ok(records.every((r) => r.metrics[0].value === 1));
    assert.ok(counting.counts.max <= SLOTS, `at most ${SLOTS} requests at once, saw ${counting.counts.max}`);
    assert.equal(counting.counts.max, SLOTS, 'the slots were used');
    assert.ok(counting.counts.overlapped, 'runs shared the server rather than taking turns');
  });

  it('a replica is limited as its own server: a run on it alone and a run over a replica set including it share its slots', async () => {
    const shared = await countingServer(servers);
    const other = await countingServer(servers);
    const limits = { serverLimiters: new ServerLimiters(), runSlots: new RunSlots(8) };
    const file = dataset(60);
    // Each run alone would use all of the shared server's slots: the replicated run's concurrency is both replicas' slots.
    const [alone] = await manager(limits).start({ benchmark: { id: 'custom', datasetPath: file }, endpoints: [{ baseUrl: shared.server.url, model: 'm1', mode: 'chat' }] });
    const [replicated] = await manager(limits).start({
      benchmark: { id: 'custom', datasetPath: file },
      endpoints: [{ baseUrl: other.server.url, replicas: [shared.server.url], model: 'm2', mode: 'chat' }],
    });
    const records = await Promise.all([alone.done, replicated.done]);
    assert.deepEqual(records.map((r) => r.status), ['done', 'done']);
    assert.ok(records.every((r) => r.metrics[0].value === 1));
    assert.ok(shared.counts.max <= SLOTS, `at most ${SLOTS} requests at once on the shared server, saw ${shared.counts.max}`);
    assert.ok(shared.counts.overlapped, 'both runs used the shared server at the same time');
    assert.ok(other.counts.max >= 1 && other.counts.max <= SLOTS, `the other replica served within its slots (${other.counts.max})`);
  });

  it('runs beyond the run limit wait as "queued" and start when one finishes', async () => {
    const counting = await countingServer(servers);
    const server = counting.server;
    const limits = { serverLimiters: new ServerLimiters(), runSlots: new RunSlots(1) };
    const file = dataset(90);
    const m = manager(limits);
    const [first] = await m.start({ benchmark: { id: 'custom', datasetPath: file }, endpoints: [{ baseUrl: server.url, model: 'm1', mode: 'chat' }] });
    const [second] = await m.start({ benchmark: { id: 'custom', datasetPath: file }, endpoints: [{ baseUrl: server.url, model: 'm2', mode: 'chat' }] });
    assert.equal(second.progress().status, 'queued');
    // Lists show it queued (its summary is rewritten on each status change; wait for that write).
    const store = new RunStore(path.join(tmp.path, 'runs'));
    let listed: string | undefined;
    while (second.progress().status === 'queued') {
      listed = (await store.listSummaries()).find((s) => s.id === second.runId)?.status;
      if (listed === 'queued') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(listed, 'queued', 'lists show it queued');
    let secondStartedBeforeFirstEnded = false;
    second.onProgress((p) => {
      if (p.status === 'running' && first.progress().status === 'running') secondStartedBeforeFirstEnded = true;
    });
    await first.done;
    const record = await second.done;
    assert.equal(record.status, 'done');
    assert.equal(secondStartedBeforeFirstEnded, false);
    assert.equal(counting.counts.overlapped, false, 'the queued run asked nothing while the first ran');
  });

  it('cancelling a queued run ends it as cancelled without asking anything', async () => {
    const counting = await countingServer(servers);
    const server = counting.server;
    const limits = { serverLimiters: new ServerLimiters(), runSlots: new RunSlots(1) };
    const file = dataset(20);
    const m = manager(limits);
    const [first] = await m.start({ benchmark: { id: 'custom', datasetPath: file }, endpoints: [{ baseUrl: server.url, model: 'm1', mode: 'chat' }] });
    const [queued]: RunHandle[] = await m.start({ benchmark: { id: 'custom', datasetPath: file }, endpoints: [{ baseUrl: server.url, model: 'm2', mode: 'chat' }] });
    queued.cancel();
    const record = await queued.done;
    assert.equal(record.status, 'cancelled');
    assert.equal(counting.counts.byModel.has('m2'), false);
    await first.done;
  });

  it('a matrix whose second run cannot be created starts none', async () => {
    const counting = await countingServer(servers);
    const server = counting.server;
    const store = new RunStore(path.join(tmp.path, 'runs'));
    const m = manager({ serverLimiters: new ServerLimiters(), runSlots: new RunSlots(8) });
    // The second run's file cannot be created (a full disk, say).
    const original = store.create.bind(store);
    let creates = 0;
    (m as any).options.store.create = async (...args: Parameters<RunStore['create']>) => {
      if (++creates === 2) throw new Error('disk full');
      return original(...args);
    };
    await assert.rejects(
      m.start({
        benchmark: { id: 'custom', datasetPath: dataset(10) },
        endpoints: [
          { baseUrl: server.url, model: 'm1', mode: 'chat' },
          { baseUrl: server.url, model: 'm2', mode: 'chat' },
        ],
      }),
      /disk full/,
    );
    assert.equal(m.activeRuns.length, 0, 'nothing left running');
    assert.equal(counting.counts.byModel.size, 0, 'no request was sent');
    const summaries = await store.listSummaries();
    assert.ok(summaries.every((s) => s.status === 'failed'), `the created run is marked failed: ${summaries.map((s) => s.status)}`);
  });

  it('a manager disposed mid-run (window reload, host shutdown) leaves its runs interrupted and resumable', async () => {
    const counting = await countingServer(servers);
    const server = counting.server;
    const m = manager({ serverLimiters: new ServerLimiters(), runSlots: new RunSlots(2) });
    const [handle] = await m.start({ benchmark: { id: 'custom', datasetPath: dataset(200) }, endpoints: [{ baseUrl: server.url, model: 'm1', mode: 'chat' }] });
    await new Promise<void>((resolve) => {
      const sub = handle.onProgress((p) => {
        if (p.total - p.counts.pending - p.inFlight >= 5) {
          sub.dispose();
          resolve();
        }
      });
    });
    await m.dispose();
    const record = await handle.done;
    assert.equal(record.status, 'interrupted');
    const resumer = manager({ serverLimiters: new ServerLimiters(), runSlots: new RunSlots(2) });
    const resumed = await (await resumer.resume(handle.runId)).done;
    assert.equal(resumed.status, 'done');
    assert.equal(resumed.metrics[0].value, 1);
  });
});
