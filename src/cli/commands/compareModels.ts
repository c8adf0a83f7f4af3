import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBenchmarkSpec } from '../../core/benchmarks/registry';
import { compareRuns } from '../../core/compare/compareRuns';
import { computeDrift } from '../../core/compare/drift';
import { storeLoader } from '../../core/compare/runLoader';
import type { PromptMode } from '../../core/endpoint/types';
import { describeModelFile, formatParameterCount } from '../../core/modelFile/format';
import { RunManager } from '../../core/run/runManager';
import { locateScoringWorker } from '../../core/scoring/workerLocation';
import { splitCommandLine } from '../../core/servers/commandLine';
import { runModelComparison, type ComparedModel, type ModelComparisonResult } from '../../core/servers/modelComparison';
import type { ServerProfile } from '../../core/servers/types';
import { RunStore } from '../../core/storage/runStore';
import {
  BENCHMARK_OPTIONS, BENCHMARK_OPTIONS_HELP, SAMPLING_OPTIONS, UsageError, benchmarkOptionsFrom, datasetPathFrom, defaultCacheDir, numberOption, parse,
  runsDirFrom, samplingFrom,
} from '../args';
import type { CliCommand, CliIo } from '../command';
import { formatDrift } from '../driftReport';
import { ProgressBar } from '../progressBar';
import { formatComparison } from './compare';

const usage = `evalbench compare-models --server-cmd CMD --model-file A.gguf --model-file B.gguf --benchmark SPEC [options]
evalbench compare-models --profiles FILE.json --benchmark SPEC [options]

Start a model server for each model in turn, run the same benchmarks with the same settings on it, stop it,
then compare every model with the first (the baseline): metrics with confidence intervals, the model files'
quantization and size, and drift (identical replies, edit distance, first difference, |Δ logprob|).
All runs share one matrix id. A server never outlives the command, even when it is killed.

Servers:
  --server-cmd CMD       llama-server's path (default: llama-server on PATH), or a whole command line with
                         {port} and {model} placeholders, e.g. "my-server --port {port} --weights {model}"
                         (split into arguments, never run through a shell)
  --model-file FILE      a model file, repeat for each model (the first is the baseline)
  --profiles FILE        a JSON array of server profiles instead (llama.cpp, vllm, ollama, command), as in
                         the evalbench.servers setting
  --ctx-size N  --parallel N  --server-arg ARG (repeatable)   llama-server options
  --startup-timeout SECONDS  how long a model may take to load (default 600)
  --grace SECONDS        between SIGTERM and SIGKILL when stopping a server (default 5)
  --server-log           print the servers' output on stderr
  --side-by-side         run all models at once, each on its own server (when the machine holds them all)
Run (the same for every model):
  --benchmark SPEC       ifeval | humaneval | custom:PATH.jsonl (repeatable)
  --mode chat|completions  --limit N  --samples N  --concurrency N  --item-timeout SECONDS
  --no-logprobs          do not ask for token logprobs (drift then has no |Δ logprob|)
  --temperature T  --top-p P  --top-k K  --max-tokens N  --seed N  --stop STR   (default: greedy)
  --out DIR              runs folder (default ./.evalbench/runs; --runs-dir is the same)
  --json                 the result (runs, comparisons, drift) as JSON on stdout
  --allow-errors         exit 0 when a run ended "done with errors" (some requests failed or could not be
                         scored; its metrics are over the judged samples only)
Benchmark options:
${BENCHMARK_OPTIONS_HELP}

Exit codes: 0 every model ran to the end, 1 a server failed, a run failed, was cancelled or ended done with
errors (unless --allow-errors), 2 usage error.`;

