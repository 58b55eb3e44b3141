"""var / std / stats / argmin / argmax / dot / count_nonzero and skipna=True,
against NumPy (np fixture) and exact stdlib oracles (fractions, statistics)."""
import array
import math
import pickle
import random
import statistics
import warnings
from fractions import Fraction

import pytest

import parchunk
from parchunk import _core

INT_CODES = ["b", "B", "h", "H", "i", "I", "l", "L", "q", "Q"]
ALL_CODES = INT_CODES + ["f", "d"]
NP_DTYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
             "float32", "float64"]
NAN = float("nan")


def _rand(code, n, rng):
    if code in "fd":
        return array.array(code, [rng.uniform(-1e3, 1e3) for _ in range(n)])
    bits = array.array(code).itemsize * 8
    lo, hi = (0, (1 << bits) - 1) if code.isupper() else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
    return array.array(code, [rng.randint(lo, hi) for _ in range(n)])


def exact_var(xs, ddof=0):
    """The exact variance of the (float/int) values, as a Fraction."""
    fs = [Fraction(v) for v in xs]
    m = sum(fs) / len(fs)
    return sum((f - m) ** 2 for f in fs) / (len(fs) - ddof)


def rel(a, b):
    return abs(a - b) / abs(b) if b else abs(a)


# ------------------------------------------------------------- var, std ----

@pytest.mark.parametrize("code", ALL_CODES)
@pytest.mark.parametrize("ddof", [0, 1, 3])
def test_var_std_vs_exact_fractions(code, ddof):
    rng = random.Random(f"{code}{ddof}")
    a = _rand(code, 1003, rng)
    ref = exact_var(a, ddof)
    v = parchunk.var(a, ddof=ddof)
    assert type(v) is float
    assert rel(Fraction(v), ref) < 1e-13
    s = parchunk.std(a, ddof=ddof)
    assert rel(s, math.sqrt(ref)) < 1e-13
    assert parchunk.std(a, ddof=ddof) == math.sqrt(v)  # std is sqrt of the same variance


def test_var_matches_statistics_pvariance():
    rng = random.Random(5)
    xs = [rng.uniform(-5, 5) for _ in range(777)]
    fr = [Fraction(v) for v in xs]
    assert rel(parchunk.var(xs), float(statistics.pvariance(fr))) < 1e-13
    assert rel(parchunk.var(xs, ddof=1), float(statistics.variance(fr))) < 1e-13
    assert rel(parchunk.std(xs, ddof=1), statistics.stdev(xs)) < 1e-12


@pytest.mark.parametrize("offset", [1e9, 1e12, -3e10])
def test_var_large_offset_where_naive_one_pass_fails(offset):
    rng = random.Random(int(offset) % 97)
    xs = [offset + rng.gauss(0, 1) for _ in range(20000)]
    ref = exact_var(xs)
    # the naive one-pass formula E[x^2] - E[x]^2 in double: wrong in every digit
    naive = math.fsum(v * v for v in xs) / len(xs) - (math.fsum(xs) / len(xs)) ** 2
    assert rel(Fraction(naive), ref) > 1e-3
    for nthreads in (1, 3):
        assert rel(Fraction(parchunk.var(xs, nthreads=nthreads)), ref) < 1e-12
    st = parchunk.stats(xs)
    assert rel(Fraction(st.var), ref) < 1e-12


def test_var_large_offset_vs_numpy(np):
    rng = np.random.default_rng(3)
    x = 1e9 + rng.standard_normal(100_003)
    for ddof in (0, 1, 2):
        exact = exact_var(x.tolist(), ddof)
        assert rel(Fraction(parchunk.var(x, ddof=ddof)), exact) < 1e-12
        assert parchunk.var(x, ddof=ddof) == pytest.approx(np.var(x, ddof=ddof), rel=1e-9)
        assert parchunk.std(x, ddof=ddof) == pytest.approx(np.std(x, ddof=ddof), rel=1e-9)


