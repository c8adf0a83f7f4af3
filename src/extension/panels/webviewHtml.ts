/**
 * The webview's HTML shell: a strict CSP (scripts only with a nonce, resources only from dist/webview).
 * Pure text: the URIs come from the caller (src/extension/panels/vscodePanelPlatform.ts), so tests read it without VS Code.
 */
import { randomBytes } from 'node:crypto';
import type { WebviewState } from '../../shared/webviewProtocol';

/** Where the page's script and stylesheet are, as the webview may load them, and the webview's CSP source. */
export interface PageResources {
  script: string;
  styles: string;
  cspSource: string;
}

export function webviewHtml(resources: PageResources, title: string, initialState: WebviewState): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${resources.cspSource}`,
    `font-src ${resources.cspSource}`,
    `img-src ${resources.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${resources.styles}">
<title>${escapeHtml(title)}</title>
</head>
<body data-state="${escapeHtml(JSON.stringify(initialState))}">
<div id="app"><p class="loading">Loading…</p></div>
<script type="module" nonce="${nonce}" src="${resources.script}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
