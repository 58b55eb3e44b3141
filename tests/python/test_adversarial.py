"""Adversarial inputs across the whole public API: every bad input gets a
precise exception naming the argument -- never a crash, a hang, a silent
wrong answer or a partial write. Results that are returned are checked
against NumPy / the stdlib.

Cases already covered elsewhere (test_inputs: unsupported formats and
non-arrays for sum; test_file: OS errors; test_image / test_logreg /
test_random: the per-module bad arguments) are not repeated here; this file
runs the same attacks over *every* function and covers what was missing.
"""
import array
import math
import operator
import os
import platform
import struct
import subprocess
import sys
import textwrap

import pytest

import parchunk
from parchunk import file as pfile
from parchunk import image, logreg
from parchunk import random as prandom

HERE = os.path.dirname(os.path.abspath(__file__))
THREADS_MAX = parchunk._decls.ENUMS["PARCHUNK_THREADS_MAX"]
NO_NUMPY = os.environ.get("PARCHUNK_TEST_NO_NUMPY") == "1"


# ------------------------------------------------- the GC crash (cffi) ----

_GC_SCRIPT = textwrap.dedent("""
    import array, gc, os, sys
    sys.path.insert(0, {bindings!r})
    import parchunk
    from parchunk import _core, file, image, logreg, random
    _core._set_backend({backend!r})
    ok = []

    def keep(fn):
        # `except ... as e: err = e` keeps the traceback, whose frames hold
        # parchunk's inputs (memoryviews, C pointers): frame -> err -> frame.
        try:
            fn()
        except Exception as e:
            err = e
        else:
            raise SystemExit("no exception: " + repr(fn))

    x = array.array("d", range(10))
    mv = memoryview(bytearray(80)).cast("d")
    state = parchunk.partial("sum", x)
    cases = [
        lambda: parchunk.var(x, ddof=10),
        lambda: parchunk.var(mv, ddof=10),
        lambda: parchunk.sum(mv[2:], nthreads=0),
        lambda: parchunk.sort(x, out=mv[:9]),
        lambda: parchunk.cumsum(mv, out=mv[::2]),
        lambda: parchunk.finalize(memoryview(state)[:-1]),
        lambda: parchunk.sum_exact_finalize(memoryview(bytes(552))),
        lambda: file.count(memoryview(b"abc")[1:], b""),
        lambda: file.read_numbers(memoryview(b"1,2\\n3\\n")),
        lambda: image.to_grayscale(memoryview(bytes(12)), shape=(2, 2, 3), nthreads=0),
        lambda: random.uniform(10, seed=1, out=mv, low=2, high=1),
        lambda: logreg.fit(memoryview(bytearray(48)).cast("d", (6, 1)), [1.0] * 6,
                           iterations=2**64),
    ]
    try:
        import numpy as np
    except ImportError:
        np = None
    if np is not None and not {no_numpy}:
        X = np.ones((6, 3))
        cases += [
            lambda: parchunk.var(np.arange(5.0)[::-1], ddof=9),
            lambda: parchunk.sort(np.arange(5.0), out=np.empty(4)),
            lambda: logreg.fit(X, np.ones(6), iterations=2**64),
        ]
    for i, case in enumerate(cases):
        keep(case)
        gc.collect()
        ok.append(i)
    print("survived", len(ok))
""")


def test_errors_kept_in_reference_cycles_do_not_crash_the_gc(backend):
    """Regression: with the cffi backend, an exception kept in a reference
    cycle (`except E as e: err = e`) crashed CPython's garbage collector
    (a memoryview with a live from_buffer export cleared by the GC;
    Objects/memoryobject.c, _memory_release on a NULL managed buffer).
    Each case runs in a child process so that a crash is a failure here."""
    script = _GC_SCRIPT.format(bindings=os.path.join(HERE, "..", "..", "bindings", "python"),
                               backend=backend, no_numpy=NO_NUMPY)
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-X", "faulthandler", "-c", script], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "survived" in proc.stdout


# ------------------------------------------------------ the function table ----

def _x():
    return array.array("d", [3.0, -1.5, 2.0, 8.0, 0.5])


# name -> call(x, **kwargs) for every function that reads one numeric array
ARRAY_FUNCS = {
    "sum": lambda x, **k: parchunk.sum(x, **k),
    "sum(exact)": lambda x, **k: parchunk.sum(x, exact=True, **k),
    "sum(skipna)": lambda x, **k: parchunk.sum(x, skipna=True, **k),
    "sum(axis=0)": lambda x, **k: parchunk.sum(x, axis=0, keepdims=True, **k),
    "mean": lambda x, **k: parchunk.mean(x, **k),
    "mean(exact)": lambda x, **k: parchunk.mean(x, exact=True, **k),
    "min": lambda x, **k: parchunk.min(x, **k),
    "max": lambda x, **k: parchunk.max(x, **k),
    "mean_abs_dev": lambda x, **k: parchunk.mean_abs_dev(x, **k),
    "var": lambda x, **k: parchunk.var(x, **k),
    "std": lambda x, **k: parchunk.std(x, **k),
    "stats": lambda x, **k: parchunk.stats(x, **k),
    "argmin": lambda x, **k: parchunk.argmin(x, **k),
    "argmax": lambda x, **k: parchunk.argmax(x, **k),
    "count_nonzero": lambda x, **k: parchunk.count_nonzero(x, **k),
    "dot": lambda x, **k: parchunk.dot(x, x, **k),
    "cumsum": lambda x, **k: parchunk.cumsum(x, **k),
    "sort": lambda x, **k: parchunk.sort(x, **k),
    "argsort": lambda x, **k: parchunk.argsort(x, **k),
    "histogram": lambda x, **k: parchunk.histogram(x, 4, **k),
    "sum_exact_partial": lambda x, **k: parchunk.sum_exact_partial(x, **k),
    "partial": lambda x, **k: parchunk.partial("var", x, **k),
}

# name -> call(**kwargs) for every function that takes nthreads=
NTHREADS_FUNCS = dict(
    {name: (lambda f: lambda **k: f(_x(), **k))(f) for name, f in ARRAY_FUNCS.items()},
    **{
        "file.count_lines": lambda **k: pfile.count_lines(b"a\nb\n", **k),
        "file.count": lambda **k: pfile.count(b"abcabc", b"bc", **k),
        "file.byte_histogram": lambda **k: pfile.byte_histogram(b"abc", **k),
        "file.crc32": lambda **k: pfile.crc32(b"abc", **k),
        "file.read_numbers": lambda **k: pfile.read_numbers(b"1,2\n3,4\n", **k),
        "image.to_grayscale": lambda **k: image.to_grayscale(bytes(12), shape=(2, 2, 3), **k),
        "image.to_grayscale_batch": lambda **k: image.to_grayscale_batch(
            [memoryview(bytearray(12)).cast("B", (2, 2, 3))], **k),
        "logreg.fit": lambda **k: logreg.fit(memoryview(bytearray(16)).cast("d", (2, 1)),
                                             [1.0, -1.0], **k),
        "logreg.predict_proba": lambda **k: logreg.predict_proba(
            memoryview(bytearray(16)).cast("d", (2, 1)), [0.5], **k),
        "random.uniform": lambda **k: prandom.uniform(4, seed=1, **k),
        "random.normal": lambda **k: prandom.normal(4, seed=1, **k),
        "random.integers": lambda **k: prandom.integers(4, 0, 9, seed=1, **k),
    })


def _code(name):
    return parchunk._decls.ENUMS["PARCHUNK_" + name]


# ------------------------------------------------------------ nthreads ----

@pytest.mark.parametrize("name", sorted(NTHREADS_FUNCS))
@pytest.mark.parametrize("bad", [0, -1, THREADS_MAX + 1, 2**31, 10**30])
def test_nthreads_out_of_range(name, bad):
    with pytest.raises(parchunk.ArgumentError) as ei:
        NTHREADS_FUNCS[name](nthreads=bad)
    assert isinstance(ei.value, ValueError)
    assert "nthreads" in str(ei.value) and str(bad) in str(ei.value)
    assert ei.value.code == _code("ERR_ARG")


