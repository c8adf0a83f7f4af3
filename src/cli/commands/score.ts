import { readJsonlFile } from '../../core/benchmarks/jsonl';
import { getBenchmarkDefinition, getOfflineAdapter, parseBenchmarkSpec } from '../../core/benchmarks/registry';
import type { BenchmarkItem, ItemScore, ScoredSample } from '../../core/benchmarks/types';
import { CancelledError, DatasetError, errorMessage } from '../../core/errors';
import { getMaxListeners, setMaxListeners } from 'node:events';
import * as path from 'node:path';
import { JudgeScoring } from '../../core/judge';
import { countOutcomes, denominatorText, finalRunStatus, isFinishedStatus, isJudged, isScoringFailureCause, sampleOutcome, scoringFailureCauseOf } from '../../core/outcome';
import { forEachInLanes } from '../../core/run/boundedLanes';
import { failureScore } from '../../core/run/failureScore';
import { CliScoring, IN_PROCESS_BENCHMARKS } from '../../core/scoring/inProcessScoring';
import { ScoringWorkerClient, type ScoringService } from '../../core/scoring/scoringWorkerClient';
import { locateScoringWorker } from '../../core/scoring/workerLocation';
import { RunStore } from '../../core/storage/runStore';
import { BENCHMARK_OPTIONS, BENCHMARK_OPTIONS_HELP, UsageError, benchmarkOptionsFrom, datasetPathFrom, defaultCacheDir, numberOption, parse, runRefFrom, runsDirFrom } from '../args';
import type { CliCommand, CliIo } from '../command';
import { formatMetric, table } from '../format';

const usage = `evalbench score --benchmark ID --responses FILE.jsonl [options]
evalbench score --run RUN [--runs-dir DIR]

Score responses without calling a model ("evaluate rows"), or rescore a stored run after a scorer change.
A row the scorer cannot judge (missing scorer data, a crash) is printed with "error" and null verdicts,
left out of the metrics, and makes the command exit 1. Rescoring a run records the scorer version.
  --benchmark ID         ifeval | humaneval | gsm8k | custom (custom:PATH.jsonl names its dataset)
  --responses FILE       JSONL rows: ifeval {"key", "response"}; humaneval {"task_id", "completion"}
                         (several rows per task_id are samples; scored exactly as given, like the
                         official harness) or {"task_id", "response"} (a chat reply: code is extracted);
                         gsm8k and custom {"id", "response"}
  --extract              humaneval: extract code from "completion" rows too (fences, prose)
${BENCHMARK_OPTIONS_HELP}
  --parallel N           rows handed to the scoring worker at once (default 256). It scores GSM8K
                         and custom rows one after another and runs HumanEval programs in its own
                         pool (one per core); a deep queue only keeps it from waiting for the next row.
                         IFEval rows are scored in this process, one after another, without a worker
  --json                 one JSON line per input row, in input order, then one line with the metrics
  --run RUN              rescore the stored responses of a run (id or .sqlite path) in place`;

const options = {
  ...BENCHMARK_OPTIONS,
  benchmark: { type: 'string' },
  responses: { type: 'string' },
  parallel: { type: 'string' },
  json: { type: 'boolean' },
  extract: { type: 'boolean' },
  run: { type: 'string' },
  out: { type: 'string' },
  'runs-dir': { type: 'string' },
} as const;

/** Rows handed to the scoring worker at once unless --parallel says otherwise (see run() below). */
const DEFAULT_IN_FLIGHT = 256;

export const scoreCommand: CliCommand = {
  name: 'score',
  summary: 'score a responses file, or rescore a stored run, without calling a model',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, options);
    const cacheDir = values['cache-dir'] ?? defaultCacheDir(io.env);
    const cliScoring = new CliScoring({
      cacheDir,
      worker: () => {
        const worker = locateScoringWorker();
        const client = new ScoringWorkerClient({ workerPath: worker.workerPath, execArgv: worker.execArgv, cacheDir, log: (level, m) => level !== 'info' && io.stderr.write(`${m}\n`) });
        // A worker that fails to start is reported by the first score request, so the ping's own error is not needed.
        client.ping().catch(() => {});
        return client;
      },
    });
    // Rescoring a judged run re-reads the judge's cached replies; only missing ones ask the judge.
    const scoring = new JudgeScoring(cliScoring, { apiKey: io.env.EVALBENCH_JUDGE_API_KEY, cacheDir: path.join(cacheDir, 'judge-cache') });
    // Deep by default: with 8 in flight the worker went idle between round trips (a cold IFEval score of the
    // 2,164 bench responses took 0.96 s at 8, 0.57 s at 256 on the 2-core box). The worker bounds real
    // concurrency itself, and a request's timeout counts from when it starts, not while it waits its turn.
    const parallel = numberOption(values.parallel, 'parallel', { integer: true, min: 1 }) ?? DEFAULT_IN_FLIGHT;
    // Each request in flight listens on the command's signal until it is answered.
    if (getMaxListeners(io.signal) < parallel + 16) setMaxListeners(parallel + 16, io.signal);
    try {
      // IFEval is scored in this process (see inProcessScoring.ts); any other benchmark, and a stored run whose
      // benchmark is not known yet, starts the worker now: it loads its code while this process reads the rows.
      // Inside the try, so the dispose below ends it also when the command stops on an error before scoring.
      if (!(values.benchmark && IN_PROCESS_BENCHMARKS.has(parseBenchmarkSpec(values.benchmark).id))) cliScoring.startWorker();
      if (values.run) return await rescoreRun(runRefFrom(values.run, io.cwd), runsDirFrom(values['runs-dir'] ?? values.out, io.cwd), scoring, parallel, io);
      return await scoreFile(values, scoring, parallel, io);
    } finally {
      await scoring.dispose();
    }
  },
};

