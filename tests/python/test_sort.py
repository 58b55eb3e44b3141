"""sort / argsort against numpy.sort / numpy.argsort(kind='stable') and
sorted(), on both backends."""
from __future__ import annotations

import array
import math
import struct

import pytest

import parchunk
from parchunk import _core

DTYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32",
          "float64"]


def test_sort_stdlib():
    x = array.array("d", [3.0, -1.0, float("nan"), -0.0, 0.0, float("-inf"), 2.5])
    r = parchunk.sort(x)
    assert list(r)[:6] == sorted(v for v in x if not math.isnan(v))
    assert math.isnan(r[-1])
    assert math.copysign(1, r[2]) == -1  # -0.0 before +0.0
    ints = array.array("q", [5, -2**63, 2**63 - 1, 0, 5])
    assert list(parchunk.sort(ints)) == sorted(ints)
    assert list(parchunk.argsort([3, 1, 2, 1])) == [1, 3, 2, 0]
    assert len(parchunk.sort([])) == 0


@pytest.mark.parametrize("dt", DTYPES)
def test_sort_matches_numpy(np, dt):
    rng = np.random.default_rng(11)
    n = 100_003
    if dt.startswith("float"):
        x = (rng.standard_normal(n) * 1e3).astype(dt)
        x[::97] = np.nan
        x[5::101] = -np.nan
        x[7::89] = 0.0
        x[9::83] = -0.0
        x[11::1009] = np.inf
        x[13::1013] = -np.inf
    else:
        x = rng.integers(np.iinfo(dt).min, np.iinfo(dt).max, n, dtype=dt, endpoint=True)
    r = parchunk.sort(x)
    assert r.dtype == x.dtype
    assert np.array_equal(r, np.sort(x), equal_nan=True)
    i = parchunk.argsort(x)
    assert i.dtype == np.int64
    assert np.array_equal(i, np.argsort(x, kind="stable"))


def test_sort_zero_and_nan_order(np):
    x = np.array([np.nan, 1.0, -np.nan, 0.0, -0.0, -np.inf])
    r = parchunk.sort(x)
    assert r[0] == -np.inf and np.signbit(r[1]) and not np.signbit(r[2])
    assert np.isnan(r[4:]).all()
    assert np.array_equal(parchunk.argsort(x), np.argsort(x, kind="stable"))


def test_sort_in_place_and_out(np):
    x = np.random.default_rng(2).random(5000)
    ref = np.sort(x)
    out = np.empty_like(x)
    assert parchunk.sort(x, out=out) is out
    assert np.array_equal(out, ref)
    y = x.copy()
    assert parchunk.sort(y, out=y) is y
    assert np.array_equal(y, ref)


def test_argsort_stable_ties(np):
    x = np.random.default_rng(4).integers(0, 10, 200_000).astype(np.int16)
    assert np.array_equal(parchunk.argsort(x), np.argsort(x, kind="stable"))


def test_sort_deterministic_across_threads(np):
    x = np.random.default_rng(9).standard_normal(40_000)
    with _core._config(chunk_size=7, serial_cutoff=0):
        rs = [parchunk.sort(x, nthreads=t).tobytes() for t in (1, 2, 3, 8)]
        ai = [parchunk.argsort(x, nthreads=t).tobytes() for t in (1, 2, 3, 8)]
    assert all(r == rs[0] for r in rs) and all(a == ai[0] for a in ai)


def test_sort_keeps_nan_bits(np):
    bits = np.array([0x7FF8000000000001, 0xFFF8000000000002, 0x3FF0000000000000], np.uint64)
    x = bits.view(np.float64)
    r = parchunk.sort(x).view(np.uint64)
    assert r[0] == 0x3FF0000000000000
    assert sorted(r[1:].tolist()) == sorted(bits[:2].tolist())


def test_sort_bad_input(np):
    x = np.arange(5.0)
    with pytest.raises(parchunk.DTypeError):
        parchunk.sort(x, out=np.empty(5, np.float32))
    with pytest.raises(parchunk.ShapeError):
        parchunk.sort(x, out=np.empty(6))
    with pytest.raises(parchunk.DTypeError):
        parchunk.sort(np.array([True, False]))
    with pytest.raises(ValueError, match="read-only"):
        parchunk.sort(x, out=bytes(40))
    _ = struct
