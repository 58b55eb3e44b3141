"""Result arrays and caller-given `out=` buffers for the array-valued functions."""
from __future__ import annotations

import array
from typing import Any, Iterable, Tuple

from . import _core
from ._errors import ArgumentError, DTypeError, ShapeError
from ._input import DTYPE_INFO, DTYPE_NAMES, FORMATS, dtype_of_format


def _numpy():
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def new_array(dtype: int, n: int) -> Any:
    """A fresh 1-d result of n elements: a NumPy array when NumPy is importable,
    else an array.array (zero-filled) with the matching type code."""
    np = _numpy()
    if np is not None:
        return np.empty(n, dtype=DTYPE_NAMES[dtype])
    code = DTYPE_INFO[dtype][3]
    return array.array(code, bytes(n * DTYPE_INFO[dtype][1]))


def out_buffer(out: Any, name: str, n: int, allowed: Iterable[int],
               ctype: str = "char") -> Tuple[Any, int]:
    """Check a caller-given output buffer: writable, C-contiguous, n elements of
    one of the `allowed` dtypes. Returns (pointer, dtype); the pointer is typed
    `ctype *` for cffi's type checks ("char" fits a void * parameter).
    Nothing is copied: the C function writes into out's own memory."""
    try:
        mv = memoryview(out)
    except TypeError:
        raise DTypeError(f"{name} must be a writable array (NumPy array, array.array, "
                         f"bytearray, ...), not {type(out).__name__}") from None
    if mv.readonly:
        raise ArgumentError(f"{name} is read-only")
    if not mv.c_contiguous:
        raise ArgumentError(f"{name} must be C-contiguous")
    dt = FORMATS.get((mv.format, mv.itemsize))
    if dt is None:
        dt = dtype_of_format(mv.format, mv.itemsize, name)
    allowed = tuple(allowed)
    if dt not in allowed:
        want = " or ".join(DTYPE_NAMES[a] for a in allowed)
        raise DTypeError(f"{name} has dtype {DTYPE_NAMES[dt]}, expected {want}")
    count = mv.nbytes // mv.itemsize
    if count != n:
        raise ShapeError(f"{name} has {count} elements, expected {n}")
    return _core.backend().buffer(out if type(out) is not memoryview else mv, ctype,
                                  writable=True), dt
