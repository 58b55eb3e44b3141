#!/usr/bin/env python3
"""Benchmark: exact sums and histograms against their peers, side by side.

  * histogram, 100 bins, n = 1e8 float64: parchunk vs numpy.histogram
    (range from the data, as np.histogram(x, 100); counts checked equal)
  * exact sum, n = 1e7 float64: parchunk exact vs math.fsum (on a list and on
    the ndarray) and vs parchunk's plain (pairwise) sum

Medians of --repeat runs (default 5), all peers measured in the same run.
Writes bench/results/exact_hist.md (or --out). Uses the parchunk package
when it has histogram/sum(exact=) and falls back to calling the shared
library through ctypes ($PARCHUNK_LIBRARY or build/libparchunk.so).
"""
import argparse
import ctypes
import math
import os
import platform
import statistics
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_lib():
    path = os.environ.get("PARCHUNK_LIBRARY") or os.path.join(ROOT, "build", "libparchunk.so")
    lib = ctypes.CDLL(path)
    lib.parchunk_ctx_new.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    lib.parchunk_ctx_set_threads.argtypes = [ctypes.c_void_p, ctypes.c_int]
    for name in ("parchunk_sum", "parchunk_sum_exact", "parchunk_mean_exact"):
        getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                       ctypes.c_int, ctypes.POINTER(ctypes.c_double)]
    lib.parchunk_histogram_auto.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                            ctypes.c_int, ctypes.c_size_t, ctypes.c_void_p,
                                            ctypes.c_void_p]
    return lib, path


class Ctypes:
    """The few calls the benchmark needs, straight from the library."""

    def __init__(self, nthreads):
        self.lib, self.path = load_lib()
        self.ctx = ctypes.c_void_p()
        assert self.lib.parchunk_ctx_new(ctypes.byref(self.ctx)) == 0
        assert self.lib.parchunk_ctx_set_threads(self.ctx, nthreads) == 0

    def _sum(self, fn, x):
        out = ctypes.c_double()
        st = fn(self.ctx, x.ctypes.data, x.size, 9, ctypes.byref(out))
        if st:
            raise RuntimeError(f"status {st}")
        return out.value

    def sum(self, x):
        return self._sum(self.lib.parchunk_sum, x)

    def sum_exact(self, x):
        return self._sum(self.lib.parchunk_sum_exact, x)

    def histogram(self, x, bins):
        counts = np.empty(bins, np.int64)
        edges = np.empty(bins + 1, np.float64)
        st = self.lib.parchunk_histogram_auto(self.ctx, x.ctypes.data, x.size, 9, bins,
                                              counts.ctypes.data, edges.ctypes.data)
        if st:
            raise RuntimeError(f"status {st}")
        return counts, edges


class Package:
    def __init__(self, nthreads, pc):
        self.pc, self.nthreads = pc, nthreads
        self.path = getattr(pc, "__file__", "parchunk")

    def sum(self, x):
        return self.pc.sum(x, nthreads=self.nthreads)

    def sum_exact(self, x):
        return self.pc.sum(x, exact=True, nthreads=self.nthreads)

    def histogram(self, x, bins):
        return self.pc.histogram(x, bins=bins, nthreads=self.nthreads)


def backend(nthreads):
    try:
        import parchunk as pc  # noqa: PLC0415
        if hasattr(pc, "histogram"):
            return Package(nthreads, pc)
    except ImportError:
        pass
    return Ctypes(nthreads)


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hist-n", type=float, default=1e8)
    ap.add_argument("--sum-n", type=float, default=1e7)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "exact_hist.md"))
    args = ap.parse_args()
    rng = np.random.default_rng(2026)
    rows = []

    # ---- exact sums -------------------------------------------------------
    n = int(args.sum_n)
    x = rng.standard_normal(n) * 10.0 ** rng.integers(-20, 20, n)
    x_list = x.tolist()
    fsum_list = median_time(lambda: math.fsum(x_list), args.repeat)
    fsum_arr = median_time(lambda: math.fsum(x), max(1, args.repeat // 2))
    ref = math.fsum(x_list)
    for threads in sorted({1, args.threads}):
        b = backend(threads)
        assert b.sum_exact(x) == ref, "exact sum differs from math.fsum"
        t_exact = median_time(lambda: b.sum_exact(x), args.repeat)
        t_plain = median_time(lambda: b.sum(x), args.repeat)
        rows.append((f"sum(exact=True), n={n:.0e}, {threads} thr", t_exact,
                     f"math.fsum(list) {fsum_list * 1e3:.1f} ms: **{fsum_list / t_exact:.0f}x**; "
                     f"math.fsum(ndarray) {fsum_arr * 1e3:.1f} ms: **{fsum_arr / t_exact:.0f}x**; "
                     f"plain parchunk sum {t_plain * 1e3:.2f} ms: exact/plain = "
                     f"**{t_exact / t_plain:.2f}**"))
    del x, x_list

    # ---- histogram --------------------------------------------------------
    n = int(args.hist_n)
    x = rng.standard_normal(n)
    t_np = median_time(lambda: np.histogram(x, 100), args.repeat)
    ref_counts, ref_edges = np.histogram(x, 100)
    for threads in sorted({1, args.threads}):
        b = backend(threads)
        counts, edges = b.histogram(x, 100)
        assert np.array_equal(np.asarray(counts), ref_counts), "counts differ from numpy"
        assert np.array_equal(np.asarray(edges), ref_edges), "edges differ from numpy"
        t = median_time(lambda: b.histogram(x, 100), args.repeat)
        gbs = x.nbytes / t / 1e9
        rows.append((f"histogram 100 bins, n={n:.0e}, {threads} thr", t,
                     f"np.histogram {t_np * 1e3:.0f} ms: **{t_np / t:.1f}x**; "
                     f"{gbs:.1f} GB/s (includes the min/max pass)"))

    load = os.getloadavg()
    lines = [
        "# Exact sums and histograms",
        "",
        f"Load average at the end of the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(above the CPU count, timings are inflated and thread scaling is meaningless).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs; NumPy {np.__version__}; "
        f"Python {platform.python_version()}; library {b.path}.",
        f"Medians of {args.repeat} runs, peers measured in the same run "
        f"(math.fsum on the ndarray: {max(1, args.repeat // 2)} runs). Results checked equal "
        "(sum == math.fsum bit for bit; counts and edges == numpy.histogram).",
        "",
        "| case | parchunk | vs peers |",
        "|---|---|---|",
    ]
    for name, t, note in rows:
        lines.append(f"| {name} | {t * 1e3:.2f} ms | {note} |")
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
