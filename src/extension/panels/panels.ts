/** The four kinds of panel, one PanelHost each, and their serializers: made once per activation. */
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/storage/types';
import type { EvalBenchServices } from '../services';
import { comparePanelSpec, type ComparePanelState } from './comparePanel';
import { PanelHost } from './panelHost';
import { runPanelSpec, type RunPanelState } from './runPanel';
import { leaderboardPanelSpec, matrixPanelSpec, type LeaderboardPanelState, type MatrixPanelState } from './tablePanels';
import { vscodePanelPlatform } from './vscodePanelPlatform';

export class Panels implements vscode.Disposable {
  readonly run: PanelHost<RunPanelState, vscode.WebviewPanel>;
  readonly compare: PanelHost<ComparePanelState, vscode.WebviewPanel>;
  readonly matrix: PanelHost<MatrixPanelState, vscode.WebviewPanel>;
  readonly leaderboard: PanelHost<LeaderboardPanelState, vscode.WebviewPanel>;
  private readonly serializers: vscode.Disposable[];

  /** `summaries`: every stored run, for the leaderboard (the runs tree's list). */
  constructor(services: EvalBenchServices, summaries: () => Promise<RunSummary[]>) {
    const platform = vscodePanelPlatform(services.context.extensionUri, services.log);
    this.run = new PanelHost(platform, runPanelSpec(services));
    this.compare = new PanelHost(platform, comparePanelSpec(services));
    this.matrix = new PanelHost(platform, matrixPanelSpec(services));
    this.leaderboard = new PanelHost(platform, leaderboardPanelSpec(summaries));
    this.serializers = [this.run, this.compare, this.matrix, this.leaderboard].map((host) => host.registerSerializer());
  }

  showRun(runId: string): void {
    this.run.show({ kind: 'run', runId });
  }

  showCompare(runA: string, runB: string): void {
    this.compare.show({ kind: 'compare', runIds: [runA, runB] });
  }

  showMatrix(runIds: string[]): void {
    this.matrix.show({ kind: 'matrix', runIds });
  }

  /** Only the serializers: panels open at shutdown must stay open, so that VS Code brings them back. */
  dispose(): void {
    for (const s of this.serializers) s.dispose();
  }
}
