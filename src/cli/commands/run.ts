import { parseBenchmarkSpec } from '../../core/benchmarks/registry';
import { normalizeBaseUrl } from '../../core/endpoint/baseUrl';
import type { EndpointConfig, PromptMode } from '../../core/endpoint/types';
import { errorText, headlineText, judgedCount, type OutcomeCounts } from '../../core/outcome';
import { RunManager } from '../../core/run/runManager';
import { ManagedServer } from '../../core/servers/managedServer';
import type { RunHandle } from '../../core/run/types';
import { locateScoringWorker } from '../../core/scoring/workerLocation';
import { RunStore } from '../../core/storage/runStore';
import { BENCHMARK_OPTIONS, BENCHMARK_OPTIONS_HELP, SAMPLING_OPTIONS, UsageError, benchmarkOptionsFrom, datasetPathFrom, defaultCacheDir, numberOption, parse, runRefFrom, runsDirFrom, samplingFrom } from '../args';
import type { CliCommand, CliIo } from '../command';
import { JUDGE_OPTIONS, JUDGE_OPTIONS_HELP, judgeFrom } from '../judgeOptions';
import { ProgressBar } from '../progressBar';
import { describeRun } from '../runReport';

const usage = `evalbench run --base-url URL --model ID --benchmark SPEC [options]
evalbench run --resume RUN | --rerun-failed RUN [--base-url URL] [--out DIR]

Ask a model every item of a benchmark, score the replies, and store the run in DIR/<run-id>.sqlite.
A resume or rerun keeps the run's stored settings: only --api-key, --request-timeout, --retries,
--max-response-mb, --stream and the output flags apply; the others are refused. It checks the server
first (reachable, serving the run's model); --base-url points it at the server's new address, which must
serve the same model (and the same model file, where the server names it).

Benchmark SPEC: ifeval | humaneval | gsm8k | custom:PATH.jsonl   (ifeval:PATH / humaneval:PATH / gsm8k:PATH use a local dataset file)

Endpoint:
  --base-url URL         OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (repeat for a model matrix)
  --replica URL          another server with the same model (repeatable): requests spread over all, least busy first
  --model ID             model id as the server names it (repeat: one per --base-url, or several on one URL)
  --mode chat|completions  prompt mode (default chat)
  --api-key KEY          or set EVALBENCH_API_KEY (OPENAI_API_KEY is never sent)
Run:
  --samples N            samples per item (default 1; temperature 0.8 unless given)
  --limit N              only the first N items
  --concurrency N        requests in flight per endpoint (default: the server's slots, else 4)
  --item-timeout SECONDS wall-clock cap per sample, retries included (default 600)
  --request-timeout SECONDS  cap per HTTP attempt (default 300)
  --retries N            retries on connection errors, 408, 429, 5xx (default 4)
  --max-response-mb N    largest reply accepted, in MB (default 16); a bigger one fails its item
  --stream               stream replies (records time to first token)
  --logprobs             ask for and store the chosen tokens' log-probabilities (drift between models)
  --out DIR              runs folder (default ./.evalbench/runs; --runs-dir is the same)
Sampling (defaults suit evals: temperature 0):
  --temperature T  --top-p P  --top-k K  --max-tokens N  --seed N  --stop STR (repeatable)
Benchmark options:
${BENCHMARK_OPTIONS_HELP}
LLM judge (custom rows with "scorer": "judge"):
${JUDGE_OPTIONS_HELP}
Output:
  --json                 print the final run record as JSON on stdout
  --fail-under SCORE     exit 1 when the headline metric is below SCORE (0–1)
  --allow-errors         exit 0 for a run that ended "done with errors" (some requests failed or
                         some replies could not be scored; the metrics leave those samples out)

Exit codes: 0 done, 1 run failed/cancelled, done with errors (unless --allow-errors) or below
--fail-under, 2 usage error.`;

