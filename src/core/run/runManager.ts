/**
 * Starts, resumes and re-runs evaluation runs. A request over several endpoints (a model matrix) writes one
 * run file per endpoint, sharing a matrixId, so every run can be listed, compared and resumed on its own.
 * The manager owns the scoring worker (started lazily, one per manager) and the model clients.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { getBenchmarkDefinition } from '../benchmarks/registry';
import type { BenchmarkDefinition, LoadedDataset } from '../benchmarks/types';
import { ModelClient, type ModelClientOptions } from '../endpoint/modelClient';
import { ReplicaPool } from '../replicas/replicaPool';
import { probeServer } from '../endpoint/serverProbe';
import { waitForServerReady } from '../endpoint/serverReady';
import { contextFitWarning } from '../endpoint/contextFit';
import { planSampling } from '../endpoint/samplingParams';
import {
  DEFAULT_CLIENT_OPTIONS,
  DEFAULT_SAMPLING,
  type ClientOptions,
  type EndpointConfig,
  type Generator,
  type SamplingSettings,
  type ServerFacts,
} from '../endpoint/types';
import { withFix } from '../fixHints';
import { ConfigError, EndpointError, EvalBenchError, errorMessage } from '../errors';
import { ScoringWorkerClient, type ScoringService } from '../scoring/scoringWorkerClient';
import { JudgeScoring, prepareJudge, type JudgeConfig } from '../judge';
import type { RunStore, RunWriter } from '../storage/runStore';
import type { RunConfig, StoredItem } from '../storage/types';
import { workToResume, type WorkUnit } from '../storage/resumeWork';
import { RunExecution } from './runExecution';
import { processRunSlots, type RunSlots } from './runSlots';
import { processServerLimiters, type ServerLimiters } from './serverLimiter';
import type { RunHandle, RunRequest } from './types';

export interface ReopenOptions {
  apiKey?: string;
  /** The server now answers at another address (a managed server started again on a new port). */
  baseUrl?: string;
}

