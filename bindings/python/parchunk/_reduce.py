"""Reductions: sum, mean, min, max, mean_abs_dev.

sum/mean/min/max also take ``axis=`` (with ``keepdims=`` and ``shape=``) and
``skipna=True`` (numpy.nansum/nanmean/nanmin/nanmax); those forms live in
parchunk._axis and parchunk._stats. The default call (axis None, no skipna)
stays the short path below: one argument check more than before.
"""
from __future__ import annotations

from typing import Any, Optional, Union

from . import _axis, _core, _exact, _stats
from ._core import ProgressArg
from ._errors import ArgumentError, ResultOverflowError
from ._input import _FLOAT_DTYPES, DTYPE_INFO, as_input

Number = Union[int, float]


def sum(x: Any, axis: Any = None, *, exact: bool = False, skipna: bool = False,
        keepdims: bool = False, shape: Any = None, nthreads: Optional[int] = None,
        progress: ProgressArg = None) -> Any:
    """The sum of the elements of x.

    Integer inputs give the exact Python int (128-bit accumulation in C, never
    an overflow); float inputs give a float (pairwise sums within chunks,
    chunk results merged in a fixed order: the same bits for any nthreads).
    An empty input gives 0 (int) or 0.0 (float). NaN anywhere gives NaN.

    x: a C-contiguous buffer (NumPy array, array.array, bytes, memoryview,
    mmap, ...) or a list/tuple of numbers; see parchunk's input rules.
    nthreads: threads for this call (None: threads()/set_num_threads()/default).
    progress: True for a tqdm bar (if tqdm is installed) or callable(done, total).
    exact: True gives, for float inputs, the correctly rounded exact sum
    (equal to math.fsum(x) whenever that is finite; see
    parchunk._exact.sum_exact); integer inputs stay the exact int. Only with
    axis=None and skipna=False (else ArgumentError).
    skipna: True ignores NaN elements, as numpy.nansum (all-NaN or empty
    gives 0.0; integer inputs: no change).
    axis / keepdims / shape: sum along axes as numpy.sum(x, axis): an int,
    a negative int or a tuple; see parchunk._axis for shapes, result dtypes
    (int64/uint64 for integers, exact below 2**53, else ResultOverflowError)
    and the no-NumPy result (nested lists).
    """
    if axis is not None or skipna or keepdims or shape is not None:
        return _sum_general(x, axis, exact, skipna, keepdims, shape, nthreads, progress)
    a = as_input(x, "x")
    if exact and a.dtype in _FLOAT_DTYPES:  # integer sums are exact ints already
        return _exact._sum_exact_input(a, nthreads, progress)
    ts = _core.state()
    if a.dtype in _FLOAT_DTYPES:
        out = ts.take("double")
        _core.run("parchunk_sum", a.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads,
                  progress=progress, name="sum()", ts=ts)
        v = out[0]
        ts.give("double", out)
        return v
    hi = ts.take("int64_t")
    lo = ts.take("uint64_t")
    _core.run("parchunk_sum_int", a.ptr, a.n, a.dtype, hi, lo, n=a.n, nthreads=nthreads,
              progress=progress, name="sum()", ts=ts)
    h, low = hi[0], lo[0]
    ts.give("int64_t", hi)
    ts.give("uint64_t", lo)
    return (h << 64) | low if h else low


def mean(x: Any, axis: Any = None, *, exact: bool = False, skipna: bool = False,
         keepdims: bool = False, shape: Any = None, nthreads: Optional[int] = None,
         progress: ProgressArg = None) -> Any:
    """The arithmetic mean of x as a float (integers: the exact sum, rounded
    once to double, divided by n). Empty x raises parchunk.EmptyError (a ValueError).
    exact=True gives the exact quotient sum/n rounded once (parchunk._exact.mean_exact);
    only with axis=None and skipna=False.
    skipna=True: numpy.nanmean (all-NaN gives NaN with a RuntimeWarning).
    axis / keepdims / shape: as numpy.mean(x, axis); see parchunk._axis."""
    if axis is not None or skipna or keepdims or shape is not None:
        return _general(_axis.OP_MEAN, "mean", mean, x, axis, exact, skipna, keepdims, shape,
                        nthreads, progress)
    if exact:
        return _exact.mean_exact(x, nthreads=nthreads, progress=progress)
    a = as_input(x, "x")
    ts = _core.state()
    out = ts.take("double")
    _core.run("parchunk_mean", a.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads,
              progress=progress, name="mean()", ts=ts)
    v = out[0]
    ts.give("double", out)
    return v


