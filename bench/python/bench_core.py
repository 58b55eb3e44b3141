"""Benchmark: parchunk's first reductions against NumPy, numexpr and Numba.

    python bench/python/bench_core.py [--quick] [--out bench/results/core]

For sum, min, max and mean_abs_dev (center 50) over n in {1e3, 1e5, 1e7, 1e8},
float64 and int32, every peer is measured in the same run, each timing the
median of several calls after a warm-up. parchunk runs once per backend
(cffi and ctypes). Numba's compile time is reported apart. Writes a Markdown
table (<out>.md) and the raw numbers (<out>.json).
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
from parchunk import _backend as pc_backend

OPS = ("sum", "min", "max", "mean_abs_dev")
CENTER = 50.0


def median_time(fn, min_total=0.3, max_runs=200, min_runs=5):
    fn()  # warm-up
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < min_total and len(times) < max_runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def numpy_fns(x):
    return {
        "sum": lambda: x.sum(),
        "min": lambda: x.min(),
        "max": lambda: x.max(),
        "mean_abs_dev": lambda: np.abs(x - CENTER).mean(),
    }


def numexpr_fns(x):
    import numexpr as ne
    n = len(x)
    return {
        "sum": lambda: ne.evaluate("sum(x)"),
        "min": lambda: ne.evaluate("min(x)"),
        "max": lambda: ne.evaluate("max(x)"),
        "mean_abs_dev": lambda: ne.evaluate("sum(abs(x - 50.0))") / n,
    }


def make_numba():
    import numba

    @numba.njit(parallel=True, cache=False)
    def nb_sum(x):
        s = 0.0
        for i in numba.prange(len(x)):
            s += x[i]
        return s

    @numba.njit(parallel=True, cache=False)
    def nb_min(x):
        m = x[0]
        for i in numba.prange(len(x)):
            m = min(m, x[i])
        return m

    @numba.njit(parallel=True, cache=False)
    def nb_max(x):
        m = x[0]
        for i in numba.prange(len(x)):
            m = max(m, x[i])
        return m

    @numba.njit(parallel=True, cache=False)
    def nb_mad(x, c):
        s = 0.0
        for i in numba.prange(len(x)):
            s += abs(x[i] - c)
        return s / len(x)

    return {"sum": nb_sum, "min": nb_min, "max": nb_max, "mean_abs_dev": nb_mad}


def numba_fns(kernels, x):
    return {
        "sum": lambda: kernels["sum"](x),
        "min": lambda: kernels["min"](x),
        "max": lambda: kernels["max"](x),
        "mean_abs_dev": lambda: kernels["mean_abs_dev"](x, CENTER),
    }


def parchunk_fns(x):
    return {
        "sum": lambda: parchunk.sum(x),
        "min": lambda: parchunk.min(x),
        "max": lambda: parchunk.max(x),
        "mean_abs_dev": lambda: parchunk.mean_abs_dev(x, center=CENTER),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="n up to 1e7 only")
    ap.add_argument("--out", default="bench/results/core")
    args = ap.parse_args()

    sizes = [10**3, 10**5, 10**7] + ([] if args.quick else [10**8])
    dtypes = ["float64", "int32"]
    rng = np.random.default_rng(1)

    compile_times = {}
    kernels = None
    try:
        import numexpr
        numexpr.set_num_threads(os.cpu_count())
        have_ne = True
    except ImportError:
        have_ne = False
    try:
        kernels = make_numba()
    except ImportError:
        pass

    backends = [b for b in ("cffi", "ctypes") if pc_backend.available(b)]
    results = []
    for dtype in dtypes:
        for n in sizes:
            if dtype == "float64":
                x = rng.random(n) * 100.0
            else:
                x = rng.integers(0, 101, n, dtype=np.int32)
            peers = {"NumPy": numpy_fns(x)}
            if have_ne:
                peers["numexpr"] = numexpr_fns(x)
            if kernels is not None:
                for op, k in kernels.items():
                    key = (op, dtype)
                    if key not in compile_times:
                        t0 = time.perf_counter()
                        k(x[:10]) if op != "mean_abs_dev" else k(x[:10], CENTER)
                        compile_times[key] = time.perf_counter() - t0
                peers["Numba prange"] = numba_fns(kernels, x)
            for op in OPS:
                row = {"dtype": dtype, "n": n, "op": op, "times": {}}
                for name, fns in peers.items():
                    row["times"][name] = median_time(fns[op])
                for b in backends:
                    with pc_backend.using(b):
                        row["times"][f"parchunk/{b}"] = median_time(parchunk_fns(x)[op])
                results.append(row)
                print(f"{dtype:8} n={n:<10.0e} {op:13} " + "  ".join(
                    f"{k}={v * 1e3:.3f}ms" for k, v in row["times"].items()), flush=True)
            del x

    meta = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {cpu_model()}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "parchunk": parchunk.__version__,
        "threads": parchunk.get_num_threads(),
        "numba_compile_seconds": {f"{k[0]}/{k[1]}": v for k, v in compile_times.items()},
    }
    write(args.out, meta, results, backends)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def write(out, meta, results, backends):
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out + ".json", "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    main_pc = f"parchunk/{backends[0]}"
    peers = [k for k in results[0]["times"] if not k.startswith("parchunk")]
    lines = [
        "# parchunk core reductions vs peers",
        "",
        f"Machine: {meta['machine']}; Python {meta['python']}, NumPy {meta['numpy']}, "
        f"parchunk {meta['parchunk']} with {meta['threads']} threads. Median times; "
        f"ratio = peer time / parchunk ({backends[0]}) time, so > 1 means parchunk is faster.",
        "",
        "| dtype | n | op | " + " | ".join(f"parchunk/{b}" for b in backends) + " | "
        + " | ".join(f"{p} (ratio)" for p in peers) + " |",
        "|---|---:|---|" + "---:|" * (len(backends) + len(peers)),
    ]
    for r in results:
        t = r["times"]
        cells = [fmt(t[f"parchunk/{b}"]) for b in backends]
        cells += [f"{fmt(t[p])} ({t[p] / t[main_pc]:.2f}x)" for p in peers]
        lines.append(f"| {r['dtype']} | {r['n']:.0e} | {r['op']} | " + " | ".join(cells) + " |")
    lines += ["", "Numba compile times (first call, excluded above): "
              + ", ".join(f"{k} {v:.2f}s" for k, v in meta["numba_compile_seconds"].items())]
    with open(out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def fmt(t):
    return f"{t * 1e6:.1f} us" if t < 1e-3 else f"{t * 1e3:.2f} ms"


if __name__ == "__main__":
    main()
