/**
 * Entry the VS Code test runner calls inside the extension host (`extensionTestsPath`). Runs every
 * *.test.js next to this file with mocha and writes the outcome to a JSON file, because under
 * code-server there is no process exit code to report it (see scripts/run-integration-code-server.mjs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { reportedFigures } from './figures';

export interface IntegrationResults {
  passes: number;
  failures: number;
  pending: number;
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; error?: string; durationMs?: number }[];
  /** Speed figures tests print (never assert): the runner shows them after the tests. */
  figures: string[];
}

export function resultsFile(): string {
  return process.env.EVALBENCH_TEST_RESULTS ?? path.resolve(__dirname, '..', '..', '..', '..', 'test-results', 'integration.json');
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  const results: IntegrationResults = { passes: 0, failures: 0, pending: 0, tests: [], figures: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      results.failures = failures;
      results.figures = reportedFigures();
      const file = resultsFile();
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => {
      results.passes++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
    });
    runner.on('fail', (test, error: Error) => {
      results.tests.push({ title: test.fullTitle(), state: 'failed', error: `${error.message}\n${error.stack ?? ''}` });
    });
    runner.on('pending', (test) => {
      results.pending++;
      results.tests.push({ title: test.fullTitle(), state: 'pending' });
    });
  });
}
