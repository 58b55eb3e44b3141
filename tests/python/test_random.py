"""parchunk.random: the documented counter -> value mapping (re-implemented
here in pure Python from include/parchunk.h and lib/kernels/random/mathfn.h),
Random123 known answers, slices, thread/chunk independence, statistics,
out=, and argument errors. Every test runs under both backends."""
from __future__ import annotations

import array
import math
import statistics
import struct

import pytest

import parchunk
import parchunk.random as pr
from parchunk import _core

M32 = 0xFFFFFFFF

# ---------------------------------------------------------------- reference


def philox(ctr, key):
    x0, x1, x2, x3 = ctr
    k0, k1 = key
    for _ in range(10):
        p0 = 0xD2511F53 * x0
        p1 = 0xCD9E8D57 * x2
        x0, x1, x2, x3 = ((p1 >> 32) ^ x1 ^ k0), p1 & M32, ((p0 >> 32) ^ x3 ^ k1), p0 & M32
        k0 = (k0 + 0x9E3779B9) & M32
        k1 = (k1 + 0xBB67AE85) & M32
    return x0, x1, x2, x3


def block(seed, j, attempt, domain):
    return philox((j & M32, j >> 32, attempt, domain), (seed & M32, seed >> 32))


def x64(w, half):
    return w[2 * half] | (w[2 * half + 1] << 32)


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def below(v):
    return math.nextafter(v, -math.inf)


def below32(v):
    bits = struct.unpack("<I", struct.pack("<f", v))[0]
    return struct.unpack("<f", struct.pack("<I", bits - 1 if v > 0 else bits + 1))[0] if v != 0 \
        else -struct.unpack("<f", struct.pack("<I", 1))[0]


def ref_uniform64(seed, i, low, high):
    u = (x64(block(seed, i // 2, 0, 1), i % 2) >> 11) * 2.0**-53
    r = low + (high - low) * u
    return below(high) if r >= high else r


def ref_uniform32(seed, i, low, high):
    u = (block(seed, i // 4, 0, 2)[i % 4] >> 8) * 2.0**-24
    lo, hi = f32(low), f32(high)
    r = f32(lo + f32(f32(hi - lo) * u))
    return below32(hi) if r >= hi else r


LN2_HI, LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10
LG = [6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
      2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
      1.479819860511658591e-01]
S = [-1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04,
     2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10]
C = [4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05,
     -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11]
PIO4 = float.fromhex("0x1.921fb54442d18p-1")


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def ref_log(x):
    b = bits(x)
    hx = b >> 32
    k = (hx >> 20) - 1023
    hx &= 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    k += i >> 20
    f = from_bits(((hx | (i ^ 0x3FF00000)) << 32) | (b & M32)) - 1.0
    s = f / (2.0 + f)
    dk = float(k)
    z = s * s
    w = z * z
    t1 = w * (LG[1] + w * (LG[3] + w * LG[5]))
    t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])))
    r = t2 + t1
    hfsq = 0.5 * f * f
    return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f)


def ref_sincos_turn(m):
    o = m >> 50
    r = (m & ((1 << 50) - 1)) * 2.0**-50
    a = ((1.0 - r) if o & 1 else r) * PIO4
    z = a * a
    v = z * a
    rs = S[1] + z * (S[2] + z * (S[3] + z * (S[4] + z * S[5])))
    s = a + v * (S[0] + z * rs)
    rc = z * (C[0] + z * (C[1] + z * (C[2] + z * (C[3] + z * (C[4] + z * C[5])))))
    hz = 0.5 * z
    w = 1.0 - hz
    c = w + (((1.0 - w) - hz) + z * rc)
    if (o + 1) & 2:
        s, c = c, s
    return (-s if o & 4 else s), (-c if (o + 2) & 4 else c)


