"""Adversarial inputs across the whole public API: every bad input gets a
precise exception naming the argument -- never a crash, a hang, a silent
wrong answer or a partial write. Results that are returned are checked
against NumPy / the stdlib.

Cases already covered elsewhere (test_inputs: unsupported formats and
non-arrays for sum; test_file: OS errors; test_image / test_logreg /
test_random: the per-module bad arguments) are not repeated here; this file
runs the same attacks over *every* function and covers what was missing.
"""
import array
import math
import os
import struct
import subprocess
import sys
import textwrap

import pytest

import parchunk
from parchunk import file as pfile
from parchunk import image, logreg
from parchunk import random as prandom

HERE = os.path.dirname(os.path.abspath(__file__))
THREADS_MAX = parchunk._decls.ENUMS["PARCHUNK_THREADS_MAX"]
NO_NUMPY = os.environ.get("PARCHUNK_TEST_NO_NUMPY") == "1"


# ------------------------------------------------- the GC crash (cffi) ----

_GC_SCRIPT = textwrap.dedent("""
    import array, gc, os, sys
    sys.path.insert(0, {bindings!r})
    import parchunk
    from parchunk import _core, file, image, logreg, random
    _core._set_backend({backend!r})
    ok = []

    def keep(fn):
        # `except ... as e: err = e` keeps the traceback, whose frames hold
        # parchunk's inputs (memoryviews, C pointers): frame -> err -> frame.
        try:
            fn()
        except Exception as e:
            err = e
        else:
            raise SystemExit("no exception: " + repr(fn))

    x = array.array("d", range(10))
    mv = memoryview(bytearray(80)).cast("d")
    state = parchunk.partial("sum", x)
    cases = [
        lambda: parchunk.var(x, ddof=10),
        lambda: parchunk.var(mv, ddof=10),
        lambda: parchunk.sum(mv[2:], nthreads=0),
        lambda: parchunk.sort(x, out=mv[:9]),
        lambda: parchunk.cumsum(mv, out=mv[::2]),
        lambda: parchunk.finalize(memoryview(state)[:-1]),
        lambda: parchunk.sum_exact_finalize(memoryview(bytes(552))),
        lambda: file.count(memoryview(b"abc")[1:], b""),
        lambda: file.read_numbers(memoryview(b"1,2\\n3\\n")),
        lambda: image.to_grayscale(memoryview(bytes(12)), shape=(2, 2, 3), nthreads=0),
        lambda: random.uniform(10, seed=1, out=mv, low=2, high=1),
        lambda: logreg.fit(memoryview(bytearray(48)).cast("d", (6, 1)), [1.0] * 6,
                           iterations=2**64),
    ]
    try:
        import numpy as np
    except ImportError:
        np = None
    if np is not None and not {no_numpy}:
        X = np.ones((6, 3))
        cases += [
            lambda: parchunk.var(np.arange(5.0)[::-1], ddof=9),
            lambda: parchunk.sort(np.arange(5.0), out=np.empty(4)),
            lambda: logreg.fit(X, np.ones(6), iterations=2**64),
        ]
    for i, case in enumerate(cases):
        keep(case)
        gc.collect()
        ok.append(i)
    print("survived", len(ok))
""")


def test_errors_kept_in_reference_cycles_do_not_crash_the_gc(backend):
    """Regression: with the cffi backend, an exception kept in a reference
    cycle (`except E as e: err = e`) crashed CPython's garbage collector
    (a memoryview with a live from_buffer export cleared by the GC;
    Objects/memoryobject.c, _memory_release on a NULL managed buffer).
    Each case runs in a child process so that a crash is a failure here."""
    script = _GC_SCRIPT.format(bindings=os.path.join(HERE, "..", "..", "bindings", "python"),
                               backend=backend, no_numpy=NO_NUMPY)
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-X", "faulthandler", "-c", script], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "survived" in proc.stdout
