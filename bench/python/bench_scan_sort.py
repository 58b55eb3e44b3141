"""Benchmark parchunk.cumsum / sort / argsort against NumPy, side by side.

Run from the repo root after building (cmake --build build):

    python bench/python/bench_scan_sort.py [--quick] [--out bench/results/scan_sort.md]

Every row is the median of --runs runs (default 5), NumPy and parchunk timed
alternately in one process. Both sides allocate their result (np.cumsum(x) vs
parchunk.cumsum(x)); the `out=` rows reuse a preallocated output on both sides.
The memory-bandwidth rows (parallel read = parchunk.sum, copy = np.copyto) give
the bound a scan can reach: the two-pass scan moves 3 x 8 bytes per element
(read; read + write), a sequential scan 2 x 8.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bindings", "python"))
import parchunk  # noqa: E402


def median_time(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def pair(label, np_fn, pc_fn, runs):
    # alternate so both sides see the same machine state
    tn, tp = [], []
    for _ in range(runs):
        tn.append(median_time(np_fn, 1))
        tp.append(median_time(pc_fn, 1))
    mn, mp = statistics.median(tn), statistics.median(tp)
    return (label, mn, mp, mn / mp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="n / 10 (smoke test)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "results",
                                                  "scan_sort.md"))
    args = ap.parse_args()
    div = 10 if args.quick else 1
    rng = np.random.default_rng(12345)
    rows = []

    n_scan = 10**8 // div
    x = rng.random(n_scan)
    o = np.empty_like(x)
    rows.append(pair(f"cumsum float64 n={n_scan:.0e}", lambda: np.cumsum(x),
                     lambda: parchunk.cumsum(x), args.runs))
    rows.append(pair(f"cumsum float64 n={n_scan:.0e}, out=", lambda: np.cumsum(x, out=o),
                     lambda: parchunk.cumsum(x, out=o), args.runs))
    t_read = median_time(lambda: parchunk.sum(x), args.runs)
    t_copy = median_time(lambda: np.copyto(o, x), args.runs)
    del x, o  # keep the peak memory near 2.5 GB
    xi = rng.integers(-1000, 1000, n_scan)
    oi = np.empty_like(xi)
    rows.append(pair(f"cumsum int64 n={n_scan:.0e}, out=", lambda: np.cumsum(xi, out=oi),
                     lambda: parchunk.cumsum(xi, out=oi), args.runs))
    del xi, oi

    n_sort = 10**7 // div
    xs = rng.random(n_sort)
    rows.append(pair(f"sort float64 uniform n={n_sort:.0e}", lambda: np.sort(xs),
                     lambda: parchunk.sort(xs), args.runs))
    xg = rng.standard_normal(n_sort)
    rows.append(pair(f"sort float64 normal n={n_sort:.0e}", lambda: np.sort(xg),
                     lambda: parchunk.sort(xg), args.runs))
    xl = rng.integers(-2**62, 2**62, n_sort)
    rows.append(pair(f"sort int64 n={n_sort:.0e}", lambda: np.sort(xl),
                     lambda: parchunk.sort(xl), args.runs))
    x4 = rng.integers(-2**31, 2**31, n_sort, dtype=np.int32)
    rows.append(pair(f"sort int32 n={n_sort:.0e}", lambda: np.sort(x4),
                     lambda: parchunk.sort(x4), args.runs))
    rows.append(pair(f"argsort float64 n={n_sort:.0e} (np: kind='stable')",
                     lambda: np.argsort(xs, kind="stable"), lambda: parchunk.argsort(xs),
                     max(1, args.runs // 2)))

    lines = [
        "# scan and sort benchmark",
        "",
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"NumPy {np.__version__}, parchunk {parchunk.__version__ if hasattr(parchunk, '__version__') else '?'}, "
        f"median of {args.runs} runs, NumPy and parchunk alternated in one process.",
        "",
        "| operation | NumPy (s) | parchunk (s) | speed-up |",
        "|---|---:|---:|---:|",
    ]
    for label, tn, tp, r in rows:
        lines.append(f"| {label} | {tn:.4f} | {tp:.4f} | {r:.2f}x |")
    gb = 8 * n_scan / 1e9
    lines += [
        "",
        f"Memory bandwidth on this run: parallel read {gb / t_read:.1f} GB/s "
        f"(parchunk.sum), copy {2 * gb / t_copy:.1f} GB/s moved (np.copyto).",
        f"Lower bound of the two-pass cumsum (read {gb:.1f} GB, then read + write): "
        f"about {2 * t_read + t_copy:.4f} s with a preallocated output.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
