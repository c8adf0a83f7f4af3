/**
 * Commands on stored runs: open, compare, resume, retry failed requests, re-ask wrong answers, export,
 * reveal, delete, refresh, log.
 * Each accepts a tree node, a run id, or nothing (then asks with a quick pick).
 */
import * as vscode from 'vscode';
import { registerCommands } from './registerCommands';
import type { RunHandle } from '../core/run/types';
import { ManagedServer } from '../core/servers/managedServer';
import type { ServerProfile } from '../core/servers/types';
import type { RunSummary } from '../core/storage/types';
import { openItemDiff } from './diff/runContentProvider';
import { baselineFirst, runPickItems } from './panels/compareOrder';
import type { Panels } from './panels/panels';
import { exportReportTo, exportRunTo, type RunExportFormat } from './exportRun';
import { apiKeyFor } from './runEval/endpointPicker';
import { trackRun } from './runEval/runTracking';
import { readRun } from './runReading';
import { describeReask, describeRetry, followUpCounts, reaskRequest } from '../core/run/followUp';
import { ModelNode } from './runsTree/modelNode';
import { RunNode } from './runsTree/runNode';
import { describeRun, runLabel } from './runsTree/runsGrouping';
import type { RunsTreeProvider } from './runsTree/runsTreeProvider';
import type { EvalBenchServices } from './services';

export interface RunCommandDeps {
  services: EvalBenchServices;
  tree: RunsTreeProvider;
  panels: Panels;
}

type RunArg = RunNode | string | undefined;

function startStoredServer(services: EvalBenchServices, profile: ServerProfile): Thenable<ManagedServer> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'EvalBench: starting the model server', cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
    return ManagedServer.start(profile, {
      signal: abort.signal,
      log: (line) => services.log.trace(line),
      onStatus: (message) => {
        services.log.info(message);
        progress.report({ message });
      },
    });
  });
}