@pytest.mark.parametrize("name", sorted(NTHREADS_FUNCS))
@pytest.mark.parametrize("bad", [True, False, 1.0, 2.5, "2", b"2", [2], object()])
def test_nthreads_wrong_type(name, bad):
    with pytest.raises(TypeError) as ei:
        NTHREADS_FUNCS[name](nthreads=bad)
    assert "nthreads" in str(ei.value)


@pytest.mark.parametrize("name", sorted(NTHREADS_FUNCS))
def test_nthreads_index_types_and_the_limit_are_accepted(name):
    ref = NTHREADS_FUNCS[name](nthreads=1)
    for nt in (THREADS_MAX, _Index(3)):
        got = NTHREADS_FUNCS[name](nthreads=nt)
        assert _same(got, ref), (nt, got, ref)


@pytest.mark.parametrize("name", sorted(NTHREADS_FUNCS))
@pytest.mark.parametrize("bad", [1, "yes", 0])
def test_progress_wrong_type(name, bad):
    with pytest.raises(TypeError) as ei:
        NTHREADS_FUNCS[name](progress=bad)
    assert "progress" in str(ei.value)


class _Index:
    """An int-like object (operator.index works, as for numpy.int64)."""

    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


def _same(a, b):
    """Equal results of any kind (floats bit for bit, NaN equal to NaN)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(u, v) for u, v in zip(a, b))
    if isinstance(a, (bytes, int, str)):
        return a == b
    if isinstance(a, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    if hasattr(a, "tolist"):
        return _same_list(a.tolist(), b.tolist())
    if isinstance(a, list):
        return _same_list(a, b)
    return a == b


def _same_list(a, b):
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(
            _same_list(u, v) for u, v in zip(a, b))
    return _same(a, b)


# ----------------------------------------------------- wrong input types ----

@pytest.mark.parametrize("name", sorted(ARRAY_FUNCS))
@pytest.mark.parametrize("bad", [None, "1.5", {1: 2}, {1, 2}, object(),
                                 3.5, 7, iter([1, 2]), range(3)])
def test_not_an_array_anywhere(name, bad):
    with pytest.raises(parchunk.DTypeError) as ei:
        ARRAY_FUNCS[name](bad)
    assert isinstance(ei.value, TypeError)
    assert "x must be an array" in str(ei.value) and type(bad).__name__ in str(ei.value)


def _format_views():
    """memoryviews with formats parchunk refuses, no NumPy needed."""
    raw = bytearray(32)
    return {"?": memoryview(raw).cast("?"), "c": memoryview(raw).cast("c"),
            "P": memoryview(raw).cast("P")}


@pytest.mark.parametrize("name", sorted(ARRAY_FUNCS))
@pytest.mark.parametrize("fmt", ["?", "c", "P"])
def test_unsupported_buffer_formats_anywhere(name, fmt):
    with pytest.raises(parchunk.DTypeError) as ei:
        ARRAY_FUNCS[name](_format_views()[fmt])
    assert repr(fmt) in str(ei.value) and "x" in str(ei.value)


@pytest.mark.parametrize("name", sorted(ARRAY_FUNCS))
@pytest.mark.parametrize("dtype", ["float16", "complex128", "bool", "object", "datetime64[s]",
                                   "S3", "U2", "V8", "f8,i4", ">f8", "<i2x"])
def test_unsupported_numpy_dtypes_anywhere(np, name, dtype):
    if dtype == ">f8" and sys.byteorder == "big":
        dtype = "<f8"
    if dtype == "<i2x":
        x = np.zeros(4, dtype=[("a", "<i2"), ("b", "u1")])
    else:
        x = np.zeros(4, dtype=dtype)
    with pytest.raises(parchunk.DTypeError) as ei:
        ARRAY_FUNCS[name](x)
    assert "x" in str(ei.value)


def test_list_inputs_with_bad_items_anywhere():
    for name, f in ARRAY_FUNCS.items():
        for bad, where in (([1.0, None], "x[1]"), ([True], "x[0]"), ([1, "2"], "x[1]"),
                           ([[1.0]], "x[0]"), ([1j], "x[0]")):
            with pytest.raises(parchunk.DTypeError) as ei:
                f(bad)
            assert where in str(ei.value), (name, bad, str(ei.value))
        with pytest.raises(parchunk.ResultOverflowError) as ei:
            f([1, 2**64])
        assert "x[1]" in str(ei.value)


# ------------------------------------------------- shapes and strides ----

def _numpy_oracles(np):
    """name -> numpy's answer for the same call (floats compared loosely)."""
    return {
        "sum": lambda x: np.sum(x), "sum(exact)": lambda x: math.fsum(x.ravel().tolist()),
        "sum(skipna)": lambda x: np.nansum(x),
        "mean": lambda x: np.mean(x), "mean(exact)": lambda x: np.mean(x),
        "min": lambda x: np.min(x), "max": lambda x: np.max(x),
        "mean_abs_dev": lambda x: np.mean(np.abs(x - np.mean(x))),
        "var": lambda x: np.var(x), "std": lambda x: np.std(x),
        "argmin": lambda x: np.argmin(x), "argmax": lambda x: np.argmax(x),
        "count_nonzero": lambda x: np.count_nonzero(x),
        "dot": lambda x: float(np.dot(x.ravel(), x.ravel())),
        "cumsum": lambda x: np.cumsum(x), "sort": lambda x: np.sort(x, axis=None),
        "argsort": lambda x: np.argsort(x, axis=None, kind="stable"),
        "histogram": lambda x: np.histogram(x, 4),
    }


def _check(np, got, want):
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            _check(np, g, w)
        return
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape or got.size == want.size == 1, (got, want)
    assert np.allclose(got.astype(float), want.astype(float), rtol=1e-12, atol=0), (got, want)


@pytest.mark.parametrize("name", [
    "sum", "sum(exact)", "sum(skipna)", "mean", "mean(exact)", "min", "max", "mean_abs_dev",
    "var", "std", "argmin", "argmax", "count_nonzero", "dot", "cumsum", "sort", "argsort",
    "histogram"])
@pytest.mark.parametrize("layout", ["0-d", "reversed", "step3", "transposed", "negative-2d",
                                    "fortran", "misaligned"])
def test_layouts_match_numpy(np, name, layout):
    base = np.random.default_rng(5).standard_normal(61) * 100
    if layout == "0-d":
        x = np.array(3.25)
    elif layout == "reversed":
        x = base[::-1]
    elif layout == "step3":
        x = base[1::3]
    elif layout == "transposed":
        x = base[:60].reshape(6, 10).T
    elif layout == "negative-2d":
        x = base[:60].reshape(6, 10)[::-2, ::-3]
    elif layout == "fortran":
        x = np.asfortranarray(base[:60].reshape(6, 10))
    else:
        raw = bytearray(61 * 8 + 1)
        x = np.frombuffer(raw, dtype="f8", offset=1, count=61)
        x[:] = base
    want = _numpy_oracles(np)[name](x)
    got = ARRAY_FUNCS[name](x)
    _check(np, got, want)
    if name in ("cumsum", "sort") and x.size > 1:
        # a strided out= is refused, not half-written
        out = np.full(x.size * 2, 7.0)[::2]
        with pytest.raises(parchunk.ArgumentError, match="out must be C-contiguous"):
            ARRAY_FUNCS[name](x, out=out)
        assert (out == 7.0).all()


