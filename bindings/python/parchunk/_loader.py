"""Find libparchunk.

Order (the first that loads wins; the current directory is never searched):

1. ``$PARCHUNK_LIBRARY`` -- a full path to the shared library. When it is set,
   it must work: a bad value is an error, not a silent fallback.
2. The copy bundled inside the package (``pip install ./bindings/python``).
3. The build tree of a source checkout: ``<repo>/build/libparchunk.so``.
4. The system: ``ctypes.util.find_library("parchunk")``.

Failures are gathered into one OSError that lists every place tried and why.
"""
from __future__ import annotations

import ctypes.util
import os
import sys
from typing import Callable, List, Tuple

PKG_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.normpath(os.path.join(PKG_DIR, "..", "..", ".."))

if sys.platform == "darwin":
    _NAMES = ["libparchunk.dylib"]
elif sys.platform == "win32":
    _NAMES = ["parchunk.dll", "libparchunk.dll"]
else:
    _NAMES = ["libparchunk.so", "libparchunk.so.0"]


def candidates() -> List[Tuple[str, str]]:
    """(where, path) pairs in search order; path is "" when nothing exists there."""
    out: List[Tuple[str, str]] = []
    env = os.environ.get("PARCHUNK_LIBRARY")
    if env is not None:
        out.append(("$PARCHUNK_LIBRARY", env))
        return out
    for name in _NAMES:
        out.append(("bundled", os.path.join(PKG_DIR, name)))
    for name in _NAMES:
        out.append(("build tree", os.path.join(REPO_DIR, "build", name)))
    found = ctypes.util.find_library("parchunk")
    out.append(("system", found or ""))
    return out


def load(opener: Callable[[str], object], check_abi: Callable[[object], int], abi: int):
    """Open the library with ``opener(path)``; return (handle, path).

    check_abi(handle) returns the library's ABI version. Raises OSError listing
    every candidate and the reason it was rejected.
    """
    tried: List[str] = []
    for where, path in candidates():
        if not path:
            tried.append(f"  {where}: not found by ctypes.util.find_library('parchunk')")
            continue
        if where == "$PARCHUNK_LIBRARY" and not os.path.isabs(path):
            tried.append(f"  {where}={path!r}: not an absolute path (relative paths and the "
                         "current directory are never searched)")
            continue
        if where in ("bundled", "build tree") and not os.path.exists(path):
            tried.append(f"  {where}: {path}: no such file")
            continue
        # A bare name from find_library is resolved by the dynamic loader's own
        # search path (ld.so.cache, LD_LIBRARY_PATH), never the current directory.
        try:
            handle = opener(path)
        except Exception as exc:  # OSError (ctypes) or cffi's OSError/ffi.error
            tried.append(f"  {where}: {path}: {exc}")
            continue
        try:
            got = check_abi(handle)
        except Exception as exc:
            tried.append(f"  {where}: {path}: parchunk_abi_version() failed: {exc}")
            continue
        if got != abi:
            tried.append(f"  {where}: {path}: ABI version {got}, these bindings need {abi}")
            continue
        return handle, path
    raise OSError("cannot load libparchunk; tried:\n" + "\n".join(tried) +
                  "\nBuild it (cmake -S . -B build && cmake --build build), install the "
                  "package with pip, or set PARCHUNK_LIBRARY to the full path of libparchunk.so")
