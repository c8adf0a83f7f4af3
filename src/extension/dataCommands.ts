/**
 * "Update Bundled Datasets…": the VS Code face of `evalbench data update`. It says which addresses it
 * will contact and through which proxy, asks first, and goes through VS Code's own proxy settings
 * (`http.proxy`, `http.proxyStrictSSL`). Runs never download; this is the only way data is fetched.
 */
import * as vscode from 'vscode';
import { BUNDLED_DATA, type DataFileId } from '../core/data/bundledData';
import { dataStatus, updateData, type DataUpdateResult } from '../core/data/dataUpdate';
import { downloadWithProxy, proxyFromEnvironment } from '../core/data/proxiedDownload';
import { registerCommands } from './registerCommands';
import type { EvalBenchServices } from './services';

const OPEN_PROXY_SETTING = 'Open Proxy Setting';

/** VS Code's proxy for `url`: the http.proxy setting, else the environment VS Code was started with. */
export function vscodeProxyFor(url: string): { proxy?: string; strictSSL: boolean } {
  const http = vscode.workspace.getConfiguration('http');
  const setting = http.get<string>('proxy', '').trim();
  return { proxy: setting || proxyFromEnvironment(url), strictSSL: http.get<boolean>('proxyStrictSSL', true) };
}

export function activateDataCommands(services: EvalBenchServices): vscode.Disposable[] {
  return registerCommands(
    {
      'evalbench.updateData': async (options?: { confirmed?: boolean; urls?: Record<string, string>; ids?: DataFileId[] }) => {
        const hosts = [...new Set(BUNDLED_DATA.map((d) => new URL(options?.urls?.[d.id] ?? d.updateUrl).host))];
        const { proxy } = vscodeProxyFor(BUNDLED_DATA[0].updateUrl);
        if (!options?.confirmed) {
          const answer = await vscode.window.showInformationMessage(
            `Fetch newer copies of the ${BUNDLED_DATA.length} bundled data files (IFEval, Punkt, HumanEval, GSM8K) from ${hosts.join(', ')}` +
              `${proxy ? ` through proxy ${proxy}` : ' (no proxy set in http.proxy)'}?`,
            { modal: true, detail: 'Runs use the data bundled with EvalBench until a newer copy arrives and passes the same checks a run makes. Nothing else is sent.' },
            'Fetch',
          );
          if (answer !== 'Fetch') return undefined;
        }
        const results = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'EvalBench: fetching newer data', cancellable: true },
          (progress, token) => {
            const controller = new AbortController();
            token.onCancellationRequested(() => controller.abort());
            return updateData({
              cacheDir: services.cacheDir(),
              urls: options?.urls,
              ids: options?.ids,
              signal: controller.signal,
              onFetch: (_id, url) => {
                services.log.info(`data update: fetching ${url}${vscodeProxyFor(url).proxy ? ` through ${vscodeProxyFor(url).proxy}` : ''}`);
                progress.report({ message: url });
              },
              fetchBytes: (url, signal) =>
                downloadWithProxy(url, { ...vscodeProxyFor(url), signal, timeoutMs: 60_000, advice: 'check the network and the http.proxy setting' }),
            });
          },
        );
        report(results, services);
        return results;
      },
      'evalbench.showDataStatus': () => {
        const copies = dataStatus(services.cacheDir());
        for (const c of copies) services.log.info(`data ${c.id}: ${c.origin} (sha256 ${c.sha256})`);
        services.log.show(true);
        return copies;
      },
    },
    services.log,
  );
}

/** Logs each file's outcome and tells the user; the notification is not awaited (nobody may answer it). */
function report(results: DataUpdateResult[], services: EvalBenchServices): void {
  for (const r of results) services.log.info(`data update ${r.id}: ${r.status}${r.error ? `: ${r.error}` : r.sha256 ? ` (sha256 ${r.sha256})` : ''}`);
  const updated = results.filter((r) => r.status === 'updated');
  const failed = results.filter((r) => r.status === 'failed');
  const summary = `${updated.length} updated, ${results.length - updated.length - failed.length} already the newest, ${failed.length} failed`;
  if (failed.length === 0) {
    void vscode.window.showInformationMessage(`EvalBench data: ${summary}.`);
    return;
  }
  void vscode.window
    .showWarningMessage(`EvalBench data: ${summary}; runs keep using the copies they had. First failure: ${failed[0].error}`, OPEN_PROXY_SETTING, 'Show Log')
    .then((answer) => {
      if (answer === OPEN_PROXY_SETTING) void vscode.commands.executeCommand('workbench.action.openSettings', 'http.proxy');
      if (answer === 'Show Log') services.log.show();
    });
}
