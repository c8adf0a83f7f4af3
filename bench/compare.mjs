// Speed of run comparison on two synthetic 10,000-item runs.
// Usage: node --import tsx bench/compare.mjs [--n 10000] [--resamples 10000] [--reps 3]
//
// Runs are built in memory (no run files): IFEval-shaped (4 metrics: two paired 0/1 outcomes with
// McNemar, two instruction-level ratios; instruction breakdown) and custom-JSONL-shaped (one 0/1 metric).
// Printed for each: compareRuns without the bootstrap (target ≤ 300 ms) and with 10,000 resamples
// (target ≤ 1 s), medians of --reps repetitions. Then the bootstrap alone on the headline metric
// against a textbook allocating bootstrap (a new array per resample, Math.random, Array#sort on
// numbers) measured in the same process on the same data: the ratio is what the typed-array kernel buys.
// Cold: the same two runs stored as run files, compared by a fresh `node dist/cli.js compare A B --json`
// (bundle load, both files read, the comparison with its default bootstrap), median of --reps; baseline
// in the same run: `node dist/cli.js show A` (start-up and reading one run, no comparison) and `node -e 0`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as os from 'node:os';
import { loadNote, nodeFloor, requireBuiltCli, storeRun, timeProcess } from './coldStart.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = arg('--n', 10_000);
const RESAMPLES = arg('--resamples', 10_000);
const REPS = arg('--reps', 3);

const { compareRuns } = await import('../src/core/compare/compareRuns.ts');
const { pairedBootstrapDifferences } = await import('../src/core/stats/bootstrap.ts');
const { Xoshiro128 } = await import('../src/core/stats/prng.ts');

const INSTRUCTIONS = ['punctuation:no_comma', 'length_constraints:number_words', 'detectable_format:title', 'change_case:english_lowercase', 'keywords:existence'];

function record(id, benchmarkId) {
  return {
    id, createdAt: '2026-11-20T10:00:00.000Z', updatedAt: '2026-11-20T11:00:00.000Z', status: 'done', metrics: [],
    config: {
      benchmarkId, benchmarkVersion: '1', datasetOrigin: 'synthetic', datasetSha256: 'x',
      endpoint: { baseUrl: 'http://127.0.0.1:8080/v1', model: id, mode: 'chat' }, sampling: { temperature: 0, max_tokens: 1280 },
      samplesPerItem: 1, concurrency: 8, itemTimeoutMs: 60_000,
    },
  };
}

function sampleOf(itemId, i, score, rng) {
  const latencyMs = 200 + rng.nextIndex(3000);
  const start = Date.UTC(2026, 10, 20, 10) + i * 50;
  return {
    itemId, sampleIndex: 0, status: 'done', response: 'text', latencyMs, completionTokens: 50 + rng.nextIndex(400),
    startedAt: new Date(start).toISOString(), finishedAt: new Date(start + latencyMs).toISOString(), score,
  };
}

/** IFEval-shaped run: 1–3 instructions per prompt, each followed with probability `p`. */
function ifevalRun(id, p, seed) {
  const rng = new Xoshiro128(seed);
  const items = [];
  const samples = [];
  for (let i = 0; i < N; i++) {
    const ids = INSTRUCTIONS.slice(0, 1 + (i % 3));
    const strict = ids.map(() => rng.nextFloat() < p);
    const loose = strict.map((s) => s || rng.nextFloat() < 0.3);
    const passed = strict.every(Boolean);
    const score = {
      passed, score: Number(passed), failureCause: passed ? undefined : rng.nextFloat() < 0.1 ? 'truncated' : undefined,
      values: { prompt_strict: Number(passed), prompt_loose: Number(loose.every(Boolean)), inst_strict_passed: strict.filter(Boolean).length, inst_loose_passed: loose.filter(Boolean).length, inst_total: ids.length },
      explanation: [...ids.map((c, k) => ({ check: c, mode: 'strict', passed: strict[k], detail: 'x' })), ...ids.map((c, k) => ({ check: c, mode: 'loose', passed: loose[k], detail: 'x' }))],
      details: { instruction_id_list: ids, strict, loose },
    };
    items.push({ id: `${i}`, index: i, prompt: { prompt: 'p' }, data: {} });
    samples.push(sampleOf(`${i}`, i, score, rng));
  }
  return { run: record(id, 'ifeval'), items, samples };
}

function binaryRun(id, p, seed) {
  const rng = new Xoshiro128(seed);
  const items = [];
  const samples = [];
  for (let i = 0; i < N; i++) {
    const passed = rng.nextFloat() < p;
    items.push({ id: `q${i}`, index: i, prompt: { prompt: 'p' }, data: {} });
    samples.push(sampleOf(`q${i}`, i, { passed, score: Number(passed), values: {}, explanation: [{ check: 'answer', passed, detail: 'x' }] }, rng));
  }
  return { run: record(id, 'custom'), items, samples };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn) {
  const times = [];
  let result;
  for (let r = 0; r < REPS; r++) {
    const started = performance.now();
    result = fn();
    times.push(performance.now() - started);
  }
  return { ms: median(times), result };
}