const options = {
  ...BENCHMARK_OPTIONS,
  ...JUDGE_OPTIONS,
  'base-url': { type: 'string', multiple: true },
  replica: { type: 'string', multiple: true },
  model: { type: 'string', multiple: true },
  mode: { type: 'string' },
  'api-key': { type: 'string' },
  benchmark: { type: 'string' },
  samples: { type: 'string' },
  limit: { type: 'string' },
  concurrency: { type: 'string' },
  'item-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  retries: { type: 'string' },
  'max-response-mb': { type: 'string' },
  stream: { type: 'boolean' },
  logprobs: { type: 'boolean' },
  out: { type: 'string' },
  'runs-dir': { type: 'string' },
  ...SAMPLING_OPTIONS,
  json: { type: 'boolean' },
  'fail-under': { type: 'string' },
  'allow-errors': { type: 'boolean' },
  resume: { type: 'string' },
  'rerun-failed': { type: 'string' },
} as const;

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a benchmark against one or more model endpoints',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, options);
    refuseSettingsOnResume(values);
    const store = new RunStore(runsDirFrom(values.out ?? values['runs-dir'], io.cwd));
    const worker = locateScoringWorker();
    // Never OPENAI_API_KEY: that key belongs to OpenAI, not to the server under test.
    const apiKey = values['api-key'] ?? io.env.EVALBENCH_API_KEY;
    const requestTimeout = numberOption(values['request-timeout'], 'request-timeout', { min: 1 });
    // A fraction like the metrics: 50 (meant as percent) would fail every run after doing all its work.
    const failUnder = numberOption(values['fail-under'], 'fail-under', { min: 0, max: 1 });
    const retries = numberOption(values.retries, 'retries', { integer: true, min: 0 });
    const maxResponseMb = numberOption(values['max-response-mb'], 'max-response-mb', { min: 1 });
    const manager = new RunManager({
      store,
      workerPath: worker.workerPath,
      workerExecArgv: worker.execArgv,
      cacheDir: values['cache-dir'] ?? defaultCacheDir(io.env),
      stream: values.stream,
      judgeApiKey: values['judge-api-key'] ?? io.env.EVALBENCH_JUDGE_API_KEY,
      clientOptions: {
        ...(requestTimeout !== undefined ? { requestTimeoutMs: requestTimeout * 1000 } : {}),
        ...(maxResponseMb !== undefined ? { maxResponseBytes: Math.round(maxResponseMb * 1024 * 1024) } : {}),
        ...(retries !== undefined ? { retry: { maxRetries: retries, baseDelayMs: 500, maxDelayMs: 30_000 } } : {}),
      },
      log: (level, message) => {
        if (level !== 'info') io.stderr.write(`${level}: ${message}\n`);
      },
    });
    // A run whose server EvalBench started (compare-models) gets its server started again for the resume.
    let server: ManagedServer | undefined;
    try {
      let handles: RunHandle[];
      if (values.resume || values['rerun-failed']) {
        const target = runRefFrom((values.resume ?? values['rerun-failed'])!, io.cwd);
        const moved = values['base-url']?.[0];
        // A server EvalBench started for the run (compare-models) is started again, unless the user names one.
        if (!moved) server = await startStoredServer(store, target, io);
        const reopen = { apiKey, ...(moved ? { baseUrl: moved } : server ? { baseUrl: server.baseUrl } : {}) };
        handles = [values.resume ? await manager.resume(target, reopen) : await manager.rerunFailed(target, reopen)];
      } else {
        handles = await manager.start(buildRequest(values, apiKey, io.cwd), io.signal);
      }
      const onAbort = () => {
        for (const h of handles) {
          io.stderr.write(`run ${h.runId}: stopping; resume it with evalbench run --resume ${h.runId}${values.out ?? values['runs-dir'] ? ` --out ${store.runsDir}` : ''}\n`);
          h.cancel();
        }
      };
      io.signal.addEventListener('abort', onAbort, { once: true });
      if (io.signal.aborted) onAbort(); // Ctrl-C while the run was starting
      const records = await Promise.all(
        handles.map(async (handle) => {
          const file = handle.file;
          const bar = new ProgressBar(io.stderr as CliIo['stdout'], handles.length > 1 ? handle.runId : 'run');
          const sub = handle.onProgress((p) => bar.update(p));
          const record = await handle.done;
          sub.dispose();
          bar.end();
          return { ...record, file };
        }),
      );
      io.signal.removeEventListener('abort', onAbort);
      let exit = 0;
      const reports = [];
      for (const record of records) {
        // By its file: a run resumed by path may live outside this command's runs folder.
        const reader = await store.openReader(record.file);
        let counts: OutcomeCounts;
        try {
          const samples = reader.samples();
          if (values.json) reports.push({ ...record, file: reader.file, counts: reader.summary().counts });
          else io.stdout.write(`${describeRun(record, samples, reader.summary().counts, { resumeArgs: `${record.id}${values.out ?? values['runs-dir'] ? ` --out ${store.runsDir}` : ''}` })}\n\nstored in ${reader.file}\n\n`);
          counts = reader.summary().counts;
        } finally {
          reader.close();
        }
        if (record.status === 'done_with_errors') {
          io.stderr.write(`${record.id}: done with errors (${errorText(counts)}); metrics are over ${judgedCount(counts)} judged samples${values['allow-errors'] ? '' : ' (--allow-errors to exit 0)'}\n`);
          if (!values['allow-errors']) exit = 1;
        } else if (record.status !== 'done') exit = 1;
        if (judgedCount(counts) === 0 && counts.scoring_error === 0) {
          io.stderr.write(`${record.id}: no item got a reply from the server; see evalbench show ${record.id}\n`);
          exit = 1;
        }
        const headline = record.metrics[0];
        if (failUnder !== undefined && judgedCount(counts) === 0) {
          // No verdict, no score: the gate cannot pass, and 0 would be a made-up figure.
          io.stderr.write(`${record.id}: --fail-under ${failUnder} not decided: ${headlineText(headline, counts)}; the gate fails\n`);
          exit = 1;
        } else if (failUnder !== undefined && headline && headline.value < failUnder) {
          io.stderr.write(`${record.id}: ${headline.label} ${headlineText(headline, counts)} is below --fail-under ${failUnder}\n`);
          exit = 1;
        }
      }
      if (values.json) io.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
      return exit;
    } finally {
      await manager.dispose();
      await server?.stop();
    }
  },
};

