// What a flush costs as a run grows: the journal is fsynced, then folded into the .sqlite (in the fold
// worker thread: read, apply, export, temp → fsync → rename → fsync dir), then the summary is written.
// Usage: node --import tsx bench/storage.mjs [--n 5000] [--every 500] [--reply 1500]
//
// Printed per checkpoint: samples stored, file size, flush ms (median of 5 flushes, each after one
// more sample), and the baseline: writing the same number of bytes to a file with one fsync and no
// database work (ratio = flush / baseline). Then: a whole run at the default journal batching (16
// samples or 200 ms, checkpoints every 8 MB or 30 s) vs the same samples with only the final close,
// openReader and listSummaries costs. Cold, whole process (median of 5 fresh processes): `node dist/cli.js
// show bench` (open and read the N-sample run) and `node dist/cli.js list` over the 1,000 summaries, beside
// the `node -e 0` start-up floor measured in the same run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadNote, nodeFloor, requireBuiltCli, timeProcess } from './coldStart.mjs';

const { RunStore } = await import('../src/core/storage/runStore.ts');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = arg('--n', 5000);
const EVERY = arg('--every', 500);
const REPLY = arg('--reply', 1500);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-storage-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const config = {
  benchmarkId: 'ifeval', benchmarkVersion: '1', datasetOrigin: 'bench', datasetSha256: '0'.repeat(64),
  endpoint: { baseUrl: 'http://127.0.0.1:8000/v1', model: 'bench-model', mode: 'chat' },
  sampling: { temperature: 0, max_tokens: 1280 }, samplesPerItem: 1, concurrency: 8, itemTimeoutMs: 60000,
};
const items = Array.from({ length: N }, (_, i) => ({
  id: `q${i}`, index: i,
  prompt: { messages: [{ role: 'user', content: `Write an essay about topic ${i}. `.repeat(8) }] },
  data: { key: i, instruction_id_list: ['punctuation:no_comma', 'length_constraints:number_words'], kwargs: [{}, { num_words: 300, relation: 'at least' }] },
}));
const words = 'the quick brown fox jumps over a lazy dog while models answer prompts '.split(' ');
const reply = (i) => {
  let text = '';
  for (let k = 0; text.length < REPLY; k++) text += words[(i * 7 + k) % words.length] + ' ';
  return text;
};
const sample = (i) => ({
  itemId: `q${i}`, sampleIndex: 0, status: 'done', response: reply(i), finishReason: 'stop', truncated: false,
  promptTokens: 80, completionTokens: 350, latencyMs: 2300.5, ttftMs: 41.2, attempts: 1,
  startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(),
  score: {
    passed: i % 3 !== 0, score: i % 3 !== 0 ? 1 : 0,
    values: { prompt_strict: 1, prompt_loose: 1, inst_strict_passed: 2, inst_loose_passed: 2, inst_total: 2 },
    explanation: [
      { check: 'punctuation:no_comma', passed: true, detail: 'no commas found', mode: 'strict' },
      { check: 'length_constraints:number_words', passed: true, detail: 'asked for at least 300 words, found 312', mode: 'strict' },
    ],
    details: { strict: [true, true], loose: [true, true] },
  },
});

function baselineWrite(bytes) {
  const file = path.join(dir, 'baseline.bin');
  const t = performance.now();
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, bytes);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return performance.now() - t;
}

// 1. Flush cost vs size (flushes driven by hand: interval and batch size set out of the way).
const store = new RunStore(dir, { batchMs: 3_600_000, batchSamples: Number.MAX_SAFE_INTEGER, maxUnsavedSamples: Number.MAX_SAFE_INTEGER, checkpointMs: 3_600_000, checkpointMinBytes: Number.MAX_SAFE_INTEGER, checkpointBytes: Number.MAX_SAFE_INTEGER });
const writer = await store.create(config, { runId: 'bench', items });
console.log(`flush cost, ${N} items, ~${REPLY}-char replies (node ${process.version}, ${os.cpus().length} cpus)`);
console.log('samples   file MB   flush ms (median of 5)   baseline write+fsync ms   ratio');
let i = 0;
for (let checkpoint = EVERY; checkpoint <= N; checkpoint += EVERY) {
  while (i < checkpoint - 5) writer.putSample(sample(i++));
  const flushes = [];
  const baselines = [];
  while (i < checkpoint) {
    writer.putSample(sample(i++));
    const t = performance.now();
    await writer.flush();
    flushes.push(performance.now() - t);
    baselines.push(baselineWrite(fs.readFileSync(writer.file)));
  }
  const mb = fs.statSync(writer.file).size / 1e6;
  const f = median(flushes);
  const b = median(baselines);
  console.log(`${String(checkpoint).padStart(7)}   ${mb.toFixed(2).padStart(7)}   ${f.toFixed(1).padStart(22)}   ${b.toFixed(1).padStart(23)}   ${(f / b).toFixed(2).padStart(5)}`);
}
await writer.close();

