"""Sorting: sort, argsort."""
from __future__ import annotations

from typing import Any, Optional

from . import _core
from ._core import ProgressArg
from ._input import INT64, as_input
from ._outputs import new_array, out_buffer


def sort(x: Any, out: Any = None, *, nthreads: Optional[int] = None,
         progress: ProgressArg = None) -> Any:
    """The elements of x in ascending order, equal to numpy.sort(x, axis=None).

    x is read as the flat sequence of its elements; the result is 1-d (or
    out). Floats: -inf first, every NaN last (whatever its sign or payload,
    which are kept). Where numpy's order is not unique, parchunk fixes one:
    -0.0 before +0.0; positive NaNs before negative ones. Any of the ten
    dtypes; a parallel radix sort, same result for any nthreads.

    out: None (a new array of x's dtype), or a writable C-contiguous buffer of
    len(x) elements of x's dtype; out=x sorts in place. Returns out.
    Memory: a new array for the result, plus at most one x-sized scratch
    buffer (none for out-of-place 4- and 8-byte sorts of spread-out data).
    """
    a = as_input(x, "x")
    if out is None:
        result = new_array(a.dtype, a.n)
    else:
        result = out
    ptr, _ = out_buffer(result, "out", a.n, (a.dtype,))
    _core.run("parchunk_sort", a.ptr, a.n, a.dtype, ptr, n=3 * a.n, nthreads=nthreads,
              progress=progress, name="sort()")
    return result


def argsort(x: Any, *, nthreads: Optional[int] = None, progress: ProgressArg = None) -> Any:
    """The stable sorting permutation of x as int64 indices, equal to
    numpy.argsort(x, axis=None, kind='stable'): equal elements keep their
    order; -0.0 equals +0.0 and all NaNs are equal and last, as in numpy.
    Returns a new int64 array (NumPy, or array.array('q') without NumPy).
    """
    a = as_input(x, "x")
    result = new_array(INT64, a.n)
    ptr, _ = out_buffer(result, "indices", a.n, (INT64,), "int64_t")
    _core.run("parchunk_argsort", a.ptr, a.n, a.dtype, ptr, n=3 * a.n, nthreads=nthreads,
              progress=progress, name="argsort()")
    return result
