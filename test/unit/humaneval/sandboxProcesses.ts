/**
 * Finding an executor's sandbox processes from outside (/proc, Linux), for tests that end them as a person,
 * a supervisor or the OOM killer would: the direct children of this test process whose command line carries
 * a marker, and whether one of them is running a program (has a child of its own).
 */
import { listProcesses } from '../../support/processTree';

/** Pids of this process's children whose command line holds `marker`. */
export function sandboxPids(marker: string): Set<number> {
  return new Set(listProcesses().filter((p) => p.ppid === process.pid && p.cmdline.includes(marker)).map((p) => p.pid));
}

/** A child holding `marker`, not in `known`, that has a child of its own (a native driver running a program). */
export function newSandboxRunningAProgram(marker: string, known: Set<number>): { pid: number; programPid: number } | undefined {
  const all = listProcesses();
  for (const p of all) {
    if (p.ppid !== process.pid || !p.cmdline.includes(marker) || known.has(p.pid)) continue;
    const program = all.find((c) => c.ppid === p.pid);
    if (program) return { pid: p.pid, programPid: program.pid };
  }
  return undefined;
}

/** A child holding `marker` that is not in `known`. */
export function newSandbox(marker: string, known: Set<number>): number | undefined {
  return [...sandboxPids(marker)].find((pid) => !known.has(pid));
}