@pytest.mark.parametrize("dt", NP_DTYPES)
def test_var_std_all_dtypes_vs_numpy(np, dt):
    rng = np.random.default_rng(7)
    info = np.iinfo(dt) if dt[0] in "iu" else None
    if info is not None:
        x = rng.integers(info.min, info.max, size=4097, dtype=dt, endpoint=True)
    else:
        x = (rng.standard_normal(4097) * 100 + 20).astype(dt)
    assert parchunk.var(x) == pytest.approx(float(np.var(x.astype(np.float64))), rel=1e-12)
    assert parchunk.std(x, ddof=1) == pytest.approx(float(np.std(x.astype(np.float64), ddof=1)),
                                                    rel=1e-12)


def test_var_nan_inf_and_errors():
    assert math.isnan(parchunk.var([1.0, NAN, 2.0]))
    assert math.isnan(parchunk.var([1.0, math.inf]))
    assert parchunk.var([5.0]) == 0.0
    with pytest.raises(parchunk.EmptyError):
        parchunk.var([])
    with pytest.raises(parchunk.ArgumentError, match="ddof"):
        parchunk.var([1.0, 2.0], ddof=-1)
    with pytest.raises(ValueError):
        parchunk.var([1.0, 2.0], ddof=2)  # n <= ddof
    with pytest.raises(TypeError, match="ddof"):
        parchunk.std([1.0, 2.0], ddof=True)
    with pytest.raises(TypeError, match="ddof"):
        parchunk.std([1.0, 2.0], ddof=1.0)
    with pytest.raises(parchunk.DTypeError):
        parchunk.var("abc")


# ------------------------------------------------------------------ stats ----

@pytest.mark.parametrize("code", ALL_CODES)
def test_stats_agrees_with_the_single_functions(code):
    rng = random.Random(code)
    a = _rand(code, 2001, rng)
    st = parchunk.stats(a)
    assert isinstance(st, parchunk.Stats) and st._fields == ("count", "sum", "mean", "var",
                                                              "min", "max")
    assert st.count == len(a)
    assert st.sum == parchunk.sum(a) and type(st.sum) is type(parchunk.sum(a))
    assert st.mean == parchunk.mean(a)
    assert st.var == parchunk.var(a)
    assert st.min == parchunk.min(a) == min(a) and st.max == parchunk.max(a) == max(a)
    assert type(st.min) is (float if code in "fd" else int)
    if code not in "fd":
        assert st.sum == sum(a)  # exact int
    assert pickle.loads(pickle.dumps(st)) == st


def test_stats_exact_int64_extremes():
    a = array.array("q", [2**63 - 1, -(2**63), 2**63 - 1, 5])
    st = parchunk.stats(a)
    assert st.sum == sum(a) and st.min == -(2**63) and st.max == 2**63 - 1
    u = array.array("Q", [2**64 - 1] * 3)
    assert parchunk.stats(u).sum == 3 * (2**64 - 1) and parchunk.stats(u).max == 2**64 - 1


def test_stats_nan_and_skipna():
    st = parchunk.stats([1.0, NAN, 3.0])
    assert st.count == 3 and all(math.isnan(v) for v in st[1:])
    st = parchunk.stats([1.0, NAN, 3.0], skipna=True)
    assert st == parchunk.Stats(2, 4.0, 2.0, 1.0, 1.0, 3.0)
    with pytest.warns(RuntimeWarning, match="all-NaN"):
        st = parchunk.stats([NAN, NAN], skipna=True)
    assert st.count == 0 and st.sum == 0.0 and math.isnan(st.mean) and math.isnan(st.min)
    with pytest.raises(parchunk.EmptyError):
        parchunk.stats([])


def test_stats_vs_numpy(np):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(50_001).astype(np.float32)
    st = parchunk.stats(x)
    assert st.count == x.size
    assert st.sum == pytest.approx(float(x.astype(np.float64).sum()), rel=1e-12)
    assert st.var == pytest.approx(float(np.var(x.astype(np.float64))), rel=1e-12)
    assert st.min == float(x.min()) and st.max == float(x.max())


