"""parchunk.file against Python oracles: bytes.count, zlib.crc32, float(),
collections.Counter, `wc -l` -- on paths and on buffers, with tiny chunk
sizes (needles and numbers straddle chunk boundaries) and thread counts
1, 2, 3, 8. Runs under both backends (conftest) and without NumPy."""
from __future__ import annotations

import array
import collections
import math
import mmap
import os
import random
import shutil
import struct
import subprocess
import zlib

import pytest

import parchunk
import parchunk.file as pf
from parchunk import _core

THREADS = (1, 2, 3, 8)


def tiny(chunk):
    """Chunks of `chunk` bytes and no serial cutoff: the parallel path runs."""
    return _core._config(chunk_size=chunk, serial_cutoff=0, threaded_cutoff=1 << 40)


@pytest.fixture
def tmpfile(tmp_path):
    def write(data: bytes, name="data.bin"):
        p = tmp_path / name
        p.write_bytes(data)
        return p
    return write


def rand_bytes(rng, n, alphabet=None):
    if alphabet is None:
        return bytes(rng.getrandbits(8) for _ in range(n))
    return bytes(rng.choice(alphabet) for _ in range(n))


# ------------------------------------------------------------ scanners ----

def test_count_lines_vs_oracles(tmpfile):
    rng = random.Random(1)
    data = rand_bytes(rng, 5000, b"ab\n")
    path = tmpfile(data)
    expect = data.count(b"\n")
    if shutil.which("wc"):
        assert int(subprocess.run(["wc", "-l", str(path)], capture_output=True,
                                  text=True).stdout.split()[0]) == expect
    for nthreads in THREADS:
        for chunk in (1, 7, 64, 0):
            with tiny(chunk):
                assert pf.count_lines(data, nthreads=nthreads) == expect
                assert pf.count_lines(path, nthreads=nthreads) == expect
                assert pf.count_lines(str(path), nthreads=nthreads) == expect


def test_edge_inputs(tmpfile):
    for data in (b"", b"\n", b"x", b"x\ny", b"\r\n"):
        p = tmpfile(data)
        assert pf.count_lines(p) == pf.count_lines(data) == data.count(b"\n")
        assert pf.crc32(p) == pf.crc32(data) == zlib.crc32(data)
        assert pf.count(p, b"x") == data.count(b"x")
        assert list(pf.byte_histogram(p)) == [data.count(bytes([v])) for v in range(256)]


