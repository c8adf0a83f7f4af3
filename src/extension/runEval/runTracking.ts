/**
 * Shows runs in progress: one cancellable progress notification per run (Cancel really stops it) and
 * one status bar item summing every run in this window.
 */
import * as vscode from 'vscode';
import { finishedCount } from '../../core/outcome';
import type { RunHandle } from '../../core/run/types';
import type { RunRecord } from '../../core/storage/types';
import type { ActiveRuns } from '../activeRuns';
import { progressMessage } from './progressText';

export function trackRun(handle: RunHandle, title: string, log: vscode.LogOutputChannel): Promise<RunRecord> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const cancel = token.onCancellationRequested(() => {
          log.info(`run ${handle.runId}: cancelled by the user`);
          handle.cancel();
        });
        let reported = 0;
        const sub = handle.onProgress((p) => {
          const fraction = p.total > 0 ? (finishedCount(p.counts) / p.total) * 100 : 0;
          progress.report({ increment: Math.max(0, fraction - reported), message: progressMessage(p) });
          reported = Math.max(reported, fraction);
        });
        try {
          return await handle.done;
        } finally {
          sub.dispose();
          cancel.dispose();
        }
      },
    ),
  );
}

/** "$(beaker) 120/541" while runs are active; click opens the most recent run. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('evalbench.runs', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions = new Map<string, vscode.Disposable>();
  private readonly listener: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly activeRuns: ActiveRuns) {
    this.item.name = 'EvalBench runs';
    this.listener = activeRuns.onDidChange(() => this.sync());
  }

  private sync(): void {
    const runs = this.activeRuns.all();
    for (const [id, sub] of this.subscriptions) {
      if (!runs.some((r) => r.runId === id)) {
        sub.dispose();
        this.subscriptions.delete(id);
      }
    }
    for (const run of runs) {
      if (!this.subscriptions.has(run.runId)) this.subscriptions.set(run.runId, run.onProgress(() => this.scheduleRender()));
    }
    this.render();
  }

  private scheduleRender(): void {
    // Progress arrives several times a second per run; the status bar needs no more than one paint a second.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, 1000);
  }

  private render(): void {
    const runs = this.activeRuns.all();
    if (runs.length === 0) {
      this.item.hide();
      return;
    }
    let done = 0;
    let total = 0;
    for (const run of runs) {
      const p = run.progress();
      done += finishedCount(p.counts);
      total += p.total;
    }
    const latest = runs[runs.length - 1];
    this.item.text = `$(beaker) ${runs.length > 1 ? `${runs.length} runs ` : ''}${done}/${total}`;
    this.item.tooltip = `EvalBench: ${runs.map((r) => `${r.runId} ${progressMessage(r.progress())}`).join('\n')}`;
    this.item.command = { command: 'evalbench.openRun', title: 'Open Run', arguments: [latest.runId] };
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listener.dispose();
    for (const sub of this.subscriptions.values()) sub.dispose();
    this.item.dispose();
  }
}
