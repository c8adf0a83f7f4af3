/**
 * `evalbench serve`: the Llama Stack v1alpha eval API over EvalBench's runs, as the official
 * `llama-stack-client` calls it. Loopback by default; bound to any other address it requires a
 * bearer token. Errors are an HTTP status with a JSON `detail`: 404 for unknown benchmarks and jobs,
 * 400 for bad configs, 409 for the result of a job that has not completed.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { getBenchmarkDefinition, getOfflineAdapter } from '../benchmarks/registry';
import type { BenchmarkItem, ItemScore } from '../benchmarks/types';
import { ConfigError, DatasetError, NotARunFileError, RunNotFoundError, errorMessage } from '../errors';
import { prepareJudge, type JudgeConfig } from '../judge';
import type { RunManager } from '../run/runManager';
import type { ScoringService } from '../scoring/scoringWorkerClient';
import type { RunStore } from '../storage/runStore';
import { countOutcomes } from '../outcome';
import { aggregatedAccuracy } from './aggregate';
import { ApiError } from './apiError';
import { runRequestFor, scoringOptions, type EndpointMap } from './candidate';
import { EvalBenchmarks } from './evalBenchmarks';
import { EvalJobs } from './evalJobs';

export interface EvalApiOptions {
  store: RunStore;
  manager: RunManager;
  /** Scores given rows (POST …/evaluations); the worker behind the judge. */
  scoring: ScoringService;
  endpoints: EndpointMap;
  cacheDir: string;
  cwd: string;
  host?: string;
  port?: number;
  /** Required when `host` is not a loopback address. */
  token?: string;
  log?: (message: string) => void;
}

