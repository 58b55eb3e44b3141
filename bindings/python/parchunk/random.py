"""parchunk.random: counter-based random numbers (Philox4x32-10).

Value i of a stream depends only on (seed, i) and the distribution's
parameters, so a stream is the same for any number of threads, and any slice
can be generated alone: ``uniform(b - a, seed=s, offset=a)`` equals
``uniform(n, seed=s)[a:b]``. The mapping from counters to values is
documented in include/parchunk.h ("Random numbers") so that other
implementations can reproduce the streams bit for bit.

    >>> import parchunk.random as pr
    >>> x = pr.uniform(10**8, seed=42)                 # float64 in [0, 1)
    >>> z = pr.normal(10**6, seed=42, loc=1.0, scale=2.0, dtype="float32")
    >>> k = pr.integers(10**6, 0, 6, seed=7)           # int64 in [0, 6)

Results are NumPy arrays when NumPy is importable, else array.array
('d', 'f' or 'q'). ``out=`` fills a caller's writable C-contiguous buffer
of the right type and length instead (and returns it).

Errors: parchunk.ArgumentError (a ValueError) for parameters out of range,
parchunk.DTypeError (a TypeError) for wrong types, parchunk.ShapeError (a
ValueError) when out has the wrong length, parchunk.OutOfMemoryError (a
MemoryError) when n values cannot be allocated.
"""
from __future__ import annotations

import array
import math
import operator
import sys
from typing import Any, Optional

from . import _core, _decls
from ._core import ProgressArg
from ._errors import ArgumentError, DTypeError, OutOfMemoryError, ShapeError
from ._input import FORMATS

__all__ = ["uniform", "normal", "integers", "philox4x32_10"]

_E = _decls.ENUMS
_FLOAT32, _FLOAT64, _INT64 = _E["PARCHUNK_FLOAT32"], _E["PARCHUNK_FLOAT64"], _E["PARCHUNK_INT64"]
_TYPECODE = {_FLOAT32: "f", _FLOAT64: "d", _INT64: "q"}
_NAME = {_FLOAT32: "float32", _FLOAT64: "float64", _INT64: "int64"}
_U64 = 1 << 64


def _count(value: Any, name: str, limit: int = _U64) -> int:
    """A non-negative int below limit (bool rejected; NumPy integers fine)."""
    if isinstance(value, bool):
        raise DTypeError(f"{name} must be an int, not bool")
    try:
        v = operator.index(value)
    except TypeError:
        raise DTypeError(f"{name} must be an int, not {type(value).__name__}") from None
    if not 0 <= v < limit:
        raise ArgumentError(f"{name} must be in [0, {limit}), got {v}")
    return v


def _real(value: Any, name: str) -> float:
    if isinstance(value, (bool, str, bytes, complex)) or not hasattr(value, "__float__"):
        raise DTypeError(f"{name} must be a real number, not {type(value).__name__}")
    return float(value)


def _float_dtype(dtype: Any) -> int:
    name = dtype
    if not isinstance(dtype, str):
        np = sys.modules.get("numpy")
        try:
            name = np.dtype(dtype).name if np is not None else getattr(dtype, "__name__", None)
        except TypeError:
            name = None
    if name in ("float64", "double", "d", "f8", "float"):
        return _FLOAT64
    if name in ("float32", "single", "f", "f4"):
        return _FLOAT32
    raise DTypeError(f"dtype must be 'float64' or 'float32', got {dtype!r}")


def _result(n: int, dtype: int, out: Any, b, ctype: str = "char"):
    """(object to return, writable pointer for C)."""
    if out is None:
        np = sys.modules.get("numpy")
        if np is None:
            try:
                import numpy as np  # noqa: F811
            except ImportError:
                np = None
        try:
            if np is not None:
                result = np.empty(n, dtype=_NAME[dtype])
            else:
                result = array.array(_TYPECODE[dtype], bytes(n * (8 if dtype != _FLOAT32 else 4)))
        except (ValueError, OverflowError, MemoryError):  # NumPy: "array is too big"
            raise OutOfMemoryError(f"n = {n}: cannot allocate {n} {_NAME[dtype]} values") \
                from None
        return result, b.buffer(result, ctype, writable=True)
    try:
        mv = memoryview(out)
    except TypeError:
        raise DTypeError(f"out must be a writable buffer (NumPy array, array.array, ...), "
                         f"not {type(out).__name__}") from None
    got = FORMATS.get((mv.format, mv.itemsize))
    if got != dtype:
        raise DTypeError(f"out has buffer format {mv.format!r} (item size {mv.itemsize}); "
                         f"expected {_NAME[dtype]}")
    if mv.readonly:
        raise DTypeError("out is read-only")
    if not mv.c_contiguous:
        raise ArgumentError("out must be C-contiguous")
    length = mv.nbytes // mv.itemsize
    if length != n:
        raise ShapeError(f"out has {length} elements, n is {n}")
    return out, b.buffer(mv, ctype, writable=True)


