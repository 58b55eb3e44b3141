"""parchunk demo: the classic "make my Python loop use every core" workloads.

Each workload is computed by
  * pure Python (one core, the GIL),
  * threads (concurrent.futures.ThreadPoolExecutor: the GIL serialises them),
  * multiprocessing.Pool with chunks of 100 elements (the classic advice) and
    with one large chunk per core (copies and process start-up still cost),
  * NumPy (vectorised, one core, a temporary per operator),
  * parchunk (C + OpenMP on every core, the GIL released, no temporaries),
and the table shows the time, the speed-up over pure Python, and whether the
result equals parchunk's. Slow methods on the big inputs run on a sample and
their time is scaled up linearly (marked with ~).

    python examples/python/demo.py [--quick] [--chart demo.png]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import parchunk

NCORES = len(os.sched_getaffinity(0))


def timed(fn, repeat=3):
    """Median wall time of `repeat` runs and the last result."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


# ---- the per-chunk functions the Python methods run (top level: picklable) --

def py_sum(chunk):
    return sum(chunk)


def py_absdev_sum(chunk, center=50):
    return sum(abs(v - center) for v in chunk)


def split(seq, size):
    return [seq[i:i + size] for i in range(0, len(seq), size)]


class Workload:
    def __init__(self, name, array, pylist, sample, kind):
        self.name = name          # shown in the table
        self.array = array        # NumPy array (NumPy and parchunk use it)
        self.pylist = pylist      # the same values as a Python list (or a sample)
        self.sample = sample      # scale factor: len(array) / len(pylist)
        self.kind = kind          # "sum" or "absdev"

    # result of a Python-side partial computation, finished the same way
    def finish(self, total):
        if self.kind == "sum":
            return total
        return total / len(self.pylist)

    def py_chunk_fn(self):
        return py_sum if self.kind == "sum" else py_absdev_sum


def make_workloads(quick):
    rng = np.random.default_rng(2026)
    big = 10**7 if quick else 10**8
    sample = 10**6
    work = []
    a = rng.integers(0, 101, 100_000, dtype=np.int32)
    work.append(Workload("(a) mean |x-50|, 100k ints", a, a.tolist(), 1, "absdev"))
    b = rng.integers(0, 1000, big // (1 if quick else 2), dtype=np.int64)
    work.append(Workload(f"(b) sum of {len(b):.0e} ints", b, b[:sample].tolist(),
                         len(b) / sample, "sum"))
    c = rng.random((1000, 1000))
    work.append(Workload("(c) sum of 1000x1000 floats", c, c.ravel().tolist(), 1, "sum"))
    d = rng.random(big) * 100.0
    work.append(Workload(f"(d) mean |x-50|, {len(d):.0e} doubles", d, d[:sample].tolist(),
                         len(d) / sample, "absdev"))
    return work


def run_methods(w, pool):
    """Rows of (method, seconds, scaled?, result) for one workload."""
    fn = w.py_chunk_fn()
    data = w.pylist
    rows = []
    t, r = timed(lambda: w.finish(fn(data)), repeat=1)
    rows.append(("pure Python", t * w.sample, w.sample != 1, r if w.sample == 1 else None))

    with ThreadPoolExecutor(NCORES) as ex:
        chunks = split(data, math.ceil(len(data) / NCORES))
        t, r = timed(lambda: w.finish(sum(ex.map(fn, chunks))), repeat=1)
    rows.append((f"threads ({NCORES})", t * w.sample, w.sample != 1,
                 r if w.sample == 1 else None))

    small = split(data, 100)
    t, r = timed(lambda: w.finish(sum(pool.map(fn, small))), repeat=1)
    rows.append(("multiprocessing, chunks of 100", t * w.sample, w.sample != 1,
                 r if w.sample == 1 else None))
    large = split(data, math.ceil(len(data) / NCORES))
    t, r = timed(lambda: w.finish(sum(pool.map(fn, large))), repeat=1)
    rows.append((f"multiprocessing, {NCORES} chunks", t * w.sample, w.sample != 1,
                 r if w.sample == 1 else None))

    arr = w.array
    if w.kind == "sum":
        t, r = timed(lambda: arr.sum().item())
    else:
        t, r = timed(lambda: np.abs(arr - 50).mean().item())
    rows.append(("NumPy", t, False, r))

    if w.kind == "sum":
        t, r = timed(lambda: parchunk.sum(arr))
    else:
        t, r = timed(lambda: parchunk.mean_abs_dev(arr, center=50))
    rows.append((f"parchunk ({parchunk.get_num_threads()} threads)", t, False, r))
    return rows


def same(result, reference):
    if result is None:
        return "(sample)"
    if isinstance(result, int) and isinstance(reference, int):
        return "yes" if result == reference else "NO"
    rel = abs(result - reference) / max(abs(reference), 1e-300)
    return "yes" if rel == 0 else ("yes (rel %.0e)" % rel if rel < 1e-9 else "NO (rel %.1e)" % rel)


def print_table(all_rows):
    print()
    hdr = f"{'workload':34} {'method':32} {'time':>11} {'speed-up':>10}  same result as parchunk"
    print(hdr)
    print("-" * len(hdr))
    for wname, rows in all_rows:
        base = rows[0][1]
        ref = rows[-1][3]
        for i, (method, t, scaled, r) in enumerate(rows):
            tt = ("~" if scaled else "") + fmt_time(t)
            print(f"{wname if i == 0 else '':34} {method:32} {tt:>11} {base / t:>9.1f}x  {same(r, ref)}")
        print()
    print("~ = measured on a sample of 1,000,000 elements and scaled linearly.")


def fmt_time(t):
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} us"


def chart(all_rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    methods = [m for m, *_ in all_rows[0][1]]
    fig, ax = plt.subplots(figsize=(11, 5.5))
    width = 0.8 / len(methods)
    for j, method in enumerate(methods):
        speedups = [rows[0][1] / rows[j][1] for _, rows in all_rows]
        xs = [i + j * width for i in range(len(all_rows))]
        bars = ax.bar(xs, speedups, width, label=method)
        for x, s in zip(xs, speedups):
            ax.text(x, s, f"{s:.3g}x", ha="center", va="bottom", fontsize=7)
    ax.set_yscale("log")
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(all_rows))])
    ax.set_xticklabels([w for w, _ in all_rows], fontsize=8)
    ax.set_ylabel("speed-up over pure Python (log scale)")
    ax.set_title(f"parchunk vs the usual ways to speed up Python ({NCORES} cores)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller inputs (10^7)")
    ap.add_argument("--chart", default="build/demo.png", help="where to write the PNG chart")
    args = ap.parse_args(argv)

    print(f"parchunk {parchunk.__version__} ({parchunk.backend} backend), "
          f"NumPy {np.__version__}, Python {sys.version.split()[0]}, {NCORES} cores")
    work = make_workloads(args.quick)
    all_rows = []
    with mp.get_context("fork").Pool(NCORES) as pool:
        for w in work:
            print(f"running {w.name} ...", flush=True)
            all_rows.append((w.name, run_methods(w, pool)))
    print_table(all_rows)
    os.makedirs(os.path.dirname(os.path.abspath(args.chart)), exist_ok=True)
    chart(all_rows, args.chart)
    print(f"chart written to {args.chart}")


if __name__ == "__main__":
    main()
