/**
 * The run panel: header, live progress, items table, item detail. The host owns the state: it answers
 * the webview's `ready` with a snapshot read from the run file, then streams coalesced updates from the
 * live run handle (if this window is running it). Closing the panel releases every listener.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { RunHandle } from '../../core/run/types';
import type { SampleRecord, StoredItem } from '../../core/storage/types';
import { runItemUri } from '../diff/runContentProvider';
import { readRun } from '../runReading';
import type { EvalBenchServices } from '../services';
import type { FromWebview, ItemDetail } from '../../shared/webviewProtocol';
import { openPanelChannel, type PanelChannel } from './panelChannel';
import { UpdateCoalescer } from './updateCoalescer';
import { buildRows, headerView, itemDetail, parseRowKey, progressFromRun, progressFromStored, rowKey, sampleRow } from './runViewModel';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const RUN_PANEL_TYPE = 'evalbench.runPanel';

export class RunPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, RunPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly coalescer: UpdateCoalescer;
  private readonly channel: PanelChannel;
  private items = new Map<string, StoredItem>();
  private samples = new Map<string, SampleRecord>();
  private live: vscode.Disposable | undefined;
  /** Handles whose run ended: never subscribed to again (their `done` has already resolved). */
  private readonly ended = new WeakSet<RunHandle>();

  static show(services: EvalBenchServices, runId: string): RunPanel {
    const existing = RunPanel.panels.get(runId);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RUN_PANEL_TYPE, `Run ${runId}`, vscode.ViewColumn.Active, webviewOptions(services.context.extensionUri));
    return new RunPanel(services, panel, runId);
  }

  /** Used by the serializer after a reload. */
  static revive(services: EvalBenchServices, panel: vscode.WebviewPanel, runId: string): RunPanel {
    panel.webview.options = webviewOptions(services.context.extensionUri);
    return new RunPanel(services, panel, runId);
  }

  static find(runId: string): RunPanel | undefined {
    return RunPanel.panels.get(runId);
  }

  private constructor(
    private readonly services: EvalBenchServices,
    readonly panel: vscode.WebviewPanel,
    readonly runId: string,
  ) {
    RunPanel.panels.set(runId, this);
    const connection = openPanelChannel(panel.webview, { itemDetail: ({ key }) => this.itemDetail(key) }, (message) => void this.handle(message));
    this.channel = connection.channel;
    this.coalescer = new UpdateCoalescer((update) => this.channel.notify('runUpdate', update));
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'evalbench.svg');
    panel.webview.html = webviewHtml(panel.webview, services.context.extensionUri, `Run ${runId}`, { kind: 'run', runId });
    this.disposables.push(
      connection,
      panel.onDidDispose(() => this.dispose()),
      // A run started after the panel opened (resume, re-run failed) becomes live.
      services.activeRuns.onDidChange(() => this.attachLiveRun()),
    );
  }

  private itemDetail(key: string): ItemDetail {
    const { itemId, sampleIndex } = parseRowKey(key);
    const item = this.items.get(itemId);
    const sample = this.samples.get(rowKey(itemId, sampleIndex));
    if (!item && !sample) throw new Error(`item ${key} is not in run ${this.runId}`);
    return itemDetail(item, sample, key);
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.method) {
      case 'ready':
        await this.sendSnapshot();
        return;
      case 'openInEditor': {
        const { itemId, sampleIndex } = parseRowKey(message.params.key);
        const doc = await vscode.workspace.openTextDocument(runItemUri({ runId: this.runId, itemId, sampleIndex, part: message.params.part }));
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
        return;
      }
      case 'openDiff':
        await vscode.commands.executeCommand('evalbench.compareRuns', this.runId);
        return;
      case 'command':
        if (message.params.command === 'cancelRun') this.services.activeRuns.get(this.runId)?.cancel();
        else await vscode.commands.executeCommand(`evalbench.${message.params.command}`, this.runId);
        return;
    }
  }

  private async sendSnapshot(): Promise<void> {
    this.coalescer.pause();
    // Subscribe first: samples finishing while the file is read are buffered, not lost.
    this.attachLiveRun();
    try {
      const contents = await readRun(this.services.store(), this.runId);
      this.items = new Map(contents.items.map((i) => [i.id, i]));
      // Samples that finished live but are not yet on disk win over the file's (older) view.
      const merged = new Map(contents.samples.map((s) => [rowKey(s.itemId, s.sampleIndex), s]));
      for (const s of this.services.activeRuns.samples(this.runId)) merged.set(rowKey(s.itemId, s.sampleIndex), s);
      for (const [key, s] of this.samples) merged.set(key, s);
      this.samples = merged;
      const rows = buildRows(contents.items, [...this.samples.values()], contents.run.config.samplesPerItem);
      const handle = this.services.activeRuns.get(this.runId);
      const progress = handle ? progressFromRun(handle.progress()) : progressFromStored(contents.run, rows);
      this.panel.title = `${contents.run.config.endpoint.label ?? contents.run.config.endpoint.model} · ${contents.run.config.benchmarkId}`;
      this.coalescer.clear();
      this.channel.notify('runSnapshot', { snapshot: { header: headerView(contents.run, this.samples.values()), progress, rows } });
      this.coalescer.resume();
      this.attachLiveRun();
    } catch (error) {
      this.services.log.error(`run panel ${this.runId}: ${errorMessage(error)}`);
      this.channel.notify('error', { message: `Could not open run ${this.runId}: ${errorMessage(error)}` });
    }
  }

  private attachLiveRun(): void {
    const handle = this.services.activeRuns.get(this.runId);
    if (!handle || this.live || this.ended.has(handle)) return;
    this.live = this.subscribe(handle);
  }

  private subscribe(handle: RunHandle): vscode.Disposable {
    const onSample = handle.onSample((sample) => {
      this.samples.set(rowKey(sample.itemId, sample.sampleIndex), sample);
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
        if (RunPanel.panels.get(this.runId) === this) void this.sendSnapshot();
      },
      () => undefined,
    );
    return { dispose: () => (onSample.dispose(), onProgress.dispose()) };
  }

  dispose(): void {
    if (RunPanel.panels.get(this.runId) === this) RunPanel.panels.delete(this.runId);
    this.live?.dispose();
    this.live = undefined;
    this.coalescer.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
    this.panel.dispose();
  }
}
