/**
 * Sources of the wasm executor's child process (see wasmExecutor.ts). Shipped as strings so the bundle
 * needs no extra entry point: the child is `<node> --experimental-permission --allow-fs-read=<pyodide dir>
 * -e WASM_CHILD_JS`, and receives WASM_HARNESS_PY in its first message.
 */
import { OFFICIAL_GUARD_PY } from './officialGuard';
import { PROGRAM_RUNNER_PY } from './programRunner';

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

# Pyodide's time.sleep blocks the thread and ignores the interrupt buffer; sleeping in short steps lets
# the time limit interrupt a sleeping program the same way as a busy one.
def _he_sleep(seconds, _sleep=time.sleep, _now=time.monotonic):
    if seconds < 0:
        raise ValueError('sleep length must be non-negative')
    end = _now() + seconds
    while True:
        left = end - _now()
        if left <= 0:
            return
        _sleep(min(left, 0.05))
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
// writes 0 back. A getter lets this process enforce its own time limit, counted from the program's start.
// (Wall time, as officially: Pyodide's sleep keeps the process runnable, so leaving out time spent waiting
// for a CPU would let a sleeping program run on under load.)
let deadline = Infinity;
let fired = false;
const interrupt = {
  get 0() {
    if (!fired && performance.now() >= deadline) { fired = true; return 2; }
    return 0;
  },
  set 0(value) {},
};
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
  fired = false;
  deadline = start + msg.timeoutMs;
  let report;
  try {
    report = JSON.parse(run(msg.job, ++n));
    deadline = Infinity;
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
  process.send({ type: 'result', id: msg.id, ms, tainted, timedOut: fired, ...report });
  if (tainted) process.exit(0);
  restore();
});
process.on('disconnect', () => process.exit(0));
`;
