"""pytest configuration for the parchunk Python suite.

- Imports parchunk from the source tree (bindings/python) unless
  PARCHUNK_TEST_INSTALLED=1 (then the installed package is tested).
- PARCHUNK_TEST_NO_NUMPY=1: numpy is made unimportable (a meta-path finder)
  before parchunk is imported; tests that need numpy skip (fixture `np`).
- Every test runs once per backend (autouse fixture `backend`): cffi (when
  importable) and ctypes, switched in-process with parchunk._core._set_backend.
  PARCHUNK_BACKEND=cffi|ctypes restricts the run to that backend.
"""
from __future__ import annotations

import importlib.abc
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
BINDINGS = os.path.join(REPO, "bindings", "python")

NO_NUMPY = os.environ.get("PARCHUNK_TEST_NO_NUMPY") == "1"


class _BlockNumpy(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname == "numpy" or fullname.startswith("numpy."):
            raise ImportError(f"numpy is blocked (PARCHUNK_TEST_NO_NUMPY=1): {fullname}")
        return None


if NO_NUMPY:
    for mod in [m for m in sys.modules if m == "numpy" or m.startswith("numpy.")]:
        del sys.modules[mod]
    sys.meta_path.insert(0, _BlockNumpy())

if os.environ.get("PARCHUNK_TEST_INSTALLED") != "1":
    sys.path.insert(0, BINDINGS)

import parchunk  # noqa: E402
from parchunk import _core  # noqa: E402

try:
    import numpy as _numpy  # noqa: E402
except ImportError:
    _numpy = None

try:
    import cffi  # noqa: F401,E402
    HAVE_CFFI = True
except ImportError:
    HAVE_CFFI = False


def _backend_names():
    env = os.environ.get("PARCHUNK_BACKEND", "auto")
    if env in ("cffi", "ctypes"):
        return [env]
    return (["cffi"] if HAVE_CFFI else []) + ["ctypes"]


BACKENDS = _backend_names()


@pytest.fixture(params=BACKENDS, autouse=True)
def backend(request):
    """Run the test with the given backend active; restore afterwards."""
    previous = _core.backend().name
    _core._set_backend(request.param)
    try:
        yield request.param
    finally:
        _core._set_backend(previous)


@pytest.fixture
def np():
    if _numpy is None:
        pytest.skip("numpy is not available")
    return _numpy


def pytest_report_header(config):
    return (f"parchunk {parchunk.__version__} from {os.path.dirname(parchunk.__file__)}; "
            f"library {parchunk.library_path()}; backends {BACKENDS}; "
            f"numpy {'blocked/absent' if _numpy is None else _numpy.__version__}")