# ---------------------------------------------------------- argmin/argmax ----

def test_argmin_argmax_ties_nan_and_zero_signs():
    assert parchunk.argmin([3, 1, 2, 1]) == 1 and parchunk.argmax([3, 1, 3, 0]) == 0
    assert parchunk.argmin([0.0, -0.0]) == 0 and parchunk.argmin([-0.0, 0.0]) == 0
    assert parchunk.argmax([1.0, NAN, 5.0, NAN]) == 1
    assert parchunk.argmin([1.0, 2.0, NAN]) == 2
    assert parchunk.argmin([1.0, NAN, -5.0, NAN], skipna=True) == 2
    assert parchunk.argmax([NAN, 1.0, 5.0, 5.0], skipna=True) == 2
    assert parchunk.argmin([-math.inf, -math.inf]) == 0
    with pytest.raises(parchunk.EmptyError):
        parchunk.argmin([])
    with pytest.raises(ValueError):
        parchunk.argmax([NAN, NAN], skipna=True)  # numpy.nanargmax raises too


@pytest.mark.parametrize("code", ALL_CODES)
def test_argmin_argmax_vs_python(code):
    rng = random.Random(code)
    a = _rand(code, 3001, rng)
    a[100] = a[2000] = min(a)  # ties: the first wins
    a[7] = a[2999] = max(a)
    assert parchunk.argmin(a) == a.index(min(a)) == 100
    assert parchunk.argmax(a) == a.index(max(a)) == 7


@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_argmin_argmax_nan_vs_numpy(np, dt):
    rng = np.random.default_rng(11)
    for trial in range(20):
        x = rng.integers(-5, 5, size=300).astype(dt)  # many ties
        if trial % 2:
            x[rng.integers(0, 300, size=3)] = np.nan
        assert parchunk.argmin(x) == np.argmin(x) and parchunk.argmax(x) == np.argmax(x)
        assert parchunk.argmin(x, skipna=True) == np.nanargmin(x)
        assert parchunk.argmax(x, skipna=True) == np.nanargmax(x)


# -------------------------------------------------------------------- dot ----

@pytest.mark.parametrize("code", ["b", "B", "h", "H", "i", "I"])
def test_dot_small_ints_exact(code):
    rng = random.Random(code)
    x, y = _rand(code, 5003, rng), _rand(code, 5003, rng)
    exact = sum(a * b for a, b in zip(x, y))
    got = parchunk.dot(x, y)
    assert type(got) is float and got == float(exact)  # exact sum, rounded once


@pytest.mark.parametrize("code", ["q", "Q"])
def test_dot_int64(code):
    rng = random.Random(code)
    x = array.array(code, [rng.randint(0, 1000) for _ in range(3000)])
    y = array.array(code, [rng.randint(0, 1000) for _ in range(3000)])
    assert parchunk.dot(x, y) == float(sum(a * b for a, b in zip(x, y)))  # < 2**53: exact


@pytest.mark.parametrize("code", ["f", "d"])
def test_dot_floats_vs_fsum(code):
    rng = random.Random(code)
    x, y = _rand(code, 4099, rng), _rand(code, 4099, rng)
    ref = math.fsum(a * b for a, b in zip(x, y))  # products of floats are exact in double...
    got = parchunk.dot(x, y)
    assert got == pytest.approx(ref, rel=1e-12, abs=1e-6)


@pytest.mark.parametrize("dt", ["float32", "float64", "int32", "int64"])
def test_dot_vs_numpy(np, dt):
    rng = np.random.default_rng(2)
    x = (rng.standard_normal(10_001) * 100).astype(dt)
    y = (rng.standard_normal(10_001) * 100).astype(dt)
    ref = float(np.dot(x.astype(np.float64), y.astype(np.float64)))
    assert parchunk.dot(x, y) == pytest.approx(ref, rel=1e-10)