@pytest.mark.parametrize("name", sorted(ARRAY_FUNCS))
def test_zero_length(name):
    x = array.array("d")
    empty_error = {"mean", "mean(exact)", "min", "max", "mean_abs_dev", "var", "std", "stats",
                   "argmin", "argmax"}
    if name in empty_error:
        with pytest.raises(parchunk.EmptyError) as ei:
            ARRAY_FUNCS[name](x)
        assert isinstance(ei.value, ValueError) and ei.value.code == _code("ERR_EMPTY")
        return
    got = ARRAY_FUNCS[name](x)
    expected = {"sum": 0.0, "sum(exact)": 0.0, "sum(skipna)": 0.0, "count_nonzero": 0,
                "dot": 0.0}
    if name in expected:
        assert got == expected[name] and type(got) is type(expected[name])
    elif name in ("cumsum", "sort", "argsort"):
        assert len(got) == 0
    elif name == "histogram":
        counts, edges = got
        assert list(counts) == [0, 0, 0, 0] and list(edges) == [0.0, 0.25, 0.5, 0.75, 1.0]
    elif name == "sum(axis=0)":
        assert _same_list(list(got.tolist() if hasattr(got, "tolist") else got), [0.0])
    elif name == "sum_exact_partial":
        assert parchunk.sum_exact_count(got) == 0 and parchunk.sum_exact_finalize(got) == 0.0
    elif name == "partial":
        assert parchunk.partial_info(got).n == 0
        with pytest.raises(parchunk.EmptyError):
            parchunk.finalize(got)
    else:  # pragma: no cover
        raise AssertionError(name)


# ----------------------------------------------------------- out= arrays ----

def _sentinel_out(n, code="d"):
    return array.array(code, [7] * n)


@pytest.mark.parametrize("fn", ["sort", "cumsum"])
def test_out_errors_leave_out_untouched(fn):
    f = getattr(parchunk, fn)
    x = array.array("d", [3.0, 1.0, 2.0])
    cases = [
        (array.array("f", [7] * 3), parchunk.DTypeError, "out has dtype float32"),
        (array.array("q", [7] * 3), parchunk.DTypeError, "out has dtype int64"),
        (_sentinel_out(2), parchunk.ShapeError, "out has 2 elements, expected 3"),
        (_sentinel_out(4), parchunk.ShapeError, "out has 4 elements, expected 3"),
        (memoryview(_sentinel_out(6))[::2], parchunk.ArgumentError, "C-contiguous"),
        ("abc", parchunk.DTypeError, "out must be a writable array"),
        ({}, parchunk.DTypeError, "not dict"),
        (memoryview(bytearray(3)).cast("?"), parchunk.DTypeError, "'?'"),
    ]
    for out, exc, words in cases:
        before = bytes(memoryview(out)) if not isinstance(out, (str, dict)) else None
        with pytest.raises(exc) as ei:
            f(x, out=out)
        assert words in str(ei.value), (out, str(ei.value))
        if before is not None:
            assert bytes(memoryview(out)) == before
    ro = memoryview(bytes(24)).cast("d")
    with pytest.raises(parchunk.ArgumentError, match="out is read-only"):
        f(x, out=ro)
    with pytest.raises(parchunk.ArgumentError, match="out is read-only"):
        f(array.array("B", [3, 1, 2]), out=b"\x07\x07\x07")


@pytest.mark.parametrize("fn", ["sort", "cumsum"])
@pytest.mark.parametrize("shift", [-3, -1, 1, 2])
def test_out_partially_overlapping_input_is_refused(fn, shift):
    f = getattr(parchunk, fn)
    n = 3000
    buf = array.array("q", range(n + 3, 0, -1))
    mv = memoryview(buf)
    lo = 3 if shift < 0 else 0
    x, out = mv[lo:lo + n], mv[lo + shift:lo + shift + n]
    before = bytes(mv)
    with pytest.raises(parchunk.ArgumentError) as ei:
        f(x, out=out)
    assert "overlaps" in str(ei.value)
    assert bytes(mv) == before


@pytest.mark.parametrize("fn,oracle", [("sort", sorted),
                                       ("cumsum", lambda v: list(__import__("itertools")
                                                                 .accumulate(v)))])
def test_out_is_x_in_place(fn, oracle):
    data = [5, -2, 9, 0, 3] * 700
    x = array.array("q", data)
    assert getattr(parchunk, fn)(x, out=x) is x
    assert list(x) == oracle(data)


def test_random_out_errors_leave_out_untouched():
    for f, kw in ((prandom.uniform, {}), (prandom.normal, {}),
                  (prandom.integers, {"low": 0, "high": 5})):
        code = "q" if f is prandom.integers else "d"
        for out, exc, words in (
                (array.array("f" if code == "d" else "i", [7] * 4), parchunk.DTypeError, "out"),
                (array.array(code, [7] * 3), parchunk.ShapeError, "out has 3 elements"),
                (memoryview(array.array(code, [7] * 8))[::2], parchunk.ArgumentError,
                 "C-contiguous"),
                ("abcd", parchunk.DTypeError, "out must be")):
            before = bytes(memoryview(out)) if not isinstance(out, str) else None
            with pytest.raises(exc) as ei:
                f(4, seed=1, out=out, **kw)
            assert words in str(ei.value)
            if before is not None:
                assert bytes(memoryview(out)) == before
        ro = memoryview(bytes(32)).cast(code)
        with pytest.raises(TypeError, match="read-only"):
            f(4, seed=1, out=ro, **kw)
        # a bad parameter with a good out: out untouched too
        out = array.array(code, [7] * 4)
        with pytest.raises(parchunk.ArgumentError):
            f(4, seed=1, out=out, nthreads=0, **kw)
        assert list(out) == [7] * 4


def test_random_misaligned_out_is_refused():
    raw = bytearray(8 * 5)
    out = memoryview(raw)[1:33].cast("d")
    with pytest.raises(parchunk.ArgumentError, match="aligned"):
        prandom.uniform(4, seed=3, out=out)
    assert raw == bytearray(40)


def test_image_out_overlapping_another_image_output_or_input_is_refused():
    a = bytearray(range(48))
    img = memoryview(a).cast("B", (4, 4, 3))
    out = memoryview(a)[20:36]  # inside the image's bytes, not at its start
    with pytest.raises(parchunk.ArgumentError, match="overlaps"):
        image.to_grayscale(img, out=out)
    assert a == bytearray(range(48))


# ---------------------------------------------------------------- bins ----

@pytest.mark.parametrize("bins,exc,words", [
    (0, ValueError, "bins"), (-3, ValueError, "bins"), (2.0, TypeError, "bins"),
    (True, TypeError, "bins"), (None, TypeError, "bins"), ("4", TypeError, "bins"),
    ([1, 2, 3], TypeError, "bins"),
])
def test_histogram_bad_bins(bins, exc, words):
    with pytest.raises(exc) as ei:
        parchunk.histogram(_x(), bins)
    assert words in str(ei.value)


def test_histogram_index_bins_match_numpy(np):
    x = np.random.default_rng(2).random(1000)
    for bins in (np.int32(7), np.uint8(7), _Index(7)):
        c, e = parchunk.histogram(x, bins)
        wc, we = np.histogram(x, 7)
        assert np.array_equal(c, wc) and np.array_equal(e, we)


@pytest.mark.parametrize("rng,exc,words", [
    ((1.0, 0.0), parchunk.ArgumentError, "range"),
    ((math.nan, 1.0), parchunk.DomainError, "not finite"),
    ((0.0, math.nan), parchunk.DomainError, "not finite"),
    ((-math.inf, 1.0), parchunk.DomainError, "not finite"),
    ((0.0, math.inf), parchunk.DomainError, "not finite"),
    ((0, 10**400), parchunk.DomainError, "not finite"),
    ((-1e308, 1e308), parchunk.ArgumentError, "bins"),
    ((0.0, 5e-324), parchunk.ArgumentError, "bins"),
    ((0.0,), TypeError, "range"), ((0, 1, 2), TypeError, "range"), (5, TypeError, "range"),
    (("0", "1"), TypeError, "range"), ((None, 1), TypeError, "range"),
    ((True, 2), TypeError, "range"),
])
def test_histogram_bad_ranges(rng, exc, words):
    with pytest.raises(exc) as ei:
        parchunk.histogram(_x(), 4, rng)
    assert words in str(ei.value)


