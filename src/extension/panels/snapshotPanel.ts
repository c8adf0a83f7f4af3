/**
 * A read-only panel whose whole content is one snapshot built by the host (the model matrix, the
 * leaderboard): answers the webview's `ready` with the snapshot, opens runs and comparisons it asks for.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { EvalBenchServices } from '../services';
import type { ToWebview, WebviewState } from '../../shared/webviewProtocol';
import { openPanelChannel, type PanelChannel } from './panelChannel';
import { webviewHtml, webviewOptions } from './webviewHtml';

export interface SnapshotSource {
  viewType: string;
  state: WebviewState;
  /** Builds the one message the panel shows; a thrown error is shown in the panel. */
  build(): Promise<ToWebview>;
  /** What the build failed at, in words ("Could not build the matrix of 3 runs"). */
  failure: string;
}

const open = new Set<SnapshotPanel>();

export class SnapshotPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: PanelChannel;

  static show(services: EvalBenchServices, source: SnapshotSource, title: string): SnapshotPanel {
    const panel = vscode.window.createWebviewPanel(source.viewType, title, vscode.ViewColumn.Active, webviewOptions(services.context.extensionUri));
    return new SnapshotPanel(services, panel, source);
  }

  static revive(services: EvalBenchServices, panel: vscode.WebviewPanel, source: SnapshotSource): SnapshotPanel {
    panel.webview.options = webviewOptions(services.context.extensionUri);
    return new SnapshotPanel(services, panel, source);
  }

  /** Open panels of one view type (tests, and "rebuild on change"). */
  static all(viewType: string): SnapshotPanel[] {
    return [...open].filter((p) => p.source.viewType === viewType);
  }

  private constructor(
    services: EvalBenchServices,
    readonly panel: vscode.WebviewPanel,
    readonly source: SnapshotSource,
  ) {
    open.add(this);
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'evalbench.svg');
    panel.webview.html = webviewHtml(panel.webview, services.context.extensionUri, panel.title, source.state);
    const connection = openPanelChannel(panel.webview, {}, (message) => {
      if (message.method === 'ready') void this.refresh();
      else if (message.method === 'openRun') void vscode.commands.executeCommand('evalbench.openRun', message.params.runId);
    });
    this.channel = connection.channel;
    this.disposables.push(connection, panel.onDidDispose(() => this.dispose()));
  }

  /** Lets tests and callers wait for the content. */
  lastMessage: ToWebview | undefined;

  async refresh(): Promise<void> {
    try {
      this.lastMessage = await this.source.build();
    } catch (error) {
      this.lastMessage = { kind: 'notification', method: 'error', params: { message: `${this.source.failure}: ${errorMessage(error)}` } };
    }
    this.channel.notify(this.lastMessage.method, this.lastMessage.params);
  }

  dispose(): void {
    open.delete(this);
    vscode.Disposable.from(...this.disposables).dispose();
    this.panel.dispose();
  }
}
