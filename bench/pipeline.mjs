// What the whole run pipeline costs on top of the model client: RunManager (bounded lanes, progress),
// the scoring worker (a separate process) and the run file (sql.js, batched atomic flushes), against the
// bare ModelClient through a simple pool, on the same loopback server in the same run.
// Beside them, cold: the same run started as a user starts it (a fresh `node dist/cli.js run` process,
// spawn to exit, best of --reps), and the `node -e 0` start-up floor, measured in the same run.
// Usage: npm run build && node --import tsx bench/pipeline.mjs [--n 2000] [--reps 2]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { builtCli, loadNote, nodeFloor, timeProcessAsync } from './coldStart.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const N = arg('--n', 2000);
const reps = arg('--reps', 2);

const { startFakeModelServer } = await import('../test/support/fakeModelServer.ts');
const { ModelClient } = await import('../src/core/endpoint/modelClient.ts');
const { RunManager } = await import('../src/core/run/runManager.ts');
const { RunStore } = await import('../src/core/storage/runStore.ts');
const { tsxExecArgv } = await import('../src/core/scoring/workerLocation.ts');

const server = await startFakeModelServer({ logRequests: false, reply: (r) => String(r.body?.messages?.at(-1)?.content ?? '') });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-'));
const dataset = path.join(tmp, 'set.jsonl');
fs.writeFileSync(dataset, Array.from({ length: N }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `question ${i}`, expected: `question ${i}` })).join('\n'));
const endpoint = { baseUrl: server.url, model: 'fake-model', mode: 'chat' };

async function bareClient(concurrency) {
  const client = new ModelClient(endpoint);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) {
        const i = next++;
        await client.generate({ messages: [{ role: 'user', content: `question ${i}` }], sampling: { temperature: 0, max_tokens: 64 } });
      }
    }),
  );
  return performance.now() - started;
}

async function pipeline(concurrency) {
  const runsDir = fs.mkdtempSync(path.join(tmp, 'runs-'));
  const manager = new RunManager({
    store: new RunStore(runsDir),
    workerPath: path.resolve('src/worker/scoringWorker.ts'),
    workerExecArgv: tsxExecArgv(),
    cacheDir: tmp,
  });
  // Start the worker before the clock, as a long-lived extension host or CLI run would have it.
  const started = performance.now();
  const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset }, endpoints: [endpoint], concurrency });
  const record = await handle.done;
  const elapsed = performance.now() - started;
  await manager.dispose();
  if (record.metrics[0].value !== 1) throw new Error(`pipeline scored ${record.metrics[0].value}, expected 1`);
  return elapsed;
}

// Cold: the same run as a user starts it, a fresh `node dist/cli.js run` process, spawn to exit.
const cold = fs.existsSync(builtCli)
  ? (concurrency) => timeProcessAsync(process.execPath, [builtCli, 'run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', path.join(tmp, 'cold-runs'), '--concurrency', String(concurrency)]).then((s) => s * 1000)
  : undefined;
console.log(`${N} items, best of ${reps}; pipeline = probe + dataset + run file + worker scoring + final flush (warm: this process)`);
console.log(`cold = a fresh node dist/cli.js run, whole process${cold ? '' : ' (ABSENT: npm run build first)'}; ${loadNote()}`);
console.log('latency  conc   bare client        full pipeline (warm)  ratio   cold CLI run        ratio');
for (const latencyMs of [0, 20]) {
  server.setBehavior({ latencyMs });
  for (const concurrency of [8, 64]) {
    let bare = Infinity;
    let full = Infinity;
    let coldMs = Infinity;
    for (let r = 0; r < reps; r++) {
      bare = Math.min(bare, await bareClient(concurrency));
      full = Math.min(full, await pipeline(concurrency));
      if (cold) coldMs = Math.min(coldMs, await cold(concurrency));
    }
    const rate = (ms) => `${(N / (ms / 1000)).toFixed(0).padStart(5)} req/s ${(ms / 1000).toFixed(2).padStart(5)} s`;
    const coldText = cold ? `   ${rate(coldMs)}   ${(coldMs / bare).toFixed(2)}` : '';
    console.log(`${String(latencyMs).padStart(5)} ms ${String(concurrency).padStart(5)}   ${rate(bare)}   ${rate(full)}      ${(full / bare).toFixed(2)}${coldText}`);
  }
}
console.log(`node -e 0 start-up floor: ${nodeFloor(5).median.toFixed(3)} s (median of 5)`);
await server.close();
fs.rmSync(tmp, { recursive: true, force: true });
