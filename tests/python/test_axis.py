"""axis= / keepdims= / shape= / skipna= on sum, mean, min, max, var, std:
shapes, dtypes and values against NumPy, and against a pure-Python oracle
(nested lists) for the no-NumPy lane."""
import array
import itertools
import math
import random
import warnings
from fractions import Fraction

import pytest

import parchunk
from parchunk import _core

NAN = float("nan")
FUNCS = ["sum", "mean", "min", "max", "var", "std"]
NP_DTYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
             "float32", "float64"]


# ------------------------------------------------------- pure-Python oracle ----

def _prod(s):
    p = 1
    for d in s:
        p *= d
    return p


def _index(flat_pos, shape):
    idx = []
    for d in reversed(shape):
        idx.append(flat_pos % d)
        flat_pos //= d
    return tuple(reversed(idx))


def oracle(kind, flat, shape, axes, ddof=0, skipna=False):
    """The reduction of the C-ordered flat values over axes, as nested lists
    (exact arithmetic with fractions; floats at the end)."""
    kept = [i for i in range(len(shape)) if i not in axes]
    groups = {}
    for pos, v in enumerate(flat):
        idx = _index(pos, shape)
        groups.setdefault(tuple(idx[i] for i in kept), []).append(v)
    out_shape = tuple(shape[i] for i in kept)
    res = []
    for key in itertools.product(*[range(d) for d in out_shape]):
        vals = groups.get(key, [])
        if skipna:
            vals = [v for v in vals if v == v]
        if any(v != v for v in vals):
            res.append(NAN)
            continue
        fr = [Fraction(v) for v in vals]
        if kind == "sum":
            res.append(sum(fr))
        elif kind == "mean":
            res.append(float(sum(fr) / len(fr)) if fr else NAN)
        elif kind in ("min", "max"):
            res.append((min if kind == "min" else max)(vals) if vals else NAN)
        else:
            if len(fr) <= ddof:
                res.append(NAN)
                continue
            m = sum(fr) / len(fr)
            v = sum((f - m) ** 2 for f in fr) / (len(fr) - ddof)
            res.append(float(v) if kind == "var" else math.sqrt(v))
    res = [int(v) if isinstance(v, Fraction) and v.denominator == 1 and kind == "sum"
           and all(isinstance(x, int) for x in flat) else
           (float(v) if isinstance(v, Fraction) else v) for v in res]
    return _nest(res, out_shape)


def _nest(flat, shape):
    if len(shape) <= 1:
        return flat
    step = _prod(shape[1:])
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def _flatten(v):
    if isinstance(v, list):
        return [y for x in v for y in _flatten(x)]
    return [v]


def _close(got, ref, rel=1e-12):
    g, r = _flatten(got), _flatten(ref)
    assert len(g) == len(r)
    for a, b in zip(g, r):
        if b != b:
            assert a != a
        else:
            assert a == pytest.approx(b, rel=rel, abs=1e-12), (got, ref)


# ----------------------------------------------------- stdlib / no NumPy ----

@pytest.mark.parametrize("kind", FUNCS)
@pytest.mark.parametrize("shape,axis", [((3, 4), 0), ((3, 4), 1), ((3, 4), -1), ((2, 3, 4), 1),
                                        ((2, 3, 4), (1, 2)), ((2, 3, 4), (0, 1)),
                                        ((2, 3, 4), -3), ((5, 1, 3), 1), ((4, 6), ())])
def test_axis_flat_buffer_with_shape_vs_oracle(kind, shape, axis):
    rng = random.Random(f"{kind}{shape}{axis}")
    n = _prod(shape)
    buf = array.array("d", [rng.uniform(-100, 100) for _ in range(n)])
    axes = tuple(sorted(a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,))))
    got = getattr(parchunk, kind)(buf, axis, shape=shape)
    ref = oracle(kind, list(buf), shape, axes)
    if parchunk._axis._numpy() is not None:
        got = got.tolist()
    assert isinstance(got, list)
    _close(got, ref)


@pytest.mark.parametrize("kind", FUNCS)
def test_axis_multidim_memoryview_input(kind):
    rng = random.Random(kind)
    a = array.array("d", [rng.uniform(-1, 1) for _ in range(24)])
    mv = memoryview(a).cast("B").cast("d", (2, 3, 4))  # a shaped buffer without NumPy
    got = getattr(parchunk, kind)(mv, axis=2)
    if not isinstance(got, list):
        got = got.tolist()
    _close(got, oracle(kind, list(a), (2, 3, 4), (2,)))


