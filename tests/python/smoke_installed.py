#!/usr/bin/env python3
"""Smoke test of a pip-installed parchunk (no pytest, no NumPy needed).

Run it with the venv's python from outside the source tree and without
PARCHUNK_LIBRARY: the package must come from site-packages and load the
libparchunk.so bundled next to its __init__.py. Checks both backends when
cffi is installed, else ctypes only. Exit status 0 = pass.
"""
import array
import math
import os
import sys


def main() -> int:
    if os.environ.get("PARCHUNK_LIBRARY"):
        print("unset PARCHUNK_LIBRARY: this checks the bundled library", file=sys.stderr)
        return 2
    import parchunk
    from parchunk import _core

    pkg = os.path.dirname(os.path.abspath(parchunk.__file__))
    assert "site-packages" in pkg or "dist-packages" in pkg, f"not installed: {pkg}"
    assert os.path.dirname(os.path.realpath(parchunk.library_path())) == os.path.realpath(pkg), \
        f"library {parchunk.library_path()} is not the bundled one in {pkg}"
    assert os.path.exists(os.path.join(pkg, "py.typed"))
    assert parchunk.library_version() == parchunk.__version__

    try:
        import cffi  # noqa: F401
        names = ["cffi", "ctypes"]
    except ImportError:
        names = ["ctypes"]
    for name in names:
        _core._set_backend(name)
        assert parchunk.backend == name
        ints = array.array("q", range(-1000, 100_001))
        assert parchunk.sum(ints) == sum(ints)
        assert parchunk.sum(array.array("q", [2**63 - 1] * 4)) == 4 * (2**63 - 1)
        assert parchunk.min(ints) == -1000 and parchunk.max(ints) == 100_000
        floats = array.array("d", [i * 0.25 for i in range(200_001)])
        assert math.isclose(parchunk.sum(floats), math.fsum(floats), rel_tol=1e-13)
        assert math.isclose(parchunk.mean(floats), math.fsum(floats) / len(floats), rel_tol=1e-13)
        mad = math.fsum(abs(v - 7.0) for v in floats) / len(floats)
        assert math.isclose(parchunk.mean_abs_dev(floats, 7.0), mad, rel_tol=1e-12)
        assert parchunk.sum(b"\xff" * 1000) == 255_000          # read-only bytes
        assert parchunk.sum([1, 2, 3], nthreads=2) == 6
        for f, arg, exc in ((parchunk.mean, b"", ValueError), (parchunk.sum, "x", TypeError)):
            try:
                f(arg)
            except exc as e:
                assert isinstance(e, parchunk.Error)
            else:
                raise AssertionError(f"{f.__name__}({arg!r}) did not raise")
        print(f"smoke_installed: {name} ok ({parchunk.library_path()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
