// Runs the integration suite inside code-server's real extension host, then (unless --no-ui) the
// Playwright UI test. Exits non-zero on any failure or time-out.
// Usage: node scripts/run-integration-code-server.mjs [--no-ui] [--ui-only] [--wizard-only] [--timeout SECONDS]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchChromium, makeWorkspace, root, startCodeServer } from './codeServer.mjs';

const args = process.argv.slice(2);
const timeoutMs = Number(args[args.indexOf('--timeout') + 1] || 0) * 1000 || 300_000;
const suiteIndex = path.join(root, 'out', 'test', 'integration', 'suite', 'index.js');

async function runSuite() {
  if (!fs.existsSync(suiteIndex)) throw new Error(`${suiteIndex} is missing: run node scripts/build-integration.mjs first`);
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build first');
  const resultsFile = path.join(root, 'test-results', 'integration.json');
  fs.rmSync(resultsFile, { force: true });
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  const workspace = makeWorkspace();
  const server = await startCodeServer({ env: { EVALBENCH_TEST_RESULTS: resultsFile }, logFile: path.join(root, 'test-results', 'code-server.log') });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /evalbench|EvalBench/.test(msg.text())) console.log(`[workbench] ${msg.text()}`);
    });
    const payload = [
      ['extensionDevelopmentPath', server.remote(root)],
      ['extensionTestsPath', server.remote(suiteIndex)],
    ];
    console.log(`integration: code-server on 127.0.0.1:${server.port}, workspace ${workspace}`);
    await page.goto(server.url(workspace, payload));
    const deadline = Date.now() + timeoutMs;
    while (!fs.existsSync(resultsFile)) {
      if (Date.now() > deadline) throw new Error(`no results after ${timeoutMs / 1000} s (see test-results/code-server.log)`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 200));
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    for (const test of results.tests) {
      const mark = test.state === 'passed' ? '✓' : test.state === 'pending' ? '-' : '✗';
      console.log(`  ${mark} ${test.title}${test.durationMs !== undefined ? ` (${test.durationMs} ms)` : ''}`);
      if (test.error) console.log(test.error.split('\n').map((l) => `      ${l}`).join('\n'));
    }
    for (const figure of results.figures ?? []) console.log(`  figure: ${figure}`);
    console.log(`integration: ${results.passes} passing, ${results.failures} failing, ${results.pending} pending`);
    return results.failures === 0 && results.passes > 0;
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

let ok = true;
try {
  if (!args.includes('--ui-only')) ok = (await runSuite()) && ok;
  if (!args.includes('--no-ui')) {
    if (!args.includes('--wizard-only')) {
      const { runUiTest } = (await import(path.join(root, 'out', 'test', 'ui', 'uiTest.js'))).default;
      ok = (await runUiTest({ timeoutMs })) && ok;
    }
    // The Run Eval wizard's paths, and the panels in Light+, Dark+ and High Contrast with a contrast check.
    const { runWizardAndThemesTest } = (await import(path.join(root, 'out', 'test', 'ui', 'wizardAndThemes.js'))).default;
    ok = (await runWizardAndThemesTest({ timeoutMs })) && ok;
  }
} catch (error) {
  console.error(`integration: ${error instanceof Error ? error.stack : error}`);
  ok = false;
}
process.exit(ok ? 0 : 1);
