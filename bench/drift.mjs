// Speed of drift metrics between two synthetic runs (quantized vs full shaped: long greedy replies).
// Usage: node --import tsx bench/drift.mjs [--n 541] [--chars 2000] [--reps 3]
//
// Each run has --n items with a reply of about --chars characters and a token logprob per word; B's
// reply equals A's on a third of the items and differs from a random point on the rest (the tail
// rewritten), as a quantized model's greedy replies do. Printed: computeDrift (Myers bit-parallel
// Levenshtein from fastest-levenshtein, first difference, logprob prefix), median of --reps, against a
// textbook two-row dynamic-programming Levenshtein over the same pairs, measured in the same process.
// Cold: both runs stored as run files, `node dist/cli.js compare a b --drift --json` in a fresh process
// (bundle, files, comparison, drift), median of 5; baselines in the same run: the same command without
// --drift (so the difference is what drift adds from a cold start) and the `node -e 0` start-up floor.
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
const N = arg('--n', 541);
const CHARS = arg('--chars', 2000);
const REPS = arg('--reps', 3);

const { computeDrift } = await import('../src/core/compare/drift.ts');

let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const WORDS = ['the', 'model', 'answer', 'is', 'because', 'first', 'then', 'value', 'list', 'return', 'function', 'number', 'text', 'which', 'and'];
const text = (chars) => {
  let out = '';
  while (out.length < chars) out += ` ${WORDS[Math.floor(rand() * WORDS.length)]}`;
  return out;
};
const tokensOf = (reply) => {
  const tokens = reply.match(/\s*\S+/g) ?? [];
  return { tokens, logprobs: tokens.map(() => -rand()) };
};

function run(id, replies) {
  return {
    run: { id, createdAt: '', updatedAt: '', status: 'done', metrics: [], config: { benchmarkId: 'ifeval', benchmarkVersion: '1', datasetOrigin: 'x', datasetSha256: 'x', endpoint: { baseUrl: 'http://x/v1', model: id, mode: 'chat' }, sampling: { temperature: 0, max_tokens: 1280 }, samplesPerItem: 1, concurrency: 4, itemTimeoutMs: 1 } },
    items: replies.map((_, i) => ({ id: `q${i}`, index: i, prompt: { prompt: '' }, data: {} })),
    samples: replies.map((reply, i) => ({ itemId: `q${i}`, sampleIndex: 0, status: 'done', response: reply, logprobs: tokensOf(reply), startedAt: '', finishedAt: '' })),
  };
}

const repliesA = Array.from({ length: N }, () => text(CHARS));
const repliesB = repliesA.map((reply, i) => (i % 3 === 0 ? reply : reply.slice(0, Math.floor(rand() * reply.length)) + text(CHARS - Math.floor(rand() * CHARS / 2))));
const a = run('a', repliesA);
const b = run('b', repliesB);

function textbookLevenshtein(x, y) {
  let prev = new Uint32Array(y.length + 1).map((_, j) => j);
  let cur = new Uint32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x.charCodeAt(i - 1) === y.charCodeAt(j - 1) ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

const median = (xs) => xs.sort((p, q) => p - q)[Math.floor(xs.length / 2)];
function time(fn) {
  const times = [];
  let result;
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), result };
}

console.log(`drift bench: ${N} items, replies of ~${CHARS} chars, ${REPS} reps, node ${process.version}, ${os.cpus().length} CPU(s), load ${os.loadavg()[0].toFixed(1)}`);
const ours = time(() => computeDrift(a, b));
console.log(`computeDrift (all figures)         ${ours.ms.toFixed(1)} ms   identical ${ours.result.identical}/${ours.result.compared}, median edit ${(ours.result.medianEditDistance * 100).toFixed(1)}%`);
const baseline = time(() => repliesA.map((x, i) => textbookLevenshtein(x, repliesB[i]) / Math.max(x.length, repliesB[i].length)));
console.log(`baseline: textbook DP Levenshtein  ${baseline.ms.toFixed(1)} ms   (distances only)`);
const same = ours.result.items.every((d, i) => Math.abs(d.editDistance - baseline.result[i]) < 1e-12);
console.log(`same distances: ${same}; ratio ${(baseline.ms / ours.ms).toFixed(1)}x`);

const cli = requireBuiltCli();
if (cli) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-drift-cold-'));
  try {
    await storeRun(dir, a);
    await storeRun(dir, b);
    const reps = 5;
    const drift = timeProcess(process.execPath, [cli, 'compare', 'a', 'b', '--runs-dir', dir, '--drift', '--json'], { reps, cwd: dir });
    const plain = timeProcess(process.execPath, [cli, 'compare', 'a', 'b', '--runs-dir', dir, '--json'], { reps, cwd: dir });
    console.log(`COLD, whole process, median of ${reps} (${loadNote()}): evalbench compare a b --drift --json ${drift.median.toFixed(3)} s (min ${drift.min.toFixed(3)})`);
    console.log(`  baseline: the same compare without --drift ${plain.median.toFixed(3)} s (drift adds ${((drift.median - plain.median) * 1000).toFixed(0)} ms cold); node -e 0 start-up floor ${nodeFloor(reps).median.toFixed(3)} s`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
