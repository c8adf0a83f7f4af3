/** The comparison panel: two runs side by side; an item opens the native diff editor over both responses. */
import { loadPairwiseReport } from '../../core/judge/pairwiseRuns';
import type { ToWebview } from '../../shared/webviewProtocol';
import { openItemDiff } from '../diff/runContentProvider';
import { readRun } from '../runReading';
import type { EvalBenchServices } from '../services';
import { compareContents, pairwiseView } from './compareViewModel';
import type { OpenPanel, PanelBehaviour, PanelSpec } from './panelHost';

export const COMPARE_PANEL_TYPE = 'evalbench.comparePanel';

export interface ComparePanelState {
  kind: 'compare';
  /** A first, then B. */
  runIds: [string, string];
}

/** Every comparison opens its own panel. The page carries the pair in its state, so a reload (or a swap) brings back this order. */
export function comparePanelSpec(services: EvalBenchServices): PanelSpec<ComparePanelState> {
  return {
    viewType: COMPARE_PANEL_TYPE,
    title: ({ runIds: [a, b] }) => `Compare ${a} ↔ ${b}`,
    restore: (saved) => (saved?.runIds ? { kind: 'compare', runIds: [saved.runIds[0], saved.runIds[1]] } : undefined),
    behaviour: (panel) => compareBehaviour(services, panel),
  };
}

function compareBehaviour(services: EvalBenchServices, panel: OpenPanel<ComparePanelState>): PanelBehaviour {
  return {
    failure: () => `Could not compare ${panel.state.runIds[0]} and ${panel.state.runIds[1]}`,
    snapshot: async (): Promise<ToWebview> => {
      const [runA, runB] = panel.state.runIds;
      const [a, b] = await Promise.all([readRun(services.store(), runA), readRun(services.store(), runB)]);
      const snapshot = compareContents(a, b);
      const pairwise = loadPairwiseReport(services.store().runsDir, a.run.id, b.run.id);
      if (pairwise) snapshot.pairwise = pairwiseView(pairwise);
      const side = (h: typeof snapshot.a) => `${h.model} ${new Date(h.createdAt).toLocaleTimeString()}`;
      panel.title = `Compare ${side(snapshot.a)} ↔ ${side(snapshot.b)}`;
      return { kind: 'notification', method: 'compareSnapshot', params: { snapshot } };
    },
    notifications: {
      swapSides: () => panel.reload({ kind: 'compare', runIds: [panel.state.runIds[1], panel.state.runIds[0]] }),
      openDiff: ({ itemId }) => openItemDiff(panel.state.runIds[0], panel.state.runIds[1], itemId),
    },
  };
}
