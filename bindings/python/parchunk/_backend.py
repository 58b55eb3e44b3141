"""The two backends (cffi ABI mode, ctypes) behind one small interface.

Every public function is written once against this interface:

    b = _core.backend()        # the active Backend
    b.lib.parchunk_xxx(...)    # the C function (GIL released during the call)
    b.new("double", n=1)       # zeroed C array of n elements; x[i] reads/writes;
                               #   passes where the C side takes a pointer.
                               #   For small cells; allocate result arrays with
                               #   array.array / NumPy and pass b.buffer(out, writable=True)
    b.buffer(obj, "char")      # zero-copy pointer to a buffer-protocol object
                               #   (read-only buffers too); keep obj alive!
    b.buffer(obj, "double", writable=True)   # for output buffers
    b.buffer_bytes(obj)        # = b.buffer(obj), the fastest spelling (for void *);
                               #   obj must NOT be a memoryview (cffi: a GC crash,
                               #   see CffiBackend._view_pointer): pass the exporter
    b.view_pointer(mv)         # void * into a memoryview, for inputs: the caller
                               #   keeps mv alive for the call (cffi: not the pointer)
    b.string(p)                # const char * -> str
    b.address(p)               # a pointer from new()/buffer() -> int
    b.NULL                     # the null pointer

Both backends take the declarations from the generated _decls module, so a
new function in include/parchunk.h appears as b.lib.<name> after re-running
tools/gen_decls.py.
"""
from __future__ import annotations

import contextlib
import ctypes
import functools
import sys
from typing import Any, Iterator

from . import _decls, _loader


class Backend:
    name = "?"
    lib: Any
    path: str
    NULL: Any

    def new(self, ctype: str, n: int = 1):  # pragma: no cover - interface
        raise NotImplementedError

    def buffer(self, obj, ctype: str = "char", writable: bool = False):  # pragma: no cover
        raise NotImplementedError

    def string(self, p) -> str:  # pragma: no cover
        raise NotImplementedError

    def address(self, p) -> int:  # pragma: no cover
        """The integer address of a pointer made by buffer()/buffer_bytes()."""
        raise NotImplementedError


# ---------------------------------------------------------------- cffi ----