export function activateRunCommands(context: vscode.ExtensionContext, deps: RunCommandDeps): vscode.Disposable[] {
  const { services, tree, panels } = deps;

  async function runIdOf(arg: RunArg, title: string, exclude?: string): Promise<string | undefined> {
    if (arg instanceof RunNode) return arg.summary.id;
    if (typeof arg === 'string' && arg) return arg;
    return pickRun(await tree.allSummaries(), title, exclude, isBaseline);
  }

  /** A run pinned as its benchmark's baseline (the tree keeps one per benchmark). */
  const baselineIds = async () => new Set((await tree.allSummaries()).map((s) => tree.baselineOf(s.benchmarkId)).filter((id): id is string => !!id));
  let knownBaselines = new Set<string>();
  const isBaseline = (runId: string) => knownBaselines.has(runId);

  /** Opens the comparison with the baseline as A, whichever side it was picked on. */
  async function showComparison(a: string, b: string): Promise<[string, string]> {
    knownBaselines = await baselineIds();
    const [first, second] = baselineFirst(a, b, isBaseline);
    panels.showCompare(first, second);
    return [first, second];
  }

  async function continueRun(arg: RunArg, rerunFailed: boolean, options?: { confirmed?: boolean }): Promise<string | undefined> {
    const runId = await runIdOf(arg, rerunFailed ? 'Retry the failed requests of…' : 'Resume run…');
    if (!runId) return undefined;
    if (services.activeRuns.get(runId)) {
      void vscode.window.showInformationMessage(`Run ${runId} is already running in this window.`);
      return runId;
    }
    const contents = await readRun(services.store(), runId);
    const { run } = contents;
    if (rerunFailed) {
      // Say what and how many first; nothing to do is said, never silently done.
      const plan = describeRetry(runId, followUpCounts(contents.items, contents.samples, run.config.samplesPerItem));
      services.log.info(`Retry Failed Requests: ${plan.text}`);
      if (plan.nothing) {
        void vscode.window.showInformationMessage(plan.text);
        return undefined;
      }
      if (!options?.confirmed) {
        const go = await vscode.window.showInformationMessage('Retry Failed Requests', { modal: true, detail: plan.text }, 'Retry');
        if (go !== 'Retry') return undefined;
      }
    }
    const apiKey = await apiKeyFor(context.secrets, run.config.endpoint.baseUrl);
    // A run whose server EvalBench started (Compare Models) gets that server started again, and stopped after.
    const server = run.config.server ? await startStoredServer(services, run.config.server) : undefined;
    let handle: RunHandle;
    try {
      const reopen = { apiKey, ...(server ? { baseUrl: server.baseUrl } : {}) };
      handle = rerunFailed ? await services.manager().rerunFailed(runId, reopen) : await services.manager().resume(runId, reopen);
    } catch (error) {
      await server?.stop();
      throw error;
    }
    if (server) void handle.done.finally(() => server.stop());
    services.activeRuns.add(handle);
    void trackRun(handle, `EvalBench ${rerunFailed ? 'retrying failed requests of' : 'resuming'} ${runId}`, services.log);
    panels.showRun(runId);
    return runId;
  }

  /** Re-ask Wrong Answers: a new run over the items answered wrong; returns its id. */
  async function reaskWrong(arg: RunArg, options?: { confirmed?: boolean }): Promise<string | undefined> {
    const runId = await runIdOf(arg, 'Re-ask the wrong answers of…');
    if (!runId) return undefined;
    const contents = await readRun(services.store(), runId);
    const counts = followUpCounts(contents.items, contents.samples, contents.run.config.samplesPerItem);
    const plan = describeReask(contents.run, counts);
    services.log.info(`Re-ask Wrong Answers: ${plan.text}`);
    if (plan.nothing) {
      void vscode.window.showInformationMessage(plan.text);
      return undefined;
    }
    if (!options?.confirmed) {
      const go = await vscode.window.showInformationMessage('Re-ask Wrong Answers', { modal: true, detail: plan.text }, `Re-ask ${counts.wrongItems.length}`);
      if (!go) return undefined;
    }
    const apiKey = await apiKeyFor(context.secrets, contents.run.config.endpoint.baseUrl);
    const [handle] = await services.manager().start(reaskRequest(contents.run, counts.wrongItems, apiKey));
    services.activeRuns.add(handle);
    void trackRun(handle, `EvalBench re-asking ${counts.wrongItems.length} wrong answers of ${runId}`, services.log);
    panels.showRun(handle.runId);
    return handle.runId;
  }

  const commands: Record<string, (...args: any[]) => unknown> = {
    'evalbench.openRun': async (arg: RunArg) => {
      const runId = await runIdOf(arg, 'Open run…');
      if (runId) panels.showRun(runId);
      return runId;
    },
    'evalbench.compareRuns': async (arg: RunArg, other?: RunArg | RunArg[], itemId?: string) => {
      // From the tree with several runs selected, VS Code passes (clicked node, all selected nodes).
      if (Array.isArray(other)) {
        const ids = [...new Set(other.map((o) => (o instanceof RunNode ? o.summary.id : o)).filter((id): id is string => typeof id === 'string' && id !== ''))];
        if (ids.length > 2) {
          panels.showMatrix(ids);
          return ids;
        }
        if (ids.length === 2) return showComparison(ids[0], ids[1]);
        other = undefined;
      }
      knownBaselines = await baselineIds();
      const a = await runIdOf(arg, 'Compare: first run…');
      if (!a) return undefined;
      const b = await runIdOf(other, `Compare ${a} with… (a pinned baseline is always A)`, a);
      if (!b) return undefined;
      // With an item id, go straight to the diff of both responses (tests and links use this), in the order given.
      if (itemId) {
        await openItemDiff(a, b, itemId);
        return [a, b];
      }
      return showComparison(a, b);
    },
    'evalbench.resumeRun': (arg: RunArg) => continueRun(arg, false),
    'evalbench.rerunFailed': (arg: RunArg, options?: { confirmed?: boolean }) => continueRun(arg, true, options),
    'evalbench.reaskWrong': (arg: RunArg, options?: { confirmed?: boolean }) => reaskWrong(arg, options),
    // "Compare Runs" on a multi-selection: (clicked node, selected nodes); from code: (run ids).
    'evalbench.compareMany': async (first?: RunArg | ModelNode | string[], selected?: RunArg[]) => {
      // A model matrix node of the tree stands for its runs.
      if (first instanceof ModelNode && first.group.matrixId) first = first.group.runs.map((r) => r.id);
      const given = Array.isArray(first) ? first : Array.isArray(selected) ? selected : first ? [first] : [];
      let ids = [...new Set(given.map((o) => (o instanceof RunNode ? o.summary.id : o)).filter((id): id is string => typeof id === 'string' && id !== ''))];
      if (ids.length < 2) ids = (await pickRuns(await tree.allSummaries(), ids)) ?? [];
      if (ids.length < 2) return undefined;
      if (ids.length === 2) return showComparison(ids[0], ids[1]);
      panels.showMatrix(ids);
      return ids;
    },
    'evalbench.exportRun': async (arg: RunArg, target?: vscode.Uri, format?: RunExportFormat) => {
      const runId = await runIdOf(arg, 'Export run…');
      if (!runId) return undefined;
      const file = await exportRunTo(services, context, runId, target, format);
      if (file && !target) void vscode.window.showInformationMessage(`Exported run ${runId} to ${file}`);
      return file;
    },
    // "Export Report…": one run → its HTML report; two runs (a selection, or ids from code) → the comparison's.
    'evalbench.exportReport': async (first?: RunArg | string[], selected?: RunArg[] | vscode.Uri, target?: vscode.Uri) => {
      const given = Array.isArray(first) ? first : Array.isArray(selected) ? selected : first ? [first] : [];
      let ids = [...new Set(given.map((o) => (o instanceof RunNode ? o.summary.id : o)).filter((id): id is string => typeof id === 'string' && id !== ''))];
      if (ids.length === 0) ids = (await pickRuns(await tree.allSummaries(), [], 'Export Report: pick one run, or two to compare (A first)')) ?? [];
      if (ids.length === 0) return undefined;
      const file = await exportReportTo(services, context, ids.slice(0, 2), selected instanceof vscode.Uri ? selected : target);
      if (file && !target && !(selected instanceof vscode.Uri)) void vscode.window.showInformationMessage(`Exported the HTML report to ${file}`);
      return file;
    },
    'evalbench.revealRunFile': async (arg: RunArg) => {
      const runId = await runIdOf(arg, 'Reveal run file…');
      if (!runId) return;
      const summary = (await tree.allSummaries()).find((s) => s.id === runId);
      const file = summary?.file;
      if (!file) return void vscode.window.showWarningMessage(`Run ${runId} is not in ${services.runsDir()}.`);
      return revealFile(vscode.Uri.file(file));
    },
    'evalbench.deleteRun': async (arg: RunArg, options?: { confirmed?: boolean }) => {
      const runId = await runIdOf(arg, 'Delete run…');
      if (!runId) return false;
      if (services.activeRuns.get(runId)) {
        void vscode.window.showWarningMessage(`Run ${runId} is still running; cancel it before deleting it.`);
        return false;
      }
      if (!options?.confirmed) {
        const answer = await vscode.window.showWarningMessage(`Delete run ${runId}?`, { modal: true, detail: 'Its run file and summary are removed from disk. This cannot be undone.' }, 'Delete');
        if (answer !== 'Delete') return false;
      }
      panels.run.find(runId)?.dispose();
      const benchmark = (await tree.allSummaries()).find((s) => s.id === runId)?.benchmarkId;
      await services.store().delete(runId);
      // A deleted baseline would leave its benchmark's runs comparing against nothing.
      if (benchmark && tree.baselineOf(benchmark) === runId) await tree.setBaseline(benchmark, undefined);
      services.log.info(`deleted run ${runId}`);
      tree.refresh();
      return true;
    },
    'evalbench.refreshRuns': () => tree.refresh(),
    'evalbench.showLog': () => services.log.show(),
  };

  return registerCommands(commands, services.log);
}

