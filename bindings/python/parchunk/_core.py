"""The runtime every wrapper uses: active backend, per-thread contexts,
thread settings, the call machinery (GIL release, Ctrl-C, progress, errors).

How a wrapper calls C (see bindings/python/README.md):

    a = as_input(x, "x")                 # zero-copy Input: a.ptr, a.n, a.dtype, a.kind
    b = backend()
    out = b.new("double")
    run("parchunk_mean", a.ptr, a.n, a.dtype, out,
        n=a.n, nthreads=nthreads, progress=progress, name="mean")
    return out[0]

run() prepends the calling thread's parchunk_ctx, applies nthreads /
threads() / set_num_threads() / _config(), releases the GIL (both backends
do), runs long calls (n >= the threaded cutoff) in a worker thread so that
Ctrl-C cancels them, reports progress, and turns a non-OK status into the
matching parchunk.Error subclass with the library's detail text.
"""
from __future__ import annotations

import contextlib
import contextvars
import _thread
import operator
import os
import threading
from typing import Any, Callable, Iterator, Optional, Union

from . import _backend, _decls
from ._errors import ArgumentError, Error, error_for

E = _decls.ENUMS
THREADS_MAX = E["PARCHUNK_THREADS_MAX"]
CHUNK_SIZE_MAX = E["PARCHUNK_CHUNK_SIZE_MAX"]
DEFAULT_SERIAL_CUTOFF = E["PARCHUNK_DEFAULT_SERIAL_CUTOFF"]

# Calls on at least this many items (work units: n, or n times the passes)
# run on a runner thread while the calling thread waits in short intervals
# (Ctrl-C, progress). Below it the call is direct: it takes milliseconds at
# most, and stays on the calling thread's OpenMP team. Two teams alive at
# once (the caller's and a runner's) outnumber 2 cores, and libgomp then
# stops spinning: every parallel region of either team pays a futex wake-up
# (5 -> 40 us for 1e5 elements), so the runner path is kept for long calls.
THREADED_CUTOFF = 1 << 24
POLL_INTERVAL = 0.05

# ------------------------------------------------------------ backends ----

_backends: dict = {}
_active: Optional[_backend.Backend] = None


def _get_backend(name: str) -> _backend.Backend:
    b = _backends.get(name)
    if b is None:
        b = _backends[name] = _backend.make(name)
    return b


def _set_backend(name: str) -> _backend.Backend:
    """Make `name` ("cffi", "ctypes" or "auto") the active backend.

    Internal: the test-suite switches backends in one process with it. Not
    thread-safe with calls running in other threads.
    """
    global _active
    if name == "auto":
        try:
            import cffi  # noqa: F401
            name = "cffi"
        except ImportError:
            name = "ctypes"
    _active = _get_backend(name)
    return _active


def backend() -> _backend.Backend:
    """The active backend object (see _backend.Backend for its interface)."""
    return _active  # type: ignore[return-value]


def _init_backend() -> None:
    name = os.environ.get("PARCHUNK_BACKEND", "auto").strip().lower() or "auto"
    if name not in ("auto", "cffi", "ctypes"):
        raise ImportError(f"PARCHUNK_BACKEND={name!r}: expected 'cffi', 'ctypes' or 'auto'")
    _set_backend(name)


# ------------------------------------------------------------ settings ----

_threads_var: contextvars.ContextVar[Optional[int]] = contextvars.ContextVar(
    "parchunk_threads", default=None)
_config_var: contextvars.ContextVar[Optional[tuple]] = contextvars.ContextVar(
    "parchunk_config", default=None)
_global_threads: Optional[int] = None


def check_nthreads(nthreads: Any, name: str = "nthreads") -> int:
    """Validate a thread count: an int >= 1 (bool and str are rejected)."""
    if type(nthreads) is not int:
        if isinstance(nthreads, bool) or not hasattr(type(nthreads), "__index__"):
            raise TypeError(f"{name} must be an int >= 1 or None, not {type(nthreads).__name__}")
        nthreads = operator.index(nthreads)
    if nthreads < 1 or nthreads > THREADS_MAX:
        raise ArgumentError(f"{name} must be between 1 and {THREADS_MAX}, got {nthreads}",
                            E["PARCHUNK_ERR_ARG"])
    return nthreads


