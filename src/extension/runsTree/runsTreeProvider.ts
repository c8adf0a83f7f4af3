/**
 * The runs tree: benchmark → model → run. Reads only the small summary files, and refreshes (debounced)
 * when the runs folder changes on disk, whoever wrote it (this window, the CLI, another window).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { RunSummary } from '../../core/storage/types';
import { BaselineDeltas } from '../baselines/baselineDeltas';
import { baselinesPath, readBaselines, writeBaseline } from '../baselines/baselineFile';
import { readRun } from '../runReading';
import type { EvalBenchServices } from '../services';
import { BenchmarkNode } from './benchmarkNode';
import { ModelNode } from './modelNode';
import { RunNode } from './runNode';
import { groupRuns } from './runsGrouping';
import { applyFilter, describeFilter, isEmptyFilter, type RunsFilter } from './runsFilter';

export type RunsTreeNode = BenchmarkNode | ModelNode | RunNode;

const REFRESH_DEBOUNCE_MS = 300;
/** While this window runs evals, their lines show live counts; summary files are only rewritten now and then. */
const LIVE_REFRESH_MS = 2_000;

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: BenchmarkNode[] | undefined;
  private summaries: RunSummary[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private watcher: vscode.Disposable | undefined;
  private liveTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private filter: RunsFilter | undefined;
  private readonly filterChanged = new vscode.EventEmitter<string | undefined>();
  /** Fires the filter's description (undefined when cleared), for the view's description line. */
  readonly onDidChangeFilter = this.filterChanged.event;
  /** benchmark id → baseline run id, as last read from baselines.json. */
  private baselines: Record<string, string> = {};
  readonly deltas: BaselineDeltas;

  constructor(private readonly services: EvalBenchServices) {
    this.deltas = new BaselineDeltas(
      (runId) => readRun(services.store(), runId),
      (runId) => {
        const node = this.findRun(runId);
        if (node) this.changed.fire(node);
      },
    );
    this.disposables.push(this.filterChanged);
    this.watchRunsFolder();
    this.disposables.push(services.onDidChangeRunsDir(() => this.watchRunsFolder()));
    this.disposables.push(services.activeRuns.onDidChange(() => this.onActiveRunsChanged()));
  }

  /** Summaries as last read (for pickers: "Compare with…"), whatever the filter. */
  async allSummaries(): Promise<RunSummary[]> {
    if (!this.roots) await this.load();
    return this.summaries;
  }

  currentFilter(): RunsFilter | undefined {
    return this.filter;
  }

  setFilter(filter: RunsFilter | undefined): void {
    this.filter = isEmptyFilter(filter) ? undefined : filter;
    void vscode.commands.executeCommand('setContext', 'evalbench.runsFiltered', this.filter !== undefined);
    this.filterChanged.fire(describeFilter(this.filter));
    this.refresh();
  }

  baselineOf(benchmarkId: string): string | undefined {
    return this.baselines[benchmarkId];
  }

  /** Pins (or, with undefined, clears) the baseline of a benchmark in baselines.json next to the runs folder. */
  async setBaseline(benchmarkId: string, runId: string | undefined): Promise<void> {
    this.baselines = await writeBaseline(baselinesPath(this.services.runsDir()), benchmarkId, runId);
    this.changed.fire(undefined);
  }

  refresh(): void {
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  scheduleRefresh(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.refresh();
    }, REFRESH_DEBOUNCE_MS);
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    const item = node.toTreeItem();
    if (node instanceof RunNode) this.decorate(node.summary, item);
    return item;
  }

  /** The baseline run is marked; other finished runs of its benchmark show their delta against it. */
  private decorate(summary: RunSummary, item: vscode.TreeItem): void {
    const baselineId = this.baselines[summary.benchmarkId];
    if (!baselineId) return;
    if (baselineId === summary.id) {
      item.description = `${item.description} · baseline`;
      item.contextValue = `${item.contextValue}.baseline`;
      item.iconPath = new vscode.ThemeIcon('pinned', new vscode.ThemeColor('charts.blue'));
      return;
    }
    const baseline = this.summaries.find((s) => s.id === baselineId);
    if (!baseline || summary.status === 'running' || baseline.status === 'running') return;
    const state = this.deltas.get(baseline, summary);
    if (state.kind === 'pending') item.description = `${item.description} · …`;
    else if (state.kind === 'error') item.tooltip = `${item.tooltip}\nNo delta against the baseline: ${state.message}`;
    else {
      // The tree's line is narrow: for a finished run the icon already says "done", the delta takes its place.
      const base = summary.status === 'done' ? String(item.description).replace(/ · done$/, '') : item.description;
      item.description = `${base} · ${state.text}`;
      item.tooltip = `${item.tooltip}\nAgainst the baseline ${baseline.id}: ${state.sentence}`;
    }
  }

  async getChildren(node?: RunsTreeNode): Promise<RunsTreeNode[]> {
    if (node) return node.children;
    if (!this.roots) await this.load();
    return this.roots ?? [];
  }

  getParent(node: RunsTreeNode): RunsTreeNode | undefined {
    return node.parent;
  }

  findRun(runId: string): RunNode | undefined {
    for (const benchmark of this.roots ?? []) {
      for (const model of benchmark.children) {
        const run = model.children.find((r) => r.summary.id === runId);
        if (run) return run;
      }
    }
    return undefined;
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    if (this.liveTimer) clearInterval(this.liveTimer);
    this.watcher?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private onActiveRunsChanged(): void {
    this.scheduleRefresh();
    const active = this.services.activeRuns.all().length > 0;
    if (active && !this.liveTimer) this.liveTimer = setInterval(() => this.refresh(), LIVE_REFRESH_MS);
    if (!active && this.liveTimer) {
      clearInterval(this.liveTimer);
      this.liveTimer = undefined;
    }
  }

  private async load(): Promise<void> {
    try {
      this.summaries = (await this.services.store().listSummaries()).map((summary) => this.withLiveProgress(summary));
    } catch (error) {
      this.services.log.error(`could not list runs in ${this.services.runsDir()}: ${errorMessage(error)}`);
      this.summaries = [];
    }
    try {
      this.baselines = await readBaselines(baselinesPath(this.services.runsDir()));
    } catch (error) {
      this.services.log.warn(errorMessage(error));
      this.baselines = {};
    }
    this.deltas.prune(this.summaries);
    this.roots = groupRuns(applyFilter(this.summaries, this.filter)).map((group) => new BenchmarkNode(group));
    void vscode.commands.executeCommand('setContext', 'evalbench.hasRuns', this.summaries.length > 0);
  }

  /** A run this window is executing: its live progress is newer than its summary file. */
  private withLiveProgress(summary: RunSummary): RunSummary {
    const handle = this.services.activeRuns.get(summary.id);
    if (!handle) return summary;
    const p = handle.progress();
    return {
      ...summary,
      status: p.status,
      counts: p.counts,
      headline: p.metrics[0] ?? summary.headline,
      metrics: p.metrics.length ? p.metrics : summary.metrics,
    };
  }

  private watchRunsFolder(): void {
    this.watcher?.dispose();
    const pattern = new vscode.RelativePattern(vscode.Uri.file(this.services.runsDir()), '*.{json,sqlite}');
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const onChange = () => this.scheduleRefresh();
    // baselines.json may be edited by the CLI or another window.
    const baselines = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(baselinesPath(this.services.runsDir()))), 'baselines.json'));
    this.watcher = vscode.Disposable.from(
      watcher, watcher.onDidCreate(onChange), watcher.onDidChange(onChange), watcher.onDidDelete(onChange),
      baselines, baselines.onDidCreate(onChange), baselines.onDidChange(onChange), baselines.onDidDelete(onChange),
    );
    this.refresh();
  }
}