export type LogFn = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface RunManagerOptions {
  store: RunStore;
  /** Path of the scoring worker bundle (dist/worker.js). Ignored when `scoring` is given. */
  workerPath?: string;
  /** Node flags for the worker (tests run the TypeScript source with ['--import', 'tsx']). */
  workerExecArgv?: string[];
  /** Cache folder: data copies `data update` fetched, unpacked archives. */
  cacheDir: string;
  log?: LogFn;
  /** Seams for tests and for other front ends. */
  scoring?: ScoringService;
  createGenerator?: (endpoint: EndpointConfig, options: ClientOptions) => Generator;
  probe?: (endpoint: EndpointConfig, signal?: AbortSignal) => Promise<ServerFacts>;
  clientOptions?: Partial<ClientOptions>;
  /** Stream replies (records time to first token). */
  stream?: boolean;
  /** How long to wait for a server that is still loading its model (default 10 minutes). */
  serverReadyBudgetMs?: number;
  /** API key of the LLM judge's server (custom rows with "scorer": "judge"); never stored. */
  judgeApiKey?: string;
  /** One limiter per server, shared by every run of the process (default: the process's). */
  serverLimiters?: ServerLimiters;
  /** How many runs may run at once; the others wait as "queued" (default: the process's). */
  runSlots?: RunSlots;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_ITEM_TIMEOUT_MS = 600_000;
/** Sampling several answers at temperature 0 would ask the same question n times. */
const MULTI_SAMPLE_TEMPERATURE = 0.8;

export class RunManager {
  private scoringService: ScoringService | undefined;
  private readonly active = new Set<RunExecution>();
  private readonly log: LogFn;

  constructor(private readonly options: RunManagerOptions) {
    this.log = options.log ?? (() => {});
    this.scoringService = options.scoring;
  }

  /** Runs in progress in this manager. */
  get activeRuns(): RunHandle[] {
    return [...this.active];
  }

  /** Probe every endpoint, load the dataset once, then start one run per endpoint. */
  async start(request: RunRequest, signal?: AbortSignal): Promise<RunHandle[]> {
    if (request.endpoints.length === 0) throw new ConfigError('choose at least one endpoint');
    const samplesPerItem = request.samplesPerItem ?? 1;
    if (!Number.isInteger(samplesPerItem) || samplesPerItem < 1) throw new ConfigError(`samples per item must be a whole number ≥ 1, got ${samplesPerItem}`);
    const benchmarkOptions = { ...request.benchmark.options };
    const definition = getBenchmarkDefinition(request.benchmark.id, benchmarkOptions);

    // The storage thread (it writes the run file) starts now and loads sql.js while the servers are probed and
    // the dataset read: the first request would otherwise wait for it.
    this.options.store.warmUp();
    // The dataset is read while the servers are probed (both mostly wait on I/O). Its errors are reported only
    // after the probe's: a dead URL still fails first, before any file is written, with one clear message.
    const datasetLoad = definition.loadDataset({ path: request.benchmark.datasetPath, cacheDir: this.options.cacheDir }, signal).catch((error: unknown) => {
      if (!request.benchmark.datasetPath && request.benchmark.id !== 'custom') throw error;
      throw withFix(error, request.benchmark.id === 'custom' ? 'customDataset' : 'dataset');
    });
    datasetLoad.catch(() => {}); // awaited below; a failed probe must not leave its rejection unhandled
    const facts = await Promise.all(request.endpoints.map((endpoint) => this.probe(endpoint, signal)));
    request.endpoints.forEach((endpoint, i) => checkModelServed(endpoint, facts[i]));
    // Data the scorers need (IFEval's Punkt parameters) is fetched and checked now, not after the model was asked.
    // Errors here are about files the user gave: they are marked with what fixes them (flag or setting).
    const preparedData =
      (await definition.prepare?.({ cacheDir: this.options.cacheDir, options: benchmarkOptions }, signal).catch((error: unknown) => {
        throw typeof benchmarkOptions.punktDir === 'string' ? withFix(error, 'punkt') : error;
      })) ?? undefined;
    const dataset = await datasetLoad;
    const wanted = request.itemIds ? new Set(request.itemIds) : undefined;
    const chosen = wanted ? dataset.items.filter((item) => wanted.has(item.id)) : dataset.items;
    const items = request.limit !== undefined ? chosen.slice(0, Math.max(0, request.limit)) : chosen;
    if (items.length === 0) throw withFix(new ConfigError('no items to run: the dataset is empty or the limit is 0'), 'limit');
    await this.prepareJudgeFor(items, benchmarkOptions, signal);

    const sampling = this.samplingFor(definition, request, samplesPerItem);
    // Every sampling field in each server's own form (a field a server would ignore is refused here, before any file);
    // recorded with the run so Compare can tell runs that did not sample alike.
    request.endpoints.forEach((endpoint, i) => {
      facts[i] = { ...facts[i], samplingApplied: planSampling(facts[i].kind, sampling).applied };
      const prompts = items.map((item) => ({ id: item.id, prompt: definition.buildPrompt(item, endpoint.mode) }));
      const warning = contextFitWarning(facts[i], prompts, sampling.max_tokens);
      if (warning) this.log('warn', warning);
    });

    const matrixId = request.matrixId ?? (request.endpoints.length > 1 ? randomUUID().slice(0, 8) : undefined);
    // Every run file is created before any run starts: a matrix starts all-or-nothing.
    const created: { writer: RunWriter; endpoint: EndpointConfig; work: WorkUnit[] }[] = [];
    try {
      for (let i = 0; i < request.endpoints.length; i++) {
        const endpoint = request.endpoints[i];
        const config: RunConfig = {
          benchmarkId: definition.id,
          benchmarkVersion: definition.version,
          datasetOrigin: dataset.origin,
          datasetSha256: dataset.sha256,
          ...(preparedData && preparedData.length > 0 ? { preparedData } : {}),
          endpoint: withoutKey(endpoint),
          sampling,
          samplesPerItem,
          // The server's parallel slots: more requests would only queue, and queue time would count as generation time.
          // With replicas, each is assumed to have the first one's slots.
          concurrency: request.concurrency ?? (facts[i].parallel ?? facts[i].totalSlots ?? DEFAULT_CONCURRENCY) * replicaCount(endpoint),
          itemTimeoutMs: request.itemTimeoutMs ?? DEFAULT_ITEM_TIMEOUT_MS,
          limit: request.limit,
          // Scorers that turn replies into answers (HumanEval's code extraction) need to know the prompt mode.
          benchmarkOptions: { ...benchmarkOptions, promptMode: endpoint.mode },
          matrixId,
          ...(request.logprobs ? { logprobs: true } : {}),
          ...(request.modelFile ? { modelFile: request.modelFile } : {}),
        ...(request.server ? { server: request.server } : {}),
        };
        const stored = storedItems(definition, { ...dataset, items }, endpoint.mode);
        const work: WorkUnit[] = [];
        for (const item of stored) for (let s = 0; s < samplesPerItem; s++) work.push({ itemId: item.id, sampleIndex: s });
        const writer = await this.options.store.create(config, { items: stored });
        created.push({ writer, endpoint, work });
        writer.updateRun({ serverFacts: facts[i] });
      }
    } catch (error) {
      for (const { writer } of created) {
        writer.updateRun({ status: 'failed', error: `not started: another run of the matrix could not be created (${errorMessage(error)})` });
        await writer.close().catch(() => {});
      }
      throw error;
    }
    // The scoring worker process starts right after the first requests (not before: on 2 busy cores its start
    // would delay them), so it is ready when the first replies come back.
    if (this.scoringService || this.options.workerPath) this.scoring();
    return created.map(({ writer, endpoint, work }) => this.execute(writer, definition, endpoint, work));
  }

  /** Continue an interrupted or cancelled run: only samples with no result are asked (and replies not yet scored are scored). */
  async resume(runIdOrFile: string, options: ReopenOptions = {}): Promise<RunHandle> {
    return this.reopen(runIdOrFile, options, false);
  }

  /** Ask again only the samples that failed (server errors, timeouts, empty replies), keeping every success. */
  async rerunFailed(runIdOrFile: string, options: ReopenOptions = {}): Promise<RunHandle> {
    return this.reopen(runIdOrFile, options, true);
  }

  /** Resolves once no run of this manager is in progress (runs started meanwhile are waited for too). */
  async whenIdle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active].map((run) => run.done));
  }

  /**
   * Stop every run as interrupted (the manager is going away: a window reload, the extension host shutting
   * down), wait for them to save, stop the worker. They are resumable; a user's cancel is `handle.cancel()`.
   */
  async dispose(): Promise<void> {
    for (const run of this.active) run.interrupt();
    await Promise.allSettled([...this.active].map((run) => run.done));
    await this.scoringService?.dispose();
    this.scoringService = undefined;
  }

  private async reopen(runIdOrFile: string, { apiKey, baseUrl }: ReopenOptions, includeFailed: boolean): Promise<RunHandle> {
    const writer = await this.options.store.openWriter(runIdOrFile);
    try {
      const run = writer.run();
      const definition = getBenchmarkDefinition(run.config.benchmarkId, run.config.benchmarkOptions ?? {});
      if (definition.version !== run.config.benchmarkVersion) {
        // Finishing it would mix verdicts of two scorer versions in one run, silently: refuse, say what to do.
        throw new ConfigError(
          `run ${run.id} was scored with ${definition.id} v${run.config.benchmarkVersion}, and this EvalBench scores with v${definition.version}; ` +
            `rescore it first (evalbench score --run ${run.id}), then resume, so every verdict comes from one scorer version`,
        );
      }
      const endpoint: EndpointConfig = { ...run.config.endpoint, apiKey, ...(baseUrl ? { baseUrl } : {}) };
      const work = workToResume(writer, includeFailed ? 'rerunFailed' : 'resume');
      // Samples to ask need the server: one that is down or serves another model is said now, before any sample
      // is asked and stored as failed. Replies that only need scoring need no server.
      if (work.some((unit) => !unit.scoreOnly)) {
        const facts = await this.probe(endpoint);
        checkModelServed(endpoint, facts);
        checkSameModelFile(run.serverFacts, facts, endpoint.baseUrl);
      }
      this.log('info', `run ${run.id}: ${work.length} sample(s) to ${includeFailed ? 're-run' : 'resume'}`);
      return this.execute(writer, definition, endpoint, work);
    } catch (error) {
      await writer.close().catch(() => {});
      throw error;
    }
  }

  private execute(writer: RunWriter, definition: BenchmarkDefinition, endpoint: EndpointConfig, work: WorkUnit[]): RunHandle {
    const config = writer.run().config;
    const clientOptions: ClientOptions = { ...DEFAULT_CLIENT_OPTIONS, ...this.options.clientOptions };
    const facts = writer.run().serverFacts;
    // The server kind decides the form sampling is sent in (Ollama: its native API); its context spots a cut prompt.
    const serverOptions: ClientOptions & Pick<ModelClientOptions, 'serverKind' | 'contextLength'> = {
      ...clientOptions,
      serverKind: facts?.kind,
      // Runs recorded before contextSource existed stored the trained maximum here, not the context in effect.
      contextLength: facts?.contextSource ? facts.contextLength : undefined,
    };
    const limiters = this.options.serverLimiters ?? processServerLimiters;
    const replicated = Boolean(endpoint.replicas?.length);
    const pool = replicated && !this.options.createGenerator ? replicaPool(endpoint, serverOptions, config.concurrency, this.log, limiters) : undefined;
    const generator = this.options.createGenerator?.(endpoint, clientOptions) ?? pool ?? new ModelClient(endpoint, { ...serverOptions, onRetry: (info) => this.log('warn', info.message) });
    const execution = new RunExecution({
      writer,
      definition,
      generator,
      scoring: this.scoring(),
      work,
      concurrency: config.concurrency,
      itemTimeoutMs: config.itemTimeoutMs,
      sampling: config.sampling,
      stream: this.options.stream ?? false,
      logprobs: config.logprobs ?? false,
      benchmarkOptions: config.benchmarkOptions,
      log: this.log,
      // The run's concurrency is what the server can take (its slots, or what the user set): every run on it shares that.
      // Replicas: each replica's server is limited on its own, inside the pool (its share of the run's concurrency).
      serverLease: pool ? undefined : limiters.forServer([endpoint.baseUrl, ...(endpoint.replicas ?? [])].join(' '), config.concurrency).join(),
      runSlots: this.options.runSlots ?? processRunSlots,
    });
    this.active.add(execution);
    this.log('info', `run ${execution.runId} started: ${definition.id} on ${endpoint.model} at ${endpoint.baseUrl}, ${work.length} sample(s), concurrency ${config.concurrency}`);
    void execution.done.then(
      (record) => {
        this.active.delete(execution);
        pool?.dispose();
        this.log('info', `run ${record.id} ${record.status}`);
      },
      () => {
        this.active.delete(execution);
        pool?.dispose();
      },
    );
    return execution;
  }

  /**
   * Rows graded by an LLM judge need one: it is checked and asked about itself before any model is asked,
   * and its config and server facts are stored with the run. A judge given for a dataset with no judge
   * rows is not used, so it is neither probed nor stored.
   */
  private async prepareJudgeFor(items: { data: unknown }[], benchmarkOptions: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
    const judged = items.filter((item) => (item.data as { scorer?: string } | null)?.scorer === 'judge').length;
    if (judged === 0) {
      delete benchmarkOptions.judge;
      return;
    }
    if (!benchmarkOptions.judge) throw new ConfigError(`${judged} row(s) use the 'judge' scorer, but no judge was given: --judge-base-url and --judge-model (VS Code: the evalbench.judge setting)`);
    benchmarkOptions.judge = await prepareJudge(benchmarkOptions.judge as Partial<JudgeConfig>, { apiKey: this.options.judgeApiKey, signal });
  }

  private scoring(): ScoringService {
    if (!this.scoringService) {
      if (!this.options.workerPath) throw new ConfigError('RunManager needs workerPath (dist/worker.js) or a scoring service');
      const worker = new ScoringWorkerClient({
        workerPath: this.options.workerPath,
        execArgv: this.options.workerExecArgv,
        cacheDir: this.options.cacheDir,
        log: this.log,
      });
      // Its process starts at the end of this turn (a run is about to need it), once the run's first requests are
      // sent: the fork itself holds this thread for ~7–13 ms. It loads its code while they are answered.
      setImmediate(() => worker.ping().catch(() => {})); // a worker that cannot start is reported by the first score request
      // Judge rows are graded on the host; the worker never talks to model servers.
      this.scoringService = new JudgeScoring(worker, {
        apiKey: this.options.judgeApiKey,
        cacheDir: path.join(this.options.cacheDir, 'judge-cache'),
        clientOptions: this.options.clientOptions,
      });
    }
    return this.scoringService;
  }

  private async probe(endpoint: EndpointConfig, signal?: AbortSignal): Promise<ServerFacts> {
    try {
      if (this.options.probe) return await this.options.probe(endpoint, signal);
      // A llama-server still loading answers 503 (older builds: everywhere but /v1/models): probing it now would miss its slots and context.
      await waitForServerReady(endpoint.baseUrl, {
        apiKey: endpoint.apiKey,
        signal,
        model: endpoint.model,
        budgetMs: this.options.serverReadyBudgetMs,
        onStatus: (status) => this.log(status.state === 'ready' ? 'info' : 'warn', `server ${endpoint.baseUrl}: ${status.message} (${status.detail})`),
      });
      return await probeServer(endpoint.baseUrl, { apiKey: endpoint.apiKey, signal, model: endpoint.model });
    } catch (error) {
      if (error instanceof EvalBenchError) throw error;
      // A server that does not answer is a failure to retry later (exit 1), not a mistake in the command.
      throw new EndpointError(`could not reach ${endpoint.baseUrl}: ${errorMessage(error)}`, { url: endpoint.baseUrl, cause: error });
    }
  }

  private samplingFor(definition: BenchmarkDefinition, request: RunRequest, samplesPerItem: number): SamplingSettings {
    const sampling: SamplingSettings = { ...DEFAULT_SAMPLING, ...definition.defaultSampling, ...request.sampling };
    if (samplesPerItem > 1 && request.sampling?.temperature === undefined) {
      sampling.temperature = MULTI_SAMPLE_TEMPERATURE;
      this.log('info', `${samplesPerItem} samples per item: temperature set to ${MULTI_SAMPLE_TEMPERATURE} (pass --temperature to choose)`);
    }
    return sampling;
  }
}

