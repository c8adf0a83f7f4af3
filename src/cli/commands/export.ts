import * as fs from 'node:fs';
import * as path from 'node:path';
import { storeLoader, type RunDataLoader } from '../../core/compare/runLoader';
import { EXPORT_FORMATS, exportRun, isExportFormat } from '../../core/export';
import type { ReportAssets } from '../../core/report/htmlReport';
import { loadReportAssets } from '../../core/report/reportAssets';
import { UsageError, parse, runRefFrom, runsDirFrom } from '../args';
import type { CliCommand } from '../command';

const usage = `evalbench export RUN --format json|csv|md|junit|html [--out FILE] [--runs-dir DIR]

Export a stored run (a run id, or a .sqlite path):
  json   the report shape {timestamp, repo_id, model_path, model_format, gpu_info, benchmarks: {…}} with
         every metric, its 95% interval and standard error
  csv    one row per sample: verdict, values, tokens, latency, failed checks, response (RFC 4180)
  md     a Markdown report: settings, metrics with intervals, failure causes, failed items
  junit  JUnit XML, one testcase per item (for CI dashboards)
  html   one self-contained HTML file (charts, metrics, searchable items with prompt, response and
         reason; nothing loaded from the network) to share with anyone who has a browser
  --out FILE      write there instead of standard output
  --runs-dir DIR  where run files are (default .evalbench/runs)`;

export function createExportCommand(loaderFor: (runsDir: string) => RunDataLoader = storeLoader, reportAssets: () => ReportAssets = loadReportAssets): CliCommand {
  return {
    name: 'export',
    summary: 'export a run as JSON, CSV, Markdown, JUnit XML or a self-contained HTML report',
    usage,
    async run(argv, io) {
      const { values, positionals } = parse(argv, { format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' }, 'runs-dir': { type: 'string' } }, true);
      if (positionals.length !== 1) throw new UsageError('give one run id or run file: evalbench export RUN --format json');
      const format = values.format;
      if (!format) throw new UsageError(`--format is required: one of ${EXPORT_FORMATS.join(', ')}`);
      if (!isExportFormat(format)) throw new UsageError(`unknown --format '${format}': use one of ${EXPORT_FORMATS.join(', ')}`);
      const data = await loaderFor(runsDirFrom(values['runs-dir'], io.cwd))(runRefFrom(positionals[0], io.cwd));
      const text = exportRun(data, format, { reportAssets });
      if (values.out) {
        const file = path.resolve(io.cwd, values.out);
        fs.writeFileSync(file, text);
        io.stderr.write(`wrote ${file}\n`);
      } else io.stdout.write(text);
      return 0;
    },
  };
}

export const exportCommand = createExportCommand();
