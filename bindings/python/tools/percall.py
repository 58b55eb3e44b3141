#!/usr/bin/env python3
"""Per-call cost of parchunk at n = 1000 vs NumPy (not a test; a quick check).

Measures CPU time of the calling thread (time.thread_time) in batches,
interleaving parchunk and NumPy, and keeps the best batch of each: robust on a
busy machine, where wall-clock numbers swing by 3x. Small calls never enter a
parallel region, so the calling thread's CPU time is the whole cost.

    PARCHUNK_BACKEND=cffi python bindings/python/tools/percall.py
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

import parchunk  # noqa: E402


def batch(f, k=2000):
    t = time.thread_time()
    for _ in range(k):
        f()
    return (time.thread_time() - t) / k * 1e6


def main(n=1000, rounds=40):
    x = np.random.default_rng(0).random(n)
    xi = np.arange(n, dtype=np.int64)
    cases = [("sum f64", lambda: parchunk.sum(x), lambda: np.sum(x)),
             ("sum i64", lambda: parchunk.sum(xi), lambda: np.sum(xi)),
             ("min f64", lambda: parchunk.min(x), lambda: np.min(x)),
             ("max f64", lambda: parchunk.max(x), lambda: np.max(x)),
             ("mean f64", lambda: parchunk.mean(x), lambda: np.mean(x)),
             ("mad f64", lambda: parchunk.mean_abs_dev(x, 0.5), lambda: np.abs(x - 0.5).mean())]
    print(f"backend {parchunk.backend}, n = {n}, best of {rounds} batches (thread CPU time)")
    for name, f, ref in cases:
        a = b = float("inf")
        for _ in range(rounds):
            a = min(a, batch(f))
            b = min(b, batch(ref))
        print(f"  {name:9s} parchunk {a:6.2f} us   numpy {b:6.2f} us   ratio {a / b:4.2f}")


if __name__ == "__main__":
    main()
