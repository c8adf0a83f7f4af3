/** The comparison panel: two runs side by side; an item opens the native diff editor over both responses. */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { openItemDiff } from '../diff/runContentProvider';
import { readRun } from '../runReading';
import type { EvalBenchServices } from '../services';
import type { FromWebview } from '../../shared/webviewProtocol';
import { openPanelChannel, type PanelChannel } from './panelChannel';
import { compareContents, pairwiseView } from './compareViewModel';
import { loadPairwiseReport } from '../../core/judge/pairwiseRuns';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const COMPARE_PANEL_TYPE = 'evalbench.comparePanel';

export class ComparePanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: PanelChannel;

  static show(services: EvalBenchServices, runA: string, runB: string): ComparePanel {
    const panel = vscode.window.createWebviewPanel(COMPARE_PANEL_TYPE, `Compare ${runA} ↔ ${runB}`, vscode.ViewColumn.Active, webviewOptions(services.context.extensionUri));
    return new ComparePanel(services, panel, runA, runB);
  }

  static revive(services: EvalBenchServices, panel: vscode.WebviewPanel, runA: string, runB: string): ComparePanel {
    panel.webview.options = webviewOptions(services.context.extensionUri);
    return new ComparePanel(services, panel, runA, runB);
  }

  private constructor(
    private readonly services: EvalBenchServices,
    readonly panel: vscode.WebviewPanel,
    private runA: string,
    private runB: string,
  ) {
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'evalbench.svg');
    const connection = openPanelChannel(panel.webview, {}, (message) => void this.handle(message));
    this.channel = connection.channel;
    this.loadPage();
    this.disposables.push(connection, panel.onDidDispose(() => this.dispose()));
  }

  /** The page carries the pair in its state, so a reload (or a swap) brings back this order. */
  private loadPage(): void {
    this.panel.webview.html = webviewHtml(this.panel.webview, this.services.context.extensionUri, this.panel.title, { kind: 'compare', runIds: [this.runA, this.runB] });
  }

  /** The two runs, A first. */
  get runIds(): [string, string] {
    return [this.runA, this.runB];
  }

  private async handle(message: FromWebview): Promise<void> {
    if (message.method === 'ready') {
      try {
        const [a, b] = await Promise.all([readRun(this.services.store(), this.runA), readRun(this.services.store(), this.runB)]);
        const snapshot = compareContents(a, b);
        const pairwise = loadPairwiseReport(this.services.store().runsDir, a.run.id, b.run.id);
        if (pairwise) snapshot.pairwise = pairwiseView(pairwise);
        const side = (h: typeof snapshot.a) => `${h.model} ${new Date(h.createdAt).toLocaleTimeString()}`;
        this.panel.title = `Compare ${side(snapshot.a)} ↔ ${side(snapshot.b)}`;
        this.channel.notify('compareSnapshot', { snapshot });
      } catch (error) {
        this.channel.notify('error', { message: `Could not compare ${this.runA} and ${this.runB}: ${errorMessage(error)}` });
      }
    } else if (message.method === 'swapSides') {
      [this.runA, this.runB] = [this.runB, this.runA];
      this.loadPage();
    } else if (message.method === 'openDiff') {
      await openItemDiff(this.runA, this.runB, message.params.itemId);
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
    this.panel.dispose();
  }
}
