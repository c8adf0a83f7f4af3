/**
 * The process tree of a command, read from /proc (Linux): which processes descend from a pid, sampled
 * while the command runs, and which of them (or any process carrying the command's environment marker)
 * are still alive after it exited. A pid is identified with its start time, so a reused pid is not
 * mistaken for a survivor.
 */
import * as fs from 'node:fs';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Clock ticks since boot when the process started (field 22 of /proc/PID/stat). */
  startTime: string;
  cmdline: string;
}

export const procAvailable = fs.existsSync('/proc/self/stat');

function readEntry(pid: number): ProcessEntry | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: fields after it start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z') return undefined; // a zombie has ended; only its parent's wait is missing
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(rest[1]), startTime: rest[19], cmdline };
  } catch {
    return undefined; // ended while we looked
  }
}

export function listProcesses(): ProcessEntry[] {
  const all: ProcessEntry[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readEntry(Number(name));
    if (entry) all.push(entry);
  }
  return all;
}

/** Every live descendant of `root` (children, grandchildren…), from one snapshot of /proc. */
export function descendantsOf(root: number, all: ProcessEntry[] = listProcesses()): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: ProcessEntry[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Processes whose environment holds `marker` (NAME=value): children inherit it unless they clear their environment. */
export function processesWithEnv(marker: string, all: ProcessEntry[] = listProcesses()): ProcessEntry[] {
  return all.filter((p) => {
    if (p.pid === process.pid) return false;
    try {
      return fs.readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(marker);
    } catch {
      return false;
    }
  });
}

/** Still running (same pid, same start time)? */
export function stillAlive(entries: ProcessEntry[]): ProcessEntry[] {
  return entries.filter((e) => readEntry(e.pid)?.startTime === e.startTime);
}

/** Samples the descendants of `root` until stopped, remembering every process it ever saw. */
export class TreeWatcher {
  private readonly seen = new Map<string, ProcessEntry>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly root: number, intervalMs = 15) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    for (const p of descendantsOf(this.root)) this.seen.set(`${p.pid}/${p.startTime}`, p);
  }

  stop(): ProcessEntry[] {
    clearInterval(this.timer);
    return [...this.seen.values()];
  }
}

/** Orphans: processes reparented to init (or a subreaper) whose command line names one of `paths`. */
export function orphansNaming(paths: string[], all: ProcessEntry[] = listProcesses()): ProcessEntry[] {
  return all.filter((p) => p.pid !== process.pid && p.ppid !== process.pid && paths.some((dir) => p.cmdline.includes(dir)) && !descendantsOf(process.pid, all).some((d) => d.pid === p.pid));
}