def get_num_threads() -> int:
    """The number of threads a call made here would use.

    In order: the innermost ``with parchunk.threads(n)`` of this thread (or
    asyncio task), ``set_num_threads(n)``, the process default of the library
    ($PARCHUNK_NUM_THREADS, $OMP_NUM_THREADS, the CPUs this process may use).
    """
    n = _threads_var.get()
    if n is None:
        n = _global_threads
    if n is None:
        n = backend().lib.parchunk_ctx_get_threads(backend().NULL)
    return n


def set_num_threads(n: Optional[int]) -> None:
    """Set the process-wide thread count (None: back to the library default)."""
    global _global_threads
    _global_threads = None if n is None else check_nthreads(n, "n")


@contextlib.contextmanager
def threads(n: Optional[int]) -> Iterator[None]:
    """``with parchunk.threads(n):`` -- calls in this block, in this thread (or
    asyncio task) only, use n threads. Other Python threads are unaffected."""
    value = None if n is None else check_nthreads(n, "n")
    token = _threads_var.set(value)
    try:
        yield
    finally:
        _threads_var.reset(token)


@contextlib.contextmanager
def _config(chunk_size: Optional[int] = None, serial_cutoff: Optional[int] = None,
            threaded_cutoff: Optional[int] = None) -> Iterator[None]:
    """Internal (tests, benchmarks): override the chunk size (items per chunk,
    0 = the library default), the serial cutoff and the threaded cutoff of
    the calls in this block of this thread. Results depend on the chunk size
    only where the C documentation says so (floating-point sums)."""
    if chunk_size is not None and not 0 <= chunk_size <= CHUNK_SIZE_MAX:
        raise ArgumentError(f"chunk_size must be in 0..{CHUNK_SIZE_MAX}")
    if serial_cutoff is not None and serial_cutoff < 0:
        raise ArgumentError("serial_cutoff must be >= 0")
    old = _config_var.get() or (0, DEFAULT_SERIAL_CUTOFF, THREADED_CUTOFF)
    new = (old[0] if chunk_size is None else chunk_size,
           old[1] if serial_cutoff is None else serial_cutoff,
           old[2] if threaded_cutoff is None else threaded_cutoff)
    token = _config_var.set(new)
    try:
        yield
    finally:
        _config_var.reset(token)


# ------------------------------------------------- per-thread contexts ----


class _ThreadState:
    """One parchunk_ctx per (Python thread, backend), settings mirrored here
    so a call only touches the ctx when a setting changes."""

    __slots__ = ("b", "ctx", "threads", "chunk", "cutoff", "busy", "outs", "fns", "__weakref__")

    def __init__(self, b: _backend.Backend) -> None:
        self.b = b
        holder = b.new("parchunk_ctx *")
        status = b.lib.parchunk_ctx_new(holder)
        if status != 0:
            raise error_for(status, "parchunk_ctx_new failed")
        self.ctx = holder[0]
        self.threads = 0
        self.chunk = 0
        self.cutoff = DEFAULT_SERIAL_CUTOFF
        self.busy = False
        self.outs: dict = {}
        self.fns: dict = {}

    def out(self, ctype: str):
        """A cached one-element output cell of ctype (read it before the next call)."""
        o = self.outs.get(ctype)
        if o is None:
            o = self.outs[ctype] = self.b.new(ctype)
        return o

    def take(self, ctype: str):
        """Check a one-element output cell of ctype out of the cache (a fresh
        one if it is out already); hand it back with give() after reading it.
        Unlike out(), safe when a signal handler or a __del__ calls parchunk
        between the C call and the read: the nested call gets another cell."""
        o = self.outs.pop(ctype, None)
        return self.b.new(ctype) if o is None else o

    def give(self, ctype: str, cell):
        self.outs[ctype] = cell

    def __del__(self) -> None:
        try:
            self.b.lib.parchunk_ctx_free(self.ctx)
        except Exception:  # interpreter shutdown
            pass


_local = threading.local()


def _thread_state() -> _ThreadState:
    b = _active
    ts = getattr(_local, "ts", None)
    if ts is not None and ts.b is b and not ts.busy:
        return ts
    states = getattr(_local, "states", None)
    if states is None:
        states = _local.states = {}
    ts = states.get(b.name)  # type: ignore[union-attr]
    if ts is None or ts.b is not b:
        ts = states[b.name] = _ThreadState(b)  # type: ignore[union-attr]
    if ts.busy:  # a nested call (e.g. from a progress callback): a private ctx
        return _ThreadState(b)  # type: ignore[arg-type]
    _local.ts = ts
    return ts


