/**
 * The Python side of the native executor, run as `python3 -I -B -c DRIVER` with an environment built
 * from scratch. One driver is a warm interpreter that forks once per program (fork costs about a
 * millisecond; starting python3 costs tens). Protocol on its stdin/stdout, one JSON object a line:
 *   ← {"ready": true, "isolation": {...}}                      once, after the driver set itself up
 *   → {"id", "program", "timeout", "memory"}                   a program to run
 *   ← {"id", "pid"}                                            the child's process group, so the host can kill it
 *   ← {"id", "result", "traceback"?, "exc"?, "ms", "cpu", "rss"} the verdict, the program's CPU seconds and peak bytes
 *
 * Why the verdict cannot be forged by the program (see also programRunner.ts):
 *  - The child reports on a pipe of its own, prefixed with a 128-bit nonce made by the driver just
 *    before the fork. The driver accepts only exactly `nonce + "\n" + JSON` followed by end-of-file;
 *    anything else written to that pipe (a program writing "passed" to every fd) makes it "failed".
 *    The nonce is held only by a frame above the program, and no frame above the program is reachable
 *    (the runner's audit hook); everything the child does after the program is bound beforehand.
 *  - No report at all — os._exit(0), a signal, a killed child — is "timed out", as in the official harness;
 *    exit codes are never read. SystemExit (sys.exit(0), raise SystemExit) is caught as "failed: …".
 *  - The program's stdout/stderr go to an in-memory sink and fds 0-2 point at /dev/null, so printing
 *    reaches no one.
 *
 * Who can end the driver while a program runs (the host counts such an ending as the program's, i.e.
 * "failed", only where the program could have caused it; elsewhere it is a scoring error):
 *  - Signals: with a pid namespace per program the driver has no pid the program can name (kill and
 *    pidfd_send_signal resolve pids in the caller's namespace; a /proc fd of an ancestor namespace is
 *    refused), and the namespace's init ignores SIGKILL from inside. As root the program runs as nobody and
 *    may not signal root's driver. The ready message says "unreachable" when one of these holds; a program
 *    that was to run in a pid namespace and could not get one is not run (a driver error, no verdict).
 *  - Memory: the driver keeps at most REPORT_CAP bytes of the result pipe (a program flooding it is
 *    "failed"), and every program process has oom_score_adj 1000, so the host's OOM killer takes the
 *    program's processes before the driver.
 *  - Exceptions inside the driver are reported as an error, never as a verdict; nothing the program
 *    writes reaches them before the nonce is checked.
 */
import { NATIVE_TIMER_PY } from './nativeTimer';
import { OFFICIAL_GUARD_PY } from './officialGuard';
import { PROGRAM_RUNNER_PY } from './programRunner';


