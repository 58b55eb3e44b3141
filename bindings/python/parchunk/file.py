"""parchunk.file: large files and byte streams, scanned and parsed in parallel
chunks without loading the file into memory.

Every function takes a source and ``nthreads=`` / ``progress=`` like every
parchunk call:

- a path: ``str`` or ``os.PathLike`` -- the file is read with ``pread`` in
  chunks (1 MiB by default), memory bounded by threads x chunk size whatever
  the file size; a file truncated while it is read raises ``parchunk.FileError``
  (an ``OSError``), never crashes the process;
- a bytes-like object (``bytes``, ``bytearray``, ``memoryview``, ``mmap``, a
  NumPy array -- its raw bytes): read in place, zero-copy. Note that ``bytes``
  is data here, never a path.

Missing file, directory, no permission: the matching ``OSError`` subclass
(``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError``, ...) with
``.errno`` and ``.filename``; it is also a ``parchunk.FileError``.

Progress items are bytes; Ctrl-C cancels a call within a chunk.
"""
from __future__ import annotations

import array
import errno as _errno
import operator
import os
import re
import sys
from typing import Any, Iterable, Optional, Union

from . import _core, _decls
from ._core import ProgressArg
from ._errors import ArgumentError, DTypeError, Error, FileError

E = _decls.ENUMS
_ERR_IO = E["PARCHUNK_ERR_IO"]
_FLOAT64, _FLOAT32, _INT64 = E["PARCHUNK_FLOAT64"], E["PARCHUNK_FLOAT32"], E["PARCHUNK_INT64"]

Source = Union[str, "os.PathLike[str]", "os.PathLike[bytes]", bytes, bytearray, memoryview, Any]


# ------------------------------------------------------------- sources ----


class _Src:
    """A resolved source: either a path (bytes) or a zero-copy byte buffer."""

    __slots__ = ("path", "display", "mv", "ptr", "size")

    def __init__(self, src: Any, name: str) -> None:
        self.path = None
        self.display = None
        self.mv = None
        self.ptr = None
        if isinstance(src, (str, os.PathLike)):
            path = os.fspath(src)
            self.display = path
            self.path = os.fsencode(path)
            if b"\0" in self.path:
                raise ArgumentError(f"{name}: embedded NUL byte in the path {path!r}",
                                    E["PARCHUNK_ERR_ARG"])
            try:  # only to choose the direct or the interruptible call path
                self.size = os.stat(self.path).st_size
            except OSError:
                self.size = 0  # the library reports the error with errno
            return
        try:
            mv = memoryview(src)
        except TypeError:
            raise DTypeError(f"{name} must be a path (str or os.PathLike) or a bytes-like "
                             f"object, not {type(src).__name__}") from None
        if not mv.c_contiguous:
            mv = memoryview(mv.tobytes())
        if mv.ndim != 1 or mv.format != "B":
            mv = mv.cast("B") if mv.c_contiguous and mv.nbytes else memoryview(mv.tobytes())
        self.mv = mv
        self.size = mv.nbytes
        self.ptr = _core.backend().buffer(mv, "char") if mv.nbytes else _core.backend().NULL


_OS_ERROR_CLASSES: dict = {}


def _os_error_class(errno_value: int):
    """FileError combined with the builtin OSError subclass of errno_value."""
    base = type(OSError(errno_value, ""))
    if base is OSError:
        return FileError
    cls = _OS_ERROR_CLASSES.get(base)
    if cls is None:
        cls = type(base.__name__, (FileError, base),
                   {"__module__": __name__, "__doc__": f"parchunk.FileError and {base.__name__}."})
        _OS_ERROR_CLASSES[base] = cls
    return cls


_ERRNO_RE = re.compile(r"errno=(\d+): ")


def _run(cname_stem: str, src: _Src, *args: Any, nthreads, progress, name: str) -> None:
    """Call parchunk_file_<stem>(ctx, path, *args) or parchunk_bytes_<stem>(ctx, data,
    size, *args); turn ERR_IO into the matching OSError subclass."""
    try:
        if src.path is not None:
            _core.run("parchunk_file_" + cname_stem, src.path, *args, n=src.size,
                      nthreads=nthreads, progress=progress, name=name)
        else:
            _core.run("parchunk_bytes_" + cname_stem, src.ptr, src.size, *args, n=src.size,
                      nthreads=nthreads, progress=progress, name=name)
    except FileError as exc:
        if exc.code != _ERR_IO:
            raise
        message = str(exc)
        m = _ERRNO_RE.search(message)
        if m is None:
            raise
        err = int(m.group(1))
        new = _os_error_class(err)(message, _ERR_IO)
        new.errno = err
        new.strerror = os.strerror(err)
        new.filename = src.display
        raise new from None


# ------------------------------------------------------------ scanners ----


