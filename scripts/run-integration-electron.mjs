// Runs the integration suite in desktop VS Code through @vscode/test-electron, for machines that can
// download VS Code (CI with internet). Offline, use scripts/run-integration-code-server.mjs.
// Usage: node scripts/run-integration-electron.mjs [--version 1.100.3]
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const version = args.includes('--version') ? args[args.indexOf('--version') + 1] : '1.100.3';
const resultsFile = path.join(root, 'test-results', 'integration.json');
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-ws-'));

let code = 1;
try {
  fs.rmSync(resultsFile, { force: true });
  await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'suite', 'index.js'),
    extensionTestsEnv: { EVALBENCH_TEST_RESULTS: resultsFile },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
  code = 0;
} catch (error) {
  console.error(`integration (electron): ${error instanceof Error ? error.message : error}`);
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
if (fs.existsSync(resultsFile)) {
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const figure of results.figures ?? []) console.log(`  figure: ${figure}`);
  console.log(`integration (electron): ${results.passes} passing, ${results.failures} failing`);
  if (results.failures > 0) code = 1;
}
process.exit(code);
