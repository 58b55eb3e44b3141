"""Benchmark: parchunk.logreg.fit against NumPy and Numba, same rule, one run.

    python bench/python/bench_logreg.py [--n 1000000] [--d 10] [--iterations 20]
                                        [--runs 5] [--out bench/results/logreg]

The update rule of the classic Numba parallel example,

    w -= learning_rate * ((1 / (1 + exp(-y * (X @ w))) - 1) * y) @ X,

on X float64 n x d (standard normal), y in {-1, +1} from a noisy linear rule,
w starting at 0. Peers, all measured in this run:

  - NumPy: the rule as written (BLAS dot products, n-sized temporaries);
  - Numba classic: the same expression under @njit(parallel=True) (the
    example as published; needs SciPy for np.dot in Numba);
  - Numba prange: @njit(parallel=True) with an explicit prange over row
    blocks and per-block gradients (a hand-parallelised loop).

Each time is the median of --runs single calls after one warm-up call;
Numba's first call (compilation) is reported apart. Results are compared
with NumPy's (max relative difference of the fitted weights).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))



class _CtypesLogreg:
    """Stand-in for parchunk.logreg while the Python package is not there:
    calls the C library directly ($PARCHUNK_LIBRARY or build/libparchunk.so)."""

    __name__ = "ctypes stand-in for parchunk.logreg"

    def __init__(self):
        import ctypes
        path = os.environ.get("PARCHUNK_LIBRARY") or os.path.join(
            HERE, "..", "..", "build", "libparchunk.so")
        self.lib = lib = ctypes.CDLL(path)
        lib.parchunk_logreg_fit.argtypes = [ctypes.c_void_p] * 3 + [ctypes.c_size_t] * 2 + [
            ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_double]
        lib.parchunk_logreg_fit.restype = ctypes.c_int

    def fit(self, X, y, w=None, *, iterations=100, learning_rate=1.0):
        X = np.ascontiguousarray(X, dtype=np.float64)
        y = np.ascontiguousarray(y, dtype=np.float64)
        w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=np.float64)
        st = self.lib.parchunk_logreg_fit(None, X.ctypes.data, y.ctypes.data, X.shape[0],
                                          X.shape[1], 9, w.ctypes.data, iterations, learning_rate)
        if st != 0:
            raise RuntimeError(f"parchunk_logreg_fit: status {st}")
        return w


try:
    import parchunk
    from parchunk import logreg as pc_logreg
    PC_VERSION = getattr(parchunk, "__version__", "?")
except ImportError:
    pc_logreg = _CtypesLogreg()
    PC_VERSION = "C library via ctypes"


def backends():
    """The parchunk backends that load here (None: the ctypes stand-in)."""
    try:
        from parchunk import _core
    except ImportError:
        return [None]
    names = []
    previous = _core.backend().name
    for name in ("cffi", "ctypes"):
        try:
            _core._set_backend(name)
            names.append(name)
        except (ImportError, OSError):
            pass
    _core._set_backend(previous)
    return names or [None]


def using(name):
    import contextlib
    if name is None:
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def switch():
        from parchunk import _core
        previous = _core.backend().name
        _core._set_backend(name)
        try:
            yield
        finally:
            _core._set_backend(previous)

    return switch()


def median_of(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def numpy_fit(X, y, w, iterations, lr):
    w = w.copy()
    for _ in range(iterations):
        w -= lr * np.dot(((1.0 / (1.0 + np.exp(-y * np.dot(X, w)))) - 1.0) * y, X)
    return w


def make_numba():
    import numba

    @numba.njit(parallel=True)
    def classic(Y, X, w, iterations, lr):
        for i in range(iterations):
            w -= lr * np.dot(((1.0 / (1.0 + np.exp(-Y * np.dot(X, w))) - 1.0) * Y), X)
        return w

    @numba.njit(parallel=True)
    def prange_fit(Y, X, w, iterations, lr):
        n, d = X.shape
        nblocks = numba.get_num_threads() * 4
        for it in range(iterations):
            G = np.zeros((nblocks, d))
            for b in numba.prange(nblocks):
                lo = b * n // nblocks
                hi = (b + 1) * n // nblocks
                for i in range(lo, hi):
                    z = 0.0
                    for j in range(d):
                        z += X[i, j] * w[j]
                    coef = (1.0 / (1.0 + np.exp(-Y[i] * z)) - 1.0) * Y[i]
                    for j in range(d):
                        G[b, j] += coef * X[i, j]
            for b in range(nblocks):
                for j in range(d):
                    w[j] -= lr * G[b, j]
        return w

    return numba, classic, prange_fit


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--d", type=int, default=10)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--learning-rate", type=float, default=5e-6)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "results", "logreg"))
    args = ap.parse_args()
    n, d, its, lr = args.n, args.d, args.iterations, args.learning_rate

    rng = np.random.default_rng(1)
    X = rng.standard_normal((n, d))
    y = np.where(X @ rng.standard_normal(d) + rng.standard_normal(n) > 0, 1.0, -1.0)
    w0 = np.zeros(d)

    rows = []  # (name, seconds, max relative difference to NumPy, note)
    ref = numpy_fit(X, y, w0, its, lr)

    def rel(w):
        return float(np.max(np.abs(w - ref) / np.maximum(np.abs(ref), 1e-300)))

    for b in backends():
        with using(b):
            w = pc_logreg.fit(X, y, w0, iterations=its, learning_rate=lr)
            t = median_of(lambda: pc_logreg.fit(X, y, w0, iterations=its, learning_rate=lr),
                          args.runs)
            rows.append((f"parchunk.logreg.fit ({b or 'default'})", t, rel(w), ""))

    t = median_of(lambda: numpy_fit(X, y, w0, its, lr), args.runs)
    rows.append(("NumPy (rule as written)", t, 0.0, ""))

    numba_note = ""
    try:
        numba, classic, prange_fit = make_numba()
        numba_note = f"numba {numba.__version__}, {numba.get_num_threads()} threads"
        for name, fn in (("Numba classic np.dot, parallel=True", classic),
                         ("Numba prange, parallel=True", prange_fit)):
            try:
                t0 = time.perf_counter()
                fn(y, X, w0.copy(), 1, lr)
                compile_s = time.perf_counter() - t0
                w = fn(y, X, w0.copy(), its, lr)
                t = median_of(lambda: fn(y, X, w0.copy(), its, lr), args.runs)
                rows.append((name, t, rel(w), f"first call (compile) {compile_s:.2f} s"))
            except Exception as e:  # e.g. SciPy missing for np.dot
                rows.append((name, float("nan"), float("nan"),
                             f"not run: {type(e).__name__}: {str(e).splitlines()[0]}"))
    except ImportError as e:
        numba_note = f"numba not installed ({e})"

    pc_t = rows[0][1]
    lines = [
        "# logreg.fit: parchunk vs NumPy vs Numba",
        "",
        f"n = {n}, d = {d}, float64, {its} iterations, learning rate {lr}; "
        f"median of {args.runs} single calls after a warm-up.",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, parchunk {PC_VERSION} "
        f"({pc_logreg.__name__}), numpy {np.__version__}, {numba_note}.",
        "speedup = peer time / parchunk time (> 1: parchunk faster). "
        "max rel diff = largest |w - w_numpy| / |w_numpy| over the fitted weights.",
        "",
        "| implementation | time (s) | parchunk speedup | max rel diff vs NumPy | note |",
        "|---|---:|---:|---:|---|",
    ]
    for name, t, r, note in rows:
        speed = pc_t / pc_t if name.startswith("parchunk") else t / pc_t
        lines.append(f"| {name} | {t:.4f} | {speed:.2f}x | {r:.1e} | {note} |")
    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out + ".md", "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