def ref_normal(seed, i, loc, scale):
    w = block(seed, i // 2, 0, 3)
    u1 = ((x64(w, 0) >> 11) + 1) * 2.0**-53
    rad = math.sqrt(-2.0 * ref_log(u1))
    s, c = ref_sincos_turn(x64(w, 1) >> 11)
    return loc + scale * (rad * (c if i % 2 == 0 else s))


def ref_integer(seed, i, low, high):
    rng = high - low
    threshold = (1 << 64) % rng
    attempt = 0
    while True:
        m = x64(block(seed, i // 2, attempt, 4), i % 2) * rng
        if m & ((1 << 64) - 1) >= threshold:
            return low + (m >> 64)
        attempt += 1


# ----------------------------------------------------------------- Philox

KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((M32,) * 4, (M32, M32), (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@pytest.mark.parametrize("ctr,key,want", KAT)
def test_philox_known_answers(ctr, key, want):
    assert pr.philox4x32_10(ctr, key) == want
    assert philox(ctr, key) == want  # the reference above is Philox too


def test_philox_bad_words():
    with pytest.raises(parchunk.ArgumentError):
        pr.philox4x32_10((0, 0, 0, 1 << 32), (0, 0))
    with pytest.raises(parchunk.ShapeError):
        pr.philox4x32_10((0, 0, 0), (0, 0))


# ------------------------------------------------------------ the mapping

SEEDS = [0, 1, 0x123456789ABCDEF0, (1 << 64) - 1]
OFFSETS = [0, 1, 3, 1000001, 1 << 33, (1 << 64) - 40]


def values(x):
    """Python numbers (NumPy scalars and array.array items alike)."""
    return [v.item() if hasattr(v, "item") else v for v in x]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("offset", OFFSETS)
def test_mapping_uniform(seed, offset):
    n = 37
    got = values(pr.uniform(n, seed=seed, offset=offset, low=-2.5, high=1e3))
    assert got == [ref_uniform64(seed, offset + i, -2.5, 1e3) for i in range(n)]
    got = values(pr.uniform(n, seed=seed, offset=offset, low=-2.5, high=1e3, dtype="float32"))
    assert got == [ref_uniform32(seed, offset + i, -2.5, 1e3) for i in range(n)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("offset", OFFSETS)
def test_mapping_normal(seed, offset):
    n = 37
    got = values(pr.normal(n, seed=seed, offset=offset, loc=3.0, scale=0.5))
    want = [ref_normal(seed, offset + i, 3.0, 0.5) for i in range(n)]
    assert [v.hex() for v in got] == [v.hex() for v in want]
    got32 = values(pr.normal(n, seed=seed, offset=offset, loc=3.0, scale=0.5, dtype="float32"))
    assert got32 == [f32(v) for v in want]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("low,high", [(0, 1), (0, 3), (-5, 7), (-(1 << 63), (1 << 63) - 1),
                                      (-(1 << 63), 1 << 62), (10**18, 10**18 + 10**9 + 7)])
def test_mapping_integers(seed, low, high):
    for offset in (0, 5, (1 << 64) - 30):
        got = values(pr.integers(29, low, high, seed=seed, offset=offset))
        assert got == [ref_integer(seed, offset + i, low, high) for i in range(29)]


def test_many_values_against_reference():
    n = 300
    assert values(pr.uniform(n, seed=99)) == [ref_uniform64(99, i, 0.0, 1.0) for i in range(n)]
    assert values(pr.normal(n, seed=99)) == [ref_normal(99, i, 0.0, 1.0) for i in range(n)]
    assert values(pr.integers(n, 6, seed=99)) == [ref_integer(99, i, 0, 6) for i in range(n)]


# -------------------------------------------------- slices, threads, chunks

def _all(n, offset=0, **kw):
    return (bytes(memoryview(pr.uniform(n, seed=5, offset=offset, **kw)).cast("B")),
            bytes(memoryview(pr.uniform(n, seed=5, offset=offset, dtype="float32", **kw)).cast("B")),
            bytes(memoryview(pr.normal(n, seed=5, offset=offset, **kw)).cast("B")),
            bytes(memoryview(pr.normal(n, seed=5, offset=offset, dtype="float32", **kw)).cast("B")),
            bytes(memoryview(pr.integers(n, -3, 10**9, seed=5, offset=offset, **kw)).cast("B")))


def test_threads_and_chunks_bit_identical():
    n = 20011
    ref = _all(n, nthreads=1)
    for nthreads in (1, 2, 3, 8):
        for chunk in (7, 1000, 0):
            with _core._config(chunk_size=chunk, serial_cutoff=0):
                assert _all(n, nthreads=nthreads) == ref


def test_large_call_threaded_path():
    # n >= 2**20 runs in a worker thread (Ctrl-C watch); same values
    n = (1 << 20) + 3
    a = pr.uniform(n, seed=9)
    b = pr.uniform(n, seed=9, nthreads=1, progress=lambda done, total: None)
    assert bytes(memoryview(a).cast("B")) == bytes(memoryview(b).cast("B"))
    tail = values(pr.uniform(3, seed=9, offset=n - 3))
    assert values(a)[-3:] == tail == [ref_uniform64(9, n - 3 + i, 0.0, 1.0) for i in range(3)]


def test_slices():
    n = 5003
    full = _all(n)
    sizes = (8, 4, 8, 4, 8)
    for a, b in ((0, 1), (1, 2), (3, 7), (777, 5003), (1, 5003)):
        part = _all(b - a, offset=a)
        for f, p, size in zip(full, part, sizes):
            assert p == f[a * size:b * size]


# -------------------------------------------------------------- statistics

def test_uniform_statistics():
    n = 200000
    xs = values(pr.uniform(n, seed=7, low=2.0, high=5.0))
    assert min(xs) >= 2.0 and max(xs) < 5.0
    mean = math.fsum(xs) / n
    assert abs(mean - 3.5) < 5 * 3.0 / math.sqrt(12 * n)
    var = statistics.pvariance(xs, mean)
    assert abs(var - 0.75) < 5 * 0.75 * math.sqrt(0.8 / n)


def test_uniform_half_open_clamp():
    hi = math.nextafter(1.0, 2.0)
    assert set(pr.uniform(2000, seed=3, low=1.0, high=hi)) == {1.0}
    hi32 = struct.unpack("<f", struct.pack("<I", 0x3F800001))[0]
    assert set(pr.uniform(2000, seed=3, low=1.0, high=hi32, dtype="float32")) == {1.0}


def test_normal_statistics():
    n = 200000
    xs = values(pr.normal(n, seed=11))
    mean = math.fsum(xs) / n
    var = statistics.pvariance(xs, mean)
    assert abs(mean) < 5 / math.sqrt(n)
    assert abs(var - 1.0) < 5 * math.sqrt(2.0 / n)
    tail = sum(1 for v in xs if abs(v) > 2.0) / n
    p = math.erfc(2 / math.sqrt(2))
    assert abs(tail - p) < 5 * math.sqrt(p * (1 - p) / n)
    assert max(abs(v) for v in xs) < 8.58


def _chi2(xs, k):
    counts = [0] * k
    for v in xs:
        counts[v] += 1
    e = len(xs) / k
    return sum((c - e) ** 2 / e for c in counts)


def test_integers_unbiased():
    n = 200000
    xs = values(pr.integers(n, 0, 7, seed=5))
    assert min(xs) == 0 and max(xs) == 6
    assert _chi2(xs, 7) < 35.89  # df 6, p = 1e-6
    # range 3 * 2^62: without rejection, residue 0 mod 3 would have P = 1/2
    lo = -(1 << 63)
    ys = [(int(v) - lo) % 3 for v in pr.integers(n, lo, lo + 3 * (1 << 62), seed=5)]
    assert _chi2(ys, 3) < 27.63  # df 2, p = 1e-6


def test_against_numpy(np):
    x = pr.uniform(10**6, seed=1, dtype=np.float32)
    assert isinstance(x, np.ndarray) and x.dtype == np.float32 and x.shape == (10**6,)
    assert abs(float(x.mean(dtype=np.float64)) - 0.5) < 5 * math.sqrt(1 / 12 / 10**6)
    z = pr.normal(10**6, seed=2, loc=-1.0, scale=3.0)
    assert z.dtype == np.float64
    assert abs(z.mean() + 1.0) < 5 * 3.0 / 1000 and abs(z.std() - 3.0) < 5 * 3.0 * math.sqrt(0.5e-6)
    k = pr.integers(10**6, -2, 3, seed=3)
    assert k.dtype == np.int64
    counts = np.bincount(k + 2, minlength=5)
    assert ((counts - 2e5) ** 2 / 2e5).sum() < 33.4  # df 4, p = 1e-6
    # numpy dtype objects and names are accepted
    assert pr.uniform(3, seed=1, dtype=np.dtype("float64")).dtype == np.float64


def test_without_numpy_returns_array(monkeypatch):
    import sys
    if "numpy" in sys.modules:
        pytest.skip("numpy is loaded; the no-NumPy lane covers array.array results")
    x = pr.uniform(5, seed=1)
    assert isinstance(x, array.array) and x.typecode == "d"
    assert pr.integers(5, 9, seed=1).typecode == "q"
    assert pr.normal(5, seed=1, dtype="float32").typecode == "f"


# --------------------------------------------------------------------- out

def test_out_buffers():
    out = array.array("d", [0.0]) * 10
    assert pr.uniform(10, seed=4, out=out) is out
    assert list(out) == list(pr.uniform(10, seed=4))
    out32 = array.array("f", [0.0]) * 10
    pr.normal(10, seed=4, dtype="float32", out=out32)
    assert list(out32) == list(pr.normal(10, seed=4, dtype="float32"))
    q = array.array("q", [0]) * 10
    pr.integers(10, 0, 100, seed=4, out=q)
    assert list(q) == list(pr.integers(10, 0, 100, seed=4))
    with pytest.raises(parchunk.DTypeError):
        pr.uniform(10, seed=4, out=array.array("f", [0.0]) * 10)  # float32 for float64
    with pytest.raises(parchunk.DTypeError):
        pr.integers(10, 0, 9, seed=4, out=array.array("d", [0.0]) * 10)
    with pytest.raises(parchunk.ShapeError):
        pr.uniform(9, seed=4, out=out)
    with pytest.raises(TypeError):
        pr.uniform(1, seed=4, out=bytes(8))  # read-only
    with pytest.raises(TypeError):
        pr.uniform(1, seed=4, out=[0.0])
    assert list(out) == list(pr.uniform(10, seed=4))  # untouched by the failures


def test_zero_length():
    assert len(pr.uniform(0, seed=1)) == 0
    assert len(pr.integers(0, 0, 1, seed=1)) == 0


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize("kwargs", [
    dict(low=1.0, high=1.0), dict(low=2.0, high=1.0), dict(low=math.nan),
    dict(high=math.inf), dict(low=-1.7e308, high=1.7e308),
    dict(low=0.0, high=1e39, dtype="float32"), dict(low=1.0, high=1.0 + 1e-12, dtype="float32"),
])
def test_uniform_bad_parameters(kwargs):
    with pytest.raises(parchunk.ArgumentError) as exc:
        pr.uniform(4, seed=1, **kwargs)
    assert isinstance(exc.value, ValueError)


@pytest.mark.parametrize("kwargs", [dict(scale=-1.0), dict(loc=math.nan), dict(scale=math.inf)])
def test_normal_bad_parameters(kwargs):
    with pytest.raises(ValueError):
        pr.normal(4, seed=1, **kwargs)


def test_bad_arguments():
    with pytest.raises(ValueError):
        pr.integers(4, 5, 5, seed=1)
    with pytest.raises(ValueError):
        pr.integers(4, 0, 1 << 63, seed=1)  # high outside int64
    with pytest.raises(TypeError):
        pr.integers(4, 0.0, 5, seed=1)
    for seed in (-1, 1 << 64):
        with pytest.raises(ValueError, match="seed"):
            pr.uniform(4, seed=seed)
    for seed in (1.0, True, "1", None):
        with pytest.raises(TypeError, match="seed"):
            pr.uniform(4, seed=seed)
    with pytest.raises(TypeError):
        pr.uniform(4)  # seed is required
    with pytest.raises(ValueError, match="n"):
        pr.uniform(-1, seed=1)
    with pytest.raises(TypeError, match="dtype"):
        pr.uniform(4, seed=1, dtype="int64")
    with pytest.raises(TypeError, match="low"):
        pr.uniform(4, seed=1, low="0")
    with pytest.raises(ValueError, match="offset"):
        pr.uniform(4, seed=1, offset=(1 << 64) - 2)  # last index past 2^64 - 1
