// What a whole run allocates per item next to a bare node:http client on the same loopback server, in the same
// process: heap bytes sampled by V8's sampling heap profiler, counting objects the GC has already collected (the
// garbage a run makes is what its GC pays for, on the host thread and on the helper threads that share the cores
// with the model server). Unlike a wall or CPU figure this one barely moves with the machine's load, so it shows
// a change to the per-item path that the noise of runCost.mjs hides.
// Usage: node --import tsx bench/runAlloc.mjs [--n 2000] [--conc 64] [--top 15]
//
// The server is runCost.mjs's (a child process, so its allocations are not counted); both sides are measured
// on their third run, the first two warm the code. The pipeline is RunManager.start to `done`, as in runCost.mjs;
// the scoring worker is another process and is not counted.
// "by owner" names, for each sample, the innermost frame of our code (src/) or the openai SDK on its stack.
import * as fs from 'node:fs';
import * as http from 'node:http';
import { Session } from 'node:inspector/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { bareChatRequest, startBenchServer } from './benchServer.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const N = Number(arg('--n', 2000));
const concurrency = Number(arg('--conc', 64));
const top = Number(arg('--top', 15));

const { RunManager } = await import('../src/core/run/runManager.ts');
const { RunStore } = await import('../src/core/storage/runStore.ts');
const { tsxExecArgv } = await import('../src/core/scoring/workerLocation.ts');

const { url, server } = await startBenchServer({ latencyMs: 20, replyBytes: 0 });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-runalloc-'));
const prompt = (i) => `question ${i}`;
const dataset = path.join(tmp, 'set.jsonl');
fs.writeFileSync(dataset, Array.from({ length: N }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: prompt(i), expected: prompt(i) })).join('\n'));

const target = new URL(`${url}/chat/completions`);
/** runCost.mjs's bare client: the same requests over one keep-alive agent, the same bounded pool. */
async function bare() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) {
        const i = next++;
        if ((await bareChatRequest(target, agent, prompt(i))) !== prompt(i)) throw new Error('bare client: wrong reply');
      }
    }),
  );
  agent.destroy();
}

async function pipeline() {
  const manager = new RunManager({
    store: new RunStore(fs.mkdtempSync(path.join(tmp, 'runs-'))),
    ...(fs.existsSync('dist/worker.js') ? { workerPath: path.resolve('dist/worker.js') } : { workerPath: path.resolve('src/worker/scoringWorker.ts'), workerExecArgv: tsxExecArgv() }),
    cacheDir: tmp,
  });
  const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset }, endpoints: [{ baseUrl: url, model: 'fake-model', mode: 'chat' }], concurrency });
  const record = await handle.done;
  await manager.dispose();
  if (record.metrics[0].value !== 1) throw new Error(`pipeline scored ${record.metrics[0].value}, expected 1`);
}

const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');

/** Bytes sampled over one run of `task` (its third: two warm-ups first), in total and by owning frame. */
async function sampleAllocations(task) {
  await task();
  await task();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await task();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  let total = 0;
  const byOwner = new Map();
  const walk = (node, owner) => {
    const { functionName, url: file, lineNumber } = node.callFrame;
    const ours = file.includes('/src/') || file.includes('node_modules/openai/');
    // Line numbers of TypeScript under tsx are of its compiled form, not of the source: name the function and file.
    const line = file.endsWith('.ts') ? '' : `:${lineNumber + 1}`;
    const here = ours ? `${functionName || '(anonymous)'} ${file.replace(/^.*\/(src|node_modules)\//, '$1/')}${line}` : owner;
    total += node.selfSize;
    byOwner.set(here, (byOwner.get(here) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, '(node and the bench, outside src/ and the SDK)');
  return { total, byOwner };
}

const kb = (bytes) => `${(bytes / N / 1024).toFixed(1)} KB`;
const bareBytes = await sampleAllocations(bare);
const pipelineBytes = await sampleAllocations(pipeline);
console.log(`${N} items, concurrency ${concurrency}, server latency 20 ms; node ${process.version}, ${os.cpus().length} CPUs`);
console.log(`allocated per item: bare ${kb(bareBytes.total)}, pipeline ${kb(pipelineBytes.total)} → ${(pipelineBytes.total / bareBytes.total).toFixed(2)}× the bare client`);
console.log(`pipeline by owner (the innermost frame of src/ or the openai SDK), top ${top}:`);
for (const [owner, bytes] of [...pipelineBytes.byOwner].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${kb(bytes).padStart(9)}  ${owner}`);
server.kill('SIGKILL');
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
