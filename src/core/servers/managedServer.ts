/**
 * One model server EvalBench started and will stop: a free loopback port, an argument array (never a shell),
 * its output streamed line by line to `log`, a readiness wait that honours llama.cpp's 503 "Loading model",
 * and a stop that sends SIGTERM, then SIGKILL after the grace period, to the server and everything it forked.
 * The process runs under the reaper (reaper.ts), so it is stopped even when EvalBench is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitForServerReady } from '../endpoint/serverReady';
import { CancelledError, ConfigError, errorMessage } from '../errors';
import { ServerProcessError } from './errors';
import { freeLoopbackPort } from './freePort';
import { findExecutable, launchFor } from './launch';
import { REAPER_SOURCE } from './reaper';
import type { ServerLaunch, ServerProfile } from './types';

export interface ManagedServerOptions {
  /** Every line the server prints (stdout and stderr). */
  log?: (line: string) => void;
  /** "starting llama-server Q4_K_M.gguf on port 41234", "loading model…", "ready". */
  onStatus?: (message: string) => void;
  /** Cancels the start (the process is stopped). */
  signal?: AbortSignal;
  /** How long loading may take (default 10 minutes: large models on slow disks). */
  startupTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL (default 5 s). */
  graceMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const DEFAULT_STARTUP_MS = 10 * 60_000;
const DEFAULT_GRACE_MS = 5_000;
/** A server we just started is polled often: most start in a second or two. */
const READY_POLL_MS = 250;
/** How long output may take to drain after the process ended, when something it left behind holds the pipes. */
const OUTPUT_DRAIN_MS = 2_000;
/** Lines of output kept for error messages. */
const TAIL_LINES = 12;

export class ManagedServer {
  /** API base, e.g. http://127.0.0.1:41234/v1. */
  readonly baseUrl: string;
  readonly label: string;
  readonly modelFile?: string;
  /** Resolves when the process has exited (immediately for a server EvalBench did not start). */
  readonly exited: Promise<ServerExit>;
  private readonly tail: string[] = [];
  private stopping: Promise<void> | undefined;
  private exitInfo: ServerExit | undefined;
  /** The process has ended (its output may still be draining). */
  private processEnded = false;

