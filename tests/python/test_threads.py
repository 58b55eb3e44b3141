"""Thread settings, concurrency from Python threads, GIL release, fork."""
import array
import mmap
import multiprocessing
import os
import random
import sys
import threading
import time

import pytest

import parchunk
from parchunk import _core


def test_get_set_num_threads():
    default = parchunk.get_num_threads()
    assert isinstance(default, int) and default >= 1
    try:
        parchunk.set_num_threads(3)
        assert parchunk.get_num_threads() == 3
        with parchunk.threads(2):
            assert parchunk.get_num_threads() == 2
            with parchunk.threads(5):
                assert parchunk.get_num_threads() == 5
            assert parchunk.get_num_threads() == 2
        assert parchunk.get_num_threads() == 3
    finally:
        parchunk.set_num_threads(None)
    assert parchunk.get_num_threads() == default


def test_threads_context_is_per_python_thread():
    barrier = threading.Barrier(2, timeout=30)
    seen = {}

    def inside():
        with parchunk.threads(2):
            barrier.wait()          # the other thread looks now
            seen["inside"] = parchunk.get_num_threads()
            barrier.wait()

    def outside():
        barrier.wait()
        seen["outside"] = parchunk.get_num_threads()
        barrier.wait()

    parchunk.set_num_threads(3)
    try:
        ts = [threading.Thread(target=inside), threading.Thread(target=outside)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(30)
    finally:
        parchunk.set_num_threads(None)
    assert seen == {"inside": 2, "outside": 3}


@pytest.mark.parametrize("bad", [0, -1, 10**6, 1025])
def test_bad_nthreads_values(bad):
    a = array.array("d", [1.0, 2.0])
    with pytest.raises(parchunk.ArgumentError) as ei:
        parchunk.sum(a, nthreads=bad)
    assert isinstance(ei.value, ValueError) and "nthreads" in str(ei.value)
    with pytest.raises(ValueError):
        parchunk.set_num_threads(bad)
    with pytest.raises(ValueError):
        with parchunk.threads(bad):
            pass


@pytest.mark.parametrize("bad", ["2", True, False, 2.0, [2]])
def test_bad_nthreads_types(bad):
    a = array.array("d", [1.0, 2.0])
    for f in (parchunk.sum, parchunk.mean, parchunk.min, parchunk.max, parchunk.mean_abs_dev):
        with pytest.raises(TypeError, match="nthreads"):
            f(a, nthreads=bad)
    with pytest.raises(TypeError):
        parchunk.set_num_threads(bad)


def test_nthreads_accepts_index_types(np):
    assert parchunk.sum(np.arange(10), nthreads=np.int64(2)) == 45


def test_eight_python_threads_at_once():
    rng = random.Random(3)
    arrays = [array.array("q", [rng.randint(-10**12, 10**12) for _ in range(50_000)])
              for _ in range(8)]
    floats = [array.array("d", [rng.random() for _ in range(50_000)]) for _ in range(8)]
    with _core._config(chunk_size=1000, serial_cutoff=0):
        expected_f = [parchunk.sum(f, nthreads=1) for f in floats]
    errors, results = [], {}
    barrier = threading.Barrier(8, timeout=60)

    def work(i):
        try:
            barrier.wait()
            with _core._config(chunk_size=1000, serial_cutoff=0):
                with parchunk.threads(1 + i % 3):
                    for _ in range(20):
                        assert parchunk.sum(arrays[i]) == sum(arrays[i])
                        assert parchunk.sum(floats[i], nthreads=1 + i % 4) == expected_f[i]
                        assert parchunk.get_num_threads() == 1 + i % 3
            results[i] = True
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    assert not errors, errors
    assert len(results) == 8


def _zero_pages(nbytes):
    import mmap
    # Anonymous read-only mapping: reads see zero pages; no real memory used.
    return mmap.mmap(-1, nbytes, prot=mmap.PROT_READ)


def test_gil_is_released_during_a_call():
    """A Python thread keeps counting while a long direct (same-thread) call runs."""
    m = _zero_pages(256 << 20)
    stamps = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            stamps.append(time.perf_counter())

    t = threading.Thread(target=count)
    t.start()
    try:
        time.sleep(0.05)
        with _core._config(threaded_cutoff=1 << 62):   # force the direct call path
            t0 = time.perf_counter()
            assert parchunk.sum(m, nthreads=1) == 0
            t1 = time.perf_counter()
    finally:
        stop.set()
        t.join()
        m.close()
    during = [s for s in stamps if t0 + 0.2 * (t1 - t0) < s < t1 - 0.2 * (t1 - t0)]
    assert t1 - t0 > 0.01, "the call was too short to tell"
    assert len(during) > 100, f"counter advanced only {len(during)} times during the call"


def _child_sum(args):
    import parchunk as pc
    from parchunk import _core as core
    backend, values = args
    core._set_backend(backend)
    a = array.array("q", values)
    with core._config(chunk_size=100, serial_cutoff=0):
        return pc.sum(a, nthreads=2), pc.max(a, nthreads=2)


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="needs fork")
def test_multiprocessing_fork_after_use(backend):
    a = array.array("q", range(100_000))
    with _core._config(chunk_size=100, serial_cutoff=0):
        assert parchunk.sum(a, nthreads=2) == sum(a)    # the OpenMP pool now exists
    ctx = multiprocessing.get_context("fork")
    jobs = [(backend, list(range(i, i + 10_000))) for i in range(4)]
    with ctx.Pool(2) as pool:
        got = pool.map_async(_child_sum, jobs).get(timeout=120)
    assert got == [(sum(range(i, i + 10_000)), i + 9_999) for i in range(4)]


def test_short_lived_threads_free_their_contexts():
    """Each Python thread gets its own ctx, freed when the thread ends."""
    import gc
    import weakref
    refs = []

    def work():
        assert parchunk.sum(array.array("i", range(100))) == 4950
        refs.append(weakref.ref(_core.state()))

    for _ in range(50):
        t = threading.Thread(target=work)
        t.start()
        t.join()
    gc.collect()
    assert len(refs) == 50 and all(r() is None for r in refs)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux /proc")
def test_large_calls_reuse_their_runner_thread():
    """Calls above the threaded cutoff run on a runner thread that is reused:
    libgomp keeps a thread team per calling thread, so a new thread per call
    would start (and tear down) OpenMP workers every time. The process's
    thread count must not grow with the number of calls."""
    x = array.array("d", [1.0]) * (_core.THREADED_CUTOFF + 1)
    assert parchunk.sum(x, nthreads=2) == len(x)
    before = len(os.listdir("/proc/self/task"))
    for _ in range(30):
        assert parchunk.sum(x, nthreads=2) == len(x)
    assert len(os.listdir("/proc/self/task")) <= before
    # concurrent callers each get a runner; afterwards the runners are idle
    errors = []

    def work():
        try:
            for _ in range(5):
                assert parchunk.sum(x, nthreads=2) == len(x)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors
    assert len(_core._idle_runners) >= 1


def test_large_call_releases_its_buffer_before_returning():
    """Once a call on a runner thread returns, nothing holds the input's
    buffer export any more: an mmap can be closed at once (BufferError
    otherwise), every time, whichever thread finishes first."""
    for _ in range(100):
        m = mmap.mmap(-1, _core.THREADED_CUTOFF + 4096)
        assert parchunk.sum(m, nthreads=2) == 0
        m.close()
