// What a whole run costs next to a bare node:http client on the same loopback server, in the same run:
// wall time, CPU per item (this process with its threads, plus the scoring worker process), and the
// longest event-loop block (what an extension host would feel as a freeze).
// Usage: node --import tsx bench/runCost.mjs [--n 2000] [--reps 2] [--latency 20] [--conc 16,64] [--reply-bytes 0]
//        node --import tsx bench/runCost.mjs --n 5000 --reply-bytes 3000 --conc 64 --reps 1   (event-loop figure)
// --cpu-prof on the command line profiles this process (node --cpu-prof --import tsx bench/runCost.mjs ...).
//
// The fake server runs in a child process (this file with --serve), so its CPU is not counted.
// bare = node:http keep-alive agent, hand-written JSON request, JSON.parse of the reply, the same bounded
// pool; pipeline = RunManager.start (probe, dataset, run file with its journal, scoring worker) to done (the run
// file whole and its lock released). Both sides start cold on the network: each measurement opens its sockets
// afresh (a new agent for the bare client, as each run's client does), and neither wall includes tearing down
// what outlives the work (the bare agent's sockets, the manager's scoring worker: `dispose`, printed apart).
// Until 2026-12-01 the bare client kept one warm agent across reps and the pipeline wall included dispose().
// Cold, whole process: `node dist/cli.js run` of the same N items at the first --conc, one fresh process
// per rep (bundle, probe, run file, worker start and stop, final fold included), beside the warm bare
// client above and the `node -e 0` start-up floor measured in the same run.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { bareChatRequest, startBenchServer } from './benchServer.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);

if (args.includes('--serve')) {
  const { startFakeModelServer } = await import('../test/support/fakeModelServer.ts');
  let filler = '';
  const server = await startFakeModelServer({
    kind: 'llama.cpp',
    totalSlots: 256,
    logRequests: false,
    reply: (r) => String(r.body?.messages?.at(-1)?.content ?? '') + filler,
  });
  process.on('message', (message) => {
    if (message.latencyMs !== undefined) server.setBehavior({ latencyMs: message.latencyMs });
    // One long word: the fake server counts words as tokens and would cut a many-word reply at max_tokens.
    if (message.replyBytes !== undefined) filler = message.replyBytes > 0 ? ` ${'x'.repeat(message.replyBytes)}` : '';
    if (message.close) return void server.close().then(() => process.exit(0));
    process.send({ ok: true });
  });
  process.send({ url: server.url });
} else {
  await main();
}

/** CPU seconds (user + system) of a process, from /proc (Linux); 0 elsewhere. */
function processCpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

