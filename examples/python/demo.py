"""parchunk demo: the classic "make my Python loop use every core" workloads.

    python examples/python/demo.py [--quick] [--big N] [--sample N] [--chart build/demo.png]

Four workloads, each computed six ways on the same data:

  pure Python        a plain loop over a list (one core; the reference result)
  threads            concurrent.futures.ThreadPoolExecutor, one chunk per core
                     (the GIL lets one thread run Python at a time)
  multiprocessing    multiprocessing.Pool.map over chunks of 100 elements (the
                     classic advice), and over one large chunk per core: the
                     chunks are pickled to the worker processes
  NumPy              the vectorised one-liner (one core, a temporary array per
                     operator)
  parchunk           one call: C + OpenMP on every core, the GIL released,
                     zero-copy, no temporaries

The table gives the time, the speed-up over pure Python, and whether the
result is identical to pure Python's (integers: exactly equal; floats: the
relative difference, accepted up to FLOAT_RTOL = 1e-9 -- pure Python adds
left to right, NumPy and parchunk add pairwise, so the last bits differ).
On the 10^8-element inputs the slow Python methods (threads and
multiprocessing) run on the first --sample elements and their time is
scaled linearly (marked ~); pure Python itself runs on all the data (streamed
as lists of --sample elements; building the lists is not timed) so that every
fast method is checked against an exact full-size reference.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import platform
import statistics
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import parchunk

NCORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
FLOAT_RTOL = 1e-9
CENTER = 50


def timed(fn, max_runs=5, budget=1.0):
    """Median wall time of up to `max_runs` calls (fewer when a call is slow:
    stops after `budget` seconds) and the result of the last call."""
    times = []
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if len(times) >= max_runs or time.perf_counter() - start > budget:
            return statistics.median(times), result


# ---- the Python per-chunk functions (top level so that Pool can pickle them) --

def py_sum(chunk):
    """Sum of a list (of numbers, or of rows: the 2-D workload)."""
    if chunk and isinstance(chunk[0], list):
        return sum(sum(row) for row in chunk)
    return sum(chunk)


def py_absdev_sum(chunk):
    """sum |v - 50| of a list."""
    return sum(abs(v - CENTER) for v in chunk)


def split(seq, size):
    return [seq[i:i + size] for i in range(0, len(seq), size)]


class Workload:
    """One classic workload: the data as a NumPy array (NumPy, parchunk) and
    as Python lists (the Python methods)."""

    def __init__(self, key, title, array, kind, sample):
        self.key = key            # (a), (b), ... for the chart
        self.title = title        # shown in the table
        self.array = array
        self.kind = kind          # "sum" or "absdev"
        self.n = array.size
        # A 2-D input is small (the classic 1000 x 1000): always measured whole.
        self.sample_n = self.n if array.ndim == 2 else min(self.n, sample)
        self.scaled = self.n > self.sample_n
        self.chunk_fn = py_sum if kind == "sum" else py_absdev_sum

    def sample_list(self):
        """The data the sampled Python methods see (a 2-D array: list of rows)."""
        if self.array.ndim == 2:
            return self.array.tolist()
        return self.array[:self.sample_n].tolist()

    def finish(self, total, n):
        return total if self.kind == "sum" else total / n

    def numpy(self):
        a = self.array
        if self.kind == "sum":
            return a.sum().item()
        return np.abs(a - CENTER).mean().item()

    def parchunk(self):
        if self.kind == "sum":
            return parchunk.sum(self.array)
        return parchunk.mean_abs_dev(self.array, center=CENTER)

    def pure_python_full(self):
        """(seconds, result) of the plain loop over all n elements, fed as
        lists of sample_n elements; only the loop is timed."""
        if not self.scaled:
            data = self.sample_list()
            return timed(lambda: self.finish(self.chunk_fn(data), self.n), max_runs=3)
        flat = self.array.reshape(-1)
        total, seconds = 0, 0.0
        for i in range(0, self.n, self.sample_n):
            part = flat[i:i + self.sample_n].tolist()
            t0 = time.perf_counter()
            total += self.chunk_fn(part)
            seconds += time.perf_counter() - t0
        return seconds, self.finish(total, self.n)


class Row:
    def __init__(self, method, seconds, result, reference, scaled=False, note=""):
        self.method, self.seconds, self.result = method, seconds, result
        self.reference, self.scaled, self.note = reference, scaled, note


def make_workloads(big, sample):
    rng = np.random.default_rng(2026)
    yield Workload("(a)", "(a) mean |x - 50|, 100,000 random ints 0..100",
                   rng.integers(0, 101, 100_000, dtype=np.int32), "absdev", sample)
    yield Workload("(b)", f"(b) sum of {big:,} random ints 0..999 (int32)",
                   rng.integers(0, 1000, big, dtype=np.int32), "sum", sample)
    yield Workload("(c)", "(c) sum of a 1000 x 1000 array of random floats",
                   rng.random((1000, 1000)), "sum", sample)
    yield Workload("(d)", f"(d) mean |x - 50|, {big:,} random doubles 0..100",
                   rng.random(big) * 100.0, "absdev", sample)


def run_workload(w, pool):
    rows = []
    fn = w.chunk_fn
    t, ref_full = w.pure_python_full()
    rows.append(Row("pure Python (1 core)", t, ref_full, None))

    data = w.sample_list()
    m = w.sample_n if w.array.ndim == 1 else w.n
    scale = w.n / m
    ref_sample = w.finish(fn(data), m)        # the reference on the sample

    per_core = split(data, math.ceil(len(data) / NCORES))
    with ThreadPoolExecutor(NCORES) as ex:
        t, r = timed(lambda: w.finish(sum(ex.map(fn, per_core)), m), max_runs=3)
    rows.append(Row(f"threads ({NCORES})", t * scale, r, ref_sample, w.scaled))

    # Chunks of 100 elements (the 2-D array: every row cut into chunks of 100).
    if w.array.ndim == 2:
        small = [r_[i:i + 100] for r_ in data for i in range(0, len(r_), 100)]
    else:
        small = split(data, 100)
    t, r = timed(lambda: w.finish(sum(pool.map(fn, small, chunksize=1)), m), max_runs=3)
    rows.append(Row("multiprocessing, chunks of 100", t * scale, r, ref_sample, w.scaled))
    t, r = timed(lambda: w.finish(sum(pool.map(fn, per_core, chunksize=1)), m), max_runs=3)
    rows.append(Row(f"multiprocessing, {NCORES} chunks", t * scale, r, ref_sample, w.scaled))

    t, r = timed(w.numpy)
    rows.append(Row("NumPy (1 core)", t, r, ref_full))
    w.parchunk()  # warm-up: starts the library's threads
    t, r = timed(w.parchunk, max_runs=9)
    rows.append(Row(f"parchunk ({parchunk.get_num_threads()} threads)", t, r, ref_full))
    return rows


def compare(result, reference):
    """(ok, text) -- exact for integers, relative difference for floats."""
    if reference is None:
        return True, "(the reference)"
    if isinstance(result, int) and isinstance(reference, int):
        return (result == reference), ("yes (exact)" if result == reference
                                       else f"NO ({result} != {reference})")
    if result == reference:
        return True, "yes (bit-identical)"
    rel = abs(result - reference) / max(abs(reference), 1e-300)
    if rel <= FLOAT_RTOL:
        return True, f"yes (rel. diff {rel:.0e})"
    return False, f"NO (rel. diff {rel:.1e})"


def fmt_x(v):
    return f"{v:.0f}x" if v >= 100 else f"{v:.3g}x"


def fmt_time(t):
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} us"


def print_table(results, sample):
    hdr = f"{'method':32} {'time':>10} {'speed-up':>10}   result identical to pure Python"
    ok_all = True
    for w, rows in results:
        print()
        print(w.title)
        print(hdr)
        print("-" * len(hdr))
        base = rows[0].seconds
        for row in rows:
            ok, text = compare(row.result, row.reference)
            ok_all &= ok
            if row.scaled:
                text += " [on the sample]"
            tt = ("~" if row.scaled else "") + fmt_time(row.seconds)
            print(f"{row.method:32} {tt:>10} {fmt_x(base / row.seconds):>10}   {text}")
    print()
    print(f"~ : measured on the first {sample:,} elements and scaled linearly to the full size "
          f"(the Pool's start-up is not included); the result is compared with pure Python "
          f"on those same elements.")
    print(f"Floats: 'identical' means a relative difference <= {FLOAT_RTOL:g} from the pure "
          f"Python loop (which adds left to right; NumPy and parchunk add pairwise).")
    return ok_all


def summary(results):
    """A few sentences computed from the measurements."""
    def speedups(label_start):
        out = []
        for _, rows in results:
            base = rows[0].seconds
            for r in rows:
                if r.method.startswith(label_start):
                    out.append(base / r.seconds)
        return out

    def rng_(v):
        return f"{fmt_x(min(v))} to {fmt_x(max(v))}"

    th, mp100, mpbig = speedups("threads"), speedups("multiprocessing, chunks"), \
        speedups(f"multiprocessing, {NCORES}")
    npy, pc = speedups("NumPy"), speedups("parchunk")
    vs_np = [p / q for p, q in zip(pc, npy)]
    lines = [
        "What this shows (speed relative to the pure-Python loop; 1x = as fast as it):",
        f"  * threads: {rng_(th)} -- the GIL lets one thread run Python at a time.",
        f"  * multiprocessing, chunks of 100: {rng_(mp100)}; {NCORES} large chunks: "
        f"{rng_(mpbig)} -- every chunk is pickled to a worker process and back.",
        f"  * NumPy: {rng_(npy)} -- vectorised C, but one core and a temporary array per operator.",
        f"  * parchunk: {rng_(pc)} ({rng_(vs_np)} NumPy's speed) with the same results:",
        "    one call into C, every core, the GIL released, no copies, no temporaries.",
    ]
    print("\n".join(lines))


def chart(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    methods = [r.method for r in results[0][1]]
    fig, ax = plt.subplots(figsize=(12, 6))
    width = 0.84 / len(methods)
    for j, method in enumerate(methods):
        xs, ys, hatches = [], [], []
        for i, (_, rows) in enumerate(results):
            xs.append(i + j * width)
            ys.append(rows[0].seconds / rows[j].seconds)
            hatches.append("//" if rows[j].scaled else "")
        bars = ax.bar(xs, ys, width, label=method)
        for bar, h, y in zip(bars, hatches, ys):
            bar.set_hatch(h)
            ax.text(bar.get_x() + bar.get_width() / 2, y, f"{y:.3g}x", ha="center",
                    va="bottom", fontsize=7)
    ax.set_yscale("log")
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_xticks([i + 0.42 - width / 2 for i in range(len(results))])
    ax.set_xticklabels([textwrap.fill(w.title, 30) for w, _ in results], fontsize=8)
    top = max(rows[0].seconds / r.seconds for _, rows in results for r in rows)
    ax.set_ylim(top=top * 30)
    ax.set_ylabel("speed-up over pure Python (log scale, higher is better)")
    ax.set_title(f"parchunk vs the usual ways to speed up Python ({NCORES} cores; "
                 f"hatched: measured on a sample and scaled)")
    ax.legend(fontsize=8, ncol=3, loc="upper center")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", type=float, default=1e8,
                    help="size of workloads (b) and (d) (default 1e8)")
    ap.add_argument("--sample", type=float, default=1e6,
                    help="elements the slow Python methods run on before scaling (default 1e6)")
    ap.add_argument("--quick", action="store_true", help="--big 2e6 --sample 1e6 (a smoke test)")
    ap.add_argument("--chart", default="build/demo.png", help="where to write the PNG chart")
    args = ap.parse_args(argv)
    big = int(2e6 if args.quick else args.big)
    sample = int(args.sample)

    print("parchunk demo: four classic CPU-bound computations, done the usual ways to speed up\n"
          "Python (threads, multiprocessing, NumPy) and with parchunk, which runs each as one\n"
          "call into a C library that uses every core, with the GIL released.")
    print(f"parchunk {parchunk.__version__} ({parchunk.backend} backend, "
          f"{parchunk.get_num_threads()} threads), NumPy {np.__version__}, "
          f"Python {platform.python_version()}, {NCORES} cores")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"load average {load:.2f}; OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}")
    if load > 0.5 * NCORES:
        print("NOTE: this machine is busy: every method is slowed down, and parchunk's short calls\n"
              "      (wake-up of its threads) the most; with other programs on every core,\n"
              "      OMP_WAIT_POLICY=passive avoids threads spinning against them.")
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(NCORES) as pool:
        pool.map(abs, range(NCORES))
        print(f"(multiprocessing.Pool({NCORES}) started in "
              f"{fmt_time(time.perf_counter() - t0)}; not counted below)")
        results = []
        for w in make_workloads(big, sample):
            print(f"running {w.title} ...", flush=True)
            results.append((w, run_workload(w, pool)))
            w.array = None  # free the big inputs as we go
    ok = print_table(results, sample)
    if hasattr(os, "getloadavg"):
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print()
    summary(results)
    os.makedirs(os.path.dirname(os.path.abspath(args.chart)), exist_ok=True)
    chart(results, args.chart)
    print(f"\nchart written to {args.chart}")
    if not ok:
        print("ERROR: some results differ (see the table)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
