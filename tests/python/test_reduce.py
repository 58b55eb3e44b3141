"""sum / mean / min / max / mean_abs_dev against NumPy and the stdlib."""
import array
import math
import random
import statistics

import pytest

import parchunk
from parchunk import _core

INT_CODES = ["b", "B", "h", "H", "i", "I", "l", "L", "q", "Q"]


def _rand_ints(code, n, rng):
    bits = array.array(code).itemsize * 8
    if code.isupper():
        lo, hi = 0, (1 << bits) - 1
    else:
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return array.array(code, [rng.randint(lo, hi) for _ in range(n)])


@pytest.mark.parametrize("code", INT_CODES)
def test_int_sum_is_exact_python_int(code):
    rng = random.Random(code)
    a = _rand_ints(code, 5003, rng)
    got = parchunk.sum(a)
    assert type(got) is int and got == sum(a)
    assert parchunk.min(a) == min(a) and type(parchunk.min(a)) is int
    assert parchunk.max(a) == max(a) and type(parchunk.max(a)) is int
    assert parchunk.mean(a) == pytest.approx(statistics.mean(a), rel=1e-15)


def test_int_sum_beyond_int64():
    a = array.array("q", [2**63 - 1] * 1000)
    assert parchunk.sum(a) == (2**63 - 1) * 1000
    a = array.array("q", [-(2**63)] * 1000)
    assert parchunk.sum(a) == -(2**63) * 1000
    a = array.array("Q", [2**64 - 1] * 999)
    assert parchunk.sum(a) == (2**64 - 1) * 999


@pytest.mark.parametrize("code", ["f", "d"])
def test_float_reductions_vs_fsum(code):
    rng = random.Random(1)
    a = array.array(code, [rng.uniform(-1e3, 1e3) for _ in range(10007)])
    s = parchunk.sum(a)
    assert type(s) is float
    assert s == pytest.approx(math.fsum(a), rel=1e-12, abs=1e-9)
    assert parchunk.mean(a) == pytest.approx(math.fsum(a) / len(a), rel=1e-12, abs=1e-12)
    assert parchunk.min(a) == min(a) and parchunk.max(a) == max(a)
    c = 12.5
    mad = math.fsum(abs(v - c) for v in a) / len(a)
    assert parchunk.mean_abs_dev(a, c) == pytest.approx(mad, rel=1e-12)
    m = math.fsum(a) / len(a)
    mad0 = math.fsum(abs(v - m) for v in a) / len(a)
    assert parchunk.mean_abs_dev(a) == pytest.approx(mad0, rel=1e-12)


def test_numpy_oracle(np):
    rng = np.random.default_rng(5)
    for dt in [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64,
               np.uint64, np.float32, np.float64]:
        if np.dtype(dt).kind == "f":
            x = rng.standard_normal(30011).astype(dt)
        else:
            info = np.iinfo(dt)
            x = rng.integers(info.min, info.max, 30011, dtype=dt, endpoint=True)
        if x.dtype.kind == "f":
            assert parchunk.sum(x) == pytest.approx(float(np.sum(x, dtype=np.float64)), rel=1e-9, abs=1e-9)
        else:
            assert parchunk.sum(x) == sum(int(v) for v in x.tolist())
        assert parchunk.min(x) == x.min() and parchunk.max(x) == x.max()
        assert parchunk.mean(x) == pytest.approx(float(np.mean(x, dtype=np.float64)), rel=1e-9, abs=1e-12)
        xd = x.astype(np.float64)
        assert parchunk.mean_abs_dev(x, 3.0) == pytest.approx(float(np.abs(xd - 3.0).mean()), rel=1e-9)
        assert parchunk.mean_abs_dev(x) == pytest.approx(float(np.abs(xd - xd.mean()).mean()), rel=1e-9)


def test_the_classic_workload(np):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 101, 100_000).astype(np.int32)
    assert parchunk.mean_abs_dev(x, 50) == pytest.approx(float(np.abs(x - 50).mean()), rel=1e-14)


def test_2d_array_is_read_in_c_order(np):
    x = np.arange(1000 * 7, dtype=np.float64).reshape(1000, 7)
    assert parchunk.sum(x) == float(x.sum())


def test_empty():
    assert parchunk.sum(array.array("d")) == 0.0 and type(parchunk.sum(array.array("d"))) is float
    assert parchunk.sum(array.array("i")) == 0 and type(parchunk.sum(array.array("i"))) is int
    assert parchunk.sum([]) == 0
    for f in (parchunk.mean, parchunk.min, parchunk.max, parchunk.mean_abs_dev):
        with pytest.raises(parchunk.EmptyError) as ei:
            f(b"")
        assert isinstance(ei.value, ValueError)
        assert ei.value.code == parchunk.EmptyError.code and ei.value.status == "ERR_EMPTY"


