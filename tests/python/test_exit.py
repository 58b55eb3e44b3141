"""The interpreter exits cleanly right after a parallel call.

Regression: the cffi backend's library handle was dlclose()d at exit, which
unloaded libgomp while OpenMP workers were still spinning (OMP_WAIT_POLICY=
active) -> SIGSEGV after the program had finished.
"""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import BINDINGS

CODE = """
import array, parchunk
x = array.array('d', [1.0]) * 1_000_000      # far above the serial cutoff
for _ in range(20):
    assert parchunk.sum(x, nthreads=2) == 1e6
"""


def test_exit_right_after_parallel_call(backend):
    env = dict(os.environ, OMP_WAIT_POLICY="active", PARCHUNK_BACKEND=backend)
    if os.environ.get("PARCHUNK_TEST_INSTALLED") != "1":
        env["PYTHONPATH"] = BINDINGS + os.pathsep + os.environ.get("PYTHONPATH", "")
    for _ in range(3):
        r = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
