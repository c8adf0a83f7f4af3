import * as vscode from 'vscode';
import type { BenchmarkGroup } from './runsGrouping';
import { ModelNode } from './modelNode';

const BENCHMARK_NAMES: Record<string, string> = { ifeval: 'IFEval', humaneval: 'HumanEval', gsm8k: 'GSM8K', custom: 'Custom JSONL' };

export class BenchmarkNode {
  readonly parent = undefined;
  readonly children: ModelNode[];

  constructor(readonly group: BenchmarkGroup) {
    this.children = group.models.map((model) => new ModelNode(this, model));
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(BENCHMARK_NAMES[this.group.benchmarkId] ?? this.group.benchmarkId, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `benchmark:${this.group.benchmarkId}`;
    item.contextValue = 'evalbench.benchmark';
    item.iconPath = new vscode.ThemeIcon('beaker');
    return item;
  }
}
