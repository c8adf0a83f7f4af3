import * as vscode from 'vscode';
import type { RunSummary } from '../../core/storage/types';
import type { ModelNode } from './modelNode';
import { describeRun, runLabel, runTooltip } from './runsGrouping';

const STATUS_ICONS: Record<RunSummary['status'], [string, string | undefined]> = {
  queued: ['watch', undefined],
  running: ['sync~spin', undefined],
  done: ['pass', 'testing.iconPassed'],
  done_with_errors: ['warning', 'list.warningForeground'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', undefined],
  interrupted: ['debug-pause', 'list.warningForeground'],
};

export class RunNode {
  readonly children: never[] = [];

  constructor(
    readonly parent: ModelNode,
    readonly summary: RunSummary,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(runLabel(this.summary), vscode.TreeItemCollapsibleState.None);
    item.id = `run:${this.summary.id}`;
    item.description = describeRun(this.summary);
    item.tooltip = runTooltip(this.summary);
    // contextValue carries the status so menus can offer Resume only where it makes sense.
    item.contextValue = `evalbench.run.${this.summary.status}`;
    const [icon, color] = STATUS_ICONS[this.summary.status] ?? ['circle-outline', undefined];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.command = { command: 'evalbench.openRun', title: 'Open Run', arguments: [this] };
    return item;
  }
}
