/**
 * Starts the real llama-server on a free loopback port, and makes sure it stops: every process
 * started here is tracked, and `stopAllLlamaServers()` (called in after hooks) terminates what is
 * left — SIGTERM, then SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

export interface LlamaServerOptions {
  binary: string;
  model: string;
  /** --ctx-size (default 512). */
  ctx?: number;
  /** --parallel, the slot count (default 2). */
  parallel?: number;
  extraArgs?: string[];
}

export interface LlamaServer {
  /** e.g. http://127.0.0.1:41234 (no /v1). */
  root: string;
  /** e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  port: number;
  process: ChildProcess;
  /** stdout and stderr so far (the tail), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
/** Pids of every server started in this process, alive or not (the final leak check reads them). */
export const startedPids: number[] = [];

/** A port the kernel just said is free on 127.0.0.1 (closed again before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Spawns llama-server; does not wait for it (see waitUntilReady). */
export async function spawnLlamaServer(options: LlamaServerOptions): Promise<LlamaServer> {
  const port = await freePort();
  const args = [
    '-m', options.model,
    '--host', '127.0.0.1',
    '--port', String(port),
    '-c', String(options.ctx ?? 512),
    '-np', String(options.parallel ?? 2),
    // Two threads at most: the box is shared, and the tiny model needs no more.
    '-t', '2',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  if (child.pid !== undefined) startedPids.push(child.pid);
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  const root = `http://127.0.0.1:${port}`;
  return {
    root,
    baseUrl: `${root}/v1`,
    port,
    process: child,
    output: () => output,
    stop: () => stopProcess(child, exited),
  };
}

/** Starts llama-server and waits until /health answers 200 (the model is loaded). */
export async function startLlamaServer(options: LlamaServerOptions, timeoutMs = 120_000): Promise<LlamaServer> {
  // A port taken between freePort() and the server's bind makes it exit at once: try another.
  for (let attempt = 1; ; attempt++) {
    const server = await spawnLlamaServer(options);
    try {
      await waitUntilReady(server, timeoutMs);
      return server;
    } catch (error) {
      await server.stop();
      if (attempt >= 3 || !/bind|address already in use/i.test(server.output())) throw error;
    }
  }
}

/** One answer of /health while polling. */
export type HealthAnswer = { kind: 'no connection'; reason: string } | { kind: 'http'; status: number; body: string };

/**
 * Polls GET /health until it answers 200; resolves with every answer seen (the loading phase
 * shows up as `503 Loading model`). Rejects when the process exits or the time is up.
 */
export async function waitUntilReady(server: LlamaServer, timeoutMs = 120_000, pollMs = 25): Promise<HealthAnswer[]> {
  const answers: HealthAnswer[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null || server.process.signalCode !== null) {
      throw new Error(`llama-server exited (${server.process.exitCode ?? server.process.signalCode}) before it was ready:\n${server.output()}`);
    }
    try {
      const response = await fetch(`${server.root}/health`, { signal: AbortSignal.timeout(10_000) });
      const body = await response.text();
      answers.push({ kind: 'http', status: response.status, body });
      if (response.status === 200) return answers;
    } catch (error) {
      answers.push({ kind: 'no connection', reason: String((error as any)?.cause?.code ?? error) });
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`llama-server at ${server.root} not ready within ${timeoutMs / 1000} s:\n${server.output()}`);
}

async function stopProcess(child: ChildProcess, exited: Promise<void>, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every server this process started that is still running. */
export async function stopAllLlamaServers(): Promise<void> {
  await Promise.all(
    [...running].map((child) => stopProcess(child, new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()))))),
  );
}

/** True while a process with this pid exists (and is not a zombie we reaped). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live processes (other than zombies) whose command line contains `text`, read from /proc. */
export function processesMentioning(text: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const state = /^State:\s+(\S)/m.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (state !== 'Z' && cmdline.includes(text)) found.push({ pid: Number(entry), cmdline });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
