"""Input conversion: buffer types, formats, zero-copy, lists, bad inputs."""
import array
import mmap
import os
import struct
import sys

import pytest

import parchunk
from parchunk import _input


def test_bytes_like_are_uint8():
    data = bytes(range(256)) * 40
    for obj in (data, bytearray(data), memoryview(data), memoryview(bytearray(data))):
        assert parchunk.sum(obj) == sum(data)
        assert parchunk.max(obj) == 255 and parchunk.min(obj) == 0


def test_memoryview_cast_formats():
    raw = bytearray(struct.pack("<8d", *range(8)))
    assert parchunk.sum(memoryview(raw).cast("d")) == 28.0
    assert parchunk.sum(memoryview(bytes(raw)).cast("d")) == 28.0  # read-only
    assert parchunk.sum(memoryview(raw).cast("q")) == sum(struct.unpack("<8q", raw))


def test_memoryview_slice_readonly_offset():
    a = array.array("d", range(100))
    mv = memoryview(bytes(memoryview(a))).cast("d")[10:20]   # read-only with an offset
    assert parchunk.sum(mv) == sum(range(10, 20))


def test_mmap(tmp_path):
    p = tmp_path / "x.bin"
    a = array.array("i", range(-500, 1500))
    p.write_bytes(a.tobytes())
    with open(p, "rb") as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)   # read-only buffer
        try:
            assert parchunk.sum(m) == sum(a.tobytes())           # bytes -> uint8
            mv = memoryview(m).cast("i")
            assert parchunk.sum(mv) == sum(a)
            mv.release()
        finally:
            m.close()
    with open(p, "r+b") as f:
        m = mmap.mmap(f.fileno(), 0)  # writable
        try:
            assert parchunk.sum(m) == sum(a.tobytes())
        finally:
            m.close()


@pytest.mark.parametrize("fmt,expected", [
    ("b", "INT8"), ("B", "UINT8"), ("h", "INT16"), ("H", "UINT16"), ("i", "INT32"),
    ("I", "UINT32"), ("q", "INT64"), ("Q", "UINT64"), ("f", "FLOAT32"), ("d", "FLOAT64"),
    ("<d", "FLOAT64"), ("=i", "INT32"), ("@q", "INT64"), ("<l", "INT32"), ("=L", "UINT32"),
])
def test_format_table(fmt, expected):
    size = struct.calcsize(fmt)
    if sys.byteorder == "big" and fmt.startswith("<"):
        pytest.skip("little-endian format on a big-endian machine")
    assert _input.dtype_of_format(fmt, size) == parchunk._decls.ENUMS["PARCHUNK_" + expected]


def test_native_long_sizes():
    la = array.array("l", [1, -2, 3])
    assert parchunk.sum(la) == 2
    ua = array.array("L", [1, 2, 2**(8 * la.itemsize) - 1])
    assert parchunk.sum(ua) == 3 + 2**(8 * la.itemsize) - 1


@pytest.mark.parametrize("fmt,size,word", [
    ("?", 1, "bool"), ("e", 2, "float16"), ("Zd", 16, "complex128"), ("c", 1, "char"),
    ("T{d:x:}", 8, "T{d:x:}"), ("P", 8, "pointer"),
])
def test_unsupported_formats_raise_dtype_error(fmt, size, word):
    with pytest.raises(parchunk.DTypeError) as ei:
        _input.dtype_of_format(fmt, size)
    assert isinstance(ei.value, TypeError)
    assert repr(fmt) in str(ei.value) and word in str(ei.value)


def test_non_native_byte_order():
    other = ">" if sys.byteorder == "little" else "<"
    with pytest.raises(parchunk.DTypeError, match="byte order"):
        _input.dtype_of_format(other + "d", 8)


def test_numpy_bad_dtypes(np):
    for x in (np.ones(4, dtype=bool), np.ones(4, dtype=np.float16), np.ones(4, dtype=complex),
              np.ones(4, dtype=">f8" if sys.byteorder == "little" else "<f8"),
              np.array(["a", "b"]), np.array([1, 2], dtype="datetime64[s]"),
              np.array([1, None], dtype=object)):
        with pytest.raises(parchunk.DTypeError) as ei:
            parchunk.sum(x)
        assert "x" in str(ei.value)


def test_numpy_non_contiguous_is_copied(np):
    x = np.arange(1000, dtype=np.float64)
    assert parchunk.sum(x[::3]) == float(x[::3].sum())
    y = np.arange(200, dtype=np.int32).reshape(10, 20)
    assert parchunk.sum(y.T) == int(y.sum())
    assert parchunk.min(y[:, 5]) == 5


