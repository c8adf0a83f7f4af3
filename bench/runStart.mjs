// How soon a run gets going, and what a small run costs, whole process, cold (a fresh `node dist/cli.js run`
// each time) against a 0 ms loopback server hosted by this script: time from spawn to the first request the
// server sees, and to exit, for a 20-item custom run. Baseline in the same run: the `node -e 0` start-up floor.
// Targets (issue 15): first request within 0.3 s of the command; the whole 20-item run ≤ 0.5 s.
// Usage: npm run build && node --import tsx bench/runStart.mjs [--items 20] [--reps 7]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFakeModelServer } from '../test/support/fakeModelServer.ts';
import { loadNote, median, nodeFloor, requireBuiltCli } from './coldStart.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const items = arg('--items', 20);
const reps = arg('--reps', 7);
const cli = requireBuiltCli();
if (!cli) process.exit(0);

let firstRequestAt;
const server = await startFakeModelServer({
  logRequests: false,
  reply: (r) => {
    firstRequestAt ??= performance.now();
    return String(r.body?.messages?.at(-1)?.content ?? '');
  },
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-runstart-'));
const dataset = path.join(dir, 'set.jsonl');
fs.writeFileSync(dataset, Array.from({ length: items }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `p${i}`, expected: `p${i}` })).join('\n'));

const firsts = [];
const walls = [];
try {
  for (let rep = 0; rep < reps; rep++) {
    firstRequestAt = undefined;
    const start = performance.now();
    const child = spawn(process.execPath, [cli, 'run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', path.join(dir, 'runs')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    walls.push((performance.now() - start) / 1000);
    if (code !== 0) throw new Error(`run exited ${code}: ${stderr.slice(-2000)}`);
    firsts.push((firstRequestAt - start) / 1000);
  }
} finally {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
const floor = nodeFloor(reps);
const fmt = (s) => `${s.toFixed(3)} s`;
console.log(`evalbench run, ${items} custom items, 0 ms loopback server, ${reps} fresh processes; ${os.cpus().length} cores, node ${process.version}, ${loadNote()}`);
console.log(`  COLD first request at  median ${fmt(median(firsts))} (min ${fmt(Math.min(...firsts))}) after spawn; target ≤ 0.300 s: ${median(firsts) <= 0.3 ? 'met' : 'NOT met'}`);
console.log(`  COLD whole run         median ${fmt(median(walls))} (min ${fmt(Math.min(...walls))}); target ≤ 0.500 s: ${median(walls) <= 0.5 ? 'met' : 'NOT met'}`);
console.log(`  baseline node -e 0     median ${fmt(floor.median)}: the part of every figure above no command can avoid`);
console.log(`  (warm in-process cost of a run: bench/runCost.mjs)`);