const options = {
  ...BENCHMARK_OPTIONS,
  ...SAMPLING_OPTIONS,
  'server-cmd': { type: 'string' },
  'model-file': { type: 'string', multiple: true },
  profiles: { type: 'string' },
  'ctx-size': { type: 'string' },
  parallel: { type: 'string' },
  'server-arg': { type: 'string', multiple: true },
  'startup-timeout': { type: 'string' },
  grace: { type: 'string' },
  'server-log': { type: 'boolean' },
  'side-by-side': { type: 'boolean' },
  benchmark: { type: 'string', multiple: true },
  mode: { type: 'string' },
  limit: { type: 'string' },
  samples: { type: 'string' },
  concurrency: { type: 'string' },
  'item-timeout': { type: 'string' },
  'no-logprobs': { type: 'boolean' },
  out: { type: 'string' },
  'runs-dir': { type: 'string' },
  json: { type: 'boolean' },
  'allow-errors': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parse<typeof options>>['values'];

export const compareModelsCommand: CliCommand = {
  name: 'compare-models',
  summary: 'start a server per model file, run the same benchmarks on each, compare them (quantized vs full)',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, options);
    const profiles = profilesFrom(values, io.cwd);
    if (!values.benchmark?.length) throw new UsageError('--benchmark is required (ifeval, humaneval or custom:PATH.jsonl)');
    const mode = (values.mode ?? 'chat') as PromptMode;
    if (mode !== 'chat' && mode !== 'completions') throw new UsageError(`--mode must be chat or completions; got '${values.mode}'`);
    const specs = values.benchmark.map(parseBenchmarkSpec);
    const benchmarkOptions = benchmarkOptionsFrom(values, specs.map((s) => s.id));
    if (values.dataset !== undefined && specs.length > 1) throw new UsageError('--dataset goes with one --benchmark; give each its file as ifeval:PATH, custom:PATH…');
    const benchmarks = specs.map((parsed) => {
      return { id: parsed.id, datasetPath: datasetPathFrom(values.dataset, parsed, io.cwd), options: benchmarkOptions };
    });
    const itemTimeout = numberOption(values['item-timeout'], 'item-timeout', { min: 1 });
    const startup = numberOption(values['startup-timeout'], 'startup-timeout', { min: 1 });
    const grace = numberOption(values.grace, 'grace', { min: 0 });
    const runsDir = runsDirFrom(values.out ?? values['runs-dir'], io.cwd);
    const worker = locateScoringWorker();
    const manager = new RunManager({
      store: new RunStore(runsDir),
      workerPath: worker.workerPath,
      workerExecArgv: worker.execArgv,
      cacheDir: values['cache-dir'] ?? defaultCacheDir(io.env),
      log: (level, message) => {
        if (level !== 'info') io.stderr.write(`${level}: ${message}\n`);
      },
    });
    let result: ModelComparisonResult;
    try {
      result = await runModelComparison(
        {
          profiles,
          benchmarks,
          mode,
          sampling: samplingFrom(values),
          samplesPerItem: numberOption(values.samples, 'samples', { integer: true, min: 1 }),
          limit: numberOption(values.limit, 'limit', { integer: true, min: 1 }),
          concurrency: numberOption(values.concurrency, 'concurrency', { integer: true, min: 1 }),
          itemTimeoutMs: itemTimeout !== undefined ? itemTimeout * 1000 : undefined,
          logprobs: !values['no-logprobs'],
          sideBySide: values['side-by-side'],
        },
        {
          manager,
          signal: io.signal,
          server: {
            env: io.env,
            ...(startup !== undefined ? { startupTimeoutMs: startup * 1000 } : {}),
            ...(grace !== undefined ? { graceMs: grace * 1000 } : {}),
            ...(values['server-log'] ? { log: (line: string) => io.stderr.write(`  | ${line}\n`) } : {}),
          },
          onEvent: (event) => {
            if (event.type === 'status') {
              io.stderr.write(`[${event.model + 1}/${profiles.length} ${event.label}] ${event.message}\n`);
              return;
            }
            const bar = new ProgressBar(io.stderr as CliIo['stdout'], `${event.label} ${event.benchmarkId}`);
            const sub = event.handle.onProgress((p) => bar.update(p));
            void event.handle.done.finally(() => {
              sub.dispose();
              bar.end();
            });
          },
        },
      );
    } finally {
      await manager.dispose();
    }
    const report = await buildReport(result, runsDir);
    if (values.json) io.stdout.write(`${JSON.stringify(report.json, null, 2)}\n`);
    else io.stdout.write(`${report.text}\n`);
    // A run done with errors has metrics over fewer samples than asked: as for `run`, say so, and fail unless allowed.
    for (const r of result.models.flatMap((m) => m.runs)) {
      if (r.status !== 'done_with_errors') continue;
      io.stderr.write(`${r.id}: done with errors; its metrics are over the judged samples only${values['allow-errors'] ? '' : ' (--allow-errors to exit 0)'}\n`);
    }
    const finished = (status: string) => status === 'done' || (status === 'done_with_errors' && Boolean(values['allow-errors']));
    const allDone = !result.cancelled && result.models.every((m) => !m.error && m.runs.length === benchmarks.length && m.runs.every((r) => finished(r.status)));
    return allDone ? 0 : 1;
  },
};