def test_buffer_kinds(tmpfile):
    data = b"abc\nabc\nab"
    assert pf.count(bytearray(data), b"abc") == 2
    assert pf.count(memoryview(data), b"abc") == 2
    assert pf.count_lines(array.array("B", data)) == 2
    p = tmpfile(data)
    with open(p, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        assert pf.count_lines(m) == 2
        assert pf.crc32(m) == zlib.crc32(data)
    # a non-contiguous view is read as its bytes in order
    assert pf.crc32(memoryview(data)[::2]) == zlib.crc32(data[::2])


@pytest.mark.parametrize("needle", [b"a", b"aa", b"aaa", b"ab", b"aba", b"abab", b"baab",
                                    b"aabaa", b"abcabcab"])
def test_count_vs_bytes_count(needle):
    rng = random.Random(hash(needle) & 0xFFFF)
    for data in (rand_bytes(rng, 700, b"ab"), rand_bytes(rng, 300, b"abc"), b"a" * 257,
                 (b"ab" * 100) + b"a"):
        expect = data.count(needle)
        for nthreads in (1, 3):
            for chunk in (1, 2, 3, 5, 8, 13, 17, 100):
                with tiny(chunk):
                    assert pf.count(data, needle, nthreads=nthreads) == expect, (chunk, nthreads)


def test_count_needle_longer_than_chunk(tmpfile):
    rng = random.Random(5)
    data = rand_bytes(rng, 2000, b"xy")
    needle = data[100:150]
    p = tmpfile(data)
    for chunk in (1, 7, 49, 50, 51):
        with tiny(chunk):
            assert pf.count(data, needle) == data.count(needle)
            assert pf.count(p, needle, nthreads=2) == data.count(needle)
    assert pf.count(b"abc", b"abcd") == 0


def test_count_errors():
    with pytest.raises(ValueError, match="empty"):
        pf.count(b"abc", b"")
    with pytest.raises(TypeError):
        pf.count(b"abc", "a")
    with pytest.raises(TypeError):
        pf.count_lines(12345)


def test_byte_histogram_vs_counter(tmpfile):
    rng = random.Random(3)
    data = rand_bytes(rng, 3001)
    c = collections.Counter(data)
    expect = [c.get(v, 0) for v in range(256)]
    p = tmpfile(data)
    for nthreads in THREADS:
        with tiny(17):
            assert list(pf.byte_histogram(data, nthreads=nthreads)) == expect
            assert list(pf.byte_histogram(p, nthreads=nthreads)) == expect


def test_crc32_vs_zlib(tmpfile):
    rng = random.Random(4)
    data = rand_bytes(rng, 4099)
    p = tmpfile(data)
    assert pf.crc32(b"123456789") == 0xCBF43926
    for value in (0, 1, 0xDEADBEEF, 0xFFFFFFFF, 2 ** 40 + 5):
        expect = zlib.crc32(data, value)
        for nthreads in THREADS:
            for chunk in (1, 15, 64, 1000, 0):
                if chunk == 1 and nthreads > 2:
                    continue
                with tiny(chunk):
                    assert pf.crc32(data, value, nthreads=nthreads) == expect
                    assert pf.crc32(p, value, nthreads=nthreads) == expect


def test_progress_counts_bytes(tmpfile):
    data = b"line\n" * 100000
    p = tmpfile(data)
    seen = []
    with tiny(4096):
        assert pf.count_lines(p, progress=lambda d, t: seen.append((d, t))) == 100000
    assert seen and seen[-1] == (len(data), len(data))


def test_os_errors(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        pf.count_lines(tmp_path / "missing.txt")
    e = info.value
    assert e.errno == 2 and e.filename == str(tmp_path / "missing.txt")
    assert isinstance(e, parchunk.FileError) and isinstance(e, parchunk.Error)
    with pytest.raises(IsADirectoryError):
        pf.crc32(tmp_path)
    with pytest.raises(FileNotFoundError):
        pf.read_numbers(str(tmp_path / "missing.csv"))
    if os.geteuid() != 0:  # root reads anything
        p = tmp_path / "secret.txt"
        p.write_bytes(b"1\n")
        p.chmod(0)
        with pytest.raises(PermissionError):
            pf.count_lines(p)


# -------------------------------------------------------- read_numbers ----

def rows_of(result):
    """The result as a list of rows (NumPy array or 2-D memoryview)."""
    return result.tolist()


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b) or (math.isnan(a) and math.isnan(b))
    return a == b


def check_rows(got, expect):
    assert len(got) == len(expect)
    for r, (g, e) in enumerate(zip(got, expect)):
        assert len(g) == len(e)
        for c, (x, y) in enumerate(zip(g, e)):
            assert same(x, y), (r, c, x, y)


TRICKY = ["0", "-0", "1e10", "1E-5", "1.e3", ".5", "-.5e-1", "0.1", "0.3",
          "2.2250738585072011e-308", "4.9e-324", "2.4703282292062328e-324",
          "1.7976931348623159e308", "1e400", "-1e-400", "9007199254740993",
          "3.14159265358979323846264338327950288419716939937510582097494459230781640628",
          "inf", "-Infinity", "nan", "-NaN", "  7.25 ", "\t-3\t", "1" + "0" * 300 + "e-300",
          "00012.500", "123456789012345678901234567890"]


def test_read_numbers_tricky_values_equal_float():
    text = "\n".join(TRICKY) + "\n"
    expect = [[float(s)] for s in TRICKY]
    for nthreads in (1, 2):
        for chunk in (1, 3, 16, 0):
            with tiny(chunk):
                check_rows(rows_of(pf.read_numbers(text.encode(), nthreads=nthreads)), expect)


def random_field(rng):
    k = rng.randrange(8)
    x = rng.uniform(-1, 1) * 10 ** rng.randrange(-30, 30)
    if k == 0:
        return repr(x)
    if k == 1:
        return "%.17g" % x
    if k == 2:
        return "%e" % x
    if k == 3:
        return str(rng.randrange(-10 ** 6, 10 ** 6))
    if k == 4:
        return " %.5f " % x
    if k == 5:
        return repr(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(52)))[0])  # subnormal
    if k == 6:
        return rng.choice(["inf", "-inf", "nan", ""])
    return "%.25g" % x


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_read_numbers_random_vs_float(tmpfile, newline):
    rng = random.Random(7)
    rows = [[random_field(rng) for _ in range(4)] for _ in range(150)]
    text = newline.join(",".join(r) for r in rows)  # no newline after the last line
    expect = [[float(f) if f.strip() else float("nan") for f in r] for r in rows]
    p = tmpfile(text.encode(), "nums.csv")
    for nthreads in THREADS:
        for chunk in (1, 2, 5, 11, 17, 200, 0):
            with tiny(chunk):
                check_rows(rows_of(pf.read_numbers(p, nthreads=nthreads)), expect)
                check_rows(rows_of(pf.read_numbers(text.encode(), nthreads=nthreads)), expect)


