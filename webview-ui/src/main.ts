/** Entry of the run and comparison webviews: picks the view from the state the host put in the page. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ToWebview, WebviewState } from '../../src/shared/webviewProtocol';
import { CompareView } from './compareView';
import { h } from './dom';
import { LeaderboardView } from './leaderboardView';
import { MatrixView } from './matrixView';
import { RunView } from './runView';
import { HostChannel } from './vscodeApi';

function initialState(): WebviewState {
  try {
    return JSON.parse(document.body.dataset.state ?? '{}') as WebviewState;
  } catch {
    return { kind: 'run' };
  }
}

const root = document.getElementById('app')!;
const initial = initialState();
let view: { handle(message: ToWebview): void } | undefined;
const host = new HostChannel((message) => {
  if (message.method === 'error') {
    root.append(h('p', { class: 'error banner' }, message.params.message));
    return;
  }
  view?.handle(message);
});
// The page's state (from the host) names the run; saved UI state (filter, selection) is kept across reloads.
host.setState({ ...initial, ...(host.getState() ?? {}), kind: initial.kind, runId: initial.runId, runIds: initial.runIds });
view =
  initial.kind === 'compare'
    ? new CompareView(root, host)
    : initial.kind === 'matrix'
      ? new MatrixView(root, host)
      : initial.kind === 'leaderboard'
        ? new LeaderboardView(root, host)
        : new RunView(root, host, initial.runId ?? '');
host.notify('ready', {});
