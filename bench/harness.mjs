// Throughput of the model client against the fake server.
// Usage: node --import tsx bench/harness.mjs [--n 2000] [--reps 3] [--quick (0 ms only)]
//
// The fake server runs in a child process (this file, forked with --serve) so the client's CPU is
// measured apart from the server's. For each server latency (0 ms, 20 ms) and concurrency (1, 8, 64)
// three clients send the same requests through the same bounded pool:
//   raw-http  node:http with a keep-alive agent, hand-written JSON: the baseline, no SDK
//   raw-fetch the global fetch (undici), as the SDK uses it, without the SDK
//   client    ModelClient as shipped (openai SDK v6 + our retry/timeout layer, node:http transport)
//   client+fetch  the same ModelClient over the global fetch instead (what the SDK would use alone)
// Printed: the best wall time of --reps interleaved runs, requests/s, and wall / ideal where
// ideal = N·latency/concurrency (20 ms runs).
// Concurrency 1 at 20 ms uses N/10 requests (2,000 × 20 ms would be 40 s per client).
// Cold, whole process (median of 5 fresh processes, 0 ms server, concurrency 64, N requests): a bundled
// script sending them through ModelClient (bundle load, SDK and transport set-up included) beside the same
// script with hand-written node:http requests (the baseline) and the `node -e 0` start-up floor.
import { fork } from 'node:child_process';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

if (args.includes('--serve')) {
  const { startFakeModelServer } = await import('../test/support/fakeModelServer.ts');
  const server = await startFakeModelServer({ logRequests: false });
  process.on('message', (message) => {
    if (message.latencyMs !== undefined) {
      server.setBehavior({ latencyMs: message.latencyMs });
      process.send({ ok: true });
    }
    if (message.close) server.close().then(() => process.exit(0));
  });
  process.send({ url: server.url });
} else {
  await main();
}

