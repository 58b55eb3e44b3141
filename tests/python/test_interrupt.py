"""Ctrl-C cancels long calls; progress is reported."""
import _thread
import array
import mmap
import threading
import time

import pytest

import parchunk
from parchunk import _core


def _zero_pages(nbytes):
    return mmap.mmap(-1, nbytes, prot=mmap.PROT_READ)


def test_keyboard_interrupt_cancels_a_long_call():
    m = _zero_pages(1 << 30)
    timer = threading.Timer(0.2, _thread.interrupt_main)
    try:
        timer.start()
        t0 = time.perf_counter()
        with pytest.raises(KeyboardInterrupt):
            # uint8, 1 GiB, one thread: several seconds of first-touch page faults
            with _core._config(chunk_size=1 << 20):
                parchunk.sum(m, nthreads=1)
                time.sleep(30)  # pragma: no cover - only reached if the call finished
        elapsed = time.perf_counter() - t0
    finally:
        timer.cancel()
    # The call was stopped part-way (not run to the end and then interrupted).
    ts = _core.state()
    done, total = ts.b.new("uint64_t"), ts.b.new("uint64_t")
    assert ts.b.lib.parchunk_ctx_progress(ts.ctx, done, total) == 0
    assert total[0] == 1 << 30 and done[0] < total[0]
    # The ctx of this thread is usable again (cancel flag cleared).
    assert parchunk.sum(array.array("i", range(10))) == 45
    with _core._config(threaded_cutoff=0):
        assert parchunk.sum(array.array("i", range(10))) == 45
    m.close()
    assert elapsed < 30


def test_progress_callable():
    calls = []
    a = array.array("d", [1.0]) * 3_000_000
    with _core._config(chunk_size=10_000):
        assert parchunk.sum(a, progress=lambda d, t: calls.append((d, t))) == 3_000_000.0
    assert calls, "no progress reported"
    assert calls[-1] == (3_000_000, 3_000_000)
    dones = [d for d, _ in calls]
    assert dones == sorted(dones)
    assert all(t == 3_000_000 for _, t in calls)


def test_progress_on_small_input_reports_completion():
    calls = []
    assert parchunk.max([3, 1, 2], progress=lambda d, t: calls.append((d, t))) == 3
    assert calls[-1] == (3, 3)


def test_progress_true_and_bad_progress():
    a = array.array("d", [2.0] * 1000)
    assert parchunk.sum(a, progress=True) == 2000.0    # tqdm bar or silently nothing
    assert parchunk.sum(a, progress=False) == 2000.0
    with pytest.raises(TypeError, match="progress"):
        parchunk.sum(a, progress="yes")


def test_nested_call_from_progress_callback():
    inner = []
    a = array.array("q", range(1000))

    def cb(done, total):
        inner.append(parchunk.sum(a))   # the thread's ctx is busy: a private one is used

    assert parchunk.sum(a, progress=cb) == sum(a)
    assert inner and all(v == sum(a) for v in inner)


def test_error_inside_threaded_path_maps_status():
    with _core._config(threaded_cutoff=0):
        with pytest.raises(parchunk.EmptyError):
            parchunk.mean(b"")


def test_progress_true_shows_a_tqdm_bar(capsys):
    pytest.importorskip("tqdm")
    a = array.array("d", [1.0]) * 2_000_000
    with _core._config(chunk_size=10_000):
        assert parchunk.sum(a, progress=True) == 2_000_000.0
    err = capsys.readouterr().err
    assert "sum()" in err and "it" in err
