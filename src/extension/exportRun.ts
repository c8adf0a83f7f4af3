/**
 * Export of one run from the tree: the formats of core/export (the JSON report, CSV per sample, a
 * Markdown report, JUnit XML) plus the raw samples as JSON Lines. Asks for the format, then where.
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { compareRuns } from '../core/compare/compareRuns';
import { ConfigError } from '../core/errors';
import { renderHtmlReport } from '../core/report/htmlReport';
import { loadReportAssets } from '../core/report/reportAssets';
import { compareReportModel } from '../core/report/reportModel';
import { EXPORT_CHOICES, formatForFile, renderExport, type RunExportFormat } from './exportFormats';
import { readRun } from './runReading';
import type { EvalBenchServices } from './services';

export type { RunExportFormat } from './exportFormats';

/** Writes the export; returns the file written, or undefined when the user cancelled a prompt. */
export async function exportRunTo(
  services: EvalBenchServices,
  context: vscode.ExtensionContext,
  runId: string,
  target?: vscode.Uri,
  format?: RunExportFormat,
): Promise<string | undefined> {
  let chosen = format ?? (target ? formatForFile(target.fsPath) : undefined);
  if (!chosen) {
    if (target) throw new ConfigError(`cannot tell the export format from ${target.fsPath}: name the format (${EXPORT_CHOICES.map((c) => c.format).join(', ')})`);
    const picked = await vscode.window.showQuickPick(EXPORT_CHOICES.map((c) => ({ label: c.label, detail: c.detail, format: c.format })), { title: `Export run ${runId} as…` });
    chosen = picked?.format;
    if (!chosen) return undefined;
  }
  const choice = EXPORT_CHOICES.find((c) => c.format === chosen)!;
  let uri = target;
  if (!uri) {
    const defaultUri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? context.globalStorageUri, `${runId}.${choice.extension}`);
    uri = await vscode.window.showSaveDialog({ defaultUri, filters: { [choice.filter]: [choice.extension] }, title: `Export run ${runId} as ${choice.label}` });
    if (!uri) return undefined;
  }
  const contents = await readRun(services.store(), runId);
  await fs.writeFile(uri.fsPath, renderExport(contents, chosen), 'utf8');
  services.log.info(`exported run ${runId} as ${choice.label} to ${uri.fsPath}`);
  return uri.fsPath;
}

/**
 * "Export Report…": one run as the self-contained HTML report, or two runs (A, B) as the comparison's
 * report. Asks where unless given a target; returns the file written.
 */
export async function exportReportTo(services: EvalBenchServices, context: vscode.ExtensionContext, runIds: string[], target?: vscode.Uri): Promise<string | undefined> {
  if (runIds.length === 1) return exportRunTo(services, context, runIds[0], target, 'html');
  if (runIds.length !== 2) throw new ConfigError(`Export Report takes one run (its report) or two (their comparison); got ${runIds.length}`);
  const [idA, idB] = runIds;
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? context.globalStorageUri, `compare-${idA}-${idB}.html`),
      filters: { HTML: ['html'] },
      title: `Export the comparison of ${idA} (A) and ${idB} (B) as an HTML report`,
    }));
  if (!uri) return undefined;
  const a = await readRun(services.store(), idA);
  const b = await readRun(services.store(), idB);
  await fs.writeFile(uri.fsPath, renderHtmlReport(compareReportModel(a, b, compareRuns(a, b)), loadReportAssets()), 'utf8');
  services.log.info(`exported the comparison of ${idA} and ${idB} as an HTML report to ${uri.fsPath}`);
  return uri.fsPath;
}
