/**
 * A small typed request/reply channel over any message transport (a child process's IPC, a webview's
 * postMessage). Every request carries an id; every reply carries a result or an error; every request has a
 * timeout; a closed transport rejects everything still pending. Used for host ↔ worker and host ↔ webview.
 */

export interface RequestMessage<M extends string = string, P = unknown> {
  kind: 'request';
  id: number;
  method: M;
  params: P;
}

export interface ReplyMessage<R = unknown> {
  kind: 'reply';
  id: number;
  result?: R;
  /** A message a person can read; set instead of result when the request failed. */
  error?: { message: string; name?: string };
}

export interface NotificationMessage<M extends string = string, P = unknown> {
  kind: 'notification';
  method: M;
  params: P;
}

export type ChannelMessage = RequestMessage | ReplyMessage | NotificationMessage;

/** A notification table: method → params (notifications get no reply). */
export type NotificationTable = Record<string, unknown>;

/** One notification of a table as it travels, told apart by `method` (a union to switch on). */
export type NotificationOf<T extends NotificationTable> = { [K in keyof T & string]: NotificationMessage<K, T[K]> }[keyof T & string];

export function isChannelMessage(value: unknown): value is ChannelMessage {
  if (!value || typeof value !== 'object') return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'request' || kind === 'reply' || kind === 'notification';
}

/** A method table: method name → [params, result]. Both ends import the same table type. */
export type MethodTable = Record<string, [unknown, unknown]>;

