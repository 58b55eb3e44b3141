"""Benchmark: parchunk.random against numpy.random.default_rng (PCG64).

    python bench/python/bench_random.py [--sizes 1e7,1e8] [--runs 5] [--out bench/results/random]

Rows: uniform float64 / float32, normal float64, integers in [0, 1000) (int64).
Each cell is the median of --runs calls (after one warm-up call), measured
side by side in one run:
  - "alloc": a fresh result array per call (numpy: rng.random(n); parchunk:
    parchunk.random.uniform(n, seed=...)): includes the page faults of the
    new array, which is what a user's call costs;
  - "out=": both fill the same preallocated array (generation only; NumPy's
    integers() has no out=, so that row has no out= column).
parchunk runs with all threads (default) and with nthreads=1. Writes a
Markdown table (<out>.md) and the raw numbers (<out>.json).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np

import parchunk
import parchunk.random as pr


def median_time(fn, runs):
    fn()  # warm-up (and first touch of the memory the allocator hands back)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cases(n, rng, buf64, buf32):
    """name -> {label: callable}."""
    return {
        "uniform float64": {
            "numpy alloc": lambda: rng.random(n),
            "parchunk alloc": lambda: pr.uniform(n, seed=1),
            "parchunk 1 thread alloc": lambda: pr.uniform(n, seed=1, nthreads=1),
            "numpy out=": lambda: rng.random(out=buf64),
            "parchunk out=": lambda: pr.uniform(n, seed=1, out=buf64),
        },
        "uniform float32": {
            "numpy alloc": lambda: rng.random(n, dtype=np.float32),
            "parchunk alloc": lambda: pr.uniform(n, seed=1, dtype="float32"),
            "parchunk 1 thread alloc": lambda: pr.uniform(n, seed=1, dtype="float32", nthreads=1),
            "numpy out=": lambda: rng.random(out=buf32, dtype=np.float32),
            "parchunk out=": lambda: pr.uniform(n, seed=1, dtype="float32", out=buf32),
        },
        "normal float64": {
            "numpy alloc": lambda: rng.standard_normal(n),
            "parchunk alloc": lambda: pr.normal(n, seed=1),
            "parchunk 1 thread alloc": lambda: pr.normal(n, seed=1, nthreads=1),
            "numpy out=": lambda: rng.standard_normal(out=buf64),
            "parchunk out=": lambda: pr.normal(n, seed=1, out=buf64),
        },
        "integers [0,1000) int64": {
            "numpy alloc": lambda: rng.integers(0, 1000, n),
            "parchunk alloc": lambda: pr.integers(n, 0, 1000, seed=1),
            "parchunk 1 thread alloc": lambda: pr.integers(n, 0, 1000, seed=1, nthreads=1),
        },
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1e7,1e8")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default="bench/results/random")
    args = ap.parse_args()
    sizes = [int(float(s)) for s in args.sizes.split(",")]

    results = []
    for n in sizes:
        rng = np.random.default_rng(1)
        buf64 = np.zeros(n)
        buf32 = np.zeros(n, dtype=np.float32)
        for name, fns in cases(n, rng, buf64, buf32).items():
            row = {"n": n, "case": name}
            for label, fn in fns.items():
                row[label] = median_time(fn, args.runs)
            results.append(row)
            print(n, name, {k: round(v, 4) for k, v in row.items() if isinstance(v, float)},
                  flush=True)
        del buf64, buf32

    lines = [
        "# parchunk.random vs numpy.random.default_rng",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
        f"{platform.python_version()}, NumPy {np.__version__}, parchunk {parchunk.__version__} "
        f"(backend {parchunk.backend}, {parchunk.get_num_threads()} threads). Median of "
        f"{args.runs} calls, seconds. Ratio = NumPy time / parchunk time (higher is better).",
        "",
        "| n | case | NumPy alloc | parchunk alloc | ratio | parchunk 1 thread | ratio 1T "
        "| NumPy out= | parchunk out= | ratio out= |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        def cell(k):
            return f"{r[k]:.4f}" if k in r else "-"

        def ratio(a, b):
            return f"{r[a] / r[b]:.2f}x" if a in r and b in r else "-"
        lines.append(
            f"| {r['n']:.0e} | {r['case']} | {cell('numpy alloc')} | {cell('parchunk alloc')} | "
            f"{ratio('numpy alloc', 'parchunk alloc')} | {cell('parchunk 1 thread alloc')} | "
            f"{ratio('numpy alloc', 'parchunk 1 thread alloc')} | {cell('numpy out=')} | "
            f"{cell('parchunk out=')} | {ratio('numpy out=', 'parchunk out=')} |")
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(args.out + ".json", "w") as f:
        json.dump(results, f, indent=1)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
