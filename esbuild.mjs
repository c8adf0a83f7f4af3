// One build script: type-check, then bundle the extension host, the scoring worker, the CLI and the
// webview, and copy the runtime files (sql.js's wasm) next to the bundles that load them.
// Usage: node esbuild.mjs [--watch] [--no-typecheck] [--production]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const production = args.has('--production');
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');

if (!args.has('--no-typecheck')) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit', cwd: root });
  if (fs.existsSync(path.join(root, 'webview-ui', 'tsconfig.json'))) {
    execFileSync(process.execPath, [tsc, '--noEmit', '-p', 'webview-ui/tsconfig.json'], { stdio: 'inherit', cwd: root });
  }
}

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Loaded from disk at run time (see the copies below), never bundled.
  external: ['vscode', 'pyodide', 'tsx'],
};

/** [entry, outfile, extra options]; entries that do not exist yet are skipped. */
const bundles = [
  ['src/extension/extension.ts', 'dist/extension.js', nodeCommon],
  ['src/worker/scoringWorker.ts', 'dist/worker.js', nodeCommon],
  // Folds run journals into run files off the main thread (src/core/storage/foldRunner.ts finds it beside the caller).
  ['src/core/storage/foldWorker.ts', 'dist/foldWorker.js', nodeCommon],
  // dist/cli.js is the small entry (src/cli/entry.ts) that loads the CLI bundle through a V8 code cache.
  ['src/cli/main.ts', 'dist/cliMain.js', nodeCommon],
  ['src/cli/entry.ts', 'dist/cli.js', { ...nodeCommon, banner: { js: '#!/usr/bin/env node' } }],
  [
    'webview-ui/src/main.ts',
    'dist/webview/main.js',
    { bundle: true, platform: 'browser', target: 'es2022', format: 'esm', sourcemap: !production, minify: production, logLevel: 'warning' },
  ],
  // The HTML report's script, inlined into each report file (src/core/report): one minified IIFE, no source map.
  [
    'webview-ui/src/report/reportMain.ts',
    'dist/webview/report.js',
    { bundle: true, platform: 'browser', target: 'es2020', format: 'iife', sourcemap: false, minify: true, legalComments: 'none', logLevel: 'warning' },
  ],
];

/** Runtime files copied next to the bundles: [from, to]. */
const copies = [
  ['node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm'],
  // IFEval's language detection falls back to these when no Python langdetect is installed.
  ['node_modules/langdetect/profiles', 'dist/langdetect-profiles'],
  ['webview-ui/src/styles.css', 'dist/webview/styles.css'],
  ['webview-ui/src/report/report.css', 'dist/webview/report.css'],
  // The bundled datasets, licences and README (data/README.md): every built-in benchmark runs offline from these.
  ['data', 'dist/data'],
  // HumanEval's wasm executor loads Pyodide from dist/pyodide (see src/core/benchmarks/humaneval/wasmExecutor.ts).
  ...['pyodide.js', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json', 'package.json'].map((f) => [`node_modules/pyodide/${f}`, `dist/pyodide/${f}`]),
];

function copyRuntimeFiles() {
  for (const [from, to] of copies) {
    const src = path.join(root, from);
    if (!fs.existsSync(src)) continue;
    fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
    fs.cpSync(src, path.join(root, to), { recursive: true });
  }
}

fs.mkdirSync(dist, { recursive: true });
const contexts = [];
for (const [entry, outfile, options] of bundles) {
  if (!fs.existsSync(path.join(root, entry))) continue;
  const ctx = await esbuild.context({ ...options, entryPoints: [path.join(root, entry)], outfile: path.join(root, outfile) });
  contexts.push(ctx);
}
copyRuntimeFiles();
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  console.log('esbuild: watching');
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  if (fs.existsSync(path.join(dist, 'cli.js'))) fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
  console.log(`esbuild: built ${contexts.length} bundles into dist/`);
}
