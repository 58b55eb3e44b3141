"""Logistic regression by full-batch gradient descent, the classic Numba example.

    from parchunk import logreg
    w = logreg.fit(X, y, iterations=100, learning_rate=1.0)
    p = logreg.predict_proba(X, w)

fit() applies exactly the update rule of Numba's parallel example,

    w -= learning_rate * ((1 / (1 + exp(-y * (X @ w))) - 1) * y) @ X,

with labels y in {-1, +1}. Each iteration is ONE parallel pass over X in C
(no n-sized temporaries, no JIT warm-up); the per-chunk gradients are merged
in a fixed order, so the result is bit-identical for any thread count, and
agrees with a NumPy implementation of the same rule to ~1e-15 relative per
step (the order of the sums and the exp differ in the last bits).
X: C-contiguous n x d float64 or float32 (float32 is computed in double).
"""
from __future__ import annotations

import array
import operator
import sys
from typing import Any, Optional

from . import _core
from ._core import ProgressArg
from ._errors import ArgumentError, DTypeError, ShapeError
from ._input import DTYPE_INFO, FLOAT32, FLOAT64, as_input

__all__ = ["fit", "predict_proba"]


def _numpy():
    return sys.modules.get("numpy")


def _matrix(X: Any):
    """(Input, n, d) for a 2-D float32/float64 buffer."""
    try:
        mv = memoryview(X)
    except TypeError:
        raise DTypeError(f"X must be a 2-D float64 or float32 array (n x d), not "
                         f"{type(X).__name__}") from None
    if mv.ndim != 2:
        raise ShapeError(f"X must be 2-dimensional (n x d), got {mv.ndim} dimension(s) "
                         f"{tuple(mv.shape)}")
    n, d = mv.shape
    a = as_input(X, "X")  # zero-copy when C-contiguous, else one copy
    if a.dtype not in (FLOAT32, FLOAT64):
        raise DTypeError(f"X must be float64 or float32, got {a.dtype_name} "
                         "(convert it, e.g. X.astype(numpy.float64))")
    if d == 0:
        raise ShapeError(f"X has no columns (shape {(n, d)})")
    return a, n, d


def _vector_as(v: Any, dtype: int, length: int, name: str):
    """v as a C-contiguous vector of `dtype` with `length` elements: zero-copy
    when it already is one, else converted once."""
    if _has_buffer(v):
        mv = memoryview(v)
        if mv.ndim != 1:
            raise ShapeError(f"{name} must be 1-dimensional, got shape {tuple(mv.shape)}")
        a = as_input(v, name)
        if a.dtype == dtype:
            if a.n != length:
                raise ShapeError(f"{name} has {a.n} elements, expected {length}")
            return a
        np = _numpy()
        if np is not None and isinstance(v, np.ndarray):
            conv = np.ascontiguousarray(v, dtype=np.float32 if dtype == FLOAT32 else np.float64)
        else:
            conv = _convert(mv.tolist(), dtype, name)
    else:
        try:
            vals = list(v)
        except TypeError:
            raise DTypeError(f"{name} must be a 1-D array or a sequence of numbers, not "
                             f"{type(v).__name__}") from None
        conv = _convert(vals, dtype, name)
    a = as_input(conv, name)
    if a.n != length:
        raise ShapeError(f"{name} has {a.n} elements, expected {length}")
    return a


def _has_buffer(v) -> bool:
    try:
        memoryview(v)
        return True
    except TypeError:
        return False


def _convert(vals, dtype: int, name: str):
    code = DTYPE_INFO[dtype][3]
    for i, x in enumerate(vals):
        if isinstance(x, (bool, str, bytes, complex)) or not hasattr(x, "__float__"):
            raise DTypeError(f"{name}[{i}] is {type(x).__name__} ({x!r}), not a number")
    return array.array(code, (float(x) for x in vals))


def _weights_out(values):
    np = _numpy()
    if np is not None:
        return np.array(values, dtype=np.float64)
    return array.array("d", values)


def fit(X: Any, y: Any, w: Any = None, *, iterations: int = 100, learning_rate: float = 1.0,
        nthreads: Optional[int] = None, progress: ProgressArg = None):
    """Fit logistic-regression weights by `iterations` gradient-descent steps.

    X: n x d float64 or float32 C-contiguous array (NumPy or any 2-D buffer).
    y: n labels, each exactly -1 or +1 (any numeric 1-D array or sequence;
    converted to X's dtype when it is not already).
    w: the d initial weights (default zeros); never modified.
    Returns the fitted weights as a new float64 array of d elements (NumPy
    when installed, else array.array('d')).

    Raises ShapeError (ValueError) for a non-2-D X, d == 0, or y/w of the
    wrong length; EmptyError (ValueError) for n == 0; DTypeError (TypeError)
    for a non-float X; DomainError (ValueError) for NaN/inf in X, a label
    other than -1/+1 or a non-finite w (the message names the first bad row);
    ArgumentError (ValueError) for iterations outside [0, 2**64) or a
    non-finite learning rate; ResultOverflowError (OverflowError) when the gradient or
    the weights overflow (learning rate too large). iterations == 0 returns
    w unchanged without reading X. Items for progress: rows x iterations.
    """
    a, n, d = _matrix(X)
    if isinstance(iterations, bool) or not hasattr(type(iterations), "__index__"):
        raise TypeError(f"iterations must be an int, not {type(iterations).__name__}")
    iterations = operator.index(iterations)
    if not 0 <= iterations < 1 << 64:  # size_t in C (ctypes would wrap it around)
        raise ArgumentError(f"iterations must be in [0, 2**64), got {iterations}")
    if isinstance(learning_rate, (bool, str, bytes, complex)) \
            or not hasattr(learning_rate, "__float__"):
        raise TypeError(f"learning_rate must be a real number, not "
                        f"{type(learning_rate).__name__}")
    learning_rate = float(learning_rate)
    ya = _vector_as(y, a.dtype, n, "y")
    w0 = [0.0] * d if w is None else _vector_as(w, FLOAT64, d, "w").obj.tolist()
    b = _core.backend()
    wc = b.new("double", d)
    for j, v in enumerate(w0):
        wc[j] = v
    _core.run("parchunk_logreg_fit", a.ptr, ya.ptr, n, d, a.dtype, wc, iterations,
              learning_rate, n=n * max(iterations, 1), nthreads=nthreads, progress=progress,
              name="logreg.fit()")
    return _weights_out([wc[j] for j in range(d)])


def predict_proba(X: Any, w: Any, *, nthreads: Optional[int] = None,
                  progress: ProgressArg = None):
    """1 / (1 + exp(-(X @ w))) for every row of X, as a new float64 array of
    n elements (NumPy when installed, else array.array('d')).

    X as in fit(); w: d weights (any numeric 1-D array or sequence). Rows with
    NaN give NaN, as in NumPy. Raises ShapeError/DTypeError as fit() does,
    DomainError for a non-finite weight.
    """
    a, n, d = _matrix(X)
    wa = _vector_as(w, FLOAT64, d, "w")
    b = _core.backend()
    np = _numpy()
    out = np.empty(n, dtype=np.float64) if np is not None else array.array("d", bytes(8 * n))
    out_ptr = b.buffer(out, "double", writable=True) if n else b.NULL
    _core.run("parchunk_logreg_predict_proba", a.ptr, n, d, a.dtype,
              b.buffer(wa.obj, "double"), out_ptr, n=n * d, nthreads=nthreads,
              progress=progress, name="logreg.predict_proba()")
    return out

