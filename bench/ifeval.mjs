// Speed of the whole IFEval scorer (strict + loose, all 25 checkers, Punkt, NLTK tokens, langdetect)
// over the 1,623 oracle responses and the 541 GPT-4 responses of ../shared/data/ifeval (2,164 in all).
// Run: npm run build && node --import tsx bench/ifeval.mjs [--reps 5]
// Figures are printed, never asserted. Three kinds, all measured in this run:
//   cold  `node dist/cli.js score --benchmark ifeval` on the 2,164 responses, a fresh process each time,
//         spawn to exit (bundle, Punkt, language profiles included; IFEval is scored in the CLI process):
//         median of --reps, with the cache folder a previous process filled, and first-ever (empty);
//   warm  the scorer in this process after its data is loaded (best of --reps passes);
//   baselines  the `node -e 0` start-up floor, always; the official Python scorer, whole process, when
//         IFEVAL_OFFICIAL_PARENT names the folder holding the official instruction_following_eval/
//         (google-research; not in this repository) and python3 (or IFEVAL_OFFICIAL_PYTHON) imports it
//         with nltk, langdetect, absl and immutabledict. When it cannot run, the bench says so.
// Target (issue 15): cold ≤ 0.1× the official scorer's whole-process time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseIfevalItem, scoreIfeval } from '../src/core/benchmarks/ifeval/index.ts';
import * as langdetect from '../src/core/benchmarks/ifeval/text/langdetect/index.ts';
import { PunktSentenceTokenizer, loadPunktParameters } from '../src/core/benchmarks/ifeval/text/punkt.ts';
import { loadNote, median, nodeFloor, requireBuiltCli, timeProcess } from './coldStart.mjs';