const MAX_BODY = 32 * 1024 * 1024;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export class EvalApiServer {
  readonly benchmarks: EvalBenchmarks;
  readonly jobs: EvalJobs;
  private server: http.Server | undefined;

  constructor(private readonly options: EvalApiOptions) {
    const host = options.host ?? '127.0.0.1';
    if (!isLoopback(host) && !options.token) throw new ConfigError(`binding to ${host} (not loopback) needs a bearer token: --token TOKEN or EVALBENCH_SERVE_TOKEN`);
    this.benchmarks = new EvalBenchmarks(options.store.runsDir, options.cwd);
    this.jobs = new EvalJobs(options.store, options.manager, options.log);
  }

  /** Listen; resolves with the base URL (http://host:port). */
  async listen(): Promise<string> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    this.server = server;
    const port = this.options.port ?? 8321;
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        // The address is the user's choice: one in use or not of this machine is said plainly (exit 2), no stack.
        const why = error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'ENOTFOUND' || error.code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : errorMessage(error);
        reject(new ConfigError(`cannot listen on ${host}:${port}: ${why} (${error.code ?? 'error'})`));
      });
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${shown}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      this.authorize(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const parts = url.pathname.split('/').filter(Boolean).map(decodePart);
      if (parts[0] !== 'v1alpha' || parts[1] !== 'eval' || parts[2] !== 'benchmarks') throw new ApiError(404, `no route ${req.method} ${url.pathname}`);
      const [id, sub, jobId, tail] = parts.slice(3);
      const method = req.method ?? 'GET';
      const body = method === 'POST' ? await readJson(req) : undefined;
      const route = `${method} ${[id ? ':id' : '', sub ?? '', jobId ? ':job' : '', tail ?? ''].filter(Boolean).join('/')}`;
      switch (route) {
        case 'GET ':
          return send(res, 200, { data: this.benchmarks.list() });
        case 'POST ':
          this.benchmarks.register(body as Record<string, unknown>);
          return send(res, 200, null);
        case 'GET :id':
          return send(res, 200, this.benchmarks.get(id));
        case 'DELETE :id':
          this.benchmarks.unregister(id);
          return send(res, 200, null);
        case 'POST :id/evaluations':
          return send(res, 200, await this.evaluateRows(id, body));
        case 'POST :id/jobs': {
          const benchmark = this.benchmarks.get(id);
          const jobId = await this.jobs.start(id, benchmark.scoring_functions, runRequestFor(benchmark, body, this.options.endpoints));
          return send(res, 200, await this.jobs.view(id, jobId));
        }
        case 'GET :id/jobs/:job':
          this.benchmarks.get(id);
          return send(res, 200, await this.jobs.view(id, jobId));
        case 'DELETE :id/jobs/:job':
          await this.jobs.cancel(id, jobId);
          return send(res, 200, null);
        case 'GET :id/jobs/:job/result':
          return send(res, 200, await this.jobs.result(id, jobId));
        default:
          throw new ApiError(404, `no route ${method} ${url.pathname}`);
      }
    } catch (error) {
      if (error instanceof ApiError) return send(res, error.status, { detail: error.detail });
      // What the request named or sent is wrong (a run that is gone, a dataset line, a setting): the client's to fix.
      if (error instanceof RunNotFoundError) return send(res, 404, { detail: errorMessage(error) });
      if (error instanceof DatasetError || error instanceof ConfigError || error instanceof NotARunFileError) return send(res, 400, { detail: errorMessage(error) });
      this.options.log?.(`serve: ${req.method} ${req.url}: ${errorMessage(error)}`);
      return send(res, 500, { detail: errorMessage(error) });
    }
  }

  private authorize(req: http.IncomingMessage): void {
    const token = this.options.token;
    if (!token) return;
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ApiError(401, 'a valid bearer token is required (Authorization: Bearer TOKEN)');
  }

  /** Score the given rows (`generated_answer`) without asking any model. */
  private async evaluateRows(id: string, body: unknown): Promise<{ generations: Record<string, unknown>[]; scores: Record<string, unknown> }> {
    const benchmark = this.benchmarks.get(id);
    const b = (body ?? {}) as Record<string, any>;
    if (!Array.isArray(b.input_rows)) throw new ApiError(400, 'input_rows must be a list of rows');
    if (b.scoring_functions !== undefined && (!Array.isArray(b.scoring_functions) || b.scoring_functions.some((f: unknown) => typeof f !== 'string'))) {
      throw new ApiError(400, 'scoring_functions must be a list of names');
    }
    const functions: string[] = Array.isArray(b.scoring_functions) && b.scoring_functions.length > 0 ? b.scoring_functions : benchmark.scoring_functions;
    const builtIn = benchmark.metadata.built_in === true;
    const options = builtIn ? {} : scoringOptions({ ...benchmark, scoring_functions: functions }, b.benchmark_config?.scoring_params, this.options.endpoints);
    // A judge is resolved (template, scale, grade regexes) and probed once, as a job's is (RunManager); a judge
    // that cannot be reached or does not serve the model is the request's error (400), not every row's.
    if (options.judge) options.judge = await prepareJudge(options.judge as Partial<JudgeConfig>, { apiKey: this.options.endpoints.apiKey });
    const benchmarkId = builtIn ? benchmark.identifier : 'custom';
    let items: Map<string, BenchmarkItem> | undefined;
    if (builtIn) {
      const dataset = await getBenchmarkDefinition(benchmarkId).loadDataset({ cacheDir: this.options.cacheDir });
      items = new Map(dataset.items.map((item) => [item.id, item]));
    }
    const rows = b.input_rows as Record<string, unknown>[];
    const scored = await Promise.all(
      rows.map(async (row, index) => {
        const where = `input_rows[${index}]`;
        if (typeof row?.generated_answer !== 'string') throw new ApiError(400, `${where}: generated_answer must be a string`);
        let item: BenchmarkItem;
        if (items) {
          const { itemId } = getOfflineAdapter(benchmarkId).parseRow({ ...row, response: row.generated_answer, completion: row.generated_answer }, where);
          const found = items.get(itemId);
          if (!found) throw new ApiError(400, `${where}: no ${benchmarkId} item '${itemId}'`);
          item = found;
        } else {
          if (typeof row.input_query !== 'string') throw new ApiError(400, `${where}: input_query must be a string`);
          const expected = row.expected_answer;
          item = {
            id: String(row.id ?? index),
            data: { prompt: row.input_query, expected: expected === undefined ? [] : Array.isArray(expected) ? expected.map(String) : [String(expected)], scorer: options.scorer, ignoreCase: false, ...(typeof row.rubric === 'string' ? { rubric: row.rubric } : {}), ...(typeof expected === 'string' ? { reference: expected } : {}) },
          };
        }
        let score: ItemScore | undefined;
        let error: string | undefined;
        try {
          score = await this.options.scoring.score({ benchmarkId, item, response: row.generated_answer, options });
        } catch (e) {
          error = errorMessage(e);
        }
        return { item, row, score, error };
      }),
    );
    const scoreRows = scored.map(({ score, error }) => ({
      score: score ? score.score : null,
      outcome: score ? (score.passed ? 'passed' : 'wrong') : 'scoring_error',
      explanation: score ? score.explanation.map((e) => e.detail).join('; ') : error,
    }));
    const aggregated = aggregatedAccuracy(countOutcomes(scored.map(({ score }) => ({ status: 'done' as const, score: score ?? { passed: false, failureCause: 'scoring_error' } })), scored.length));
    return {
      generations: scored.map(({ row }) => ({ ...row })),
      scores: Object.fromEntries(functions.map((fn) => [fn, { score_rows: scoreRows, aggregated_results: aggregated }])),
    };
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(400, `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `the request body is not JSON: ${errorMessage(error)}`);
  }
  // Every route takes an object: null, a list or a number would otherwise fail deeper, as a 500.
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'the request body must be a JSON object');
  return body;
}

/** One path segment, %-decoded; a malformed escape is the client's mistake (400), not the server's. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ApiError(400, `the path segment '${part}' is not valid %-encoding`);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = body === null ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
