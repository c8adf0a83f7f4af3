/**
 * What every feature shares: the log, the runs folder and its store, the run manager (created lazily:
 * it owns the scoring worker) and the runs in progress. One instance per activation.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunManager } from '../core/run/runManager';
import { RunStore } from '../core/storage/runStore';
import { ActiveRuns } from './activeRuns';
import { requestTimeoutMs, resolveRunsDir, retries, streamReplies } from './settings';

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
    this.disposables.push(
      this.log,
      this.activeRuns,
      this.runsDirChanged,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('evalbench.runsFolder')) this.updateRunsDir();
        // Settings the manager is built with: a new one is made for the next run.
        if (['requestTimeoutSeconds', 'retries', 'stream'].some((key) => event.affectsConfiguration(`evalbench.${key}`))) void this.resetManager();
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
      clientOptions: { requestTimeoutMs: requestTimeoutMs(), retry: { maxRetries: retries(), baseDelayMs: 500, maxDelayMs: 30_000 } },
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

  /** Settings the manager was built with changed; a new one is made on next use (runs in progress finish). */
  private async resetManager(): Promise<void> {
    if (this.activeRuns.all().length > 0) return;
    const old = this.currentManager;
    this.currentManager = undefined;
    await old?.dispose();
  }
}