def short_field(rng):
    """Fields near the one-line fast path's limits: plain numbers up to and
    past 16 bytes, small and large exponents, 2^53, and near-misses."""
    k = rng.randrange(12)
    if k < 4:
        digits = rng.randrange(1, 19)
        s = str(rng.randrange(10 ** digits)).zfill(digits)
        cut = rng.randrange(digits + 1)
        s = s[:cut] + "." + s[cut:] if rng.random() < 0.8 else s
        return rng.choice(["", "-"]) + s
    if k == 4:  # like the benchmark's CSV
        return "%.10g" % (rng.gauss(0, 1) * rng.choice([1e-3, 1, 100, 1e-7, 1e12]))
    if k == 5:
        return rng.choice(["%.3e", "%.9E", "%.1e", "%.15e"]) % (rng.gauss(0, 1) *
                                                              10.0 ** rng.randrange(-40, 40))
    if k == 6:
        m = rng.choice(["1", "-2.5", ".5", "5.", "-0", "0", "123456789012345"])
        return m + rng.choice(["e", "E"]) + rng.choice(["", "+", "-"]) + str(
            rng.randrange(0, 10 ** rng.randrange(1, 5)))
    if k == 7:
        return rng.choice(["9007199254740992", "9007199254740993", "-9007199254740993.0",
                           "900719925474099.3", "0.9007199254740993", "1234567890123456",
                           "12345678901234567", "-1234567890.123456", "0.000000000000001",
                           "1" * 16 + ".5", "."+"9" * 15, "-0.0", "+5", "-.5", "0e0"])
    if k == 8:
        return repr(rng.uniform(-1e3, 1e3))
    if k == 9:
        return " %d " % rng.randrange(-999, 999)
    if k == 10:
        return rng.choice(["", "inf", "-nan", "1e400", "1e-400", "4.9e-324"])
    return str(rng.randrange(-10 ** 6, 10 ** 6))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_read_numbers_short_fields_vs_float(tmpfile, newline):
    """Long inputs of short fields: the whole-line fast path against float()."""
    rng = random.Random(11)
    for ncols in (1, 4, 7):
        rows = [[short_field(rng) for _ in range(ncols)] for _ in range(1500)]
        if ncols == 1:  # a blank line is no row
            rows = [[f if f.strip() else "nan"] for f, in rows]
        # Blank lines (skipped) here and there, also right after a row.
        lines, line_of = [], []
        for r in rows:
            while rng.random() < 0.03:
                lines.append(rng.choice(["", " ", "\t \r", "\f"]))
            line_of.append(len(lines))
            lines.append(",".join(r))
        text = newline.join(lines) + rng.choice(["", newline])
        expect = [[float(f) if f.strip() else float("nan") for f in r] for r in rows]
        p = tmpfile(text.encode(), "short.csv")
        for nthreads in THREADS:
            for chunk in (7, 100, 4096, 0):
                with tiny(chunk):
                    check_rows(rows_of(pf.read_numbers(p, nthreads=nthreads)), expect)
                    check_rows(rows_of(pf.read_numbers(text.encode(), nthreads=nthreads)),
                               expect)
        # A malformed field among them: the error names its line and column.
        bad = rng.randrange(200, 1500)
        rows[bad][ncols - 1] = rng.choice(["1.2.3", "1e", "1-2", "--1", "1e+", "0x10", "1_0"])
        lines[line_of[bad]] = ",".join(rows[bad])
        text = newline.join(lines)
        for nthreads in (1, 3):
            with tiny(100), pytest.raises(
                    parchunk.ParseError, match=r"line %d, column %d:" % (line_of[bad] + 1, ncols)):
                pf.read_numbers(text.encode(), nthreads=nthreads)


