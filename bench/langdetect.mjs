// Throughput of our langdetect port against the npm `langdetect` package (the baseline), over the
// texts of util_golden.jsonl (541 GPT-4 responses × 8 loose variants, from ../shared/data).
// Usage: node --import tsx bench/langdetect.mjs [--reps 3]
//
// Printed: one-off model load times, then the best of --reps interleaved passes for
//   ours (unique)  every distinct non-empty text once, cache cleared: the real work per text
//   ours (rows)    all 4,328 rows in order, cache cleared per pass: what the IFEval scorer sees
//   npm detect     the npm package's simplified algorithm over the unique texts
// and ours/npm as a speed ratio (> 1: ours is faster), plus how often the two agree.
// Cold, whole process (median of --reps fresh `node` processes running a bundled entry, as the shipped
// bundles load): ours with its saved model snapshot, ours with none (a first-ever process: profiles read and
// the snapshot written to a fresh folder), and the npm package, each detecting every unique text once;
// beside the `node -e 0` floor measured in the same run.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadNote, nodeFloor, withBundledEntry, timeProcess } from './coldStart.mjs';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 3;

const { sharedDataFile } = await import('../test/support/sharedData.ts');
const { loadGoldenTexts } = await import('../test/unit/langdetect/goldenTexts.ts');
const langdetect = await import('../src/core/benchmarks/ifeval/text/langdetect/index.ts');

const golden = sharedDataFile('ifeval/util_golden.jsonl');
if (!golden) {
  console.log('reference data ABSENT: ../shared/data/ifeval/util_golden.jsonl; nothing to measure');
  process.exit(0);
}
const rows = loadGoldenTexts(path.dirname(golden));
const unique = [...new Set(rows.map((row) => row.text))].filter((text) => text.trim() !== '');

let t0 = performance.now();
const model = langdetect.languageModel();
const oursLoad = performance.now() - t0;
t0 = performance.now();
const npm = require('langdetect');
const npmLoad = performance.now() - t0;
// detectOne throws on a text without n-grams (detect returns null there): wrap detect instead.
const npmDetect = (text) => npm.detect(text)?.[0]?.lang;

function timeIt(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const best = { unique: Infinity, rows: Infinity, npm: Infinity };
for (let rep = 0; rep < reps; rep++) {
  langdetect.clearLanguageDetectionCache();
  best.unique = Math.min(best.unique, timeIt(() => unique.forEach((text) => langdetect.detectLanguage(text))));
  langdetect.clearLanguageDetectionCache();
  best.rows = Math.min(best.rows, timeIt(() => rows.forEach((row) => langdetect.detectLanguage(row.text))));
  best.npm = Math.min(best.npm, timeIt(() => unique.forEach((text) => npmDetect(text))));
}

const agreeOfficial = rows.filter((row) => (langdetect.detectLanguage(row.text) ?? 'ERROR') === row.lang).length;
const agreeNpm = unique.filter((text) => langdetect.detectLanguage(text) === npmDetect(text)).length;
const perSecond = (n, ms) => Math.round((n * 1000) / ms).toLocaleString('en-US');

console.log(`profiles: ${model.source.origin} ${model.source.dir} (${model.languages.length} languages, exact=${model.exact})`);
console.log(`load: ours ${oursLoad.toFixed(0)} ms, npm ${npmLoad.toFixed(0)} ms`);
console.log(`ours (unique)   ${unique.length} texts  ${best.unique.toFixed(0)} ms  ${perSecond(unique.length, best.unique)} texts/s`);
console.log(`ours (rows)     ${rows.length} texts  ${best.rows.toFixed(0)} ms  ${perSecond(rows.length, best.rows)} texts/s`);
console.log(`npm detect      ${unique.length} texts  ${best.npm.toFixed(0)} ms  ${perSecond(unique.length, best.npm)} texts/s`);
console.log(`speed ratio ours/npm (unique texts): ${(best.npm / best.unique).toFixed(2)}x`);
console.log(`agreement: ours vs official ${agreeOfficial}/${rows.length}; ours vs npm ${agreeNpm}/${unique.length}`);

// Cold: fresh processes, whole, each detecting the unique texts once.
const textsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'langdetect-cold-')), 'texts.json');
fs.writeFileSync(textsFile, JSON.stringify(unique));
const oursEntry = `
import * as fs from 'node:fs';
import { detectLanguage } from './src/core/benchmarks/ifeval/text/langdetect/index';
for (const text of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) detectLanguage(text);
`;
const npmEntry = `
import * as fs from 'node:fs';
const npm = require('langdetect');
for (const text of JSON.parse(fs.readFileSync(process.argv.at(-1), 'utf8'))) npm.detect(text);
`;
const coldReps = Math.max(reps, 5);
const cold = {};
await withBundledEntry(oursEntry, async (file) => {
  const snapshots = fs.mkdtempSync(path.join(os.tmpdir(), 'langdetect-snap-'));
  const env = { ...process.env, EVALBENCH_CACHE_DIR: snapshots };
  timeProcess(process.execPath, [file, textsFile], { reps: 1, env }); // writes the snapshot
  cold.saved = timeProcess(process.execPath, [file, textsFile], { reps: coldReps, env });
  fs.rmSync(snapshots, { recursive: true, force: true });
  const walls = [];
  for (let i = 0; i < coldReps; i++) {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'langdetect-snap-'));
    walls.push(timeProcess(process.execPath, [file, textsFile], { reps: 1, env: { ...process.env, EVALBENCH_CACHE_DIR: fresh } }).median);
    fs.rmSync(fresh, { recursive: true, force: true });
  }
  cold.first = { median: walls.sort((a, b) => a - b)[Math.floor(walls.length / 2)] };
});
// The npm package reads its profiles beside its own files: it runs from node_modules, unbundled.
cold.npm = timeProcess(process.execPath, ['-e', npmEntry.replace("import * as fs from 'node:fs';", "const fs = require('node:fs');"), '--', textsFile], { reps: coldReps });
fs.rmSync(path.dirname(textsFile), { recursive: true, force: true });
const floor = nodeFloor(coldReps);
const s3 = (x) => `${x.toFixed(3)} s`;
console.log(`COLD, whole process, ${unique.length} unique texts once, median of ${coldReps} (${loadNote()}):`);
console.log(`  ours, saved model        ${s3(cold.saved.median)}`);
console.log(`  ours, first-ever process ${s3(cold.first.median)} (profiles read, snapshot written)`);
console.log(`  npm langdetect           ${s3(cold.npm.median)}  -> ours/npm ${(cold.npm.median / cold.saved.median).toFixed(2)}× (saved), ${(cold.npm.median / cold.first.median).toFixed(2)}× (first-ever)`);
console.log(`  node -e 0 floor          ${s3(floor.median)}`);
