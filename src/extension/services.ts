/**
 * What every feature shares: the log, the runs folder and its store, the run manager (created lazily:
 * it owns the scoring worker) and the runs in progress. One instance per activation.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunManager } from '../core/run/runManager';
import { RunStore } from '../core/storage/runStore';
import { ActiveRuns } from './activeRuns';
import { processRunSlots } from '../core/run/runSlots';
import { maxConcurrentRuns, maxResponseBytes, requestTimeoutMs, resolveRunsDir, retries, streamReplies } from './settings';

export class EvalBenchServices implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly activeRuns = new ActiveRuns();
  private readonly runsDirChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeRunsDir = this.runsDirChanged.event;
  private currentRunsDir: string;
  private currentStore: RunStore | undefined;
  private currentManager: RunManager | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('EvalBench', { log: true });
    this.currentRunsDir = resolveRunsDir(context.globalStorageUri);
    processRunSlots.setMax(maxConcurrentRuns());
    this.disposables.push(
      this.log,
      this.activeRuns,
      this.runsDirChanged,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('evalbench.runsFolder')) this.updateRunsDir();
        // Settings the manager is built with: a new one is made for the next run.
        if (event.affectsConfiguration('evalbench.maxConcurrentRuns')) processRunSlots.setMax(maxConcurrentRuns());
        if (['requestTimeoutSeconds', 'retries', 'stream', 'maxResponseMB'].some((key) => event.affectsConfiguration(`evalbench.${key}`))) void this.resetManager();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.updateRunsDir()),
    );
  }

  /** Updated data copies (`Update Bundled Datasets…`) and unpacked archives live here. */
  cacheDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'cache');
  }

  runsDir(): string {
    return this.currentRunsDir;
  }

  store(): RunStore {
    this.currentStore ??= new RunStore(this.currentRunsDir);
    return this.currentStore;
  }

  manager(): RunManager {
    this.currentManager ??= new RunManager({
      store: this.store(),
      workerPath: this.context.asAbsolutePath(path.join('dist', 'worker.js')),
      cacheDir: this.cacheDir(),
      clientOptions: { requestTimeoutMs: requestTimeoutMs(), retry: { maxRetries: retries(), baseDelayMs: 500, maxDelayMs: 30_000 }, maxResponseBytes: maxResponseBytes() },
      stream: streamReplies(),
      log: (level, message) => this.log[level](message),
    });
    return this.currentManager;
  }

  async dispose(): Promise<void> {
    vscode.Disposable.from(...this.disposables).dispose();
    await this.currentManager?.dispose();
  }

  private updateRunsDir(): void {
    const next = resolveRunsDir(this.context.globalStorageUri);
    if (next === this.currentRunsDir) return;
    this.currentRunsDir = next;
    this.currentStore = undefined;
    void this.resetManager();
    this.runsDirChanged.fire();
  }

  /**
   * Settings the manager was built with changed: the next use makes a new one (new runs go to the new
   * folder with the new settings at once); the old one is disposed once the runs it carries have finished.
   */
  private async resetManager(): Promise<void> {
    const old = this.currentManager;
    this.currentManager = undefined;
    if (!old) return;
    await old.whenIdle();
    await old.dispose();
  }
}
