/**
 * Sources of the wasm executor's child process (see wasmExecutor.ts). Shipped as strings so the bundle
 * needs no extra entry point: the child is `<node> --experimental-permission --allow-fs-read=<pyodide dir>
 * -e WASM_CHILD_JS`, and receives WASM_HARNESS_PY in its first message.
 */
import { OFFICIAL_GUARD_PY } from './officialGuard';
import { PROGRAM_RUNNER_PY } from './programRunner';

/** The wall-clock backstop of the wasm time limit, in multiples of the limit (see WASM_CHILD_JS). */
export const WASM_WALL_FACTOR = 5;

/**
 * Python set up once per Pyodide instance, before the memory snapshot: the official guard, the shared
 * runner (in a namespace of its own with private builtins), and `_he_run(job_json, n)`, which runs one
 * program in a fresh in-memory temp dir with the official swallowed io. No clean-up is needed afterwards:
 * the host restores the whole WebAssembly memory after every program.
 */
export const WASM_HARNESS_PY = String.raw`
import sys, os, io, json, contextlib, traceback, builtins, shutil, faulthandler, linecache, subprocess, time, posix
# The import hook keeps JS handles for 'js' and 'pyodide_js' (the Pyodide API: mountNodeFS…); a program
# could reach it through object.__subclasses__(), so it is emptied, not only hidden from import.
import _pyodide._importhook
_pyodide._importhook.jsfinder.jsproxies.clear()
for _n in list(sys.modules):
    if _n.split('.')[0] in ('js', 'pyodide', 'pyodide_js', '_pyodide', '_pyodide_core', 'micropip'):
        sys.modules[_n] = None
for _n in ('js', 'pyodide', 'pyodide_js', '_pyodide', '_pyodide_core', 'micropip', 'ipdb', 'joblib', 'resource', 'psutil', 'tkinter'):
    sys.modules[_n] = None
# Modules HumanEval programs import often: in the snapshot, so programs find them loaded.
import math, re, collections, itertools, functools, typing, string, heapq, bisect, hashlib, random, fractions, decimal, statistics, operator, copy, threading, signal

# Pyodide's own time.sleep half busy-waits (about a third of a CPU) and ignores the interrupt buffer. The
# child's sleep device (/dev/he_sleep: writing a number of milliseconds, at most 50, sleeps that long
# without using the CPU) charges the asked time to the program's time limit, so a sleeping program times
# out as officially at any machine load, and short steps let the limit interrupt it between them.
def _he_sleep(seconds, _open=os.open, _write=os.write, _close=os.close, _flags=os.O_WRONLY):
    left = seconds + 0.0
    if left < 0:
        raise ValueError('sleep length must be non-negative')
    while left > 0:
        step = min(left, 0.05)
        fd = _open('/dev/he_sleep', _flags)
        try:
            _write(fd, repr(step * 1000.0).encode())
        finally:
            _close(fd)
        left -= step
_he_sleep.__name__ = 'sleep'
time.sleep = _he_sleep

# os._exit would end the whole interpreter (Emscripten's exit). Officially a program that calls it ends
# without a report: "timed out". Here the call is recorded and unwinds the program; whatever it does
# afterwards, the verdict stays "timed out".
class _HeExited(BaseException):
    pass
_he_exited = [False]
def _he_exit(status, _flag=_he_exited):
    _flag[0] = True
    raise _HeExited(status)
_he_exit.__name__ = '_exit'
os._exit = _he_exit
posix._exit = _he_exit

${OFFICIAL_GUARD_PY}

for _n in ('system', 'popen', 'posix_spawn', 'posix_spawnp', 'execv', 'execve'):
    # Friendlier than the process-level refusal (which ends the instance); that refusal still stands.
    setattr(posix, _n, None)
_he_private = {'__builtins__': dict(builtins.__dict__), '__name__': '_he_runner'}
exec(${JSON.stringify(PROGRAM_RUNNER_PY)}, _he_private)
_he_runner, _he_encode = _he_private['_he_make_runner'](lambda: None, lambda: None, KeyboardInterrupt)
del _he_private

def _he_run(job_json, n, _runner=_he_runner, _loads=json.loads, _encode=_he_encode, _mkdir=os.mkdir, _chdir=os.chdir,
            _redirect_out=contextlib.redirect_stdout, _redirect_err=contextlib.redirect_stderr, _redirect_in=_he_redirect_stdin,
            _sink=_HeWriteOnlyStringIO, _flag=_he_exited, _linecache=linecache.cache):
    job = _loads(job_json)
    workdir = '/tmp/he-%d' % n
    _mkdir(workdir)
    _chdir(workdir)
    sink = _sink()
    with _redirect_out(sink), _redirect_err(sink), _redirect_in(sink):
        report = _runner(job)
    if _flag[0]:
        report = {'result': 'timed out', 'traceback': None, 'exc': None, 'suspicious': None}
    return _encode(report)

# Last: the guard Nones os.chdir and friends, which _he_run bound above.
_he_guard()
`;

