"""parchunk.logreg against a NumPy implementation of the same rule (the oracle:
relative 1e-9), thread independence, a stdlib path, bad inputs. Runs per backend."""
import array
import math

import pytest

import parchunk
from parchunk import _core, logreg


def numpy_fit(np, X, y, w, iterations, lr):
    """The classic Numba example's rule, written with NumPy."""
    w = np.array(w, dtype=np.float64)
    with np.errstate(over="ignore"):  # exp(large) = inf gives 1/(1+inf) = 0, as intended
        for _ in range(iterations):
            w -= lr * np.dot(((1.0 / (1.0 + np.exp(-y * np.dot(X, w)))) - 1.0) * y, X)
    return w


def make_data(np, n, d, dtype=None, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * (1 + np.arange(d))
    y = np.where(X @ rng.standard_normal(d) + rng.standard_normal(n) > 0, 1.0, -1.0)
    dtype = dtype or np.float64
    return X.astype(dtype), y.astype(dtype)


def assert_close(np, got, want, rel):
    got, want = np.asarray(got), np.asarray(want)
    err = np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-300))
    assert err <= rel, f"max relative difference {err:.3g} > {rel}"


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("d", [1, 3, 10, 33])
def test_fit_matches_numpy_rule(np, dtype, d):
    X, y = make_data(np, 20000, d, getattr(np, dtype), seed=d)
    w0 = np.linspace(-0.1, 0.1, d)
    lr = 0.5 / len(y)
    got = logreg.fit(X, y, w0, iterations=25, learning_rate=lr)
    assert got.dtype == np.float64 and got.shape == (d,)
    assert_close(np, got, numpy_fit(np, X, y, w0, 25, lr), 1e-9)
    assert np.array_equal(w0, np.linspace(-0.1, 0.1, d))  # never modified


def test_the_classic_workload_defaults(np):
    """learning_rate 1 as in the published example; labels from a noisy rule."""
    X, y = make_data(np, 5000, 4, seed=11)
    got = logreg.fit(X, y, iterations=20)
    assert_close(np, got, numpy_fit(np, X, y, np.zeros(4), 20, 1.0), 1e-9)
    assert logreg.fit(X, y).shape == (4,)  # 100 iterations by default


def test_predict_proba_matches_numpy(np):
    X, _ = make_data(np, 3001, 7, seed=3)
    w = np.linspace(-1, 2, 7)
    got = logreg.predict_proba(X, w)
    assert got.shape == (3001,) and got.dtype == np.float64
    assert_close(np, got, 1.0 / (1.0 + np.exp(-(X @ w))), 1e-13)
    X[10, 2] = np.nan
    assert np.isnan(logreg.predict_proba(X, w)[10])
    assert logreg.predict_proba(np.zeros((0, 7)), w).shape == (0,)


@pytest.mark.parametrize("nthreads", [1, 2, 3, 8])
def test_bit_identical_for_any_thread_count(np, nthreads):
    X, y = make_data(np, 5003, 6, seed=5)
    with _core._config(chunk_size=7, serial_cutoff=0):
        ref = logreg.fit(X, y, iterations=5, learning_rate=1e-3, nthreads=1)
        got = logreg.fit(X, y, iterations=5, learning_rate=1e-3, nthreads=nthreads)
        p_ref = logreg.predict_proba(X, ref, nthreads=1)
        p_got = logreg.predict_proba(X, ref, nthreads=nthreads)
    assert got.tobytes() == ref.tobytes()
    assert p_got.tobytes() == p_ref.tobytes()


def test_labels_and_weights_in_other_types(np):
    X, y = make_data(np, 2000, 3, seed=8)
    w0 = [0.125, 0.25, -0.5]  # exact in float32 too
    want = logreg.fit(X, y, w0, iterations=4, learning_rate=1e-3)
    for labels, w in [(y.astype(np.int8), np.array(w0, np.float32)), (y.astype(np.float32), w0),
                      (y.tolist(), tuple(w0)), ([int(v) for v in y], array.array("f", w0))]:
        got = logreg.fit(X, labels, w, iterations=4, learning_rate=1e-3)
        assert got.tobytes() == want.tobytes()
    assert logreg.fit(X, y, iterations=0).tolist() == [0.0, 0.0, 0.0]


