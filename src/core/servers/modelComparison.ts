/**
 * Compare models end to end: for each model in turn (or all at once, when the user says the machine can), start
 * its server, run every benchmark with the same settings, stop the server, then the next. All runs share one matrix id; the first model is the baseline.
 * A model whose server will not start is reported and skipped; the others still run. Cancelling stops the
 * run in flight and the server, and runs nothing more. A server is never left running, whatever happens.
 */
import { randomUUID } from 'node:crypto';
import type { PromptMode, SamplingSettings } from '../endpoint/types';
import { CancelledError, errorMessage } from '../errors';
import { readGgufFacts, type ModelFileFacts } from '../modelFile/ggufFacts';
import type { RunManager } from '../run/runManager';
import type { BenchmarkSelection, RunHandle } from '../run/types';
import type { RunRecord } from '../storage/types';
import { ManagedServer, type ManagedServerOptions } from './managedServer';
import type { ServerProfile } from './types';

export interface ModelComparisonRequest {
  /** One per model, in order; the first is the baseline. */
  profiles: ServerProfile[];
  benchmarks: BenchmarkSelection[];
  mode: PromptMode;
  sampling?: Partial<SamplingSettings>;
  samplesPerItem?: number;
  limit?: number;
  concurrency?: number;
  itemTimeoutMs?: number;
  /** Default true: drift metrics want the chosen tokens' log-probabilities. */
  logprobs?: boolean;
  /** Run every model at once, each on its own server (only when the machine can hold them all). */
  sideBySide?: boolean;
}

export type ModelComparisonEvent =
  | { type: 'status'; model: number; label: string; message: string }
  | { type: 'run'; model: number; label: string; benchmarkId: string; handle: RunHandle };

export interface ModelComparisonDeps {
  manager: RunManager;
  /** Start-up timeout, grace period, environment, server output. */
  server?: Omit<ManagedServerOptions, 'signal' | 'onStatus'>;
  onEvent?: (event: ModelComparisonEvent) => void;
  signal?: AbortSignal;
  /** Seam for tests of the ordering; default ManagedServer.start. */
  startServer?: (profile: ServerProfile, options: ManagedServerOptions) => Promise<ManagedServer>;
}

export interface ComparedModel {
  label: string;
  profile: ServerProfile;
  modelFile?: ModelFileFacts;
  /** One per benchmark that ran, in request order. */
  runs: RunRecord[];
  /** Why this model has no (or not all) runs: its server did not start, a run could not begin. */
  error?: string;
}

export interface ModelComparisonResult {
  matrixId: string;
  models: ComparedModel[];
  cancelled: boolean;
}

export async function runModelComparison(request: ModelComparisonRequest, deps: ModelComparisonDeps): Promise<ModelComparisonResult> {
  const matrixId = randomUUID().slice(0, 8);
  // Read every model file first: a wrong path fails now, not after the first model ran for an hour.
  const facts = await Promise.all(request.profiles.map((p) => (modelFileOf(p) ? readGgufFacts(modelFileOf(p)!) : Promise.resolve(undefined))));
  const models: ComparedModel[] = request.profiles.map((profile, i) => ({ label: profileLabel(profile), profile, modelFile: facts[i], runs: [] }));
  const start = deps.startServer ?? ((profile, options) => ManagedServer.start(profile, options));
  let cancelled = false;

  /** One model: its server up, every benchmark in order, its server down, whatever happened. */
  const runModel = async (m: number): Promise<void> => {
    const model = models[m];
    const status = (message: string) => deps.onEvent?.({ type: 'status', model: m, label: model.label, message });
    let server: ManagedServer | undefined;
    try {
      status('starting the server');
      server = await start(model.profile, { ...deps.server, signal: deps.signal, onStatus: status });
      for (const benchmark of request.benchmarks) {
        if (deps.signal?.aborted) break;
        status(`running ${benchmark.id}`);
        const [handle] = await deps.manager.start({
          benchmark,
          endpoints: [{ baseUrl: server.baseUrl, model: server.modelId, mode: request.mode, label: model.label }],
          sampling: request.sampling,
          samplesPerItem: request.samplesPerItem,
          limit: request.limit,
          concurrency: request.concurrency,
          itemTimeoutMs: request.itemTimeoutMs,
          logprobs: request.logprobs ?? true,
          matrixId,
          modelFile: model.modelFile,
          server: model.profile,
        }, deps.signal);
        deps.onEvent?.({ type: 'run', model: m, label: model.label, benchmarkId: benchmark.id, handle });
        const onAbort = () => handle.cancel();
        deps.signal?.addEventListener('abort', onAbort, { once: true });
        if (deps.signal?.aborted) handle.cancel();
        try {
          model.runs.push(await handle.done);
        } finally {
          deps.signal?.removeEventListener('abort', onAbort);
        }
      }
    } catch (error) {
      if (deps.signal?.aborted || error instanceof CancelledError) cancelled = true;
      else {
        model.error = errorMessage(error);
        status(`failed: ${model.error}`);
      }
    } finally {
      if (server) {
        status('stopping the server');
        await server.stop();
      }
    }
    if (deps.signal?.aborted) cancelled = true;
  };

  if (request.sideBySide) {
    // The user says the machine holds every model at once: all servers up together, each on its own port.
    await Promise.all(models.map((_, m) => runModel(m)));
  } else {
    for (let m = 0; m < models.length && !cancelled; m++) await runModel(m);
  }
  return { matrixId, models, cancelled };
}

function modelFileOf(profile: ServerProfile): string | undefined {
  if (profile.kind === 'llama.cpp') return profile.modelFile;
  if (profile.kind === 'command' && profile.model && /\.gguf$/i.test(profile.model)) return profile.model;
  return undefined;
}

/** A short name for a model: the profile's name, else the model file's name, else the model. */
export function profileLabel(profile: ServerProfile): string {
  if (profile.name) return profile.name;
  const file = modelFileOf(profile);
  if (file) return file.split(/[\\/]/).pop()!.replace(/\.gguf$/i, '');
  if (profile.kind === 'vllm' || profile.kind === 'ollama') return profile.model;
  return profile.kind === 'command' ? profile.command[0] : 'model';
}
