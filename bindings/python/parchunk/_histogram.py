"""Histograms with uniform bins, identical to numpy.histogram."""
from __future__ import annotations

import array
import operator
from typing import Any, Optional, Sequence, Tuple

from . import _core, _decls
from ._core import ProgressArg
from ._errors import (DomainError, DTypeError, OutOfMemoryError, ResultOverflowError,
                      ShapeError)
from ._input import as_input

_FLOAT32 = _decls.ENUMS["PARCHUNK_FLOAT32"]


def _numpy():
    try:
        import numpy  # noqa: PLC0415
    except ImportError:
        return None
    return numpy


def _bins_arg(bins: Any) -> int:
    if isinstance(bins, bool):
        raise TypeError("bins must be an int, not bool")
    try:
        n = operator.index(bins)
    except TypeError:
        raise TypeError(f"bins must be an int (uniform bins only), not {type(bins).__name__}") \
            from None
    if n < 1:
        raise ValueError(f"`bins` must be positive, got {n}")
    return n


def _range_arg(range_: Optional[Sequence[float]]) -> Optional[Tuple[float, float]]:
    if range_ is None:
        return None
    try:
        lo, hi = range_
    except (TypeError, ValueError):
        raise TypeError("range must be None or a pair (lo, hi)") from None
    for v in (lo, hi):
        if isinstance(v, (bool, str, bytes, complex)) or not hasattr(v, "__float__"):
            raise TypeError(f"range values must be real numbers, not {type(v).__name__}")
    try:
        return float(lo), float(hi)
    except OverflowError:
        raise DomainError(f"range ({lo}, {hi}) is not finite: a value is beyond the "
                          "float64 range") from None


def histogram(x: Any, bins: int = 10, range: Optional[Sequence[float]] = None, *,
              nthreads: Optional[int] = None, progress: ProgressArg = None):
    """The histogram of x over `bins` uniform bins: (counts, edges), equal to
    ``numpy.histogram(x, bins, range)`` value for value.

    Same rules as NumPy: bin i holds edges[i] <= v < edges[i+1], the last bin
    also holds v == hi; with a range, values outside [lo, hi] and NaN are
    ignored; lo == hi widens to [lo - 0.5, hi + 0.5]; range None takes
    [min(x), max(x)] and raises ValueError (parchunk.DomainError) when that
    is not finite (NaN or inf in x), empty x gives the range [0, 1]. lo > hi,
    non-finite lo/hi, bins < 1 and too many bins for the range raise
    ValueError; bins too large to allocate raise parchunk.OutOfMemoryError. The range values act as Python floats (NumPy would compute in
    float64 for float32 data if they were NumPy float64 scalars).

    Returns NumPy arrays when NumPy is importable (counts int64; edges with
    NumPy's dtype: float32 for float32 data, else float64), else
    array.array('q') and array.array('d'). Any dtype; integers are binned as
    float64, as NumPy does. Counts do not depend on nthreads.
    """
    a = as_input(x, "x")
    nbins = _bins_arg(bins)
    rng = _range_arg(range)
    b = _core.backend()
    np = _numpy()
    try:
        if np is not None:
            counts = np.empty(nbins, np.int64)
            edges = np.empty(nbins + 1, np.float64)
        else:
            counts = array.array("q", bytes(8 * nbins))
            edges = array.array("d", bytes(8 * (nbins + 1)))
    except (ValueError, OverflowError, MemoryError):  # NumPy: "array is too big"
        raise OutOfMemoryError(f"bins = {nbins}: cannot allocate the counts and edges") from None
    cbuf = b.buffer(counts, "int64_t", writable=True)
    ebuf = b.buffer(edges, "double", writable=True)
    if rng is None:
        _core.run("parchunk_histogram_auto", a.ptr, a.n, a.dtype, nbins, cbuf, ebuf,
                  n=2 * a.n, nthreads=nthreads, progress=progress, name="histogram()")
    else:
        lo, hi = rng  # bad ranges: the C library raises with NumPy's wording
        _core.run("parchunk_histogram", a.ptr, a.n, a.dtype, nbins, lo, hi, cbuf,
                  n=a.n, nthreads=nthreads, progress=progress, name="histogram()")
        _core.run("parchunk_histogram_edges", a.dtype, nbins, lo, hi, ebuf, n=0,
                  name="histogram()")
    del cbuf, ebuf
    if np is not None and a.dtype == _FLOAT32:
        edges = edges.astype(np.float32)  # exact: the edges are float32 values
    return counts, edges


def histogram_merge(*counts):
    """Elementwise sum of histogram counts arrays (of parts of the data,
    binned with the same dtype, bins and range): the counts of all the data.
    Raises ValueError (parchunk.ShapeError) when lengths differ or a counts
    array is not 1-d, ValueError when a count is negative, TypeError
    (parchunk.DTypeError) for non-integer counts (floats, strings), OverflowError
    beyond int64."""
    if not counts:
        raise ValueError("histogram_merge() needs at least one counts array")
    np = _numpy()
    parts = [_counts_arg(c, f"counts[{i}]", np) for i, c in enumerate(counts)]
    nbins = len(parts[0])
    b = _core.backend()
    out = np.zeros(nbins, np.int64) if np is not None else array.array("q", bytes(8 * nbins))
    obuf = b.buffer(out, "int64_t", writable=True)
    for i, c64 in enumerate(parts):
        if len(c64) != nbins:
            raise ShapeError(f"counts have different lengths: counts[0] has {nbins}, "
                             f"counts[{i}] has {len(c64)}")
        if nbins:
            _core.run("parchunk_histogram_merge", nbins, obuf, b.buffer(c64, "int64_t"), obuf,
                      n=0, name="histogram_merge()")
    return out


def _counts_arg(c: Any, name: str, np) -> Any:
    """One counts array as contiguous int64: integer values only (a float or a
    str is not a count: it would be truncated or parsed silently), 1-d."""
    if isinstance(c, (str, bytes)) or not hasattr(c, "__len__"):
        raise DTypeError(f"{name} must be a sequence of integer counts, not {type(c).__name__}")
    if np is not None and isinstance(c, np.ndarray):
        if c.ndim != 1:
            raise ShapeError(f"{name} must be 1-dimensional, got shape {c.shape}")
        if c.dtype.kind not in "iu":
            raise DTypeError(f"{name} must hold integer counts, got dtype {c.dtype}")
        if c.dtype == np.uint64 and c.size and int(c.max()) > (1 << 63) - 1:
            raise ResultOverflowError(f"{name}: a count does not fit int64")
        return np.ascontiguousarray(c, dtype=np.int64)
    values = list(c)
    for i, v in enumerate(values):
        if isinstance(v, bool) or not hasattr(type(v), "__index__"):
            raise DTypeError(f"{name} must hold integer counts; {name}[{i}] is "
                             f"{type(v).__name__} ({v!r})")
    try:
        return array.array("q", [operator.index(v) for v in values])
    except OverflowError:
        raise ResultOverflowError(f"{name}: a count does not fit int64") from None
