"""Benchmark: parchunk's core reductions against NumPy, numexpr and Numba.

    python bench/python/bench_core.py [--quick] [--sizes 1e3,1e5,1e7,1e8]
                                      [--min-time 0.3] [--out bench/results/core]

For sum, min, max and mean_abs_dev (center 50) over n in {1e3, 1e5, 1e7, 1e8},
float64 and int32, every peer is measured in the same run, on the same array,
each cell the median of several calls (at least 5, until --min-time seconds)
after a warm-up call:

  NumPy          np.sum(x), np.min(x), np.max(x), np.abs(x - 50).mean()
  numexpr        ne.evaluate("sum(x)") etc., set to parchunk's thread count
                 (numexpr's reductions themselves run on one thread; its
                 int32 min/max fail with NumPy 2 and are shown as failing)
  Numba prange   @njit(parallel=True) loops with prange, same thread count;
                 the compile time (first call) is reported apart
  parchunk       once per backend (cffi and ctypes)

Also: workload (a) of the issue (mean |x - 50| of 100,000 int32 in 0..100)
against NumPy and a pure-Python loop over a list, the per-call cost at
n = 1e3 (parchunk vs np.sum), and the issue's targets with met / missed.
Every peer's result is checked against parchunk's (integers exactly where
the peer is exact, floats to a relative 1e-9). Writes <out>.md and <out>.json.
--quick: sizes 1e3, 1e5, 1e6 and --min-time 0.1 (a smoke test; do not
publish its numbers).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))

import parchunk  # noqa: E402
from parchunk import _backend as pc_backend  # noqa: E402

OPS = ("sum", "min", "max", "mean_abs_dev")
CENTER = 50.0
RTOL = 1e-9


def median_time(fn, min_total, max_runs=5000, min_runs=5):
    """Median of at least min_runs calls, more until min_total seconds; the
    first (warm-up) call is not timed. Returns (seconds, result)."""
    result = fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < min_total
                                    and len(times) < max_runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def numpy_fns(x):
    return {
        "sum": lambda: np.sum(x),
        "min": lambda: np.min(x),
        "max": lambda: np.max(x),
        "mean_abs_dev": lambda: np.abs(x - CENTER).mean(),
    }


def numexpr_fns(x):
    import numexpr as ne
    n = len(x)
    d = {"x": x}
    return {
        "sum": lambda: ne.evaluate("sum(x)", local_dict=d),
        "min": lambda: ne.evaluate("min(x)", local_dict=d),
        "max": lambda: ne.evaluate("max(x)", local_dict=d),
        "mean_abs_dev": lambda: ne.evaluate("sum(abs(x - 50.0))", local_dict=d) / n,
    }


def make_numba():
    import numba

    @numba.njit(parallel=True)
    def nb_sum(x):
        s = 0.0
        for i in numba.prange(len(x)):
            s += x[i]
        return s

    @numba.njit(parallel=True)
    def nb_sum_int(x):
        s = 0  # int64 accumulator for integer input
        for i in numba.prange(len(x)):
            s += x[i]
        return s

    @numba.njit(parallel=True)
    def nb_min(x):
        m = x[0]
        for i in numba.prange(len(x)):
            m = min(m, x[i])
        return m

    @numba.njit(parallel=True)
    def nb_max(x):
        m = x[0]
        for i in numba.prange(len(x)):
            m = max(m, x[i])
        return m

    @numba.njit(parallel=True)
    def nb_mad(x, c):
        s = 0.0
        for i in numba.prange(len(x)):
            s += abs(x[i] - c)
        return s / len(x)

    return {"sum": nb_sum, "sum_int": nb_sum_int, "min": nb_min, "max": nb_max,
            "mean_abs_dev": nb_mad}


def numba_fns(k, x):
    summ = k["sum_int"] if x.dtype.kind == "i" else k["sum"]
    return {
        "sum": lambda: summ(x),
        "min": lambda: k["min"](x),
        "max": lambda: k["max"](x),
        "mean_abs_dev": lambda: k["mean_abs_dev"](x, CENTER),
    }


def parchunk_fns(x):
    return {
        "sum": lambda: parchunk.sum(x),
        "min": lambda: parchunk.min(x),
        "max": lambda: parchunk.max(x),
        "mean_abs_dev": lambda: parchunk.mean_abs_dev(x, center=CENTER),
    }


def agrees(value, reference):
    """Integers exactly (when both are integers), else to a relative RTOL."""
    value = np.asarray(value)
    if isinstance(reference, int) and value.dtype.kind in "iu":
        return int(value) == reference
    v, r = float(value), float(reference)
    return v == r or abs(v - r) <= RTOL * max(abs(r), 1e-300)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def loadavg():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def workload_a(backends, min_total):
    """Issue workload (a): mean |x - 50| over 100,000 random int32 in 0..100."""
    x = np.random.default_rng(7).integers(0, 101, 100_000, dtype=np.int32)
    xs = x.tolist()
    times = {}
    times["pure Python"], ref = median_time(lambda: sum(abs(v - 50) for v in xs) / len(xs),
                                            min_total, min_runs=3)
    times["NumPy"], r_np = median_time(lambda: np.abs(x - 50).mean(), min_total)
    ok = {"NumPy": float(r_np) == ref}
    for b in backends:
        with pc_backend.using(b):
            times[f"parchunk/{b}"], r = median_time(
                lambda: parchunk.mean_abs_dev(x, center=50), min_total)
        ok[f"parchunk/{b}"] = r == ref
    return {"times": times, "identical_to_pure_python": ok}


def per_call(backends, rounds=41, calls=2000):
    """Per-call cost at n = 1e3 float64 sum, measured apart from the big
    tables: np.sum and every parchunk backend take turns in rounds of `calls`
    calls (so drifting machine load hits all alike); the median round wins."""
    x = np.random.default_rng(3).random(1000)

    def timed(f):
        t0 = time.perf_counter()
        for _ in range(calls):
            f(x)
        return (time.perf_counter() - t0) / calls

    per = {"NumPy": []}
    per.update({f"parchunk/{b}": [] for b in backends})
    for _ in range(rounds):
        per["NumPy"].append(timed(np.sum))
        for b in backends:
            with pc_backend.using(b):
                per[f"parchunk/{b}"].append(timed(parchunk.sum))
    return {k: statistics.median(v) for k, v in per.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="sizes 1e3,1e5,1e6 (smoke test)")
    ap.add_argument("--sizes", default=None, help="comma-separated, default 1e3,1e5,1e7,1e8")
    ap.add_argument("--min-time", type=float, default=None,
                    help="seconds of timed calls per cell (default 0.3; quick 0.1)")
    ap.add_argument("--out", default=os.path.join(HERE, "..", "results", "core"),
                    help="output path without extension (.md and .json are written)")
    args = ap.parse_args()
    sizes = [int(float(s)) for s in (args.sizes or
                                     ("1e3,1e5,1e6" if args.quick else "1e3,1e5,1e7,1e8"))
             .split(",")]
    min_total = args.min_time if args.min_time is not None else (0.1 if args.quick else 0.3)
    nthreads = parchunk.get_num_threads()
    load_before = loadavg()
    rng = np.random.default_rng(1)

    versions = {"python": platform.python_version(), "numpy": np.__version__,
                "parchunk": parchunk.__version__}
    have_ne = True
    try:
        import numexpr
        numexpr.set_num_threads(nthreads)
        versions["numexpr"] = numexpr.__version__
    except ImportError:
        have_ne = False
    kernels = None
    try:
        import numba
        numba.set_num_threads(min(nthreads, numba.config.NUMBA_NUM_THREADS))
        versions["numba"] = numba.__version__
        kernels = make_numba()
    except ImportError:
        pass
    try:
        import cffi
        versions["cffi"] = cffi.__version__
    except ImportError:
        pass

    backends = [b for b in ("cffi", "ctypes") if pc_backend.available(b)]
    compile_times = {}
    results = []
    mismatches = []
    for dtype in ("float64", "int32"):
        for n in sizes:
            x = (rng.random(n) * 100.0 if dtype == "float64"
                 else rng.integers(0, 101, n, dtype=np.int32))
            peers = {"NumPy": numpy_fns(x)}
            if have_ne:
                peers["numexpr"] = numexpr_fns(x)
            if kernels is not None:
                fns = numba_fns(kernels, x)
                for op in OPS:
                    if (op, dtype) not in compile_times:
                        t0 = time.perf_counter()
                        fns[op]()
                        compile_times[(op, dtype)] = time.perf_counter() - t0
                peers["Numba prange"] = fns
            for op in OPS:
                row = {"dtype": dtype, "n": n, "op": op, "times": {}, "agree": {}}
                ref = None
                for b in backends:
                    with pc_backend.using(b):
                        t, r = median_time(parchunk_fns(x)[op], min_total)
                    row["times"][f"parchunk/{b}"] = t
                    ref = r if ref is None else ref
                for name, fns in peers.items():
                    try:
                        t, r = median_time(fns[op], min_total)
                    except Exception as exc:  # a peer that cannot do this op/dtype
                        row["times"][name] = None
                        row["agree"][name] = f"fails: {type(exc).__name__}"
                        continue
                    row["times"][name] = t
                    row["agree"][name] = bool(agrees(r, ref))
                    if not row["agree"][name]:
                        mismatches.append(f"{name} {op} {dtype} n={n}: {r!r} vs parchunk {ref!r}")
                results.append(row)
                print(f"{dtype:8} n={n:<8.0e} {op:13} " + "  ".join(
                    f"{k}={fmt(v) if v is not None else row['agree'][k]}"
                    for k, v in row["times"].items()), flush=True)
            del x, peers

    wa = workload_a(backends, min_total)
    pc = per_call(backends, rounds=11 if args.quick else 41)
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu_model(), "cores": os.cpu_count(), "threads": nthreads,
        "backends": backends, "versions": versions, "quick": args.quick,
        "min_time": min_total, "loadavg_before": load_before, "loadavg_after": loadavg(),
        "numba_compile_seconds": {f"{k[0]}/{k[1]}": v for k, v in compile_times.items()},
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"),
    }
    write(args.out, meta, results, backends, wa, mismatches, pc)
    # A peer's different result (e.g. numexpr's int32 sum wrapping) is listed
    # in the report, not a failure of this benchmark; parchunk's own results
    # are checked against NumPy in every cell above.
    return 0


def find(results, dtype, n, op):
    for r in results:
        if (r["dtype"], r["n"], r["op"]) == (dtype, n, op):
            return r["times"]
    return None


def targets(results, backends, wa, pc):
    """The issue's targets: (text, measured ratio or None, goal); goal > 0 means
    ratio >= goal, goal < 0 means ratio <= -goal."""
    main = f"parchunk/{backends[0]}"
    out = []
    t = find(results, "float64", 10**8, "sum")
    out.append(("sum, 1e8 float64: NumPy time / parchunk time",
                t and t["NumPy"] / t[main], 1.8))
    t = find(results, "float64", 10**8, "mean_abs_dev")
    out.append(("mean_abs_dev, 1e8 float64: np.abs(x - c).mean() / parchunk",
                t and t["NumPy"] / t[main], 10.0))
    out.append(("mean_abs_dev, 1e8 float64: Numba prange / parchunk",
                t["Numba prange"] / t[main] if t and t.get("Numba prange") else None, 1.0))
    w = wa["times"]
    out.append(("workload (a), 100k int32: NumPy / parchunk", w["NumPy"] / w[main], 5.0))
    out.append(("workload (a), 100k int32: pure Python / parchunk",
                w["pure Python"] / w[main], 300.0))
    if "cffi" in backends:
        out.append(("per-call cost, n = 1e3 float64 sum: parchunk (cffi) time / np.sum time",
                    pc["parchunk/cffi"] / pc["NumPy"], -1.5))  # negative: "at most"
    return out


def write(out, meta, results, backends, wa, mismatches, pc):
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tg = targets(results, backends, wa, pc)
    with open(out + ".json", "w") as f:
        json.dump({"meta": meta, "results": results, "workload_a": wa, "per_call": pc,
                   "targets": [{"what": a, "ratio": b, "goal": c} for a, b, c in tg],
                   "mismatches": mismatches}, f, indent=1)
    main_pc = f"parchunk/{backends[0]}"
    peers = [k for k in results[0]["times"] if not k.startswith("parchunk")]
    v = meta["versions"]
    lines = [
        "# parchunk core reductions vs NumPy, numexpr, Numba",
        "",
        f"{meta['date']}. Machine: {meta['cpu']}, {meta['cores']} cores; load average "
        f"{meta['loadavg_before']} before, {meta['loadavg_after']} after. parchunk "
        f"{v['parchunk']} with {meta['threads']} threads (OMP_WAIT_POLICY "
        f"{meta['omp_wait_policy']}); " + ", ".join(f"{k} {val}" for k, val in v.items()
                                                    if k != "parchunk") + ".",
        "",
        f"Median time per call (after a warm-up; at least 5 calls and {meta['min_time']} s "
        f"per cell); in brackets: peer time / parchunk ({backends[0]}) time, so > 1 means "
        f"parchunk is faster. numexpr and Numba use {meta['threads']} threads. "
        f"mean_abs_dev's NumPy peer is `np.abs(x - 50).mean()`.",
    ]
    if meta["quick"]:
        lines += ["", "**Quick mode (small sizes, short timings): a smoke test, not a result.**"]
    lines += [
        "",
        "| dtype | n | op | " + " | ".join(f"parchunk/{b}" for b in backends) + " | "
        + " | ".join(peers) + " |",
        "|---|---:|---|" + "---:|" * (len(backends) + len(peers)),
    ]
    for r in results:
        t = r["times"]
        cells = [fmt(t[f"parchunk/{b}"]) for b in backends]
        cells += [r["agree"][p] if t[p] is None else
                  f"{fmt(t[p])} ({t[p] / t[main_pc]:.2f}x)"
                  + ("" if r["agree"].get(p, True) else " DIFFERS") for p in peers]
        lines.append(f"| {r['dtype']} | {r['n']:.0e} | {r['op']} | " + " | ".join(cells) + " |")
    lines += ["", "Numba compile time (first call per signature, excluded above): "
              + ", ".join(f"{k} {s:.2f} s" for k, s in meta["numba_compile_seconds"].items())]
    w = wa["times"]
    lines += ["", "## Workload (a): mean |x - 50| of 100,000 random int32 in 0..100", "",
              "| method | time | pure Python / method | result identical to pure Python |",
              "|---|---:|---:|---|"]
    for name, t in w.items():
        same = wa["identical_to_pure_python"].get(name)
        lines.append(f"| {name} | {fmt(t)} | {w['pure Python'] / t:.1f}x | "
                     f"{'(reference)' if same is None else ('yes' if same else 'NO')} |")
    pc_at_1e3 = pc
    if pc_at_1e3:
        lines += ["", "## Per-call cost at n = 1e3 (float64 sum)", "",
                  "Measured apart: np.sum and each backend take turns in rounds of 2000 "
                  "calls; the median round's mean.", "",
                  "| | time per call | / np.sum |", "|---|---:|---:|"]
        for k in ["NumPy"] + [f"parchunk/{b}" for b in backends]:
            lines.append(f"| {k if k != 'NumPy' else 'np.sum'} | {fmt(pc_at_1e3[k])} | "
                         f"{pc_at_1e3[k] / pc_at_1e3['NumPy']:.2f}x |")
    lines += ["", "## Targets (issue 3)", "", "| target | measured | goal | |", "|---|---:|---:|---|"]
    for what, ratio, goal in tg:
        bound = f"<= {-goal:.3g}" if goal < 0 else f">= {goal:.3g}"
        if ratio is None:
            lines.append(f"| {what} | not measured (size not run) | {bound} | |")
        else:
            met = ratio <= -goal if goal < 0 else ratio >= goal
            lines.append(f"| {what} | {ratio:.2f} | {bound} | {'met' if met else 'MISSED'} |")
    if mismatches:
        lines += ["", "## Results that differ from parchunk's", ""] + [f"- {m}" for m in mismatches]
    with open(out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def fmt(t):
    if t < 1e-3:
        return f"{t * 1e6:.1f} us"
    if t < 1:
        return f"{t * 1e3:.2f} ms"
    return f"{t:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