  private constructor(
    readonly launch: ServerLaunch,
    private modelIdValue: string | undefined,
    private readonly child: ChildProcess | undefined,
    private readonly options: ManagedServerOptions,
  ) {
    this.label = launch.label;
    if (launch.kind === 'attach') {
      this.baseUrl = launch.baseUrl;
      this.exited = Promise.resolve({ code: 0, signal: null });
      return;
    }
    this.modelFile = launch.modelFile;
    this.baseUrl = `http://${launch.host}:${launch.port}/v1`;
    // Exited means ended with every line of its output read: 'exit' can come before the last lines still in the
    // pipes (on a busy machine it often does), and those are what an error message quotes. 'close' comes once the
    // pipes are drained; something the server left behind outside its group may hold them open, hence the bound.
    this.exited = new Promise((resolve) => {
      const settle = (exit: ServerExit) => {
        if (this.exitInfo) return;
        this.exitInfo = exit;
        clearTimeout(drainBound);
        resolve(exit);
      };
      let drainBound: NodeJS.Timeout | undefined;
      child!.once('exit', (code, signal) => {
        this.processEnded = true;
        drainBound = setTimeout(() => settle({ code, signal }), OUTPUT_DRAIN_MS);
      });
      child!.once('close', (code: number | null, signal: NodeJS.Signals | null) => settle({ code, signal }));
    });
    for (const stream of [child!.stdout!, child!.stderr!]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split(/\r?\n/);
        partial = lines.pop() ?? '';
        for (const line of lines) this.output(line);
      });
      stream.on('end', () => partial && this.output(partial));
    }
  }

  /** The model id to send in requests. */
  get modelId(): string {
    return this.modelIdValue ?? '';
  }

  /** The process id of the guard the server runs under (its process group id), for tests and logs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server for `profile` and resolves once it answers; on any failure the process is already stopped. */
  static async start(profile: ServerProfile, options: ManagedServerOptions = {}): Promise<ManagedServer> {
    const env = options.env ?? process.env;
    const port = profile.kind === 'ollama' ? 0 : await freeLoopbackPort();
    const launch = launchFor(profile, port);
    if (launch.kind === 'attach') {
      options.onStatus?.(`using ${launch.label} at ${launch.baseUrl}`);
      return new ManagedServer(launch, launch.modelId, undefined, options);
    }
    const executable = findExecutable(launch.command, env);
    if (!executable) {
      throw new ConfigError(`cannot start the model server: '${launch.command}' is not an executable file${launch.command.includes('/') ? '' : ' on PATH'}; give its full path`);
    }
    options.onStatus?.(`starting ${launch.label} on port ${launch.port}`);
    const child = spawn(process.execPath, ['-e', REAPER_SOURCE, '--', executable, ...launch.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so the whole tree can be signalled at once.
      detached: true,
      env: {
        ...env,
        EVALBENCH_REAPER_GRACE_MS: String(options.graceMs ?? DEFAULT_GRACE_MS),
        // Inside VS Code, process.execPath is Electron: make it behave as node for the reaper only.
        ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1', EVALBENCH_REAPER_UNSET_ELECTRON: '1' } : {}),
      },
    });
    const server = new ManagedServer(launch, launch.modelId, child, options);
    live.add(server);
    void server.exited.then(() => live.delete(server));
    try {
      await server.waitReady();
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** Stops the server: SIGTERM to its process group, SIGKILL after the grace period. Safe to call twice. */
  stop(): Promise<void> {
    if (!this.child) return Promise.resolve();
    this.stopping ??= (async () => {
      if (this.processEnded) {
        await this.exited;
        return;
      }
      this.options.onStatus?.(`stopping ${this.label}`);
      this.child!.stdin?.end();
      const grace = this.options.graceMs ?? DEFAULT_GRACE_MS;
      // The reaper does the work; this is the backstop if the reaper itself is stuck.
      const backstop = setTimeout(() => killGroup(this.child!.pid, 'SIGKILL'), grace + 5_000);
      await this.exited;
      clearTimeout(backstop);
    })();
    return this.stopping;
  }

  private async waitReady(): Promise<void> {
    const launch = this.launch as Extract<ServerLaunch, { kind: 'process' }>;
    const exitedEarly = new AbortController();
    void this.exited.then((exit) => {
      exitedEarly.abort(new ServerProcessError(`${this.label} exited ${describeExit(exit)} before it was ready${this.tailText()}`));
    });
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, exitedEarly.signal]) : exitedEarly.signal;
    try {
      await waitForServerReady(this.baseUrl, {
        signal,
        waitForListen: true,
        pollMs: READY_POLL_MS,
        budgetMs: this.options.startupTimeoutMs ?? DEFAULT_STARTUP_MS,
        onStatus: (status) => this.options.onStatus?.(`${this.label}: ${status.message}`),
      });
    } catch (error) {
      if (exitedEarly.signal.aborted) throw exitedEarly.signal.reason;
      if (this.options.signal?.aborted) throw new CancelledError(`cancelled while ${this.label} was starting`);
      throw new ServerProcessError(`${errorMessage(error)}${this.tailText()}`, { cause: error });
    }
    if (!this.modelIdValue) this.modelIdValue = await firstModelId(this.baseUrl, this.label);
    this.options.onStatus?.(`${this.label} ready at ${this.baseUrl}`);
  }

  private output(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    this.options.log?.(line);
  }

  private tailText(): string {
    const lines = this.tail.filter((l) => l.trim() !== '');
    return lines.length ? `; its last output:\n  ${lines.join('\n  ')}` : '';
  }
}

/** Servers started in this process and not yet exited. */
const live = new Set<ManagedServer>();

/** Stops every managed server of this process (editor closing, CLI ending). */
export async function stopAllManagedServers(): Promise<void> {
  await Promise.all([...live].map((server) => server.stop()));
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function describeExit(exit: ServerExit): string {
  return exit.signal ? `on ${exit.signal}` : `with code ${exit.code}`;
}

async function firstModelId(baseUrl: string, label: string): Promise<string> {
  try {
    const response = await fetch(`${baseUrl}/models`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { data?: { id?: unknown }[] };
    const id = body.data?.find((m) => typeof m.id === 'string')?.id;
    if (typeof id === 'string') return id;
  } catch {
    // reported below
  }
  throw new ServerProcessError(`${label} is up but its ${baseUrl}/models names no model; set the model id in the profile`);
}