type Values = ReturnType<typeof parse<typeof options>>['values'];

async function scoreFile(values: Values, scoring: ScoringService, parallel: number, io: CliIo): Promise<number> {
  if (!values.benchmark) throw new UsageError('--benchmark is required');
  if (!values.responses) throw new UsageError('--responses FILE.jsonl is required (or --run RUN to rescore a stored run)');
  const spec = parseBenchmarkSpec(values.benchmark);
  const benchmarkOptions = benchmarkOptionsFrom(values, [spec.id]);
  const definition = getBenchmarkDefinition(spec.id, benchmarkOptions);
  const adapter = getOfflineAdapter(spec.id);
  const dataset = await definition.loadDataset({ path: datasetPathFrom(values.dataset, spec, io.cwd), cacheDir: values['cache-dir'] ?? defaultCacheDir(io.env) }, io.signal);
  const byId = new Map(dataset.items.map((item) => [item.id, item]));

  // Read and check every row before scoring any, so a bad line stops the command before work is done.
  const rows: { item: BenchmarkItem; response: string; sampleIndex: number; options?: Record<string, unknown> }[] = [];
  const sampleCounts = new Map<string, number>();
  for (const { line, value } of readJsonlFile(values.responses, 'the responses file').lines) {
    const location = `${values.responses}:${line}`;
    const { itemId, response, options } = adapter.parseRow(value, location);
    const item = byId.get(itemId);
    if (!item) throw new DatasetError(`no ${spec.id} item '${itemId}' in ${dataset.origin}`, location);
    const sampleIndex = sampleCounts.get(itemId) ?? 0;
    sampleCounts.set(itemId, sampleIndex + 1);
    // --extract: raw completions get the extraction chat replies get (only when they hold a fence or prose).
    const rowOptions = values.extract && options?.promptMode === 'as_given' ? { ...options, promptMode: 'auto' } : options;
    rows.push({ item, response, sampleIndex, options: rowOptions });
  }
  // Nothing to score is a mistake in the command (the wrong file), not a run with a metric of 0.
  if (rows.length === 0) throw new DatasetError('the responses file has no rows', values.responses);

  const scores: (ItemScore | undefined)[] = new Array(rows.length);
  // Rows the scorer could not judge: their reason, printed instead of a verdict (never as a pass or a fail).
  const errors: (string | undefined)[] = new Array(rows.length);
  let nextToPrint = 0;
  const flushInOrder = () => {
    // The rows ready now leave in one write: one write per row was 2,164 system calls for the IFEval bench.
    let out = '';
    while (nextToPrint < rows.length && (scores[nextToPrint] || errors[nextToPrint] !== undefined)) {
      const row = rows[nextToPrint];
      const error = errors[nextToPrint];
      const line = error !== undefined
        ? adapter.formatError?.(row.item, error) ?? { id: row.item.id, passed: null, error }
        : adapter.formatRow(row.item, row.response, scores[nextToPrint]!);
      if (values.json) out += `${JSON.stringify(line)}\n`;
      else if (error !== undefined) io.stderr.write(`${row.item.id}: not scored: ${error}\n`);
      nextToPrint++;
    }
    if (out) io.stdout.write(out);
  };
  // Rows scored in this process finish one per microtask: printing waits for the next event-loop turn so a
  // burst of them is one write, and the output still streams (the scorer yields to the loop every few ms).
  let flushScheduled = false;
  const scheduleFlush = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      flushInOrder();
    });
  };
  await forEachInLanes(
    rows,
    parallel,
    async (row, index) => {
      try {
        scores[index] = await scoring.score({ benchmarkId: spec.id, item: row.item, response: row.response, options: { ...benchmarkOptions, ...row.options } }, io.signal);
      } catch (error) {
        if (io.signal.aborted) throw error;
        // One row the scorer cannot handle fails that row, with the reason, not the whole file.
        errors[index] = `scoring failed: ${(error as Error).message}`;
      }
      scheduleFlush();
    },
    { signal: io.signal },
  );
  flushInOrder();
  if (io.signal.aborted) throw new CancelledError('scoring interrupted');
  // Metrics are over the judged rows only; the rows that could not be scored are counted, not guessed.
  const scored: ScoredSample[] = [];
  rows.forEach((row, i) => scores[i] && scored.push({ itemId: row.item.id, sampleIndex: row.sampleIndex, score: scores[i]! }));
  const failed = errors.filter((e) => e !== undefined).length;
  const metrics = definition.aggregate(scored, new Set(scored.map((s) => s.itemId)).size);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({
      metrics: Object.fromEntries(metrics.map((m) => [m.name, m.value])),
      n: Object.fromEntries(metrics.map((m) => [m.name, m.n])),
      rows: rows.length,
      judged: scored.length,
      scoring_errors: failed,
    })}\n`);
  } else {
    const passed = scored.filter((s) => s.score.passed).length;
    const errorsText = failed ? `, ${failed} could not be scored (left out of the metrics)` : '';
    io.stdout.write(`${rows.length} rows: ${scored.length} judged, ${passed} passed${errorsText}\n\n${table(['metric', 'value', 'n'], metrics.map((m) => [m.label, formatMetric(m), String(m.n)]))}\n`);
  }
  if (failed > 0) io.stderr.write(`evalbench score: ${failed} of ${rows.length} rows could not be scored\n`);
  return failed > 0 ? 1 : 0;
}

async function rescoreRun(target: string, runsDir: string, scoring: ScoringService, parallel: number, io: CliIo): Promise<number> {
  const store = new RunStore(runsDir);
  const writer = await store.openWriter(target);
  try {
    const run = writer.run();
    const definition = getBenchmarkDefinition(run.config.benchmarkId, run.config.benchmarkOptions ?? {});
    const items = new Map(writer.items().map((item) => [item.id, item]));
    const samples = writer.samples().filter((s) => s.status === 'done' && s.response !== undefined);
    const fresh: ScoredSample[] = [];
    // Scores go to memory first and into the file only when every response was rescored: an interrupted or
    // failed rescore leaves the run exactly as it was, never half old and half new.
    await forEachInLanes(
      samples,
      parallel,
      async (sample) => {
        const item = items.get(sample.itemId)!;
        const benchmarkItem = { id: item.id, data: item.data };
        let score: ItemScore;
        try {
          score = await scoring.score({ benchmarkId: definition.id, item: benchmarkItem, response: sample.response!, truncated: sample.truncated, options: run.config.benchmarkOptions }, io.signal);
        } catch (error) {
          if (io.signal.aborted) throw error;
          // As in a run: the scorer failing on one reply is that sample's scoring error, not the end of the rescore.
          const reason = `scoring failed: ${errorMessage(error)}`;
          io.stderr.write(`evalbench score: item ${item.id}: ${reason}\n`);
          score = failureScore(definition, benchmarkItem, 'scoring', reason, scoringFailureCauseOf(error));
        }
        fresh.push({ itemId: sample.itemId, sampleIndex: sample.sampleIndex, score });
      },
      { signal: io.signal },
    ).catch((error) => {
      if (io.signal.aborted) throw new CancelledError('rescoring interrupted; the run was left unchanged');
      throw error;
    });
    if (io.signal.aborted) throw new CancelledError('rescoring interrupted; the run was left unchanged');
    for (const s of fresh) writer.setScore(s.itemId, s.sampleIndex, s.score);
    // Every stored reply now carries this scorer's verdict: the run says which version judged it, so a
    // resume under another version is refused instead of mixing verdicts (RunManager.reopen).
    const after = writer.samples();
    const judged: ScoredSample[] = after
      .filter((s) => s.score && isJudged(sampleOutcome(s)))
      .map((s) => ({ itemId: s.itemId, sampleIndex: s.sampleIndex, score: s.score! }));
    const metrics = definition.aggregate(judged, items.size);
    const counts = countOutcomes(after, items.size * run.config.samplesPerItem);
    const status = isFinishedStatus(run.status) ? finalRunStatus(counts) : run.status;
    writer.updateRun({ metrics, status, config: { ...run.config, benchmarkVersion: definition.version } });
    const versionNote = run.config.benchmarkVersion !== definition.version ? ` (was scored with v${run.config.benchmarkVersion})` : '';
    io.stdout.write(`rescored ${samples.length} responses of run ${run.id} with ${definition.id} v${definition.version}${versionNote}; metrics ${denominatorText(counts)}\n\n${table(['metric', 'before', 'after'], metrics.map((m) => {
      const before = run.metrics.find((b) => b.name === m.name);
      return [m.label, before ? formatMetric(before) : '--', formatMetric(m)];
    }))}\n`);
    const unscored = fresh.filter((s) => isScoringFailureCause(s.score.failureCause)).length;
    if (unscored > 0) io.stderr.write(`evalbench score: ${unscored} of ${samples.length} responses could not be scored (scoring errors, left out of the metrics)\n`);
    return unscored > 0 ? 1 : 0;
  } finally {
    await writer.close();
  }
}