def test_dot_edge_cases_and_errors():
    assert parchunk.dot([], []) == 0.0
    assert parchunk.dot([1.0, 2.0], [3.0, 4.0]) == 11.0
    assert parchunk.dot(array.array("d", [1.5, 2.0]), [2, 4]) == 11.0  # list -> array's dtype
    assert parchunk.dot([2, 4], array.array("i", [3, 5])) == 26.0
    assert parchunk.dot([1, 2], [0.5, 0.25]) == 1.0  # two lists: float64 when mixed
    with pytest.raises(parchunk.DTypeError, match="bool"):
        parchunk.dot(array.array("d", [1.0]), [True])
    assert math.isnan(parchunk.dot([math.inf, 1.0], [0.0, 1.0]))
    with pytest.raises(parchunk.DTypeError, match="y has dtype"):
        parchunk.dot(array.array("d", [1.0]), array.array("f", [1.0]))
    with pytest.raises(TypeError):
        parchunk.dot(array.array("d", [1.0]), array.array("i", [1]))
    with pytest.raises(parchunk.ShapeError, match="y has 2 elements"):
        parchunk.dot([1.0], [1.0, 2.0])
    with pytest.raises(parchunk.DTypeError):
        parchunk.dot(array.array("i", [1]), [1.5])


# ---------------------------------------------------------- count_nonzero ----

@pytest.mark.parametrize("code", ALL_CODES)
def test_count_nonzero_all_dtypes(code):
    rng = random.Random(code)
    a = _rand(code, 4001, rng)
    for i in range(0, 4001, 3):
        a[i] = 0
    assert parchunk.count_nonzero(a) == sum(1 for v in a if v != 0)
    assert parchunk.count_nonzero(array.array(code)) == 0


def test_count_nonzero_nan_negative_zero():
    assert parchunk.count_nonzero([0.0, -0.0, NAN, 1e-300, -math.inf]) == 3
    assert parchunk.count_nonzero(bytes([0, 1, 2, 0])) == 2


@pytest.mark.parametrize("dt", NP_DTYPES)
def test_count_nonzero_vs_numpy(np, dt):
    rng = np.random.default_rng(4)
    x = rng.integers(-2, 3, size=10_007).astype(dt)
    assert parchunk.count_nonzero(x) == np.count_nonzero(x)
    assert parchunk.count_nonzero(x.reshape(1, -1)[:, ::3]) == np.count_nonzero(x[::3])


# ----------------------------------------------------------------- skipna ----

def _with_nans(rng, n, frac=0.2):
    return [NAN if rng.random() < frac else rng.uniform(-10, 10) for _ in range(n)]


def test_skipna_scalars_vs_stdlib():
    rng = random.Random(9)
    xs = _with_nans(rng, 3001)
    clean = [v for v in xs if v == v]
    assert parchunk.sum(xs, skipna=True) == pytest.approx(math.fsum(clean), rel=1e-12)
    assert parchunk.mean(xs, skipna=True) == pytest.approx(math.fsum(clean) / len(clean),
                                                           rel=1e-12)
    assert parchunk.min(xs, skipna=True) == min(clean)
    assert parchunk.max(xs, skipna=True) == max(clean)
    fr = [Fraction(v) for v in clean]
    assert rel(parchunk.var(xs, skipna=True), float(statistics.pvariance(fr))) < 1e-13
    assert rel(parchunk.std(xs, skipna=True, ddof=1), math.sqrt(statistics.variance(fr))) < 1e-13