def count_lines(src: Source, *, nthreads: Optional[int] = None,
                progress: ProgressArg = None) -> int:
    """The number of b'\\n' bytes in src (what ``wc -l`` prints: a last line
    without a newline is not counted)."""
    s = _Src(src, "src")
    out = _core.backend().new("uint64_t")
    _run("count_lines", s, out, nthreads=nthreads, progress=progress, name="count_lines()")
    return int(out[0])


def count(src: Source, needle: Any, *, nthreads: Optional[int] = None,
          progress: ProgressArg = None) -> int:
    """Non-overlapping occurrences of the byte string needle, found greedily
    from the left: equal to ``data.count(needle)`` for any chunking.
    An empty needle raises ValueError (bytes.count would return len + 1)."""
    s = _Src(src, "src")
    if isinstance(needle, str):
        raise DTypeError("needle must be bytes-like, not str (encode it first)")
    try:
        nv = memoryview(needle)
    except TypeError:
        raise DTypeError(f"needle must be bytes-like, not {type(needle).__name__}") from None
    nb = nv.tobytes()
    if not nb:
        raise ArgumentError("count(): the needle is empty", E["PARCHUNK_ERR_ARG"])
    b = _core.backend()
    out = b.new("uint64_t")
    _run("count", s, b.buffer(nb, "char"), len(nb), out, nthreads=nthreads,
         progress=progress, name="count()")
    return int(out[0])


def byte_histogram(src: Source, *, nthreads: Optional[int] = None,
                   progress: ProgressArg = None):
    """256 counts: result[v] = the number of bytes equal to v. A NumPy int64
    array when NumPy is importable, else an ``array.array('q')``."""
    s = _Src(src, "src")
    np = sys.modules.get("numpy")
    if np is None:
        try:
            import numpy as np  # type: ignore[no-redef]
        except ImportError:
            np = None
    result = np.zeros(256, dtype=np.int64) if np is not None else array.array("q", bytes(2048))
    b = _core.backend()
    _run("byte_histogram", s, b.buffer(result, "int64_t", writable=True), nthreads=nthreads,
         progress=progress, name="byte_histogram()")
    return result


def crc32(src: Source, value: int = 0, *, nthreads: Optional[int] = None,
          progress: ProgressArg = None) -> int:
    """zlib's CRC-32 of src continuing from value: equal to ``zlib.crc32(data, value)``.
    Chunks are computed in parallel (carry-less multiplication where the CPU has
    it) and joined with zlib's crc32_combine."""
    if type(value) is not int and not hasattr(type(value), "__index__"):
        raise TypeError(f"value must be an int, not {type(value).__name__}")
    value = int(value) & 0xFFFFFFFF  # zlib.crc32 takes any int the same way
    s = _Src(src, "src")
    out = _core.backend().new("uint32_t")
    _run("crc32", s, value, out, nthreads=nthreads, progress=progress, name="crc32()")
    return int(out[0])


# -------------------------------------------------------- read_numbers ----


def _one_byte(value: Any, name: str) -> int:
    if isinstance(value, str):
        if len(value) != 1 or ord(value) > 127:
            raise ArgumentError(f"{name} must be one ASCII character, got {value!r}",
                                E["PARCHUNK_ERR_ARG"])
        return ord(value)
    if isinstance(value, (bytes, bytearray)) and len(value) == 1:
        return value[0]
    raise ArgumentError(f"{name} must be one character (str or bytes of length 1), got {value!r}",
                        E["PARCHUNK_ERR_ARG"])


def _dtype_code(dtype: Any) -> int:
    names = {"float64": _FLOAT64, "f8": _FLOAT64, "d": _FLOAT64, "double": _FLOAT64,
             "float32": _FLOAT32, "f4": _FLOAT32, "f": _FLOAT32, "single": _FLOAT32,
             "int64": _INT64, "i8": _INT64, "q": _INT64}
    if dtype is float:
        return _FLOAT64
    if dtype is int:
        return _INT64
    key = dtype if isinstance(dtype, str) else None
    if key is None:
        np = sys.modules.get("numpy")
        if np is not None:
            try:
                key = np.dtype(dtype).name
            except TypeError:
                key = None
        else:
            key = getattr(dtype, "__name__", None)
    code = names.get(key.lower().lstrip("<=") if isinstance(key, str) else None)
    if code is None:
        raise DTypeError(f"read_numbers reads float64, float32 or int64, not {dtype!r}")
    return code


class _TableOwner:
    """Frees a parchunk_table when the last array viewing it goes away."""

    __slots__ = ("lib", "table", "__weakref__")

    def __init__(self, lib, table) -> None:
        self.lib = lib
        self.table = table

    def __del__(self) -> None:
        try:
            self.lib.parchunk_table_free(self.table)
        except Exception:  # interpreter shutdown
            pass


