"""Reductions along axes: the ``axis=``, ``keepdims=``, ``shape=`` and
``skipna=`` forms of sum, mean, min, max, var and std.

Shapes. A NumPy array (or any buffer with a shape, e.g. a multi-dimensional
memoryview) brings its own shape; a flat buffer or a list takes ``shape=``
(a tuple of ints whose product is the element count; the data are read in C
order). Non-contiguous arrays are copied once, as everywhere in parchunk.

Axes. ``axis`` is None (every axis), an int (negative counts from the end),
or a tuple of distinct ints. Adjacent axes of a tuple are reduced in one
pass (they are one long axis of the C-contiguous data); non-adjacent ones
need NumPy (the array is copied once with the reduced axes moved to the
end), and raise ArgumentError without it. An axis out of range raises
parchunk.AxisError (a ValueError and an IndexError, as numpy.AxisError),
naming the axis; a repeated axis, a bool or a non-integer raise
ArgumentError / TypeError.

Results. When every axis is reduced (axis None, the 1-d case, or a tuple of
all axes) the result is the scalar the plain function returns (exact Python
int for integer sums). Otherwise the result has the input's shape without
the reduced axes (kept as 1 with ``keepdims=True``), with NumPy's result
dtype: min/max keep the input dtype; sum gives int64 for signed, uint64 for
unsigned integers, float32 for float32 and float64 for float64 inputs;
mean/var/std give float32 for float32 inputs and float64 otherwise (the
C side accumulates in double or exactly, so values are as accurate as or
more accurate than NumPy's). Integer sums along an axis are exact up to
2**53 in magnitude; a larger one raises parchunk.ResultOverflowError (NumPy
would wrap silently) -- sum with axis=None gives the exact int.

With NumPy importable the result is a numpy.ndarray. Without NumPy it is a
nested list of Python numbers (``ndarray.tolist()`` of the same result:
float32 results are rounded to float32 first), e.g. ``[[1.0, 2.0], [3.0,
4.0]]`` for a result of shape (2, 2); a zero-size result is a (nested)
empty list.

NaN. Without skipna a NaN in a slice makes that result NaN. ``skipna=True``
ignores NaN (numpy.nansum/nanmean/nanmin/nanmax/nanvar/nanstd): a slice
with no non-NaN value gives 0 for sum and NaN for the others, and like NumPy
parchunk then warns with a RuntimeWarning (also when a NaN result comes from
inf - inf, where NumPy warns "invalid value"). Integer inputs have no NaN.

Empty axes: sum gives zeros; mean/min/max/var/std raise parchunk.EmptyError
(a ValueError) when the reduced length is 0 (NumPy raises for min/max and
returns NaN with a warning for mean/var/std), except that a result with no
elements at all and a non-empty reduced axis is simply empty; var/std with
``len <= ddof`` (without skipna) raise ArgumentError, as in 1-d.
"""
from __future__ import annotations

import array
import operator
import os
import sys
import warnings
from typing import Any, Callable, List, Optional, Sequence, Tuple

from . import _core, _decls
from ._errors import ArgumentError, ResultOverflowError, ShapeError
from ._input import _FLOAT_DTYPES, DTYPE_INFO, DTYPE_NAMES, FLOAT32, Input, as_input

E = _decls.ENUMS
OP_SUM, OP_MEAN, OP_MIN, OP_MAX = (E["PARCHUNK_OP_SUM"], E["PARCHUNK_OP_MEAN"],
                                   E["PARCHUNK_OP_MIN"], E["PARCHUNK_OP_MAX"])
OP_VAR, OP_STD = E["PARCHUNK_OP_VAR"], E["PARCHUNK_OP_STD"]
SKIPNA = E["PARCHUNK_SKIPNA"]
OP_NAMES = {OP_SUM: "sum", OP_MEAN: "mean", OP_MIN: "min", OP_MAX: "max", OP_VAR: "var",
            OP_STD: "std"}

_EXACT_LIMIT = float(1 << 53)


class AxisError(ArgumentError, IndexError):
    """An axis is out of range for the array (a ValueError and an IndexError,
    like numpy.exceptions.AxisError)."""


_numpy_missing = False


def _numpy():
    """NumPy when importable (imported on first use), else None."""
    global _numpy_missing
    np = sys.modules.get("numpy")
    if np is not None or _numpy_missing:
        return np
    try:
        import numpy as np  # noqa: PLC0415
    except ImportError:
        _numpy_missing = True
        return None
    return np


