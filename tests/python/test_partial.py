"""partial / merge / finalize / partial_info: split invariance against the
one-call functions, the documented byte layout, pickling, malformed states,
thread counts, and a Dask reduction when dask is installed."""
import array
import math
import pickle
import random
import struct
import warnings

import pytest

import parchunk
from parchunk import _core

NAN = float("nan")
INT_CODES = ["b", "B", "h", "H", "i", "I", "l", "L", "q", "Q"]
ALL_CODES = INT_CODES + ["f", "d"]
OPS = ["sum", "mean", "min", "max", "var", "std", "stats", "count_nonzero", "argmin", "argmax"]
EXACT_OPS = {"sum", "min", "max", "count_nonzero", "argmin", "argmax"}


def _rand(code, n, rng, nan_frac=0.0):
    if code in "fd":
        return array.array(code, [NAN if rng.random() < nan_frac else rng.uniform(-1e3, 1e3)
                                  for _ in range(n)])
    bits = array.array(code).itemsize * 8
    lo, hi = (0, (1 << bits) - 1) if code.isupper() else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
    return array.array(code, [rng.randint(lo, hi) for _ in range(n)])


def one_call(op, a, skipna=False, ddof=0):
    if op in ("var", "std"):
        return getattr(parchunk, op)(a, ddof=ddof, skipna=skipna)
    if op in ("sum", "mean", "min", "max", "stats", "argmin", "argmax"):
        return getattr(parchunk, op)(a, skipna=skipna)
    return parchunk.count_nonzero(a)


def random_split(a, rng, pieces):
    cuts = sorted(rng.randint(0, len(a)) for _ in range(pieces - 1))
    bounds = [0] + cuts + [len(a)]
    return [a[bounds[i]:bounds[i + 1]] for i in range(pieces)]


