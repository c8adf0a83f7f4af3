// Speed of HumanEval execution: the 164 canonical solutions through each executor.
// Usage: node --import tsx bench/humaneval.mjs [--dataset HumanEval.jsonl.gz] [--parallel N] [--skip-wasm]
//                                              [--busy N] [--oracle]
//   --busy N   start N busy loops (sh -c 'while :; do :; done') for the whole run, killed at the end
//   --oracle   also run the 300 public oracle cases through each executor and count agreement with the
//              official outcome (the load-independence check of issue #9)
//
// Printed per executor: wall time for the 164 programs with warm workers (target: native ≤ 1.5 s,
// wasm ≤ 10 s), the same including start-up (interpreters / Pyodide loaded from cold), and problems/s.
// Baselines measured in the same run on the same programs:
//   native — the naive harness: one `python3` process per program (spawned with an argument array,
//            program on stdin), as many at once as the executor's parallelism;
//   wasm   — a fresh Pyodide per program (load + run), timed on a few programs and scaled to 164
//            (marked "scaled"), since running it for all 164 takes minutes.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const here = path.dirname(new URL(import.meta.url).pathname);
const DATASET = arg('--dataset', path.join(here, '..', '..', 'shared', 'data', 'humaneval', 'HumanEval.jsonl.gz'));
const PARALLEL = Number(arg('--parallel', os.availableParallelism()));

const { loadHumanevalFile } = await import('../src/core/benchmarks/humaneval/dataset.ts');
const { NativeExecutor, resolveInterpreter } = await import('../src/core/benchmarks/humaneval/nativeExecutor.ts');
const { WasmExecutor, pyodideIndexURL } = await import('../src/core/benchmarks/humaneval/wasmExecutor.ts');

const BUSY = Number(arg('--busy', 0));
const busy = Array.from({ length: BUSY }, () => spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
process.on('exit', () => busy.forEach((b) => b.kill('SIGKILL')));

const { items } = loadHumanevalFile(DATASET);
const specs = items.map((i) => ({ parts: { prompt: i.data.prompt, completion: i.data.canonicalSolution ?? '', test: i.data.test, entryPoint: i.data.entryPoint } }));
// The naive baselines run the official assembled program.
const programs = specs.map(({ parts: p }) => p.prompt + p.completion + '\n' + p.test + '\n' + `check(${p.entryPoint})`);
const byTask = new Map(items.map((i) => [i.id, i.data]));
const oracleFile = path.join(path.dirname(DATASET), 'oracle_public.jsonl');
const oracle = args.includes('--oracle')
  ? (await import('node:fs')).readFileSync(oracleFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
if (BUSY) console.log(`${BUSY} busy loops running`);
console.log(`HumanEval canonical solutions: ${programs.length} programs, parallelism ${PARALLEL}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0].toFixed(2)}`);

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const rate = (ms, n = programs.length) => `${(n / (ms / 1000)).toFixed(1)} problems/s`;

async function runAll(executor) {
  const start = performance.now();
  const results = await Promise.all(specs.map((spec) => executor.run(spec)));
  const ms = performance.now() - start;
  const passed = results.filter((r) => r.outcome === 'passed').length;
  return { ms, passed };
}

/** Like a naive harness: one interpreter per program, at most `limit` at a time. */
async function naiveNative(python, limit) {
  const start = performance.now();
  let next = 0;
  let passed = 0;
  const one = (program) =>
    new Promise((resolve) => {
      const child = spawn(python, ['-'], { stdio: ['pipe', 'ignore', 'ignore'], env: { PATH: '/usr/bin:/bin' } });
      const timer = setTimeout(() => child.kill('SIGKILL'), 4000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) passed++;
        resolve();
      });
      child.stdin.end(program);
    });
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < programs.length) await one(programs[next++]);
  }));
  return { ms: performance.now() - start, passed };
}

async function naiveWasm(sample) {
  const { loadPyodide } = await import(path.join(pyodideIndexURL(), 'pyodide.mjs')).catch(() => import('pyodide'));
  const start = performance.now();
  for (const program of programs.slice(0, sample)) {
    const py = await loadPyodide({ indexURL: pyodideIndexURL(), stdout: () => {}, stderr: () => {} });
    py.runPython(program, { globals: py.toPy({}) });
  }
  return (performance.now() - start) * (programs.length / sample);
}