// 2. A whole run at the default batching vs none, same samples (puts are synchronous; flushes overlap them).
async function wholeRun(id, options) {
  const s = new RunStore(dir, options);
  const w = await s.create(config, { runId: id, items });
  const t = performance.now();
  for (let k = 0; k < N; k++) {
    w.putSample(sample(k));
    if (k % 8 === 7) await new Promise((r) => setImmediate(r)); // let background flushes run, as in a real run
  }
  await w.close();
  return performance.now() - t;
}
let none = Infinity;
let batched = Infinity;
for (let rep = 0; rep < 2; rep++) {
  // Interleaved, best of 2: the machine is shared, and the first run also pays for warm-up.
  none = Math.min(none, await wholeRun(`run-none-${rep}`, { batchMs: 3_600_000, batchSamples: Number.MAX_SAFE_INTEGER, maxUnsavedSamples: Number.MAX_SAFE_INTEGER, checkpointMs: 3_600_000, checkpointMinBytes: Number.MAX_SAFE_INTEGER, checkpointBytes: Number.MAX_SAFE_INTEGER }));
  batched = Math.min(batched, await wholeRun(`run-batched-${rep}`, {}));
}
console.log(`\nwhole run of ${N} samples: default journal batching (16 samples / 200 ms) ${batched.toFixed(0)} ms, one final flush only ${none.toFixed(0)} ms, ratio ${(batched / none).toFixed(2)}`);

// 3. Reading.
let t = performance.now();
const reader = await store.openReader('bench');
const opened = performance.now() - t;
t = performance.now();
const all = reader.samples();
const read = performance.now() - t;
reader.close();
console.log(`openReader (read + check + quick_check) ${opened.toFixed(0)} ms; samples() of ${all.length} ${read.toFixed(0)} ms`);
// 1,000 runs whose databases are garbage: listing must not open any of them.
const listDir = path.join(dir, 'list');
fs.mkdirSync(listDir);
const summaryText = fs.readFileSync(path.join(dir, 'bench.summary.json'), 'utf8');
for (let k = 0; k < 1000; k++) {
  const id = `run-${String(k).padStart(4, '0')}`;
  fs.writeFileSync(path.join(listDir, `${id}.sqlite`), 'not opened');
  fs.writeFileSync(path.join(listDir, `${id}.summary.json`), summaryText.replace('"id": "bench"', `"id": "${id}"`));
}
const lister = new RunStore(listDir);
t = performance.now();
const summaries = await lister.listSummaries();
console.log(`listSummaries of ${summaries.length} runs (databases unreadable, never opened) ${(performance.now() - t).toFixed(0)} ms`);

const cli = requireBuiltCli();
if (cli) {
  const show = timeProcess(process.execPath, [cli, 'show', 'bench', '--runs-dir', dir], { reps: 5, cwd: dir });
  const list = timeProcess(process.execPath, [cli, 'list', '--runs-dir', listDir], { reps: 5, cwd: dir });
  console.log(`COLD, whole process, median of 5 (${loadNote()}): evalbench show bench (${N} samples) ${(show.median * 1000).toFixed(0)} ms; evalbench list (1,000 runs) ${(list.median * 1000).toFixed(0)} ms; baseline node -e 0 ${(nodeFloor(5).median * 1000).toFixed(0)} ms`);
}

fs.rmSync(dir, { recursive: true, force: true });