/** Profiles from --profiles, or one llama.cpp / command profile per --model-file. */
function profilesFrom(values: Values, cwd: string): ServerProfile[] {
  if (values.profiles) {
    if (values['model-file']?.length) throw new UsageError('give either --profiles or --model-file, not both');
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(path.resolve(cwd, values.profiles), 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot read --profiles ${values.profiles}: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed) || parsed.length < 2) throw new UsageError('--profiles must hold a JSON array of at least two server profiles');
    return parsed.map((p, i) => checkProfile(p, i));
  }
  const files = (values['model-file'] ?? []).map((f) => path.resolve(cwd, f));
  if (files.length < 2) throw new UsageError('give at least two --model-file (the first is the baseline)');
  const commandLine = values['server-cmd'] ? splitCommandLine(values['server-cmd']) : ['llama-server'];
  if (commandLine.length === 0) throw new UsageError('--server-cmd is empty');
  const templated = commandLine.some((arg) => arg.includes('{port}'));
  if (!templated && commandLine.length > 1) {
    throw new UsageError('--server-cmd with arguments must contain {port} (and {model}); or give only the llama-server path and use --server-arg');
  }
  const ctxSize = numberOption(values['ctx-size'], 'ctx-size', { integer: true, min: 1 });
  const parallel = numberOption(values.parallel, 'parallel', { integer: true, min: 1 });
  return files.map((modelFile): ServerProfile => templated
    ? { kind: 'command', command: [...commandLine, ...(values['server-arg'] ?? [])], model: modelFile }
    : { kind: 'llama.cpp', binary: binaryPath(commandLine[0], cwd), modelFile, ctxSize, parallel, extraArgs: values['server-arg'] });
}

/** A path given relative to where the command ran is stored absolute, so a resume from elsewhere finds it. */
function binaryPath(command: string, cwd: string): string {
  return command.includes('/') ? path.resolve(cwd, command) : command;
}

function checkProfile(value: unknown, index: number): ServerProfile {
  const p = value as ServerProfile;
  const where = `--profiles entry ${index + 1}`;
  if (!p || typeof p !== 'object') throw new UsageError(`${where} is not an object`);
  switch (p.kind) {
    case 'llama.cpp':
      if (typeof p.modelFile !== 'string') throw new UsageError(`${where}: llama.cpp needs "modelFile"`);
      return p;
    case 'vllm':
    case 'ollama':
      if (typeof p.model !== 'string') throw new UsageError(`${where}: ${p.kind} needs "model"`);
      return p;
    case 'command':
      if (!Array.isArray(p.command) || !p.command.every((a) => typeof a === 'string')) throw new UsageError(`${where}: command needs "command", an array of strings`);
      return p;
    default:
      throw new UsageError(`${where}: "kind" must be llama.cpp, vllm, ollama or command`);
  }
}

function modelLine(model: ComparedModel, index: number): string {
  const f = model.modelFile;
  const facts = f
    ? `${describeModelFile(f)}${f.architecture ? `, ${f.architecture}` : ''}, ${formatParameterCount(f.parameterCount)} parameters${f.contextLength ? `, context ${f.contextLength}` : ''}`
    : model.profile.kind;
  const role = index === 0 ? 'baseline' : `model ${index + 1}`;
  return `${role}: ${model.label} (${facts})${model.error ? `\n  ! ${model.error}` : ''}`;
}

async function buildReport(result: ModelComparisonResult, runsDir: string): Promise<{ text: string; json: unknown }> {
  const load = storeLoader(runsDir);
  const lines: string[] = [`matrix ${result.matrixId}${result.cancelled ? ' (cancelled)' : ''}`, ''];
  result.models.forEach((m, i) => lines.push(modelLine(m, i)));
  const comparisons: unknown[] = [];
  const [baseline, ...others] = result.models;
  for (const other of others) {
    for (const runB of other.runs) {
      const runA = baseline.runs.find((r) => r.config.benchmarkId === runB.config.benchmarkId && r.config.datasetSha256 === runB.config.datasetSha256);
      if (!runA) continue;
      const [a, b] = await Promise.all([load(runA.id), load(runB.id)]);
      const comparison = compareRuns(a, b);
      const drift = computeDrift(a, b);
      const { items: _perItem, ...driftSummary } = drift;
      comparisons.push({ a: runA.id, b: runB.id, benchmarkId: runB.config.benchmarkId, comparison, drift: driftSummary });
      const facts = [a, b].map((d) => (d.run.config.modelFile ? describeModelFile(d.run.config.modelFile) : d.run.config.endpoint.model));
      lines.push('', `== ${runB.config.benchmarkId}: ${baseline.label} (${facts[0]}) vs ${other.label} (${facts[1]}) ==`, '');
      lines.push(formatComparison(comparison), '', formatDrift(drift));
    }
  }
  const runIds = result.models.flatMap((m) => m.runs.map((r) => r.id));
  lines.push('', `runs stored in ${runsDir}: ${runIds.join(', ') || 'none'}`);
  return {
    text: lines.join('\n'),
    json: {
      matrixId: result.matrixId,
      cancelled: result.cancelled,
      models: result.models.map((m) => ({ label: m.label, profile: m.profile, modelFile: m.modelFile, runs: m.runs.map((r) => ({ id: r.id, status: r.status, benchmarkId: r.config.benchmarkId, metrics: r.metrics })), error: m.error })),
      comparisons,
    },
  };
}