@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_skipna_vs_numpy_nanfuncs(np, dt):
    rng = np.random.default_rng(12)
    x = rng.standard_normal(20_011).astype(dt)
    x[rng.random(x.size) < 0.3] = np.nan
    x64 = x.astype(np.float64)
    assert parchunk.sum(x, skipna=True) == pytest.approx(float(np.nansum(x64)), rel=1e-10)
    assert parchunk.mean(x, skipna=True) == pytest.approx(float(np.nanmean(x64)), rel=1e-10)
    assert parchunk.min(x, skipna=True) == float(np.nanmin(x))
    assert parchunk.max(x, skipna=True) == float(np.nanmax(x))
    for ddof in (0, 1):
        assert parchunk.var(x, skipna=True, ddof=ddof) == \
            pytest.approx(float(np.nanvar(x64, ddof=ddof)), rel=1e-12)
        assert parchunk.std(x, skipna=True, ddof=ddof) == \
            pytest.approx(float(np.nanstd(x64, ddof=ddof)), rel=1e-12)


def test_skipna_all_nan_behaviour():
    xs = [NAN] * 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parchunk.sum(xs, skipna=True) == 0.0  # numpy.nansum: 0, no warning
    for fn in (parchunk.mean, parchunk.min, parchunk.max, parchunk.var, parchunk.std):
        with pytest.warns(RuntimeWarning, match="all-NaN") as rec:
            assert math.isnan(fn(xs, skipna=True))
        assert rec[0].filename == __file__  # attributed to the caller's line
    with pytest.warns(RuntimeWarning):  # count (1) <= ddof (1), as numpy.nanvar
        assert math.isnan(parchunk.var([NAN, 1.0], skipna=True, ddof=1))
    assert parchunk.sum([], skipna=True) == 0.0
    with pytest.raises(parchunk.EmptyError):
        parchunk.mean([], skipna=True)


def test_skipna_without_nan_is_bit_identical_and_ints_unchanged():
    rng = random.Random(3)
    xs = [rng.uniform(-1, 1) for _ in range(5000)]
    for fn in (parchunk.sum, parchunk.mean, parchunk.min, parchunk.max, parchunk.var,
               parchunk.std):
        assert fn(xs, skipna=True).hex() == fn(xs).hex()
    ints = array.array("q", [2**62, 2**62, 3])
    assert parchunk.sum(ints, skipna=True) == 2**63 + 3  # still the exact int
    assert parchunk.min(ints, skipna=True) == 3 and parchunk.var([1, 2, 3], skipna=True) == \
        parchunk.var([1, 2, 3])


def test_exact_with_skipna_is_an_error():
    with pytest.raises(parchunk.ArgumentError, match="exact"):
        parchunk.sum([1.0], exact=True, skipna=True)


# ------------------------------------------------------------ determinism ----

@pytest.mark.parametrize("nthreads", [1, 2, 3, 8])
def test_bit_identical_for_any_thread_count(nthreads):
    rng = random.Random(77)
    xs = array.array("d", [1e9 + rng.gauss(0, 1) for _ in range(3001)])
    ys = array.array("d", [rng.uniform(-1, 1) for _ in range(3001)])
    wn = array.array("d", _with_nans(rng, 3001))
    ints = _rand("i", 3001, rng)

    def run(t):
        st = parchunk.stats(xs, nthreads=t)
        return [parchunk.var(xs, nthreads=t).hex(), parchunk.std(xs, ddof=1, nthreads=t).hex(),
                st.sum.hex(), st.var.hex(), st.mean.hex(), parchunk.argmin(wn, nthreads=t),
                parchunk.argmax(ints, nthreads=t), parchunk.argmin(wn, skipna=True, nthreads=t),
                parchunk.dot(xs, ys, nthreads=t).hex(), parchunk.dot(ints, ints, nthreads=t),
                parchunk.count_nonzero(wn, nthreads=t),
                parchunk.sum(wn, skipna=True, nthreads=t).hex(),
                parchunk.var(wn, skipna=True, nthreads=t).hex(),
                parchunk.max(wn, skipna=True, nthreads=t)]

    with _core._config(chunk_size=7, serial_cutoff=0):
        ref = run(1)
        assert run(nthreads) == ref
        with parchunk.threads(nthreads):
            assert run(None) == ref
