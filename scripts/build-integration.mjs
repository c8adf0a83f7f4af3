// Compiles the integration suite (test/integration/suite/*.ts, run inside the extension host) to
// out/test/integration/suite/*.js. `vscode` and mocha stay external: the host provides the first,
// node_modules the second.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const suiteDir = path.join(root, 'test', 'integration', 'suite');
const outDir = path.join(root, 'out', 'test', 'integration', 'suite');
const entryPoints = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(suiteDir, f));

fs.rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
// The Playwright UI test runs in plain Node (it drives the browser), not in the extension host.
const uiOut = path.join(root, 'out', 'test', 'ui');
fs.rmSync(uiOut, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [path.join(root, 'test', 'ui', 'uiTest.ts'), path.join(root, 'test', 'ui', 'wizardAndThemes.ts')],
  outdir: uiOut,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['playwright-core'],
  logLevel: 'warning',
});
console.log(`build-integration: ${entryPoints.length} file(s) into ${path.relative(root, outDir)}`);