function childPids() {
  try {
    return fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function main() {
  const N = Number(arg('--n', 2000));
  const reps = Number(arg('--reps', 2));
  const latencyMs = Number(arg('--latency', 20));
  const concurrencies = String(arg('--conc', '16,64')).split(',').map(Number);
  const replyBytes = Number(arg('--reply-bytes', 0));

  const { RunManager } = await import('../src/core/run/runManager.ts');
  const { RunStore } = await import('../src/core/storage/runStore.ts');
  const { tsxExecArgv } = await import('../src/core/scoring/workerLocation.ts');

  const { url, server } = await startBenchServer({ latencyMs, replyBytes });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-runcost-'));
  const prompt = (i) => `question ${i}`;
  const filler = replyBytes > 0 ? ` ${'x'.repeat(replyBytes)}` : '';
  const dataset = path.join(tmp, 'set.jsonl');
  fs.writeFileSync(dataset, Array.from({ length: N }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: prompt(i), expected: prompt(i) + filler })).join('\n'));

  const target = new URL(`${url}/chat/completions`);

  /**
   * Wall ms, CPU s (this process + children other than the server), longest event-loop block ms over the
   * whole task and over its running part (the task calls `running()` once its requests are under way:
   * for the pipeline, after start-up: probe, dataset, run file creation).
   */
  async function measure(label, task) {
    const whole = monitorEventLoopDelay({ resolution: 5 });
    const inRun = monitorEventLoopDelay({ resolution: 5 });
    const others = () => childPids().filter((pid) => pid !== server.pid);
    const cpuBefore = process.cpuUsage();
    whole.enable();
    const started = performance.now();
    let runStarted = started;
    let windowStart = 0n;
    const childCpu = await task(others, () => {
      runStarted = performance.now();
      windowStart = process.hrtime.bigint() / 1000n;
      inRun.enable();
    });
    // The running part's bounds on the clock a --cpu-prof profile's timestamps use (µs), to cut it out.
    if (process.execArgv.some((a) => a.startsWith('--cpu-prof'))) console.log(`profile window ${label}: ${windowStart}..${process.hrtime.bigint() / 1000n} µs`);
    const wall = performance.now() - started;
    const runWall = performance.now() - runStarted;
    whole.disable();
    inRun.disable();
    const own = process.cpuUsage(cpuBefore);
    return { wall, runWall, cpu: (own.user + own.system) / 1e6 + childCpu, childCpu, block: whole.max / 1e6, runBlock: inRun.max / 1e6 };
  }

  let agent;
  const bare = async (concurrency) => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const result = await measure(`bare c=${concurrency}`, async (_others, running) => {
      running();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < N) {
            const i = next++;
            if ((await bareChatRequest(target, agent, prompt(i))) !== prompt(i) + filler) throw new Error('bare client: wrong reply');
          }
        }),
      );
      return 0;
    });
    agent.destroy();
    return result;
  };

  let manager;
  const pipeline = async (concurrency) => {
    const result = await measure(`pipeline c=${concurrency}`, async (others, running) => {
      manager = new RunManager({
        store: new RunStore(fs.mkdtempSync(path.join(tmp, 'runs-'))),
        // The bundle, as shipped (npm run build); from source under tsx when it is not built.
        ...(fs.existsSync('dist/worker.js') ? { workerPath: path.resolve('dist/worker.js') } : { workerPath: path.resolve('src/worker/scoringWorker.ts'), workerExecArgv: tsxExecArgv() }),
        cacheDir: tmp,
      });
      const [handle] = await manager.start({ benchmark: { id: 'custom', datasetPath: dataset }, endpoints: [{ baseUrl: url, model: 'fake-model', mode: 'chat' }], concurrency });
      running();
      const record = await handle.done;
      // The scoring worker's CPU, read before it exits.
      const workerCpu = others().reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
      if (record.metrics[0].value !== 1) throw new Error(`pipeline scored ${record.metrics[0].value}, expected 1`);
      return workerCpu;
    });
    const disposing = performance.now();
    await manager.dispose();
    return { ...result, dispose: performance.now() - disposing };
  };

  console.log(`${N} items, server latency ${latencyMs} ms, reply ${replyBytes} extra bytes, best of ${reps} (interleaved); node ${process.version}, ${os.cpus().length} CPUs`);
  console.log('conc  bare wall  pipeline wall (after start-up)  ratio (after start-up)  bare CPU/item  pipeline CPU/item (of it the worker)  longest event-loop block: bare / pipeline whole / pipeline in run  dispose (not in the wall)');
  for (const concurrency of concurrencies) {
    let b;
    let p;
    for (let r = 0; r < reps; r++) {
      const x = await bare(concurrency);
      const y = await pipeline(concurrency);
      if (!b || x.wall < b.wall) b = x;
      if (!p || y.wall < p.wall) p = y;
    }
    const ms = (v) => `${v.toFixed(0)} ms`;
    const perItem = (cpu) => `${((cpu * 1000) / N).toFixed(3)} ms`;
    console.log(
      `${String(concurrency).padStart(4)}  ${ms(b.wall).padStart(9)}  ${`${ms(p.wall)} (${ms(p.runWall)})`.padStart(30)}  ${`${(p.wall / b.wall).toFixed(2)} (${(p.runWall / b.wall).toFixed(2)})`.padStart(22)}  ${perItem(b.cpu).padStart(13)}  ${`${perItem(p.cpu)} (${perItem(p.childCpu)})`.padStart(35)}  ${`${ms(b.block)} / ${ms(p.block)} / ${ms(p.runBlock)}`.padEnd(28)}  ${ms(p.dispose)}`,
    );
  }
  const { builtCli, loadNote, nodeFloor, timeProcessAsync } = await import('./coldStart.mjs');
  if (fs.existsSync(builtCli)) {
    const concurrency = concurrencies[0];
    const walls = [];
    for (let r = 0; r < reps; r++) {
      walls.push(await timeProcessAsync(process.execPath, [builtCli, 'run', '--base-url', url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', path.join(tmp, `cold-${r}`), '--concurrency', String(concurrency)]));
    }
    console.log(`COLD, whole process (${loadNote()}): node dist/cli.js run, ${N} items, conc ${concurrency}: best of ${reps} ${(Math.min(...walls) * 1000).toFixed(0)} ms; baseline node -e 0 ${(nodeFloor(5).median * 1000).toFixed(0)} ms (warm bare client above)`);
  } else {
    console.log('COLD: dist/cli.js ABSENT (npm run build first)');
  }
  server.kill('SIGKILL'); // its keep-alive sockets would hold a graceful close open
  fs.rmSync(tmp, { recursive: true, force: true });
}
