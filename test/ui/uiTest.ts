/**
 * The VS Code surface driven as a person would, in code-server + chromium: run an eval from the command
 * palette, watch progress then the final score in the run panel, open a failed item and read why it
 * failed, compare two runs and open the diff. Screenshots go to screenshots/ (git-ignored).
 * Run by scripts/run-integration-code-server.mjs after the extension-host suite.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startFakeModelServer, type RecordedRequest } from '../support/fakeModelServer';

// The launcher helpers are ESM; this file is compiled to CJS, so they are loaded with import().
type CodeServerModule = {
  root: string;
  startCodeServer(options: { logFile?: string; userSettings?: Record<string, unknown> }): Promise<{
    port: number;
    url(folder: string, payload?: unknown): string;
    remote(p: string): string;
    stop(): Promise<void>;
  }>;
  launchChromium(): Promise<import('playwright-core').Browser>;
  makeWorkspace(): string;
};

const ITEMS = 24;

/** `count` custom items "What is i + i?" with the expected sum (shared with the wizard/themes test). */
export function arithmeticDataset(count: number): string {
  const rows = [];
  for (let i = 1; i <= count; i++) rows.push({ id: `q${i}`, prompt: `What is ${i} + ${i}?`, expected: String(2 * i) });
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** A fake model's reply to those items: right for most, wrong when i is a multiple of `wrongEvery`. */
export function arithmetic(wrongEvery: number) {
  return (request: RecordedRequest): string => {
    const text: string = request.body?.messages?.at(-1)?.content ?? '';
    const i = Number(/What is (\d+)/.exec(text)?.[1] ?? 0);
    return i % wrongEvery === 0 ? String(2 * i + 1) : String(2 * i);
  };
}

export async function palette(page: Page, command: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first();
  // The palette lists the commands known when it opens. On a busy box the development extension can register
  // its commands after that (CI once saw "EvalBench: Run Eval" missing for 300 s from a palette opened 3 s
  // after the workbench): such a palette never shows them, so it is opened again until they are there.
  const deadline = Date.now() + 300_000;
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${command}`);
    try {
      await row.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      console.log(`  ui: "${command}" not in the command palette yet; opening it again`);
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/** Right-clicks a tree row and runs a context-menu entry (hover focuses it, Enter runs it, as a keyboard user would). */
async function contextMenu(page: Page, row: import('playwright-core').Locator, entry: string): Promise<void> {
  const item = page.locator('.monaco-menu .action-menu-item', { hasText: entry }).first();
  // A panel opening at the same moment can take focus and close the menu: open it again then.
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    try {
      await item.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await item.hover();
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
}

export async function quickPickTitle(page: Page, title: string, timeoutMs = 20_000): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Runs a palette command that opens a quick pick titled `title`. A quick pick closes when focus leaves it;
 * right after a run finished, CI once saw the "Compare: first run…" pick open and then stay hidden for 20 s
 * (what took the focus was not found). A user would open it again, and so does this, saying so in the log.
 */
export async function paletteToPick(page: Page, command: string, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await palette(page, command);
    try {
      await quickPickTitle(page, title, 10_000);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      console.log(`  ui: "${title}" did not stay open after "${command}" (attempt ${attempt}); opening it again`);
      await page.keyboard.press('Escape');
    }
  }
}

async function runEvalFromPalette(page: Page, datasetPath: string, firstTime: boolean): Promise<void> {
  await palette(page, 'EvalBench: Run Eval');
  await quickPickTitle(page, 'model server');
  await page.keyboard.press('Enter'); // the saved endpoint is first
  await quickPickTitle(page, 'benchmarks');
  if (firstTime) {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Custom JSONL' }).first().click(); // clicking a row toggles its checkbox
  }
  await page.keyboard.press('Enter');
  // code-server's file dialog is a quick input holding a path: type the file's path.
  const input = page.locator('.quick-input-widget input.input');
  await page.waitForFunction(() => (globalThis as any).document.querySelector('.quick-input-widget .quick-input-title')?.textContent?.includes('JSONL file'), undefined, { timeout: 20_000 });
  // Wait until the dialog has listed the folder, or it overwrites what we type.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(datasetPath) }).first().waitFor();
  await input.fill(datasetPath);
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter');
  await quickPickTitle(page, 'options');
  await page.keyboard.press('Enter'); // Start
}

/** The run/compare webview's inner frame: the one whose document has our #app. */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // frame navigated away
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview frame shows ${selector} within ${timeoutMs / 1000} s`);
}

