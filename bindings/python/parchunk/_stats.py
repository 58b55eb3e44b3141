"""Statistics: var, std, stats, argmin, argmax, dot, count_nonzero, and the
NaN-skipping scalar forms behind ``skipna=True``.

Accuracy (see include/parchunk.h, "Statistics"): the variance is the stable
two-pass method per cache block, blocks and chunks merged with Chan et al.'s
formulas and means carried in double-double, so data with a large common
offset (1e9 + noise) keep ~1e-15 relative accuracy where a one-pass
sum-of-squares formula loses every digit. Results are bit-identical for any
thread count.

NaN: the plain forms propagate NaN (argmin/argmax give the first NaN's
index, as NumPy). ``skipna=True`` follows numpy.nan*: NaN elements are
ignored; with none left, sums are 0 and the others NaN with a
RuntimeWarning (NumPy warns too), argmin/argmax raise EmptyError. Integer
inputs have no NaN: skipna changes nothing for them.
"""
from __future__ import annotations

import operator
import struct
from collections import namedtuple
from typing import Any, Optional, Union

from . import _axis, _core, _decls
from ._core import ProgressArg
from ._errors import ArgumentError, DTypeError, ShapeError
from ._input import _FLOAT_DTYPES, DTYPE_INFO, DTYPE_NAMES, as_input

E = _decls.ENUMS
Number = Union[int, float]
OP_STATS = E["PARCHUNK_OP_STATS"]
OP_ARGMIN, OP_ARGMAX = E["PARCHUNK_OP_ARGMIN"], E["PARCHUNK_OP_ARGMAX"]
SKIPNA = E["PARCHUNK_SKIPNA"]
STATE_SIZE = E["PARCHUNK_PARTIAL_STATE_SIZE"]
_INT64_MAX = (1 << 63) - 1

#: The result of stats(): count (int), sum (exact int for integer inputs,
#: else float), mean and var (floats, var with ddof 0), min and max (int for
#: integer inputs, else float).
Stats = namedtuple("Stats", "count sum mean var min max")


def _ddof_arg(ddof: Any) -> int:
    if isinstance(ddof, bool) or not hasattr(type(ddof), "__index__"):
        raise TypeError(f"ddof must be an int >= 0, not {type(ddof).__name__}")
    ddof = operator.index(ddof)
    if ddof < 0:
        raise ArgumentError(f"ddof must be >= 0, got {ddof}")
    if ddof > _INT64_MAX:  # the C parameter is int64_t (ctypes would wrap it around)
        raise ArgumentError(f"ddof must be below 2**63, got {ddof}")
    return ddof


def _double_call(cname: str, a, extra: tuple, nthreads, progress, name: str) -> float:
    ts = _core.state()
    out = ts.take("double")
    _core.run(cname, a.ptr, a.n, a.dtype, *extra, out, n=a.n, nthreads=nthreads,
              progress=progress, name=name, ts=ts)
    v = out[0]
    ts.give("double", out)
    return v


def nan_scalar(kind: str, x: Any, ddof: int = 0, nthreads: Optional[int] = None,
               progress: ProgressArg = None) -> Number:
    """The skipna=True value of kind ("sum", "mean", "min", "max", "var",
    "std") over all of x; integer inputs take the plain path's value."""
    a = as_input(x, "x")
    name = f"{kind}(skipna=True)"
    if a.dtype not in _FLOAT_DTYPES:
        return _PLAIN[kind](x, ddof, nthreads, progress)
    if kind in ("min", "max"):
        ts = _core.state()
        ctype = DTYPE_INFO[a.dtype][2]
        out = ts.take(ctype)
        _core.run("parchunk_nan" + kind, a.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads,
                  progress=progress, name=name, ts=ts)
        v = out[0]
        ts.give(ctype, out)
    elif kind in ("var", "std"):
        v = _double_call("parchunk_nan" + kind, a, (ddof,), nthreads, progress, name)
    else:
        v = _double_call("parchunk_nan" + kind, a, (), nthreads, progress, name)
    if v != v and kind != "sum":
        _axis.warn_nan(name)
    return v


def _plain_sum(x, ddof, nthreads, progress):
    from ._reduce import sum as sum_
    return sum_(x, nthreads=nthreads, progress=progress)


def _plain_mean(x, ddof, nthreads, progress):
    from ._reduce import mean
    return mean(x, nthreads=nthreads, progress=progress)


def _plain_min(x, ddof, nthreads, progress):
    from ._reduce import min as min_
    return min_(x, nthreads=nthreads, progress=progress)


def _plain_max(x, ddof, nthreads, progress):
    from ._reduce import max as max_
    return max_(x, nthreads=nthreads, progress=progress)


