import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/storage/runStore';
import type { FakeModelServer } from '../../support/fakeModelServer';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { useTempDir } from '../../support/tempDir';
import { useRunManagers } from '../../support/useRunManagers';

const echo = (r: { body?: any }) => String(r.body?.messages?.at(-1)?.content ?? '');

describe('a run over two replicas (real model client, two loopback servers)', function () {
  this.timeout(120_000);
  const tmp = useTempDir('evalbench-replicas-');
  // Registered in this order: the run is stopped before its servers go.
  const managers = useRunManagers();
  const fakeServers = useFakeModelServers();
  let servers: FakeModelServer[] = [];

  async function start(items: number) {
    servers = [
      await fakeServers.start({ kind: 'llama.cpp', totalSlots: 2, latencyMs: 20, reply: echo }),
      await fakeServers.start({ kind: 'llama.cpp', totalSlots: 2, latencyMs: 20, reply: echo }),
    ];
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, Array.from({ length: items }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `p${i}`, expected: `p${i}` })).join('\n'));
    const store = new RunStore(path.join(tmp.path, 'runs'));
    const warnings: string[] = [];
    const manager = managers.create({
      store, cacheDir: path.join(tmp.path, 'cache'),
      clientOptions: { retry: { maxRetries: 4, baseDelayMs: 20, maxDelayMs: 200 } },
      log: (level, message) => level === 'warn' && warnings.push(message),
    });
    const [handle] = await manager.start({
      benchmark: { id: 'custom', datasetPath: dataset },
      endpoints: [{ baseUrl: servers[0].url, replicas: [servers[1].url], model: 'fake-model', mode: 'chat' }],
    });
    return { handle, store, warnings };
  }

  it('sends to both, records the replica of every item, and runs as many at once as both have slots', async () => {
    const { handle, store } = await start(40);
    const record = await handle.done;
    assert.equal(record.status, 'done');
    assert.equal(record.config.concurrency, 4, 'two slots on each of two replicas');
    const reader = await store.openReader(record.id);
    const samples = reader.samples();
    reader.close();
    assert.equal(samples.length, 40);
    assert.ok(samples.every((s) => s.status === 'done' && s.score?.passed));
    const byReplica = new Map<string, number>();
    for (const s of samples) byReplica.set(s.replica!, (byReplica.get(s.replica!) ?? 0) + 1);
    assert.deepEqual([...byReplica.keys()].sort(), [servers[0].url, servers[1].url].sort());
    assert.equal(servers[0].generationRequests().length, byReplica.get(servers[0].url));
    assert.equal(servers[1].generationRequests().length, byReplica.get(servers[1].url));
  });

  it('stays correct when one replica dies mid-run: every item answered once, by the survivor after the death', async () => {
    const { handle, store, warnings } = await start(120);
    const dying = servers[1];
    // Kill replica 2 (stop listening, drop its connections, requests in flight included) after it has served a few.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (dying.generationRequests().length >= 8) {
          clearInterval(poll);
          void dying.close().then(resolve);
        }
      }, 5);
    });
    const servedBeforeDeath = dying.generationRequests().length;
    const record = await handle.done;
    assert.equal(record.status, 'done');
    const reader = await store.openReader(record.id);
    const samples = reader.samples();
    reader.close();
    assert.equal(samples.length, 120);
    assert.ok(samples.every((s) => s.status === 'done' && s.score?.passed), 'no item failed or was scored wrong');
    const fromDead = samples.filter((s) => s.replica === dying.url).length;
    assert.ok(fromDead > 0 && fromDead <= servedBeforeDeath, `the dead replica is credited only with what it answered (${fromDead} of ${servedBeforeDeath})`);
    assert.equal(samples.filter((s) => s.replica === servers[0].url).length, 120 - fromDead);
    assert.ok(warnings.some((w) => /replica .* is unreachable/.test(w)), warnings.join('\n'));
  });
});