def _extreme(cname: str, pyname: str, x: Any, nthreads, progress) -> Number:
    a = as_input(x, "x")
    ts = _core.state()
    ctype = DTYPE_INFO[a.dtype][2]
    out = ts.take(ctype)
    _core.run(cname, a.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads, progress=progress,
              name=pyname, ts=ts)
    v = out[0]
    ts.give(ctype, out)
    return v


def min(x: Any, axis: Any = None, *, skipna: bool = False, keepdims: bool = False,
        shape: Any = None, nthreads: Optional[int] = None, progress: ProgressArg = None) -> Any:
    """The smallest element: an int for integer inputs, a float for float
    inputs (NaN anywhere gives NaN, as numpy.min). Empty x raises EmptyError.
    skipna=True: numpy.nanmin (all-NaN gives NaN with a RuntimeWarning).
    axis / keepdims / shape: as numpy.min(x, axis), the input's dtype; see
    parchunk._axis."""
    if axis is not None or skipna or keepdims or shape is not None:
        return _general(_axis.OP_MIN, "min", min, x, axis, False, skipna, keepdims, shape,
                        nthreads, progress)
    return _extreme("parchunk_min", "min()", x, nthreads, progress)


def max(x: Any, axis: Any = None, *, skipna: bool = False, keepdims: bool = False,
        shape: Any = None, nthreads: Optional[int] = None, progress: ProgressArg = None) -> Any:
    """The largest element: an int for integer inputs, a float for float
    inputs (NaN anywhere gives NaN, as numpy.max). Empty x raises EmptyError.
    skipna=True: numpy.nanmax (all-NaN gives NaN with a RuntimeWarning).
    axis / keepdims / shape: as numpy.max(x, axis); see parchunk._axis."""
    if axis is not None or skipna or keepdims or shape is not None:
        return _general(_axis.OP_MAX, "max", max, x, axis, False, skipna, keepdims, shape,
                        nthreads, progress)
    return _extreme("parchunk_max", "max()", x, nthreads, progress)


def _general(op, kind, plain, x, axis, exact, skipna, keepdims, shape, nthreads, progress):
    """The axis= / skipna= / keepdims= / shape= forms of sum, mean, min, max."""
    if exact and (axis is not None or skipna):
        raise ArgumentError(f"{kind}(): exact=True takes axis=None and skipna=False")
    if skipna:
        def scalar():
            return _stats.nan_scalar(kind, x, 0, nthreads, progress)
    else:
        def scalar():
            if exact:
                return plain(x, exact=True, nthreads=nthreads, progress=progress)
            return plain(x, nthreads=nthreads, progress=progress)
    if axis is None and not keepdims and shape is None:
        return scalar()
    return _axis.reduce(op, x, axis, skipna=skipna, ddof=0, keepdims=keepdims, shape=shape,
                        nthreads=nthreads, progress=progress, scalar=scalar, name=f"{kind}()")


def _sum_general(x, axis, exact, skipna, keepdims, shape, nthreads, progress):
    return _general(_axis.OP_SUM, "sum", sum, x, axis, exact, skipna, keepdims, shape,
                    nthreads, progress)


def mean_abs_dev(x: Any, center: Optional[float] = None, *, nthreads: Optional[int] = None,
                 progress: ProgressArg = None) -> float:
    """The mean absolute deviation (1/n) * sum |x[i] - center| as a float.

    center None means the mean of x (one extra pass). Each term is computed
    in double. Empty x raises EmptyError; a NaN center or element gives NaN.
    """
    a = as_input(x, "x")
    ts = _core.state()
    out = ts.take("double")
    if center is None:
        _core.run("parchunk_mean", a.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads,
                  progress=progress, name="mean_abs_dev()", ts=ts)
        c = out[0]
    else:
        msg = f"center must be a real number or None, not {type(center).__name__}"
        if isinstance(center, (bool, str, bytes, complex)) or not hasattr(center, "__float__"):
            raise TypeError(msg)
        try:
            c = float(center)
        except (TypeError, ValueError):
            raise TypeError(msg) from None
        except OverflowError:
            raise ResultOverflowError(f"center = {center} is beyond the float64 range") from None
    _core.run("parchunk_mean_abs_dev", a.ptr, a.n, a.dtype, c, out, n=a.n, nthreads=nthreads,
              progress=progress, name="mean_abs_dev()", ts=ts)
    v = out[0]
    ts.give("double", out)
    return v


