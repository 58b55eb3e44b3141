"""parchunk.histogram against numpy.histogram (counts and edges identical)."""
import array
import math
import random

import pytest

import parchunk

DTYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float32", "float64"]


def random_data(np, rng, dtype, n):
    if dtype.startswith("float"):
        scale = 10.0 ** int(rng.integers(-20, 20))
        x = (rng.standard_normal(n) * scale).astype(dtype)
        x[: n // 3] = np.round(x[: n // 3] * 4 / scale) * scale / 4  # ties on edges
        return x
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)


def check_same(np, got, ref):
    counts, edges = got
    assert counts.dtype == np.int64 and np.array_equal(counts, ref[0])
    assert edges.dtype == ref[1].dtype and np.array_equal(edges, ref[1])


@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_numpy_random(np, dtype):
    rng = np.random.default_rng(DTYPES.index(dtype))
    for trial in range(40):
        n = int(rng.integers(0, 3000))
        bins = int(rng.choice([1, 2, 7, 10, 100, 513, 1000]))
        x = random_data(np, rng, dtype, n)
        if trial % 2 and n:
            lo, hi = sorted(float(v) for v in rng.choice(x.astype(np.float64), 2))
            if trial % 4 == 1:
                lo, hi = lo - abs(lo) * 0.1 - 0.5, hi + 0.25
            rng_arg = (lo, hi)
        else:
            rng_arg = None
        try:
            ref = np.histogram(x, bins, range=rng_arg)
        except ValueError:
            with pytest.raises(ValueError):
                parchunk.histogram(x, bins, range=rng_arg)
            continue
        check_same(np, parchunk.histogram(x, bins, range=rng_arg, nthreads=2), ref)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_values_on_and_next_to_the_edges(np, dtype):
    rng = random.Random(dtype)
    for _ in range(60):
        bins = rng.choice([1, 3, 10, 49, 100])
        lo = rng.gauss(0, 1) * 10.0 ** rng.randint(-5, 5)
        hi = lo + abs(rng.gauss(0, 1)) * 10.0 ** rng.randint(-3, 6)
        if dtype == "int64":
            lo, hi = float(int(lo)), float(int(hi) + 1)
        try:
            edges = np.histogram(np.zeros(1, dtype), bins, range=(lo, hi))[1]
        except ValueError:
            continue
        if dtype == "int64":
            vals = np.concatenate([np.floor(edges), np.ceil(edges)]).astype(dtype)
        else:
            vals = np.concatenate([edges, np.nextafter(edges, np.inf),
                                   np.nextafter(edges, -np.inf)]).astype(dtype)
        for rng_arg in ((lo, hi), None):
            check_same(np, parchunk.histogram(vals, bins, range=rng_arg),
                       np.histogram(vals, bins, range=rng_arg))


def test_numpy_rules(np):
    x = np.array([0.0, 0.5, 1.0, 1.5, 2.0, -0.1, 2.1, np.nan, np.inf, -np.inf])
    check_same(np, parchunk.histogram(x, 4, range=(0, 2)), np.histogram(x, 4, range=(0, 2)))
    y = np.array([3.0, 3.0])
    check_same(np, parchunk.histogram(y, 3), np.histogram(y, 3))  # widened by 0.5
    check_same(np, parchunk.histogram(y, 3, range=(3, 3)), np.histogram(y, 3, range=(3, 3)))
    e = np.array([], np.float32)
    check_same(np, parchunk.histogram(e, 4), np.histogram(e, 4))  # [0, 1]
    f = np.array([0.1, 0.2], np.float32)  # range compared as float32, like numpy
    check_same(np, parchunk.histogram(f, 1, range=(0.1, 0.2)),
               np.histogram(f, 1, range=(0.1, 0.2)))


def test_errors_where_numpy_raises(np):
    x = np.array([1.0, np.nan, 2.0])
    for call in (lambda m: m.histogram(x, 3),                         # autodetected nan
                 lambda m: m.histogram(np.array([1.0, np.inf]), 3),
                 lambda m: m.histogram(np.array([1.0, 2.0]), 3, range=(2, 1)),
                 lambda m: m.histogram(np.array([1.0, 2.0]), 3, range=(0, np.inf)),
                 lambda m: m.histogram(np.array([1.0, 2.0]), 0),
                 lambda m: m.histogram(np.array([1.0, 2.0]), 4, range=(1, 1 + 2 ** -52))):
        with pytest.raises(ValueError):
            call(np)
        with pytest.raises(ValueError):
            call(parchunk)
    with pytest.raises(parchunk.DomainError):
        parchunk.histogram(x, 3)


def test_bad_arguments():
    with pytest.raises(TypeError):
        parchunk.histogram([1.0], bins=2.5)
    with pytest.raises(TypeError):
        parchunk.histogram([1.0], bins=[0, 1, 2])  # only uniform bins
    with pytest.raises(TypeError):
        parchunk.histogram([1.0], range=(0, "1"))
    with pytest.raises(TypeError):
        parchunk.histogram([1.0], range=5)
    with pytest.raises(ValueError):
        parchunk.histogram([1.0], bins=-1)


def test_thread_identity_and_merge(np):
    rng = np.random.default_rng(11)
    x = rng.standard_normal(400_000)
    ref = parchunk.histogram(x, 100, range=(-3, 3), nthreads=1)
    for nthreads in (2, 3, 8):
        check_same(np, parchunk.histogram(x, 100, range=(-3, 3), nthreads=nthreads), ref)
    parts = [parchunk.histogram(p, 100, range=(-3, 3))[0] for p in np.array_split(x, 5)]
    assert np.array_equal(parchunk.histogram_merge(*parts), ref[0])
    with pytest.raises(ValueError):
        parchunk.histogram_merge(parts[0], parts[1][:5])
    big = np.full(100, 2 ** 62, np.int64)
    with pytest.raises(OverflowError):
        parchunk.histogram_merge(big, big)


def test_without_numpy_types():
    counts, edges = parchunk.histogram(array.array("d", [0.0, 0.25, 0.5, 1.0]), 2,
                                       range=(0, 1))
    assert list(counts) == [2, 2]
    assert list(edges) == [0.0, 0.5, 1.0]
    try:
        import numpy  # noqa: F401
    except ImportError:
        assert isinstance(counts, array.array) and counts.typecode == "q"
        assert isinstance(edges, array.array) and edges.typecode == "d"
    assert math.isclose(sum(counts), 4)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_subnormal_ranges(np, dtype):
    """Bins a few ulps wide in the subnormal range: rounding errors are
    absolute there, and the answers must still be numpy's."""
    rng = np.random.default_rng(17)
    tiny = float(np.finfo(dtype).smallest_subnormal)
    checked = 0
    for _ in range(300):
        bins = int(rng.choice([1, 3, 10, 100, 1000]))
        w = tiny * float(rng.integers(1, 100000))
        lo = tiny * float(rng.integers(-100000, 100000))
        hi = lo + w
        x = (lo + rng.random(300) * (w * 1.2) - 0.1 * w).astype(dtype)
        try:
            ref = np.histogram(x, bins, range=(lo, hi))
        except ValueError:
            with pytest.raises(ValueError):
                parchunk.histogram(x, bins, range=(lo, hi))
            continue
        check_same(np, parchunk.histogram(x, bins, range=(lo, hi)), ref)
        checked += 1
    assert checked > 50
