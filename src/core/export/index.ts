/** Exports of one stored run: JSON (the owner's report shape), CSV per sample, Markdown, JUnit XML, a self-contained HTML report. */
import { ConfigError } from '../errors';
import type { RunData } from '../compare/runData';
import type { BootstrapOptions } from '../stats/bootstrap';
import { renderCsv } from './csv';
import { renderJson } from './jsonReport';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { renderHtmlReport, type ReportAssets } from '../report/htmlReport';
import { loadReportAssets } from '../report/reportAssets';
import { runReportModel } from '../report/reportModel';

export const EXPORT_FORMATS = ['json', 'csv', 'md', 'junit', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

export interface ExportOptions extends BootstrapOptions {
  /** The HTML report's script and styles (default: the built dist/webview/report.*). */
  reportAssets?: () => ReportAssets;
}

export function exportRun(data: RunData, format: ExportFormat, options: ExportOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(data, options);
    case 'csv':
      return renderCsv(data);
    case 'md':
      return renderMarkdown(data, options);
    case 'junit':
      return renderJunit(data);
    case 'html':
      return renderHtmlReport(runReportModel(data, options), (options.reportAssets ?? loadReportAssets)());
    default:
      throw new ConfigError(`unknown export format '${String(format)}': use one of ${EXPORT_FORMATS.join(', ')}`);
  }
}

export { renderCsv, csvField } from './csv';
export { renderJson, toJsonReport, modelFormat } from './jsonReport';
export { renderJunit, xmlEscape } from './junit';
export { renderMarkdown } from './markdown';