export const NATIVE_DRIVER = String.raw`
import sys, os, json, time, signal, io, contextlib, traceback, tempfile, shutil, secrets, select, errno, linecache
import builtins, faulthandler, platform, subprocess, resource, math
import ctypes, ctypes.util
# Modules HumanEval programs import often: loaded once here so each fork finds them warm.
import re, collections, itertools, functools, typing, string, heapq, bisect, hashlib, random, fractions, decimal, statistics, operator, copy, threading

IS_ROOT = os.geteuid() == 0
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.mount.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p)
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_NO_NEW_PRIVS = 38
SYS_LANDLOCK = (444, 445, 446)
NOBODY = 65534
ISOLATION = {}
REFUSED = None

def _unshare(flags):
    if libc.unshare(flags) != 0:
        return os.strerror(ctypes.get_errno())
    return None

def setup_namespaces():
    # The driver gives up the network once for all its children: a fresh network namespace has only a
    # loopback interface, and it is down.
    if sys.platform != 'linux':
        ISOLATION['network'] = 'not cut: network namespaces need Linux'
        ISOLATION['processes'] = 'process group (no pid namespace outside Linux)'
        return False
    err = _unshare(CLONE_NEWNET) if IS_ROOT else None
    if err is not None or not IS_ROOT:
        uid, gid = os.getuid(), os.getgid()
        err2 = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
        if err2 is None:
            try:
                with open('/proc/self/setgroups', 'w') as f: f.write('deny')
                with open('/proc/self/uid_map', 'w') as f: f.write('0 %d 1' % uid)
                with open('/proc/self/gid_map', 'w') as f: f.write('0 %d 1' % gid)
            except OSError:
                pass
            err = None
        else:
            err = err2
    ISOLATION['network'] = 'cut (empty network namespace)' if err is None else 'not cut: unshare(CLONE_NEWNET) refused (%s)' % err
    return True

def landlock_abi():
    if sys.platform != 'linux':
        return 0
    abi = libc.syscall(SYS_LANDLOCK[0], None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return abi if abi > 0 else 0

LL_ABI = 0
READ_ROOTS = []
READ_FILES = ['/etc/ld.so.cache', '/etc/localtime']

def landlock_restrict(workdir):
    """Reads only the interpreter, system libraries and the temp dir; writes only the temp dir; executes
    nothing (no execve at all: mapping libraries is not execution); no signals to processes outside."""
    fs_bits = (1 << 13) - 1
    if LL_ABI >= 2: fs_bits |= 1 << 13
    if LL_ABI >= 3: fs_bits |= 1 << 14
    if LL_ABI >= 5: fs_bits |= 1 << 15
    net_bits = 3 if LL_ABI >= 4 and not ISOLATION.get('network', '').startswith('cut') else 0
    scoped = 3 if LL_ABI >= 6 else 0
    attr = (ctypes.c_uint64 * 3)(fs_bits, net_bits, scoped)
    size = 24 if LL_ABI >= 6 else (16 if LL_ABI >= 4 else 8)
    fd = libc.syscall(SYS_LANDLOCK[0], ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if fd < 0:
        return False
    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [('allowed', ctypes.c_uint64), ('parent_fd', ctypes.c_int32)]
    EXECUTE, READ_FILE, READ_DIR = 1, 4, 8
    FILE_BITS = 1 | 2 | 4 | ((1 << 14) if LL_ABI >= 3 else 0)
    rules = ([(workdir, fs_bits & ~EXECUTE, False)] + [(p, READ_FILE | READ_DIR, False) for p in READ_ROOTS]
             + [(p, READ_FILE, True) for p in READ_FILES] + [('/dev/null', 2 | 4, True), ('/dev/urandom', 4, True), ('/dev/zero', 4, True)])
    for path, bits, is_file in rules:
        try:
            pfd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue
        rule = PathBeneath(bits & FILE_BITS if is_file else bits, pfd)
        libc.syscall(SYS_LANDLOCK[1], ctypes.c_int(fd), ctypes.c_int(1), ctypes.byref(rule), ctypes.c_uint32(0))
        os.close(pfd)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    ok = libc.syscall(SYS_LANDLOCK[2], ctypes.c_int(fd), ctypes.c_uint32(0)) == 0
    os.close(fd)
    return ok

${OFFICIAL_GUARD_PY}

def reliability_guard():
    _he_guard()
    # The official guard also hides these modules.
    for name in ('ipdb', 'joblib', 'resource', 'psutil', 'tkinter'):
        sys.modules[name] = None

${NATIVE_TIMER_PY}
# A program's files: each at most FILE_CAP bytes, at most OPEN_FILES_CAP open at once (memfd_create's memory
# is only held through an open fd: 16 x 16 MiB = 256 MiB at most, beside RLIMIT_AS).
FILE_CAP = 16 << 20
OPEN_FILES_CAP = 16
# A program that writes past RLIMIT_FSIZE gets EFBIG instead of being killed.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
PATH_MAP = []

def wait_and_exit(w, pid):
    # Waits for that one child: as a namespace's init this process also inherits the program's orphans,
    # and reaping one of those must not end the namespace early.
    os.close(w)
    os.closerange(0, 65536)
    while True:
        try:
            os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            break
    os._exit(0)

def remove_tree(path):
    """Remove a program's temp dir whatever it made there: shutil.rmtree recurses (a tree thousands of folders
    deep raises RecursionError, not OSError) and uses paths (past PATH_MAX they fail), so what it leaves goes
    with rm -rf, which walks by fd. Never raises: the verdict is sent whatever the clean-up met."""
    try:
        shutil.rmtree(path, ignore_errors=True)
    except BaseException:
        pass
    if os.path.lexists(path):
        try:
            subprocess.run(['rm', '-rf', '--one-file-system', '--', path], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        except BaseException:
            pass

def send(obj):
    OUT.write(json.dumps(obj) + '\n')
    OUT.flush()

def world_readable(path):
    """Whether uid nobody can read path: o+r on it, o+x on it (directories) and on every folder above."""
    path = os.path.realpath(path)
    try:
        mode = os.stat(path).st_mode
        if not mode & 0o004 or (os.path.isdir(path) and not mode & 0o001):
            return False
        while path != '/':
            path = os.path.dirname(path)
            if not os.stat(path).st_mode & 0o001:
                return False
    except OSError:
        return False
    return True

def bind_interpreter(roots):
    """Make the interpreter's folders visible to nobody: read-only bind mounts under BASE, in a mount
    namespace of the driver's own (the host's mounts are not touched)."""
    err = _unshare(CLONE_NEWNS)
    if err is not None:
        return 'unshare(CLONE_NEWNS) refused (%s)' % err
    if libc.mount(b'none', b'/', None, MS_REC | MS_PRIVATE, None) != 0:
        return 'cannot make mounts private (%s)' % os.strerror(ctypes.get_errno())
    # Mount points live outside BASE, which is removed with rmtree at the end: never rmtree a mount.
    mounts = tempfile.mkdtemp(prefix='evalbench-python-')
    os.chmod(mounts, 0o711)
    MOUNT_DIRS.append(mounts)
    for i, root in enumerate(roots):
        target = os.path.join(mounts, str(i))
        os.mkdir(target, 0o755)
        if libc.mount(root.encode(), target.encode(), None, MS_BIND | MS_REC, None) != 0:
            return 'cannot bind-mount %s (%s)' % (root, os.strerror(ctypes.get_errno()))
        PATH_MAP.append((root, target))
        if libc.mount(b'none', target.encode(), None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, None) != 0:
            return 'cannot make the bind mount of %s read-only (%s)' % (root, os.strerror(ctypes.get_errno()))
    return None

def unmount_all():
    for _, target in PATH_MAP:
        libc.umount2(target.encode(), 2)
        try:
            os.rmdir(target)
        except OSError:
            pass
    for d in MOUNT_DIRS:
        try:
            os.rmdir(d)
        except OSError:
            pass

MOUNT_DIRS = []

# The programs' temp dirs together hold at most this much: files are capped one by one (RLIMIT_FSIZE) but not
# in number, and a disk fills in a second at fallocate's speed.
SCRATCH_BYTES = 256 << 20
SCRATCH_MOUNTED = []

def mount_scratch():
    """BASE on a tmpfs of SCRATCH_BYTES, in a mount namespace of the driver's own (the host's mounts are not
    touched; it goes with the driver). Returns None, or why not."""
    if sys.platform != 'linux':
        return 'mounts need Linux'
    err = _unshare(CLONE_NEWNS)
    if err is not None:
        return 'unshare(CLONE_NEWNS) refused (%s)' % err
    if libc.mount(b'none', b'/', None, MS_REC | MS_PRIVATE, None) != 0:
        return 'cannot make mounts private (%s)' % os.strerror(ctypes.get_errno())
    options = ('size=%d,mode=0711' % SCRATCH_BYTES).encode()
    if libc.mount(b'tmpfs', BASE.encode(), b'tmpfs', MS_NOSUID | MS_NODEV | MS_NOEXEC, options) != 0:
        return 'cannot mount a tmpfs (%s)' % os.strerror(ctypes.get_errno())
    SCRATCH_MOUNTED.append(BASE)
    return None

def remove_stale_bases(min_age_s=3600):
    """Empty temp folders of drivers killed before their clean-up (SIGKILL): removed when over an hour old.
    Only empty folders go (rmdir), so a live driver's files are never touched."""
    root = tempfile.gettempdir()
    try:
        names = [n for n in os.listdir(root) if n.startswith('evalbench-humaneval-')]
    except OSError:
        return
    for name in names:
        base = os.path.join(root, name)
        try:
            if time.time() - os.lstat(base).st_mtime < min_age_s:
                continue
            for child in os.listdir(base):
                os.rmdir(os.path.join(base, child))
            os.rmdir(base)
        except OSError:
            pass

OUT = os.fdopen(os.dup(1), 'w')
remove_stale_bases()
BASE = tempfile.mkdtemp(prefix='evalbench-humaneval-')
PIDNS = setup_namespaces()
LL_ABI = landlock_abi()
PY_ROOTS = sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
if IS_ROOT:
    # Programs never run as root. An interpreter under a folder nobody cannot enter (pyenv under /root) is
    # bind-mounted read-only where it can; otherwise the executor refuses to run.
    os.chmod(BASE, 0o711)
    hidden = [p for p in PY_ROOTS if not world_readable(os.path.join(p, 'lib'))]
    err = bind_interpreter(hidden) if hidden else None
    stdlib = os.path.dirname(os.__file__)
    for original, mounted in PATH_MAP:
        if stdlib.startswith(original + '/'):
            stdlib = mounted + stdlib[len(original):]
    if err is None and not world_readable(stdlib):
        err = 'its standard library %s is not readable by other users' % os.path.dirname(os.__file__)
    if err is not None:
        unmount_all()
        PATH_MAP[:] = []
        REFUSED = ('EvalBench runs HumanEval programs as the unprivileged user nobody, never as root, and nobody cannot read the interpreter %s: %s. '
                   'Set evalbench.pythonPath (VS Code) or --python (CLI) to an interpreter other users can read (e.g. /usr/bin/python3), or use the wasm executor.' % (sys.executable, err))
    ISOLATION['user'] = 'nobody (uid %d)' % NOBODY + (', interpreter bind-mounted read-only' if PATH_MAP else '')
else:
    ISOLATION['user'] = 'the host user (not root), in its own user namespace'
READ_ROOTS = sorted({m for _, m in PATH_MAP} | {p for p in PY_ROOTS if p not in dict(PATH_MAP)} | {p for p in ('/usr', '/lib', '/lib64', '/lib32') if os.path.isdir(p)})
ISOLATION['filesystem'] = ('landlock: reads only the interpreter, system libraries and its temp dir; writes only its temp dir; executes nothing'
                           if LL_ABI else 'NOT RESTRICTED: Landlock is not available (a temp dir as cwd only)')
ISOLATION['signals'] = 'scoped to the program (landlock)' if LL_ABI >= 6 else ('other uid' if IS_ROOT else 'NOT SCOPED (Landlock ABI < 6)')
def probe_pidns():
    pid = os.fork()
    if pid == 0:
        os._exit(0 if _unshare(CLONE_NEWPID) is None else 1)
    return os.waitpid(pid, 0)[1] == 0

if PIDNS and not probe_pidns():
    PIDNS = False
ISOLATION.setdefault('processes', 'pid namespace per program, killed as a whole' if PIDNS else 'process group per program (NO pid namespace)')
_scratch_err = mount_scratch()
ISOLATION['disk'] = ('temp dirs on a %d MiB tmpfs of their own' % (SCRATCH_BYTES >> 20)) if _scratch_err is None else 'NOT CAPPED in total: %s' % _scratch_err
ISOLATION['memory'] = ('address space capped (RLIMIT_AS); files %d MiB each, %d open at once' % (FILE_CAP >> 20, OPEN_FILES_CAP)) if sys.platform == 'linux' else 'NOT CAPPED: RLIMIT_AS is Linux-only'
ISOLATION['time'] = 'official 3 s real-time limit less the time spent waiting for a CPU, CPU time capped (RLIMIT_CPU); a timeout is confirmed by a second run alone'
ISOLATION['verdict'] = 'nonce-authenticated pipe; frames, tracing, gc traversal and audit hooks refused to the program'
# Whether a program can end this driver (see the header): the host needs it to judge a driver's death.
UNREACHABLE = bool(PIDNS or IS_ROOT)
REPORT_CAP = 8 << 20
send({'ready': True, 'isolation': ISOLATION, 'python': sys.version.split()[0], 'refused': REFUSED, 'unreachable': UNREACHABLE})
def main():
    # The runner, run_child and spawn exist only as locals of this frame (and closures), never as module
    # globals: every class or function a program can reach has this module as its globals, and through
    # them it could otherwise rebind what the child does after the program, or switch the audit hook off.
    _he_private = {'__builtins__': dict(builtins.__dict__), '__name__': '_he_runner'}
    exec(${JSON.stringify(PROGRAM_RUNNER_PY)}, _he_private)
    RUNNER, ENCODE = _he_private['_he_make_runner'](_start_timer, _stop_timer, TimeoutException)


    def run_child(job, timeout, memory, workdir, report_fd, nonce, _runner=RUNNER, _encode=ENCODE,
                  _write=os.write, _exit=os._exit, _clock=_CLOCK,
                  _limit=_LIMIT, _sink=_HeWriteOnlyStringIO, _ro=contextlib.redirect_stdout, _re=contextlib.redirect_stderr,
                  _ri=_he_redirect_stdin):
        # Only the report pipe survives; 0-2 become /dev/null so nothing reaches the driver's own pipes.
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(3, report_fd)
        os.closerange(report_fd + 1, 65536)
        try:
            # Read by the timer (nativeTimer.ts); opened while /proc is still open to this process.
            _clock[0] = os.open('/proc/thread-self/schedstat', os.O_RDONLY)
        except OSError:
            _clock[0] = None
        os.chdir(workdir)
        # RLIMIT_AS caps mapped memory; memory held in files (memfd_create, files in the temp dir kept open) is
        # capped by file size times open files: FILE_CAP x OPEN_FILES_CAP.
        for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, int(math.ceil(timeout)) + 1), (resource.RLIMIT_FSIZE, FILE_CAP), (resource.RLIMIT_NOFILE, OPEN_FILES_CAP)):
            if value > 0:
                try:
                    resource.setrlimit(limit, (value, value + (1 if limit == resource.RLIMIT_CPU else 0)))
                except (ValueError, OSError):
                    pass  # macOS refuses RLIMIT_AS; the startup report says so
        if PATH_MAP:
            # The interpreter is visible to nobody only through its read-only bind mount.
            def visible(p):
                for original, mounted in PATH_MAP:
                    if p == original or p.startswith(original + '/'):
                        return mounted + p[len(original):]
                return p
            sys.path[:] = [visible(p) for p in sys.path]
            for m in list(sys.modules.values()):
                paths = getattr(m, '__path__', None)
                if isinstance(paths, list):
                    paths[:] = [visible(p) for p in paths]
            sys.path_importer_cache.clear()
        if ISOLATION.get('user', '').startswith('nobody'):
            resource.setrlimit(resource.RLIMIT_NPROC, (512, 512))
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
        if LL_ABI:
            landlock_restrict(workdir)
        tempfile.tempdir = workdir
        reliability_guard()
        _limit[0] = timeout
        sink = _sink()
        with _ro(sink), _re(sink), _ri(sink):
            report = _runner(job)
        _write(report_fd, (nonce + '\n' + _encode(report)).encode('utf-8', 'surrogatepass'))
        _exit(0)

    def spawn(msg):
        timeout, memory = float(msg['timeout']), int(msg['memory'])
        workdir = tempfile.mkdtemp(prefix='he-', dir=BASE)
        if ISOLATION.get('user', '').startswith('nobody'):
            os.chown(workdir, NOBODY, NOBODY)
        r, w = os.pipe()
        nonce = secrets.token_hex(16)
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(r)
                # The host's OOM killer takes the program's processes (which inherit this) before the driver.
                try:
                    with open('/proc/self/oom_score_adj', 'w') as f:
                        f.write('1000')
                except OSError:
                    pass
                os.setsid()
                if PIDNS:
                    # A pid namespace per program: when its first process dies the kernel kills every
                    # process left in it, so forks that called setsid() cannot outlive the program.
                    # The program runs as pid 2, not as the namespace's init: init ignores signals it sends
                    # itself (SIGKILL included), and the official harness sees those as deaths.
                    # This process never runs the program: it exits 0, or non-zero only when the namespace
                    # could not be made (then the program, which could reach the driver, is not run).
                    if _unshare(CLONE_NEWPID) is not None:
                        os._exit(3)
                    inner = os.fork()
                    if inner != 0:
                        wait_and_exit(w, inner)
                    runner = os.fork()
                    if runner != 0:
                        wait_and_exit(w, runner)
                run_child(msg['job'], timeout, memory, workdir, w, nonce)
            finally:
                os._exit(1)
        os.close(w)
        send({'id': msg['id'], 'pid': pid})
        # The official harness waits timeout + 1 s for the report. That wait, too, leaves out the time the
        # program waited for a CPU (nativeTimer.ts), up to HARD_LIMIT_FACTOR times the limit: a program that
        # rewired its own timer, or a machine loaded past that, is stopped there.
        deadline = start + timeout + 1.0
        hard_deadline = start + timeout * HARD_LIMIT_FACTOR + 1.0
        waited = 0.0
        program = None
        chunks = []
        size = 0
        timed_out = flooded = False
        while True:
            left = min(deadline + waited, hard_deadline) - time.monotonic()
            if left <= 0:
                program = program or program_pid(pid)
                now_waited = run_delay_of(program)
                if now_waited > waited and deadline + waited < hard_deadline:
                    waited = now_waited
                    continue
                timed_out = True
                break
            ready, _, _ = select.select([r], [], [], left)
            if not ready:
                continue
            data = os.read(r, 65536)
            if not data:
                break
            size += len(data)
            if size > REPORT_CAP:
                # A report is a few KiB: this is a program filling the driver's memory. It is stopped here.
                flooded = True
                break
            chunks.append(data)
        os.close(r)
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        cpu = 0.0
        rss = 0
        status = 0
        try:
            # CPU time and peak memory of the program and everything it forked (the namespace's processes
            # were waited for; ru_maxrss is in KiB on Linux).
            _, status, usage = os.wait4(pid, 0)
            cpu = usage.ru_utime + usage.ru_stime
            rss = usage.ru_maxrss * 1024
        except ChildProcessError:
            pass
        ms = (time.monotonic() - start) * 1000
        remove_tree(workdir)
        out = {'id': msg['id'], 'ms': ms, 'cpu': cpu, 'rss': rss}
        raw = b''.join(chunks)
        if PIDNS and os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0:
            # Only the driver's code runs in that process (see the fork above): the sandbox failed, not the program.
            send({'id': msg['id'], 'error': 'the program could not be given its own pid namespace (exit %d)' % os.WEXITSTATUS(status)})
            return
        if flooded:
            out['result'] = 'failed: the program wrote more than %d MiB to the harness result channel' % (REPORT_CAP >> 20)
            out['exc'] = 'HarnessTampering'
        elif timed_out or not raw:
            out['result'] = 'timed out'
        else:
            head, _, body = raw.partition(b'\n')
            try:
                if head.decode() != nonce:
                    raise ValueError('nonce')
                report = json.loads(body.decode('utf-8', 'replace'))
                if not isinstance(report, dict) or not isinstance(report.get('result'), str):
                    raise ValueError('shape')
                out.update(result=report['result'], traceback=report.get('traceback'), exc=report.get('exc'), suspicious=report.get('suspicious'))
            except ValueError:
                out['result'] = 'failed: the program wrote to the harness result channel'
                out['exc'] = 'HarnessTampering'
        send(out)

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        try:
            spawn(msg)
        except Exception as e:
            send({'id': msg.get('id'), 'error': '%s: %s' % (type(e).__name__, e)})

main()
unmount_all()
for _mounted in SCRATCH_MOUNTED:
    libc.umount2(_mounted.encode(), MNT_DETACH)
shutil.rmtree(BASE, ignore_errors=True)
`;
