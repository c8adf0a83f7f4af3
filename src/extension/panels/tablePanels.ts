/** The model matrix (several runs side by side) and the leaderboard (stored runs ranked): read-only panels of one snapshot each. */
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/storage/types';
import { readRun } from '../runReading';
import type { EvalBenchServices } from '../services';
import { leaderboardView } from './leaderboardViewModel';
import { matrixView } from './matrixViewModel';
import type { OpenPanel, PanelHost, PanelSpec } from './panelHost';

export const MATRIX_PANEL_TYPE = 'evalbench.matrixPanel';
export const LEADERBOARD_PANEL_TYPE = 'evalbench.leaderboardPanel';

export interface MatrixPanelState {
  kind: 'matrix';
  runIds: string[];
}

export interface LeaderboardPanelState {
  kind: 'leaderboard';
  benchmark?: string;
  metric?: string;
}

/** A run in the matrix or the leaderboard opens its run panel. */
const openRun = ({ runId }: { runId: string }) => vscode.commands.executeCommand('evalbench.openRun', runId);

export function matrixPanelSpec(services: EvalBenchServices): PanelSpec<MatrixPanelState> {
  return {
    viewType: MATRIX_PANEL_TYPE,
    title: (state) => `Model matrix (${state.runIds.length} runs)`,
    restore: (saved) => (saved?.runIds?.length ? { kind: 'matrix', runIds: saved.runIds } : undefined),
    behaviour: ({ state }) => ({
      failure: () => `Could not build the matrix of ${state.runIds.length} runs`,
      snapshot: async () => {
        const runs = await Promise.all(state.runIds.map((id) => readRun(services.store(), id)));
        return { kind: 'notification', method: 'matrixSnapshot', params: { snapshot: matrixView(runs) } };
      },
      notifications: { openRun },
    }),
  };
}

export function leaderboardPanelSpec(summaries: () => Promise<RunSummary[]>): PanelSpec<LeaderboardPanelState> {
  return {
    viewType: LEADERBOARD_PANEL_TYPE,
    title: () => 'EvalBench leaderboard',
    restore: (saved) => ({ kind: 'leaderboard', benchmark: saved?.benchmark, metric: saved?.metric }),
    behaviour: () => ({
      failure: () => 'Could not build the leaderboard',
      snapshot: async () => ({ kind: 'notification', method: 'leaderboardSnapshot', params: { snapshot: leaderboardView(await summaries()) } }),
      notifications: { openRun },
    }),
  };
}

/** One leaderboard panel: a second call opens it afresh with the benchmark / metric asked for. */
export function showLeaderboard(leaderboards: PanelHost<LeaderboardPanelState>, state: { benchmark?: string; metric?: string } = {}): OpenPanel<LeaderboardPanelState> {
  leaderboards.disposeAll();
  return leaderboards.show({ kind: 'leaderboard', ...state });
}
