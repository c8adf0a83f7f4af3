/**
 * The native driver's time limit, as Python source it embeds (nativeDriver.ts): the official 3 s timer inside
 * the program, and the driver's wait for the report, both less the time the program only waited for a CPU.
 * The embedding source must have imported os, signal and time, and defines PIDNS before spawning programs.
 */
export const NATIVE_TIMER_PY = String.raw`
# The time limit: the official 3 s real-time timer raising TimeoutException inside the program, less the
# time the program only waited for a CPU. Real time follows the machine's load, and the second run alone
# (processPool.ts) cannot help when the load is not the executor's own (native.test.ts: 1.8 s of work beside
# three processes spinning on its CPU). So when the timer fires it is set again for the time the program's
# thread was runnable but not running (the kernel's run delay, /proc/thread-self/schedstat, opened before
# the sandbox closes /proc), and the verdict follows the program. Sleeping and blocking still count, as in
# the official harness; on an idle machine nothing waits and this is the official timer; where the kernel
# keeps no run delay it is the official timer too. The exception class and the handler live in a namespace
# of their own (the program can reach both: one that rewires them gains at most the driver's own limit,
# whose wait reads the run delay itself: run_delay_of).
_LIMIT = [3.0]
# The program thread's schedstat fd (or None), when the timer started, the run delay then (or None).
_CLOCK = [None, 0.0, None]
def _run_delay(_clock=_CLOCK, _pread=os.pread):
    try:
        return int(_pread(_clock[0], 128, 0).split()[1]) / 1e9
    except Exception:
        return None
def _time_left(_clock=_CLOCK, _limit=_LIMIT, _now=time.monotonic, _delay=_run_delay):
    waited = 0.0
    if _clock[2] is not None:
        delay = _delay()
        if delay is not None:
            waited = delay - _clock[2]
    return _limit[0] - ((_now() - _clock[1]) - waited)
_he_exposed = {'time_left': _time_left, 'set_timer': signal.setitimer, 'REAL': signal.ITIMER_REAL}
exec("class TimeoutException(Exception):\n    pass\ndef on_alarm(signum, frame):\n    left = time_left()\n    if left > 0.001:\n        set_timer(REAL, left)\n        return\n    raise TimeoutException('Timed out!')\n", _he_exposed)
TimeoutException = _he_exposed['TimeoutException']
signal.signal(signal.SIGALRM, _he_exposed['on_alarm'])
def _start_timer(_set=signal.setitimer, _real=signal.ITIMER_REAL, _limit=_LIMIT, _clock=_CLOCK, _now=time.monotonic, _delay=_run_delay):
    _clock[1] = _now()
    _clock[2] = _delay()
    _set(_real, _limit[0])
def _stop_timer(_set=signal.setitimer, _real=signal.ITIMER_REAL):
    _set(_real, 0)

# How far past the limit, in real time, the driver's wait for a report may go on a busy machine.
HARD_LIMIT_FACTOR = 10

def program_pid(pid):
    """The process running the program: the forked child, or with a pid namespace its grandchild."""
    if not PIDNS:
        return pid
    for _ in range(2):
        try:
            with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
                pid = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None
    return pid

def run_delay_of(pid):
    """Seconds the program's main thread (the one its timer runs on) has waited for a CPU; 0 where unknown."""
    if pid is None:
        return 0.0
    try:
        with open('/proc/%d/schedstat' % pid) as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0
`;