/** The textbook bootstrap: a fresh array per resample, Math.random indices, reduce, sort at the end. */
function naivePairedBootstrap(a, b, resamples) {
  const n = a.length;
  const diffs = [];
  for (let r = 0; r < resamples; r++) {
    const picks = Array.from({ length: n }, () => Math.floor(Math.random() * n));
    const sa = picks.map((i) => a[i]);
    const sb = picks.map((i) => b[i]);
    diffs.push(sb.reduce((s, v) => s + v, 0) / n - sa.reduce((s, v) => s + v, 0) / n);
  }
  diffs.sort((x, y) => x - y);
  return [diffs[Math.floor(0.025 * (resamples - 1))], diffs[Math.floor(0.975 * (resamples - 1))]];
}

console.log(`node ${process.version}, ${os.cpus().length} CPUs (shared), ${N.toLocaleString('en')} items per run, ${RESAMPLES.toLocaleString('en')} resamples, median of ${REPS}`);

// Warm-up on small runs so the JIT has compiled the hot paths before timing.
compareRuns(binaryRun('wa', 0.7, 1), binaryRun('wb', 0.68, 2), { resamples: 200 });

const shapes = [
  ['IFEval-shaped (4 metrics)', ifevalRun('A', 0.8, 11), ifevalRun('B', 0.78, 12)],
  ['custom JSONL (1 metric)', binaryRun('A', 0.7, 21), binaryRun('B', 0.68, 22)],
];
for (const [name, a, b] of shapes) {
  const quick = time(() => compareRuns(a, b, { bootstrap: false }));
  const full = time(() => compareRuns(a, b, { resamples: RESAMPLES }));
  const ok = (ms, target) => (ms <= target ? 'ok' : 'OVER');
  console.log(`${name.padEnd(27)} without bootstrap ${quick.ms.toFixed(0).padStart(6)} ms (target ≤ 300: ${ok(quick.ms, 300)})   with bootstrap ${full.ms.toFixed(0).padStart(6)} ms (target ≤ 1000: ${ok(full.ms, 1000)})`);
  console.log(`${''.padEnd(27)} headline: ${full.result.headline.sentence}`);
}

// The bootstrap alone on one paired 0/1 metric: ours vs the textbook allocating version.
const [, a, b] = shapes[1];
const colA = Float64Array.from(a.samples, (s) => Number(s.score.passed));
const colB = Float64Array.from(b.samples, (s) => Number(s.score.passed));
naivePairedBootstrap(colA, colB, 50); // warm-up
const ours = time(() => pairedBootstrapDifferences([{ a: { num: colA }, b: { num: colB } }], { resamples: RESAMPLES }));
const naiveStarted = performance.now();
const naiveCi = naivePairedBootstrap(colA, colB, RESAMPLES);
const naiveMs = performance.now() - naiveStarted;
const [d] = ours.result;
console.log(`paired bootstrap, one metric: typed-array kernel ${ours.ms.toFixed(0)} ms (CI ${(d.lo * 100).toFixed(2)} to ${(d.hi * 100).toFixed(2)} points), ` +
  `textbook allocating ${naiveMs.toFixed(0)} ms (CI ${(naiveCi[0] * 100).toFixed(2)} to ${(naiveCi[1] * 100).toFixed(2)}) → ${(naiveMs / ours.ms).toFixed(1)}× faster`);

// Cold, whole process: what a user waits for from the command line.
const cli = requireBuiltCli();
if (cli) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-compare-cold-'));
  try {
    const reps = Math.max(REPS, 5);
    console.log(`COLD, whole process, median of ${reps} fresh processes (${loadNote()}):`);
    for (const [name, a, b] of shapes) {
      const runsDir = path.join(dir, name.split(' ')[0]);
      await storeRun(runsDir, a);
      await storeRun(runsDir, b);
      const compare = timeProcess(process.execPath, [cli, 'compare', 'A', 'B', '--runs-dir', runsDir, '--json'], { reps, cwd: dir });
      const show = timeProcess(process.execPath, [cli, 'show', 'A', '--runs-dir', runsDir], { reps, cwd: dir });
      console.log(`  ${name.padEnd(27)} evalbench compare A B --json ${compare.median.toFixed(3)} s (min ${compare.min.toFixed(3)}); baseline evalbench show A ${show.median.toFixed(3)} s`);
    }
    console.log(`  baseline node -e 0 start-up floor: ${nodeFloor(reps).median.toFixed(3)} s`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