class CffiBackend(Backend):
    name = "cffi"

    def __init__(self) -> None:
        try:
            import cffi
        except ImportError as exc:
            raise ImportError(f"the cffi backend needs the cffi package ({exc}): "
                              "pip install cffi, or PARCHUNK_BACKEND=ctypes") from exc

        ffi = cffi.FFI()
        ffi.cdef(_decls.CDEF)
        self.ffi = ffi
        # RTLD_NODELETE: cffi dlclose()s the library when its lib object is
        # collected at interpreter exit; that would unmap libgomp under OpenMP
        # workers still spinning after the last call (a crash at exit with
        # OMP_WAIT_POLICY=active). ctypes never dlclose()s.
        flags = getattr(ffi, "RTLD_NOW", 2) | getattr(ffi, "RTLD_NODELETE", 0)
        self.lib, self.path = _loader.load(lambda path: ffi.dlopen(path, flags),
                                           lambda lib: lib.parchunk_abi_version(),
                                           _decls.ABI_VERSION)
        self.NULL = ffi.NULL
        self._from_buffer = ffi.from_buffer
        # buffer(obj) for the hot path: a C-level partial, no Python frame.
        self.buffer_bytes = functools.partial(ffi.from_buffer, "char[]")
        try:  # skip FFI.from_buffer's Python frame (same call, type resolved once)
            raw = functools.partial(ffi._backend.from_buffer, ffi.typeof("char[]"))
            raw(b"")
            self.buffer_bytes = raw
        except (AttributeError, TypeError):
            pass
        self._new = ffi.new
        self._types: dict = {}
        self._release = getattr(ffi, "release", None)  # cffi >= 1.12
        self._uintptr = ffi.typeof("uintptr_t")
        self._pointer_types: dict = {}

    def address(self, p) -> int:
        return int(self.ffi.cast("uintptr_t", p))

    def new(self, ctype: str, n: int = 1):
        t = self._types.get((ctype, n))
        if t is None:
            if n > 16:
                return self._new(f"{ctype}[]", n)
            t = self._types[(ctype, n)] = self.ffi.typeof(f"{ctype}[{n}]")
        return self._new(t)

    def buffer(self, obj, ctype: str = "char", writable: bool = False):
        # from_buffer keeps obj alive as long as the returned cdata lives, and
        # accepts read-only buffers unless require_writable is set.
        if type(obj) is memoryview:
            return self._view_pointer(obj, ctype, writable)
        return self._from_buffer(ctype + "[]", obj, writable)

    def _view_pointer(self, mv: memoryview, ctype: str, writable: bool):
        """A pointer into a memoryview's memory that holds NO export on the view.

        CPython (3.11 at least) crashes in the garbage collector when a
        memoryview with a live buffer export is part of a collected reference
        cycle: memory_clear() drops the view's managed buffer in spite of the
        export, and the view's dealloc then dereferences it. A from_buffer()
        cdata on a memoryview is such an export, and reference cycles through
        frames are everyday Python (``except Error as e: err = e`` keeps the
        traceback, whose frames hold our inputs). So the export is taken and
        released at once (it checks contiguity and writability and gives the
        address), and the pointer keeps the memoryview alive instead: the view
        itself pins the memory (its managed buffer holds the exporter's
        buffer), and a view without exports is safe to collect.
        """
        return self.ffi.gc(self._view_address(mv, ctype, writable),
                           functools.partial(_keep_alive, mv))

    def view_pointer(self, mv: memoryview):
        """A `char *` into mv's memory that holds no export and does NOT keep
        mv alive: the caller must (as_input keeps it in Input.obj). The fast
        path for memoryview inputs; see _view_pointer."""
        return self._view_address(mv, "char", False)

    def _view_address(self, mv: memoryview, ctype: str, writable: bool):
        ffi = self.ffi
        # the export checks contiguity and writability and gives the address
        probe = self.buffer_bytes(mv) if not writable else self._from_buffer("char[]", mv, True)
        address = ffi.cast(self._uintptr, probe)
        if self._release is not None:
            self._release(probe)
        del probe
        t = self._pointer_types.get(ctype)
        if t is None:
            t = self._pointer_types[ctype] = ffi.typeof(ctype + " *")
        return ffi.cast(t, address)

    def string(self, p) -> str:
        return self.ffi.string(p).decode("utf-8", "replace")


def _keep_alive(obj, cdata) -> None:
    """The ffi.gc destructor of CffiBackend._view_pointer: holds obj until then."""


# -------------------------------------------------------------- ctypes ----

_CTYPES_BASE = {
    "void": None,
    "char": ctypes.c_char,
    "signed char": ctypes.c_byte,
    "unsigned char": ctypes.c_ubyte,
    "short": ctypes.c_short,
    "unsigned short": ctypes.c_ushort,
    "int": ctypes.c_int,
    "signed int": ctypes.c_int,
    "unsigned int": ctypes.c_uint,
    "unsigned": ctypes.c_uint,
    "long": ctypes.c_long,
    "unsigned long": ctypes.c_ulong,
    "long long": ctypes.c_longlong,
    "unsigned long long": ctypes.c_ulonglong,
    "float": ctypes.c_float,
    "double": ctypes.c_double,
    "_Bool": ctypes.c_bool,
    "bool": ctypes.c_bool,
    "size_t": ctypes.c_size_t,
    "ssize_t": ctypes.c_ssize_t,
    "ptrdiff_t": ctypes.c_ssize_t,
    "intptr_t": ctypes.c_ssize_t,
    "uintptr_t": ctypes.c_size_t,
    "int8_t": ctypes.c_int8,
    "uint8_t": ctypes.c_uint8,
    "int16_t": ctypes.c_int16,
    "uint16_t": ctypes.c_uint16,
    "int32_t": ctypes.c_int32,
    "uint32_t": ctypes.c_uint32,
    "int64_t": ctypes.c_int64,
    "uint64_t": ctypes.c_uint64,
}


