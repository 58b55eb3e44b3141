"""Reductions: sum, mean, min, max, mean_abs_dev."""
from __future__ import annotations

from typing import Any, Optional, Union

from . import _core, _exact
from ._core import ProgressArg
from ._input import _FLOAT_DTYPES, DTYPE_INFO, as_input

Number = Union[int, float]


def sum(x: Any, *, exact: bool = False, nthreads: Optional[int] = None,
        progress: ProgressArg = None) -> Number:
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
    parchunk._exact.sum_exact); integer inputs stay the exact int.
    """
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


def mean(x: Any, *, exact: bool = False, nthreads: Optional[int] = None,
         progress: ProgressArg = None) -> float:
    """The arithmetic mean of x as a float (integers: the exact sum, rounded
    once to double, divided by n). Empty x raises parchunk.EmptyError (a ValueError).
    exact=True gives the exact quotient sum/n rounded once (parchunk._exact.mean_exact)."""
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


def min(x: Any, *, nthreads: Optional[int] = None, progress: ProgressArg = None) -> Number:
    """The smallest element: an int for integer inputs, a float for float
    inputs (NaN anywhere gives NaN, as numpy.min). Empty x raises EmptyError."""
    return _extreme("parchunk_min", "min()", x, nthreads, progress)


def max(x: Any, *, nthreads: Optional[int] = None, progress: ProgressArg = None) -> Number:
    """The largest element: an int for integer inputs, a float for float
    inputs (NaN anywhere gives NaN, as numpy.max). Empty x raises EmptyError."""
    return _extreme("parchunk_max", "max()", x, nthreads, progress)


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
    _core.run("parchunk_mean_abs_dev", a.ptr, a.n, a.dtype, c, out, n=a.n, nthreads=nthreads,
              progress=progress, name="mean_abs_dev()", ts=ts)
    v = out[0]
    ts.give("double", out)
    return v


