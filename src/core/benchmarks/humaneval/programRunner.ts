/**
 * The Python that runs one HumanEval program and decides its verdict, written once and embedded by both
 * executors' harnesses (native: nativeDriver.ts, after the fork; wasm: wasmChildSource.ts, inside Pyodide).
 *
 * `_he_make_runner(...)` returns `run(job) -> dict` with every function it needs bound at creation, so a
 * program that rebinds json.dumps, builtins.str or a module attribute changes nothing the runner does
 * afterwards. The verdict cannot be written by the program because:
 *  - the completion runs in namespace A (prompt + completion); the test and `check` run in namespace B,
 *    built from the dataset's prompt and test with a private copy of the pristine builtins: the completion
 *    never held B, and rebinding `builtins.abs` does not reach the test;
 *  - from the program's first instruction an audit hook refuses every way to reach a frame above its own
 *    (sys._getframe, sys._getframemodulename, tb_frame/gi_frame/cr_frame/ag_frame, sys._current_frames,
 *    gc.get_objects/referrers/referents), to run code beside the test (sys.settrace, sys.setprofile,
 *    sys.monitoring callbacks, new threads, new audit hooks), and to start processes or load ctypes and
 *    CPython's test modules; Python signal handlers (which receive frames) cannot be installed nor fetched
 *    (the executor's own timer handler), and no function's code or defaults can be replaced;
 *  - no program code runs while the runner walks a traceback's frames (its __traceback__ is read from
 *    BaseException's slot, never through the program's class);
 *  - exception messages are turned into plain `str` inside the time limit and capped, so a custom
 *    __str__/__radd__ cannot rewrite "failed: …" afterwards.
 * What stays possible is inherent to running the official tests in-process: a returned object whose type
 * defines its own == (or -, or anything a test applies) decides the comparison itself (the official harness has
 * the same hole). A pass that returned any value of a type that is not built-in is flagged `suspicious`; a pass after which a standard-library module attribute was rebound (math.fabs,
 * which a test calls) is turned into a failure.
 */
/** Bytes of a failure message or traceback kept; the rest is replaced by a note. */
export const MESSAGE_CAP = 8192;

/**
 * Defines `_he_make_runner`. The embedding harness executes this in a namespace of its own whose
 * `__builtins__` is a private copy of the builtins dict, made before any program ran: nothing a program
 * can reach (a class, a function it is handed) has that namespace as its globals.
 */