_PLAIN = {
    "sum": _plain_sum, "mean": _plain_mean, "min": _plain_min, "max": _plain_max,
    "var": lambda x, ddof, t, p: var(x, ddof=ddof, nthreads=t, progress=p),
    "std": lambda x, ddof, t, p: std(x, ddof=ddof, nthreads=t, progress=p),
}


def _moment(kind: str, op: int, x: Any, axis: Any, ddof: Any, skipna: bool, keepdims: bool,
            shape, nthreads, progress) -> Any:
    ddof = _ddof_arg(ddof)
    if axis is not None or keepdims or shape is not None:
        def scalar():
            return _moment(kind, op, x, None, ddof, skipna, False, None, nthreads, progress)
        return _axis.reduce(op, x, axis, skipna=skipna, ddof=ddof, keepdims=keepdims,
                            shape=shape, nthreads=nthreads, progress=progress, scalar=scalar,
                            name=f"{kind}()")
    if skipna:
        return nan_scalar(kind, x, ddof, nthreads, progress)
    a = as_input(x, "x")
    return _double_call("parchunk_" + kind, a, (ddof,), nthreads, progress, f"{kind}()")


def var(x: Any, axis: Any = None, *, ddof: int = 0, skipna: bool = False,
        keepdims: bool = False, shape: Any = None, nthreads: Optional[int] = None,
        progress: ProgressArg = None) -> Any:
    """The variance M2 / (n - ddof) of x, as numpy.var (a float).

    Stable for any offset: data like 1e9 + noise keep ~1e-15 relative
    accuracy (see the module docstring). Integers are converted to double
    (exact below 2**53). A NaN gives NaN; an inf gives NaN.
    ddof: an int in [0, 2**63) (else ArgumentError); n <= ddof raises ArgumentError
    (NumPy returns nan/inf with a warning), empty x raises EmptyError.
    skipna=True: numpy.nanvar (ignore NaN; no non-NaN values, or their count
    <= ddof, gives NaN with a RuntimeWarning).
    axis / keepdims / shape: reduce along axes, as numpy.var(x, axis); see
    parchunk._axis for shapes, result types and the no-NumPy result (nested
    lists).
    """
    return _moment("var", _axis.OP_VAR, x, axis, ddof, skipna, keepdims, shape, nthreads,
                   progress)


def std(x: Any, axis: Any = None, *, ddof: int = 0, skipna: bool = False,
        keepdims: bool = False, shape: Any = None, nthreads: Optional[int] = None,
        progress: ProgressArg = None) -> Any:
    """The standard deviation sqrt(var(x, ddof)), as numpy.std; same rules
    as var (skipna=True: numpy.nanstd; axis= as numpy.std(x, axis))."""
    return _moment("std", _axis.OP_STD, x, axis, ddof, skipna, keepdims, shape, nthreads,
                   progress)


def _element(state: bytes, offset: int, dtype: int) -> Number:
    code = DTYPE_INFO[dtype][3]
    return struct.unpack_from("<" + code, state, offset)[0]


def _isum(state: bytes) -> int:
    lo, hi = struct.unpack_from("<Qq", state, 32)
    return (hi << 64) | lo


def stats_of_state(state: bytes, dtype: int, count: int, res) -> Stats:
    """A Stats from a STATS state and its finalized parchunk_stats_result:
    exact ints for integer dtypes (read from the documented layout)."""
    if dtype in _FLOAT_DTYPES:
        return Stats(count, res.sum, res.mean, res.var, res.min, res.max)
    return Stats(count, _isum(state), res.mean, res.var, _element(state, 72, dtype),
                 _element(state, 80, dtype))


def stats(x: Any, *, skipna: bool = False, nthreads: Optional[int] = None,
          progress: ProgressArg = None) -> Stats:
    """count, sum, mean, var (ddof 0), min and max of x in one read of the
    data, as a named tuple parchunk.Stats.

    sum, mean, min, max equal parchunk.sum/mean/min/max of x (integer inputs:
    sum is the exact Python int, min/max ints), var equals parchunk.var(x).
    NaN anywhere makes sum, mean, var, min and max NaN; skipna=True ignores
    NaN (count is then the non-NaN count; all-NaN gives sum 0.0 and NaN for
    the rest, with a RuntimeWarning). Empty x raises EmptyError.
    """
    a = as_input(x, "x")
    b = _core.backend()
    state = bytearray(STATE_SIZE)
    flags = SKIPNA if skipna else 0
    _core.run("parchunk_partial", OP_STATS, a.ptr, a.n, a.dtype, flags,
              b.buffer(state, "char", writable=True), n=a.n, nthreads=nthreads,
              progress=progress, name="stats()")
    res = b.new("parchunk_stats_result")
    _core.run("parchunk_partial_finalize", b.buffer(state, "char"), 0, res, n=0, name="stats()")
    r = res[0]
    out = stats_of_state(bytes(state), a.dtype, r.count, r)
    if skipna and out.mean != out.mean and a.dtype in _FLOAT_DTYPES:
        _axis.warn_nan("stats(skipna=True)")
    return out


