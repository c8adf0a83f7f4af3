/**
 * The guard every managed server runs under, so no server outlives EvalBench, however EvalBench ends.
 *
 * EvalBench starts `node -e REAPER_SOURCE -- command args…` as the leader of a new process group; the
 * reaper starts the server inside that group and watches its own stdin, a pipe from EvalBench. The pipe
 * closes when EvalBench asks the server to stop (it ends the pipe) and also when EvalBench dies in any way,
 * SIGKILL included, since the kernel closes a dead process's pipes. Then the reaper sends SIGTERM to the whole
 * group (the server and anything it forked: vLLM's workers), waits the grace period, SIGKILLs the server,
 * reaps it, and sends SIGKILL to whatever is left, itself included. A server that exits on its own makes the reaper exit with its code.
 */
export const REAPER_SOURCE = String.raw`
'use strict';
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const graceMs = Number(process.env.EVALBENCH_REAPER_GRACE_MS || 5000);
delete process.env.EVALBENCH_REAPER_GRACE_MS;
if (process.env.EVALBENCH_REAPER_UNSET_ELECTRON) {
  delete process.env.ELECTRON_RUN_AS_NODE;
  delete process.env.EVALBENCH_REAPER_UNSET_ELECTRON;
}
const [command, ...args] = process.argv.slice(1);
const killGroup = (signal) => { try { process.kill(-process.pid, signal); } catch {} };
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  killGroup('SIGTERM');
  // SIGKILL the server alone first and let its exit (below) sweep the group: the reaper then has reaped the
  // server before it dies itself, so when EvalBench sees the reaper's exit the server is gone, not a zombie
  // waiting for an init that may reap late. The group kill after another second is the backstop.
  setTimeout(() => {
    try { child.kill('SIGKILL'); } catch {}
    setTimeout(() => killGroup('SIGKILL'), 1000);
  }, graceMs);
}
process.on('SIGTERM', stop);
process.on('SIGINT', () => {});
process.on('SIGHUP', stop);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (error) => {
  process.stderr.write('evalbench: cannot start ' + command + ': ' + error.message + '\n');
  process.exit(127);
});
child.on('exit', (code, signal) => {
  // Asked to stop: sweep what the server may have left in the group (and end the reaper with it).
  if (stopping) killGroup('SIGKILL');
  process.exit(code !== null ? code : 128 + (constants.signals[signal] || 0));
});
process.stdin.on('data', () => {});
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
`;
