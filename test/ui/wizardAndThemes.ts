/**
 * Run Eval's wizard walked as a person would, and the panels in three themes, in code-server +
 * chromium: an empty pick re-asks with a message; "Start" runs exactly the remembered settings it
 * spells out; a refused server offers Retry / Edit URL (never an API key) and is not saved; a saved
 * server is removed from the picker. Then the run and compare panels (with their charts) and the model
 * matrix's quality–speed chart are shot in Light+, Dark+ and High Contrast, with a contrast check on every text (fails under 4.5:1) and an overlap check at
 * 800 px. Screenshots go to screenshots/wizard-*.png and screenshots/theme-*.png (git-ignored).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startFakeModelServer } from '../support/fakeModelServer';
import { checkContrast, overlappingBoxes } from './contrast';
import { arithmetic, arithmeticDataset, palette, paletteToPick, quickPickTitle, webviewFrame } from './uiTest';

type CodeServerModule = {
  root: string;
  startCodeServer(options: { logFile?: string; userSettings?: Record<string, unknown> }): Promise<{ scratch: string; url(folder: string, payload?: unknown): string; remote(p: string): string; stop(): Promise<void> }>;
  launchChromium(): Promise<import('playwright-core').Browser>;
  makeWorkspace(): string;
};

const ITEMS = 12;
/** VS Code's built-in themes by id, and the class the workbench gets when one is applied. */
const THEMES = [
  { label: 'Light+', id: 'Default Light+', pickerLabel: 'Light+', workbenchClass: 'vs', file: 'light' },
  { label: 'Dark+', id: 'Default Dark+', pickerLabel: 'Dark+', workbenchClass: 'vs-dark', file: 'dark' },
  { label: 'High Contrast', id: 'Default High Contrast', pickerLabel: 'Dark High Contrast', workbenchClass: 'hc-black', file: 'hc' },
];

async function deadUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

const row = (page: Page, text: string) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
const titleText = (page: Page) => page.locator('.quick-input-widget .quick-input-title').textContent();

async function pickCustomFile(page: Page, datasetPath: string): Promise<void> {
  await page.waitForFunction(() => (globalThis as any).document.querySelector('.quick-input-widget .quick-input-title')?.textContent?.includes('JSONL file'), undefined, { timeout: 20_000 });
  await row(page, path.basename(datasetPath)).waitFor();
  await page.locator('.quick-input-widget input.input').fill(datasetPath);
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter');
}

async function waitDone(frame: Frame): Promise<void> {
  await frame.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('.stat')].some((s: any) => /^(●\s*)?DoneStatus$/.test(s.textContent.trim())), undefined, { timeout: 90_000 });
}

/**
 * Switches the colour theme as a user does, through "Preferences: Color Theme" (VS Code then writes
 * the setting itself), and waits until the workbench shows it. Writing settings.json from outside
 * raced with the workbench's own writes and was sometimes lost across the reload (a red CI run).
 * Once, after the second theme, the window is reloaded so the open compare panel has to come back
 * through its serializer, in the theme VS Code persisted.
 */