export class RequestTimeoutError extends Error {
  constructor(method: string, timeoutMs: number) {
    super(`${method} got no reply within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'RequestTimeoutError';
  }
}

export class ChannelClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ChannelClosedError';
  }
}

export class RemoteError extends Error {
  constructor(message: string, remoteName?: string) {
    super(message);
    this.name = remoteName ?? 'RemoteError';
  }
}

interface Pending {
  method: string;
  /** Set when the timer starts at the other end's `$started` (see request options), not at sending. */
  timeoutMs?: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer?: ReturnType<typeof setTimeout>;
  cleanup?: () => void;
}

/**
 * `started()` tells the requester that the work itself begins now (after waiting in a queue): a request sent
 * with `timeoutStartsOn: 'started'` times out that long after it, not after it was sent.
 */
export type Handler<T extends MethodTable> = {
  [K in keyof T]?: (params: T[K][0], signal: AbortSignal, started: () => void) => Promise<T[K][1]> | T[K][1];
};

/**
 * One end of the channel. `Outgoing` lists what this end may ask; `Incoming` what it answers; `OutNotes` and
 * `InNotes` the notifications it sends and receives. `send` posts a message to the other end; feed received
 * messages to `receive`.
 */
export class MessageChannel<
  Outgoing extends MethodTable,
  Incoming extends MethodTable,
  OutNotes extends NotificationTable = NotificationTable,
  InNotes extends NotificationTable = NotificationTable,
> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly inbound = new Map<number, AbortController>();
  /** The requests pending under each caller's signal (see watch). */
  private readonly watchedSignals = new WeakMap<AbortSignal, Set<number>>();
  private closedReason: string | undefined;

  constructor(
    private readonly send: (message: ChannelMessage) => void,
    private readonly handlers: Handler<Incoming> = {},
    private readonly onNotification?: (notification: NotificationOf<InNotes>) => void,
    private readonly defaultTimeoutMs = 60_000,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  request<K extends keyof Outgoing & string>(
    method: K,
    params: Outgoing[K][0],
    options: { timeoutMs?: number; signal?: AbortSignal; timeoutStartsOn?: 'sent' | 'started' } = {},
  ): Promise<Outgoing[K][1]> {
    if (this.closedReason !== undefined) return Promise.reject(new ChannelClosedError(this.closedReason));
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal));
    const id = this.nextId++;
    return new Promise<Outgoing[K][1]>((resolve, reject) => {
      const entry: Pending = { method, resolve: resolve as (v: unknown) => void, reject };
      const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        if (options.timeoutStartsOn === 'started') {
          entry.timeoutMs = timeoutMs;
          // A backstop for an end that never says it started (stuck before it could): ten timeouts.
          entry.timer = setTimeout(() => this.settle(id, new RequestTimeoutError(method, timeoutMs * 10)), timeoutMs * 10);
        } else {
          entry.timer = setTimeout(() => this.settle(id, new RequestTimeoutError(method, timeoutMs)), timeoutMs);
        }
      }
      if (options.signal) {
        const watched = this.watch(options.signal);
        watched.add(id);
        entry.cleanup = () => watched.delete(id);
      }
      this.pending.set(id, entry);
      try {
        this.send({ kind: 'request', id, method, params });
      } catch (error) {
        this.settle(id, error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  notify<K extends keyof OutNotes & string>(method: K, params: OutNotes[K]): void {
    this.post(method, params);
  }

  /** Sends a notification, the channel's own (`$cancel`, `$started`) included. */
  private post(method: string, params: unknown): void {
    if (this.closedReason !== undefined) return;
    try {
      this.send({ kind: 'notification', method, params });
    } catch {
      // The other end is gone; close() will be called by the transport's exit handler.
    }
  }

  /** Feed every message received from the other end here. Unknown shapes are ignored. */
  receive(message: unknown): void {
    if (!isChannelMessage(message)) return;
    if (message.kind === 'reply') {
      const error = message.error ? new RemoteError(message.error.message, message.error.name) : undefined;
      this.settle(message.id, error, message.result);
    } else if (message.kind === 'request') {
      void this.answer(message);
    } else if (message.method === '$cancel') {
      this.inbound.get((message.params as { id: number }).id)?.abort();
    } else if (message.method === '$started') {
      this.restartTimer((message.params as { id: number }).id);
    } else {
      // The shape is the other end's promise (both import one protocol table); unknown methods fall through the receiver's switch.
      this.onNotification?.(message as NotificationOf<InNotes>);
    }
  }

  /**
   * One 'abort' listener per signal, however many requests wait under it: a run's signal is shared by
   * hundreds of scorings in flight, and an EventTarget adds and removes a listener by walking all the
   * others. Aborting cancels every request still pending under it.
   */
  private watch(signal: AbortSignal): Set<number> {
    let ids = this.watchedSignals.get(signal);
    if (!ids) {
      const pending = (ids = new Set<number>());
      this.watchedSignals.set(signal, pending);
      signal.addEventListener(
        'abort',
        () => {
          this.watchedSignals.delete(signal);
          for (const id of [...pending]) {
            this.post('$cancel', { id });
            this.settle(id, abortReason(signal));
          }
        },
        { once: true },
      );
    }
    return ids;
  }

  /** Reject everything pending (the transport closed or the owner is disposing). */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    for (const id of [...this.pending.keys()]) this.settle(id, new ChannelClosedError(reason));
    for (const controller of this.inbound.values()) controller.abort();
    this.inbound.clear();
  }

  /** The other end began the work of a request: its timer (re)starts now, if it was asked to. */
  private restartTimer(id: number): void {
    const entry = this.pending.get(id);
    if (!entry || entry.timeoutMs === undefined) return;
    const timeoutMs = entry.timeoutMs;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.settle(id, new RequestTimeoutError(entry.method, timeoutMs)), timeoutMs);
  }

  private settle(id: number, error: Error | undefined, result?: unknown): void {
    const entry = this.pending.get(id);
    if (!entry) return; // a stale reply after a timeout or cancel: dropped on purpose
    this.pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    entry.cleanup?.();
    if (error) entry.reject(error);
    else entry.resolve(result);
  }

  private async answer(message: RequestMessage): Promise<void> {
    const handler = (this.handlers as Record<string, ((p: unknown, s: AbortSignal, started: () => void) => unknown) | undefined>)[message.method];
    const controller = new AbortController();
    this.inbound.set(message.id, controller);
    let reply: ReplyMessage;
    try {
      if (!handler) throw new Error(`unknown method '${message.method}'`);
      const started = () => this.post('$started', { id: message.id });
      reply = { kind: 'reply', id: message.id, result: await handler(message.params, controller.signal, started) };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      reply = { kind: 'reply', id: message.id, error: { message: err.message, name: err.name } };
    } finally {
      this.inbound.delete(message.id);
    }
    if (this.closedReason !== undefined) return;
    try {
      this.send(reply);
    } catch {
      // Nobody to tell.
    }
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(typeof reason === 'string' ? reason : 'cancelled');
  error.name = 'AbortError';
  return error;
}
