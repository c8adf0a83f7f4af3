/** Reads EvalBench's settings. Keys and defaults match `contributes.configuration` in package.json. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptMode } from '../core/endpoint/types';
import type { ServerProfile } from '../core/servers/types';

export interface SavedEndpoint {
  baseUrl: string;
  model?: string;
  mode?: PromptMode;
  label?: string;
}

export type HumanevalExecutor = 'auto' | 'native' | 'wasm';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('evalbench');
}

/** Absolute runs folder: the setting, relative to the first workspace folder; without a workspace, global storage. */
export function resolveRunsDir(globalStorage: vscode.Uri): string {
  const setting = config().get<string>('runsFolder', '.evalbench/runs') || '.evalbench/runs';
  if (path.isAbsolute(setting)) return setting;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder && folder.uri.scheme === 'file') return path.join(folder.uri.fsPath, setting);
  return path.join(globalStorage.fsPath, 'runs');
}

export function savedEndpoints(): SavedEndpoint[] {
  const value = config().get<unknown[]>('endpoints', []);
  return value.filter((e): e is SavedEndpoint => !!e && typeof (e as SavedEndpoint).baseUrl === 'string');
}

export async function saveEndpoint(endpoint: SavedEndpoint): Promise<void> {
  const existing = savedEndpoints();
  if (existing.some((e) => e.baseUrl === endpoint.baseUrl && (e.model ?? '') === (endpoint.model ?? ''))) return;
  await config().update('endpoints', [...existing, endpoint], vscode.ConfigurationTarget.Global);
}

/** Removes a saved endpoint (the same base URL and model) from the user settings. */
export async function removeEndpoint(endpoint: SavedEndpoint): Promise<void> {
  const rest = savedEndpoints().filter((e) => !(e.baseUrl === endpoint.baseUrl && (e.model ?? '') === (endpoint.model ?? '')));
  await config().update('endpoints', rest, vscode.ConfigurationTarget.Global);
}

/** The user's own dataset files by benchmark id ({ifeval: "/data/input_data.jsonl"}); absent ones use the bundled copies. */
export function datasetFiles(): Record<string, string> {
  const value = config().get<Record<string, unknown>>('datasetFiles', {});
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

/** IFEval's Punkt folder (`evalbench.punktFolder`); undefined: the bundled copy. */
export function punktFolder(): string | undefined {
  return config().get<string>('punktFolder', '').trim() || undefined;
}

/** 0 means "let the run manager decide" (the server's slot count, else 4). */
export function concurrency(): number | undefined {
  const value = config().get<number>('concurrency', 0);
  return value > 0 ? value : undefined;
}

export function requestTimeoutMs(): number {
  return Math.max(1, config().get<number>('requestTimeoutSeconds', 300)) * 1000;
}

/** Per-sample wall-clock cap (`evalbench.itemTimeoutSeconds`, the CLI's --item-timeout). */
export function itemTimeoutMs(): number {
  return Math.max(1, config().get<number>('itemTimeoutSeconds', 600)) * 1000;
}

/** Retries per request (`evalbench.retries`, the CLI's --retries). */
export function retries(): number {
  return Math.max(0, Math.floor(config().get<number>('retries', 4)));
}

export function streamReplies(): boolean {
  return config().get<boolean>('stream', false) === true;
}

export function storeLogprobs(): boolean {
  return config().get<boolean>('logprobs', false) === true;
}

export function ifevalStripReasoning(): boolean {
  return config().get<boolean>('ifeval.stripReasoning', false) === true;
}

/** Runs of this window running at once; more wait as "queued" (evalbench.maxConcurrentRuns). */
export function maxConcurrentRuns(): number {
  return Math.max(1, Math.floor(config().get<number>('maxConcurrentRuns', 2)));
}

/** The cap on one reply's body: a server streaming without end fails that item instead of filling memory. */
export function maxResponseBytes(): number {
  return Math.max(1, config().get<number>('maxResponseMB', 16)) * 1024 * 1024;
}

export function humanevalExecutor(): HumanevalExecutor {
  const value = config().get<string>('humaneval.executor', 'auto');
  return value === 'native' || value === 'wasm' ? value : 'auto';
}

/** The pythonPath setting, else the interpreter the Python extension has selected, else undefined. */
export async function pythonPath(): Promise<string | undefined> {
  const setting = config().get<string>('pythonPath', '').trim();
  if (setting) return setting;
  try {
    const python = vscode.extensions.getExtension('ms-python.python');
    if (!python) return undefined;
    const api = python.isActive ? python.exports : await python.activate();
    const env = api?.environments?.getActiveEnvironmentPath?.();
    return typeof env?.path === 'string' ? env.path : undefined;
  } catch {
    return undefined;
  }
}

/** llama-server for Compare Models on GGUF files: a path, or a name on PATH. */
export function llamaServerPath(): string {
  return config().get<string>('llamaServerPath', '').trim() || 'llama-server';
}

/** Saved server profiles (setting evalbench.servers); entries without a known kind are ignored. */
export function serverProfiles(): ServerProfile[] {
  const value = config().get<unknown[]>('servers', []);
  return value.filter((p): p is ServerProfile => {
    const kind = (p as ServerProfile | undefined)?.kind;
    return kind === 'llama.cpp' || kind === 'vllm' || kind === 'ollama' || kind === 'command';
  });
}

/** The LLM judge for custom rows with "scorer": "judge" (`evalbench.judge`); undefined when not set. */
export function judgeSetting(): Record<string, unknown> | undefined {
  const value = config().get<Record<string, unknown>>('judge', {});
  return value && typeof value.baseUrl === 'string' && typeof value.model === 'string' ? { ...value } : undefined;
}