async function main() {
  const N = arg('--n', 2000);
  const quick = args.includes('--quick');
  const reps = arg('--reps', 3);
  const { ModelClient } = await import('../src/core/endpoint/modelClient.ts');

  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reply = () => new Promise((resolve) => child.once('message', resolve));
  const { url } = await reply();
  const setLatency = async (latencyMs) => {
    child.send({ latencyMs });
    await reply();
  };

  const request = (i) => ({ messages: [{ role: 'user', content: `question ${i} about something` }], sampling: { temperature: 0, max_tokens: 64 } });
  const body = (i) => JSON.stringify({ model: 'fake-model', temperature: 0, max_tokens: 64, ...{ messages: request(i).messages } });

  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(`${url}/chat/completions`);
  const rawHttp = (i) =>
    new Promise((resolve, reject) => {
      const payload = body(i);
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (!json.choices?.[0]) reject(new Error('no choices'));
            else resolve(json.choices[0].message.content);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const rawFetch = async (i) => {
    const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) });
    const json = await res.json();
    if (!json.choices?.[0]) throw new Error('no choices');
    return json.choices[0].message.content;
  };
  const client = new ModelClient({ baseUrl: url, model: 'fake-model', mode: 'chat' }, { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
  const undiciClient = new ModelClient({ baseUrl: url, model: 'fake-model', mode: 'chat' }, { fetch: globalThis.fetch, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
  const runners = [
    ['raw-http', rawHttp],
    ['raw-fetch', rawFetch],
    ['client', (i) => client.generate(request(i))],
    ['client+fetch', (i) => undiciClient.generate(request(i))],
  ];

  /** A bounded pool: `concurrency` workers take the next index until n are done. */
  async function pool(n, concurrency, task) {
    let next = 0;
    const worker = async () => {
      while (next < n) await task(next++);
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    return performance.now() - started;
  }

  for (const [, task] of runners) await pool(300, 16, task); // warm up: JIT, sockets

  const rows = [];
  const latencies = quick ? [0] : [0, 20];
  for (const latencyMs of latencies) {
    await setLatency(latencyMs);
    for (const concurrency of [1, 8, 64]) {
      const n = latencyMs > 0 && concurrency === 1 ? Math.round(N / 10) : N;
      // Runners interleaved, best of `reps`: the machine is shared, and a neighbour's burst should
      // not be charged to whichever client happened to run during it.
      const best = new Map();
      for (let rep = 0; rep < reps; rep++) {
        for (const [name, task] of runners) {
          const wallMs = await pool(n, concurrency, task);
          best.set(name, Math.min(best.get(name) ?? Infinity, wallMs));
        }
      }
      for (const [name] of runners) {
        const wallMs = best.get(name);
        const idealMs = (n * latencyMs) / concurrency;
        rows.push({ latencyMs, concurrency, n, name, wallMs, rps: (n / wallMs) * 1000, ratio: idealMs > 0 ? wallMs / idealMs : undefined });
      }
    }
  }

  const os = await import('node:os');
  console.log(`node ${process.version}, ${os.cpus().length} CPUs (shared; load ${os.loadavg()[0].toFixed(2)}), server in a child process, best of ${reps}`);
  console.log('latency  conc      N  client         wall s     req/s   wall/ideal   client cost vs raw-http');
  for (const row of rows) {
    const base = rows.find((r) => r.latencyMs === row.latencyMs && r.concurrency === row.concurrency && r.name === 'raw-http');
    const cost = row.name === 'raw-http' ? '' : `${((row.wallMs / base.wallMs - 1) * 100).toFixed(0).padStart(5)} %  (${((row.wallMs - base.wallMs) / row.n * 1000).toFixed(0)} µs/req)`;
    console.log(
      `${String(row.latencyMs).padStart(4)} ms ${String(row.concurrency).padStart(5)} ${String(row.n).padStart(6)}  ${row.name.padEnd(12)} ${(row.wallMs / 1000).toFixed(2).padStart(7)} ${row.rps.toFixed(0).padStart(9)}   ${row.ratio === undefined ? '     -' : row.ratio.toFixed(3).padStart(6)}      ${cost}`,
    );
  }
  const at0 = rows.filter((r) => r.name === 'client' && r.latencyMs === 0 && r.concurrency > 1);
  const at20 = rows.find((r) => r.name === 'client' && r.latencyMs === 20 && r.concurrency === 64);
  const mean = (name, latencyMs) => {
    const picked = rows.filter((r) => r.name === name && r.latencyMs === latencyMs && r.concurrency > 1);
    return picked.reduce((sum, r) => sum + r.wallMs / r.n, 0) / picked.length * 1000; // µs per request
  };
  console.log(`concurrency 1 at 20 ms ran N/10 = ${Math.round(N / 10)} requests (N × 20 ms would take ${(N * 0.02).toFixed(0)} s per client)`);
  console.log(`wall µs/request at 0 ms, conc 8 and 64: raw-http ${mean('raw-http', 0).toFixed(0)}, raw-fetch ${mean('raw-fetch', 0).toFixed(0)}, ` +
    `client ${mean('client', 0).toFixed(0)}, client+fetch ${mean('client+fetch', 0).toFixed(0)} ` +
    `→ SDK + retry layer ≈ ${(mean('client', 0) - mean('raw-http', 0)).toFixed(0)} µs over node:http, ` +
    `undici fetch ≈ ${(mean('raw-fetch', 0) - mean('raw-http', 0)).toFixed(0)} µs over node:http`);
  console.log(`targets: client ≥ 2,000 req/s at 0 ms (best ${Math.max(...at0.map((r) => r.rps)).toFixed(0)});` +
    (at20 ? ` ≤ 1.05 × ideal at 20 ms / 64 (${at20.ratio.toFixed(3)})` : ''));

  await setLatency(0);
  const { withBundledEntry, timeProcess, nodeFloor, loadNote } = await import('./coldStart.mjs');
  const sendAll = (send) => `const url = process.argv[2]; const n = Number(process.argv[3]); let next = 0;
    ${send}
    Promise.all(Array.from({ length: 64 }, async () => { while (next < n) { const i = next++; await one(i); } })).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
  const clientEntry = `import { ModelClient } from './src/core/endpoint/modelClient';
    ${sendAll(`const client = new ModelClient({ baseUrl: url, model: 'fake-model', mode: 'chat' }, { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    const one = (i) => client.generate({ messages: [{ role: 'user', content: 'question ' + i + ' about something' }], sampling: { temperature: 0, max_tokens: 64 } });`)}`;
  const rawEntry = `import * as http from 'node:http';
    ${sendAll(`const agent = new http.Agent({ keepAlive: true, maxSockets: 256 }); const target = new URL(url + '/chat/completions');
    const one = (i) => new Promise((resolve, reject) => {
      const body = JSON.stringify({ model: 'fake-model', temperature: 0, max_tokens: 64, messages: [{ role: 'user', content: 'question ' + i + ' about something' }] });
      const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks = []; res.on('data', (c) => chunks.push(c)); res.on('end', () => { if (!JSON.parse(Buffer.concat(chunks).toString('utf8')).choices?.[0]) reject(new Error('no choices')); else resolve(); }); res.on('error', reject);
      });
      req.on('error', reject); req.end(body);
    });`)}`;
  const cold = {};
  await withBundledEntry(clientEntry, async (file) => (cold.client = timeProcess(process.execPath, [file, url, String(N)], { reps: 5 })));
  await withBundledEntry(rawEntry, async (file) => (cold.raw = timeProcess(process.execPath, [file, url, String(N)], { reps: 5 })));
  console.log(`COLD, whole process, ${N} requests at 0 ms, concurrency 64, median of 5 (${loadNote()}): ModelClient ${cold.client.median.toFixed(3)} s; ` +
    `baseline node:http ${cold.raw.median.toFixed(3)} s (ratio ${(cold.client.median / cold.raw.median).toFixed(2)}); node -e 0 floor ${nodeFloor(5).median.toFixed(3)} s`);

  child.send({ close: true });
  agent.destroy();
}
