/**
 * The webview's end of the host channel: the same MessageChannel the host and the scoring worker speak
 * (src/shared/messageChannel.ts), carried over VS Code's postMessage. Requests have ids, replies and timeouts.
 */
import { MessageChannel, RequestTimeoutError } from '../../src/shared/messageChannel';
import type { PanelMethods, PanelNotifications, ToWebview, WebviewMethods, WebviewNotifications, WebviewState } from '../../src/shared/webviewProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The one `window` member used here, typed locally so this module also compiles (and is unit-tested) without the DOM lib. */
interface WindowLike {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const REQUEST_TIMEOUT_MS = 10_000;

export class HostChannel {
  private readonly api = acquireVsCodeApi();
  private readonly channel: MessageChannel<PanelMethods, WebviewMethods, PanelNotifications, WebviewNotifications>;

  constructor(
    onMessage: (message: ToWebview) => void,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    this.channel = new MessageChannel((message) => this.api.postMessage(message), {}, onMessage, timeoutMs);
    (globalThis as unknown as { window: WindowLike }).window.addEventListener('message', (event) => this.channel.receive(event.data));
  }

  notify<K extends keyof PanelNotifications & string>(method: K, params: PanelNotifications[K]): void {
    this.channel.notify(method, params);
  }

  async request<K extends keyof PanelMethods & string>(method: K, params: PanelMethods[K][0]): Promise<PanelMethods[K][1]> {
    try {
      return await this.channel.request(method, params);
    } catch (error) {
      // Said to a person in the panel: the method's name means nothing to them.
      if (error instanceof RequestTimeoutError) throw new Error(`the extension did not answer within ${this.timeoutMs / 1000} s`);
      throw error;
    }
  }

  getState(): WebviewState | undefined {
    return this.api.getState() as WebviewState | undefined;
  }

  setState(state: WebviewState): void {
    this.api.setState(state);
  }
}
