/**
 * One self-contained HTML file: styles, data, the drawing script (webview-ui/src/report, bundled with
 * Observable Plot) and everything else inlined. Its Content-Security-Policy forbids every fetch, so the
 * page cannot reach the network even if a response in the data tried. The headline, sentences and
 * metrics are static HTML (readable without script); the script draws the charts and the item table.
 */
import type { ReportModel, ReportTable } from './reportModel';

export interface ReportAssets {
  /** The report's browser script (an IIFE). */
  script: string;
  css: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe inside <script>: no "<" (so no "</script>"), no line separators that older parsers reject. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A script body that cannot close its own <script> element. */
function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function tableHtml(t: ReportTable, className: string): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const rows = t.rows.map((r) => `<tr>${r.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

export const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'";

export function renderHtmlReport(model: ReportModel, assets: ReportAssets, generatedAt = new Date().toISOString()): string {
  const { charts, items, ...rest } = model;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="generator" content="EvalBench">
<title>${escapeHtml(model.title)}</title>
<style>${assets.css.replace(/<\/(style)/gi, '<\\/$1')}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(model.title)}</h1>
${rest.facts.map((f) => `<p class="muted">${escapeHtml(f)}</p>`).join('\n')}
</header>
<section class="headline">${rest.headline.map((s) => `<p>${escapeHtml(s)}</p>`).join('\n')}</section>
${rest.sentences.length ? `<section class="sentences"><ul>${rest.sentences.map((s) => `<li class="${s.startsWith('Warning') ? 'warning' : ''}">${escapeHtml(s)}</li>`).join('')}</ul></section>` : ''}
<h2>Metrics</h2>
${tableHtml(rest.metrics, 'metrics')}
<h2>Charts</h2>
<div id="charts" class="charts"><p class="muted">The charts need JavaScript; their tables follow.</p>${charts.map((c) => `<h3>${escapeHtml(c.title)}</h3>${tableHtml(c.alt, 'alt')}`).join('\n')}</div>
<h2>Items</h2>
<div id="items"><p class="muted">${items.rows.length} rows. The searchable table needs JavaScript.</p></div>
<footer class="muted">Made by EvalBench on ${escapeHtml(generatedAt.slice(0, 19).replace('T', ' '))} UTC. Self-contained: this file loads nothing from the network.</footer>
</main>
<script type="application/json" id="report-data">${scriptJson({ charts, items })}</script>
<script>${inlineScript(assets.script)}</script>
</body>
</html>
`;
}