def test_histogram_auto_range_with_inf_or_nan():
    for bad in ([1.0, math.inf], [math.nan, 1.0], [-math.inf]):
        with pytest.raises(parchunk.DomainError, match="not finite"):
            parchunk.histogram(bad)


def test_histogram_merge_refuses_non_counts():
    good = array.array("q", [1, 2, 3])
    for bad, exc, words in (
            (None, parchunk.DTypeError, "counts[1]"),
            (5, parchunk.DTypeError, "counts[1]"),
            ("123", parchunk.DTypeError, "counts[1]"),
            ([1.5, 2.0, 3.0], parchunk.DTypeError, "counts[1]"),
            (["1", "2", "3"], parchunk.DTypeError, "counts[1]"),
            ([1, 2], parchunk.ShapeError, "counts[1] has 2"),
            ([1, 2, 3, 4], parchunk.ShapeError, "counts[1] has 4"),
            ([1, -2, 3], ValueError, "negative"),
            ([2**63, 0, 0], OverflowError, "int64"),
            ([[1, 2, 3]], (parchunk.ShapeError, parchunk.DTypeError), "counts[1]")):
        with pytest.raises(exc) as ei:
            parchunk.histogram_merge(good, bad)
        assert words in str(ei.value), (bad, str(ei.value))
    with pytest.raises(ValueError, match="at least one"):
        parchunk.histogram_merge()
    with pytest.raises(OverflowError):
        parchunk.histogram_merge([2**62], [2**62], [2**62])
    assert list(parchunk.histogram_merge([], [])) == []


def test_histogram_merge_numpy_counts(np):
    good = np.array([1, 2, 3])
    for bad, exc in ((np.array([1.5, 2.0, 3.0]), parchunk.DTypeError),
                     (np.ones((3, 1), np.int64), parchunk.ShapeError),
                     (np.ones((1, 3), np.int64), parchunk.ShapeError),
                     (np.array([2**64 - 1, 0, 0], np.uint64), OverflowError),
                     (np.array([True, False, True]), parchunk.DTypeError)):
        with pytest.raises(exc) as ei:
            parchunk.histogram_merge(good, bad)
        assert "counts[1]" in str(ei.value)
    got = parchunk.histogram_merge(good, np.array([1, 1, 1], np.uint8), [0, 0, 5])
    assert got.tolist() == [2, 3, 9] and got.dtype == np.int64


# ---------------------------------------------------------------- ddof ----

@pytest.mark.parametrize("fn", [parchunk.var, parchunk.std])
def test_ddof_edges(fn):
    x = _x()
    with pytest.raises(parchunk.ArgumentError, match=r"ddof \(5\) must be smaller"):
        fn(x, ddof=5)
    with pytest.raises(parchunk.ArgumentError, match=r"ddof \(6\) must be smaller"):
        fn(x, ddof=6)
    for huge in (2**63 - 1, 2**63, 2**64, 2**64 + 1, 10**30):
        with pytest.raises(parchunk.ArgumentError) as ei:  # never wrapped around to 0 or 1
            fn(x, ddof=huge)
        assert "ddof" in str(ei.value)
    with pytest.raises(parchunk.ArgumentError, match="ddof must be >= 0"):
        fn(x, ddof=-1)
    for bad in (1.0, True, None, "1"):
        with pytest.raises(TypeError, match="ddof"):
            fn(x, ddof=bad)
    v = fn(x, ddof=_Index(4))
    data = list(x)
    m = sum(data) / 5
    var = sum((d - m) ** 2 for d in data) / 1
    assert math.isclose(v, var if fn is parchunk.var else math.sqrt(var), rel_tol=1e-14)


def test_ddof_huge_with_skipna_and_finalize():
    x = _x()
    with pytest.warns(RuntimeWarning):
        assert math.isnan(parchunk.var(x, ddof=5, skipna=True))
    with pytest.raises(parchunk.ArgumentError, match="ddof"):
        parchunk.var(x, ddof=2**64, skipna=True)
    state = parchunk.partial("var", x)
    for huge in (2**63, 2**64):
        with pytest.raises(parchunk.ArgumentError, match="ddof"):
            parchunk.finalize(state, ddof=huge)
    with pytest.raises(parchunk.ArgumentError, match="ddof"):
        parchunk.var(x, axis=0, ddof=2**64)


# ---------------------------------------------------------------- axis ----

def test_axis_errors_without_numpy():
    x = array.array("d", range(12))
    for ax in (2, -3, 10**30, (0, 2)):
        with pytest.raises(parchunk.AxisError) as ei:
            parchunk.sum(x, axis=ax, shape=(3, 4))
        assert isinstance(ei.value, IndexError) and isinstance(ei.value, ValueError)
        assert "axis" in str(ei.value)
    for ax in (1.0, True, [0], "0", (0, 1.5)):
        with pytest.raises(TypeError, match="axis"):
            parchunk.mean(x, axis=ax, shape=(3, 4))
    with pytest.raises(parchunk.ArgumentError, match="duplicate"):
        parchunk.var(x, axis=(1, -1), shape=(3, 4))
    with pytest.raises(parchunk.AxisError):
        parchunk.max(array.array("d", [1.0]), axis=0, shape=())
    for shape, exc in (((5, 3), parchunk.ShapeError), ((-3, -4), parchunk.ArgumentError),
                       ((3.0, 4), TypeError), ("34", TypeError), ((True, 12), TypeError)):
        with pytest.raises(exc) as ei:
            parchunk.sum(x, axis=0, shape=shape)
        assert "shape" in str(ei.value)


def test_axis_on_zero_d_and_empty(np):
    z = np.array(2.5)
    assert parchunk.sum(z) == 2.5 and parchunk.sum(z, axis=()) == 2.5
    for ax in (0, -1):
        with pytest.raises(parchunk.AxisError):
            parchunk.sum(z, axis=ax)
    e = np.zeros((0, 3))
    assert np.array_equal(parchunk.sum(e, axis=0), np.sum(e, axis=0))
    with pytest.raises(parchunk.EmptyError):
        parchunk.mean(e, axis=0)
    assert parchunk.mean(e, axis=1).shape == (0,)


# -------------------------------------------------------------- random ----

@pytest.mark.parametrize("fn", ["uniform", "normal", "integers"])
def test_random_seed_offset_n(fn):
    def call(n=4, **k):
        if fn == "integers":
            return prandom.integers(n, 0, 10, **k)
        return getattr(prandom, fn)(n, **k)

    for seed in (-1, 2**64, 2**100):
        with pytest.raises(parchunk.ArgumentError, match="seed"):
            call(seed=seed)
    for seed in (1.0, None, True, "1", b"1"):
        with pytest.raises(parchunk.DTypeError, match="seed"):
            call(seed=seed)
    with pytest.raises(TypeError):
        call()  # seed is required
    for n in (-1, 2**64):
        with pytest.raises(parchunk.ArgumentError, match="n must be"):
            call(n=n, seed=1)
    for n in (1.0, None, True):
        with pytest.raises(parchunk.DTypeError, match="n must be"):
            call(n=n, seed=1)
    with pytest.raises(parchunk.ArgumentError, match="offset"):
        call(n=10, seed=1, offset=2**64 - 5)
    with pytest.raises(parchunk.ArgumentError, match="offset"):
        call(seed=1, offset=-1)
    tail = call(n=5, seed=9, offset=2**64 - 5)  # the last five values of the stream exist
    assert len(tail) == 5
    assert list(call(n=3, seed=2**64 - 1, offset=2)) == list(call(n=5, seed=2**64 - 1))[2:]
    assert list(call(n=3, seed=_Index(7))) == list(call(n=3, seed=7))