/** Starts the server a run was made with, when EvalBench started it (the stored profile); else nothing. */
async function startStoredServer(store: RunStore, runIdOrFile: string, io: CliIo): Promise<ManagedServer | undefined> {
  const reader = await store.openReader(runIdOrFile);
  let profile;
  try {
    profile = reader.run().config.server;
  } finally {
    reader.close();
  }
  if (!profile) return undefined;
  return ManagedServer.start(profile, { signal: io.signal, env: io.env, onStatus: (message) => io.stderr.write(`${message}\n`) });
}

type Values = ReturnType<typeof parse<typeof options>>['values'];

/** What a resume or rerun may set: how this process talks to the server and reports; the rest is stored in the run. */
const RESUME_FLAGS = new Set([
  'resume', 'rerun-failed', 'base-url', 'api-key', 'judge-api-key', 'request-timeout', 'retries', 'max-response-mb', 'stream',
  'out', 'runs-dir', 'cache-dir', 'json', 'fail-under', 'allow-errors',
]);

/** A flag that would change a stored run (`--concurrency 8` on a resume) is refused, never silently ignored. */
function refuseSettingsOnResume(values: Values): void {
  const mode = values.resume !== undefined ? '--resume' : values['rerun-failed'] !== undefined ? '--rerun-failed' : undefined;
  if (!mode) return;
  if (values.resume !== undefined && values['rerun-failed'] !== undefined) throw new UsageError('give --resume or --rerun-failed, not both');
  if ((values['base-url']?.length ?? 0) > 1) throw new UsageError(`${mode} takes one --base-url: the server's new address`);
  if (values['base-url']?.length) normalizeBaseUrl(values['base-url'][0]); // a bad URL is an input error now, not a failed probe later
  const refused = Object.keys(values).filter((name) => values[name as keyof Values] !== undefined && !RESUME_FLAGS.has(name));
  if (refused.length > 0) {
    throw new UsageError(
      `${mode} continues the run with its stored settings; ${refused.map((f) => `--${f}`).join(', ')} cannot change them (start a new run to use other settings)`,
    );
  }
}

function buildRequest(values: Values, apiKey: string | undefined, cwd: string) {
  if (!values.benchmark) throw new UsageError('--benchmark is required (ifeval, humaneval, gsm8k or custom:PATH.jsonl)');
  const urls = values['base-url'] ?? [];
  const models = values.model ?? [];
  if (urls.length === 0) throw new UsageError('--base-url is required');
  if (models.length === 0) throw new UsageError('--model is required');
  if (urls.length > 1 && urls.length !== models.length) throw new UsageError('give one --model per --base-url, or one --base-url for several --model');
  const mode = (values.mode ?? 'chat') as PromptMode;
  if (mode !== 'chat' && mode !== 'completions') throw new UsageError(`--mode must be chat or completions; got '${values.mode}'`);
  const replicas = values.replica ?? [];
  if (replicas.length > 0 && (urls.length > 1 || models.length > 1)) throw new UsageError('--replica goes with one --base-url and one --model');
  const endpoints: EndpointConfig[] = models.map((model, i) => ({ baseUrl: urls[urls.length === 1 ? 0 : i], model, mode, apiKey, ...(replicas.length ? { replicas } : {}) }));

  const sampling = samplingFrom(values);

  const spec = parseBenchmarkSpec(values.benchmark);
  const benchmarkOptions = benchmarkOptionsFrom(values, [spec.id]);
  const judge = judgeFrom(values, cwd);
  if (judge) benchmarkOptions.judge = judge;
  const itemTimeout = numberOption(values['item-timeout'], 'item-timeout', { min: 1 });
  return {
    benchmark: { id: spec.id, datasetPath: datasetPathFrom(values.dataset, spec, cwd), options: benchmarkOptions },
    endpoints,
    sampling,
    samplesPerItem: numberOption(values.samples, 'samples', { integer: true, min: 1 }),
    limit: numberOption(values.limit, 'limit', { integer: true, min: 1 }),
    concurrency: numberOption(values.concurrency, 'concurrency', { integer: true, min: 1 }),
    itemTimeoutMs: itemTimeout !== undefined ? itemTimeout * 1000 : undefined,
    logprobs: values.logprobs,
  };
}