def test_axis_int_sums_are_exact_ints_and_types():
    a = array.array("i", range(-6, 6))
    got = parchunk.sum(a, 0, shape=(3, 4))
    got = got if isinstance(got, list) else got.tolist()
    assert got == [sum(range(-6, 6)[i::4]) for i in range(4)] and type(got[0]) is int
    mins = parchunk.min(a, 1, shape=(3, 4))
    mins = mins if isinstance(mins, list) else mins.tolist()
    assert mins == [-6, -2, 2] and type(mins[0]) is int
    means = parchunk.mean(a, axis=1, shape=(3, 4))
    means = means if isinstance(means, list) else means.tolist()
    assert means == [-4.5, -0.5, 3.5]


def test_float32_results_are_float32_values():
    a = array.array("f", [0.1, 0.2, 0.3, 0.7, 1e-3, 3.0])
    got = parchunk.sum(a, axis=0, shape=(2, 3))
    got = got if isinstance(got, list) else got.tolist()
    exact = [math.fsum(a[i::3]) for i in range(3)]
    assert got == array.array("f", exact).tolist()  # rounded once to float32


def test_int_axis_sum_beyond_2_53_raises_overflow():
    a = array.array("q", [2**62, 2**62, 1, 1])
    with pytest.raises(parchunk.ResultOverflowError, match="2\\*\\*53"):
        parchunk.sum(a, axis=0, shape=(2, 2))
    with pytest.raises(OverflowError):
        parchunk.sum(a, axis=1, shape=(2, 2))
    assert parchunk.sum(a, axis=None, shape=(2, 2)) == 2**63 + 2  # full: the exact int


def test_full_reductions_return_scalars():
    a = array.array("q", [1, 2, 3, 4, 5, 6])
    assert parchunk.sum(a, axis=0) == 21 and type(parchunk.sum(a, axis=0)) is int
    assert parchunk.sum(a, axis=(0, 1), shape=(2, 3)) == 21
    assert parchunk.max(a, axis=-1) == 6
    assert parchunk.var(a, axis=(1, 0), shape=(2, 3)) == parchunk.var(a)
    kd = parchunk.sum(a, axis=None, keepdims=True, shape=(2, 3))
    kd = kd if isinstance(kd, list) else kd.tolist()
    assert kd == [[21]]
    kd = parchunk.mean(a, axis=1, keepdims=True, shape=(2, 3))
    kd = kd if isinstance(kd, list) else kd.tolist()
    assert kd == [[2.0], [5.0]]


def test_axis_skipna_vs_oracle_and_all_nan_warning():
    flat = [1.0, NAN, 3.0, NAN, NAN, NAN, 2.0, 2.0, NAN]
    shape = (3, 3)
    for kind in FUNCS:
        fn = getattr(parchunk, kind)
        ctx = warnings.catch_warnings() if kind == "sum" else pytest.warns(RuntimeWarning,
                                                                          match="all-NaN")
        with ctx:
            if kind == "sum":
                warnings.simplefilter("error")  # nansum of an all-NaN row: 0, no warning
            got = fn(array.array("d", flat), axis=1, shape=shape, skipna=True)
        got = got if isinstance(got, list) else got.tolist()
        ref = oracle(kind, flat, shape, (1,), skipna=True)
        if kind == "sum":
            ref = [0.0 if v == 0 else v for v in ref]
        _close(got, ref)


def test_empty_axes():
    a = array.array("d")
    got = parchunk.sum(a, axis=0, shape=(0, 3))
    got = got if isinstance(got, list) else got.tolist()
    assert got == [0.0, 0.0, 0.0]
    got = parchunk.min(a, axis=1, shape=(0, 3))
    assert (got if isinstance(got, list) else got.tolist()) == []
    got = parchunk.max(a, axis=0, shape=(3, 0))
    assert (got if isinstance(got, list) else got.tolist()) == []
    with pytest.raises(parchunk.EmptyError):
        parchunk.min(a, axis=0, shape=(0, 3))
    with pytest.raises(ValueError):
        parchunk.mean(a, axis=1, shape=(3, 0))