#: state() -> the calling thread's _ThreadState for the active backend
#: (ts.ctx, ts.take(ctype)/ts.give() cached output cells, ts.b the backend).
state = _thread_state


def _apply_settings(ts: _ThreadState, nthreads: Optional[int]) -> tuple:
    if nthreads is None:
        nthreads = _threads_var.get()
        if nthreads is None:
            nthreads = _global_threads or 0
    else:
        nthreads = check_nthreads(nthreads)
    return _sync_settings(ts, nthreads)


def _sync_settings(ts: _ThreadState, nthreads: int):
    """Bring ts.ctx in line with the resolved thread count (0 = library
    default) and the _config() of this context; return the threaded cutoff."""
    lib = ts.b.lib
    if nthreads != ts.threads:
        lib.parchunk_ctx_set_threads(ts.ctx, nthreads)
        ts.threads = nthreads
    cfg = _config_var.get()
    if cfg is None:
        chunk, cutoff, threaded = 0, DEFAULT_SERIAL_CUTOFF, THREADED_CUTOFF
    else:
        chunk, cutoff, threaded = cfg
    if chunk != ts.chunk:
        lib.parchunk_ctx_set_chunk_size(ts.ctx, chunk)
        ts.chunk = chunk
    if cutoff != ts.cutoff:
        lib.parchunk_ctx_set_serial_cutoff(ts.ctx, cutoff)
        ts.cutoff = cutoff
    return threaded


# ------------------------------------------------------------- calling ----

ProgressArg = Union[None, bool, Callable[[int, int], Any]]


def raise_status(ts: _ThreadState, status: int, name: str) -> None:
    detail = ts.b.string(ts.b.lib.parchunk_ctx_last_error(ts.ctx))
    raise error_for(status, f"{name}: {detail}" if detail else name)


def run(cname: str, *args: Any, n: int, nthreads: Optional[int] = None,
        progress: ProgressArg = None, name: Optional[str] = None,
        ts: Optional[_ThreadState] = None) -> int:
    """Call C function `cname` as cname(ctx, *args) and check its status.

    n         the call's item count (decides direct vs. worker-thread call,
              and the progress total when the library reports none)
    nthreads  None or int >= 1 (validated here)
    progress  None, True (tqdm bar if tqdm is installed) or a callable(done, total)
    name      the Python name for error messages (default: cname without "parchunk_")
    ts        a state from state() when the caller took cells with ts.take()
    Returns PARCHUNK_OK (0); raises the parchunk.Error subclass of any other status.
    """
    if ts is None:
        ts = _thread_state()
    # _apply_settings() inlined for the common case (no change since the last call).
    if nthreads is None:
        nthreads = _threads_var.get()
        if nthreads is None:
            nthreads = _global_threads or 0
    elif type(nthreads) is not int or nthreads < 1 or nthreads > THREADS_MAX:
        nthreads = check_nthreads(nthreads)
    cfg = _config_var.get()
    if nthreads != ts.threads or cfg is not None or ts.chunk != 0 \
            or ts.cutoff != DEFAULT_SERIAL_CUTOFF:
        threaded_cutoff = _sync_settings(ts, nthreads)
    else:
        threaded_cutoff = THREADED_CUTOFF
    func = ts.fns.get(cname)
    if func is None:
        func = ts.fns[cname] = getattr(ts.b.lib, cname)
    if progress is None or progress is False:
        if n < threaded_cutoff:
            status = func(ts.ctx, *args)
        else:
            status = _run_threaded(ts, func, args, None)
    else:
        status = _run_threaded(ts, func, args, _make_reporter(progress, name or cname, n))
    if status != 0:
        raise_status(ts, status, name or cname[len("parchunk_"):] + "()")
    return status


def _make_reporter(progress: ProgressArg, label: str, n: int):
    if progress is True:
        try:
            from tqdm.auto import tqdm  # type: ignore
        except ImportError:
            return None
        return _TqdmReporter(tqdm, label)
    if callable(progress):
        return progress
    raise TypeError(f"progress must be None, a bool or a callable(done, total), "
                    f"not {type(progress).__name__}")


