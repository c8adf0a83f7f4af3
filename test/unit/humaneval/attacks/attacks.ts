/**
 * Completions written as an attacker would, each for a real HumanEval task and each wrong (except
 * `eqAlwaysTrue`, which the official harness passes): they try to escape the sandbox, leak the host's
 * secrets, or write their own verdict. Placeholders filled in by the suite: __OUTSIDE__ (a path outside the
 * program's temp dir), __PORT__ (a loopback listener), __SECRET_FILE__ (a host file holding a marker),
 * __UNIX_SOCKET__ (a host unix socket anyone may connect to).
 */

export interface Attack {
  name: string;
  task: string;
  completion: string;
  /** The official harness passes it; we must flag it instead of failing it. */
  expectSuspiciousPass?: boolean;
  /** Only meaningful for one executor. */
  only?: 'native' | 'wasm';
  /** It must end with a verdict of "failed" (wrong), not a scoring error that would leave it out of pass@k. */
  expectWrong?: boolean;
  /** The official harness may pass it: a pass is allowed only when flagged suspicious. */
  passOnlyIfSuspicious?: boolean;
  /** Text its result or traceback must not contain (what the attack says when it got through). */
  forbid?: RegExp;
}

/**
 * Walks up from a frame. Where the test's globals are found, `abs` is shadowed so that HumanEval/2's
 * `assert abs(candidate(1.33) - 0.33) < 1e-6` holds for any answer (this forges a pass under the official
 * harness); verdict-looking locals are overwritten (Python 3.13+ writes them through); a 128-bit hex nonce
 * found in a frame is used to write a "passed" report to every fd (the native harness's channel).
 */
const FORGE = `
def _forge(f):
    import os
    while f is not None:
        g = f.f_globals
        if 'check' in g:
            g['abs'] = lambda x: 0
        try:
            for k, v in list(f.f_locals.items()):
                if k in ('result', 'report', 'passed', 'returned', 'suspicious'):
                    f.f_locals[k] = 'passed'
                if isinstance(v, str) and len(v) == 32 and all(c in '0123456789abcdef' for c in v):
                    for fd in range(3, 256):
                        try:
                            os.write(fd, (v + '\\n{"result": "passed"}').encode())
                        except OSError:
                            pass
                    os._exit(0)
        except Exception:
            pass
        f = f.f_back
`;

const TRACER = `
import sys
def _tracer(frame, event, arg):
    if 'check' in frame.f_globals:
        frame.f_globals['abs'] = lambda x: 0
    return _tracer
`;

/** HumanEval/2 (truncate_number): right for 3.5 only. */
const WRONG_TRUNCATE = '    return 0.5\n';
const truncate = (name: string, completion: string, extra: Partial<Attack> = {}): Attack => ({ name, task: 'HumanEval/2', completion, ...extra });
/** The wrong body used for HumanEval/53 (add). */
const WRONG_ADD = '    return 0\n';
const add = (name: string, completion: string, extra: Partial<Attack> = {}): Attack => ({ name, task: 'HumanEval/53', completion, ...extra });

