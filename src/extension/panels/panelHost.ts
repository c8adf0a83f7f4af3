/**
 * One host for every webview panel (run, compare, matrix, leaderboard): creating, reviving after a reload
 * (the serializer), the CSP'd page, the channel to the webview, the snapshot on `ready`, and disposal are
 * written once here; a panel supplies its state, its snapshot, its handlers and what it must release.
 * Never imports `vscode` at run time: VS Code comes in through a PanelPlatform (vscodePanelPlatform.ts),
 * so unit tests drive the host with fakes.
 */
import { errorMessage } from '../../core/errors';
import type { Handler } from '../../shared/messageChannel';
import type { PanelMethods, PanelNotifications, ToWebview, WebviewNotifications, WebviewState } from '../../shared/webviewProtocol';
import { openPanelChannel, type PanelChannel, type WebviewLike } from './panelChannel';
import { webviewHtml, type PageResources } from './webviewHtml';

export interface DisposableLike {
  dispose(): void;
}

/** The members of a vscode.WebviewPanel the host uses. */
export interface PanelLike {
  title: string;
  readonly webview: WebviewLike & { html: string };
  reveal(): void;
  dispose(): void;
  onDidDispose(listener: () => void): DisposableLike;
}

/** What the host needs of VS Code. */
export interface PanelPlatform<P extends PanelLike = PanelLike> {
  /** A new panel in the active column, with scripts on, resources only from dist/webview, and the icon. */
  create(viewType: string, title: string): P;
  /** A panel VS Code brought back after a reload: the same options and icon as a new one. */
  prepare(panel: P): void;
  page(panel: P): PageResources;
  /** Calls `revive` with each panel of this type VS Code restores, and the state its webview kept. */
  registerSerializer(viewType: string, revive: (panel: P, saved: unknown) => Promise<void>): DisposableLike;
  log(message: string): void;
}

export type NotificationHandlers = {
  [K in Exclude<keyof PanelNotifications, 'ready'>]?: (params: PanelNotifications[K]) => unknown;
};

/** One open panel's behaviour, made by its spec when the panel opens. */
export interface PanelBehaviour {
  /** The one notification that paints the whole view: sent on the webview's `ready` and on refresh(). */
  snapshot(): Promise<ToWebview>;
  /** What a failed snapshot was, put before the error in the panel: "Could not open run r1". */
  failure(): string;
  /** The webview's requests (ids, replies, timeouts: src/shared/messageChannel.ts); a thrown error is the reply. */
  requests?: Handler<PanelMethods>;
  /** The webview's notifications other than `ready` (which the host answers with the snapshot). */
  notifications?: NotificationHandlers;
  /** Releases live streams, timers and listeners: the panel closed. */
  dispose?(): void;
}

export interface PanelSpec<State extends WebviewState> {
  viewType: string;
  /** The title a panel opens with; the behaviour may change it once it has read its content. */
  title(state: State): string;
  /** Panels with the same key are one panel: show() brings the open one forward. Without a key every show() opens one. */
  key?(state: State): string;
  /** The state a restored panel's webview kept (setState); undefined closes the panel (nothing to show). */
  restore(saved: WebviewState | undefined): State | undefined;
  behaviour(panel: OpenPanel<State>): PanelBehaviour;
}

/** One panel on screen: its state, its channel and its behaviour. */
export class OpenPanel<State extends WebviewState, P extends PanelLike = PanelLike> {
  private readonly channel: PanelChannel;
  private readonly behaviour: PanelBehaviour;
  private readonly disposables: DisposableLike[] = [];
  private disposed = false;
  /** Counts refreshes: a snapshot overtaken by a newer refresh is dropped, never painted over it. */
  private generation = 0;

  constructor(
    private readonly host: PanelHost<State, P>,
    readonly panel: P,
    private currentState: State,
  ) {
    // Filled with the behaviour's handlers below: the behaviour is made after the channel it may speak on.
    const requests: Handler<PanelMethods> = {};
    const connection = openPanelChannel(panel.webview, requests, (message) => {
      if (message.method === 'ready') return void this.refresh();
      const handler = this.behaviour.notifications?.[message.method] as ((params: unknown) => unknown) | undefined;
      void this.run(message.method, () => handler?.(message.params));
    });
    this.channel = connection.channel;
    this.disposables.push(connection, panel.onDidDispose(() => this.dispose()));
    this.loadPage();
    this.behaviour = host.spec.behaviour(this);
    Object.assign(requests, this.behaviour.requests);
  }

  get state(): State {
    return this.currentState;
  }

  get title(): string {
    return this.panel.title;
  }

  set title(title: string) {
    this.panel.title = title;
  }

  notify<K extends keyof WebviewNotifications & string>(method: K, params: WebviewNotifications[K]): void {
    this.channel.notify(method, params);
  }

  /** Builds the snapshot and sends it; a failure is shown in the panel, in words. */
  async refresh(): Promise<void> {
    if (this.disposed) return;
    const generation = ++this.generation;
    let message: ToWebview;
    try {
      message = await this.behaviour.snapshot();
    } catch (error) {
      this.host.platform.log(`${this.host.spec.viewType}: ${this.behaviour.failure()}: ${errorMessage(error)}`);
      message = { kind: 'notification', method: 'error', params: { message: `${this.behaviour.failure()}: ${errorMessage(error)}` } };
    }
    if (generation === this.generation) this.channel.notify(message.method, message.params);
  }

  /** Loads the page anew with another state (compare: swap sides); the webview says `ready` again. */
  reload(state: State): void {
    this.currentState = state;
    // A snapshot of the old state still being built must not reach the new page: the new page's `ready` asks for its own.
    this.generation++;
    this.loadPage();
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.host.forget(this);
    this.behaviour?.dispose?.();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private loadPage(): void {
    this.panel.webview.html = webviewHtml(this.host.platform.page(this.panel), this.panel.title, this.currentState);
  }

  private async run(what: string, work: () => unknown): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.host.platform.log(`${this.host.spec.viewType} ${what}: ${errorMessage(error)}`);
    }
  }
}

/** The panels of one view type. */
export class PanelHost<State extends WebviewState, P extends PanelLike = PanelLike> {
  private readonly open = new Set<OpenPanel<State, P>>();

  constructor(
    readonly platform: PanelPlatform<P>,
    readonly spec: PanelSpec<State>,
  ) {}

  show(state: State): OpenPanel<State, P> {
    const existing = this.spec.key ? this.find(this.spec.key(state)) : undefined;
    if (existing) {
      existing.reveal();
      return existing;
    }
    return this.attach(this.platform.create(this.spec.viewType, this.spec.title(state)), state);
  }

  /** Brings this type's panels back after a reload. */
  registerSerializer(): DisposableLike {
    return this.platform.registerSerializer(this.spec.viewType, async (panel, saved) => {
      const state = this.spec.restore(saved as WebviewState | undefined);
      if (!state) return panel.dispose();
      this.platform.prepare(panel);
      this.attach(panel, state);
    });
  }

  find(key: string): OpenPanel<State, P> | undefined {
    return this.spec.key ? this.all().find((p) => this.spec.key!(p.state) === key) : undefined;
  }

  all(): OpenPanel<State, P>[] {
    return [...this.open];
  }

  disposeAll(): void {
    for (const panel of this.all()) panel.dispose();
  }

  /** Called by a panel as it closes. */
  forget(panel: OpenPanel<State, P>): void {
    this.open.delete(panel);
  }

  private attach(panel: P, state: State): OpenPanel<State, P> {
    const open = new OpenPanel(this, panel, state);
    this.open.add(open);
    return open;
  }
}
