/**
 * The run panel: header, live progress, items table, item detail. The host owns the state: the snapshot is
 * read from the run file, then coalesced updates stream from the live run handle (if this window is running
 * it). Creating, reviving, the page and disposal are PanelHost's; this file is the run's part.
 */
import * as vscode from 'vscode';
import type { RunHandle } from '../../core/run/types';
import type { SampleRecord, StoredItem } from '../../core/storage/types';
import { isRunCommand, type ToWebview } from '../../shared/webviewProtocol';
import { runItemUri } from '../diff/runContentProvider';
import { readRun } from '../runReading';
import type { EvalBenchServices } from '../services';
import type { OpenPanel, PanelBehaviour, PanelSpec } from './panelHost';
import { buildRows, headerView, itemDetail, parseRowKey, progressFromRun, progressFromStored, rowKey, sampleRow } from './runViewModel';
import { snapshotSamples } from './snapshotSamples';
import { UpdateCoalescer } from './updateCoalescer';

export const RUN_PANEL_TYPE = 'evalbench.runPanel';

export interface RunPanelState {
  kind: 'run';
  runId: string;
}

export function runPanelSpec(services: EvalBenchServices): PanelSpec<RunPanelState> {
  return {
    viewType: RUN_PANEL_TYPE,
    title: (state) => `Run ${state.runId}`,
    key: (state) => state.runId,
    restore: (saved) => (saved?.runId ? { kind: 'run', runId: saved.runId } : undefined),
    behaviour: (panel) => new RunPanelBehaviour(services, panel),
  };
}

class RunPanelBehaviour implements PanelBehaviour {
  private readonly runId: string;
  private readonly coalescer: UpdateCoalescer;
  private items = new Map<string, StoredItem>();
  private samples = new Map<string, SampleRecord>();
  /** One list per snapshot whose file read is under way: the samples that finished meanwhile. */
  private readonly reads = new Set<SampleRecord[]>();
  private live: vscode.Disposable | undefined;
  /** Handles whose run ended: never subscribed to again (their `done` has already resolved). */
  private readonly ended = new WeakSet<RunHandle>();
  private readonly activeRunsChanged: vscode.Disposable;

  constructor(
    private readonly services: EvalBenchServices,
    private readonly panel: OpenPanel<RunPanelState>,
  ) {
    this.runId = panel.state.runId;
    this.coalescer = new UpdateCoalescer((update) => panel.notify('runUpdate', update));
    // A run started after the panel opened (resume, re-run failed) becomes live.
    this.activeRunsChanged = services.activeRuns.onDidChange(() => this.attachLiveRun());
  }

  failure(): string {
    return `Could not open run ${this.runId}`;
  }

  readonly requests = {
    itemDetail: ({ key }: { key: string }) => {
      const { itemId, sampleIndex } = parseRowKey(key);
      const item = this.items.get(itemId);
      const sample = this.samples.get(rowKey(itemId, sampleIndex));
      if (!item && !sample) throw new Error(`item ${key} is not in run ${this.runId}`);
      return itemDetail(item, sample, key);
    },
  };

  readonly notifications = {
    openInEditor: async ({ key, part }: { key: string; part: 'response' | 'prompt' }) => {
      const { itemId, sampleIndex } = parseRowKey(key);
      const doc = await vscode.workspace.openTextDocument(runItemUri({ runId: this.runId, itemId, sampleIndex, part }));
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    },
    openDiff: () => vscode.commands.executeCommand('evalbench.compareRuns', this.runId),
    command: ({ command }: { command: string }) => {
      if (!isRunCommand(command)) throw new Error(`'${command}' is not a run panel command`);
      if (command === 'cancelRun') this.services.activeRuns.get(this.runId)?.cancel();
      else return vscode.commands.executeCommand(`evalbench.${command}`, this.runId);
    },
  };

  async snapshot(): Promise<ToWebview> {
    this.coalescer.pause();
    // Subscribe first: samples finishing while the file is read are buffered, not lost.
    this.attachLiveRun();
    const arrived: SampleRecord[] = [];
    this.reads.add(arrived);
    let contents: Awaited<ReturnType<typeof readRun>>;
    try {
      contents = await readRun(this.services.store(), this.runId);
    } finally {
      this.reads.delete(arrived);
    }
    this.items = new Map(contents.items.map((i) => [i.id, i]));
    // The file is the truth (it may have been rescored or re-run from a terminal since the last snapshot);
    // over it only what it cannot hold yet: see snapshotSamples.ts.
    this.samples = snapshotSamples(contents.samples, this.services.activeRuns.samples(this.runId), arrived);
    const rows = buildRows(contents.items, [...this.samples.values()], contents.run.config.samplesPerItem);
    const handle = this.services.activeRuns.get(this.runId);
    const progress = handle ? progressFromRun(handle.progress()) : progressFromStored(contents.run, rows);
    this.panel.title = `${contents.run.config.endpoint.label ?? contents.run.config.endpoint.model} · ${contents.run.config.benchmarkId}`;
    // Rows buffered so far are in the snapshot. Resuming only arms the coalescer's timer, so no update can
    // overtake the snapshot, which the host posts as soon as this returns.
    this.coalescer.clear();
    this.coalescer.resume();
    this.attachLiveRun();
    return { kind: 'notification', method: 'runSnapshot', params: { snapshot: { header: headerView(contents.run, this.samples.values()), progress, rows } } };
  }

  private attachLiveRun(): void {
    const handle = this.services.activeRuns.get(this.runId);
    if (!handle || this.live || this.ended.has(handle)) return;
    this.live = this.subscribe(handle);
  }

  private subscribe(handle: RunHandle): vscode.Disposable {
    const onSample = handle.onSample((sample) => {
      this.samples.set(rowKey(sample.itemId, sample.sampleIndex), sample);
      for (const arrived of this.reads) arrived.push(sample);
      this.coalescer.addRow(sampleRow(sample, this.items.get(sample.itemId)));
    });
    const onProgress = handle.onProgress((progress) => this.coalescer.setProgress(progressFromRun(progress)));
    void handle.done.then(
      () => {
        this.ended.add(handle);
        this.coalescer.setProgress(progressFromRun(handle.progress()));
        this.coalescer.flush();
        this.live?.dispose();
        this.live = undefined;
        // The final record (metrics, status) is in the file now: send a fresh snapshot.
        void this.panel.refresh();
      },
      () => undefined,
    );
    return { dispose: () => (onSample.dispose(), onProgress.dispose()) };
  }

  dispose(): void {
    this.activeRunsChanged.dispose();
    this.live?.dispose();
    this.live = undefined;
    this.coalescer.dispose();
  }
}
