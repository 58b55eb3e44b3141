"""Benchmark: parchunk's statistics against NumPy (and numexpr / Numba where
they have the operation), measured side by side in one run.

    python bench/python/bench_stats.py [--n 100000000] [--runs 5] [--out bench/results/stats]

float64 input of n elements (default 1e8 = 800 MB; NumPy's var needs as much
again for its temporary x - mean). Each row: the median of --runs timed calls
after one warm-up; parchunk is timed once per backend (cffi, ctypes: the
package's public functions, as users call them); ratio = peer time /
parchunk time of the first backend (> 1: parchunk faster). Also prints the
relative difference of the results. Writes <out>.md and <out>.json. Uses
the parchunk package from bindings/python (libparchunk found as usual:
$PARCHUNK_LIBRARY or build/).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..", "bindings", "python")))

import parchunk  # noqa: E402
from parchunk import _backend as pc_backend  # noqa: E402


def median_time(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def rel_diff(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.maximum(np.abs(b), 1e-300)
    return float(np.max(np.abs(a - b) / scale))


def rows(x, y, x2d):
    """(name, parchunk fn, [(peer name, peer fn)])"""
    out = [
        ("var", lambda: parchunk.var(x), [("numpy", lambda: np.var(x))]),
        ("std(ddof=1)", lambda: parchunk.std(x, ddof=1), [("numpy", lambda: np.std(x, ddof=1))]),
        ("stats (count,sum,mean,var,min,max)", lambda: parchunk.stats(x),
         [("numpy (4 calls)", lambda: (x.sum(), x.mean(), np.var(x), x.min(), x.max()))]),
        ("argmax", lambda: parchunk.argmax(x), [("numpy", lambda: np.argmax(x))]),
        ("argmin", lambda: parchunk.argmin(x), [("numpy", lambda: np.argmin(x))]),
        ("dot", lambda: parchunk.dot(x, y), [("numpy (OpenBLAS)", lambda: np.dot(x, y))]),
        ("count_nonzero", lambda: parchunk.count_nonzero(x),
         [("numpy", lambda: np.count_nonzero(x))]),
        ("nanmean (skipna)", lambda: parchunk.mean(x, skipna=True),
         [("numpy", lambda: np.nanmean(x))]),
        ("nanvar (skipna)", lambda: parchunk.var(x, skipna=True),
         [("numpy", lambda: np.nanvar(x))]),
        ("sum axis=0 of (n/1000, 1000)", lambda: parchunk.sum(x2d, axis=0),
         [("numpy", lambda: x2d.sum(axis=0))]),
        ("var axis=1 of (n/1000, 1000)", lambda: parchunk.var(x2d, axis=1),
         [("numpy", lambda: x2d.var(axis=1))]),
    ]
    try:
        import numexpr as ne
        out[5][2].append(("numexpr", lambda: ne.evaluate("sum(x * y)", local_dict={"x": x, "y": y})))
    except ImportError:
        pass
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=float, default=1e8)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "results", "stats"))
    args = ap.parse_args()
    n = int(args.n) // 1000 * 1000
    rng = np.random.default_rng(0)
    x = 1e3 + rng.standard_normal(n)  # an offset: what naive var formulas get wrong
    y = rng.standard_normal(n)
    x2d = x.reshape(n // 1000, 1000)

    backends = [b for b in ("cffi", "ctypes") if pc_backend.available(b)]
    results = []
    for name, pc_fn, peers in rows(x, y, x2d):
        t_backends = {}
        for b in backends:
            with pc_backend.using(b):
                t_backends[b] = median_time(pc_fn, args.runs)
                v_pc = pc_fn()
        t_pc = t_backends[backends[0]]
        for peer, fn in peers:
            t_peer = median_time(fn, args.runs)
            v_peer = fn()
            diff = rel_diff(v_pc[3] if name.startswith("stats") else v_pc,
                            np.var(x) if name.startswith("stats") else v_peer)
            results.append({"op": name, "peer": peer, "parchunk_ms": t_pc * 1e3,
                            "backend_ms": {b: t * 1e3 for b, t in t_backends.items()},
                            "peer_ms": t_peer * 1e3, "ratio": t_peer / t_pc,
                            "rel_diff": diff})
            per_backend = "  ".join(f"{b} {t * 1e3:8.2f}" for b, t in t_backends.items())
            print(f"{name:38s} parchunk {per_backend} ms  {peer:18s} {t_peer * 1e3:9.2f} ms"
                  f"  x{t_peer / t_pc:5.2f}  rel.diff {diff:.1e}", flush=True)

    meta = {"n": n, "runs": args.runs, "threads": parchunk.get_num_threads(),
            "cpus": os.cpu_count(), "machine": platform.processor() or platform.machine(),
            "python": platform.python_version(), "numpy": np.__version__,
            "backends": backends}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out + ".json", "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    with open(args.out + ".md", "w") as f:
        f.write(f"# Statistics benchmark\n\nn = {n:,} float64 (x = 1e3 + N(0,1)), median of "
                f"{args.runs} runs after a warm-up, {meta['threads']} parchunk threads on "
                f"{meta['cpus']} CPUs, Python {meta['python']}, NumPy {meta['numpy']}, "
                f"backends {', '.join(backends)}.\nratio = peer time / parchunk "
                f"({backends[0]}) time.\n\n")
        heads = " | ".join(f"parchunk/{b} ms" for b in backends)
        f.write(f"| op | {heads} | peer | peer ms | ratio | rel. diff |\n")
        f.write("|---|" + "---:|" * len(backends) + "---|---:|---:|---:|\n")
        for r in results:
            cells = " | ".join(f"{r['backend_ms'][b]:.2f}" for b in backends)
            f.write(f"| {r['op']} | {cells} | {r['peer']} | {r['peer_ms']:.2f} |"
                    f" {r['ratio']:.2f} | {r['rel_diff']:.1e} |\n")
    print(f"wrote {args.out}.md")


if __name__ == "__main__":
    main()
