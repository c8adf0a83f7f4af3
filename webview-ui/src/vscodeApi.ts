/** The webview's side of the host channel: typed post, typed receive, requests with ids and time-outs. */
import type { FromWebview, ItemDetail, ToWebview, WebviewState } from '../../src/shared/webviewProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The few `window` members used here, typed locally so this module also compiles (and is unit-tested) without the DOM lib. */
interface WindowLike {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  setTimeout(handler: () => void, ms: number): number;
  clearTimeout(handle: number): void;
}

const win = (): WindowLike => (globalThis as unknown as { window: WindowLike }).window;

const REQUEST_TIMEOUT_MS = 10_000;

export class HostChannel {
  private readonly api = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(d: ItemDetail): void; reject(e: Error): void; timer: number }>();

  constructor(
    private readonly onMessage: (message: ToWebview) => void,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    win().addEventListener('message', (event) => {
      const message = event.data as ToWebview | undefined;
      if (message?.type === 'itemDetailReply') {
        const waiting = this.pending.get(message.requestId);
        if (!waiting) return; // stale reply to a request that already timed out
        this.pending.delete(message.requestId);
        win().clearTimeout(waiting.timer);
        if (message.result) waiting.resolve(message.result);
        else waiting.reject(new Error(message.error ?? 'no answer'));
        return;
      }
      if (message && typeof message === 'object') this.onMessage(message);
    });
  }

  post(message: FromWebview): void {
    this.api.postMessage(message);
  }

  requestItemDetail(key: string): Promise<ItemDetail> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = win().setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`the extension did not answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.post({ type: 'itemDetail', requestId, key });
    });
  }

  getState(): WebviewState | undefined {
    return this.api.getState() as WebviewState | undefined;
  }

  setState(state: WebviewState): void {
    this.api.setState(state);
  }
}