/** The 300 oracle cases: how many get the official outcome (all at once: the executor's pool decides). */
async function oracleAgreement(executor) {
  const start = performance.now();
  const results = await Promise.all(oracle.map((c) => {
    const d = byTask.get(c.task_id);
    return executor.run({ parts: { prompt: d.prompt, completion: c.completion, test: d.test, entryPoint: d.entryPoint } });
  }));
  const wrong = oracle.filter((c, i) => results[i].outcome !== c.outcome || (results[i].outcome === 'passed') !== c.passed);
  const retried = results.filter((r) => r.confirmedAlone).length;
  return `${oracle.length - wrong.length}/${oracle.length} official outcomes in ${fmt(performance.now() - start)} (${retried} timeouts confirmed alone)` +
    (wrong.length ? `; differ: ${wrong.map((c) => c.case_id).join(', ')}` : '');
}

const figures = {};
let python;
try {
  python = (await resolveInterpreter()).executable;
} catch (error) {
  console.log(`native: skipped (${error.message})`);
}
if (python) {
  const coldStart = performance.now();
  const native = new NativeExecutor({ parallelism: PARALLEL });
  const isolation = await native.warmUp();
  const cold = await runAll(native);
  const coldMs = performance.now() - coldStart;
  const warm = await runAll(native);
  const agreement = oracle.length ? await oracleAgreement(native) : undefined;
  await native.dispose();
  figures.native = { warm: warm.ms, cold: coldMs };
  const baseline = await naiveNative(python, PARALLEL);
  console.log(`native (${python})`);
  for (const [k, v] of Object.entries(isolation)) console.log(`  ${k.padEnd(16)} ${v}`);
  console.log(`  warm pool        ${fmt(warm.ms)}  ${rate(warm.ms)}  passed ${warm.passed}/${programs.length}  target ≤ 1.5 s: ${warm.ms <= 1500 ? 'met' : 'MISSED'}`);
  console.log(`  incl. start-up   ${fmt(coldMs)}  ${rate(coldMs)}  passed ${cold.passed}/${programs.length}`);
  console.log(`  baseline         ${fmt(baseline.ms)}  ${rate(baseline.ms)}  passed ${baseline.passed}/${programs.length}  (one python3 per program, ${PARALLEL} at once, no sandbox)`);
  console.log(`  speed-up         ×${(baseline.ms / warm.ms).toFixed(1)} warm, ×${(baseline.ms / coldMs).toFixed(1)} including start-up`);
  if (agreement) console.log(`  oracle           ${agreement}`);
}

if (!args.includes('--skip-wasm')) {
  const coldStart = performance.now();
  const wasm = new WasmExecutor({ parallelism: PARALLEL });
  const version = await wasm.warmUp();
  const loadMs = performance.now() - coldStart;
  const cold = await runAll(wasm);
  const coldMs = performance.now() - coldStart;
  const warm = await runAll(wasm);
  const agreement = oracle.length ? await oracleAgreement(wasm) : undefined;
  await wasm.dispose();
  figures.wasm = { warm: warm.ms, cold: coldMs };
  const sample = 4;
  const baselineMs = await naiveWasm(sample);
  console.log(`wasm (Pyodide, Python ${version}, ${PARALLEL} worker threads; loading took ${fmt(loadMs)})`);
  console.log(`  warm pool        ${fmt(warm.ms)}  ${rate(warm.ms)}  passed ${warm.passed}/${programs.length}  target ≤ 10 s: ${warm.ms <= 10_000 ? 'met' : 'MISSED'}`);
  console.log(`  incl. start-up   ${fmt(coldMs)}  ${rate(coldMs)}  passed ${cold.passed}/${programs.length}  target ≤ 10 s: ${coldMs <= 10_000 ? 'met' : 'MISSED'}`);
  console.log(`  baseline         ${fmt(baselineMs)}  ${rate(baselineMs)}  (a fresh Pyodide per program, one at a time; scaled from ${sample} programs)`);
  console.log(`  speed-up         ×${(baselineMs / warm.ms).toFixed(0)} warm, ×${(baselineMs / coldMs).toFixed(1)} including start-up`);
  if (agreement) console.log(`  oracle           ${agreement}`);
}
if (figures.native && figures.wasm) {
  const ratio = figures.wasm.warm / figures.native.warm;
  console.log(`wasm / native (same run): ×${ratio.toFixed(2)} warm (target ≤ 2: ${ratio <= 2 ? 'met' : 'MISSED'}), ×${(figures.wasm.cold / figures.native.cold).toFixed(2)} including start-up`);
}
busy.forEach((b) => b.kill('SIGKILL'));