def test_random_integers_bounds():
    for low, high in ((5, 5), (6, 5), (0, 0), (-1, -1)):
        with pytest.raises(parchunk.ArgumentError, match="low must be < high"):
            prandom.integers(3, low, high, seed=1)
    with pytest.raises(parchunk.ArgumentError, match="low must be < high"):
        prandom.integers(3, 0, seed=1)  # [0, 0)
    with pytest.raises(parchunk.ArgumentError, match="high"):
        prandom.integers(3, 0, 2**63, seed=1)
    with pytest.raises(parchunk.ArgumentError, match="low"):
        prandom.integers(3, -2**63 - 1, 0, seed=1)
    for bad in (0.5, "1", True):
        with pytest.raises(parchunk.DTypeError):
            prandom.integers(3, bad, 5, seed=1)
    v = prandom.integers(2000, -2**63, 2**63 - 1, seed=4)
    assert all(-2**63 <= int(k) < 2**63 - 1 for k in v)
    assert list(prandom.integers(50, 7, 8, seed=4)) == [7] * 50


def test_random_float_parameters():
    nan, inf = math.nan, math.inf
    for kw in ({"low": nan}, {"high": inf}, {"low": 1.0, "high": 1.0}, {"low": 2, "high": 1},
               {"low": -1e308, "high": 1e308}):
        with pytest.raises(parchunk.ArgumentError):
            prandom.uniform(3, seed=1, **kw)
    for kw in ({"scale": -1.0}, {"scale": inf}, {"loc": nan}, {"scale": nan}):
        with pytest.raises(parchunk.ArgumentError):
            prandom.normal(3, seed=1, **kw)
    for kw in ({"low": "0"}, {"high": None}, {"low": True}, {"low": 1j}):
        with pytest.raises(parchunk.DTypeError):
            prandom.uniform(3, seed=1, **kw)
    for dtype in ("int64", "float16", "f2", "complex128", object()):
        with pytest.raises(parchunk.DTypeError, match="dtype"):
            prandom.uniform(3, seed=1, dtype=dtype)
    with pytest.raises(parchunk.ArgumentError, match="float32"):
        prandom.uniform(3, seed=1, low=1.0, high=1.0 + 1e-12, dtype="float32")
    x = prandom.uniform(1000, seed=1, low=-1e300, high=1e300)
    assert all(-1e300 <= v < 1e300 for v in x)


def test_philox_arguments():
    want = prandom.philox4x32_10([1, 2, 3, 4], [5, 6])
    assert prandom.philox4x32_10(iter([1, 2, 3, 4]), (w for w in [5, 6])) == want
    assert prandom.philox4x32_10(array.array("I", [1, 2, 3, 4]), b"\x05\x06") == want
    for counter, key in ((None, [0, 0]), ([0, 0, 0, 0], None), (5, [0, 0])):
        with pytest.raises(parchunk.DTypeError):
            prandom.philox4x32_10(counter, key)
    for counter, key in (([0] * 5, [0, 0]), ([0] * 4, [0]), ([0] * 3, [0, 0, 0])):
        with pytest.raises(parchunk.ShapeError):
            prandom.philox4x32_10(counter, key)
    for w in (-1, 2**32):
        with pytest.raises(parchunk.ArgumentError, match="word"):
            prandom.philox4x32_10([0, 0, 0, w], [0, 0])
    with pytest.raises(parchunk.DTypeError, match="word"):
        prandom.philox4x32_10([0, 0, 0, 1.0], [0, 0])


# -------------------------------------------------- partial states ----

OPS = ["sum", "mean", "min", "max", "var", "std", "stats", "count_nonzero", "argmin", "argmax"]


def _used(op, code, off):
    """Is byte `off` of a state of op over array code `code` in a field the op
    uses (the layout of include/parchunk.h)?"""
    fl = code in "fd"
    moments = op in ("var", "std", "stats")
    sums = op in ("sum", "mean") or moments
    size = array.array(code).itemsize
    if off < 24:
        return True
    if off < 32:
        return sums and fl
    if off < 48:
        return sums and not fl
    if off < 72:
        return moments
    if off < 80:
        return off - 72 < size and op in ("min", "stats", "argmin")
    if off < 88:
        return off - 80 < size and op in ("max", "stats", "argmax")
    if off < 96:
        return op in ("argmin", "argmax")
    return False


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("code", ["b", "d"])
def test_every_single_byte_corruption(op, code):
    x = array.array(code, [3, -7, 5, 1, 2])
    good = parchunk.partial(op, x)
    ref = parchunk.finalize(good)
    for off in range(128):
        for value in (0x40, 0xFF):
            if good[off] == value:
                continue
            bad = good[:off] + bytes([value]) + good[off + 1:]
            if not _used(op, code, off):
                with pytest.raises(parchunk.ArgumentError, match="not a valid partial state"):
                    parchunk.finalize(bad)
                with pytest.raises(parchunk.ArgumentError, match=r"states\[1\]"):
                    parchunk.merge(good, bad)
                continue
            try:  # a used field: a refusal or a value of the right kind, never a crash
                got = parchunk.finalize(bad)
            except (parchunk.ArgumentError, parchunk.ResultOverflowError):
                continue
            assert type(got) is type(ref)
            if op in ("var", "std") and got == got:
                assert got >= 0.0
            if op in ("argmin", "argmax"):
                assert 0 <= got < len(x)


def test_state_fields_out_of_range():
    x = array.array("d", [4.0, 1.0, 9.0])
    for op in ("argmin", "argmax"):
        s = parchunk.partial(op, x)
        for index in (3, 2**40, -2, -(2**63)):
            bad = s[:88] + struct.pack("<q", index) + s[96:]
            with pytest.raises(parchunk.ArgumentError):
                parchunk.finalize(bad)
        bad = s[:88] + struct.pack("<q", -1) + s[96:]  # "none" while count > 0
        with pytest.raises(parchunk.ArgumentError):
            parchunk.finalize(bad)
    v = parchunk.partial("var", x)
    for m2 in (-1.0, -1e-300, -math.inf):
        with pytest.raises(parchunk.ArgumentError):
            parchunk.finalize(v[:64] + struct.pack("<d", m2) + v[72:])
    s = parchunk.partial("sum", x)
    with pytest.raises(parchunk.ArgumentError):  # n beyond 2**63
        parchunk.finalize(s[:8] + struct.pack("<QQ", 2**63 + 1, 2**63 + 1) + s[24:])
    with pytest.raises(parchunk.ArgumentError):  # count > n
        parchunk.partial_info(s[:8] + struct.pack("<QQ", 2, 3) + s[24:])
    big = s[:8] + struct.pack("<QQ", 2**62, 2**62) + s[24:]
    assert parchunk.partial_info(parchunk.merge(big, big)).n == 2**63  # the limit itself
    big2 = s[:8] + struct.pack("<QQ", 2**63, 2**63) + s[24:]
    with pytest.raises(parchunk.ResultOverflowError) as ei:
        parchunk.merge(big2, s)
    assert isinstance(ei.value, OverflowError) and "states[1]" in str(ei.value)


def test_state_containers():
    x = array.array("d", [4.0, 1.0, 9.0])
    s = parchunk.partial("mean", x)
    ref = parchunk.finalize(s)
    spread = bytes(b for c in s for b in (c, 0))
    for form in (bytearray(s), memoryview(s), memoryview(bytearray(s)),
                 memoryview(spread)[::2], memoryview(s).cast("B", (8, 16))):
        assert parchunk.finalize(form) == ref
        assert parchunk.finalize(parchunk.merge(form, form)) == ref
        assert parchunk.partial_info(form).op == "mean"
    for bad, exc in ((None, TypeError), ("x" * 128, TypeError), (list(s), TypeError),
                     (array.array("d", [0.0] * 16), TypeError), (s + b"\0", parchunk.ArgumentError),
                     (b"", parchunk.ArgumentError)):
        with pytest.raises(exc) as ei:
            parchunk.finalize(bad)
        assert "state" in str(ei.value)
    with pytest.raises(TypeError, match="merge"):
        parchunk.merge(None)
    with pytest.raises(TypeError):
        parchunk.merge([s, None])
    with pytest.raises(TypeError, match="op"):
        parchunk.partial(b"sum", x)
    for ddof in (1.0, True, None):
        with pytest.raises(TypeError, match="ddof"):
            parchunk.finalize(s, ddof=ddof)