def _prod(values) -> int:
    p = 1
    for v in values:
        p *= v
    return p


def shape_of(x: Any, a: Input, shape: Optional[Sequence[int]], name: str = "x") -> Tuple[int, ...]:
    """The logical shape of input x (already converted to a)."""
    if shape is None:
        try:
            mv = memoryview(x)
        except TypeError:  # a list or tuple: 1-d
            return (a.n,)
        return tuple(mv.shape) if mv.shape is not None else (a.n,)
    if isinstance(shape, (int, bool)) or not isinstance(shape, (tuple, list)):
        if isinstance(shape, int) and not isinstance(shape, bool):
            shape = (shape,)
        else:
            raise TypeError(f"shape must be a tuple of ints, not {type(shape).__name__}")
    dims = []
    for d in shape:
        if isinstance(d, bool) or not hasattr(type(d), "__index__"):
            raise TypeError(f"shape must be a tuple of ints, got {tuple(shape)!r}")
        d = operator.index(d)
        if d < 0:
            raise ArgumentError(f"shape must not have negative dimensions, got {tuple(shape)!r}")
        dims.append(d)
    if _prod(dims) != a.n:
        raise ShapeError(f"{name} has {a.n} elements but shape {tuple(dims)} needs {_prod(dims)}")
    return tuple(dims)


def normalize_axes(axis: Any, ndim: int) -> Tuple[int, ...]:
    """axis (None, int or tuple of ints) -> sorted tuple of axes in 0..ndim-1."""
    if axis is None:
        return tuple(range(ndim))
    if type(axis) is int:  # the common case, short
        if not -ndim <= axis < ndim:
            raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
        return (axis % ndim,)
    items = axis if isinstance(axis, tuple) else (axis,)
    out = []
    for ax in items:
        if isinstance(ax, bool) or not hasattr(type(ax), "__index__"):
            raise TypeError(f"axis must be None, an int or a tuple of ints, not "
                            f"{type(ax).__name__} ({ax!r})")
        ax = operator.index(ax)
        if not -ndim <= ax < ndim:
            raise AxisError(f"axis {ax} is out of bounds for array of dimension {ndim}")
        out.append(ax % ndim)
    if len(set(out)) != len(out):
        raise ArgumentError(f"duplicate value in 'axis': {axis!r}")
    return tuple(sorted(out))


def result_dtype(op: int, dtype: int) -> int:
    """NumPy's result dtype of op over one axis of an input of dtype."""
    kind = DTYPE_INFO[dtype][0]
    if op in (OP_MIN, OP_MAX):
        return dtype
    if dtype == FLOAT32:
        return FLOAT32
    if op == OP_SUM and kind == "i":
        return E["PARCHUNK_INT64"]
    if op == OP_SUM and kind == "u":
        return E["PARCHUNK_UINT64"]
    return E["PARCHUNK_FLOAT64"]


def _nest(flat: List[Any], shape: Tuple[int, ...]) -> Any:
    if len(shape) <= 1:
        return flat
    step = _prod(shape[1:])
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def warn_nan(name: str) -> None:
    """The RuntimeWarning of a NaN result with skipna=True (NumPy warns too),
    attributed to the caller's line outside parchunk."""
    level = 2  # 1 is this function; count the package's frames above it
    try:
        f = sys._getframe(1)
        while f is not None and os.path.dirname(os.path.abspath(f.f_code.co_filename)) \
                == _PACKAGE_DIR:
            level += 1
            f = f.f_back
    except (AttributeError, ValueError):  # no frame introspection
        pass
    warnings.warn(f"{name}: all-NaN slice encountered (or too few non-NaN values for ddof, or "
                  "inf - inf); the result is NaN", RuntimeWarning, stacklevel=level)


