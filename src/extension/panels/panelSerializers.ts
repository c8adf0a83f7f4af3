/** Brings run and comparison panels back after a window reload, from the ids they kept in their state. */
import * as vscode from 'vscode';
import type { EvalBenchServices } from '../services';
import type { WebviewState } from '../../shared/webviewProtocol';
import { COMPARE_PANEL_TYPE, ComparePanel } from './comparePanel';
import { RUN_PANEL_TYPE, RunPanel } from './runPanel';

export function activatePanelSerializers(services: EvalBenchServices): vscode.Disposable[] {
  return [
    vscode.window.registerWebviewPanelSerializer(RUN_PANEL_TYPE, {
      async deserializeWebviewPanel(panel, state: WebviewState | undefined) {
        if (state?.runId) RunPanel.revive(services, panel, state.runId);
        else panel.dispose();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(COMPARE_PANEL_TYPE, {
      async deserializeWebviewPanel(panel, state: WebviewState | undefined) {
        if (state?.runIds) ComparePanel.revive(services, panel, state.runIds[0], state.runIds[1]);
        else panel.dispose();
      },
    }),
  ];
}