def test_exact_states_adversarial():
    s = parchunk.sum_exact_partial([0.1, 0.2, 0.3])
    ref = parchunk.sum_exact_finalize(s)
    assert ref == math.fsum([0.1, 0.2, 0.3])
    spread = bytes(b for c in s for b in (c, 0))
    for form in (bytearray(s), memoryview(s), memoryview(spread)[::2]):
        assert parchunk.sum_exact_finalize(form) == ref
        assert parchunk.sum_exact_count(form) == 3
        assert parchunk.sum_exact_finalize(parchunk.sum_exact_merge(form, s)) == 2 * ref
    for bad in (s[:-1], s + b"\0", b""):
        with pytest.raises(parchunk.ArgumentError, match="552-byte"):
            parchunk.sum_exact_finalize(bad)
    with pytest.raises(parchunk.ArgumentError, match="parchunk.merge/finalize"):
        parchunk.sum_exact_finalize(parchunk.partial("sum", [1.0]))
    for bad in (None, "s", 5, [1.0]):
        with pytest.raises(TypeError):
            parchunk.sum_exact_count(bad)
    with pytest.raises(TypeError, match="sum_exact_merge"):
        parchunk.sum_exact_merge(5)
    import random as _random
    rng = _random.Random(11)
    for _ in range(200):
        junk = bytearray(s)
        for _ in range(rng.randint(1, 4)):
            junk[rng.randrange(len(junk))] = rng.randrange(256)
        for f in (parchunk.sum_exact_finalize, parchunk.mean_exact_finalize,
                  parchunk.sum_exact_count, lambda st: parchunk.sum_exact_merge(s, st)):
            try:
                f(bytes(junk))
            except (parchunk.ArgumentError, parchunk.ResultOverflowError):
                pass
    assert parchunk.sum_exact_finalize(s) == ref


# ---------------------------------------------------------------- files ----

def test_file_sources(tmp_path):
    p = tmp_path / "data.txt"
    p.write_bytes(b"1,2\n3,4\n")
    for src in (str(p), p, os.fsencode(str(p)).decode()):
        assert pfile.count_lines(src) == 2
    assert pfile.count_lines(bytes(p.read_bytes())) == 2  # bytes are data, never a path
    assert pfile.count_lines(str(p).encode()) == 0
    for fn, args in ((pfile.count_lines, ()), (pfile.count, (b"1",)), (pfile.byte_histogram, ()),
                     (pfile.crc32, ()), (pfile.read_numbers, ())):
        with pytest.raises(FileNotFoundError) as ei:
            fn(str(tmp_path / "missing"), *args)
        assert isinstance(ei.value, parchunk.FileError) and ei.value.filename.endswith("missing")
        with pytest.raises(IsADirectoryError):
            fn(tmp_path, *args)
        with pytest.raises(parchunk.ArgumentError, match="NUL"):
            fn(str(p) + "\0x", *args)
        for bad in (None, 5, 1.5, ["a"], {"a": 1}):
            with pytest.raises(parchunk.DTypeError, match="src"):
                fn(bad, *args)
    for needle in (b"", bytearray(), memoryview(b"")):
        with pytest.raises(parchunk.ArgumentError, match="needle is empty"):
            pfile.count(b"abc", needle)
        with pytest.raises(parchunk.ArgumentError, match="needle is empty"):
            pfile.count(p, needle)
    for needle in ("a", None, 5, ["a"]):
        with pytest.raises(parchunk.DTypeError, match="needle"):
            pfile.count(p, needle)
    assert pfile.count(b"aaaa", memoryview(b"xaay")[1:3]) == 2
    assert pfile.count(b"ab", b"abc") == 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files without permission")
def test_file_unreadable(tmp_path):
    p = tmp_path / "secret"
    p.write_bytes(b"x\n")
    p.chmod(0)
    try:
        with pytest.raises(PermissionError):
            pfile.count_lines(p)
    finally:
        p.chmod(0o600)


def test_crc32_values():
    import zlib
    data = bytes(range(256)) * 50
    for value in (0, 1, 2**32 - 1, -1, 2**40 + 7, -(2**70), _Index(5)):
        assert pfile.crc32(data, value) == zlib.crc32(data, operator.index(value) & 0xFFFFFFFF)
    for bad in (1.5, "1", None, b"1"):
        with pytest.raises(TypeError, match="value"):
            pfile.crc32(data, bad)


def test_read_numbers_arguments():
    data = b"1,2,3\n4,5,6\n"
    for skip in (True, False, 1.0, "1", None):
        with pytest.raises(TypeError, match="skip_rows"):
            pfile.read_numbers(data, skip_rows=skip)
    with pytest.raises(parchunk.ArgumentError, match="skip_rows"):
        pfile.read_numbers(data, skip_rows=-1)
    for skip in (2, 3, 2**64 - 1, 2**64, 2**64 + 1, 10**30):  # never wrapped around
        got = pfile.read_numbers(data, skip_rows=skip)
        assert len(got.tolist()) == 0
    assert pfile.read_numbers(data, skip_rows=_Index(1)).tolist() == [[4.0, 5.0, 6.0]]
    for cols in ([True], [0, 1.0], "01", [None], 1.5):
        with pytest.raises(TypeError, match="usecols"):
            pfile.read_numbers(data, usecols=cols)
    for cols in (3, [-4], [0, 0], [0, -3], 2**63, [10**30]):
        with pytest.raises(parchunk.ArgumentError, match="usecols"):
            pfile.read_numbers(data, usecols=cols)
    assert pfile.read_numbers(data, usecols=(2, _Index(0))).tolist() == [[3.0, 1.0], [6.0, 4.0]]
    assert pfile.read_numbers(data, usecols=-1).tolist() == [[3.0], [6.0]]
    for delim in ("\n", "\r", "1", ".", "-", "+", "e", "ab", "", "é", 44, None, b""):
        with pytest.raises(parchunk.ArgumentError, match="delimiter"):
            pfile.read_numbers(data, delimiter=delim)
    for comment in (",", "\n", "5", "ab", 35):
        with pytest.raises(parchunk.ArgumentError, match="comment"):
            pfile.read_numbers(data, comment=comment)
    for dtype in ("int32", "float16", "uint64", object(), "f2", complex):
        with pytest.raises(parchunk.DTypeError, match="read_numbers reads"):
            pfile.read_numbers(data, dtype=dtype)
    with pytest.raises(parchunk.ShapeError, match="line 2"):
        pfile.read_numbers(b"1,2\n3\n")
    with pytest.raises(parchunk.ParseError, match="line 2"):
        pfile.read_numbers(b"1,2\n3,x\n")
    with pytest.raises(OverflowError):
        pfile.read_numbers(b"9223372036854775808\n", dtype="int64")


# --------------------------------------------------------------- logreg ----

def _X(rows):
    flat = array.array("d", [v for r in rows for v in r])
    return memoryview(flat).cast("B").cast("d", (len(rows), len(rows[0])))