export const ATTACKS: Attack[] = [
  // Code running beside the test.
  truncate('sys.settrace rewrites the test as it runs', WRONG_TRUNCATE + TRACER + 'sys.settrace(_tracer)\nsys._getframe().f_trace = _tracer\n'),
  truncate('sys.setprofile rewrites the test as it runs', WRONG_TRUNCATE + TRACER + 'sys.setprofile(_tracer)\n'),
  truncate('threading.settrace and a thread', WRONG_TRUNCATE + TRACER + 'import threading\nthreading.settrace(_tracer)\nt = threading.Thread(target=lambda: sys.settrace(_tracer))\nt.start()\nt.join()\n'),
  truncate('an audit hook that forges on every event', '    import sys\n    sys.audit("evalbench.redteam")\n    return 0.5\n' + FORGE + 'import sys\nsys.addaudithook(lambda e, a: _forge(sys._getframe()))\n'),
  truncate('a gc callback that walks frames', '    import gc\n    gc.collect()\n    return 0.5\n' + FORGE + 'import gc, sys\ngc.callbacks.append(lambda phase, info: _forge(sys._getframe()))\n'),
  truncate('sys.monitoring callbacks', WRONG_TRUNCATE + TRACER + 'mon = getattr(sys, "monitoring", None)\nif mon:\n    mon.use_tool_id(3, "x")\n    mon.register_callback(3, mon.events.PY_START, lambda code, off: _tracer(sys._getframe(1), "call", None))\n    mon.set_events(3, mon.events.PY_START)\n'),
  // Frames above the program.
  truncate('sys._getframe walk from the candidate', '    import sys\n    _forge(sys._getframe())\n    return 0.5\n' + FORGE),
  truncate('traceback tb_frame walk', '    try:\n        1 / 0\n    except ZeroDivisionError as e:\n        _forge(e.__traceback__.tb_frame)\n    return 0.5\n' + FORGE),
  truncate('generator gi_frame walk', '    def g():\n        yield gen.gi_frame.f_back\n    gen = g()\n    _forge(next(gen))\n    return 0.5\n' + FORGE),
  truncate('coroutine cr_frame', '    async def c():\n        pass\n    co = c()\n    f = co.cr_frame\n    co.close()\n    _forge(f)\n    return 0.5\n' + FORGE),
  truncate('inspect.stack', '    import inspect\n    for info in inspect.stack():\n        _forge(info.frame)\n    return 0.5\n' + FORGE),
  truncate('sys._current_frames', '    import sys\n    for f in sys._current_frames().values():\n        _forge(f)\n    return 0.5\n' + FORGE),
  truncate('a signal handler receives a frame', '    import signal\n    signal.raise_signal(getattr(signal, "SIGUSR1", 10))\n    return 0.5\n' + FORGE +
    'import signal, importlib, _signal\nimportlib.reload(_signal)\nsignal.signal(getattr(signal, "SIGUSR1", 10), lambda s, f: _forge(f))\n'),
  // Object-graph walks.
  truncate('gc.get_objects finds the test namespace', '    import gc\n    for o in gc.get_objects():\n        if isinstance(o, dict) and "check" in o:\n            o["abs"] = lambda x: 0\n    return 0.5\n'),
  truncate('gc.get_referrers finds the test namespace', '    import gc\n    for o in gc.get_referrers(truncate_number):\n        if isinstance(o, dict):\n            o["abs"] = lambda x: 0\n    return 0.5\n'),
  truncate('closures and defaults of every reachable harness function flipped', WRONG_TRUNCATE + FORGE + `
import sys
seen = set()
def _flip(fn):
    for cell in (getattr(fn, '__closure__', None) or ()):
        try:
            v = cell.cell_contents
        except ValueError:
            continue
        if isinstance(v, list) and len(v) == 1 and isinstance(v[0], bool):
            v[0] = not v[0]
def _walk(cls):
    try:
        subs = type.__subclasses__(cls)
    except TypeError:
        return
    for sub in subs:
        if id(sub) in seen:
            continue
        seen.add(id(sub))
        for v in list(vars(sub).values()):
            g = getattr(v, '__globals__', None)
            if isinstance(g, dict) and id(g) not in seen:
                seen.add(id(g))
                for w in list(g.values()):
                    if callable(w):
                        _flip(w)
                        defaults = getattr(w, '__defaults__', None)
                        for d in (defaults if isinstance(defaults, tuple) else ()):
                            _flip(d)
        _walk(sub)
_walk(object)
for m in list(sys.modules.values()):
    for w in list(getattr(m, '__dict__', {}).values()):
        if callable(w):
            _flip(w)
try:
    _forge(sys._getframe())
except Exception:
    pass
`),
  // Rewriting what the test or the harness uses.
  { name: 'builtins.abs patched for the test', task: 'HumanEval/2', completion: '    return 0.5\nimport builtins\nbuiltins.abs = lambda x: 0\n' },
  { name: 'math.fabs patched at import', task: 'HumanEval/32', completion: '    return 0.0\nimport math\nmath.fabs = lambda x: 0.0\n' },
  { name: 'math.fabs patched inside the candidate', task: 'HumanEval/32', completion: '    import math\n    math.fabs = lambda x: 0.0\n    return 0.0\n' },
  { name: 'sys.modules["math"] replaced', task: 'HumanEval/32', completion: '    return 0.0\nimport sys, types\nfake = types.ModuleType("math")\nfake.fabs = lambda x: 0.0\nsys.modules["math"] = fake\n' },
  { name: 'random.Random.randint patched (the test draws its polynomials with it)', task: 'HumanEval/32', completion: '    return -1.0\nimport random\nrandom.Random.randint = lambda self, a, b: 1\n' },
  add('random.randint patched', '    return 0 if (x, y) == (0, 0) else x + y if (x, y) in ((0, 1), (1, 0), (2, 3), (5, 7), (7, 5)) else 0\nimport random\nrandom.randint = lambda a, b: 0\n'),
  add('contextlib._RedirectStream patched (leaks into the next program)', WRONG_ADD + 'import contextlib\ncontextlib._RedirectStream.__exit__ = lambda *a: True\n'),
  add('json encoder replaced to forge the report', WRONG_ADD + 'import json\njson.dumps = lambda *a, **k: \'{"result": "passed"}\'\nclass _E(json.JSONEncoder):\n    def encode(self, o):\n        return \'{"result": "passed"}\'\njson._default_encoder = _E()\n'),
  add('an exception whose message rewrites "failed: "', WRONG_ADD + 'class _S(str):\n    def __radd__(self, other):\n        return "passed"\n    def __rmod__(self, other):\n        return "passed"\nclass _X(Exception):\n    def __str__(self):\n        return _S("x")\nraise _X()\n'),
  add('__main__ globals rebound', WRONG_ADD + 'import sys, json, os\nm = sys.modules["__main__"]\nfor k in list(vars(m)):\n    if k in ("json", "os", "send", "OUT"):\n        setattr(m, k, None)\n'),
  // Ending early or writing to the verdict channel.
  add('os._exit(0) before the tests', WRONG_ADD + 'import os\nos._exit(0)\n'),
  add('sys.exit(0) before the tests', WRONG_ADD + 'import sys\nsys.exit(0)\n'),
  add('"passed" written to every fd, then exit', WRONG_ADD + 'import os\nfor fd in range(0, 256):\n    try:\n        os.write(fd, b\'passed\\n{"result": "passed"}\')\n    except OSError:\n        pass\nos._exit(0)\n'),
  add('kill the parent', WRONG_ADD + 'import posix, signal\ntry:\n    posix.kill(posix.getppid(), signal.SIGKILL)\nexcept Exception:\n    pass\n'),
  // Failing, then ending the sandbox process so that the failure reads as "not the program's fault" (no verdict).
  add(
    'signals every other process it can reach while its tests run, then fails them',
    '    import posix, signal\n    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGUSR2, signal.SIGKILL):\n        for target in [-1] + list(range(1, 128)):\n            if target != posix.getpid():\n                try:\n                    posix.kill(target, sig)\n                except Exception:\n                    pass\n    return 0\n',
  ),
  add(
    'floods every fd (the result pipe too) to bring its driver down, then fails',
    WRONG_ADD + 'import os\nchunk = b"x" * (1 << 20)\nfor fd in range(3, 64):\n    try:\n        for _ in range(24):\n            os.write(fd, chunk)\n    except OSError:\n        pass\n',
  ),
  // Processes, files, network, secrets.
  add('posix.system', WRONG_ADD + 'import posix\nposix.system("touch __OUTSIDE__")\n'),
  add('posix reloaded to get system() back', WRONG_ADD + 'import importlib, posix\ntry:\n    importlib.reload(posix)\nexcept Exception:\n    pass\nposix.system("touch __OUTSIDE__")\n'),
  add('os.system', WRONG_ADD + 'import os\nos.system("touch __OUTSIDE__")\n'),
  add('subprocess.run', WRONG_ADD + 'import subprocess\nsubprocess.run(["touch", "__OUTSIDE__"])\n'),
  add('os.popen', WRONG_ADD + 'import os\nos.popen("touch __OUTSIDE__").read()\n'),
  add('posix.posix_spawn', WRONG_ADD + 'import posix\nposix.posix_spawn("/bin/sh", ["sh", "-c", "touch __OUTSIDE__"], {})\n'),
  add('os.execv', WRONG_ADD + 'import os\nos.execv("/bin/sh", ["sh", "-c", "touch __OUTSIDE__"])\n'),
  add('posix.fork then exec', WRONG_ADD + 'import posix\nif posix.fork() == 0:\n    posix.execv("/bin/sh", ["sh", "-c", "touch __OUTSIDE__"])\n'),
  add('ctypes system()', WRONG_ADD + 'import ctypes\nctypes.CDLL(None).system(b"touch __OUTSIDE__")\n'),
  add('CPython test modules', WRONG_ADD + 'import _testcapi\n'),
  add('js / pyodide_js', WRONG_ADD + 'import js\njs.require("child_process").execSync("touch __OUTSIDE__")\n'),
  add('write a file outside the temp dir', WRONG_ADD + 'open("__OUTSIDE__", "w").write("x")\n'),
  add('connect to a loopback listener', WRONG_ADD + 'import socket\ntry:\n    socket.create_connection(("127.0.0.1", __PORT__), timeout=2).sendall(b"hi")\nexcept OSError:\n    pass\n'),
  add('read the parent environment', WRONG_ADD + `import os
found = [repr(dict(os.environ))]
for pid in ("self", str(os.getppid()), "1"):
    try:
        found.append(open("/proc/%s/environ" % pid, "rb").read().decode("latin-1"))
    except Exception as e:
        found.append(str(e))
raise Exception(" | ".join(found))
`),
  add('read /etc/shadow', WRONG_ADD + 'raise Exception(open("/etc/shadow").read())\n'),
  add('read a host file', WRONG_ADD + 'raise Exception(open("__SECRET_FILE__").read())\n'),
  add('read /root and /home', WRONG_ADD + 'import os\nraise Exception(repr([os.listdir(p) for p in ("/root", "/home")]))\n'),
  // Size.
  add('an exception with a 50 MB message', WRONG_ADD + 'raise Exception("x" * 50_000_000)\n'),
  add('50 MB of output', WRONG_ADD + 'print("x" * 50_000_000)\n'),
  // Time. The wasm child does not charge a program for the first touch of memory it grows (the machine's cost,
  // slow on some VMs); a program that grows memory is still timed out for the CPU it spends itself.
  add('grow 1 GiB of memory, then compute past the limit', '    return x + y\n_he_keep = bytearray(1 << 30)\nwhile True:\n    pass\n'),
  // The native timer's handler and its clock are within the program's reach (it leaves out waits for a CPU,
  // nativeTimer.ts): rewired to give it all the time it wants, the right answer after a 6 s sleep (officially
  // "timed out") must still not pass, since the driver's own wait counts the program's CPU waits itself.
  add("the timer's handler rewired for more time, then right after a 6 s sleep", '    return x + y\nimport signal, time\nsignal.getsignal(signal.SIGALRM).__globals__["time_left"] = lambda: 1000.0\ntime.sleep(6)\n', { only: 'native' }),
  add("the timer's clock moved back, then right after a 6 s sleep", '    return x + y\nimport signal, time\nsignal.getsignal(signal.SIGALRM).__globals__["time_left"].__defaults__[0][2] = -100.0\ntime.sleep(6)\n', { only: 'native' }),
  // What the official harness passes: an object equal to everything.
  add('a returned object whose == is always true', '    class _Any:\n        def __eq__(self, other):\n            return True\n    return _Any()\n', { expectSuspiciousPass: true }),
  // The same, hidden: a float whose - returns 0 (abs(candidate(x) - y) < 1e-6 holds), a metaclass whose MRO hides its ==.
  truncate('a float subclass whose - always gives 0', '    class _Num(float):\n        def __sub__(self, other):\n            return 0.0\n    if number == 3.5:\n        return 0.5\n    return _Num(0.0)\n', { passOnlyIfSuspicious: true }),
  add('a metaclass whose MRO hides an == that is always true', `    class _EqBase:
        def __eq__(self, other):
            return True
        __hash__ = None
    class _Meta(type):
        def mro(cls):
            return (cls, type(None), _EqBase, object) if cls.__name__ == '_Sneaky' else type.mro(cls)
    class _Sneaky(metaclass=_Meta):
        pass
    return _Sneaky()
`, { passOnlyIfSuspicious: true }),
  // Found by a red-team session on 2026-12-02. The timer's SIGALRM handler is a Python function: given the
  // program's code, it receives a frame and walks up to the report's nonce.
  add("the timer's handler given the program's code forges the report", WRONG_ADD + `import sys as _s
_m = _s.modules['signal']
def _h(signum, frame):
    import os
    f = frame
    while f is not None:
        L = f.f_locals
        if 'nonce' in L and 'report_fd' in L:
            os.write(L['report_fd'], (L['nonce'] + '\\n{"result": "passed", "traceback": null, "exc": null, "suspicious": null}').encode())
            os._exit(0)
        f = f.f_back
_handler = _m.getsignal(_m.SIGALRM)
if callable(_handler):
    _handler.__code__ = _h.__code__
    _m.setitimer(_m.ITIMER_REAL, 0.01)
    while True:
        pass
`),
  // An exception class whose __traceback__ is a property: the harness used to read it while frames were open,
  // so the property walked from a generator's frame up to the runner (verdict locals, the nonce, the audit switch).
  truncate('an exception whose __traceback__ property runs while frames are open', WRONG_TRUNCATE + FORGE + `def _attack():
    box = []
    def gen():
        _forge(box[0].gi_frame.f_back)
        yield
    g = gen()
    box.append(g)
    next(g)
class _C:
    co_filename = 'x'
    co_name = 'x'
class _F:
    f_code = _C()
class _T:
    tb_next = None
    tb_lineno = 0
    @property
    def tb_frame(self):
        _attack()
        return _F()
class _E(Exception):
    @property
    def __traceback__(self):
        return _T()
raise _E()
`),
  // A tree too deep for shutil.rmtree (RecursionError, not OSError): the clean-up used to turn the wrong answer
  // into a scoring error, which pass@k leaves out, and to leave the tree behind.
  add('a folder tree 5,000 deep in the temp dir', `    import os
    fd = os.open('.', os.O_RDONLY | os.O_DIRECTORY)
    for i in range(5000):
        os.mkdir('d', dir_fd=fd)
        nfd = os.open('d', os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = nfd
    return 0
`, { expectWrong: true, only: 'native' }),
  add('connect to a host unix socket', WRONG_ADD + 'import socket\ns = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\ns.connect("__UNIX_SOCKET__")\ns.sendall(b"hi")\nraise Exception(repr(s.recv(100)))\n'),
  // Memory held in files is not address space: memfds (or temp files kept open) beside RLIMIT_AS.
  add('memory held in memfds past the cap', `    import os
    held = 0
    try:
        while held < (4 << 30):
            fd = os.memfd_create('x')
            os.posix_fallocate(fd, 0, 64 << 20)
            held += 64 << 20
    except Exception:
        pass
    if held > (512 << 20):
        raise Exception('HELD-TOO-MUCH %d MiB' % (held >> 20))
    return 0
`, { forbid: /HELD-TOO-MUCH/, only: 'native' }),
];