/**
 * The child process. Node's permission model is the wall: the child may read Pyodide's folder and nothing
 * else, may not write anywhere, start processes or workers, or load addons; the process checks that the
 * model is on before it loads anything and says so in its `ready` message. On top of it (the permission
 * model of Node 20 does not cover sockets): every network API is replaced by one that throws, and after
 * set-up `require`, `process.binding`, `eval` and the Function constructors are taken away.
 *
 * State: after set-up the whole WebAssembly memory is copied; after every program it is written back
 * (and memory the program grew is zeroed), so each program starts from the same bytes: classes,
 * modules, audit hooks, random state. What lives outside that memory is checked instead: if a program
 * loaded a dynamic library, grew the function table, or changed a file outside its temp dir, the child
 * reports `tainted` and exits, and the host starts a fresh one.
 */
export const WASM_CHILD_JS = String.raw`
'use strict';
const permission = process.permission;
if (!permission || permission.has('fs.write') || permission.has('child') || permission.has('worker')) {
  process.send({ type: 'error', message: 'Node permission model is not active in the child (no --experimental-permission/--permission)' });
  process.exit(3);
}
const indexURL = process.env.EVALBENCH_PYODIDE_DIR;
const fsConstants = require('node:fs').constants;
const osConstants = require('node:os').constants;
// Pyodide reads fs constants through process.binding, which the permission model refuses.
process.binding = (name) => {
  if (name === 'constants') return { fs: fsConstants, os: osConstants };
  throw new Error('process.binding is not available in the HumanEval sandbox');
};
const refuse = (what) => () => { const e = new Error(what + ' is not available in the HumanEval sandbox'); e.code = 'EACCES'; throw e; };
// The permission model already refuses these; a status instead of an exception lets Python see a
// failed os.system() instead of a dead interpreter.
const cp = require('node:child_process');
for (const name of Object.keys(cp)) {
  try { cp[name] = name === 'spawnSync' ? () => ({ status: 127, signal: null, error: new Error('no processes') }) : refuse('child_process.' + name); } catch {}
}
for (const [mod, names] of [['node:net', ['connect', 'createConnection', 'createServer']], ['node:tls', ['connect', 'createServer']], ['node:dgram', ['createSocket']],
  ['node:http', ['request', 'get', 'createServer']], ['node:https', ['request', 'get', 'createServer']], ['node:http2', ['connect', 'createServer']], ['node:inspector', ['open', 'url']]]) {
  const m = require(mod);
  for (const name of names) { try { m[name] = refuse(mod + '.' + name); } catch {} }
}
require('node:net').Socket.prototype.connect = refuse('net.Socket.connect');
// Pyodide reads element 0 of its interrupt buffer between bytecodes (2 = SIGINT → KeyboardInterrupt) and
// writes 0 back. A getter lets this process enforce the time limit itself. What counts is the program's
// charge: the CPU time this process used since the program started, plus the time it asked to sleep
// (see sleepDevice), less the first touch of memory it grew (see growMs). None of it depends on machine
// load: waiting for a CPU is not charged, and a sleep is charged what was asked, however late the process
// wakes. The wall clock is only a backstop, at WALL_FACTOR times the limit, for a program that waits
// without using the CPU or sleeping. The program
// cannot reach this code (it holds no JS handle), so it cannot lower its charge.
const WALL_FACTOR = ${WASM_WALL_FACTOR};
let limitMs = Infinity, wallDeadline = Infinity, startCpuMs = 0, sleptMs = 0, nextCheck = 0;
let fired = false, overCharge = false;
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const charge = () => cpuMs() - startCpuMs + sleptMs - growMs;
// Memory the interpreter grows is touched here first, one write per page, and the CPU that takes is not
// charged (growMs): it is what the machine charges for new pages, not what the program computes. On a VM
// whose page faults are slow the first touch of 1 GiB took 3.3 s of CPU, the second 46 ms (2026-12-02),
// while the official harness lets a 1 GiB allocation pass within its 3 s. It cannot be used to run long:
// a child's memory grows at most to WebAssembly's 4 GiB, once, and the wall-clock backstop counts it.
let growMs = 0;
const growMemory = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (pages) {
  const started = cpuMs();
  const oldPages = growMemory.call(this, pages);
  const fresh = new Uint8Array(this.buffer, oldPages * 65536);
  for (let i = 0; i < fresh.length; i += 4096) fresh[i] = 0;
  growMs += cpuMs() - started;
  return oldPages;
};
const interrupt = {
  get 0() {
    if (fired) return 0;
    const now = performance.now();
    // process.cpuUsage is a system call: read it at most every 5 ms, not between every two bytecodes.
    if (now < nextCheck) return 0;
    nextCheck = now + 5;
    if (charge() >= limitMs) { fired = overCharge = true; return 2; }
    if (now >= wallDeadline) { fired = true; return 2; }
    return 0;
  },
  set 0(value) {},
};
// The sleep device (see _he_sleep): a write of a number of milliseconds sleeps that long, at most 50 ms
// a write so the limit is checked between steps, and charges it. Writing to it can only add to the
// program's charge; a program that removes it taints the child (taint()).
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const sleepDevice = {
  read: () => 0,
  write(stream, buffer, offset, length) {
    const step = Math.min(Number(new TextDecoder().decode(buffer.subarray(offset, offset + length))), 50);
    if (step > 0) {
      sleptMs += step;
      Atomics.wait(sleepCell, 0, 0, step);
    }
    return length;
  },
};
let sleepNode;
let py, M, FS, run, snapshot, tableLength, libraries, files, n = 0;

function fileFingerprint() {
  const parts = [];
  const walk = (path) => {
    let names;
    try { names = FS.readdir(path); } catch { return; }
    for (const name of names.sort()) {
      if (name === '.' || name === '..') continue;
      const full = path === '/' ? '/' + name : path + '/' + name;
      if (full === '/dev' || full === '/proc') continue;
      let node;
      try { node = FS.lookupPath(full, { follow: false }).node; } catch { continue; }
      if (FS.isDir(node.mode)) { parts.push(full + '/#' + node.id); walk(full); }
      else parts.push(full + '#' + node.id + ':' + (node.usedBytes ?? '') + ':' + (node.mtime ?? node.timestamp ?? ''));
    }
  };
  walk('/');
  return parts.join('\n');
}

function removeTree(path) {
  let node;
  try { node = FS.lookupPath(path, { follow: false }).node; } catch { return; }
  if (FS.isDir(node.mode)) {
    for (const name of FS.readdir(path)) if (name !== '.' && name !== '..') removeTree(path + '/' + name);
    try { FS.rmdir(path); } catch {}
  } else {
    try { FS.unlink(path); } catch {}
  }
}

function restore() {
  const heap = M.HEAPU8;
  heap.set(snapshot);
  if (heap.length > snapshot.length) heap.fill(0, snapshot.length);
}

function taint() {
  if (M.wasmTable.length !== tableLength) return 'the program grew the function table';
  if (Object.keys(M.LDSO.loadedLibsByName).length !== libraries) return 'the program loaded a dynamic library';
  if (fileFingerprint() !== files) return 'the program changed files outside its temp dir';
  let node;
  try { node = FS.lookupPath('/dev/he_sleep').node; } catch {}
  if (node !== sleepNode) return 'the program removed the sleep device';
  return undefined;
}

async function setUp(harness) {
  const { loadPyodide } = require(indexURL + 'pyodide.js');
  py = await loadPyodide({ indexURL, jsglobals: Object.create(null), env: { HOME: '/tmp' }, stdout: () => {}, stderr: () => {}, stdin: () => null });
  py.setInterruptBuffer(interrupt);
  M = py._module;
  FS = py.FS;
  // Emscripten's socket layer would open connections through the 'ws' package: every connect/listen fails.
  const unreachable = () => { throw new M.FS.ErrnoError(M.ERRNO_CODES.ENETUNREACH); };
  for (const op of ['connect', 'listen', 'createPeer', 'accept']) M.SOCKFS.websocket_sock_ops[op] = unreachable;
  const dev = FS.makedev(64, 0);
  FS.registerDevice(dev, sleepDevice);
  FS.mkdev('/dev/he_sleep', dev);
  sleepNode = FS.lookupPath('/dev/he_sleep').node;
  py.runPython(harness);
  run = py.globals.get('_he_run');
  // From now on only this proxy holds the runner: a program can reach module globals (through any class
  // it finds), and through the runner's defaults and closure it could rebind the report or the audit state.
  py.runPython('del _he_run, _he_runner, _he_encode');
  const version = py.runPython('import sys; sys.version.split()[0]');
  for (const name of Object.getOwnPropertyNames(py)) {
    try { Object.defineProperty(py, name, { value: undefined, writable: false, configurable: false }); } catch {}
  }
  for (const name of ['require', 'module', 'exports', '__filename', '__dirname', 'fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest', 'eval']) {
    try { delete globalThis[name]; } catch {}
    try { Object.defineProperty(globalThis, name, { value: undefined, writable: false, configurable: false }); } catch {}
  }
  for (const name of ['binding', '_linkedBinding', 'getBuiltinModule', 'dlopen', 'kill', 'chdir', 'setuid', 'setgid']) {
    try { Object.defineProperty(process, name, { value: undefined, writable: false, configurable: false }); } catch {}
  }
  const protos = [function () {}, async function () {}, function* () {}, async function* () {}].map(Object.getPrototypeOf);
  for (const proto of protos) {
    try { Object.defineProperty(proto, 'constructor', { value: undefined, writable: false, configurable: false }); } catch {}
  }
  try { Object.defineProperty(globalThis, 'Function', { value: undefined, writable: false, configurable: false }); } catch {}
  snapshot = M.HEAPU8.slice(0);
  tableLength = M.wasmTable.length;
  libraries = Object.keys(M.LDSO.loadedLibsByName).length;
  files = fileFingerprint();
  return version;
}

process.on('message', async (msg) => {
  if (msg.type === 'init') {
    try {
      const version = await setUp(msg.harness);
      process.send({ type: 'ready', version, memoryBytes: snapshot.length,
        permission: { 'fs.read': 'only ' + indexURL, 'fs.write': permission.has('fs.write'), child: permission.has('child'), worker: permission.has('worker') } });
    } catch (error) {
      process.send({ type: 'error', message: String(error && error.stack || error) });
      process.exit(3);
    }
    return;
  }
  if (msg.type !== 'run') return;
  const start = performance.now();
  fired = overCharge = false;
  sleptMs = growMs = 0;
  nextCheck = 0;
  startCpuMs = cpuMs();
  limitMs = msg.timeoutMs;
  wallDeadline = start + msg.timeoutMs * WALL_FACTOR;
  let report;
  try {
    report = JSON.parse(run(msg.job, ++n));
    limitMs = wallDeadline = Infinity;
  } catch (error) {
    // _he_run catches every Python exception, so this is the interpreter itself failing (a refused
    // process start, a fatal error): it cannot be trusted again.
    process.send({ type: 'fatal', id: msg.id, ms: performance.now() - start, message: String(error && error.message || error).slice(-300) });
    process.exit(4);
  }
  const ms = performance.now() - start;
  try { FS.chdir('/tmp'); } catch {}
  removeTree('/tmp/he-' + n);
  const tainted = taint();
  process.send({ type: 'result', id: msg.id, ms, tainted, timedOut: fired, overCharge, ...report });
  if (tainted) process.exit(0);
  restore();
});
process.on('disconnect', () => process.exit(0));
`;
