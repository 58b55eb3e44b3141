"""Scans: cumsum."""
from __future__ import annotations

from typing import Any, Optional

from . import _core
from ._core import ProgressArg
from ._input import FLOAT32, FLOAT64, INT64, UINT64, as_input
from ._outputs import new_array, out_buffer


def _default_dtype(dt: int, kind: str) -> int:
    # numpy.cumsum's result types on Linux
    if kind == "f":
        return dt
    return INT64 if kind == "i" else UINT64


def _allowed(dt: int, kind: str):
    if dt == FLOAT64:
        return (FLOAT64,)
    if dt == FLOAT32:
        return (FLOAT32, FLOAT64)
    return (INT64,) if kind == "i" else (UINT64, INT64)


def cumsum(x: Any, out: Any = None, *, nthreads: Optional[int] = None,
           progress: ProgressArg = None) -> Any:
    """The inclusive prefix sums of the elements of x, like numpy.cumsum(x).

    x is read as the flat sequence of its elements (numpy's axis=None); the
    result is 1-d. Result types are numpy's: float64 -> float64, float32 ->
    float32, signed integers -> int64, unsigned integers -> uint64.

    Integers are exact: if any prefix sum leaves the result type's range,
    parchunk.ResultOverflowError (an OverflowError) is raised and `out` is left
    untouched -- numpy silently wraps around instead.

    Floats are accumulated in double, chunk by chunk: each chunk starts from
    the sum of the chunks before it, so the result is bit-identical for any
    nthreads and within a few ulps of numpy's strictly sequential sum (equal
    to it when x fits in one chunk). A float32 result holds each double prefix
    rounded once, which is closer to the exact sums than numpy's float32
    accumulation.

    out: None (a new NumPy array, or array.array without NumPy), or a
    writable C-contiguous buffer of len(x) elements of the result type
    (float32 input also accepts float64; unsigned input also int64). out=x
    scans in place when the types match. Returns out.
    """
    a = as_input(x, "x")
    if out is None:
        result = new_array(_default_dtype(a.dtype, a.kind), a.n)
        ptr, odt = out_buffer(result, "out", a.n, (_default_dtype(a.dtype, a.kind),))
    else:
        result = out
        ptr, odt = out_buffer(out, "out", a.n, _allowed(a.dtype, a.kind))
    _core.run("parchunk_cumsum", a.ptr, a.n, a.dtype, ptr, odt, n=2 * a.n, nthreads=nthreads,
              progress=progress, name="cumsum()")
    return result