def test_var_axis_ddof_errors():
    a = array.array("d", [1.0, 2.0, 3.0, 4.0])
    got = parchunk.var(a, axis=0, ddof=1, shape=(2, 2))
    assert (got if isinstance(got, list) else got.tolist()) == [2.0, 2.0]
    with pytest.raises(parchunk.ArgumentError, match="ddof"):
        parchunk.var(a, axis=0, ddof=2, shape=(2, 2))
    with pytest.raises(parchunk.ArgumentError, match="ddof"):
        parchunk.std(a, axis=0, ddof=-1, shape=(2, 2))


@pytest.mark.parametrize("bad", [2, -3, 5, (0, 2), (-3,)])
def test_bad_axis_names_the_axis(bad):
    a = array.array("d", range(6))
    with pytest.raises(parchunk.AxisError) as ei:
        parchunk.sum(a, axis=bad, shape=(2, 3))
    assert isinstance(ei.value, ValueError) and isinstance(ei.value, IndexError)
    wrong = bad if isinstance(bad, int) else next(b for b in bad if not -2 <= b < 2)
    assert f"axis {wrong} is out of bounds for array of dimension 2" in str(ei.value)
    with pytest.raises(ValueError, match=f"axis {wrong}"):
        parchunk.var(a, axis=bad, shape=(2, 3))


def test_axis_argument_errors():
    a = array.array("d", range(6))
    with pytest.raises(parchunk.ArgumentError, match="duplicate"):
        parchunk.mean(a, axis=(1, -1), shape=(2, 3))
    for bad in (True, 1.0, "0", [0]):
        with pytest.raises(TypeError, match="axis"):
            parchunk.max(a, axis=bad, shape=(2, 3))
    with pytest.raises(parchunk.AxisError):
        parchunk.sum(a, axis=1)  # 1-d
    with pytest.raises(parchunk.ShapeError, match="needs 8"):
        parchunk.sum(a, axis=0, shape=(2, 4))
    with pytest.raises(parchunk.ArgumentError, match="negative"):
        parchunk.sum(a, axis=0, shape=(-2, -3))
    with pytest.raises(TypeError, match="shape"):
        parchunk.sum(a, axis=0, shape="2,3")
    with pytest.raises(parchunk.ArgumentError, match="exact"):
        parchunk.sum(a, axis=0, shape=(2, 3), exact=True)


def test_non_adjacent_axes():
    a = array.array("d", [float(i) for i in range(24)])
    if parchunk._axis._numpy() is None:
        with pytest.raises(parchunk.ArgumentError, match="NumPy"):
            parchunk.sum(a, axis=(0, 2), shape=(2, 3, 4))
    else:
        got = parchunk.var(a, axis=(0, 2), shape=(2, 3, 4)).tolist()
        _close(got, oracle("var", list(a), (2, 3, 4), (0, 2)))


@pytest.mark.parametrize("nthreads", [1, 2, 3, 8])
def test_axis_bit_identical_for_any_thread_count(nthreads):
    rng = random.Random(5)
    shape = (37, 29)
    a = array.array("d", [1e6 + rng.gauss(0, 1) for _ in range(_prod(shape))])
    a[5] = NAN

    def run(t):
        out = []
        for kind in FUNCS:
            fn = getattr(parchunk, kind)
            for axis in (0, 1):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    r = fn(a, axis, shape=shape, nthreads=t, skipna=kind != "sum")
                flat = _flatten(r if isinstance(r, list) else r.tolist())
                out.append([v.hex() for v in flat])
        return out

    with _core._config(chunk_size=7, serial_cutoff=0):
        ref = run(1)
        assert run(nthreads) == ref


# ------------------------------------------------------------------ NumPy ----

def _np_data(np, dt, shape, rng):
    if dt.startswith(("int", "uint")):
        info = np.iinfo(dt)
        lo, hi = max(info.min, -1000), min(info.max, 1000)
        return rng.integers(lo, hi, size=shape, endpoint=True).astype(dt)
    return (rng.standard_normal(shape) * 10 + 3).astype(dt)


