"""parchunk: parallel, chunked kernels for Python through a plain shared library.

Every call releases the GIL and runs on all cores (OpenMP in C); results are
bit-identical for any thread count. The library is loaded with cffi (ABI mode)
or ctypes -- no compiled extension, one install for every Python 3 and PyPy.

Inputs: any C-contiguous buffer (NumPy array, array.array, bytes, bytearray,
memoryview, mmap) is read zero-copy with the element type of its buffer
format (int8..int64, uint8..uint64, float32, float64). Lists and tuples: all
ints -> int64, else int/float -> float64. Non-contiguous arrays are copied.
See parchunk._input for the full rules.

Threads: ``nthreads=`` on every call, ``with parchunk.threads(n):`` (per
thread / asyncio task), ``parchunk.set_num_threads(n)`` (process-wide), else
$PARCHUNK_NUM_THREADS / $OMP_NUM_THREADS / all CPUs.

Errors: parchunk.Error (``.code``, ``.status``) and subclasses that are also
the builtin: ArgumentError/EmptyError (ValueError), DTypeError (TypeError),
ResultOverflowError (OverflowError), OutOfMemoryError (MemoryError),
FileError (OSError), Cancelled; AxisError (ValueError and IndexError).

Statistics: var/std (ddof=), stats(), argmin/argmax, dot, count_nonzero;
sum/mean/min/max/var/std take axis= (int, negative, tuple; keepdims=,
shape= for flat buffers) and skipna=True (numpy.nan* semantics), see
parchunk._axis. Mergeable partial states for Dask-style reductions:
partial(op, x) -> bytes, merge(states), finalize(state), see
parchunk._partial.

Long calls: Ctrl-C cancels them within a chunk and raises KeyboardInterrupt;
``progress=True`` shows a tqdm bar (when tqdm is installed), a callable gets
(done, total).

Backends: $PARCHUNK_BACKEND = cffi | ctypes | auto (default: cffi when
importable); ``parchunk.backend`` names the active one. The library is found
via $PARCHUNK_LIBRARY, the copy bundled in the package, the source tree's
build/ directory, then the system.
"""
from __future__ import annotations

from . import _core, _decls
from ._errors import (ArgumentError, BusyError, Cancelled, DomainError, DTypeError, EmptyError,
                      Error, FileError, OutOfMemoryError, ParseError, ResultOverflowError,
                      ShapeError, UnsupportedError)

_core._init_backend()

from ._core import get_num_threads, set_num_threads, threads  # noqa: E402
from ._reduce import max, mean, mean_abs_dev, min, sum  # noqa: E402
from ._exact import (mean_exact_finalize, sum_exact_count, sum_exact_finalize,  # noqa: E402
                     sum_exact_merge, sum_exact_partial)
from ._histogram import histogram, histogram_merge  # noqa: E402
from ._stats import (Stats, argmax, argmin, count_nonzero, dot, stats, std,  # noqa: E402
                     var)
from ._axis import AxisError  # noqa: E402
from ._partial import PartialInfo, finalize, merge, partial, partial_info  # noqa: E402
from ._scan import cumsum  # noqa: E402
from ._sort import argsort, sort  # noqa: E402
from . import file, image, logreg, random  # noqa: E402

__version__ = _decls.VERSION


def library_path() -> str:
    """The path of the loaded libparchunk."""
    return _core.backend().path


def library_version() -> str:
    """The version string of the loaded libparchunk."""
    b = _core.backend()
    return b.string(b.lib.parchunk_version_string())


def __getattr__(name: str):
    if name == "backend":
        return _core.backend().name
    raise AttributeError(f"module 'parchunk' has no attribute {name!r}")


__all__ = [
    "__version__", "backend", "library_path", "library_version",
    "sum", "mean", "min", "max", "mean_abs_dev",
    "sum_exact_partial", "sum_exact_merge", "sum_exact_finalize", "mean_exact_finalize",
    "sum_exact_count", "histogram", "histogram_merge", "cumsum", "sort", "argsort",
    "var", "std", "stats", "Stats", "argmin", "argmax", "dot", "count_nonzero",
    "partial", "merge", "finalize", "partial_info", "PartialInfo", "AxisError",
    "file", "image", "logreg", "random",
    "get_num_threads", "set_num_threads", "threads",
    "Error", "ArgumentError", "EmptyError", "ShapeError", "DomainError", "ParseError",
    "DTypeError", "ResultOverflowError", "OutOfMemoryError", "FileError", "Cancelled",
    "BusyError", "UnsupportedError",
]
