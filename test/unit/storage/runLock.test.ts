import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processIdentity } from '../../../src/core/storage/runLock';
import { RunStore, lockFileFor } from '../../../src/core/storage/runStore';
import { useTempDir } from '../../support/tempDir';
import { config, items, sample } from './fixtures/runFixtures';

describe('RunStore: one writer per run', () => {
  const tmp = useTempDir('evalbench-storage-lock-');
  let store: RunStore;
  let file: string;

  beforeEach(async () => {
    store = new RunStore(path.join(tmp.path, 'runs'));
    const writer = await store.create(config(), { runId: 'run-l', items: items(3) });
    writer.putSample(sample('q0'));
    await writer.close();
    file = writer.file;
  });

  const writeLock = (owner: object | string) => fs.writeFileSync(lockFileFor(file), typeof owner === 'string' ? owner : JSON.stringify(owner));

  it('holds the lock while open, lets readers in, and releases it on close', async () => {
    const writer = await store.openWriter('run-l');
    const owner = JSON.parse(fs.readFileSync(lockFileFor(file), 'utf8'));
    assert.deepEqual([owner.pid, owner.hostname], [process.pid, os.hostname()]);
    await assert.rejects(store.openWriter('run-l'), new RegExp(`run run-l is being written by pid ${process.pid} on host ${escape(os.hostname())}`));
    const reader = await store.openReader('run-l');
    assert.equal(reader.samples().length, 1);
    reader.close();
    await writer.close();
    assert.equal(fs.existsSync(lockFileFor(file)), false);
    await (await store.openWriter('run-l')).close();
  });

  it('refuses a lock held by another live process, and takes it over once that process is dead', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      writeLock({ pid: child.pid, hostname: os.hostname(), startedAt: '2026-11-23T10:00:00.000Z' });
      await assert.rejects(store.openWriter('run-l'), new RegExp(`run run-l is being written by pid ${child.pid} on host ${escape(os.hostname())}`));
      await assert.rejects(store.delete('run-l'), /stop it before deleting/);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const writer = await store.openWriter('run-l');
    assert.equal(JSON.parse(fs.readFileSync(lockFileFor(file), 'utf8')).pid, process.pid, 'the stale lock is now ours');
    writer.putSample(sample('q1'));
    await writer.close();
    const reader = await store.openReader('run-l');
    assert.equal(reader.samples().length, 2);
    reader.close();
  });

  it('takes over a lock whose pid now belongs to another process (the writer died, its pid was reused)', async function () {
    const live = processIdentity(process.pid);
    if (!live) this.skip(); // only where the system says which process a pid is (Linux)
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      // The lock names the child's pid, but a process that started at another time: not the child.
      writeLock({ pid: child.pid, hostname: os.hostname(), startedAt: '2026-11-23T10:00:00.000Z', process: { bootId: live!.bootId, startTicks: '1' } });
      const writer = await store.openWriter('run-l');
      assert.equal(JSON.parse(fs.readFileSync(lockFileFor(file), 'utf8')).pid, process.pid, 'the stale lock is now ours');
      await writer.close();
      // The same pid with its real identity is a live writer.
      writeLock({ pid: child.pid, hostname: os.hostname(), startedAt: '2026-11-23T10:00:00.000Z', process: processIdentity(child.pid!) });
      await assert.rejects(store.openWriter('run-l'), /is being written by pid/);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });

  it('never takes over a lock from another host', async () => {
    writeLock({ pid: 1, hostname: 'build-box-7', startedAt: '2026-11-23T10:00:00.000Z' });
    await assert.rejects(store.openWriter('run-l'), /run run-l is being written by pid 1 on host build-box-7/);
    assert.equal(JSON.parse(fs.readFileSync(lockFileFor(file), 'utf8')).hostname, 'build-box-7', 'left in place');
  });

  it('refuses an unreadable lock and says how to clear it', async () => {
    writeLock('{"pid": 12');
    await assert.rejects(store.openWriter('run-l'), /the lock file is unreadable; if no EvalBench is writing this run, delete .*run-l\.sqlite\.lock/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
