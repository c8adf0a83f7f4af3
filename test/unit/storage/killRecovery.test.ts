import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/storage/runStore';
import { workToResume } from '../../../src/core/storage/resumeWork';
import { DEFAULT_FLUSH, type FlushOptions } from '../../../src/core/storage/runWriter';
import { useTempDir } from '../../support/tempDir';
import { sample } from './fixtures/runFixtures';

const FIXTURE = path.join(__dirname, 'fixtures', 'writeSamples.ts');
const TOTAL = 2000;

/** Start the writer child; resolves `flushed(n)` once it reports n samples on disk. */
function startWriter(runsDir: string, runId: string, options: Partial<FlushOptions>) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', FIXTURE, runsDir, runId, String(TOTAL), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let reported = -1;
  const waiters: { n: number; resolve: () => void }[] = [];
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) {
      const match = /^(?:put|opened) (\d+)$/.exec(line);
      if (match) reported = Number(match[1]);
    }
    for (const w of waiters.filter((w) => reported >= w.n)) w.resolve();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    reported: () => reported,
    flushed: (n: number) =>
      new Promise<void>((resolve, reject) => {
        if (reported >= n) return resolve();
        waiters.push({ n, resolve });
        void exited.then(() => reject(new Error(`writer exited before ${n} samples were flushed: ${stderr}`)));
      }),
  };
}

describe('RunStore: kill -9 while writing', function () {
  this.timeout(120_000);
  const tmp = useTempDir('evalbench-storage-kill-');

  // The product's checkpoint spacing, and a checkpoint always running (each one rewrites the file), so that
  // kills land in every step of one: journal moved aside, file being written, file replaced, segment removed.
  for (const [spacing, options] of [
    ['the default checkpoint spacing', {}],
    ['back-to-back checkpoints', { checkpointMinBytes: 1, checkpointFileShare: 0 }],
  ] as [string, Partial<FlushOptions>][]) {
    it(`leaves a file that opens with a prefix of the samples, and resume completes the rest (${spacing})`, async () => {
      const runsDir = path.join(tmp.path, 'runs');
      const store = new RunStore(runsDir);
      let onDisk = 0;
      let midFlush = 0;
      let midCheckpoint = 0;
      const maxUnsaved = DEFAULT_FLUSH.maxUnsavedSamples;
      // Three kills at different points: the first in a fresh run, the next two in resumed writers
      // (which take over the dead writer's stale lock and clear its temp files).
      for (const [round, target] of [[0, 150], [1, 500], [2, 900]] as const) {
        const writer = startWriter(runsDir, 'killed', options);
        try {
          await writer.flushed(onDisk + 5);
          if (round === 0) {
            // While it writes, nobody else may.
            await assert.rejects(store.openWriter('killed'), new RegExp(`run killed is being written by pid ${writer.child.pid} on host`));
          }
          await writer.flushed(target);
          await new Promise((r) => setTimeout(r, round * 3)); // vary where in the flush cycle the kill lands
          writer.child.kill('SIGKILL');
        } finally {
          writer.child.kill('SIGKILL');
        }
        const { signal } = await writer.exited;
        assert.equal(signal, 'SIGKILL');

        // A journal left behind means the kill landed before the last fold (informational: timing decides).
        if (fs.readdirSync(runsDir).some((n) => n.includes('.journal'))) midFlush++;
        if (fs.readdirSync(runsDir).some((n) => n.endsWith('.journal.folding'))) midCheckpoint++;
        const reader = await store.openReader('killed');
        const ids = reader.samples().map((s) => s.itemId);
        assert.equal(reader.run().status, 'interrupted', 'nobody closed it and its writer is dead');
        reader.close();
        // Every sample handed over is on disk except at most the bounded backlog (+1 handed over as the kill came).
        assert.ok(ids.length >= writer.reported() - maxUnsaved - 1 && ids.length < TOTAL, `round ${round}: ${ids.length} samples on disk, ${writer.reported()} handed over`);
        assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => `q${i}`), 'a prefix, in order, without holes');
        onDisk = ids.length;
      }

      console.log(`      (${midFlush} of 3 kills left a journal to replay, ${midCheckpoint} inside a checkpoint)`);

      // Finish in this process: the lock is stale, the missing samples are exactly the rest.
      const writer = await store.openWriter('killed');
      const missing = workToResume(writer, 'resume').filter((u) => !u.scoreOnly); // the fixture's samples carry no score
      assert.deepEqual(missing.map((k) => k.itemId), Array.from({ length: TOTAL - onDisk }, (_, i) => `q${onDisk + i}`));
      assert.deepEqual(
        fs.readdirSync(runsDir).filter((n) => n.includes('.tmp-')),
        [],
        'temp files of killed flushes are cleared by the next writer',
      );
      for (const { itemId, sampleIndex } of missing) writer.putSample(sample(itemId, sampleIndex));
      writer.updateRun({ status: 'done' });
      await writer.close();

      const final = await store.openReader('killed');
      assert.equal(final.samples().length, TOTAL);
      assert.deepEqual(workToResume(final, 'resume').filter((u) => !u.scoreOnly), []);
      assert.equal(final.run().status, 'done');
      final.close();
      const [summary] = await store.listSummaries();
      assert.deepEqual([summary.status, summary.counts], ['done', { total: TOTAL, passed: 0, wrong: 0, request_failed: 0, scoring_error: 0, pending: TOTAL }], 'replies without scores are pending');
      assert.deepEqual(fs.readdirSync(runsDir).sort(), ['killed.sqlite', 'killed.summary.json']);
    });
  }
});
