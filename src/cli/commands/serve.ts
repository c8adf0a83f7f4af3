import * as path from 'node:path';
import { normalizeBaseUrl } from '../../core/endpoint/baseUrl';
import { JudgeScoring } from '../../core/judge';
import { RunManager } from '../../core/run/runManager';
import { ScoringWorkerClient } from '../../core/scoring/scoringWorkerClient';
import { locateScoringWorker } from '../../core/scoring/workerLocation';
import { EvalApiServer } from '../../core/serve/evalApiServer';
import { RunStore } from '../../core/storage/runStore';
import { UsageError, defaultCacheDir, numberOption, parse, runsDirFrom } from '../args';
import type { CliCommand } from '../command';

const usage = `evalbench serve [--host HOST] [--port N] [--token TOKEN] [--base-url URL] [--endpoint MODEL=URL] [--out DIR]

Serve the Llama Stack v1alpha eval API over EvalBench's runs, for the official llama-stack-client:
GET/POST /v1alpha/eval/benchmarks, GET/DELETE /v1alpha/eval/benchmarks/{id},
POST …/{id}/evaluations (score given rows), POST …/{id}/jobs (run), GET/DELETE …/{id}/jobs/{job},
GET …/{id}/jobs/{job}/result. ifeval, humaneval and gsm8k are built in; a registered benchmark's
dataset_id is a custom JSONL file and its scoring function one of basic::equality, basic::subset_of,
a regex_parser (scoring_params parsing_regexes) or llm-as-judge (judge_model, prompt_template,
judge_score_regexes). Jobs are ordinary runs in DIR (evalbench list shows them); jobs cut short by a
restart are resumed when serve starts again.
  --host HOST            address to bind (default 127.0.0.1); any non-loopback address needs --token
  --port N               port (default 8321; 0 picks a free one)
  --token TOKEN          bearer token clients must send (or EVALBENCH_SERVE_TOKEN)
  --base-url URL         the OpenAI-compatible server that serves the candidate (and judge) models
  --endpoint MODEL=URL   a server for one model id (repeatable; wins over --base-url)
  --api-key KEY          key for those servers (or EVALBENCH_API_KEY)
  --out DIR              runs folder (default ./.evalbench/runs)
  --cache-dir DIR        data and judge cache (default ~/.cache/evalbench)`;

const options = {
  host: { type: 'string' },
  port: { type: 'string' },
  token: { type: 'string' },
  'base-url': { type: 'string' },
  endpoint: { type: 'string', multiple: true },
  'api-key': { type: 'string' },
  out: { type: 'string' },
  'runs-dir': { type: 'string' },
  'cache-dir': { type: 'string' },
} as const;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the Llama Stack eval API over EvalBench runs',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, options);
    const port = numberOption(values.port, 'port', { integer: true, min: 0, max: 65535 }) ?? 8321;
    if (values['base-url'] !== undefined) normalizeBaseUrl(values['base-url']); // a bad URL is refused now, not at the first job
    const models: Record<string, string> = {};
    for (const spec of values.endpoint ?? []) {
      const at = spec.indexOf('=');
      if (at < 1 || !/^https?:\/\//.test(spec.slice(at + 1))) throw new UsageError(`--endpoint must be MODEL=http://…; got '${spec}'`);
      models[spec.slice(0, at)] = spec.slice(at + 1);
    }
    const apiKey = values['api-key'] ?? io.env.EVALBENCH_API_KEY;
    const cacheDir = values['cache-dir'] ?? defaultCacheDir(io.env);
    const store = new RunStore(runsDirFrom(values.out ?? values['runs-dir'], io.cwd));
    const worker = locateScoringWorker();
    const log = (message: string) => io.stderr.write(`${message}\n`);
    const manager = new RunManager({ store, workerPath: worker.workerPath, workerExecArgv: worker.execArgv, cacheDir, judgeApiKey: apiKey, log: (level, m) => level !== 'info' && log(`${level}: ${m}`) });
    const scoring = new JudgeScoring(new ScoringWorkerClient({ workerPath: worker.workerPath, execArgv: worker.execArgv, cacheDir, log: (level, m) => level !== 'info' && log(m) }), {
      apiKey,
      cacheDir: path.join(cacheDir, 'judge-cache'),
    });
    let server: EvalApiServer | undefined;
    try {
      // Refuses here, before listening, a non-loopback host without a token and state files it cannot read.
      server = new EvalApiServer({
        store, manager, scoring, cacheDir, cwd: io.cwd, port, log,
        host: values.host ?? '127.0.0.1',
        token: values.token ?? io.env.EVALBENCH_SERVE_TOKEN,
        endpoints: { models, defaultBaseUrl: values['base-url'], apiKey },
      });
      const url = await server.listen();
      const resumed = await server.jobs.resumeUnfinished();
      io.stdout.write(`evalbench serve: Llama Stack eval API at ${url} (runs in ${store.runsDir})\n`);
      if (resumed.length > 0) io.stdout.write(`resumed ${resumed.length} job(s) cut short by the last stop: ${resumed.join(', ')}\n`);
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve();
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      return 0;
    } finally {
      await server?.close();
      await manager.dispose();
      await scoring.dispose();
    }
  },
};
