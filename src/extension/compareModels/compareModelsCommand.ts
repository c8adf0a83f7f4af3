/**
 * "EvalBench: Compare Models…": pick two or more model files (or saved server profiles), EvalBench starts each
 * one's server in turn, runs the same benchmarks with the same settings, stops it, then opens the comparison
 * (two models) or the matrix (more) with the first as baseline. Progress says which model is loading or running;
 * Cancel stops the run and the server. Servers are stopped when the window closes, and by their guard if the
 * extension host dies.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConfigError } from '../../core/errors';
import { runModelComparison, type ModelComparisonResult } from '../../core/servers/modelComparison';
import { stopAllManagedServers } from '../../core/servers/managedServer';
import type { ServerProfile } from '../../core/servers/types';
import type { Panels } from '../panels/panels';
import { registerCommands } from '../registerCommands';
import { confirmHumaneval } from '../runEval/humanevalGuard';
import { pickMany } from '../runEval/multiPick';
import { progressMessage } from '../runEval/progressText';
import { BENCHMARK_CHOICES, buildRunRequests } from '../runEval/runRequestBuilder';
import type { EvalBenchServices } from '../services';
import {
  concurrency, datasetFiles, humanevalExecutor, ifevalStripReasoning, itemTimeoutMs, llamaServerPath, punktFolder, pythonPath, serverProfiles,
} from '../settings';

/** The command's argument (tests, keybindings): skips the pickers. */
export interface CompareModelsArgs {
  /** GGUF files, served by llama-server (setting evalbench.llamaServerPath, or `serverPath`). */
  modelFiles?: string[];
  profiles?: ServerProfile[];
  serverPath?: string;
  benchmarks: string[];
  datasetPath?: string;
  limit?: number;
  /** Extra environment for the servers (tests). */
  env?: Record<string, string>;
  confirmed?: boolean;
}

export function activateCompareModels(context: vscode.ExtensionContext, services: EvalBenchServices, panels: Panels): vscode.Disposable[] {
  return [
    ...registerCommands({ 'evalbench.compareModels': (arg?: CompareModelsArgs) => compareModels(context, services, panels, arg) }, services.log),
    // Closing the window: no server may outlive it (the guard covers a crash; this is the orderly way).
    { dispose: () => void stopAllManagedServers() },
  ];
}

async function compareModels(context: vscode.ExtensionContext, services: EvalBenchServices, panels: Panels, arg?: CompareModelsArgs): Promise<string[] | undefined> {
  const profiles = arg ? profilesFromArgs(arg) : await pickProfiles();
  if (!profiles) return undefined;
  const benchmarkIds = arg?.benchmarks ?? (await pickBenchmarks());
  if (!benchmarkIds?.length) return undefined;
  let datasetPath = arg?.datasetPath;
  if (benchmarkIds.includes('custom') && !datasetPath) {
    const picked = await vscode.window.showOpenDialog({ title: 'Custom benchmark: a JSONL file', filters: { JSONL: ['jsonl'] }, canSelectMany: false });
    if (!picked?.[0]) return undefined;
    datasetPath = picked[0].fsPath;
  }
  const executor = humanevalExecutor();
  const python = await pythonPath();
  if (benchmarkIds.includes('humaneval') && !(await confirmHumaneval(context, executor, python, arg?.confirmed === true))) return undefined;
  // The benchmarks and their options exactly as Run Eval builds them (the endpoint part is unused here).
  const requests = buildRunRequests(
    { baseUrl: 'http://127.0.0.1', models: ['-'], benchmarks: benchmarkIds, datasetPath, datasetFiles: datasetFiles(), limit: arg?.limit },
    { concurrency: concurrency(), humanevalExecutor: executor, pythonPath: python, punktDir: punktFolder(), stripReasoning: ifevalStripReasoning(), itemTimeoutMs: itemTimeoutMs() },
  );
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'EvalBench: Compare Models', cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
      return runModelComparison(
        {
          profiles,
          benchmarks: requests.map((r) => r.benchmark),
          mode: 'chat',
          limit: arg?.limit,
          concurrency: requests[0]?.concurrency,
          itemTimeoutMs: requests[0]?.itemTimeoutMs,
          logprobs: true,
        },
        {
          manager: services.manager(),
          signal: abort.signal,
          server: { log: (line) => services.log.trace(line), env: { ...process.env, ...arg?.env } },
          onEvent: (event) => {
            const prefix = `[${event.model + 1}/${profiles.length}] ${event.label}`;
            if (event.type === 'status') {
              services.log.info(`${prefix}: ${event.message}`);
              progress.report({ message: `${prefix}: ${event.message}` });
              return;
            }
            services.activeRuns.add(event.handle);
            const sub = event.handle.onProgress((p) => progress.report({ message: `${prefix}: ${event.benchmarkId} ${progressMessage(p)}` }));
            void event.handle.done.finally(() => sub.dispose());
          },
        },
      );
    },
  );
  reportOutcome(services, result);
  openComparison(panels, result);
  return result.models.flatMap((m) => m.runs.map((r) => r.id));
}

