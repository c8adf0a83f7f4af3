/**
 * EvalBench's VS Code surface. activate() reads as a script: shared services, then each feature, each
 * returning its disposables. Nothing here evaluates anything: src/core does, this drives and shows it.
 */
import * as vscode from 'vscode';
import type { RunHandle } from '../core/run/types';
import { activateCompareModels } from './compareModels/compareModelsCommand';
import { activateDataCommands } from './dataCommands';
import { activateRunDocuments } from './diff/runContentProvider';
import { activateHistoryCommands } from './historyCommands';
import { Panels } from './panels/panels';
import { showLiveMatrix } from './panels/liveMatrix';
import { activateRunCommands } from './runCommands';
import { activateRunEval } from './runEval/runEvalCommand';
import { RunStatusBar } from './runEval/runTracking';
import { RunsTreeProvider } from './runsTree/runsTreeProvider';
import { EvalBenchServices } from './services';

let services: EvalBenchServices | undefined;

/** What activate() returns: for the integration tests, and for extensions that want to read runs. */
export interface EvalBenchApi {
  readonly runsDir: () => string;
  readonly runsTree: RunsTreeProvider;
  /** The runs view (its description shows the active filter). */
  readonly runsView: vscode.TreeView<unknown>;
}

export function activate(context: vscode.ExtensionContext): EvalBenchApi {
  services = new EvalBenchServices(context);
  const tree = new RunsTreeProvider(services);
  const panels = new Panels(services, () => tree.allSummaries());
  const openRun = (runId: string) => panels.showRun(runId);
  const openLiveMatrix = (handles: RunHandle[]) => void showLiveMatrix(panels.matrix, handles);

  // canSelectMany: several runs selected → Compare Runs opens the model matrix.
  const view = vscode.window.createTreeView('evalbench.runs', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const active = services;
  context.subscriptions.push(
    tree,
    view,
    tree.onDidChangeFilter((description) => (view.description = description)),
    // The leaderboard follows the runs folder: a full refresh of the tree (not one line's delta) rebuilds it.
    tree.onDidChangeTreeData((node) => {
      if (!node) for (const panel of panels.leaderboard.all()) void panel.refresh();
    }),
    panels,
    ...activateHistoryCommands({ services, tree, panels }),
    new RunStatusBar(services.activeRuns),
    ...activateRunDocuments(services),
    ...activateRunEval(context, { services, openRun, openLiveMatrix }),
    ...activateRunCommands(context, { services, tree, panels }),
    ...activateDataCommands(services),
    ...activateCompareModels(context, services, panels),
  );
  services.log.info(`EvalBench activated; runs folder ${services.runsDir()}`);
  return { runsDir: () => active.runsDir(), runsTree: tree, runsView: view as vscode.TreeView<unknown> };
}

/** Cancels runs in progress (their finished samples stay on disk) and stops the scoring worker. */
export async function deactivate(): Promise<void> {
  await services?.dispose();
  services = undefined;
}
