// Webview speed in Chromium: time to first paint of the run panel and update rate with live rows.
// Serves the built bundle (dist/webview) on loopback with a fake acquireVsCodeApi, answers `ready`
// with a snapshot of N rows, then streams runUpdate messages (10 changed rows each) as fast as the page
// renders them. Targets: first paint ≤ 500 ms, ≥ 20 updates/s at 541 rows. The 0-row run is the
// baseline measured in the same session (page and bundle load without any table work).
// Cold: a fresh Chromium each time (what a panel opened right after a reload is closest to): launch, page,
// first paint of 541 rows, wall from launch; baseline in the same run: launch and a blank page. Median of 3.
// Usage: node esbuild.mjs && node bench/webview.mjs
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist', 'webview');
if (!fs.existsSync(path.join(dist, 'main.js'))) throw new Error('dist/webview/main.js is missing: run node esbuild.mjs first');

const page = (n) => `<!DOCTYPE html><html><head><link rel="stylesheet" href="/styles.css"></head>
<body data-state='{"kind":"run","runId":"bench"}' style="height:900px"><div id="app"></div>
<script>
  window.__posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => { window.__posted.push(m); if (m.type === 'ready') window.__onReady(); }, getState: () => undefined, setState: () => {} });
  const N = ${n};
  const row = (i, status) => ({ key: 'item-' + i + '#0', itemId: 'item-' + i, sampleIndex: 0, index: i, outcome: status === 'done' ? (i % 4 !== 0 ? 'passed' : 'wrong') : 'pending',
    failureCause: i % 4 === 0 ? 'instruction' : undefined, failedChecks: i % 4 === 0 ? ['length_constraints:number_words'] : [], checks: ['length_constraints:number_words'],
    promptPreview: 'Write a ' + (i % 7 + 2) + '-paragraph essay about topic number ' + i + ' without using any commas', latencyMs: 800 + (i % 13) * 50 });
  window.__row = row;
  window.__progress = (done) => ({ status: 'running', total: N, counts: { total: N, passed: done - Math.floor(done / 4), wrong: Math.floor(done / 4), request_failed: 0, scoring_error: 0, pending: N - done },
    inFlight: 8, itemsPerSecond: 12, etaSeconds: (N - done) / 12,
    metrics: [{ name: 'prompt_strict', label: 'Prompt-level strict accuracy', value: 0.72, n: done }] });
  window.__onReady = () => {
    const rows = []; for (let i = 0; i < N; i++) rows.push(row(i, i < N / 2 ? 'done' : 'pending'));
    window.postMessage({ type: 'runSnapshot', snapshot: { header: { runId: 'bench', benchmark: 'ifeval v1', model: 'bench-model', baseUrl: 'http://127.0.0.1:1/v1',
      createdAt: new Date().toISOString(), serverFacts: ['llama.cpp'], sampling: ['temperature 0'], samplesPerItem: 1 }, progress: window.__progress(N / 2), rows } }, '*');
  };
</script>
<script type="module" src="/main.js"></script></body></html>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end(page(Number(url.searchParams.get('n') ?? 0)));
  }
  const file = path.join(dist, path.basename(url.pathname));
  if (!fs.existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });

async function measure(n, updates) {
  const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await p.goto(`${origin}/?n=${n}`);
  // First paint: navigation start → the progress header is on screen, and the table's first rows (if any) too.
  const firstPaint = await p.evaluate(async (n) => {
    const ready = () => document.querySelector('.stat') && (n === 0 || document.querySelector('.vtable-body .vtable-row'));
    while (!ready()) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now();
  }, n);
  let rate;
  let burst;
  if (updates > 0) {
    // Capacity: updates handled back to back (each merges rows, re-filters and re-sorts the table), one paint at the end.
    burst = await p.evaluate(async ({ n, updates }) => {
      const start = performance.now();
      for (let u = 0; u < updates; u++) {
        const rows = [];
        for (let k = 0; k < 10; k++) rows.push(window.__row((u * 10 + k) % n || 0, 'done'));
        window.postMessage({ type: 'runUpdate', progress: window.__progress(Math.min(n, u * 10)), rows }, '*');
      }
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => requestAnimationFrame(r));
      return updates / ((performance.now() - start) / 1000);
    }, { n: Math.max(n, 1), updates: 200 });
    rate = await p.evaluate(async ({ n, updates }) => {
      const start = performance.now();
      let next = Math.floor(n / 2);
      for (let u = 0; u < updates; u++) {
        const rows = [];
        for (let k = 0; k < 10; k++) rows.push(window.__row((next + k) % n, 'done'));
        next += 10;
        window.postMessage({ type: 'runUpdate', progress: window.__progress(Math.min(n, next)), rows }, '*');
        // Let the message be handled, then wait for the frame that paints it (so the rate is frame-bound at 60/s).
        await new Promise((r) => setTimeout(r, 0));
        await new Promise((r) => requestAnimationFrame(r));
      }
      return updates / ((performance.now() - start) / 1000);
    }, { n, updates });
  }
  await p.close();
  return { firstPaint, rate, burst };
}

const results = [];
await measure(0, 0); // warm-up: the first page pays for starting the renderer
const baseline = await measure(0, 60);
for (const n of [541, 5000]) results.push({ n, ...(await measure(n, 60)) });
await browser.close();

const launch = () => chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
async function coldWall(url, ready) {
  const start = performance.now();
  const fresh = await launch();
  try {
    const p = await fresh.newPage({ viewport: { width: 1400, height: 900 } });
    await p.goto(url);
    if (ready) await p.evaluate(ready);
    return performance.now() - start;
  } finally {
    await fresh.close();
  }
}
const med3 = async (f) => {
  const xs = [await f(), await f(), await f()].sort((a, b) => a - b);
  return xs[1];
};
const coldPanel = await med3(() =>
  coldWall(`${origin}/?n=541`, async () => {
    while (!(document.querySelector('.stat') && document.querySelector('.vtable-body .vtable-row'))) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => requestAnimationFrame(r));
  }),
);
const coldBlank = await med3(() => coldWall('about:blank'));
server.close();

const fmt = (x) => x.toFixed(0);
console.log('webview bench (Chromium, one page per size; painted = one update per frame, capacity = back-to-back updates)');
console.log(`  baseline 0 rows: first paint ${fmt(baseline.firstPaint)} ms, ${fmt(baseline.rate)} updates/s painted, capacity ${fmt(baseline.burst)} updates/s`);
for (const r of results) {
  console.log(
    `  ${String(r.n).padStart(5)} rows: first paint ${fmt(r.firstPaint)} ms (${(r.firstPaint / baseline.firstPaint).toFixed(2)}× baseline; target ≤ 500 ms ${r.firstPaint <= 500 ? 'met' : 'MISSED'}), ` +
      `${fmt(r.rate)} updates/s painted (${(r.rate / baseline.rate).toFixed(2)}× baseline${r.n === 541 ? `; target ≥ 20 ${r.rate >= 20 ? 'met' : 'MISSED'}` : ''}), ` +
      `capacity ${fmt(r.burst)} updates/s (${(r.burst / baseline.burst).toFixed(2)}× baseline)`,
  );
}
console.log(`  COLD (fresh Chromium each time, median of 3): launch to first paint of 541 rows ${fmt(coldPanel)} ms; baseline launch + blank page ${fmt(coldBlank)} ms (panel adds ${fmt(coldPanel - coldBlank)} ms)`);