def test_logreg_adversarial():
    X = _X([[0.5, 1.0], [-1.0, 2.0], [1.5, -0.5]])
    y = [1.0, -1.0, 1.0]
    for labels, words in (([1.0, 0.0, 1.0], "y[1]"), ([1, 2, 1], "y[1]"),
                          ([1.0, math.nan, 1.0], "y[1]"), ([1.0, 1.0, math.inf], "y[2]"),
                          ([1.0, -1.0000001, 1.0], "y[1]")):
        with pytest.raises(parchunk.DomainError) as ei:
            logreg.fit(X, labels)
        assert words in str(ei.value)
    for labels in ([True, False, True], ["1", "1", "1"], [None] * 3, None, 5):
        with pytest.raises(parchunk.DTypeError):
            logreg.fit(X, labels)
    for labels in ([1.0, -1.0], [1.0] * 4, [], array.array("d", [1.0] * 3)[:2]):
        with pytest.raises(parchunk.ShapeError, match="y"):
            logreg.fit(X, labels)
    for w, exc in (([0.0], parchunk.ShapeError), ([0.0] * 3, parchunk.ShapeError),
                   ([0.0, math.nan], parchunk.DomainError), ([math.inf, 0.0], parchunk.DomainError),
                   (["a", 0.0], parchunk.DTypeError), (3.0, parchunk.DTypeError),
                   (memoryview(bytearray(16)).cast("d", (2, 1)), parchunk.ShapeError)):
        with pytest.raises(exc) as ei:
            logreg.fit(X, y, w)
        assert "w" in str(ei.value)
        with pytest.raises(exc):
            logreg.predict_proba(X, w)
    for it in (-1, 2**64, 2**70):  # never wrapped around to a small count
        with pytest.raises(parchunk.ArgumentError, match="iterations"):
            logreg.fit(X, y, iterations=it)
    for it in (1.0, True, "3", None):
        with pytest.raises(TypeError, match="iterations"):
            logreg.fit(X, y, iterations=it)
    for lr in (math.nan, math.inf, -math.inf):
        with pytest.raises(parchunk.ArgumentError, match="learning_rate"):
            logreg.fit(X, y, learning_rate=lr)
    for lr in ("1", None, True, 1j):
        with pytest.raises(TypeError, match="learning_rate"):
            logreg.fit(X, y, learning_rate=lr)
    bad_x = _X([[0.5, math.nan], [1.0, 1.0], [1.0, 1.0]])
    with pytest.raises(parchunk.DomainError, match=r"X\[0\]\[1\]"):
        logreg.fit(bad_x, y)
    for Xb, exc in ((memoryview(bytearray(24)).cast("d"), parchunk.ShapeError),
                    (memoryview(bytearray(24)).cast("i", (3, 2)), parchunk.DTypeError),
                    ("X", parchunk.DTypeError), (None, parchunk.DTypeError)):
        with pytest.raises(exc) as ei:
            logreg.fit(Xb, y)
        assert "X" in str(ei.value)
    assert list(logreg.fit(X, y, [0.25, -0.5], iterations=0)) == [0.25, -0.5]
    p = logreg.predict_proba(X, [0.25, -0.5])
    for row, got in zip([[0.5, 1.0], [-1.0, 2.0], [1.5, -0.5]], p):
        want = 1.0 / (1.0 + math.exp(-(row[0] * 0.25 - row[1] * 0.5)))
        assert math.isclose(got, want, rel_tol=1e-14)


def test_logreg_zero_d_and_layouts(np):
    X = np.random.default_rng(4).standard_normal((40, 3))
    y = np.where(np.arange(40) % 3 == 0, 1.0, -1.0)
    ref = logreg.fit(X, y, iterations=5)
    assert np.array_equal(logreg.fit(X[::-1], y[::-1], iterations=5), ref) or \
        np.allclose(logreg.fit(X[::-1], y[::-1], iterations=5), ref, rtol=1e-12)
    assert np.allclose(logreg.fit(np.asfortranarray(X), y, iterations=5), ref, rtol=1e-12)
    with pytest.raises(parchunk.ShapeError, match="y"):
        logreg.fit(X[:1], np.array(1.0))
    with pytest.raises(parchunk.ShapeError, match="w"):
        logreg.fit(X[:, :1].copy(), y, np.array(0.0))
    with pytest.raises(parchunk.ShapeError, match="w"):
        logreg.predict_proba(X[:, :1].copy(), np.array(0.0))


# ---------------------------------------------------------------- image ----

def _gray(r, g, b):
    return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16


def test_image_adversarial():
    raw = bytes((i * 37) % 256 for i in range(2 * 3 * 4))
    for shape in ((2.0, 3, 4), ("2", 3, 4), (True, 3, 8), (2, 3), (2, 3, 4, 1), "234",
                  (2, None, 4)):
        with pytest.raises(parchunk.ArgumentError, match="shape"):
            image.to_grayscale(raw, shape=shape)
    for shape in ((-2, -3, 4), (2, 3, -4)):
        with pytest.raises(parchunk.ArgumentError, match="negative"):
            image.to_grayscale(raw, shape=shape)
    for c in (1, 2, 5, 6, 8):
        buf = bytes(2 * 3 * c)
        with pytest.raises(parchunk.ShapeError, match="channels"):
            image.to_grayscale(buf, shape=(2, 3, c))
    with pytest.raises(parchunk.ShapeError, match="needs"):
        image.to_grayscale(raw, shape=(2, 3, 3))
    for bad in (memoryview(bytearray(24)).cast("h", (2, 3, 2)),
                memoryview(bytearray(24)).cast("?", (2, 3, 4))):
        with pytest.raises(parchunk.DTypeError, match="uint8"):
            image.to_grayscale(bad)
    got = image.to_grayscale(raw, shape=(2, 3, 4))
    want = [_gray(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, 24, 4)]
    assert list(bytes(memoryview(got).cast("B")) if not isinstance(got, bytearray) else got) \
        == want
    out = bytearray(b"\x07" * 6)
    ro = bytes(6)
    with pytest.raises(TypeError, match="read-only"):
        image.to_grayscale(raw, ro, shape=(2, 3, 4))
    for o, exc in ((bytearray(5), parchunk.ShapeError), (bytearray(7), parchunk.ShapeError),
                   (memoryview(bytearray(12))[::2], parchunk.ArgumentError),
                   (array.array("h", [0] * 3), parchunk.DTypeError),
                   ("abcdef", parchunk.DTypeError)):
        with pytest.raises(exc) as ei:
            image.to_grayscale(raw, o, shape=(2, 3, 4))
        assert "out" in str(ei.value)
    assert image.to_grayscale(raw, out, shape=(2, 3, 4)) is out and list(out) == want
    # batch: one bad image anywhere -> nothing written
    outs = [bytearray(b"\x07" * 6), bytearray(b"\x07" * 6)]
    img = memoryview(raw).cast("B", (2, 3, 4))
    for bad in (memoryview(bytes(12)).cast("B", (2, 3, 2)), "x", None, bytes(24)):
        with pytest.raises((parchunk.ShapeError, parchunk.DTypeError)) as ei:
            image.to_grayscale_batch([img, bad], out=outs)
        assert "images[1]" in str(ei.value)
        assert outs == [bytearray(b"\x07" * 6)] * 2
    with pytest.raises(parchunk.ShapeError, match="out\\[1\\]"):
        image.to_grayscale_batch([img, img], out=[bytearray(6), bytearray(5)])
    for bad in (None, 5, "abc", b"abc", img):
        with pytest.raises(TypeError):
            image.to_grayscale_batch(bad)
    assert image.to_grayscale_batch([]) == []


def test_image_layouts(np):
    rng = np.random.default_rng(8)
    img = rng.integers(0, 256, (9, 7, 4), dtype=np.uint8)
    want = ((img[..., 0].astype(np.int64) * 19595 + img[..., 1].astype(np.int64) * 38470
             + img[..., 2].astype(np.int64) * 7471 + 0x8000) >> 16).astype(np.uint8)
    for view, ref in ((img[::-1], want[::-1]), (img[:, ::-2], want[:, ::-2]),
                      (img[1:5, 2:6], want[1:5, 2:6]), (np.asfortranarray(img), want),
                      (img[..., :3], want), (img[:0], want[:0])):
        assert np.array_equal(image.to_grayscale(view), ref)
    with pytest.raises(parchunk.ShapeError, match="channels"):
        image.to_grayscale(img[..., ::2])  # 2 channels
    with pytest.raises(parchunk.DTypeError):
        image.to_grayscale(img.astype(np.int8))


# ------------------------------------------------------------ the rest ----

