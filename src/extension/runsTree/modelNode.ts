import * as vscode from 'vscode';
import type { BenchmarkNode } from './benchmarkNode';
import type { ModelGroup } from './runsGrouping';
import { RunNode } from './runNode';

export class ModelNode {
  readonly children: RunNode[];

  constructor(
    readonly parent: BenchmarkNode,
    readonly group: ModelGroup,
  ) {
    this.children = group.runs.map((run) => new RunNode(this, run));
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.model, vscode.TreeItemCollapsibleState.Expanded);
    const runs = `${this.group.runs.length} run${this.group.runs.length === 1 ? '' : 's'}`;
    if (this.group.matrixId) {
      // A model matrix: its runs started together; clicking it opens them side by side.
      item.id = `matrix:${this.parent.group.benchmarkId}:${this.group.matrixId}`;
      item.contextValue = 'evalbench.matrix';
      item.iconPath = new vscode.ThemeIcon('table');
      item.description = `${runs} · model matrix`;
      item.tooltip = `Model matrix ${this.group.matrixId}: runs started together on ${this.parent.group.benchmarkId}`;
      item.command = { command: 'evalbench.compareMany', title: 'Open Model Matrix', arguments: [this.group.runs.map((r) => r.id)] };
      return item;
    }
    item.id = `model:${this.parent.group.benchmarkId}:${this.group.model}`;
    item.contextValue = 'evalbench.model';
    item.iconPath = new vscode.ThemeIcon('hubot');
    item.description = runs;
    return item;
  }
}
