/**
 * The processes a process started, and their children, read from /proc (Linux). Used so that nothing EvalBench
 * starts outlives it: a scorer's executors end their processes without waiting for them, and a worker killed
 * for hanging would leave its children to init. Elsewhere (no /proc) the lists are empty and the helpers do
 * nothing: each process's own cleanup is all there is.
 */
import * as fs from 'node:fs';

export interface ProcessId {
  pid: number;
  /** Start time in clock ticks since boot: with the pid, names one process even when pids are reused. */
  startTime: string;
}

function readStat(pid: number): { ppid: number; startTime: string; zombie: boolean } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) is in parentheses and may hold spaces: the rest starts after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), startTime: rest[19], zombie: rest[0] === 'Z' || rest[0] === 'X' };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root` (children, grandchildren…), from one reading of /proc. */
export function listDescendants(root: number): ProcessId[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, ProcessId[]>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (!stat || stat.zombie) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push({ pid: Number(name), startTime: stat.startTime });
    children.set(stat.ppid, list);
  }
  const found: ProcessId[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/**
 * esbuild's service process, which tsx starts in a process run from TypeScript source (tests, benches): it
 * is not ours to stop, never exits before its parent, and ends by itself when its parent's pipe closes.
 */
function isToolingService(pid: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /(^|\/)esbuild$/.test(argv[0]) && argv.some((arg) => arg.startsWith('--service'));
  } catch {
    return false;
  }
}

function isAlive(p: ProcessId): boolean {
  const stat = readStat(p.pid);
  return !!stat && !stat.zombie && stat.startTime === p.startTime;
}

function killNow(processes: ProcessId[]): void {
  for (const p of processes) {
    if (!isAlive(p)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Ended meanwhile.
    }
  }
}

/** SIGKILL every descendant of `root` at once (before killing `root` itself, whose children would go to init). */
export function killDescendants(root: number): void {
  killNow(listDescendants(root));
}

/**
 * Waits for every current descendant of `root` to end, up to `graceMs` (they were asked to stop: let them
 * clean their temp folders); then SIGKILLs the rest and waits for them to be gone. Resolves with how many
 * had to be killed.
 */
export async function endDescendants(root: number, graceMs: number): Promise<number> {
  const processes = listDescendants(root).filter((p) => !isToolingService(p.pid));
  if (!processes.length) return 0;
  const deadline = Date.now() + graceMs;
  let alive = processes.filter(isAlive);
  while (alive.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    alive = alive.filter(isAlive);
  }
  if (!alive.length) return 0;
  const killed = alive.length;
  killNow(alive);
  const killDeadline = Date.now() + 2_000;
  while (alive.length && Date.now() < killDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    alive = alive.filter(isAlive);
  }
  return killed;
}
