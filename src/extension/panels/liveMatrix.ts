/** The matrix of runs started together (one model matrix), filling in as their samples finish. Never imports `vscode`. */
import type { RunHandle } from '../../core/run/types';
import type { OpenPanel, PanelHost } from './panelHost';
import type { MatrixPanelState } from './tablePanels';

/** How often a live matrix is rebuilt while its runs go on: each rebuild reads every run file. */
export const LIVE_MATRIX_REFRESH_MS = 2_000;

/**
 * Opens the matrix of these runs and rebuilds it at most every `refreshMs` while any of them goes on, and once
 * more when the last one ends. Closing the panel ends the rebuilds and the listeners on the runs at once.
 */
export function showLiveMatrix(matrices: PanelHost<MatrixPanelState>, handles: RunHandle[], refreshMs = LIVE_MATRIX_REFRESH_MS): OpenPanel<MatrixPanelState> {
  const panel = matrices.show({ kind: 'matrix', runIds: handles.map((h) => h.runId) });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void panel.refresh();
    }, refreshMs);
  };
  const subscriptions = handles.map((h) => h.onProgress(schedule));
  const closed = panel.panel.onDidDispose(() => stop());
  const stop = () => {
    if (stopped) return;
    stopped = true;
    closed.dispose();
    subscriptions.forEach((s) => s.dispose());
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  void Promise.allSettled(handles.map((h) => h.done)).then(() => {
    if (stopped) return;
    stop();
    void panel.refresh();
  });
  return panel;
}