def _address(b, p) -> int:
    if p is None or isinstance(p, int):
        return p or 0
    return b.address(p)


_FORMATS = {_FLOAT64: ("d", 8, "float64"), _FLOAT32: ("f", 4, "float32"), _INT64: ("q", 8, "int64")}


def read_numbers(src: Source, delimiter: Any = ",", *, skip_rows: int = 0,
                 usecols: Union[None, int, Iterable[int]] = None, dtype: Any = "float64",
                 comment: Any = None, nthreads: Optional[int] = None,
                 progress: ProgressArg = None):
    """Parse delimited numbers into a rows x columns array, in parallel.

    Lines end with '\\n' (CRLF accepted; the last line needs no newline). The
    first ``skip_rows`` lines are skipped; on the others everything from the
    ``comment`` character on is ignored; blank lines are skipped; fields are
    split at every ``delimiter`` (one character; two in a row enclose an
    empty field). ``usecols``: an int or a sequence of column indices
    (negative count from the end). ``dtype``: float64 (default), float32 or
    int64.

    Floats equal Python's ``float()`` of each field bit for bit (exponents,
    inf / infinity / nan in any case, many digits, subnormals, blanks around
    the number; not underscores, not hex); an empty field gives NaN. int64 is
    exact. A malformed field raises ``parchunk.ParseError`` (a ValueError)
    naming its line (counted from 1 at the start of the input, skipped lines
    included) and column; ragged rows raise ``parchunk.ShapeError`` (a
    ValueError); an int64 out of range raises OverflowError. Nothing partial
    is returned on error.

    Returns a NumPy array of shape (rows, cols) viewing the library's result
    (no copy) when NumPy is importable, else a 2-D ``memoryview`` of that
    shape (format 'd', 'f' or 'q'; ``.tolist()`` gives lists of rows).
    """
    s = _Src(src, "src")
    delim = _one_byte(delimiter, "delimiter")
    com = -1 if comment is None else _one_byte(comment, "comment")
    code = _dtype_code(dtype)
    if isinstance(skip_rows, bool) or not hasattr(type(skip_rows), "__index__"):
        raise TypeError(f"skip_rows must be an int, not {type(skip_rows).__name__}")
    skip_rows = operator.index(skip_rows)
    if skip_rows < 0:
        raise ArgumentError(f"skip_rows must be >= 0, got {skip_rows}", E["PARCHUNK_ERR_ARG"])
    skip_rows = min(skip_rows, (1 << 64) - 1)  # size_t; more rows than any input has
    if usecols is None:
        cols = array.array("q")
    else:
        items = [usecols] if hasattr(type(usecols), "__index__") else usecols
        try:
            items = list(items)
        except TypeError:
            raise TypeError(f"usecols must be None, an int or a sequence of ints, "
                            f"not {type(usecols).__name__}") from None
        for i, v in enumerate(items):
            if isinstance(v, bool) or not hasattr(type(v), "__index__"):
                raise TypeError(f"usecols must be None, an int or a sequence of ints; "
                                f"usecols[{i}] is {type(v).__name__} ({v!r})")
        try:
            cols = array.array("q", [operator.index(v) for v in items])
        except OverflowError:
            raise ArgumentError(f"usecols: a column index is out of range: {usecols!r}",
                                E["PARCHUNK_ERR_ARG"]) from None
    b = _core.backend()
    use_ptr = b.buffer(cols, "int64_t") if len(cols) else b.NULL
    holder = b.new("parchunk_table *")
    _run("read_numbers", s, delim, skip_rows, use_ptr, len(cols), com, code, holder,
         nthreads=nthreads, progress=progress, name="read_numbers()")
    table = holder[0]
    lib = b.lib
    owner = _TableOwner(lib, table)
    rows, ncols = int(lib.parchunk_table_rows(table)), int(lib.parchunk_table_cols(table))
    fmt, itemsize, npname = _FORMATS[code]
    nbytes = rows * ncols * itemsize
    np = sys.modules.get("numpy")
    if np is None:
        try:
            import numpy as np  # type: ignore[no-redef]
        except ImportError:
            np = None
    if nbytes == 0:
        if np is not None:
            return np.empty((rows, ncols), dtype=npname)
        return memoryview(bytearray(0)).cast(fmt) if rows == 0 or ncols == 0 else None
    import ctypes
    raw = (ctypes.c_char * nbytes).from_address(_address(b, lib.parchunk_table_data(table)))
    raw._parchunk_owner = owner  # the table lives as long as this buffer
    if np is not None:
        return np.frombuffer(raw, dtype=npname).reshape(rows, ncols)
    return memoryview(raw).cast("B").cast(fmt, [rows, ncols])


__all__ = ["count_lines", "count", "byte_histogram", "crc32", "read_numbers"]