def _arg(op: int, cname: str, pyname: str, x: Any, skipna: bool, nthreads, progress) -> int:
    a = as_input(x, "x")
    ts = _core.state()
    out = ts.take("int64_t")
    if skipna:
        _core.run("parchunk_reduce", op, a.ptr, a.n, a.dtype, 0, SKIPNA, out, n=a.n,
                  nthreads=nthreads, progress=progress, name=pyname, ts=ts)
    else:
        _core.run(cname, a.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads, progress=progress,
                  name=pyname, ts=ts)
    v = out[0]
    ts.give("int64_t", out)
    return v


def argmin(x: Any, *, skipna: bool = False, nthreads: Optional[int] = None,
           progress: ProgressArg = None) -> int:
    """The index of the first smallest element of x (flattened), as
    numpy.argmin: ties go to the first occurrence (-0.0 ties +0.0), a NaN
    counts as the smallest (the first NaN's index is returned).
    skipna=True: numpy.nanargmin (NaN ignored; all-NaN raises EmptyError).
    Empty x raises EmptyError (a ValueError)."""
    return _arg(OP_ARGMIN, "parchunk_argmin", "argmin()", x, skipna, nthreads, progress)


def argmax(x: Any, *, skipna: bool = False, nthreads: Optional[int] = None,
           progress: ProgressArg = None) -> int:
    """The index of the first largest element of x, as numpy.argmax (NaN
    counts as the largest); skipna=True: numpy.nanargmax. See argmin."""
    return _arg(OP_ARGMAX, "parchunk_argmax", "argmax()", x, skipna, nthreads, progress)


def count_nonzero(x: Any, *, nthreads: Optional[int] = None,
                  progress: ProgressArg = None) -> int:
    """The number of nonzero elements of x, as numpy.count_nonzero (NaN
    counts, -0.0 does not). Any dtype; empty x gives 0."""
    a = as_input(x, "x")
    ts = _core.state()
    out = ts.take("int64_t")
    _core.run("parchunk_count_nonzero", a.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads,
              progress=progress, name="count_nonzero()", ts=ts)
    v = out[0]
    ts.give("int64_t", out)
    return v


def _dot_inputs(x: Any, y: Any):
    x_seq, y_seq = isinstance(x, (list, tuple)), isinstance(y, (list, tuple))
    if x_seq != y_seq:  # a list next to an array: read it as the array's dtype
        arr_in = as_input(y if x_seq else x, "x" if y_seq else "y")
        seq = x if x_seq else y
        seq_in = _seq_as(seq, arr_in.dtype, "x" if x_seq else "y")
        return (seq_in, arr_in) if x_seq else (arr_in, seq_in)
    a, c = as_input(x, "x"), as_input(y, "y")
    if x_seq and a.dtype != c.dtype:  # two lists, ints and floats: both float64
        return _seq_as(x, E["PARCHUNK_FLOAT64"], "x"), _seq_as(y, E["PARCHUNK_FLOAT64"], "y")
    return a, c


def _seq_as(seq, dtype: int, name: str):
    import array  # noqa: PLC0415
    as_input(seq, name)  # the list rules (bool, str, ... are refused) hold here too
    code = DTYPE_INFO[dtype][3]
    try:
        arr = array.array(code, seq)
    except (TypeError, OverflowError) as exc:
        raise DTypeError(f"{name}: cannot convert the list to {DTYPE_NAMES[dtype]} ({exc})") \
            from None
    return as_input(arr, name)


def dot(x: Any, y: Any, *, nthreads: Optional[int] = None,
        progress: ProgressArg = None) -> float:
    """sum(x[i] * y[i]) as a float (1-d dot product; multi-dimensional
    buffers are read flat in C order).

    x and y need the same dtype and length (DTypeError / ShapeError naming
    y); a list next to an array is converted to the array's dtype.
    float32/float64: products in double, pairwise summed (NaN/inf as IEEE).
    int8..int32, uint8..uint32: the exact sum of the exact products, rounded
    once (NumPy returns an int that wraps on overflow). int64/uint64:
    products and sum in double. Empty inputs give 0.0.
    """
    a, c = _dot_inputs(x, y)
    if a.dtype != c.dtype:
        raise DTypeError(f"y has dtype {DTYPE_NAMES[c.dtype]} but x has {DTYPE_NAMES[a.dtype]}; "
                         "dot() needs the same dtype (convert one of them)")
    if a.n != c.n:
        raise ShapeError(f"y has {c.n} elements but x has {a.n}; dot() needs equal lengths")
    ts = _core.state()
    out = ts.take("double")
    _core.run("parchunk_dot", a.ptr, c.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads,
              progress=progress, name="dot()", ts=ts)
    v = out[0]
    ts.give("double", out)
    return v