@pytest.mark.parametrize("code,value,outcode", [("q", 2**53, "q"), ("q", -(2**53), "q"),
                                                ("Q", 2**62, "q"), ("Q", 2**54, "Q")])
def test_cumsum_overflow_leaves_out_untouched(code, value, outcode):
    n = 5000 if code == "q" or outcode == "Q" else 3
    x = array.array(code, [value] * n)
    x[-1] = value if outcode != "Q" else 2**64 - 1
    out = array.array(outcode, [7] * n)
    with pytest.raises(parchunk.ResultOverflowError) as ei:
        parchunk.cumsum(x, out=out)
    assert isinstance(ei.value, OverflowError) and "cumsum" in str(ei.value)
    assert set(out) == {7}
    if outcode == "q" and code == "q":
        with pytest.raises(parchunk.ResultOverflowError):
            parchunk.cumsum(x, out=x)  # in place too: nothing half-written
        assert set(x[:-1]) == {value}


@pytest.mark.parametrize("setter", ["set_num_threads", "threads"])
def test_thread_settings(setter):
    def apply(v):
        if setter == "set_num_threads":
            parchunk.set_num_threads(v)
        else:
            with parchunk.threads(v):
                pass
    try:
        for v in (0, -1, THREADS_MAX + 1, 10**30):
            with pytest.raises(parchunk.ArgumentError, match=str(v)):
                apply(v)
        for v in (True, 1.5, "2", [2]):
            with pytest.raises(TypeError):
                apply(v)
        assert parchunk.get_num_threads() >= 1
        apply(_Index(2))
        apply(None)
    finally:
        parchunk.set_num_threads(None)


def test_mean_abs_dev_center():
    data = [1.0, 2.0, 4.0, -3.5]
    for c in (None, 1, 1.5, -7, _Float(0.25)):
        ref_c = sum(data) / len(data) if c is None else float(c)
        want = math.fsum(abs(v - ref_c) for v in data) / len(data)
        assert math.isclose(parchunk.mean_abs_dev(data, c), want, rel_tol=1e-15)
    assert math.isnan(parchunk.mean_abs_dev(data, math.nan))
    assert parchunk.mean_abs_dev(data, math.inf) == math.inf
    for c in (True, "1", b"1", 1j, [1.0]):
        with pytest.raises(TypeError, match="center"):
            parchunk.mean_abs_dev(data, c)
    with pytest.raises(OverflowError, match="center"):
        parchunk.mean_abs_dev(data, 10**400)
    with pytest.raises(parchunk.EmptyError):
        parchunk.mean_abs_dev([], 1.0)


class _Float:
    def __init__(self, v):
        self.v = v

    def __float__(self):
        return self.v


def test_dot_mixed_inputs():
    i32 = array.array("i", [1, -2, 3])
    assert parchunk.dot([4, 5, 6], i32) == 4 - 10 + 18
    assert parchunk.dot([1, 2], [1.5, 2.5]) == 6.5
    with pytest.raises(parchunk.DTypeError, match="x"):
        parchunk.dot([1.5, 0, 0], i32)
    with pytest.raises(parchunk.DTypeError, match="y"):
        parchunk.dot(array.array("b", [1]), [300])
    with pytest.raises(parchunk.DTypeError, match="y has dtype"):
        parchunk.dot(i32, array.array("q", [1, 2, 3]))
    with pytest.raises(parchunk.ShapeError, match="y has 2"):
        parchunk.dot(i32, array.array("i", [1, 2]))
    with pytest.raises(parchunk.DTypeError):
        parchunk.dot(i32, None)
    big = array.array("q", [2**62, 2**62])
    assert parchunk.dot(big, array.array("q", [4, 4])) == float(2 * 4 * 2**62)


def _misaligned(code="d", n=10):
    raw = bytearray(8 * (n + 1))
    return raw, memoryview(raw)[1:1 + 8 * n].cast(code)


@pytest.mark.parametrize("name", sorted(ARRAY_FUNCS))
def test_misaligned_native_views_are_refused_everywhere(name):
    raw, mis = _misaligned()
    with pytest.raises(parchunk.ArgumentError) as ei:
        ARRAY_FUNCS[name](mis)
    assert "not aligned" in str(ei.value)
    assert raw == bytearray(len(raw))


def test_misaligned_outputs_and_matrices_are_refused():
    good = array.array("d", range(10))
    for call in (lambda m: parchunk.sort(good, out=m), lambda m: parchunk.cumsum(good, out=m),
                 lambda m: prandom.uniform(10, seed=1, out=m),
                 lambda m: prandom.normal(10, seed=1, out=m),
                 lambda m: logreg.fit(memoryview(m.obj)[1:81].cast("d", (10, 1)), [1.0] * 10),
                 lambda m: logreg.predict_proba(memoryview(m.obj)[1:81].cast("d", (10, 1)),
                                                [1.0])):
        raw, mis = _misaligned()
        with pytest.raises(parchunk.ArgumentError, match="not aligned"):
            call(mis)
        assert raw == bytearray(len(raw))
    raw, misq = _misaligned("q")
    with pytest.raises(parchunk.ArgumentError, match="not aligned"):
        prandom.integers(10, 0, 5, seed=1, out=misq)
    assert raw == bytearray(len(raw))


def test_pointers_to_views_pin_the_memory(backend):
    """A pointer made from a memoryview keeps the exporter from resizing
    (the C call may run with the GIL released) until the pointer is gone."""
    import gc
    b = parchunk._core.backend()
    for writable in (False, True):
        ba = bytearray(64)
        p = b.buffer(memoryview(ba)[8:], "double", writable=writable)
        assert b.address(p) % 8 == b.address(b.buffer(ba)) % 8
        if platform.python_implementation() != "PyPy":  # PyPy never locks a bytearray
            with pytest.raises(BufferError):
                ba.extend(b"x")
        del p
        gc.collect()
        ba.extend(b"x")  # released


class _Boom(Exception):
    pass


@pytest.mark.parametrize("fn", ["sort", "cumsum", "sum"])
def test_progress_callback_raising(fn):
    """An exception from a progress callback cancels the call and propagates;
    sort/cumsum outputs are then untouched or complete (never half-written),
    and the thread's context stays usable (also for nested calls)."""
    n = 1 << 20 if fn != "sum" else 1 << 21
    x = array.array("d", [float((i * 7919) % 1000) for i in range(n)]) if fn != "sum" else \
        array.array("d", [1.0]) * n
    out = array.array("d", [-7.0]) * n
    seen = []

    def bad(done, total):
        seen.append(parchunk.sum([1.0, 2.0]))  # a nested call from the callback
        raise _Boom("from the callback")

    kwargs = {"out": out} if fn != "sum" else {}
    with pytest.raises(_Boom):
        getattr(parchunk, fn)(x, progress=bad, **kwargs)
    assert seen and seen[0] == 3.0
    if fn == "sort":
        assert set(out) == {-7.0} or list(out) == sorted(x)
    elif fn == "cumsum":
        assert set(out) == {-7.0} or list(out) == list(parchunk.cumsum(x))
    assert parchunk.sum(x, nthreads=2) == math.fsum(x)  # the context works on


def test_impossible_result_sizes_are_memory_errors():
    # sizes no machine can allocate: a precise MemoryError naming the size
    # (NumPy alone says "array is too big", a ValueError), never a wrap-around
    for n in (2**62, 2**63, 2**64 - 1):
        for f in (lambda: prandom.uniform(n, seed=1), lambda: prandom.normal(n, seed=1),
                  lambda: prandom.integers(n, 0, 5, seed=1)):
            with pytest.raises(parchunk.OutOfMemoryError) as ei:
                f()
            assert isinstance(ei.value, MemoryError) and f"n = {n}" in str(ei.value)
    for bins in (2**62, 2**63, 10**30):
        with pytest.raises(parchunk.OutOfMemoryError, match="bins"):
            parchunk.histogram(_x(), bins, (0.0, 1.0))