def test_stdlib_only_path():
    """No NumPy: a 2-D memoryview in, array.array('d') (or NumPy) out; the
    reference is the rule in pure Python."""
    n, d = 200, 3
    vals = [math.sin(i * 0.7) * (1 + i % 3) for i in range(n * d)]
    X = memoryview(array.array("d", vals)).cast("B").cast("d", (n, d))
    y = [1.0 if math.cos(i) > 0 else -1.0 for i in range(n)]
    w = [0.0] * d
    for _ in range(6):
        grad = [0.0] * d
        for i in range(n):
            z = sum(vals[i * d + j] * w[j] for j in range(d))
            c = (1.0 / (1.0 + math.exp(-y[i] * z)) - 1.0) * y[i]
            for j in range(d):
                grad[j] += c * vals[i * d + j]
        w = [w[j] - 0.01 * grad[j] for j in range(d)]
    got = logreg.fit(X, y, iterations=6, learning_rate=0.01)
    assert list(got) == pytest.approx(w, rel=1e-12)
    p = logreg.predict_proba(X, got)
    assert len(p) == n and all(0.0 < v < 1.0 for v in p)


def test_bad_shapes_and_types(np):
    X, y = make_data(np, 100, 3)
    with pytest.raises(parchunk.ShapeError):
        logreg.fit(X.ravel(), y)
    with pytest.raises(parchunk.ShapeError):
        logreg.fit(np.zeros((100, 0)), y)
    with pytest.raises(parchunk.EmptyError) as ei:
        logreg.fit(np.zeros((0, 3)), np.zeros(0))
    assert isinstance(ei.value, ValueError)
    with pytest.raises(parchunk.ShapeError) as ei:
        logreg.fit(X, y[:-1])
    assert "y" in str(ei.value)
    with pytest.raises(parchunk.ShapeError):
        logreg.fit(X, y, [0.0, 0.0])
    with pytest.raises(parchunk.ShapeError):
        logreg.fit(X, y.reshape(50, 2))
    with pytest.raises(parchunk.DTypeError) as ei:
        logreg.fit(X.astype(np.int32), y)
    assert isinstance(ei.value, TypeError) and "int32" in str(ei.value)
    with pytest.raises(parchunk.DTypeError):
        logreg.fit("X", y)
    with pytest.raises(parchunk.DTypeError):
        logreg.fit(X, ["a"] * 100)
    with pytest.raises(parchunk.ArgumentError):
        logreg.fit(X, y, iterations=-1)
    with pytest.raises(TypeError):
        logreg.fit(X, y, iterations=2.5)
    with pytest.raises(parchunk.ArgumentError) as ei:
        logreg.fit(X, y, learning_rate=float("nan"))
    assert "learning_rate" in str(ei.value)
    with pytest.raises(TypeError):
        logreg.fit(X, y, learning_rate="fast")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_bad_values_name_the_first_row(np, dtype):
    X, y = make_data(np, 1000, 4, getattr(np, dtype))
    w = np.zeros(4)
    for row, col, value in [(517, 2, np.nan), (3, 0, np.inf), (999, 3, -np.inf)]:
        Xb = X.copy()
        Xb[row, col] = value
        Xb[900, 1] = np.nan  # a later bad row: not the one named
        with pytest.raises(parchunk.DomainError) as ei:
            logreg.fit(Xb, y, w, iterations=3, learning_rate=0.1)
        assert f"row {min(row, 900)}:" in str(ei.value) and isinstance(ei.value, ValueError)
    for label in (0.0, 2.0, np.nan):
        yb = y.copy()
        yb[640] = label
        with pytest.raises(parchunk.DomainError) as ei:
            logreg.fit(X, yb, w, iterations=3, learning_rate=0.1)
        assert "row 640: label" in str(ei.value)
    with pytest.raises(parchunk.DomainError) as ei:
        logreg.fit(X, y, [0.0, np.nan, 0.0, 0.0])
    assert "w[1]" in str(ei.value)
    with pytest.raises(parchunk.DomainError):
        logreg.predict_proba(X, [0.0, np.inf, 0.0, 0.0])


def test_overflow_is_reported(np):
    X = np.full((64, 2), 1e307)
    y = np.ones(64)
    with pytest.raises(parchunk.ResultOverflowError) as ei:
        logreg.fit(X, y, iterations=2)
    assert isinstance(ei.value, OverflowError) and "iteration 0" in str(ei.value)
