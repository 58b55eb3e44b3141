#!/usr/bin/env python3
"""tests/fuzz/abi_smoke.py - call every exported parchunk_* function through
cffi with NULL pointers, unknown enum values (99, -1), huge and negative
sizes, NaN doubles, and small real buffers, each in a child process, and
report any call that dies instead of returning a status.

    python tests/fuzz/abi_smoke.py /abs/path/libparchunk.so
    # under ASan (build-asan, see BRIEF/CONTRIBUTING):
    LD_PRELOAD=$(gcc -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0 \\
        python tests/fuzz/abi_smoke.py $PWD/build-asan/libparchunk.so

Exit status 1 when a call crashed. Not part of ctest/pytest (about 300
child processes, a minute or two).
"""
import os
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BINDINGS = os.path.join(ROOT, "bindings", "python")
sys.path.insert(0, BINDINGS)
from parchunk import _decls  # noqa: E402

# Functions whose pointer arguments must come from the library itself.
SKIP = {"parchunk_ctx_free", "parchunk_table_free", "parchunk_table_data", "parchunk_table_rows",
        "parchunk_table_cols", "parchunk_table_dtype"}
# Variants: 0 all NULL / zero; 1 NULL pointers, enums 99, sizes 2^62, NaN;
# 2 real 4096-element buffers, sizes 3; 3 NULL pointers, enums -1, sizes max.
CHILD = r'''
import sys, cffi
sys.path.insert(0, sys.argv[4])
from parchunk import _decls
ffi = cffi.FFI(); ffi.cdef(_decls.CDEF); lib = ffi.dlopen(sys.argv[1])
name = sys.argv[2]; variant = int(sys.argv[3])
ret, args = _decls.FUNCTIONS[name]
vals, keep = [], []
OPAQUE = ("void", "parchunk_table", "parchunk_ctx *", "parchunk_table *")
for a in args:
    if "*" in a:
        base = a.replace("const ", "").strip()[:-1].strip()
        if variant == 2 and base not in ("parchunk_ctx", "parchunk_ctx *"):
            if base in OPAQUE:
                keep.append(ffi.new("char[65536]"))
                vals.append(ffi.cast(a, keep[-1]))
            else:
                vals.append(ffi.new(base + "[4096]"))
        else:
            vals.append(ffi.NULL)
    elif a in ("double", "float"):
        vals.append(float("nan") if variant else 0.0)
    else:
        t = ffi.typeof(a)
        unsigned = a in ("size_t", "uint64_t", "uint32_t", "unsigned int", "uint8_t")
        if t.kind == "enum":
            vals.append({1: 99, 3: -1}.get(variant, 0))
        elif unsigned:
            top = 2**64 - 1 if a in ("size_t", "uint64_t") else 7
            vals.append({1: 1 << 30 if a == "uint32_t" else 1 << 62, 2: 3, 3: top}.get(variant, 0))
        else:
            vals.append({1: 5, 2: 3, 3: -1}.get(variant, 0))
getattr(lib, name)(*vals)
'''


def main() -> int:
    lib = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else \
        os.path.join(ROOT, "build", "libparchunk.so")
    env = dict(os.environ, OMP_WAIT_POLICY="passive")
    crashes = calls = 0
    for name in _decls.FUNCTIONS:
        if name in SKIP:
            continue
        for variant in range(4):
            calls += 1
            p = subprocess.run([sys.executable, "-c", CHILD, lib, name, str(variant), BINDINGS],
                               capture_output=True, text=True, timeout=300, env=env)
            if p.returncode != 0 and "OverflowError" not in p.stderr:  # cffi range checks
                crashes += 1
                lines = [ln for ln in p.stderr.splitlines() if "ERROR" in ln or "#0" in ln]
                print(f"CRASH {name} variant {variant}: status {p.returncode} {lines[:2]}")
    print(f"{calls} calls, {crashes} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
