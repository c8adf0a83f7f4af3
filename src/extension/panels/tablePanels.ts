/** The model matrix (several runs side by side) and the leaderboard (stored runs ranked), as snapshot panels. */
import * as vscode from 'vscode';
import type { RunHandle } from '../../core/run/types';
import type { RunSummary } from '../../core/storage/types';
import { readRun } from '../runReading';
import type { EvalBenchServices } from '../services';
import { leaderboardView } from './leaderboardViewModel';
import { matrixView } from './matrixViewModel';
import { SnapshotPanel, type SnapshotSource } from './snapshotPanel';

export const MATRIX_PANEL_TYPE = 'evalbench.matrixPanel';
export const LEADERBOARD_PANEL_TYPE = 'evalbench.leaderboardPanel';

export function matrixSource(services: EvalBenchServices, runIds: string[]): SnapshotSource {
  return {
    viewType: MATRIX_PANEL_TYPE,
    state: { kind: 'matrix', runIds },
    failure: `Could not build the matrix of ${runIds.length} runs`,
    build: async () => {
      const runs = await Promise.all(runIds.map((id) => readRun(services.store(), id)));
      return { kind: 'notification', method: 'matrixSnapshot', params: { snapshot: matrixView(runs) } };
    },
  };
}

export function showMatrix(services: EvalBenchServices, runIds: string[]): SnapshotPanel {
  return SnapshotPanel.show(services, matrixSource(services, runIds), `Model matrix (${runIds.length} runs)`);
}

/** How often a live matrix is rebuilt while its runs go on: each rebuild reads every run file. */
const LIVE_MATRIX_REFRESH_MS = 2_000;

/**
 * The matrix of runs started together (one model matrix), filling in as their samples finish: rebuilt at
 * most every 2 s while any run goes on, and once more when the last one ends.
 */
export function showLiveMatrix(services: EvalBenchServices, handles: RunHandle[]): SnapshotPanel {
  const panel = showMatrix(services, handles.map((h) => h.runId));
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void panel.refresh();
    }, LIVE_MATRIX_REFRESH_MS);
  };
  const subscriptions = handles.map((h) => h.onProgress(schedule));
  void Promise.allSettled(handles.map((h) => h.done)).then(() => {
    subscriptions.forEach((s) => s.dispose());
    if (timer) clearTimeout(timer);
    timer = undefined;
    void panel.refresh();
  });
  return panel;
}

export function leaderboardSource(services: EvalBenchServices, summaries: () => Promise<RunSummary[]>, state: { benchmark?: string; metric?: string } = {}): SnapshotSource {
  return {
    viewType: LEADERBOARD_PANEL_TYPE,
    state: { kind: 'leaderboard', ...state },
    failure: 'Could not build the leaderboard',
    build: async () => ({ kind: 'notification', method: 'leaderboardSnapshot', params: { snapshot: leaderboardView(await summaries()) } }),
  };
}

/** One leaderboard panel: a second call brings it forward with the benchmark / metric asked for. */
export function showLeaderboard(services: EvalBenchServices, summaries: () => Promise<RunSummary[]>, state: { benchmark?: string; metric?: string } = {}): SnapshotPanel {
  for (const existing of SnapshotPanel.all(LEADERBOARD_PANEL_TYPE)) existing.dispose();
  return SnapshotPanel.show(services, leaderboardSource(services, summaries, state), 'EvalBench leaderboard');
}

export function revivers(services: EvalBenchServices, summaries: () => Promise<RunSummary[]>): vscode.Disposable[] {
  return [
    vscode.window.registerWebviewPanelSerializer(MATRIX_PANEL_TYPE, {
      async deserializeWebviewPanel(panel, state: { runIds?: string[] } | undefined) {
        if (state?.runIds?.length) SnapshotPanel.revive(services, panel, matrixSource(services, state.runIds));
        else panel.dispose();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(LEADERBOARD_PANEL_TYPE, {
      async deserializeWebviewPanel(panel, state: { benchmark?: string; metric?: string } | undefined) {
        SnapshotPanel.revive(services, panel, leaderboardSource(services, summaries, { benchmark: state?.benchmark, metric: state?.metric }));
      },
    }),
  ];
}