def uniform(n: int, *, seed: int, low: float = 0.0, high: float = 1.0, dtype: Any = "float64",
            out: Any = None, offset: int = 0, nthreads: Optional[int] = None,
            progress: ProgressArg = None):
    """n uniform values in [low, high) (half-open: high is never returned).

    seed: int in [0, 2**64). offset: the index of the first value in the
    stream (uniform(n, seed=s)[a:b] == uniform(b - a, seed=s, offset=a)).
    dtype: 'float64' (53 random bits per value) or 'float32' (24 bits; low
    and high rounded to float32 first). low and high must be finite with
    low < high and a finite high - low; else ArgumentError.
    """
    n = _count(n, "n")
    seed = _count(seed, "seed")
    offset = _count(offset, "offset")
    lo, hi = _real(low, "low"), _real(high, "high")
    dt = _float_dtype(dtype)
    b = _core.backend()
    result, ptr = _result(n, dt, out, b)
    _core.run("parchunk_random_uniform", seed, offset, n, lo, hi, dt, ptr, n=n,
              nthreads=nthreads, progress=progress, name="random.uniform()")
    return result


def normal(n: int, *, seed: int, loc: float = 0.0, scale: float = 1.0, dtype: Any = "float64",
           out: Any = None, offset: int = 0, nthreads: Optional[int] = None,
           progress: ProgressArg = None):
    """n normal values with mean loc and standard deviation scale (Box-Muller
    on Philox blocks; values 2j and 2j+1 come from block j).

    scale must be >= 0 (0 gives loc everywhere); loc and scale finite.
    float32 results are the float64 values rounded once. seed, offset, out,
    dtype as in uniform().
    """
    n = _count(n, "n")
    seed = _count(seed, "seed")
    offset = _count(offset, "offset")
    mu, sigma = _real(loc, "loc"), _real(scale, "scale")
    dt = _float_dtype(dtype)
    b = _core.backend()
    result, ptr = _result(n, dt, out, b)
    _core.run("parchunk_random_normal", seed, offset, n, mu, sigma, dt, ptr, n=n,
              nthreads=nthreads, progress=progress, name="random.normal()")
    return result


def _int64(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise DTypeError(f"{name} must be an int, not bool")
    try:
        v = operator.index(value)
    except TypeError:
        raise DTypeError(f"{name} must be an int, not {type(value).__name__}") from None
    if not -(1 << 63) <= v < (1 << 63):
        raise ArgumentError(f"{name} = {v} is outside the int64 range")
    return v


def integers(n: int, low: int, high: Optional[int] = None, *, seed: int, out: Any = None,
             offset: int = 0, nthreads: Optional[int] = None, progress: ProgressArg = None):
    """n exactly uniform int64 values in [low, high) (high exclusive; with
    high None, in [0, low) as numpy's Generator.integers).

    Unbiased (Lemire's multiply-and-reject; each value's retries use their
    own counters, so a value depends only on seed and its index). low < high
    required; both in the int64 range (so the widest range is
    [-2**63, 2**63 - 1)). seed, offset, out as in uniform() (out: int64).
    """
    if high is None:
        low, high = 0, low
    n = _count(n, "n")
    seed = _count(seed, "seed")
    offset = _count(offset, "offset")
    lo, hi = _int64(low, "low"), _int64(high, "high")
    if lo >= hi:
        raise ArgumentError(f"low must be < high (got {lo}, {hi})")
    b = _core.backend()
    result, ptr = _result(n, _INT64, out, b, "int64_t")
    _core.run("parchunk_random_integers", seed, offset, n, lo, hi, ptr, n=n, nthreads=nthreads,
              progress=progress, name="random.integers()")
    return result


def philox4x32_10(counter, key):
    """The Philox4x32-10 bijection: 4 counter words and 2 key words (ints in
    [0, 2**32)) to a tuple of 4 words, as Random123's philox4x32_10."""
    try:
        ctr_words, key_words = list(counter), list(key)
    except TypeError:
        raise DTypeError(f"philox4x32_10 takes sequences of ints (counter, key), not "
                         f"{type(counter).__name__}, {type(key).__name__}") from None
    if len(ctr_words) != 4 or len(key_words) != 2:
        raise ShapeError(f"philox4x32_10 takes 4 counter words and 2 key words, got "
                         f"{len(ctr_words)} and {len(key_words)}")
    words = ctr_words + key_words
    for i, w in enumerate(words):
        _count(w, f"word {i}", 1 << 32)
    b = _core.backend()
    ctr = b.new("uint32_t", 4)
    k = b.new("uint32_t", 2)
    res = b.new("uint32_t", 4)
    for i in range(4):
        ctr[i] = words[i]
    k[0], k[1] = words[4], words[5]
    status = b.lib.parchunk_philox4x32_10(ctr, k, res)
    if status != 0:  # pragma: no cover - only NULL pointers fail
        raise ArgumentError(f"philox4x32_10 failed with status {status}")
    return tuple(int(res[i]) for i in range(4))


_ = math