async function pickRuns(summaries: RunSummary[], preselected: string[] = [], title = 'Compare runs: pick two or more'): Promise<string[] | undefined> {
  const items = summaries.map((s) => ({ label: `${s.label ?? s.model} · ${s.benchmarkId}`, description: `${describeRun(s)} · ${runLabel(s)}`, detail: s.id, id: s.id, picked: preselected.includes(s.id) }));
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, matchOnDescription: true, matchOnDetail: true });
  return picked?.map((p) => p.id);
}

async function pickRun(summaries: RunSummary[], title: string, exclude: string | undefined, isBaseline: (runId: string) => boolean): Promise<string | undefined> {
  const items = runPickItems(summaries, isBaseline, (s) => `${describeRun(s)} · ${runLabel(s)}`, exclude);
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No runs yet. Start one with "EvalBench: Run Eval".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
  return picked?.id;
}

/**
 * Shows a run file: in the OS file manager where VS Code has one (desktop), else in the Explorer when
 * the file is inside the workspace (browser VS Code, code-server), else its path with a Copy button.
 */
async function revealFile(uri: vscode.Uri): Promise<'os' | 'explorer' | 'path'> {
  const available = new Set(await vscode.commands.getCommands(true));
  if (available.has('revealFileInOS')) {
    await vscode.commands.executeCommand('revealFileInOS', uri);
    return 'os';
  }
  if (vscode.workspace.getWorkspaceFolder(uri)) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return 'explorer';
  }
  const answer = await vscode.window.showInformationMessage(`Run file: ${uri.fsPath}`, 'Copy Path');
  if (answer === 'Copy Path') await vscode.env.clipboard.writeText(uri.fsPath);
  return 'path';
}
