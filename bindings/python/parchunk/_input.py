"""Turn Python inputs into (pointer, n, dtype) without copying.

Rules (also in the package docstring):

- Any object with the buffer protocol (NumPy arrays, array.array, memoryview,
  bytes, bytearray, mmap, ...) that is C-contiguous passes zero-copy, read-only
  ones included. The element type comes from the buffer format: struct codes
  b B h H i I l L q Q n N f d with an optional '@', '=', '<' or '>' / '!' prefix
  (byte order must be the machine's; sizes are taken from the item size, so
  '<l' is 4 bytes and '@l' 8 on Linux x86-64). bytes/bytearray are uint8.
  Multi-dimensional buffers are read as their n elements in C order.
- Other formats -- bool '?', half 'e', complex 'Zd', chars 'c', pointers,
  structs, non-native byte order -- raise parchunk.DTypeError (a TypeError)
  naming the format.
- Non-contiguous buffers (e.g. x[::2] of a NumPy array, a strided memoryview)
  are copied into a contiguous temporary first (NumPy: ascontiguousarray).
- Misaligned buffers (the address not a multiple of the item size, e.g.
  np.frombuffer(b, 'f8', offset=1), which NumPy exports with the '=' format
  prefix) are copied into an aligned temporary: the C library requires
  element-aligned arrays. A misaligned buffer with a native format (e.g.
  memoryview(b)[1:].cast('d')) is refused by the library with
  parchunk.ArgumentError naming the argument.
- list / tuple: all elements int (bool excluded) -> int64; else all int or
  float -> float64; anything else -> DTypeError. An int outside the int64 range
  in an int list raises parchunk.ResultOverflowError (an OverflowError): sum a
  list of huge ints with Python's sum(). An empty list is an empty int64 array.
- Anything else (scalars, str, dict, iterators) -> DTypeError.
"""
from __future__ import annotations

import array
import struct
import sys
from typing import Any, Dict, Tuple

from . import _core, _decls
from ._errors import DTypeError, ResultOverflowError

E = _decls.ENUMS
INT8, UINT8, INT16, UINT16 = E["PARCHUNK_INT8"], E["PARCHUNK_UINT8"], E["PARCHUNK_INT16"], E["PARCHUNK_UINT16"]
INT32, UINT32, INT64, UINT64 = E["PARCHUNK_INT32"], E["PARCHUNK_UINT32"], E["PARCHUNK_INT64"], E["PARCHUNK_UINT64"]
FLOAT32, FLOAT64 = E["PARCHUNK_FLOAT32"], E["PARCHUNK_FLOAT64"]

#: dtype -> (kind 'i' | 'u' | 'f', item size, C type name, struct code)
DTYPE_INFO: Dict[int, Tuple[str, int, str, str]] = {
    INT8: ("i", 1, "int8_t", "b"), UINT8: ("u", 1, "uint8_t", "B"),
    INT16: ("i", 2, "int16_t", "h"), UINT16: ("u", 2, "uint16_t", "H"),
    INT32: ("i", 4, "int32_t", "i"), UINT32: ("u", 4, "uint32_t", "I"),
    INT64: ("i", 8, "int64_t", "q"), UINT64: ("u", 8, "uint64_t", "Q"),
    FLOAT32: ("f", 4, "float", "f"), FLOAT64: ("f", 8, "double", "d"),
}
DTYPE_NAMES = {INT8: "int8", UINT8: "uint8", INT16: "int16", UINT16: "uint16", INT32: "int32",
               UINT32: "uint32", INT64: "int64", UINT64: "uint64", FLOAT32: "float32",
               FLOAT64: "float64"}
_BY_KIND_SIZE = {(k, s): dt for dt, (k, s, _, _) in DTYPE_INFO.items()}

_SIGNED, _UNSIGNED, _FLOAT = "bhilqn", "BHILQN", "fd"
_NATIVE_PREFIXES = ["", "@", "="] + (["<"] if sys.byteorder == "little" else [">", "!"])


def _build_formats() -> Dict[Tuple[str, int], int]:
    table = {}
    for prefix in _NATIVE_PREFIXES:
        for codes, kind in ((_SIGNED, "i"), (_UNSIGNED, "u"), (_FLOAT, "f")):
            for c in codes:
                for size in (1, 2, 4, 8):
                    dt = _BY_KIND_SIZE.get((kind, size))
                    if dt is not None:
                        table[(prefix + c, size)] = dt
    return table


#: (buffer format, item size) -> parchunk dtype
FORMATS = _build_formats()


def dtype_of_format(fmt: str, itemsize: int, name: str = "x") -> int:
    dt = FORMATS.get((fmt, itemsize))
    if dt is not None:
        return dt
    what = {"?": "bool", "e": "float16", "c": "char", "Zf": "complex64", "Zd": "complex128",
            "Zg": "complex long double", "g": "long double", "P": "pointer", "O": "object"}
    base = fmt.lstrip("@=<>!")
    if fmt[:1] in "<>!" and fmt[:1] not in _NATIVE_PREFIXES and ("=" + base, itemsize) in FORMATS:
        raise DTypeError(f"{name}: buffer format {fmt!r} has non-native byte order; "
                         "convert it first (e.g. x.astype(x.dtype.newbyteorder('=')))")
    desc = what.get(base)
    desc = f" ({desc})" if desc else ""
    raise DTypeError(f"{name}: unsupported buffer format {fmt!r}{desc} with item size "
                     f"{itemsize}; parchunk takes int8..int64, uint8..uint64, float32, float64")