export const PROGRAM_RUNNER_PY = String.raw`
def _he_make_runner(start_timer, stop_timer, TimeoutException, extra_blocked=()):
    """start_timer()/stop_timer() arm and disarm the executor's time limit around the program."""
    import sys, gc, builtins, types, threading, signal, _signal
    _armed = [False]
    _frames_ok = [False]
    _exec, _compile, _isinstance, _type, _len, _dict, _list, _str = exec, compile, isinstance, type, len, dict, list, str
    _getattr, _enumerate = getattr, enumerate
    _traceback_of, _TracebackType = BaseException.__dict__['__traceback__'].__get__, types.TracebackType
    _type_name = type.__dict__['__name__'].__get__
    _gc_disable, _gc_enable, _gc_callbacks = gc.disable, gc.enable, gc.callbacks
    _dict_items, _dict_get, _mods = dict.items, dict.get, sys.modules
    _settrace, _setprofile = sys.settrace, sys.setprofile
    _encode, _decode = str.encode, bytes.decode
    _ModuleType = types.ModuleType
    # What exec(program, {}) gives a program officially: the real builtins. (This namespace's own builtins
    # are a private copy the program must never hold.)
    _builtins_dict = builtins.__dict__
    _blocked_events = frozenset(('sys._getframe', 'sys._getframemodulename', 'sys._current_frames', 'sys._current_exceptions',
        'sys.settrace', 'sys.setprofile', 'sys.addaudithook', 'sys.monitoring.register_callback', 'sys.remote_exec',
        'gc.get_objects', 'gc.get_referrers', 'gc.get_referents', '_thread.start_new_thread', 'os.fork', 'os.forkpty',
        'os.system', 'os.exec', 'os.posix_spawn', 'os.spawn', 'subprocess.Popen', 'os.startfile') + tuple(extra_blocked))
    _frame_attrs = frozenset(('tb_frame', 'gi_frame', 'cr_frame', 'ag_frame', 'f_back'))
    # A function's code and defaults are not the program's to rewrite: the timer's SIGALRM handler is a Python
    # function, and one given the program's code would receive a frame and walk up to the report's nonce.
    _function_parts = frozenset(('__code__', '__defaults__', '__kwdefaults__'))
    _AF_UNIX = 1
    _blocked_modules = frozenset(('ctypes', '_ctypes', '_testcapi', '_testinternalcapi', '_testlimitedcapi', '_testmultiphase',
        '_testsinglephase', '_testbuffer', '_testclinic', '_testimportmultiple', '_xxsubinterpreters', '_interpreters',
        '_xxinterpchannels', '_interpchannels', '_interpqueues', '_posixsubprocess', 'signal', '_signal', '_remote_debugging'))

    def audit(event, args):
        if not _armed[0]:
            return
        if event == 'object.__getattr__':
            if args[1] in _frame_attrs and not _frames_ok[0]:
                raise AttributeError('%s is disabled in the HumanEval sandbox' % args[1])
        elif event == 'object.__setattr__':
            if args[1] in _function_parts:
                raise AttributeError('setting %s is disabled in the HumanEval sandbox' % args[1])
        elif event == 'socket.__new__':
            # Unix sockets reach the host's services by path (a database, D-Bus), which neither the empty network
            # namespace nor Landlock's file rules cover; a socket of any family but those is unreachable anyway.
            if args[1] == _AF_UNIX:
                raise OSError('unix sockets are disabled in the HumanEval sandbox')
        elif event in _blocked_events or event.startswith('ctypes.'):
            # AttributeError: what typing, enum and namedtuple expect when frames are not available.
            raise AttributeError('%s is disabled in the HumanEval sandbox' % event)
        elif event == 'import' and args[0] in _blocked_modules:
            raise ImportError('import of %s is disabled in the HumanEval sandbox' % args[0])
    sys.addaudithook(audit)

    # Python signal handlers receive the current frame; every route to install one ends here. Defined in a
    # namespace of its own: the program can reach this function (signal.signal), so its globals hold nothing.
    throwaway = {}
    _exec("def no_handlers(*args, **kwargs):\n    raise OSError('signal handlers are disabled in the HumanEval sandbox')", throwaway)
    no_handlers = throwaway['no_handlers']
    # getsignal too: the installed handler (the executor's timer) must not be handed to the program at all.
    for mod in (signal, _signal):
        for name in ('signal', 'set_wakeup_fd', 'getsignal'):
            if hasattr(mod, name):
                setattr(mod, name, no_handlers)

    def cap(text, limit=${MESSAGE_CAP}):
        if _len(text) <= limit:
            return text
        return text[:limit] + '... [truncated: %d more characters]' % (_len(text) - limit)

    def plain(obj):
        """str(obj) as an exact str (a str subclass could override + or %)."""
        try:
            s = _str(obj)
            return _decode(_encode(s, 'utf-8', 'surrogatepass'), 'utf-8', 'surrogatepass')
        except BaseException:
            return '<unprintable %s>' % _type_name(_type(obj))

    def program_frames(e, lines):
        """The program's own frames of a traceback, last 8, with their source lines, as plain text.

        Frames are open while this walks them, so no program code may run meanwhile: the traceback is read
        from BaseException's own slot (an exception class's __traceback__ property would be program code)
        and walked only when it is a real traceback, whose attributes are the interpreter's own."""
        out = []
        tb = _traceback_of(e)
        if _type(tb) is not _TracebackType:
            tb = None
        _gc_disable()
        _frames_ok[0] = True
        try:
            while tb is not None:
                code = tb.tb_frame.f_code
                if code.co_filename == '<string>':
                    n = tb.tb_lineno
                    src = lines[n - 1].strip() if 0 < n <= _len(lines) else ''
                    out.append('  File "<string>", line %d, in %s\n' % (n, plain(code.co_name)) + ('    %s\n' % src if src else ''))
                tb = tb.tb_next
        finally:
            _frames_ok[0] = False
            _gc_enable()
        if _isinstance(e, SyntaxError) and e.lineno:
            n = e.lineno
            src = lines[n - 1].strip() if 0 < n <= _len(lines) else ''
            out.append('  File "<string>", line %d\n' % n + ('    %s\n' % src if src else ''))
        return ''.join(out[-8:])

    _builtin_types = (int, float, complex, str, bytes, bool, type(None), list, tuple, dict, set, frozenset, range)
    _dict_of = type.__dict__['__dict__'].__get__

    def builtin(t):
        # By identity: a metaclass could make a class hash and compare equal to int.
        for b in _builtin_types:
            if t is b:
                return True
        return False

    def foreign_eq(value, depth=0, seen=0):
        """The name of a type in value (or in its containers) that is not a built-in type, else None."""
        t = _type(value)
        if builtin(t):
            if depth < 3 and (t is list or t is tuple or t is set or t is frozenset):
                for i, item in _enumerate(value):
                    if i > 200:
                        break
                    name = foreign_eq(item, depth + 1)
                    if name:
                        return name
            elif depth < 3 and t is dict:
                for i, (k, v) in _enumerate(_dict_items(value)):
                    if i > 200:
                        break
                    name = foreign_eq(k, depth + 1) or foreign_eq(v, depth + 1)
                    if name:
                        return name
            return None
        # Not a built-in type: a subclass of float whose - returns 0 passes abs(x - y) < 1e-6, and a metaclass can
        # hide an __eq__ from any walk of the MRO it reports. Every such value is named; the official harness
        # passes them all, so the verdict stays and says so.
        return _type_name(t)

    def module_snapshot():
        # Modules, and the classes they define (random.Random.randint is as useful to a forger as math.fabs).
        out = []
        for name, m in _list(_dict_items(_mods)):
            if not _isinstance(m, _ModuleType):
                continue
            d = m.__dict__
            out.append((name, m, _dict(d)))
            for v in d.values():
                if _type(v) is type and _dict_of(v).get('__module__') == name:
                    out.append((None, v, _dict(_dict_of(v))))
        return out

    def rebound(snapshot):
        """Standard-library names the program rebound or deleted (at most 3): modules replaced in
        sys.modules, attributes of modules other than sys (whose stdout etc. programs may set)."""
        changed = []
        for name, m, saved in snapshot:
            if name is not None and _dict_get(_mods, name) is not m:
                changed.append('sys.modules[%r]' % name)
                if _len(changed) >= 3:
                    return changed
                continue
            if m is sys:
                continue
            d = m.__dict__ if name is not None else _dict(_dict_of(m))
            for k, v in _dict_items(saved):
                if _dict_get(d, k, rebound) is not v and not (_type(k) is _str and k.startswith('__')):
                    changed.append('%s.%s' % (name if name is not None else _type_name(m), k))
                    if _len(changed) >= 3:
                        return changed
        return changed

    def prompt_code(prompt):
        """The prompt alone as code (a stub with only a docstring is valid Python; one without a body gets
        'pass'), or None when it cannot stand alone: the test then sees only the entry point."""
        for source in (prompt, prompt.rstrip() + '\n    pass\n'):
            try:
                return _compile(source, '<string>', 'exec')
            except SyntaxError:
                pass
        return None

    def run(job):
        prompt = job.get('prompt')
        program = job['program'] if prompt is None else prompt + job['completion'] + '\n' + job['test'] + '\n' + 'check(%s)' % job['entry_point']
        lines = program.split('\n')
        result, tb, exc, suspicious = None, None, None, None
        pristine = _dict(builtins.__dict__)
        snapshot = module_snapshot()
        _armed[0] = True
        try:
            start_timer()
            try:
                if prompt is None:
                    _exec(_compile(program, '<string>', 'exec'), {'__builtins__': _builtins_dict})
                else:
                    head = prompt + job['completion']
                    a = {'__builtins__': _builtins_dict}
                    _exec(_compile(head, '<string>', 'exec'), a)
                    if job['entry_point'] not in a:
                        raise NameError("name '%s' is not defined" % job['entry_point'])
                    candidate = a[job['entry_point']]
                    _gc_callbacks.clear()
                    returned = []
                    def observed(*args, **kwargs):
                        value = candidate(*args, **kwargs)
                        if _len(returned) < 1:
                            name = foreign_eq(value)
                            if name:
                                returned.append(name)
                        return value
                    # The test sees the dataset's prompt (its helpers, e.g. poly) and pristine builtins.
                    b = {'__builtins__': _dict(pristine)}
                    code = prompt_code(prompt)
                    if code is not None:
                        _exec(code, b)
                    # Tests call the entry point by name too (HumanEval/33 compares with sort_third(...)).
                    b[job['entry_point']] = observed
                    pad = '\n' * (head + '\n').count('\n')
                    _exec(_compile(pad + job['test'], '<string>', 'exec'), b)
                    b['check'](observed)
                    if returned:
                        suspicious = 'returned an object of type %s, which is not a built-in type and may define its own == or arithmetic' % returned[0]
            finally:
                stop_timer()
            result = 'passed'
        except TimeoutException:
            result = 'timed out'
        except BaseException as e:
            try:
                start_timer()
                try:
                    exc = plain(_type_name(_type(e)))
                    result = 'failed: %s' % cap(plain(e))
                    message = cap(plain(e), 2000)
                    tb = cap(program_frames(e, lines) + ('%s: %s' % (exc, message) if message else exc))
                finally:
                    stop_timer()
            except TimeoutException:
                result = 'failed: <the exception could not be printed in time>'
        if result == 'passed' and prompt is not None:
            # Tests call the standard library (math.fabs…): a pass after the program rebound part of it
            # cannot be trusted, so it is not one.
            changed = rebound(snapshot)
            if changed:
                result = 'failed: the program rebound %s, which the tests may rely on' % ', '.join(changed)
                exc, suspicious = 'HarnessTampering', 'the program changed the standard library'
        return {'result': result, 'traceback': tb, 'exc': exc, 'suspicious': suspicious}

    # JSON by hand: json.dumps looks up json._default_encoder when called, which a program can replace.
    _escape = {i: '\\u%04x' % i for i in range(32)}
    _escape[34] = '\\"'
    _escape[92] = '\\\\'
    _translate = str.translate

    def encode(report):
        parts = []
        for key in ('result', 'traceback', 'exc', 'suspicious'):
            v = report[key]
            parts.append('"%s": %s' % (key, 'null' if v is None else '"' + _translate(v, _escape) + '"'))
        return '{' + ', '.join(parts) + '}'

    return run, encode
`;
