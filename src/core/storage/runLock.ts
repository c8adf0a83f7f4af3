/**
 * One writer per run file: `<runId>.sqlite.lock` holds {pid, hostname, startedAt}. It is created
 * atomically with its content (written to a temp file, then hard-linked into place: link fails if the
 * lock exists), so a reader of the lock never sees it half written. A lock left by a dead process on
 * this host is taken over; one from another host is never guessed about. Known gap: two processes
 * taking over the same stale lock in the same millisecond could both win; runs are started by a
 * person or one run manager, so this is not worth an OS-specific lock.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { RunStoreError } from '../errors';

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /**
   * Which process that pid was: its start time since boot and the boot's id (Linux /proc). A pid reused
   * by another process after the writer died (or after a reboot) then reads as stale, not as alive.
   */
  process?: { bootId: string; startTicks: string };
}

export function lockFileFor(runFile: string): string {
  return `${runFile}.lock`;
}

const held = new Set<string>();
let exitHookInstalled = false;

/** Locks still held when the process exits normally are removed (the data up to the last flush is safe). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const lock of held) {
      try {
        if (readOwner(lock)?.pid === process.pid) fs.unlinkSync(lock);
      } catch {
        // best effort: a stale lock is taken over later anyway
      }
    }
  });
}

export function readOwner(lockFile: string): LockOwner | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const owner = JSON.parse(text);
    if (typeof owner?.pid === 'number' && typeof owner?.hostname === 'string') return owner as LockOwner;
  } catch {
    // fall through
  }
  throw new RunStoreError(`the lock file is unreadable; if no EvalBench is writing this run, delete ${lockFile}`, lockFile);
}

/** This process's identity beyond its pid, where the system tells it (Linux); undefined elsewhere. */
export function processIdentity(pid: number): { bootId: string; startTicks: string } | undefined {
  try {
    const bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    // Field 22 of /proc/PID/stat, counted after the command name (which may contain spaces and parentheses).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return bootId && startTicks ? { bootId, startTicks } : undefined;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive, or on another host (where we cannot tell). A pid now used by another process is not alive. */
export function isLive(owner: LockOwner): boolean {
  if (owner.hostname !== os.hostname()) return true;
  if (!isProcessAlive(owner.pid)) return false;
  if (!owner.process) return true;
  const now = processIdentity(owner.pid);
  return !now || (now.bootId === owner.process.bootId && now.startTicks === owner.process.startTicks);
}

function busy(runId: string, owner: LockOwner, runFile: string): RunStoreError {
  return new RunStoreError(
    `run ${runId} is being written by pid ${owner.pid} on host ${owner.hostname} (since ${owner.startedAt}); wait for it to finish or stop that process`,
    runFile,
  );
}

function tryLink(lockFile: string, owner: LockOwner): boolean {
  const temp = `${lockFile}.${process.pid}-${randomBytes(3).toString('hex')}`;
  fs.writeFileSync(temp, JSON.stringify(owner));
  try {
    fs.linkSync(temp, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new RunStoreError(`could not create the lock file: ${(error as Error).message}`, lockFile, { cause: error });
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Take the lock of a run file or throw a RunStoreError naming the holder. Returns the release function. */
export function acquireLock(runId: string, runFile: string): () => void {
  const lockFile = lockFileFor(runFile);
  const identity = processIdentity(process.pid);
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString(), ...(identity ? { process: identity } : {}) };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryLink(lockFile, me)) {
      held.add(lockFile);
      installExitHook();
      return () => releaseLock(lockFile, me);
    }
    const owner = readOwner(lockFile);
    if (!owner) continue; // released between our two looks
    if (isLive(owner)) throw busy(runId, owner, runFile);
    // Stale: its process is gone. Only remove it if it is still the one we judged stale.
    const again = readOwner(lockFile);
    if (again && again.pid === owner.pid && again.startedAt === owner.startedAt) fs.rmSync(lockFile, { force: true });
  }
  const owner = readOwner(lockFile);
  if (owner) throw busy(runId, owner, runFile);
  throw new RunStoreError(`could not take the lock of run ${runId}; try again`, runFile);
}

function releaseLock(lockFile: string, me: LockOwner): void {
  held.delete(lockFile);
  try {
    const owner = readOwner(lockFile);
    if (owner && owner.pid === me.pid && owner.startedAt === me.startedAt) fs.rmSync(lockFile, { force: true });
  } catch {
    // an unreadable lock is not ours to remove
  }
}

/** The live holder of a run's lock, if any (for refusing deletes). */
export function liveOwner(runFile: string): LockOwner | undefined {
  try {
    const owner = readOwner(lockFileFor(runFile));
    return owner && isLive(owner) ? owner : undefined;
  } catch {
    return undefined;
  }
}
