"""Histograms with uniform bins, identical to numpy.histogram."""
from __future__ import annotations

import array
import operator
from typing import Any, Optional, Sequence, Tuple

from . import _core, _decls
from ._core import ProgressArg
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
        if isinstance(v, (bool, str, bytes)) or not hasattr(v, "__float__"):
            raise TypeError(f"range values must be real numbers, not {type(v).__name__}")
    return float(lo), float(hi)


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
    ValueError. The range values act as Python floats (NumPy would compute in
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
    if np is not None:
        counts = np.empty(nbins, np.int64)
        edges = np.empty(nbins + 1, np.float64)
    else:
        counts = array.array("q", bytes(8 * nbins))
        edges = array.array("d", bytes(8 * (nbins + 1)))
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
    Raises ValueError when lengths differ or a count is negative,
    OverflowError beyond int64."""
    if not counts:
        raise ValueError("histogram_merge() needs at least one counts array")
    nbins = len(counts[0])
    b = _core.backend()
    np = _numpy()
    out = np.zeros(nbins, np.int64) if np is not None else array.array("q", bytes(8 * nbins))
    obuf = b.buffer(out, "int64_t", writable=True)
    for c in counts:
        if len(c) != nbins:
            raise ValueError(f"counts have different lengths: {nbins} and {len(c)}")
        c64 = np.ascontiguousarray(c, dtype=np.int64) if np is not None else array.array("q", c)
        _core.run("parchunk_histogram_merge", nbins, obuf, b.buffer(c64, "int64_t"), obuf, n=0,
                  name="histogram_merge()")
    return out
