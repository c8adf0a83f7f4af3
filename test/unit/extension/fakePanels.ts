/** A fake PanelPlatform and fake webview panels, so PanelHost and the panels built on it run on Node without VS Code. */
import type { PanelLike, PanelPlatform } from '../../../src/extension/panels/panelHost';

export class FakePanel implements PanelLike {
  /** What the host posted to the webview. */
  readonly posted: any[] = [];
  revealed = 0;
  disposed = false;
  private readonly receivers = new Set<(m: unknown) => void>();
  private readonly disposeListeners = new Set<() => void>();
  readonly webview = {
    html: '',
    postMessage: (m: unknown) => (this.posted.push(m), Promise.resolve(true)),
    onDidReceiveMessage: (l: (m: unknown) => void) => (this.receivers.add(l), { dispose: () => this.receivers.delete(l) }),
  };

  constructor(
    readonly viewType: string,
    public title: string,
  ) {}

  /** The webview posts a message to the host. */
  fromWebview(message: unknown): void {
    for (const l of this.receivers) l(message);
  }

  get listenerCount(): number {
    return this.receivers.size + this.disposeListeners.size;
  }

  reveal(): void {
    this.revealed++;
  }

  /** As VS Code: disposing fires onDidDispose once, whether the user closed it or the code did. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of [...this.disposeListeners]) l();
  }

  onDidDispose(l: () => void) {
    this.disposeListeners.add(l);
    return { dispose: () => this.disposeListeners.delete(l) };
  }
}

export function fakePlatform() {
  const created: FakePanel[] = [];
  const prepared: FakePanel[] = [];
  const serializers = new Map<string, (panel: FakePanel, saved: unknown) => Promise<void>>();
  const logged: string[] = [];
  const platform: PanelPlatform<FakePanel> = {
    create: (viewType, title) => {
      const panel = new FakePanel(viewType, title);
      created.push(panel);
      return panel;
    },
    prepare: (panel) => void prepared.push(panel),
    page: () => ({ script: 'https://webview/main.js', styles: 'https://webview/styles.css', cspSource: 'https://webview' }),
    registerSerializer: (viewType, revive) => {
      serializers.set(viewType, revive);
      return { dispose: () => serializers.delete(viewType) };
    },
    log: (message) => void logged.push(message),
  };
  return { platform, created, prepared, serializers, logged };
}