def reduce(op: int, x: Any, axis: Any, *, skipna: bool, ddof: int, keepdims: bool,
           shape: Optional[Sequence[int]], nthreads: Optional[int], progress,
           scalar: Callable[[], Any], name: str) -> Any:
    """Reduce x with op over `axis` (see the module docstring). `scalar()`
    computes the full reduction (the plain function's value)."""
    a = as_input(x, "x")
    shp = shape_of(x, a, shape)
    ndim = len(shp)
    axes = normalize_axes(axis, ndim)
    kept = tuple(d for i, d in enumerate(shp) if i not in axes)
    out_shape = tuple(1 if i in axes else d for i, d in enumerate(shp)) if keepdims else kept
    if len(axes) == ndim:
        v = scalar()
        if not keepdims:
            return v
        np = _numpy()
        if np is not None:
            return np.full(out_shape, v, dtype=DTYPE_NAMES[result_dtype(op, a.dtype)])
        return _nest([v], (1,) * ndim) if ndim else v
    keep = a  # the memory the C call reads
    if axes and axes[-1] - axes[0] + 1 != len(axes):  # non-adjacent axes
        keep, outer, length, inner = _moved(a, shp, axes)
    elif axes:
        outer = _prod(shp[:axes[0]])
        length = _prod(shp[axes[0]:axes[-1] + 1])
        inner = _prod(shp[axes[-1] + 1:])
    else:  # axis=(): every element is its own slice
        outer, length, inner = a.n, 1, 1
    return _run(op, keep, outer, length, inner, out_shape, skipna=skipna, ddof=ddof,
                nthreads=nthreads, progress=progress, name=name)


def _moved(a: Input, shp: Tuple[int, ...], axes: Tuple[int, ...]):
    np = _numpy()
    if np is None:
        raise ArgumentError(f"axis={axes}: reducing non-adjacent axes needs NumPy (a "
                            "transposed copy); reduce one axis at a time instead")
    arr = np.frombuffer(a.obj, dtype=DTYPE_NAMES[a.dtype]).reshape(shp)
    k = len(axes)
    moved = np.ascontiguousarray(np.moveaxis(arr, axes, tuple(range(-k, 0))))
    length = _prod(shp[ax] for ax in axes)
    outer = a.n // length if length else _prod(d for i, d in enumerate(shp) if i not in axes)
    return as_input(moved, "x"), outer, length, 1


def _run(op: int, a: Input, outer: int, length: int, inner: int, out_shape: Tuple[int, ...], *,
         skipna: bool, ddof: int, nthreads, progress, name: str) -> Any:
    outputs = outer * inner
    c_dtype = a.dtype if op in (OP_MIN, OP_MAX) else E["PARCHUNK_FLOAT64"]
    res_dtype = result_dtype(op, a.dtype)
    np = _numpy()
    b = _core.backend()
    if np is not None:
        res = np.empty(outputs, dtype=DTYPE_NAMES[c_dtype])
    else:
        res = array.array(DTYPE_INFO[c_dtype][3], bytes(outputs * DTYPE_INFO[c_dtype][1]))
    out_ptr = b.buffer(res, "char", writable=True) if outputs else b.NULL
    flags = SKIPNA if skipna else 0
    _core.run("parchunk_reduce_axis", op, a.ptr, outer, length, inner, a.dtype, ddof, flags,
              out_ptr, n=outer * length * inner, nthreads=nthreads, progress=progress, name=name)
    del out_ptr
    is_float_out = c_dtype in _FLOAT_DTYPES
    if skipna and op != OP_SUM and is_float_out and a.dtype in _FLOAT_DTYPES and outputs:
        has_nan = bool(np.isnan(res).any()) if np is not None else any(v != v for v in res)
        if has_nan:
            warn_nan(name[:-1] + "skipna=True)" if name.endswith("()") else name)
    if op == OP_SUM and res_dtype != c_dtype and DTYPE_INFO[res_dtype][0] != "f":
        _check_exact(res, np, name)
    if np is not None:
        if res_dtype != c_dtype:
            res = res.astype(DTYPE_NAMES[res_dtype])
        return res.reshape(out_shape)
    if res_dtype == FLOAT32 and c_dtype != FLOAT32:
        flat = array.array("f", res).tolist()
    elif DTYPE_INFO[res_dtype][0] != "f":
        flat = [int(v) for v in res]
    else:
        flat = res.tolist()
    return _nest(flat, out_shape) if out_shape else flat[0]


def _check_exact(res, np, name: str) -> None:
    if np is not None:
        bad = np.abs(res) >= _EXACT_LIMIT
        ok = not bad.any()
        worst = float(res[bad][0]) if not ok else 0.0
    else:
        worst = next((v for v in res if abs(v) >= _EXACT_LIMIT), 0.0)
        ok = worst == 0.0
    if not ok:
        raise ResultOverflowError(
            f"{name}: an integer sum along the axis is about {worst:.17g}, beyond 2**53, "
            "where it cannot be returned exactly as int64; use axis=None (exact Python int) "
            "or convert the data to float64")