/**
 * A resume at another address must reach the same model file: samples of two quantizations in one run would
 * make its figures describe neither. Compared where both probes name it (llama.cpp's model path, a
 * quantization); a server that names neither is taken at its word for the model id.
 */
function checkSameModelFile(stored: ServerFacts | undefined, now: ServerFacts, baseUrl: string): void {
  if (!stored) return;
  for (const [field, label] of [['modelPath', 'model file'], ['quantization', 'quantization']] as const) {
    const before = stored[field];
    const after = now[field];
    if (before && after && before !== after) {
      throw new ConfigError(`${baseUrl} serves ${label} ${after}, but this run was made with ${before}; start a new run to evaluate it`);
    }
  }
}

/** A mistyped model id would make every request fail; say so before the run, naming what the server has. */
function checkModelServed(endpoint: EndpointConfig, facts: ServerFacts): void {
  if (facts.models.length === 0) return;
  const wanted = endpoint.model;
  const served = facts.models.some((m) => m === wanted || m === `${wanted}:latest` || `${m}:latest` === wanted);
  if (!served) {
    const list = facts.models.slice(0, 12).join(', ') + (facts.models.length > 12 ? ', …' : '');
    throw new ConfigError(`${endpoint.baseUrl} does not serve a model named '${wanted}'; it serves: ${list}`);
  }
}

