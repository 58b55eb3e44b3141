"""cumsum against numpy.cumsum and a stdlib reference, on both backends."""
from __future__ import annotations

import array
import itertools

import pytest

import parchunk
from parchunk import _core


def py_cumsum(values):
    return list(itertools.accumulate(values))


def test_cumsum_stdlib_ints_exact():
    x = array.array("q", [5, -3, 2**40, -7, 0, 11])
    r = parchunk.cumsum(x)
    assert list(r) == py_cumsum(x)


def test_cumsum_list_and_empty():
    assert list(parchunk.cumsum([1, 2, 3])) == [1, 3, 6]
    assert list(parchunk.cumsum([0.5, 0.25])) == [0.5, 0.75]
    assert len(parchunk.cumsum(array.array("d"))) == 0


def test_cumsum_overflow_raises_and_leaves_out():
    x = array.array("q", [1, 2**63 - 2, 5])
    out = array.array("q", [7, 7, 7])
    with pytest.raises(parchunk.ResultOverflowError) as e:
        parchunk.cumsum(x, out=out)
    assert isinstance(e.value, OverflowError)
    assert list(out) == [7, 7, 7]
    with pytest.raises(OverflowError):
        parchunk.cumsum(array.array("Q", [2**64 - 1, 1]))


@pytest.mark.parametrize("code", ["b", "B", "h", "H", "i", "I", "q", "Q"])
def test_cumsum_int_dtypes_match_numpy(np, code):
    rng = np.random.default_rng(7)
    dt = np.dtype(code)
    info = np.iinfo(dt)
    lo, hi = max(info.min, -2**40), min(info.max, 2**40)
    x = rng.integers(lo, hi, 50_001, dtype=dt, endpoint=True)
    r = parchunk.cumsum(x)
    ref = np.cumsum(x)
    assert r.dtype == ref.dtype
    assert np.array_equal(r, ref)


@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_cumsum_float_matches_numpy(np, dt):
    x = np.random.default_rng(3).random(200_003).astype(dt) + 0.5
    r = parchunk.cumsum(x)
    assert r.dtype == np.cumsum(x).dtype
    exact = np.cumsum(x.astype(np.float64))
    tol = 1e-12 if dt == "float64" else 1e-7
    assert np.max(np.abs(r - exact) / exact) <= tol


def test_cumsum_deterministic_across_threads(np):
    x = np.random.default_rng(5).standard_normal(30_011)
    results = []
    with _core._config(chunk_size=7, serial_cutoff=0):
        for t in (1, 2, 3, 8):
            results.append(parchunk.cumsum(x, nthreads=t).tobytes())
    assert all(r == results[0] for r in results)


def test_cumsum_out_and_in_place(np):
    x = np.arange(10, dtype=np.float64)
    out = np.empty(10)
    assert parchunk.cumsum(x, out=out) is out
    assert np.array_equal(out, np.cumsum(x))
    y = x.copy()
    parchunk.cumsum(y, out=y)
    assert np.array_equal(y, np.cumsum(x))
    f = np.ones(4, np.float32)
    wide = parchunk.cumsum(f, out=np.empty(4, np.float64))
    assert wide.dtype == np.float64 and list(wide) == [1, 2, 3, 4]


def test_cumsum_bad_out(np):
    x = np.arange(5, dtype=np.int32)
    with pytest.raises(parchunk.DTypeError):
        parchunk.cumsum(x, out=np.empty(5, np.int32))  # int32 cannot hold the int64 sums
    with pytest.raises(parchunk.ShapeError):
        parchunk.cumsum(x, out=np.empty(4, np.int64))
    ro = np.empty(5, np.int64)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        parchunk.cumsum(x, out=ro)
    with pytest.raises(parchunk.DTypeError):
        parchunk.cumsum("abc")