def _ctypes_type(ctype: str):
    """Map a canonical C type string from _decls to a ctypes type.

    Pointers: 'char *' -> c_char_p (strings); every other pointer -> c_void_p
    (the backend hands addresses and ctypes arrays, both accepted by c_void_p).
    """
    t = ctype.replace("const ", "").replace("volatile ", "").strip()
    stars = t.count("*")
    base = t.replace("*", "").strip()
    if stars:
        if base == "char" and stars == 1:
            return ctypes.c_char_p
        return ctypes.c_void_p
    if base.startswith("enum "):
        return ctypes.c_int
    kind = _decls.TYPEDEFS.get(base)
    if kind == "enum":
        return ctypes.c_int
    if kind == "struct" or base.startswith("struct "):
        return _ctypes_struct(base)
    if kind == "funcptr":
        ret, args = _decls.FUNCPTRS[base]
        return ctypes.CFUNCTYPE(_ctypes_type(ret), *(_ctypes_type(a) for a in args))
    if kind is not None and kind.startswith("alias:"):
        return _ctypes_type(kind[len("alias:"):])
    if base in _CTYPES_BASE:
        return _CTYPES_BASE[base]
    raise TypeError(f"ctypes backend: no mapping for C type {ctype!r}")


_STRUCTS: dict = {}


def _ctypes_struct(name: str):
    """A ctypes.Structure for a struct of the header (cached; the layout
    follows the C rules for the same field types, as the C compiler's)."""
    cls = _STRUCTS.get(name)
    if cls is None:
        fields = getattr(_decls, "STRUCTS", {}).get(name)
        if fields is None:
            raise TypeError(f"ctypes backend: no declaration of struct {name!r}")
        cls = type(name.replace("struct ", "").replace(" ", "_"), (ctypes.Structure,), {})
        _STRUCTS[name] = cls
        ctfields = []
        for fname, ftype, length in fields:
            t = _ctypes_type(ftype)
            ctfields.append((fname, t * length if length else t))
        cls._fields_ = ctfields
    return cls


_PyBUF_SIMPLE = 0


class _Py_buffer(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.py_object), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p),
                ("strides", ctypes.c_void_p), ("suboffsets", ctypes.c_void_p),
                ("internal", ctypes.c_void_p)]


def _readonly_address_getter():
    """A zero-copy address for read-only buffers, or None on this interpreter.

    ctypes' from_buffer() insists on writable buffers. On CPython the buffer
    protocol itself gives the address: PyObject_GetBuffer through
    ctypes.pythonapi (the export is released at once; the memoryview the caller
    holds keeps the memory pinned for the duration of the call). PyPy has no
    stable pythonapi, but cffi is built in: its from_buffer() gives the address
    (a reference to the cdata is kept with the pointer). Without either,
    read-only buffers are copied.
    """
    if sys.implementation.name != "cpython":
        return _cffi_address_getter()
    try:
        get = ctypes.pythonapi.PyObject_GetBuffer
        release = ctypes.pythonapi.PyBuffer_Release
    except AttributeError:  # pragma: no cover
        return None
    get.argtypes = [ctypes.py_object, ctypes.POINTER(_Py_buffer), ctypes.c_int]
    get.restype = ctypes.c_int
    release.argtypes = [ctypes.POINTER(_Py_buffer)]
    release.restype = None

    def address(mv) -> int:
        view = _Py_buffer()
        if get(mv, ctypes.byref(view), _PyBUF_SIMPLE) != 0:  # pragma: no cover
            raise BufferError("PyObject_GetBuffer failed")
        try:
            return view.buf or 0
        finally:
            release(ctypes.byref(view))

    return address


def _cffi_address_getter():
    try:
        import cffi
    except ImportError:
        return None
    ffi = cffi.FFI()

    def address(mv):
        p = ffi.from_buffer(mv)
        return int(ffi.cast("uintptr_t", p)), p

    address.keeps = True  # type: ignore[attr-defined]
    return address


