// How many times the host holds each model response during a run, as the extension host holds them:
// RunManager (its run file writer keeps every sample) plus a subscriber that keeps every finished sample
// (as ActiveRuns does for panels opened mid-run). Heap after a full GC, once most replies are in,
// minus the heap once the run has started, divided by the reply bytes received so far: ~1 means once.
// Usage: node --expose-gc --import tsx bench/responseMemory.mjs [--n 1000] [--reply-bytes 20000] [--conc 16]
// The fake server runs in a child process (bench/runCost.mjs --serve), so its memory is not counted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBenchServer } from './benchServer.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const N = arg('--n', 1000);
const replyBytes = arg('--reply-bytes', 20_000);
const concurrency = arg('--conc', 16);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

const { RunManager } = await import('../src/core/run/runManager.ts');
const { RunStore } = await import('../src/core/storage/runStore.ts');
const { tsxExecArgv } = await import('../src/core/scoring/workerLocation.ts');

const { url, server } = await startBenchServer({ latencyMs: 5, replyBytes });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-memory-'));
const dataset = path.join(tmp, 'set.jsonl');
// Short expected answers: the items' own data stays small beside the replies.
fs.writeFileSync(dataset, Array.from({ length: N }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `question ${i}`, expected: `question ${i}` })).join('\n'));

const heap = () => {
  globalThis.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
};

const manager = new RunManager({
  store: new RunStore(fs.mkdtempSync(path.join(tmp, 'runs-'))),
  ...(fs.existsSync('dist/worker.js') ? { workerPath: path.resolve('dist/worker.js') } : { workerPath: path.resolve('src/worker/scoringWorker.ts'), workerExecArgv: tsxExecArgv() }),
  cacheDir: tmp,
});
const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset }, endpoints: [{ baseUrl: url, model: 'fake-model', mode: 'chat' }], concurrency });
const kept = [];
const before = heap();
const keptAtStart = kept.length;
let measured;
handle.onSample((sample) => {
  kept.push(sample);
  if (kept.length === Math.floor(N * 0.9)) measured = { ...heap(), replies: kept.length - keptAtStart };
});
const record = await handle.done;
await manager.dispose();
if (!measured) throw new Error('the run ended before 90% of its replies were in');
const replyTotal = measured.replies * (replyBytes + 1);
console.log(`${N} items, replies of ${replyBytes} bytes, concurrency ${concurrency}, run ${record.status}; node ${process.version}`);
console.log(`heap grew ${((measured.heap - before.heap) / 1e6).toFixed(1)} MB (buffers ${((measured.buffers - before.buffers) / 1e6).toFixed(1)} MB) for ${measured.replies} replies = ${(replyTotal / 1e6).toFixed(1)} MB of reply text`);
console.log(`held ${((measured.heap + measured.buffers - before.heap - before.buffers) / replyTotal).toFixed(2)} times per reply byte (1.00 = each response held once)`);
server.kill('SIGKILL');
fs.rmSync(tmp, { recursive: true, force: true });