const TARGET_RATIO = 0.1;
let officialAbsentReason = 'IFEVAL_OFFICIAL_PARENT is not set';
const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1]) || 5;

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.join(process.env.EVALBENCH_SHARED_DATA ?? path.join(here, '..', '..', 'shared', 'data'), 'ifeval');
if (!fs.existsSync(path.join(dataDir, 'oracle_public.jsonl'))) {
  console.log(`reference data ABSENT: ${dataDir} (set EVALBENCH_SHARED_DATA); nothing to time`);
  process.exit(0);
}
const readJsonl = (file) =>
  fs.readFileSync(path.join(dataDir, file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

// Inputs are parsed before timing: the bench measures scoring, as the official evaluation loop does.
const itemByKey = new Map(readJsonl('input_data.jsonl').map((row, i) => {
  const data = parseIfevalItem(row, `input_data.jsonl:${i + 1}`);
  return [data.key, { id: String(data.key), data }];
}));
const oracle = readJsonl('oracle_public.jsonl').map((r) => ({ item: itemByKey.get(r.key), response: r.response }));
const gpt4Responses = new Map(readJsonl('input_response_data_gpt4_20231107_145030.jsonl').map((r) => [r.prompt, r.response]));
const gpt4 = readJsonl('input_data_gpt4_20231107_145030.jsonl').map((row, i) => {
  const data = parseIfevalItem(row, `gpt4:${i + 1}`);
  return { item: { id: String(data.key), data }, response: gpt4Responses.get(data.prompt) };
});

let t = performance.now();
const tokenizer = new PunktSentenceTokenizer(loadPunktParameters(path.join(dataDir, 'punkt_tab', 'english')));
const punktLoadS = (performance.now() - t) / 1000;
t = performance.now();
langdetect.languageModel();
const langLoadS = (performance.now() - t) / 1000;

function pass(rows) {
  // langdetect keeps recent answers; every pass starts without them, so repeats measure real work.
  langdetect.clearLanguageDetectionCache?.();
  let followed = 0;
  const start = performance.now();
  for (const { item, response } of rows) if (scoreIfeval(item, response, tokenizer).passed) followed++;
  return { seconds: (performance.now() - start) / 1000, followed };
}

const runs = [];
for (let r = 0; r < reps; r++) runs.push({ oracle: pass(oracle), gpt4: pass(gpt4) });
const first = runs[0];
const best = (key) => Math.min(...runs.map((run) => run[key].seconds));
const total = { cold: first.oracle.seconds + first.gpt4.seconds, best: best('oracle') + best('gpt4') };
const n = oracle.length + gpt4.length;

// Cold: the CLI as a user runs it, on the same 2,164 responses written as {"key", "response"} rows.
const cli = requireBuiltCli();
const coldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ifeval-cold-'));
let cold;
try {
  const rowsFile = path.join(coldDir, 'responses.jsonl');
  const rowsText = [...oracle, ...gpt4].map(({ item, response }) => JSON.stringify({ key: item.data.key, response })).join('\n');
  fs.writeFileSync(rowsFile, `${rowsText}\n`);
  // GPT-4's 541 prompts use its own input file's keys, which input_data.jsonl (the bundled dataset) also has.
  if (cli) {
    const score = (cacheDir) => timeProcess(process.execPath, [cli, 'score', '--benchmark', 'ifeval', '--responses', rowsFile, '--json', '--cache-dir', cacheDir], { reps: 1, cwd: coldDir }).median;
    // With the saved language model and code cache (every process after the first on a machine), and
    // first-ever (an empty cache folder each time: the profiles are read, the bundle compiled from its text,
    // and the snapshot and code cache written).
    const saved = path.join(coldDir, 'cache');
    score(saved);
    const withSaved = Array.from({ length: reps }, () => score(saved));
    const firstEver = Array.from({ length: reps }, (_, i) => score(path.join(coldDir, `fresh-${i}`)));
    cold = { median: median(withSaved), min: Math.min(...withSaved), runs: reps, firstEver: median(firstEver) };
  }
} finally {
  fs.rmSync(coldDir, { recursive: true, force: true });
}
const floor = nodeFloor(reps);
const python = measureOfficialPython();
const fmt = (s) => `${s.toFixed(3)} s`;

console.log(`IFEval scorer, strict + loose, ${os.cpus().length} cores, node ${process.version}, ${loadNote()}`);
console.log(`  load once: Punkt parameters ${fmt(punktLoadS)}, langdetect profiles ${fmt(langLoadS)} (not in the warm totals)`);
console.log(`  warm oracle  ${oracle.length} responses: first pass ${fmt(first.oracle.seconds)}, best ${fmt(best('oracle'))} (${Math.round(oracle.length / best('oracle'))} responses/s); ${first.oracle.followed} followed all (strict)`);
console.log(`  warm GPT-4   ${gpt4.length} responses: first pass ${fmt(first.gpt4.seconds)}, best ${fmt(best('gpt4'))} (${Math.round(gpt4.length / best('gpt4'))} responses/s); ${first.gpt4.followed} followed all (strict)`);
console.log(`  warm total   ${n} responses: best of ${reps} ${fmt(total.best)} (${Math.round(n / total.best)} responses/s), in-process, data loaded`);
if (cold) {
  console.log(`  COLD         ${n} responses: median ${fmt(cold.median)} (min ${fmt(cold.min)}, ${cold.runs} runs), whole process: node dist/cli.js score --benchmark ifeval --json`);
  console.log(`  COLD, first  ${n} responses: median ${fmt(cold.firstEver)} with an empty cache folder (langdetect profiles read, no code cache; both written)`);
}
console.log(`  baseline     node -e 0 start-up floor: median ${fmt(floor.median)} (${floor.runs} runs)`);
if (python) {
  console.log(`  baseline     official Python scorer, whole process (${python.runs} runs of 4 evaluation_main processes): median ${fmt(python.median)}`);
  if (cold) {
    const ratio = cold.median / python.median;
    console.log(`  target cold ≤ ${TARGET_RATIO}× official: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'} (cold is ${ratio.toFixed(3)}× the official scorer, first-ever ${(cold.firstEver / python.median).toFixed(3)}×; warm is ${(total.best / python.median).toFixed(3)}×)`);
  }
} else {
  console.log(`  baseline     official Python scorer: ABSENT here (${officialAbsentReason}); set IFEVAL_OFFICIAL_PARENT (and IFEVAL_OFFICIAL_PYTHON) to measure it. No ratio is printed without it.`);
}

/** Median seconds the official evaluation_main takes, whole process, on the same two sets, when it can run here. */
function measureOfficialPython() {
  const parent = process.env.IFEVAL_OFFICIAL_PARENT;
  if (!parent) return undefined;
  const python = process.env.IFEVAL_OFFICIAL_PYTHON ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import nltk, langdetect, absl, immutabledict, instruction_following_eval.evaluation_lib'], { cwd: parent });
  if (probe.status !== 0) {
    officialAbsentReason = `${python} cannot import it from ${parent}: ${String(probe.stderr).trim().split('\n').at(-1)}`;
    return undefined;
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ifeval-official-'));
  try {
    // The official code joins responses by prompt (last one wins), so the 3 oracle responses per
    // prompt go to 3 files, one run each.
    const files = [[], [], []];
    const seen = new Map();
    for (const r of oracle) {
      const k = seen.get(r.item.id) ?? 0;
      seen.set(r.item.id, k + 1);
      (files[k] ??= []).push(JSON.stringify({ prompt: r.item.data.prompt, response: r.response }));
    }
    const runs = files.map((lines, k) => {
      const file = path.join(out, `oracle_${k}.jsonl`);
      fs.writeFileSync(file, lines.join('\n'));
      return ['input_data.jsonl', file];
    });
    runs.push(['input_data_gpt4_20231107_145030.jsonl', path.join(dataDir, 'input_response_data_gpt4_20231107_145030.jsonl')]);
    const walls = [];
    for (let rep = 0; rep < Math.min(reps, 3); rep++) {
      const start = performance.now();
      for (const [inputs, responses] of runs) {
        const run = spawnSync(python, ['-m', 'instruction_following_eval.evaluation_main', `--input_data=${path.join(dataDir, inputs)}`, `--input_response_data=${responses}`, `--output_dir=${out}`], { cwd: parent });
        if (run.status !== 0) {
          officialAbsentReason = `evaluation_main failed: ${String(run.stderr).trim().split('\n').at(-1)}`;
          return undefined;
        }
      }
      walls.push((performance.now() - start) / 1000);
    }
    walls.sort((a, b) => a - b);
    return { median: walls[Math.floor(walls.length / 2)], runs: walls.length };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