class CtypesBackend(Backend):
    name = "ctypes"

    def __init__(self) -> None:
        def check(lib):
            f = lib.parchunk_abi_version
            f.restype = ctypes.c_uint32
            f.argtypes = []
            return f()

        # CDLL (not PyDLL) releases the GIL around every foreign call.
        self.lib, self.path = _loader.load(ctypes.CDLL, check, _decls.ABI_VERSION)
        for fname, (ret, args) in _decls.FUNCTIONS.items():
            try:
                f = getattr(self.lib, fname)
            except AttributeError:
                continue  # header newer than the library: cffi fails at call time too
            f.restype = _ctypes_type(ret)
            f.argtypes = [_ctypes_type(a) for a in args]
        self.NULL = None
        self._types: dict = {}
        self.buffer_bytes = self.buffer
        self.view_pointer = self.buffer  # ctypes holds no export on the view itself
        self._ro_address = _readonly_address_getter()

    def new(self, ctype: str, n: int = 1):
        t = self._types.get((ctype, n))
        if t is None:
            t = self._types[(ctype, n)] = _ctypes_type(ctype) * n
        return t()

    def buffer(self, obj, ctype: str = "char", writable: bool = False):
        mv = obj if type(obj) is memoryview else memoryview(obj)
        nbytes = mv.nbytes
        if not mv.c_contiguous:
            raise BufferError("buffer is not C-contiguous")
        if not mv.readonly:
            if nbytes == 0:
                return _Keep(None, mv)
            # One c_char at the start of the memory: it holds the buffer export.
            # (Not (c_char * nbytes): ctypes caches one array type per length,
            # forever -- a leak when every call has another size.)
            head = _c_char_from_buffer(mv)
            return _Keep(_addressof(head), head)
        if writable:
            raise TypeError("a writable buffer is required, got a read-only one")
        if nbytes == 0:
            return _Keep(None, mv)
        ai = getattr(obj, "__array_interface__", None)
        if ai is not None and ai.get("strides") is None:
            return _Keep(ai["data"][0], obj)
        if self._ro_address is not None:
            if getattr(self._ro_address, "keeps", False):
                addr, keep = self._ro_address(mv)
                return _Keep(addr, (mv, keep))
            return _Keep(self._ro_address(mv), mv)
        # Last resort (PyPy without cffi): a private copy, same values.
        copy = bytearray(mv.tobytes())
        head = _c_char_from_buffer(copy)
        return _Keep(_addressof(head), (head, copy))

    def string(self, p) -> str:
        if p is None:
            return ""
        return p.decode("utf-8", "replace")

    def address(self, p) -> int:
        if isinstance(p, _Keep):
            return p._as_parameter_.value or 0
        return ctypes.addressof(p)


_c_char_from_buffer = ctypes.c_char.from_buffer
_addressof = ctypes.addressof


class _Keep:
    """A c_void_p-compatible address that keeps the exporting object alive."""

    __slots__ = ("_as_parameter_", "obj")

    def __init__(self, address, obj) -> None:
        self._as_parameter_ = ctypes.c_void_p(address)
        self.obj = obj


def make(name: str) -> Backend:
    if name == "cffi":
        return CffiBackend()
    if name == "ctypes":
        return CtypesBackend()
    raise ValueError(f"unknown parchunk backend {name!r} (expected 'cffi', 'ctypes' or 'auto')")


def available(name: str) -> bool:
    """True when backend `name` ("cffi" or "ctypes") can be loaded here."""
    from . import _core
    try:
        _core._get_backend(name)
        return True
    except (ImportError, OSError, ValueError):
        return False


@contextlib.contextmanager
def using(name: str) -> Iterator[Backend]:
    """``with _backend.using("ctypes"):`` -- make `name` the active backend for
    the block (benchmarks, tests). Process-wide, not thread-safe."""
    from . import _core
    previous = _core.backend().name
    b = _core._set_backend(name)
    try:
        yield b
    finally:
        _core._set_backend(previous)