def test_read_numbers_options(tmpfile):
    text = b"x;y;z\n# comment\n1;2;3 # tail\n\n  \n4;5;6\n"
    r = pf.read_numbers(text, ";", skip_rows=1, comment="#", usecols=[2, 0])
    assert rows_of(r) == [[3.0, 1.0], [6.0, 4.0]]
    r = pf.read_numbers(text, b";", skip_rows=1, comment=b"#", usecols=-1, dtype="int64")
    assert rows_of(r) == [[3], [6]]
    r = pf.read_numbers(b"1,,3\n", dtype="float32")
    vals = rows_of(r)[0]
    assert vals[0] == 1.0 and math.isnan(vals[1]) and vals[2] == 3.0
    assert rows_of(pf.read_numbers(b"0.1\n", dtype="float32"))[0][0] == struct.unpack(
        "<f", struct.pack("<f", 0.1))[0]
    assert rows_of(pf.read_numbers(b"9223372036854775807,-9223372036854775808\n", dtype=int)) == [
        [2 ** 63 - 1, -2 ** 63]]
    assert len(rows_of(pf.read_numbers(b""))) == 0


def test_read_numbers_numpy_result(np):
    r = pf.read_numbers(b"1,2\n3,4\n")
    assert isinstance(r, np.ndarray) and r.shape == (2, 2) and r.dtype == np.float64
    assert r.flags.c_contiguous
    del r  # frees the table; nothing else refers to it


def test_read_numbers_errors():
    with pytest.raises(ValueError, match=r"line 3, column 2: not a number: 'abc'"):
        pf.read_numbers(b"h\n1,2\n3,abc\n", skip_rows=1)
    with pytest.raises(parchunk.ParseError):
        pf.read_numbers(b"1_000\n")
    with pytest.raises(ValueError, match="line 3"):
        pf.read_numbers(b"1,2\n3,4\n5\n")
    with pytest.raises(parchunk.ShapeError):
        pf.read_numbers(b"1,2\n3,4,5\n")
    with pytest.raises(OverflowError, match="line 1, column 1"):
        pf.read_numbers(b"9223372036854775808\n", dtype="int64")
    with pytest.raises(ValueError, match="line 1, column 2"):
        pf.read_numbers(b"1,\n", dtype="int64")
    with pytest.raises(ValueError):
        pf.read_numbers(b"1\n", delimiter="ab")
    with pytest.raises(ValueError):
        pf.read_numbers(b"1\n", delimiter="5")
    with pytest.raises(ValueError):
        pf.read_numbers(b"1,2\n", usecols=[5])
    with pytest.raises(TypeError):
        pf.read_numbers(b"1\n", dtype="complex128")
    with pytest.raises(ValueError):
        pf.read_numbers(b"1\n", skip_rows=-1)


def test_read_numbers_first_bad_line_any_threads():
    lines = ["%d.5,%d" % (i, i) for i in range(2000)]
    lines[1500] = "x,1"
    lines[700] = "1,y"
    data = "\n".join(lines).encode()
    for nthreads in THREADS:
        with tiny(64):
            with pytest.raises(ValueError, match=r"line 701, column 2"):
                pf.read_numbers(data, nthreads=nthreads)