function profilesFromArgs(arg: CompareModelsArgs): ServerProfile[] {
  if (arg.profiles?.length) return arg.profiles;
  const files = arg.modelFiles ?? [];
  if (files.length < 2) throw new ConfigError('Compare Models: give at least two model files (the first is the baseline)');
  const binary = arg.serverPath ?? llamaServerPath();
  return files.map((modelFile) => ({ kind: 'llama.cpp', binary, modelFile }));
}

async function pickProfiles(): Promise<ServerProfile[] | undefined> {
  const saved = serverProfiles();
  if (saved.length >= 2) {
    const picked = await pickMany(
      saved.map((profile, i) => ({ label: profile.name ?? describeProfile(profile), description: profile.kind, profile, picked: i < 2 })),
      { title: 'Compare Models: the servers to compare, the first picked is the baseline', what: 'models' },
    );
    if (!picked) return undefined;
    if (picked.length < 2) throw new ConfigError('Compare Models: pick at least two servers');
    return picked.map((p) => p.profile);
  }
  const files = await vscode.window.showOpenDialog({
    title: 'Compare Models: two or more GGUF files (the first is the baseline)',
    canSelectMany: true,
    filters: { 'GGUF models': ['gguf'] },
  });
  if (!files) return undefined;
  if (files.length < 2) throw new ConfigError('Compare Models: pick at least two model files, or save server profiles in the evalbench.servers setting');
  const binary = llamaServerPath();
  return files.map((f) => ({ kind: 'llama.cpp', binary, modelFile: f.fsPath }));
}

async function pickBenchmarks(): Promise<string[] | undefined> {
  const picked = await pickMany(BENCHMARK_CHOICES.map((b) => ({ label: b.label, detail: b.detail, id: b.id, picked: false })), { title: 'Compare Models: benchmarks', what: 'benchmarks' });
  return picked?.map((p) => p.id);
}

function describeProfile(profile: ServerProfile): string {
  switch (profile.kind) {
    case 'llama.cpp':
      return path.basename(profile.modelFile);
    case 'vllm':
    case 'ollama':
      return profile.model;
    case 'command':
      return profile.command.join(' ');
  }
}

function reportOutcome(services: EvalBenchServices, result: ModelComparisonResult): void {
  const failed = result.models.filter((m) => m.error);
  for (const m of failed) services.log.error(`Compare Models: ${m.label}: ${m.error}`);
  if (result.cancelled) void vscode.window.showWarningMessage('EvalBench: Compare Models was cancelled; finished items are kept and the servers were stopped.');
  else if (failed.length > 0) void vscode.window.showErrorMessage(`EvalBench: ${failed.map((m) => `${m.label}: ${m.error}`).join('; ')}`);
}

/** Two models: the comparison of the first benchmark, baseline as A; more: the matrix of every run. */
function openComparison(panels: Panels, result: ModelComparisonResult): void {
  const withRuns = result.models.filter((m) => m.runs.length > 0);
  if (withRuns.length < 2) return;
  if (withRuns.length === 2 && withRuns[0] === result.models[0]) {
    const [a, b] = withRuns;
    const pair = a.runs.map((runA) => [runA, b.runs.find((r) => r.config.benchmarkId === runA.config.benchmarkId)] as const).find(([, runB]) => runB);
    if (pair) panels.showCompare(pair[0].id, pair[1]!.id);
    return;
  }
  panels.showMatrix(withRuns.flatMap((m) => m.runs.map((r) => r.id)));
}