def test_nan_propagates():
    a = array.array("d", [1.0, float("nan"), 3.0] * 1000)
    for f in (parchunk.sum, parchunk.mean, parchunk.min, parchunk.max, parchunk.mean_abs_dev):
        assert math.isnan(f(a))
    assert math.isnan(parchunk.mean_abs_dev(array.array("d", [1.0]), float("nan")))


def test_inf():
    a = array.array("d", [1.0, float("inf")])
    assert parchunk.sum(a) == float("inf")
    assert math.isnan(parchunk.sum(array.array("d", [float("inf"), float("-inf")])))


@pytest.mark.parametrize("nthreads", [1, 2, 3, 8])
def test_bit_identical_for_any_thread_count(nthreads):
    rng = random.Random(7)
    a = array.array("d", [rng.uniform(-1, 1) * 10 ** rng.randint(-5, 5) for _ in range(20011)])
    i = array.array("q", [rng.randint(-(2**62), 2**62) for _ in range(20011)])
    with _core._config(chunk_size=7, serial_cutoff=0):
        ref = [parchunk.sum(a, nthreads=1), parchunk.mean(a, nthreads=1),
               parchunk.mean_abs_dev(a, nthreads=1), parchunk.sum(i, nthreads=1),
               parchunk.min(a, nthreads=1), parchunk.max(i, nthreads=1)]
        got = [parchunk.sum(a, nthreads=nthreads), parchunk.mean(a, nthreads=nthreads),
               parchunk.mean_abs_dev(a, nthreads=nthreads), parchunk.sum(i, nthreads=nthreads),
               parchunk.min(a, nthreads=nthreads), parchunk.max(i, nthreads=nthreads)]
        with parchunk.threads(nthreads):
            got2 = [parchunk.sum(a), parchunk.mean(a), parchunk.mean_abs_dev(a), parchunk.sum(i),
                    parchunk.min(a), parchunk.max(i)]
    assert [float(v).hex() for v in got] == [float(v).hex() for v in ref]
    assert got == ref == got2
    assert got[3] == sum(i)


def test_results_are_python_scalars(np):
    x = np.arange(10, dtype=np.float32)
    for f in (parchunk.sum, parchunk.mean, parchunk.min, parchunk.max, parchunk.mean_abs_dev):
        assert type(f(x)) is float
    x = np.arange(10, dtype=np.uint16)
    for f in (parchunk.sum, parchunk.min, parchunk.max):
        assert type(f(x)) is int


@pytest.mark.parametrize("code", ["b", "B", "h", "H", "i", "I"])
def test_mean_abs_dev_small_ints_integral_center_is_exact(code):
    """Integers of up to 32 bits with an integral center: the sum of |x - c| is
    exact (rounded once per chunk), so while it stays below 2**53 the mean is
    the correctly rounded exact quotient, for any thread count and chunk size."""
    from fractions import Fraction
    rng = random.Random(code)
    bits = array.array(code).itemsize * 8
    lo = 0 if code.isupper() else -(1 << (bits - 1))
    hi = lo + (1 << bits) - 1
    # the extremes of the 32-bit domain give |x - c| up to 2**32 - 1
    dom_lo, dom_hi = (0, 2**32 - 1) if code == "I" else (-2**31, 2**31 - 1)
    a = _rand_ints(code, 20011, rng)
    a[:4] = array.array(code, [lo, hi, lo, hi])
    for c in (0, 50, lo, hi, dom_lo, dom_hi, rng.randint(dom_lo, dom_hi)):
        want = float(Fraction(sum(abs(v - c) for v in a), len(a)))
        for nt in (1, 2, 3, 8):
            assert parchunk.mean_abs_dev(a, c, nthreads=nt) == want, (c, nt)
        with _core._config(chunk_size=4099, serial_cutoff=0):
            assert parchunk.mean_abs_dev(a, c, nthreads=3) == want, c
    # centers outside the domain or not integral take the pairwise path
    for c in (dom_lo - 1, dom_hi + 1, 0.5, 2.0**40):
        want = float(Fraction(sum(abs(Fraction(v) - Fraction(c)) for v in a), len(a)))
        assert parchunk.mean_abs_dev(a, c) == pytest.approx(want, rel=1e-13)


def test_mean_abs_dev_center_types():
    a = array.array("i", [1, 2, 3, 4])
    assert parchunk.mean_abs_dev(a, 2) == 1.0
    assert parchunk.mean_abs_dev(a, 2.5) == 1.0
    assert parchunk.mean_abs_dev(a) == 1.0
    for bad in ("2", b"2", 1j, [2], True):
        with pytest.raises(TypeError, match="center"):
            parchunk.mean_abs_dev(a, bad)
