/**
 * Finds the report's browser script and styles built by esbuild.mjs (dist/webview/report.js and
 * report.css): next to the running bundle (dist/cli.js, dist/extension.js), or in the repository's
 * dist/ when running from source (tests, tsx).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors';
import type { ReportAssets } from './htmlReport';

export function reportAssetDirs(from = __dirname): string[] {
  return [path.join(from, 'webview'), path.resolve(from, '..', '..', '..', 'dist', 'webview'), path.resolve(from, '..', 'dist', 'webview')];
}

export function loadReportAssets(dirs = reportAssetDirs()): ReportAssets {
  for (const dir of dirs) {
    const script = path.join(dir, 'report.js');
    const css = path.join(dir, 'report.css');
    if (fs.existsSync(script) && fs.existsSync(css)) return { script: fs.readFileSync(script, 'utf8'), css: fs.readFileSync(css, 'utf8') };
  }
  throw new ConfigError(`the HTML report's script (report.js) was not found in ${dirs.join(' or ')}: build EvalBench first (npm run build)`);
}
