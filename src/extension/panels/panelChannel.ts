/**
 * The host's end of a panel's channel: the MessageChannel of src/shared (the one the scoring worker speaks)
 * over a webview's postMessage. Requests from the webview are answered by `handlers` (a thrown error becomes
 * an error reply); notifications go to `onNotification`. Never imports `vscode`: a webview is anything
 * with these two members, so unit tests drive it with a fake.
 */
import { MessageChannel, type Handler } from '../../shared/messageChannel';
import type { FromWebview, PanelMethods, PanelNotifications, WebviewMethods, WebviewNotifications } from '../../shared/webviewProtocol';

export interface WebviewLike {
  postMessage(message: unknown): PromiseLike<boolean> | void;
  onDidReceiveMessage(listener: (message: unknown) => void): { dispose(): void };
}

export type PanelChannel = MessageChannel<WebviewMethods, PanelMethods, WebviewNotifications, PanelNotifications>;

export function openPanelChannel(webview: WebviewLike, handlers: Handler<PanelMethods>, onNotification: (notification: FromWebview) => void): { channel: PanelChannel; dispose(): void } {
  const channel: PanelChannel = new MessageChannel((message) => void webview.postMessage(message), handlers, onNotification);
  const listener = webview.onDidReceiveMessage((message) => channel.receive(message));
  return {
    channel,
    dispose: () => {
      listener.dispose();
      channel.close('the panel was closed');
    },
  };
}
