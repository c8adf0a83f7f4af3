/** PanelHost's VS Code: webview panels with scripts on, resources only from dist/webview, our icon, and serializers. */
import * as vscode from 'vscode';
import type { PanelPlatform } from './panelHost';

export function vscodePanelPlatform(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): PanelPlatform<vscode.WebviewPanel> {
  const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const options: vscode.WebviewOptions & vscode.WebviewPanelOptions = { enableScripts: true, localResourceRoots: [root], enableFindWidget: true };
  const icon = vscode.Uri.joinPath(extensionUri, 'media', 'evalbench.svg');
  return {
    create(viewType, title) {
      const panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, options);
      panel.iconPath = icon;
      return panel;
    },
    prepare(panel) {
      panel.webview.options = options;
      panel.iconPath = icon;
    },
    page: ({ webview }) => ({
      script: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js')).toString(),
      styles: webview.asWebviewUri(vscode.Uri.joinPath(root, 'styles.css')).toString(),
      cspSource: webview.cspSource,
    }),
    registerSerializer: (viewType, revive) => vscode.window.registerWebviewPanelSerializer(viewType, { deserializeWebviewPanel: revive }),
    log: (message) => log.error(message),
  };
}