def same(got, ref, op, code):
    if isinstance(ref, tuple):  # Stats
        assert got.count == ref.count
        for g, r, field in zip(got[1:], ref[1:], ref._fields[1:]):
            exact = field in ("min", "max") or (field == "sum" and code not in "fd")
            same(g, r, "sum" if exact else "var", code)
        return
    if ref != ref:
        assert got != got
    elif op in EXACT_OPS and not (op == "sum" and code in "fd"):
        assert got == ref and type(got) is type(ref)
    else:
        assert got == pytest.approx(ref, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("code", ALL_CODES)
@pytest.mark.parametrize("op", OPS)
def test_split_invariance(op, code):
    rng = random.Random(f"{op}{code}")
    a = _rand(code, 2503, rng)
    if code in "fd":
        a[1700] = a[1800] = min(a) if op == "argmin" else a[1700]  # ties across pieces
    ref = one_call(op, a)
    assert same(parchunk.finalize(parchunk.partial(op, a)), ref, op, code) is None
    for pieces in (1, 2, 3, 7, 40):
        parts = [parchunk.partial(op, p) for p in random_split(a, rng, pieces)]
        got = parchunk.finalize(parchunk.merge(parts))
        same(got, ref, op, code)
        # a tree of merges (as Dask's combine does) gives the same
        if pieces >= 3:
            left = parchunk.merge(parts[: pieces // 2])
            right = parchunk.merge(*parts[pieces // 2:])
            same(parchunk.finalize(parchunk.merge(left, right)), ref, op, code)


@pytest.mark.parametrize("op", ["sum", "mean", "min", "max", "var", "std", "stats", "argmin",
                                "argmax"])
def test_split_invariance_skipna(op):
    rng = random.Random(op)
    a = _rand("d", 3001, rng, nan_frac=0.3)
    a[:200] = array.array("d", [NAN] * 200)  # pieces that are all NaN
    ref = one_call(op, a, skipna=True)
    for pieces in (2, 5, 31):
        parts = [parchunk.partial(op, p, skipna=True) for p in random_split(a, rng, pieces)]
        same(parchunk.finalize(parchunk.merge(parts)), ref, op, "d")
    plain = parchunk.finalize(parchunk.merge([parchunk.partial(op, p)
                                              for p in random_split(a, rng, 4)]))
    if op in ("argmin", "argmax"):
        assert plain == 0  # the first NaN
    elif op == "stats":
        assert math.isnan(plain.sum)
    else:
        assert math.isnan(plain)


@pytest.mark.parametrize("ddof", [0, 1, 5])
def test_var_std_ddof_at_finalize_and_large_offset(ddof):
    rng = random.Random(ddof)
    a = array.array("d", [1e9 + rng.gauss(0, 1) for _ in range(5000)])
    parts = [parchunk.partial("var", p) for p in random_split(a, rng, 9)]
    state = parchunk.merge(parts)
    v = parchunk.finalize(state, ddof=ddof)
    assert v == pytest.approx(parchunk.var(a, ddof=ddof), rel=1e-12)
    s = parchunk.merge([parchunk.partial("std", p) for p in random_split(a, rng, 9)])
    assert parchunk.finalize(s, ddof=ddof) == pytest.approx(parchunk.std(a, ddof=ddof), rel=1e-12)
    with pytest.raises(parchunk.ArgumentError, match="ddof"):
        parchunk.finalize(state, ddof=-1)


def test_argmin_index_counts_from_the_first_element_covered():
    a = array.array("d", [5.0, 4.0, 3.0, 9.0, 1.0, 1.0, 7.0])
    s1, s2 = parchunk.partial("argmin", a[:4]), parchunk.partial("argmin", a[4:])
    assert parchunk.finalize(s1) == 2 and parchunk.finalize(s2) == 0
    assert parchunk.finalize(parchunk.merge(s1, s2)) == 4
    assert parchunk.finalize(parchunk.merge(s2, s1)) == 0  # order matters: s2's pieces first


def test_int_sum_states_are_exact_beyond_int64():
    a = array.array("q", [2**63 - 1] * 10)
    states = [parchunk.partial("sum", a) for _ in range(3)]
    assert parchunk.finalize(parchunk.merge(states)) == 30 * (2**63 - 1)
    u = array.array("Q", [2**64 - 1] * 4)
    assert parchunk.finalize(parchunk.merge([parchunk.partial("sum", u)] * 5)) == 20 * (2**64 - 1)


def test_documented_layout():
    a = array.array("i", [3, -7, 0, 12, -7])
    s = parchunk.partial("stats", a)
    assert isinstance(s, bytes) and len(s) == parchunk._partial.STATE_SIZE == 128
    assert s[:4] == b"PCPS" and s[4] == 1
    assert s[5] == parchunk._decls.ENUMS["PARCHUNK_OP_STATS"]
    assert s[6] == parchunk._decls.ENUMS["PARCHUNK_INT32"] and s[7] == 0
    n, count = struct.unpack_from("<QQ", s, 8)
    assert n == count == 5
    lo, hi = struct.unpack_from("<Qq", s, 32)
    assert (hi << 64) | lo == 1
    mean_hi, mean_lo, m2 = struct.unpack_from("<ddd", s, 48)
    assert mean_hi + mean_lo == pytest.approx(0.2)
    assert m2 == pytest.approx(sum((v - 0.2) ** 2 for v in a))
    assert struct.unpack_from("<i", s, 72)[0] == -7 and struct.unpack_from("<i", s, 80)[0] == 12
    assert s[96:] == bytes(32)
    f = parchunk.partial("argmax", array.array("d", [1.0, NAN, 2.0, 5.0]), skipna=True)
    assert f[7] == 1 and struct.unpack_from("<Q", f, 16)[0] == 3
    assert struct.unpack_from("<q", f, 88)[0] == 3 and struct.unpack_from("<d", f, 80)[0] == 5.0
    c = parchunk.partial("count_nonzero", [0.0, 1.0, NAN, -0.0])
    assert struct.unpack_from("<QQ", c, 8) == (4, 2)


def test_partial_info_and_pickle_round_trip():
    s = parchunk.partial("var", array.array("f", [1.0, 2.0, NAN]), skipna=True)
    info = parchunk.partial_info(s)
    assert info == parchunk.PartialInfo("var", "float32", True, 3)
    s2 = pickle.loads(pickle.dumps(s))
    assert s2 == s and parchunk.finalize(s2) == 0.25
    assert parchunk.finalize(bytearray(s)) == 0.25 and parchunk.finalize(memoryview(s)) == 0.25
    st = parchunk.finalize(parchunk.partial("stats", [1, 2]))
    assert pickle.loads(pickle.dumps(st)) == st


def test_empty_states():
    for op in OPS:
        e = parchunk.partial(op, [])
        assert parchunk.partial_info(e).n == 0
        if op in ("sum", "count_nonzero"):
            assert parchunk.finalize(e) == 0
        else:
            with pytest.raises(parchunk.EmptyError):
                parchunk.finalize(e)
    # the identity: merging an empty state changes nothing
    a = array.array("d", [3.0, 1.0, 2.0])
    s = parchunk.partial("argmin", a)
    e = parchunk.partial("argmin", array.array("d"))
    assert parchunk.merge(e, s, e) == s


def test_skipna_all_nan_state_warns_at_finalize():
    s = parchunk.partial("mean", [NAN, NAN], skipna=True)
    with pytest.warns(RuntimeWarning, match="all-NaN"):
        assert math.isnan(parchunk.finalize(s))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parchunk.finalize(parchunk.partial("sum", [NAN], skipna=True)) == 0.0
    with pytest.raises(parchunk.EmptyError):
        parchunk.finalize(parchunk.partial("argmin", [NAN], skipna=True))


def test_malformed_states_and_bad_arguments():
    good = parchunk.partial("sum", [1.0, 2.0])
    with pytest.raises(TypeError, match="bytes"):
        parchunk.finalize("not a state")
    with pytest.raises(TypeError):
        parchunk.merge(123)
    with pytest.raises(parchunk.ArgumentError, match="128-byte"):
        parchunk.finalize(good[:-1])
    with pytest.raises(ValueError, match="exact-sum"):
        parchunk.merge(good, parchunk.sum_exact_partial([1.0]))
    with pytest.raises(parchunk.ArgumentError, match="at least one"):
        parchunk.merge([])
    bad_magic = b"XCPS" + good[4:]
    with pytest.raises(parchunk.ArgumentError, match="not a valid partial state"):
        parchunk.finalize(bad_magic)
    with pytest.raises(ValueError):
        parchunk.merge(bad_magic)  # a single state is validated too
    with pytest.raises(ValueError, match="states\\[1\\]"):
        parchunk.merge(good, bad_magic)
    for offset, value in ((4, 9), (5, 0), (5, 99), (6, 77), (7, 6)):
        broken = bytearray(good)
        broken[offset] = value
        with pytest.raises(parchunk.ArgumentError):
            parchunk.finalize(bytes(broken))
    broken = bytearray(good)
    struct.pack_into("<Q", broken, 16, 3)  # count > n
    with pytest.raises(parchunk.ArgumentError):
        parchunk.partial_info(bytes(broken))
    with pytest.raises(parchunk.ArgumentError, match="disagree"):
        parchunk.merge(good, parchunk.partial("mean", [1.0]))
    with pytest.raises(parchunk.ArgumentError, match="disagree"):
        parchunk.merge(good, parchunk.partial("sum", [1]))  # int64 vs float64
    with pytest.raises(parchunk.ArgumentError, match="disagree"):
        parchunk.merge(good, parchunk.partial("sum", [1.0], skipna=True))
    with pytest.raises(parchunk.ArgumentError, match="unknown op"):
        parchunk.partial("median", [1.0])
    with pytest.raises(TypeError, match="op"):
        parchunk.partial(1, [1.0])
    with pytest.raises(parchunk.DTypeError):
        parchunk.partial("sum", ["a"])


@pytest.mark.parametrize("nthreads", [1, 2, 3, 8])
def test_states_bit_identical_for_any_thread_count(nthreads):
    rng = random.Random(13)
    a = _rand("d", 4001, rng, nan_frac=0.1)
    ints = _rand("h", 4001, rng)
    with _core._config(chunk_size=7, serial_cutoff=0):
        for op in OPS:
            for x in (a, ints):
                ref = parchunk.partial(op, x, nthreads=1)
                assert parchunk.partial(op, x, nthreads=nthreads) == ref
                assert parchunk.partial(op, x, skipna=True, nthreads=nthreads) == \
                    parchunk.partial(op, x, skipna=True, nthreads=1)


def test_numpy_inputs_and_one_call_equivalence(np):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((50, 40))
    for op in ("sum", "var", "min", "argmax"):
        assert parchunk.finalize(parchunk.partial(op, x)) == one_call(op, x)
    blocks = [parchunk.partial("var", x[i:i + 7]) for i in range(0, 50, 7)]
    assert parchunk.finalize(parchunk.merge(blocks), ddof=1) == \
        pytest.approx(np.var(x, ddof=1), rel=1e-12)


def test_dask_reduction(np):
    da = pytest.importorskip("dask.array")
    import dask  # noqa: PLC0415
    x = da.from_array(np.random.default_rng(1).standard_normal(100_000) + 1e6, chunks=7_000)

    def chunk(block, axis, keepdims):
        return np.array([parchunk.partial("var", block)], dtype=object)

    def combine(states, axis, keepdims):
        return np.array([parchunk.merge(list(states))], dtype=object)

    def aggregate(states, axis, keepdims):
        return parchunk.finalize(parchunk.merge(list(states)), ddof=1)

    with dask.config.set(scheduler="synchronous"):
        v = da.reduction(x, chunk, aggregate, combine=combine, split_every=4,
                         concatenate=True, dtype=object, meta=np.array([], dtype=object)).compute()
        ref = x.var(ddof=1).compute()
    assert v == pytest.approx(float(ref), rel=1e-9)
    assert v == pytest.approx(parchunk.var(x.compute(), ddof=1), rel=1e-12)