class _TqdmReporter:
    def __init__(self, tqdm, label: str) -> None:
        self.tqdm = tqdm
        self.label = label
        self.bar = None
        self.last = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = self.tqdm(total=total, desc=self.label, unit="it", unit_scale=True,
                                 leave=False)
        if done > self.last:
            self.bar.update(done - self.last)
            self.last = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _Runner:
    """A long-lived thread that makes the C calls _run_threaded hands it.

    libgomp keeps one thread team per calling OS thread: a fresh thread per
    call would create its OpenMP workers on every call and tear them down
    when it ends (0.5 to several ms per 2-thread call on 2 cores, more than
    the whole call for 1e7 doubles). Runners are reused instead: an idle one
    takes the next call; one is created only when all are busy (nested or
    concurrent calls), and one idle for IDLE_SECONDS ends (its team with it:
    see THREADED_CUTOFF for why a second team must not linger).
    """

    IDLE_SECONDS = 0.2
    __slots__ = ("go", "job")

    def __init__(self) -> None:
        self.go = _thread.allocate_lock()
        self.go.acquire()
        self.job: Optional[Callable[[_Runner], None]] = None
        _thread.start_new_thread(self._loop, ())

    def _loop(self) -> None:
        while True:
            if not self.go.acquire(True, self.IDLE_SECONDS):
                with _runners_lock:
                    if self in _idle_runners:  # no call was handed over: retire
                        _idle_runners.remove(self)
                        return
                self.go.acquire()  # a caller took this runner just now
            job, self.job = self.job, None
            job(self)  # type: ignore[misc]  # never raises (see _run_threaded)
            del job  # an idle runner must not keep the last call's buffers alive


_runners_lock = _thread.allocate_lock()
_idle_runners: list = []


def _runner_start(job: Callable[[_Runner], None]) -> None:
    """Run job(runner) on an idle runner (a new one if none is idle). job
    must put the runner back on _idle_runners before it signals its caller,
    so that the caller's next call finds it idle."""
    with _runners_lock:
        r = _idle_runners.pop() if _idle_runners else None
    if r is None:
        r = _Runner()
    r.job = job
    r.go.release()


def _runners_after_fork() -> None:
    # Only the forking thread exists in the child: no runner survived.
    global _runners_lock
    _runners_lock = _thread.allocate_lock()
    _idle_runners.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_runners_after_fork)


def _run_threaded(ts: _ThreadState, func, args: tuple, report) -> int:
    """Run func(ctx, *args) on a runner thread; the calling thread waits in
    short, signal-interruptible intervals, polling the progress counters.

    Not threading.Thread.join(): on CPython < 3.13 a join interrupted by
    Ctrl-C can mark a still-running thread as stopped (bpo-45274's fix
    releases the lock the *worker* holds). A plain lock plus a flag has no
    such state to corrupt.
    """
    b = ts.b
    lib = b.lib
    ctx = ts.ctx
    result: list = [None]
    error: list = []
    finished: list = []
    wakeup = _thread.allocate_lock()
    wakeup.acquire()

    # The runner reaches the call's arguments only through `call`, emptied
    # before the caller wakes up: once the call returns, nothing on the runner
    # thread holds the input buffers (the caller may close an mmap at once).
    call = [func, args]

    def work(runner: _Runner) -> None:
        try:
            result[0] = call[0](ctx, *call[1])  # GIL released by the backend
        except BaseException as exc:  # pragma: no cover - argument conversion errors
            error.append(exc)
        finally:
            call.clear()
            with _runners_lock:
                _idle_runners.append(runner)
            finished.append(True)
            wakeup.release()

    done_p = b.new("uint64_t")
    total_p = b.new("uint64_t")

    def poll() -> None:
        if report is not None and lib.parchunk_ctx_progress(ctx, done_p, total_p) == 0:
            report(int(done_p[0]), int(total_p[0]))

    ts.busy = True
    try:
        _runner_start(work)
        try:
            while not finished:
                wakeup.acquire(True, POLL_INTERVAL)
                if not finished:
                    poll()
        except BaseException:
            # KeyboardInterrupt (or another async exception): stop the C call
            # within a chunk, wait for it, leave the ctx usable, re-raise.
            lib.parchunk_ctx_cancel(ctx)
            while not finished:
                try:
                    wakeup.acquire(True, POLL_INTERVAL)
                except BaseException:  # a second Ctrl-C: the call is already stopping
                    pass
            lib.parchunk_ctx_clear_cancel(ctx)
            raise
        if error:
            raise error[0]
        if result[0] == 0:
            poll()
    finally:
        ts.busy = False
        if report is not None and hasattr(report, "close"):
            report.close()
    return result[0]  # type: ignore[return-value]


__all__ = ["Error", "backend", "state", "run", "raise_status", "check_nthreads",
           "get_num_threads", "set_num_threads", "threads"]
