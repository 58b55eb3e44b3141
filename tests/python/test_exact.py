"""sum(exact=True), mean(exact=True) and the exact-sum partial states, against
math.fsum and exact rational arithmetic (fractions)."""
import array
import itertools
import math
import pickle
import random
from fractions import Fraction

import pytest

import parchunk


def wild(rng, n, emin=-300, emax=300):
    """Random floats over a huge range of magnitudes, with exact cancellations."""
    xs = [rng.choice((-1.0, 1.0)) * math.ldexp(rng.random() + 0.5, rng.randint(emin, emax))
          for _ in range(n)]
    xs += [-v for v in xs[: n // 3]]
    rng.shuffle(xs)
    return xs


@pytest.mark.parametrize("emin,emax", [(-300, 300), (-30, 30), (-1074, -1000), (900, 1020)])
def test_sum_matches_fsum(emin, emax):
    rng = random.Random(emin * 7 + emax)
    checked = 0
    for n in list(range(0, 20)) + [100, 1000, 5000]:
        xs = wild(rng, n, emin, emax)
        try:
            ref = math.fsum(xs)
        except OverflowError:
            continue
        for nthreads in (1, 2, 3):
            got = parchunk.sum(xs, exact=True, nthreads=nthreads)
            assert got == ref and math.copysign(1, got) == math.copysign(1, ref)
        checked += 1
    assert checked > 5


def test_cancellation_and_known_values():
    assert parchunk.sum([1e100, 1.0, -1e100], exact=True) == 1.0
    assert parchunk.sum([0.1] * 10, exact=True) == math.fsum([0.1] * 10) == 1.0
    assert parchunk.sum([1.0, 2.0 ** -53], exact=True) == 1.0  # tie to even
    assert parchunk.sum([1.0, 2.0 ** -53, 2.0 ** -200], exact=True) == 1.0 + 2.0 ** -52
    assert parchunk.sum([5e-324] * 8, exact=True) == 8 * 5e-324
    assert parchunk.sum([], exact=True) == 0.0


def test_better_than_fsum_on_intermediate_overflow():
    with pytest.raises(OverflowError):
        math.fsum([1e308, 1e308, -1e308])  # depends on the order in math.fsum
    for perm in itertools.permutations([1e308, 1e308, -1e308]):
        assert parchunk.sum(list(perm), exact=True) == 1e308
    with pytest.raises(OverflowError):
        parchunk.sum([1e308, 1e308], exact=True)  # the sum itself is too large
    with pytest.raises(parchunk.ResultOverflowError):
        parchunk.sum([-1e308, -1e308, 1.0], exact=True)
    assert parchunk.sum([1.7976931348623157e308, 2.0 ** 969], exact=True) == \
        1.7976931348623157e308


@pytest.mark.parametrize("xs", [
    [math.inf, -math.inf],
    [math.nan, math.inf, -math.inf],
    [1.0, -math.inf, 2.0, math.inf],
])
def test_inf_minus_inf_is_value_error_like_fsum(xs):
    with pytest.raises(ValueError):
        math.fsum(xs)
    with pytest.raises(ValueError):
        parchunk.sum(xs, exact=True)
    with pytest.raises(parchunk.DomainError):
        parchunk.mean(xs, exact=True)


@pytest.mark.parametrize("xs", [[math.nan, 1.0], [math.nan, math.inf], [math.inf, 1.0, 1e308],
                                [-math.inf, -1.0]])
def test_nan_and_inf_like_fsum(xs):
    ref = math.fsum(xs)
    got = parchunk.sum(xs, exact=True)
    assert (math.isnan(ref) and math.isnan(got)) or got == ref


def test_mean_is_the_correctly_rounded_quotient():
    rng = random.Random(4)
    for n in (1, 2, 3, 7, 10, 99, 1000):
        for emin, emax in ((-30, 30), (-1074, -1040), (1000, 1023)):
            xs = wild(rng, n, emin, emax)
            exact = sum(Fraction(v) for v in xs) / len(xs)
            assert parchunk.mean(xs, exact=True) == float(exact)  # float(Fraction) rounds once
    assert parchunk.mean([1e308, 1e308], exact=True) == 1e308
    assert parchunk.mean([5e-324, 0.0, 0.0], exact=True) == 0.0
    with pytest.raises(ValueError):
        parchunk.mean([], exact=True)


def test_dtypes(np):
    rng = np.random.default_rng(3)
    x = (rng.standard_normal(10001) * 10.0 ** rng.integers(-30, 30, 10001)).astype(np.float32)
    assert parchunk.sum(x, exact=True) == math.fsum(x.astype(np.float64).tolist())
    assert parchunk.mean(x, exact=True) == float(
        sum(Fraction(float(v)) for v in x) / len(x))
    i = rng.integers(-2 ** 63, 2 ** 63 - 1, 1000, dtype=np.int64, endpoint=True)
    assert parchunk.sum(i, exact=True) == sum(int(v) for v in i)  # ints stay exact ints
    assert parchunk.mean(i, exact=True) == float(Fraction(sum(int(v) for v in i), len(i)))
    assert parchunk.sum(array.array("d", [1e100, 1.0, -1e100]), exact=True) == 1.0


def test_thread_count_and_order_independence(np):
    rng = np.random.default_rng(5)
    x = rng.standard_normal(300_000) * 10.0 ** rng.integers(-200, 200, 300_000)
    ref = parchunk.sum(x, exact=True, nthreads=1)
    for nthreads in (2, 3, 8):
        assert parchunk.sum(x, exact=True, nthreads=nthreads) == ref
    assert parchunk.sum(x[::-1].copy(), exact=True) == ref
    assert parchunk.sum(rng.permutation(x), exact=True) == ref
    assert ref == math.fsum(x.tolist())


def test_partial_states_over_random_splits():
    rng = random.Random(9)
    xs = wild(rng, 3000)
    whole = parchunk.sum_exact_partial(xs)
    assert isinstance(whole, bytes) and len(whole) == 552
    for _ in range(20):
        cuts = sorted(rng.randint(0, len(xs)) for _ in range(rng.randint(0, 6)))
        bounds = [0] + cuts + [len(xs)]
        parts = [parchunk.sum_exact_partial(xs[a:b]) for a, b in zip(bounds, bounds[1:])]
        rng.shuffle(parts)
        parts = [pickle.loads(pickle.dumps(p)) for p in parts]
        merged = parchunk.sum_exact_merge(parts)
        assert merged == whole  # canonical: byte-identical
        assert parchunk.sum_exact_merge(*parts) == whole
    assert parchunk.sum_exact_finalize(whole) == parchunk.sum(xs, exact=True) == math.fsum(xs)
    assert parchunk.mean_exact_finalize(whole) == parchunk.mean(xs, exact=True)
    assert parchunk.sum_exact_count(whole) == len(xs)
    empty = parchunk.sum_exact_merge()
    assert parchunk.sum_exact_finalize(empty) == 0.0
    with pytest.raises(ValueError):
        parchunk.mean_exact_finalize(empty)


def test_partial_states_keep_overflow_and_inf_rules():
    a = parchunk.sum_exact_partial([1e308, 1e308])
    b = parchunk.sum_exact_partial([-1e308])
    with pytest.raises(OverflowError):
        parchunk.sum_exact_finalize(a)
    assert parchunk.sum_exact_finalize(parchunk.sum_exact_merge(a, b)) == 1e308
    c = parchunk.sum_exact_partial([math.inf])
    d = parchunk.sum_exact_partial([-math.inf])
    with pytest.raises(ValueError):
        parchunk.sum_exact_finalize(parchunk.sum_exact_merge(c, d))


def test_bad_states():
    good = parchunk.sum_exact_partial([1.0])
    with pytest.raises(ValueError):
        parchunk.sum_exact_finalize(good[:-1])
    corrupt = bytearray(good)
    corrupt[0] ^= 0xFF
    with pytest.raises(ValueError):
        parchunk.sum_exact_finalize(bytes(corrupt))
    with pytest.raises(ValueError):
        parchunk.sum_exact_merge(good, bytes(corrupt))
    with pytest.raises(TypeError):
        parchunk.sum_exact_finalize("not a state")


def test_bad_input():
    with pytest.raises(TypeError):
        parchunk.sum(["a"], exact=True)
    with pytest.raises(ValueError):
        parchunk.sum([1.0], exact=True, nthreads=0)