async function setTheme(page: Page, settingsFile: string, theme: (typeof THEMES)[number], reloadAfter: boolean): Promise<void> {
  const applied = () => page.evaluate((cls: string) => !!(globalThis as any).document.querySelector('.monaco-workbench')?.classList.contains(cls), theme.workbenchClass);
  const persisted = () => (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)['workbench.colorTheme'] === theme.id;
  for (let attempt = 1; !(await applied()) || !persisted(); attempt++) {
    // The palette also lists "Browse Color Themes in Marketplace" (it would go online): click the exact command.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input.input').fill('>Preferences: Color Theme');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first().click();
    await page.locator('.quick-input-widget input.input[placeholder^="Select Color Theme"]').waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.quick-input-widget input.input').fill(theme.pickerLabel);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: theme.pickerLabel }).first().waitFor();
    await page.keyboard.press('Enter');
    try {
      await page.waitForFunction((cls: string) => (globalThis as any).document.querySelector('.monaco-workbench')?.classList.contains(cls), theme.workbenchClass, { timeout: 20_000 });
      for (let waited = 0; !persisted() && waited < 20_000; waited += 250) await page.waitForTimeout(250);
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
    if (attempt === 3 && !persisted()) throw new Error(`${theme.label} was applied but never written to ${settingsFile}`);
  }
  if (reloadAfter) {
    await palette(page, 'Developer: Reload Window');
    await page.waitForTimeout(2000);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // A figure for the report, not an assertion: how long the restored panel stays blank after the workbench is back.
    const shown = Date.now();
    await webviewFrame(page, '#app > *', 60_000);
    console.log(`  ui-wizard: restored compare panel painted ${((Date.now() - shown) / 1000).toFixed(1)} s after the workbench reappeared`);
    await page.waitForFunction((cls: string) => (globalThis as any).document.querySelector('.monaco-workbench')?.classList.contains(cls), theme.workbenchClass, { timeout: 60_000 });
  }
  await page.waitForTimeout(1500);
}

export async function runWizardAndThemesTest(options: { timeoutMs?: number } = {}): Promise<boolean> {
  const cs = (await import(path.resolve(__dirname, '..', '..', '..', 'scripts', 'codeServer.mjs'))) as CodeServerModule;
  const shots = path.join(cs.root, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const fake = await startFakeModelServer({ kind: 'llama.cpp', models: ['model-a', 'model-b'], latencyMs: 30, reply: arithmetic(4) });
  const dead = await deadUrl();
  const workspace = cs.makeWorkspace();
  const datasetPath = path.join(workspace, 'arithmetic.jsonl');
  fs.writeFileSync(datasetPath, arithmeticDataset(ITEMS));
  const server = await cs.startCodeServer({
    logFile: path.join(cs.root, 'test-results', 'code-server-wizard.log'),
    userSettings: {
      'evalbench.endpoints': [{ baseUrl: dead, label: 'Stale server' }, { baseUrl: fake.url, label: 'Fake server' }],
      'workbench.colorTheme': 'Default Light+',
    },
  });
  const browser = await cs.launchChromium();
  const steps: string[] = [];
  const step = (s: string) => {
    steps.push(s);
    console.log(`  ui-wizard: ${s}`);
  };
  const contrastFailures: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Every Content-Security-Policy violation the browser reports (our panels' CSP allows no inline style or script).
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.setDefaultTimeout(options.timeoutMs ?? 60_000);
    await page.goto(server.url(workspace, [['extensionDevelopmentPath', server.remote(cs.root)]]));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(3000);
    step('workbench loaded');

    // --- Empty picks re-ask, with a message, and the steps count 1/4 … 4/4.
    await palette(page, 'EvalBench: Run Eval');
    await quickPickTitle(page, 'Run Eval (1/4): model server');
    await row(page, 'Fake server').click();
    await quickPickTitle(page, 'Run Eval (2/4): models');
    await page.keyboard.press('Enter'); // nothing ticked
    await quickPickTitle(page, 'nothing ticked');
    const placeholder = await page.locator('.quick-input-widget input.input').getAttribute('placeholder');
    assert.match(placeholder ?? '', /Tick at least one model/);
    await page.screenshot({ path: path.join(shots, 'wizard-1-empty-models.png') });
    step(`empty model pick re-asked: "${placeholder}"`);
    await row(page, 'model-a').click(); // ticks it
    await page.keyboard.press('Enter');
    await quickPickTitle(page, 'Run Eval (3/4): benchmarks');
    await page.keyboard.press('Enter'); // nothing ticked again
    await quickPickTitle(page, 'nothing ticked');
    await row(page, 'Custom JSONL').click();
    await page.keyboard.press('Enter');
    await pickCustomFile(page, datasetPath);
    await quickPickTitle(page, 'Run Eval (4/4): options');
    assert.equal(await page.locator('.quick-input-list .monaco-list-row').count(), 2, 'nothing remembered yet: Start (defaults) and Change…');
    await row(page, 'Change limit').click();
    await quickPickTitle(page, 'Only the first N items');
    await page.locator('.quick-input-widget input.input').fill('5');
    await page.keyboard.press('Enter');
    await quickPickTitle(page, 'Samples per item');
    await page.keyboard.press('Enter');
    await quickPickTitle(page, 'Sampling overrides');
    await page.locator('.quick-input-widget input.input').fill('temperature=0.5');
    await page.keyboard.press('Enter');
    let run = await webviewFrame(page, '.run-header h1');
    await waitDone(run);
    step('empty benchmark pick re-asked; first run (5 items, temperature 0.5) done');

    // --- "Start" runs exactly the remembered settings it spells out.
    fake.setBehavior({ reply: arithmetic(2) });
    await palette(page, 'View: Close All Editors');
    await palette(page, 'EvalBench: Run Eval');
    await quickPickTitle(page, '(1/4): model server');
    assert.match((await page.locator('.quick-input-list .monaco-list-row').first().textContent()) ?? '', /Fake server/, 'the last server is first');
    await page.keyboard.press('Enter');
    await quickPickTitle(page, '(2/4): models');
    await page.keyboard.press('Enter'); // model-a is ticked from last time
    await quickPickTitle(page, '(3/4): benchmarks');
    await page.keyboard.press('Enter'); // Custom is ticked from last time
    await pickCustomFile(page, datasetPath);
    await quickPickTitle(page, '(4/4): options');
    const start = (await page.locator('.quick-input-list .monaco-list-row').first().textContent()) ?? '';
    assert.match(start, /Start.*As last time: first 5 items, temperature 0\.5/);
    await page.screenshot({ path: path.join(shots, 'wizard-2-remembered.png') });
    await page.keyboard.press('Enter');
    run = await webviewFrame(page, '.run-header h1');
    await waitDone(run);
    const finished = await run.locator('.stat', { hasText: 'Finished' }).locator('.stat-value').textContent();
    assert.equal(finished?.trim(), '5 / 5', 'the remembered limit of 5 was applied');
    step(`"Start" said "${start.replace(/\s+/g, ' ').trim()}" and ran ${finished}`);

    // A third run of the same settings (other replies), so Compare Runs opens the model matrix in every theme.
    fake.setBehavior({ reply: arithmetic(3) });
    await palette(page, 'View: Close All Editors');
    await palette(page, 'EvalBench: Run Eval');
    await quickPickTitle(page, '(1/4): model server');
    await page.keyboard.press('Enter');
    await quickPickTitle(page, '(2/4): models');
    await page.keyboard.press('Enter');
    await quickPickTitle(page, '(3/4): benchmarks');
    await page.keyboard.press('Enter');
    await pickCustomFile(page, datasetPath);
    await quickPickTitle(page, '(4/4): options');
    await page.keyboard.press('Enter');
    run = await webviewFrame(page, '.run-header h1');
    await waitDone(run);
    step('third run done');

    // --- A refused server: Retry / Edit URL, never "Enter API Key"; not saved.
    await palette(page, 'View: Close All Editors');
    await palette(page, 'EvalBench: Run Eval');
    await quickPickTitle(page, '(1/4): model server');
    await row(page, 'New server').click();
    await quickPickTitle(page, 'server base URL');
    await page.locator('.quick-input-widget input.input').fill(dead.replace('/v1', '/typed/v1'));
    await page.keyboard.press('Enter');
    const toast = page.locator('.notification-toast', { hasText: 'could not list the models' }).first();
    await toast.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800); // let the toast finish sliding in before the screenshot
    const buttons = (await toast.locator('a.monaco-button').allTextContents()).map((t) => t.trim());
    assert.deepEqual(buttons.filter((b) => b !== ''), ['Retry', 'Edit URL', 'Type Model Id']);
    await page.screenshot({ path: path.join(shots, 'wizard-3-refused.png') });
    await toast.locator('a.monaco-button', { hasText: 'Edit URL' }).click();
    await quickPickTitle(page, 'server base URL');
    assert.match((await page.locator('.quick-input-widget input.input').inputValue()) ?? '', /\/typed\/v1$/, 'Edit URL starts from the URL typed');
    await page.keyboard.press('Escape');
    step(`refused connection offered ${buttons.join(' / ')}; Edit URL reopened the URL`);

    // --- Remove a saved server from the picker.
    await palette(page, 'EvalBench: Run Eval');
    await quickPickTitle(page, '(1/4): model server');
    assert.equal(await page.locator('.quick-input-list .monaco-list-row', { hasText: 'typed' }).count(), 0, 'a server that never answered was not saved');
    const stale = row(page, 'Stale server');
    await stale.hover();
    await stale.locator('.action-label.codicon-trash, a[aria-label="Remove this saved server"]').first().click();
    await page.waitForFunction(() => ![...(globalThis as any).document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r: any) => r.textContent.includes('Stale server')));
    await page.screenshot({ path: path.join(shots, 'wizard-4-removed.png') });
    assert.match((await titleText(page)) ?? '', /model server/);
    await page.keyboard.press('Escape');
    step('saved server removed from the picker');

    // --- Compare: the two runs; Swap A and B.
    await paletteToPick(page, 'EvalBench: Compare with', 'first run');
    await page.keyboard.press('Enter');
    await quickPickTitle(page, ' with…');
    await page.keyboard.press('Enter');
    let compare = await webviewFrame(page, '.stats-table');
    const sideA = await compare.locator('.facts .fact').first().textContent();
    await compare.click('vscode-button:has-text("Swap A and B")');
    await page.waitForTimeout(1500);
    compare = await webviewFrame(page, '.stats-table');
    const sideB = await compare.locator('.facts .fact').nth(1).textContent();
    assert.equal(sideB?.replace(/^B: /, ''), sideA?.replace(/^A: /, ''), 'Swap A and B put A on the B side');
    const flipsTitle = await compare.locator('h2', { hasText: 'Items that flipped' }).textContent();
    assert.match(flipsTitle ?? '', /^Items that flipped: \d+ fixed in B \(A ✗ → B ✓\), \d+ broken in B \(A ✓ → B ✗\)$/);
    step(`compare swapped; ${flipsTitle}`);

    // --- Themes: run and compare panels, contrast of every text, no overlap at 800 px.
    for (const [index, theme] of THEMES.entries()) {
      await setTheme(page, path.join(server.scratch, 'user-data', 'User', 'settings.json'), theme, index === 1);
      await page.setViewportSize({ width: 1400, height: 900 });
      compare = await webviewFrame(page, '.stats-table');
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(shots, `theme-${theme.file}-compare.png`) });
      const compareReport = await checkContrast(compare);
      contrastFailures.push(...compareReport.failures.map((f) => `${theme.label} compare: ${JSON.stringify(f)}`));
      // The comparison's charts (deltas with intervals, flips, latency), drawn in this theme's colours.
      await compare.locator('.charts').first().scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(shots, `theme-${theme.file}-compare-charts.png`) });
      const compareCharts = await compare.locator('.charts figure.chart svg').count();
      assert.ok(compareCharts >= 3, `${theme.label}: the compare charts are drawn (${compareCharts})`);

      // The model matrix of the three runs: the quality–speed chart.
      await palette(page, 'EvalBench: Compare Runs');
      await quickPickTitle(page, 'pick two or more');
      // Tick the three runs (a click on a row of a multi-pick ticks it), then OK.
      const pickRows = page.locator('.quick-input-list .monaco-list-row');
      await pickRows.nth(2).waitFor();
      for (let i = 0; i < 3; i++) await pickRows.nth(i).click();
      await page.waitForFunction(() => /3 Selected/.test((globalThis as any).document.querySelector('.quick-input-widget')?.textContent ?? ''), undefined, { timeout: 10_000 });
      await page.keyboard.press('Enter');
      const matrix = await webviewFrame(page, '.chart-tradeoff svg');
      await matrix.locator('.chart-tradeoff').scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(shots, `theme-${theme.file}-matrix-chart.png`) });
      const points = await matrix.locator('.chart-tradeoff svg circle').count();
      assert.equal(points, 3, `${theme.label}: one point per run`);
      const matrixReport = await checkContrast(matrix);
      contrastFailures.push(...matrixReport.failures.map((f) => `${theme.label} matrix: ${JSON.stringify(f)}`));
      step(`${theme.label}: ${compareCharts} compare charts; matrix chart with ${points} points, ${matrixReport.checked} texts (worst ${matrixReport.worst}:1)`);

      await palette(page, 'View: Close All Editors');
      await palette(page, 'EvalBench: Open Run');
      await quickPickTitle(page, 'Open run');
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
      await page.keyboard.press('Enter'); // the newest run
      run = await webviewFrame(page, '.run-header h1');
      await waitDone(run);
      await run.click('.vtable-body .vtable-row:nth-child(2)');
      await run.waitForSelector('.detail ul.explanation li');
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(shots, `theme-${theme.file}-run.png`) });
      const runReport = await checkContrast(run);
      contrastFailures.push(...runReport.failures.map((f) => `${theme.label} run: ${JSON.stringify(f)}`));

      // 800 px: the panel as half of a wide screen, without the side bar.
      if (await page.locator('.part.sidebar').isVisible()) await palette(page, 'View: Close Primary Side Bar');
      await page.setViewportSize({ width: 848, height: 900 });
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(shots, `theme-${theme.file}-run-800.png`) });
      const overlaps = await overlappingBoxes(run, ['.vtable-head .vtable-cell', '.detail']);
      assert.deepEqual(overlaps, [], `${theme.label}: columns overlap at 800 px`);
      // A row under the pointer (on the hover background), checked on purpose rather than wherever the pointer happens to be.
      await run.hover('.vtable-body .vtable-row:nth-child(1)');
      await page.waitForTimeout(200);
      const narrowReport = await checkContrast(run);
      contrastFailures.push(...narrowReport.failures.map((f) => `${theme.label} run 800px: ${JSON.stringify(f)}`));
      step(`${theme.label}: compare ${compareReport.checked} texts (worst ${compareReport.worst}:1), run ${runReport.checked} texts (worst ${runReport.worst}:1), no overlap at 800 px`);

      await palette(page, 'View: Close All Editors');
      await palette(page, 'EvalBench: Compare with');
      await quickPickTitle(page, 'first run');
      await page.keyboard.press('Enter');
      await quickPickTitle(page, ' with…');
      await page.keyboard.press('Enter');
      await webviewFrame(page, '.stats-table');
    }
    assert.deepEqual([...new Set(cspViolations)], [], `${cspViolations.length} Content-Security-Policy violations`);
    step('no Content-Security-Policy violation in any panel or chart');
    assert.deepEqual(contrastFailures, [], `texts under 4.5:1:\n${contrastFailures.join('\n')}`);
    console.log(`ui-wizard: passed (${steps.length} steps; screenshots in ${path.relative(cs.root, shots)}/)`);
    return true;
  } catch (error) {
    console.error(`ui-wizard: failed after "${steps[steps.length - 1] ?? 'start'}": ${error instanceof Error ? error.message : error}`);
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages[0]) await pages[0].screenshot({ path: path.join(shots, 'wizard-failure.png') }).catch(() => undefined);
    return false;
  } finally {
    await browser.close();
    await server.stop();
    await fake.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