@pytest.mark.parametrize("dt", NP_DTYPES)
@pytest.mark.parametrize("kind", FUNCS)
def test_axis_vs_numpy_shapes_dtypes_values(np, kind, dt):
    rng = np.random.default_rng(abs(hash((kind, dt))) % 2**32)
    x = _np_data(np, dt, (4, 5, 6), rng)
    ref_fn = getattr(np, kind)
    for axis in (0, 1, 2, -1, -2, (0, 1), (1, 2), (0, 2), (), None):
        for keepdims in (False, True):
            got = getattr(parchunk, kind)(x, axis=axis, keepdims=keepdims)
            ref = ref_fn(x, axis=axis, keepdims=keepdims)
            assert np.shape(got) == np.shape(ref), (axis, keepdims)
            if isinstance(got, np.ndarray):
                assert got.dtype == ref.dtype, (axis, got.dtype, ref.dtype)
            # float64 oracle: NumPy's float32 sums are less accurate than ours
            ref64 = ref_fn(x.astype(np.float64), axis=axis, keepdims=keepdims)
            rtol = 1e-6 if dt == "float32" else 1e-12
            np.testing.assert_allclose(np.asarray(got, dtype=np.float64), ref64, rtol=rtol,
                                       atol=1e-9)


@pytest.mark.parametrize("kind", FUNCS)
def test_axis_numpy_noncontiguous_and_large_offset(np, kind):
    rng = np.random.default_rng(8)
    x = 1e9 + rng.standard_normal((60, 70))
    for view in (x, x.T, x[::2, 1::3]):
        for axis in (0, 1):
            got = getattr(parchunk, kind)(view, axis=axis)
            ref = getattr(np, kind)(view, axis=axis)
            if kind in ("var", "std"):  # exact oracle for the moments
                cols = np.moveaxis(view, axis, -1).reshape(-1, view.shape[axis])
                exact = [exact_var_fr(c) for c in cols]
                exact = [math.sqrt(v) for v in exact] if kind == "std" else [float(v) for v in
                                                                              exact]
                np.testing.assert_allclose(got, exact, rtol=1e-12)
            np.testing.assert_allclose(got, ref, rtol=1e-7 if kind in ("var", "std") else 1e-12)


def exact_var_fr(vals):
    fr = [Fraction(float(v)) for v in vals]
    m = sum(fr) / len(fr)
    return sum((f - m) ** 2 for f in fr) / len(fr)


@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_axis_skipna_vs_numpy_nanfuncs(np, dt):
    rng = np.random.default_rng(21)
    x = rng.standard_normal((30, 40)).astype(dt)
    x[rng.random(x.shape) < 0.3] = np.nan
    x[3, :] = np.nan  # an all-NaN row
    x[:, 7] = np.nan  # an all-NaN column
    for kind in FUNCS:
        for axis in (0, 1, -1):
            for ddof in ((0, 1) if kind in ("var", "std") else (0,)):
                kw = {"ddof": ddof} if ddof else {}
                with warnings.catch_warnings(record=True) as ours:
                    warnings.simplefilter("always")
                    got = getattr(parchunk, kind)(x, axis=axis, skipna=True, **kw)
                with warnings.catch_warnings(record=True) as theirs:
                    warnings.simplefilter("always")
                    ref = getattr(np, "nan" + kind)(x.astype(np.float64), axis=axis, **kw)
                assert got.shape == ref.shape and got.dtype == x.dtype
                np.testing.assert_allclose(got, ref.astype(dt), rtol=1e-6 if dt == "float32"
                                           else 1e-12, atol=1e-12)
                assert bool(ours) == bool(theirs), kind  # both warn for all-NaN slices


def test_axis_int_sum_dtype_and_exactness_vs_numpy(np):
    x = np.arange(-50, 70, dtype=np.int8).reshape(10, 12)
    got = parchunk.sum(x, axis=0)
    assert got.dtype == np.int64 and (got == x.sum(axis=0)).all()
    u = np.full((3, 4), 2**31, dtype=np.uint64)
    got = parchunk.sum(u, axis=1)
    assert got.dtype == np.uint64 and got.tolist() == [4 * 2**31] * 3


def test_axis_zero_d_and_shape_kw_with_numpy(np):
    assert parchunk.sum(np.float64(3.5)) == 3.5
    assert parchunk.sum(np.array(3.5), axis=()) == 3.5
    x = np.arange(12.0)
    got = parchunk.mean(x, axis=1, shape=(3, 4))
    np.testing.assert_array_equal(got, x.reshape(3, 4).mean(axis=1))