export async function runUiTest(options: { timeoutMs?: number } = {}): Promise<boolean> {
  const cs = (await import(path.resolve(__dirname, '..', '..', '..', 'scripts', 'codeServer.mjs'))) as CodeServerModule;
  const shots = path.join(cs.root, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const fake = await startFakeModelServer({ kind: 'llama.cpp', models: ['fake-model'], latencyMs: 250, reply: arithmetic(5), totalSlots: 2 });
  const workspace = cs.makeWorkspace();
  const datasetPath = path.join(workspace, 'arithmetic.jsonl');
  fs.writeFileSync(datasetPath, arithmeticDataset(ITEMS));
  const server = await cs.startCodeServer({
    logFile: path.join(cs.root, 'test-results', 'code-server-ui.log'),
    userSettings: { 'evalbench.endpoints': [{ baseUrl: fake.url, model: 'fake-model', label: 'Fake model' }], 'window.autoDetectColorScheme': true },
  });
  const browser = await cs.launchChromium();
  const steps: string[] = [];
  const step = (s: string) => {
    steps.push(s);
    console.log(`  ui: ${s}`);
  };
  try {
    // A dark theme (through the browser's colour scheme) shows whether the webviews follow theme variables.
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
    page.setDefaultTimeout(options.timeoutMs ?? 60_000);
    await page.goto(server.url(workspace, [['extensionDevelopmentPath', server.remote(cs.root)]]));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(3000);
    step('workbench loaded');

    await runEvalFromPalette(page, datasetPath, true);
    step('Run Eval started from the command palette');
    const run = await webviewFrame(page, '.run-header h1');
    await run.waitForSelector('vscode-progress-bar');
    await page.screenshot({ path: path.join(shots, '1-run-progress.png') });
    step('run panel shows progress');

    await run.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('.stat')].some((s: any) => s.textContent === 'DoneStatus'), undefined, { timeout: 60_000 });
    const headline = await run.textContent('.stat.headline .stat-value');
    assert.equal(headline, `${((ITEMS - Math.floor(ITEMS / 5)) / ITEMS * 100).toFixed(1)}%`, 'the headline score');
    await page.screenshot({ path: path.join(shots, '2-run-done.png') });
    step(`run done, headline ${headline}`);

    await run.selectOption('select.filter', 'wrong');
    await run.waitForFunction(() => (globalThis as any).document.querySelectorAll('.vtable-body .vtable-row').length === 4);
    await run.click('.vtable-body .vtable-row');
    await run.waitForSelector('.detail ul.explanation li.fail');
    const why = await run.textContent('.detail ul.explanation li.fail');
    assert.match(why ?? '', /expected "?10"?, got "?11"?/);
    await page.screenshot({ path: path.join(shots, '3-failed-item.png') });
    step(`failed item explained: ${why}`);

    fake.setBehavior({ reply: arithmetic(3) });
    // Close the first panel so the next webview frame found is the second run's.
    await palette(page, 'View: Close All Editors');
    await page.waitForTimeout(500);
    await runEvalFromPalette(page, datasetPath, false);
    const second = await webviewFrame(page, '.run-header h1');
    await page.waitForTimeout(500);
    await second.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('.stat')].some((s: any) => s.textContent === 'DoneStatus'), undefined, { timeout: 60_000 });
    step('second run done');

    await paletteToPick(page, 'EvalBench: Compare with', 'first run');
    await page.keyboard.press('ArrowDown'); // the older run is second (newest first): A = the first run
    await page.keyboard.press('Enter');
    await quickPickTitle(page, ' with…');
    await page.keyboard.press('Enter');
    const compare = await webviewFrame(page, '.stats-table');
    await compare.waitForSelector('.vtable-body .vtable-row');
    const sentence = await compare.textContent('.stats-table .sentence-row td');
    // Every 3rd item wrong in B instead of every 5th: 20 → 16 right of 24, 16.7 points worse.
    assert.match(sentence ?? '', /^B is 16\.7 points worse than A/);
    assert.ok((await compare.locator('h3', { hasText: 'Speed' }).count()) === 1, 'speed is shown next to quality');
    await page.screenshot({ path: path.join(shots, '4-compare.png') });
    await compare.evaluate(() => (globalThis as any).window.scrollTo(0, (globalThis as any).document.body.scrollHeight));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, '4b-compare-breakdowns.png') });
    step(`comparison panel shows statistics: ${sentence}`);
    await compare.click('.vtable-body .vtable-row');
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(shots, '5-diff.png') });
    step('diff editor opened for a flipped item');

    await page.locator('.activitybar .action-item a[aria-label^="EvalBench"], .activitybar .action-item[aria-label^="EvalBench"]').first().click();
    await page.locator('.pane-body .monaco-list-row', { hasText: 'Fake model' }).first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, '6-runs-tree.png') });
    const runRows = await page.locator('.pane-body .monaco-list-row', { hasText: '% · done' }).count();
    assert.equal(runRows, 2, 'both runs are in the runs tree');
    step('runs tree lists both runs');

    // Cancel from the progress notification really stops the run; Resume in the panel finishes it.
    fake.setBehavior({ latencyMs: 1500 });
    await palette(page, 'View: Close All Editors');
    await page.waitForTimeout(500);
    await runEvalFromPalette(page, datasetPath, false);
    const third = await webviewFrame(page, '.run-header h1');
    await third.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('.stat')].some((s: any) => /^[1-9]\d* \/ 24Finished$/.test(s.textContent)), undefined, { timeout: 30_000 });
    await page.locator('.notification-toast', { hasText: 'EvalBench custom:' }).locator('a.monaco-button', { hasText: 'Cancel' }).click();
    await third.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('.stat')].some((s: any) => s.textContent === 'CancelledStatus'), undefined, { timeout: 20_000 });
    await page.screenshot({ path: path.join(shots, '7-cancelled.png') });
    // Samples never asked read "pending" once the run stopped, not "…" as if they were on their way.
    assert.ok((await third.locator('.vtable-body .pill', { hasText: 'pending' }).count()) > 0, 'unanswered rows of a stopped run read "pending"');
    assert.equal(await third.locator('.vtable-body .pill', { hasText: '…' }).count(), 0);
    const finishedText = await third.textContent('.stat:nth-child(2) .stat-value');
    step(`cancelled from the notification at ${finishedText}`);
    fake.setBehavior({ latencyMs: 50 });
    await third.click('vscode-button:has-text("Resume")');
    await third.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('.stat')].some((s: any) => s.textContent === 'DoneStatus'), undefined, { timeout: 60_000 });
    await third.waitForFunction(() => (globalThis as any).document.querySelector('.stat:nth-child(2) .stat-value')?.textContent === '24 / 24');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.pane-body .monaco-list-row .label-description').length >= 3);
    await page.waitForFunction(
      () => [...(globalThis as any).document.querySelectorAll('.pane-body .monaco-list-row')].filter((r: any) => /% · done/.test(r.textContent)).length === 3,
      undefined,
      { timeout: 10_000 },
    );
    await page.screenshot({ path: path.join(shots, '8-resumed.png') });
    step('resumed from the panel and finished');

    // After a window reload the panel comes back through its serializer, rebuilt from the run file.
    await palette(page, 'Developer: Reload Window');
    await page.waitForTimeout(2000);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const revived = await webviewFrame(page, '.run-header h1', 60_000);
    await revived.waitForFunction(() => (globalThis as any).document.querySelector('.stat:nth-child(2) .stat-value')?.textContent === '24 / 24', undefined, { timeout: 30_000 });
    await page.screenshot({ path: path.join(shots, '9-after-reload.png') });
    step('run panel restored after a window reload');

    // Three runs selected in the tree → Compare Runs opens the model matrix.
    await palette(page, 'View: Close All Editors');
    const rows = page.locator('.pane-body .monaco-list-row', { hasText: '% · done' });
    if (!(await rows.first().isVisible().catch(() => false))) {
      await page.locator('.activitybar .action-item a[aria-label^="EvalBench"], .activitybar .action-item[aria-label^="EvalBench"]').first().click();
    }
    await rows.nth(2).waitFor();
    await rows.nth(0).click();
    await rows.nth(1).click({ modifiers: ['Control'] });
    await rows.nth(2).click({ modifiers: ['Control'] });
    await contextMenu(page, rows.nth(2), 'Compare Runs');
    const matrix = await webviewFrame(page, '.matrix-table');
    await matrix.waitForSelector('td.best');
    assert.equal(await matrix.locator('.matrix-table').first().locator('thead th.run-col').count(), 3, 'one column per run');
    await page.screenshot({ path: path.join(shots, '10-matrix.png') });
    await matrix.click('#disagree');
    await matrix.evaluate(() => (globalThis as any).window.scrollTo(0, 260));
    await page.waitForTimeout(300);
    const disagreeing = await matrix.locator('.items-matrix tbody tr').count();
    assert.ok(disagreeing > 0 && disagreeing < ITEMS, `the filter keeps only items where runs disagree (${disagreeing})`);
    await page.screenshot({ path: path.join(shots, '11-matrix-disagree.png') });
    step(`model matrix for 3 runs; ${disagreeing} items where they disagree`);

    // The quality–speed chart: one point per run with its interval; a click on a point opens that run.
    await matrix.locator('.chart-tradeoff').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, '11b-matrix-chart.png') });
    assert.equal(await matrix.locator('.chart-tradeoff svg circle').count(), 3, 'one point per run');
    await matrix.locator('.chart-tradeoff svg a').first().click();
    await webviewFrame(page, '.stat'); // the run panel's figures: only a run panel has them
    step('matrix chart: 3 points; a click on a point opened its run');

    // Pin the oldest run as the baseline: the others show their delta against it.
    await palette(page, 'View: Close All Editors');
    await rows.nth(2).click(); // a plain click ends the multi-selection (and opens the run)
    await webviewFrame(page, '.run-header h1');
    await page.waitForTimeout(1000);
    await contextMenu(page, rows.nth(2), 'Set as Baseline');
    await page.locator('.pane-body .monaco-list-row', { hasText: 'shared items (p=' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.pane-body .monaco-list-row', { hasText: '· baseline' }).first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, '12-baseline-tree.png') });
    step('baseline pinned; the other runs show their delta');

    await palette(page, 'EvalBench: Leaderboard');
    const board = await webviewFrame(page, '.leaderboard-table');
    await board.waitForSelector('.leaderboard-table tbody tr');
    await board.click('#all-runs');
    await board.waitForFunction(() => (globalThis as any).document.querySelectorAll('.leaderboard-table tbody tr').length === 3);
    await page.screenshot({ path: path.join(shots, '13-leaderboard.png') });
    step('leaderboard opened, every run ranked');

    // Filter Runs…: status "cancelled" matches none of the (resumed, now done) runs; the view says so and offers Clear.
    await palette(page, 'EvalBench: Filter Runs');
    await quickPickTitle(page, 'Filter runs by');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Status' }).first().click();
    await quickPickTitle(page, 'Show runs with status');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'cancelled' }).first().click();
    const cleared = page.locator('.pane-body a.monaco-button, .pane-body .monaco-button', { hasText: 'Clear Filter' }).first();
    await cleared.waitFor();
    await page.screenshot({ path: path.join(shots, '14-filtered-empty.png') });
    await cleared.click();
    await page.locator('.pane-body .monaco-list-row', { hasText: 'baseline' }).first().waitFor();
    step('runs filtered to none, then the filter cleared from the view');
    console.log(`ui: passed (${steps.length} steps; screenshots in ${path.relative(cs.root, shots)}/)`);
    return true;
  } catch (error) {
    console.error(`ui: failed after "${steps[steps.length - 1] ?? 'start'}": ${error instanceof Error ? error.message : error}`);
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages[0]) await pages[0].screenshot({ path: path.join(shots, 'failure.png') }).catch(() => undefined);
    return false;
  } finally {
    await browser.close();
    await server.stop();
    await fake.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