function replicaCount(endpoint: EndpointConfig): number {
  return 1 + (endpoint.replicas?.length ?? 0);
}

/** One client per replica, each with its share of the run's concurrency; an unreachable replica is set aside. */
function replicaPool(endpoint: EndpointConfig, clientOptions: ClientOptions, concurrency: number, log: LogFn, limiters: ServerLimiters): ReplicaPool {
  const urls = [endpoint.baseUrl, ...(endpoint.replicas ?? [])];
  const perReplicaLimit = Math.max(1, Math.ceil(concurrency / urls.length));
  return new ReplicaPool(
    urls,
    (url, hooks) => new ModelClient({ ...endpoint, baseUrl: url }, {
      ...clientOptions,
      onRetry: (info) => {
        log('warn', info.message);
        if (info.status === undefined && /could not be reached/.test(info.message)) hooks.onUnreachable(info.reason);
      },
    }),
    { perReplicaLimit, log: (message) => log('warn', message), leaseFor: (url) => limiters.forServer(url, perReplicaLimit).join() },
  );
}

function withoutKey(endpoint: EndpointConfig): Omit<EndpointConfig, 'apiKey'> {
  const { apiKey: _secret, ...rest } = endpoint;
  return rest;
}

function storedItems(definition: BenchmarkDefinition, dataset: LoadedDataset, mode: EndpointConfig['mode']): StoredItem[] {
  return dataset.items.map((item, index) => ({ id: item.id, index, prompt: definition.buildPrompt(item, mode), data: item.data }));
}

export function defaultRunsDir(workspaceRoot: string): string {
  return path.join(workspaceRoot, '.evalbench', 'runs');
}