#: buffer format -> (dtype, item size) for the fast path of as_input
_FAST: Dict[str, Tuple[int, int]] = {}
for (_fmt, _size), _dt in FORMATS.items():
    try:
        if struct.calcsize(_fmt) == _size:
            _FAST[_fmt] = (_dt, _size)
    except struct.error:  # 'n'/'N' exist only with native ('@') sizes
        pass


class Input:
    """A converted input: ptr (backend pointer, keeps the memory alive), n
    (elements), dtype (parchunk_dtype value), obj (the memory's owner: keep
    the Input alive during the call); kind ('i', 'u' or 'f') and itemsize."""

    __slots__ = ("ptr", "n", "dtype", "obj")

    def __init__(self, ptr, n: int, dtype: int, obj) -> None:
        self.ptr = ptr
        self.n = n
        self.dtype = dtype
        self.obj = obj

    @property
    def kind(self) -> str:
        return DTYPE_INFO[self.dtype][0]

    @property
    def itemsize(self) -> int:
        return DTYPE_INFO[self.dtype][1]

    @property
    def dtype_name(self) -> str:
        return DTYPE_NAMES[self.dtype]


_FLOAT_DTYPES = frozenset((FLOAT32, FLOAT64))


def as_input(x: Any, name: str = "x") -> Input:
    """Convert x (see the module docstring for the rules) for a C call."""
    try:
        mv = memoryview(x)
    except TypeError:
        if isinstance(x, (list, tuple)):
            return _from_sequence(x, name)
        raise DTypeError(f"{name} must be an array (an object with the buffer protocol such as "
                         f"a NumPy array, array.array, bytes, memoryview) or a list/tuple of "
                         f"numbers, not {type(x).__name__}") from None
    except (ValueError, BufferError) as exc:  # e.g. NumPy datetime64 has no buffer format
        raise DTypeError(f"{name}: cannot read its buffer: {exc}") from None
    fmt = mv.format
    fast = _FAST.get(fmt)
    itemsize = mv.itemsize
    if fast is not None and fast[1] == itemsize:
        dt = fast[0]
    else:
        dt = FORMATS.get((fmt, itemsize))
        if dt is None:
            dtype_of_format(fmt, itemsize, name)
    if not mv.c_contiguous:
        mv, x = _contiguous_copy(x, mv)
    b = _core._active
    # The buffer is taken from the exporter x, not from a memoryview (the
    # backends' buffer() handles memoryviews, a little slower: see
    # CffiBackend._view_pointer).
    ptr = b.buffer_bytes(x) if type(x) is not memoryview else b.view_pointer(mv)
    # Standard-size prefixes carry no alignment promise (NumPy uses '=' for
    # exactly its misaligned arrays): check the address, copy when needed.
    if fmt[:1] in "=<>!" and itemsize > 1 and b.address(ptr) % itemsize:
        mv, x = _contiguous_copy(x, mv, realign=True)
        ptr = b.buffer_bytes(x)
    return Input(ptr, mv.nbytes // itemsize, dt, mv)


def _contiguous_copy(x, mv, realign: bool = False):
    np = sys.modules.get("numpy")
    if np is not None and isinstance(x, np.ndarray):
        c = np.array(x, order="C") if realign else np.ascontiguousarray(x)
        return memoryview(c), c
    # tobytes() gathers the elements in C order into new (aligned) memory.
    data = bytearray(mv.tobytes())
    dt = FORMATS.get((mv.format, mv.itemsize))
    code = DTYPE_INFO[dt][3] if dt is not None else "B"
    return memoryview(data).cast(code), data


def _from_sequence(seq, name: str) -> Input:
    all_int = True
    for i, v in enumerate(seq):
        t = type(v)
        if t is int:
            continue
        if t is float or (isinstance(v, (int, float)) and not isinstance(v, bool)):
            all_int = all_int and isinstance(v, int)
            continue
        raise DTypeError(f"{name}[{i}] is {type(v).__name__} ({v!r}); a list or tuple input "
                         "must hold only int or float values (bool is not accepted)")
    if all_int:
        try:
            arr = array.array("q", seq)
        except OverflowError:
            bad = next(i for i, v in enumerate(seq) if not -(1 << 63) <= v < (1 << 63))
            raise ResultOverflowError(
                f"{name}[{bad}] = {seq[bad]} does not fit int64 (a list of ints is read as "
                "int64; use Python's sum() for larger integers)") from None
        dt = INT64
    else:
        try:
            arr = array.array("d", seq)
        except OverflowError:
            raise ResultOverflowError(f"{name}: an int is too large to convert to float64") from None
        dt = FLOAT64
    return Input(_core._active.buffer(arr), len(arr), dt, arr)


__all__ = ["Input", "as_input", "DTYPE_INFO", "DTYPE_NAMES", "FORMATS", "dtype_of_format"]