def test_strided_memoryview_is_copied():
    a = array.array("i", range(100))
    mv = memoryview(a)[::2]
    assert not mv.c_contiguous
    assert parchunk.sum(mv) == sum(range(0, 100, 2))


def test_numpy_readonly_zero_copy(np):
    x = np.arange(100, dtype=np.int16)
    x.flags.writeable = False
    assert parchunk.sum(x) == 4950
    b = np.frombuffer(b"\x01\x02\x03\x04", dtype=np.uint8)   # read-only, from bytes
    assert parchunk.sum(b) == 10


def test_zero_copy_numpy(np):
    """The pointer handed to C is the array's own memory, also when read-only."""
    b = parchunk._core.backend()
    for writable in (True, False):
        x = np.arange(100, dtype=np.float64)
        x.flags.writeable = writable
        inp = _input.as_input(x)
        assert b.address(inp.ptr) == x.__array_interface__["data"][0]


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython bytes layout")
def test_zero_copy_readonly_bytes_and_writable_bytearray():
    import ctypes
    b = parchunk._core.backend()
    data = bytes(range(64))
    addr = ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value  # CPython: no copy
    assert b.address(_input.as_input(data).ptr) == addr
    assert b.address(_input.as_input(memoryview(data)[8:]).ptr) == addr + 8
    ba = bytearray(64)
    buf = (ctypes.c_char * 64).from_buffer(ba)
    assert b.address(_input.as_input(ba).ptr) == ctypes.addressof(buf)
    del buf


def test_lists_and_tuples():
    assert parchunk.sum([1, 2, 3]) == 6 and type(parchunk.sum([1, 2, 3])) is int
    assert parchunk.sum((1, 2.5)) == 3.5
    assert parchunk.max([-(2**63), 2**63 - 1]) == 2**63 - 1
    assert parchunk.mean([1, 2]) == 1.5
    assert parchunk.sum([]) == 0


def test_list_rules_errors():
    with pytest.raises(parchunk.ResultOverflowError) as ei:
        parchunk.sum([1, 2**63])
    assert isinstance(ei.value, OverflowError) and "x[1]" in str(ei.value)
    with pytest.raises(parchunk.DTypeError, match=r"x\[1\] is str"):
        parchunk.sum([1, "2"])
    with pytest.raises(parchunk.DTypeError, match=r"x\[0\] is bool"):
        parchunk.sum([True, 1])
    with pytest.raises(parchunk.DTypeError):
        parchunk.sum([[1, 2]])


@pytest.mark.parametrize("bad", [1, 1.5, "abc", None, {1: 2}, iter([1, 2]), object()])
def test_not_an_array(bad):
    with pytest.raises(parchunk.DTypeError) as ei:
        parchunk.sum(bad)
    assert isinstance(ei.value, TypeError)
    assert "x must be an array" in str(ei.value)
    assert ei.value.code == parchunk._decls.ENUMS["PARCHUNK_ERR_DTYPE"]


@pytest.mark.skipif(os.environ.get("PARCHUNK_TEST_NO_NUMPY") != "1", reason="no-NumPy lane only")
def test_numpy_is_really_blocked():
    with pytest.raises(ImportError):
        import numpy  # noqa: F401
    assert not any(m == "numpy" or m.startswith("numpy.") for m in sys.modules)
    assert parchunk.sum(array.array("d", [1.5, 2.5])) == 4.0


@pytest.mark.parametrize("dtype", ["f8", "f4", "i4", "u2", "i8"])
def test_numpy_misaligned_is_copied(np, dtype):
    # np.frombuffer with an odd offset makes a misaligned array (NumPy exports
    # it with the '=' format prefix); parchunk copies it into aligned memory.
    ref = (np.arange(1, 5001) % 97).astype(dtype)
    size = ref.itemsize
    for shift in range(1, size):
        raw = bytearray(ref.nbytes + size)
        x = np.frombuffer(raw, dtype=dtype, offset=shift, count=ref.size)
        x[:] = ref
        assert not x.flags.aligned
        assert parchunk.sum(x) == parchunk.sum(ref) == int(ref.astype("f8").sum())
        assert parchunk.min(x) == ref.min() and parchunk.max(x) == ref.max()
        assert np.array_equal(parchunk.sort(x), np.sort(ref))
        assert np.array_equal(parchunk.cumsum(x), parchunk.cumsum(ref))


def test_misaligned_native_format_is_refused():
    # memoryview.cast keeps a native format on a misaligned address: the
    # library refuses it with a clear error (never a crash or a wrong answer).
    raw = bytearray(8 * 11)
    mv = memoryview(raw)[1:81].cast("d")
    with pytest.raises(parchunk.ArgumentError, match="not aligned"):
        parchunk.sum(mv)
    assert parchunk.sum(memoryview(raw)[8:88].cast("d")) == 0.0
