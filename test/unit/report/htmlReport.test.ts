/**
 * The shareable HTML report: `export --format html` and `compare --html` write one file that Chromium
 * renders with every non-file request blocked (and none attempted): charts drawn, item search working.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { createCompareCommand } from '../../../src/cli/commands/compare';
import { createExportCommand } from '../../../src/cli/commands/export';
import type { CliIo } from '../../../src/cli/command';
import type { RunData } from '../../../src/core/compare/runData';
import { escapeHtml, renderHtmlReport, scriptJson, type ReportAssets } from '../../../src/core/report/htmlReport';
import { runReportModel } from '../../../src/core/report/reportModel';
import { useTempDir } from '../../support/tempDir';
import { binaryRun } from '../../support/runFixtures';

const root = path.resolve(__dirname, '..', '..', '..');

/** The report script built as esbuild.mjs builds it, in memory (the tests never depend on dist/). */
async function buildAssets(): Promise<ReportAssets> {
  const out = await esbuild.build({
    entryPoints: [path.join(root, 'webview-ui/src/report/reportMain.ts')],
    bundle: true, platform: 'browser', target: 'es2020', format: 'iife', minify: true, write: false, logLevel: 'silent',
  });
  return { script: out.outputFiles[0].text, css: fs.readFileSync(path.join(root, 'webview-ui/src/report/report.css'), 'utf8') };
}

function io(cwd: string): CliIo {
  return { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd, signal: new AbortController().signal };
}

function loader(runs: Record<string, RunData>) {
  return () => async (ref: string) => runs[ref];
}

/** Samples 300 ms apart (A) or 450 ms (B), so the latency chart has data. */
function timed(run: RunData, latencyMs: number): RunData {
  const start = Date.parse('2026-11-20T10:00:00.000Z');
  return {
    ...run,
    samples: run.samples.map((s, i) => ({ ...s, latencyMs: latencyMs + (i % 7) * 40, completionTokens: 50, startedAt: new Date(start + i * latencyMs).toISOString(), finishedAt: new Date(start + (i + 1) * latencyMs).toISOString() })),
  };
}

interface Loaded {
  charts: { id: string; marks: number }[];
  attempted: string[];
  errors: string[];
  search: (query: string) => Promise<{ visible: number; text: string[] }>;
}

async function open(browser: Browser, file: string): Promise<Loaded> {
  const context = await browser.newContext({ offline: true });
  const page = await context.newPage();
  const attempted: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    attempted.push(url);
    return route.abort();
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`file://${file}`);
  await page.waitForSelector('figure.chart svg', { timeout: 60_000 });
  const charts = await page.$$eval('figure.chart', (figures) =>
    figures.map((f) => ({ id: f.getAttribute('data-chart') ?? '', marks: f.querySelectorAll('svg rect, svg path, svg circle, svg line').length })),
  );
  const search = async (query: string) => {
    await page.fill('#item-search', query);
    return page.$$eval('table.items tbody tr', (rows) => {
      const shown = rows.filter((r) => !r.hasAttribute('hidden'));
      return { visible: shown.length, text: shown.map((r) => r.textContent ?? '') };
    });
  };
  return { charts, attempted, errors, search };
}

/** No reference the browser would fetch: no external src/href, no <link>, no CSS url() or @import. */
function assertSelfContained(html: string): void {
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /\s(src|href)\s*=\s*["']?(https?:|\/\/)/i);
  assert.doesNotMatch(html, /url\(\s*["']?(https?:|\/\/)/i);
  assert.doesNotMatch(html, /@import/i);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
}

describe('HTML report', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  let assets: ReportAssets;
  let browser: Browser;

  before(async () => {
    assets = await buildAssets();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
    });
  });
  after(async () => browser?.close());

  it('escapes text and keeps the data from closing its script element', () => {
    assert.equal(escapeHtml(`<b a="x">'&`), '&lt;b a=&quot;x&quot;&gt;&#39;&amp;');
    assert.equal(scriptJson({ r: '</script><script>alert(1)</script>' }), '{"r":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"}');
    const run = binaryRun('r', [true, false]);
    run.samples[1] = { ...run.samples[1], response: '</script><img src=x onerror=alert(1)>' };
    const html = renderHtmlReport(runReportModel(run, { resamples: 200 }), { script: 'void "</script>"', css: '' });
    assert.equal(html.match(/<\/script>/g)!.length, 2, 'only the two real script elements close');
    assert.ok(!html.includes('<img src=x'), 'a response never becomes markup');
  });

  it('export RUN --format html: one file, charts drawn offline, item search filters rows', async () => {
    const run = timed(binaryRun('run1', Array.from({ length: 12 }, (_, i) => i % 3 !== 0)), 300);
    run.samples[4] = { ...run.samples[4], response: 'a reply mentioning <b>zebra</b>' };
    const file = path.join(tmp.path, 'report.html');
    const code = await createExportCommand(loader({ run1: run }), () => assets).run(['run1', '--format', 'html', '--out', file], io(tmp.path));
    assert.equal(code, 0);
    assert.deepEqual(fs.readdirSync(tmp.path), ['report.html'], 'exactly one file written');
    const html = fs.readFileSync(file, 'utf8');
    assertSelfContained(html);
    assert.match(html, /Accuracy: 66\.7% of 12 judged, 95% CI/);
    const page = await open(browser, file);
    assert.deepEqual(page.attempted, [], 'no request other than the file itself');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.charts.map((c) => c.id), ['metrics', 'latency']);
    for (const c of page.charts) assert.ok(c.marks > 3, `chart ${c.id} has drawn marks (${c.marks})`);
    assert.equal((await page.search('')).visible, 12);
    const zebra = await page.search('zebra');
    assert.equal(zebra.visible, 1);
    assert.match(zebra.text[0], /q4[\s\S]*question 4[\s\S]*a reply mentioning <b>zebra<\/b>/);
    const wrong = await page.search('wrong expected');
    assert.equal(wrong.visible, 4, 'the reason column is searchable (4 wrong answers)');
  });

  it('compare A B --html FILE: delta, flips, latency and cause charts, both responses per item', async () => {
    const a = timed(binaryRun('a', Array.from({ length: 40 }, (_, i) => i < 30)), 300);
    const b = timed(binaryRun('b', Array.from({ length: 40 }, (_, i) => i < 22 || i >= 36)), 450);
    const file = path.join(tmp.path, 'compare.html');
    const code = await createCompareCommand(loader({ a, b }), () => assets).run(['a', 'b', '--html', file, '--resamples', '500'], io(tmp.path));
    assert.equal(code, 0);
    const html = fs.readFileSync(file, 'utf8');
    assertSelfContained(html);
    assert.match(html, /B is 10\.0 points worse than A on accuracy/);
    const page = await open(browser, file);
    assert.deepEqual(page.attempted, []);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.charts.map((c) => c.id), ['metric-deltas', 'flips', 'latency', 'cause-deltas']);
    for (const c of page.charts) assert.ok(c.marks > 1, `chart ${c.id} has drawn marks (${c.marks})`);
    const broken = await page.search('broken in B');
    assert.equal(broken.visible, 8);
    assert.equal((await page.search('fixed')).visible, 4);
    // Items 30–35 are judged wrong in both runs: wrong answers, never called failures.
    assert.equal((await page.search('both wrong')).visible, 6);
    assert.equal((await page.search('both fail')).visible, 0);
  });
});
