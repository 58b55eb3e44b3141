"""Benchmark: parchunk's file kernels against wc, zlib, NumPy and pandas.

    python bench/python/bench_files.py [--rows 10000000] [--dir /tmp] [--out bench/results/files]

All peers are measured in the same run on the same files, each timing the
median of 3 calls after a warm-up read that puts the file in the page cache:

  count_lines  on a 1 GiB text file   vs `wc -l`
  crc32        on the same file       vs zlib.crc32 streaming the file (1 MiB reads)
  crc32        on 256 MiB in memory   vs zlib.crc32(bytes)
  read_numbers on rows x 4 float64 CSV vs numpy.loadtxt and pandas.read_csv
  RSS growth   while count_lines and crc32 scan a sparse 4 GiB + 4 KiB file

Uses parchunk.file when the package is importable, else a minimal ctypes
shim over $PARCHUNK_LIBRARY (default build/libparchunk.so). Writes a
Markdown table (<out>.md) and the raw numbers (<out>.json).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import zlib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class _TableOwner:
    def __init__(self, lib, tab):
        self.lib, self.tab = lib, tab

    def __del__(self):
        self.lib.parchunk_table_free(self.tab)


class CtypesShim:
    """The five calls the benchmark needs, straight from the C library."""

    def __init__(self, path):
        self.lib = lib = ctypes.CDLL(path)
        lib.parchunk_table_data.restype = ctypes.c_void_p
        lib.parchunk_table_rows.restype = ctypes.c_size_t
        lib.parchunk_table_cols.restype = ctypes.c_size_t
        lib.parchunk_table_free.argtypes = [ctypes.c_void_p]
        for name in ("parchunk_table_data", "parchunk_table_rows", "parchunk_table_cols"):
            getattr(lib, name).argtypes = [ctypes.c_void_p]

    def _check(self, st):
        if st != 0:
            raise RuntimeError(f"parchunk status {st}")

    def count_lines(self, src):
        out = ctypes.c_uint64()
        if isinstance(src, (bytes, bytearray)):
            self._check(self.lib.parchunk_bytes_count_lines(None, bytes(src), ctypes.c_size_t(len(src)), ctypes.byref(out)))
        else:
            self._check(self.lib.parchunk_file_count_lines(None, os.fsencode(src), ctypes.byref(out)))
        return out.value

    def crc32(self, src, value=0):
        out = ctypes.c_uint32()
        if isinstance(src, (bytes, bytearray, memoryview)):
            buf = (ctypes.c_char * len(src)).from_buffer_copy(src) if not isinstance(src, bytes) else src
            self._check(self.lib.parchunk_bytes_crc32(None, buf, ctypes.c_size_t(len(src)), ctypes.c_uint32(value), ctypes.byref(out)))
        else:
            self._check(self.lib.parchunk_file_crc32(None, os.fsencode(src), ctypes.c_uint32(value), ctypes.byref(out)))
        return out.value

    def read_numbers(self, src, delimiter=","):
        tab = ctypes.c_void_p()
        self._check(self.lib.parchunk_file_read_numbers(
            None, os.fsencode(src), ord(delimiter), ctypes.c_size_t(0), None, ctypes.c_size_t(0), -1, 9,
            ctypes.byref(tab)))
        rows, cols = self.lib.parchunk_table_rows(tab), self.lib.parchunk_table_cols(tab)
        if rows * cols == 0:
            self.lib.parchunk_table_free(tab)
            return np.empty((rows, cols))
        # Zero-copy, as parchunk.file does: the array owns the table.
        buf = (ctypes.c_double * (rows * cols)).from_address(self.lib.parchunk_table_data(tab))
        buf._owner = _TableOwner(self.lib, tab)
        return np.frombuffer(buf, dtype=np.float64).reshape(rows, cols)


def load_impl():
    try:
        import parchunk.file as pf  # noqa: F401
        return pf, "parchunk.file"
    except Exception:
        path = os.environ.get("PARCHUNK_LIBRARY", os.path.join(ROOT, "build", "libparchunk.so"))
        return CtypesShim(path), f"ctypes shim over {path}"


def median3(fn, runs=3):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def make_text(path, size):
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    rng = np.random.default_rng(1)
    block = 1 << 26
    with open(path, "wb") as f:
        for _ in range(size // block):
            a = rng.integers(32, 127, size=block, dtype=np.uint8)
            a[rng.integers(0, block, size=block // 64)] = 10
            f.write(a.tobytes())


def make_csv(path, rows):
    """rows x 4 float64 as %.10g; a 1e6-row block repeated (parsing cost is per value)."""
    if os.path.exists(path):
        return
    import pandas as pd
    block_rows = min(rows, 1_000_000)
    rng = np.random.default_rng(2)
    a = rng.standard_normal((block_rows, 4)) * rng.choice([1.0, 100.0, 1e-3], size=(block_rows, 4))
    block = pd.DataFrame(a).to_csv(header=False, index=False, float_format="%.10g").encode()
    with open(path + ".tmp", "wb") as f:
        for _ in range(rows // block_rows):
            f.write(block)
    os.replace(path + ".tmp", path)


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def zlib_file_crc(path):
    crc = 0
    with open(path, "rb", buffering=0) as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return crc
            crc = zlib.crc32(b, crc)


RSS_CHILD = r"""
import os, sys, resource
sys.path.insert(0, {bench_dir!r})
import bench_files
impl, _ = bench_files.load_impl()
def hwm():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1])
impl.count_lines({tiny!r})  # loads everything, starts the thread pool
before = hwm()
n = impl.count_lines({path!r})
c = impl.crc32({path!r})
after = hwm()
print(before, after, n, c)
"""


def rss_growth(tmpdir):
    path = os.path.join(tmpdir, "pc_bench_sparse.bin")
    tiny = os.path.join(tmpdir, "pc_bench_tiny.txt")
    with open(tiny, "wb") as f:
        f.write(b"a\nb\n")
    size = (1 << 32) + 4097
    with open(path, "wb") as f:
        f.truncate(size)
        for off in (0, (1 << 32) - 1, 1 << 32, size - 1):
            f.seek(off)
            f.write(b"\n")
    code = RSS_CHILD.format(bench_dir=os.path.dirname(os.path.abspath(__file__)), tiny=tiny, path=path)
    try:
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    finally:
        os.unlink(path)
        os.unlink(tiny)
    before, after, n, c = (int(x) for x in out)
    return {"hwm_before_kib": before, "hwm_after_kib": after, "growth_mib": (after - before) / 1024,
            "lines": n, "crc32": c}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", default=os.environ.get("TMPDIR", "/tmp"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "files"))
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--text-mib", type=int, default=1024,
                    help="size of the count_lines/crc32 text file in MiB (default 1024; "
                         "smaller for a quick smoke test)")
    ap.add_argument("--only-numbers", action="store_true",
                    help="run only the read_numbers cases (no count_lines, crc32, RSS)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per case (median; default 3)")
    args = ap.parse_args()
    global median3
    _median = median3
    median3 = lambda fn: _median(fn, runs=args.runs)  # noqa: E731
    impl, impl_name = load_impl()
    res = {"machine": platform.machine(), "cpus": os.cpu_count(), "impl": impl_name,
           "python": platform.python_version(), "numpy": np.__version__, "rows": args.rows}
    rows = []

    if not args.only_numbers:
        bench_scans(args, impl, rows)
    csv_rows(args, impl, rows)
    if args.only_numbers:
        rss = {"growth_mib": float("nan"), "lines": 0, "crc32": 0}
    else:
        rss = rss_growth(args.dir)
    report(args, res, rows, rss, impl_name)


def bench_scans(args, impl, rows):
    text = os.path.join(args.dir, f"pc_bench_text_{args.text_mib}m.txt")
    make_text(text, args.text_mib << 20)
    size_label = "1 GiB" if args.text_mib == 1024 else f"{args.text_mib} MiB"
    warm(text)
    wc = int(subprocess.run(["wc", "-l", text], capture_output=True, text=True).stdout.split()[0])
    assert impl.count_lines(text) == wc
    t_pc = median3(lambda: impl.count_lines(text))
    t_wc = median3(lambda: subprocess.run(["wc", "-l", text], check=True, capture_output=True))
    rows.append((f"count_lines, {size_label} file", "wc -l", t_pc, t_wc, 1.5))

    assert impl.crc32(text) == zlib_file_crc(text)
    t_pc = median3(lambda: impl.crc32(text))
    t_z = median3(lambda: zlib_file_crc(text))
    rows.append((f"crc32, {size_label} file", "zlib.crc32 (file, 1 MiB reads)", t_pc, t_z, 2.0))

    with open(text, "rb") as f:
        mem = f.read(min(1 << 28, args.text_mib << 20))
    assert impl.crc32(mem) == zlib.crc32(mem)
    t_pc = median3(lambda: impl.crc32(mem))
    t_z = median3(lambda: zlib.crc32(mem))
    rows.append((f"crc32, {len(mem) >> 20} MiB bytes", "zlib.crc32 (bytes)", t_pc, t_z, 2.0))
    del mem
    if not args.keep:
        os.unlink(text)


def csv_rows(args, impl, rows):
    csv = os.path.join(args.dir, f"pc_bench_nums_{args.rows}.csv")
    make_csv(csv, args.rows)
    warm(csv)
    import pandas as pd
    ours = impl.read_numbers(csv, delimiter=",")
    theirs = pd.read_csv(csv, header=None, dtype=np.float64).to_numpy()
    assert np.array_equal(ours, theirs), "parchunk and pandas disagree"
    del ours, theirs
    t_pc = median3(lambda: impl.read_numbers(csv, delimiter=","))
    t_pd = median3(lambda: pd.read_csv(csv, header=None, dtype=np.float64).to_numpy())
    t_np = median3(lambda: np.loadtxt(csv, delimiter=","))
    label = f"read_numbers, {args.rows:.0e} x 4 float64 ({os.path.getsize(csv) / 2**20:.0f} MiB)"
    rows.append((label, "numpy.loadtxt", t_pc, t_np, 10.0))
    rows.append((label, "pandas.read_csv", t_pc, t_pd, 2.0))
    if not args.keep:
        os.unlink(csv)


def report(args, res, rows, rss, impl_name):
    import pandas as pd
    res["rss"] = rss
    res["rows_measured"] = [dict(zip(("case", "peer", "parchunk_s", "peer_s", "target"), r)) for r in rows]

    lines = ["# parchunk file kernels vs peers", "",
             f"{res['machine']}, {res['cpus']} CPUs, Python {res['python']}, NumPy {res['numpy']}, "
             f"pandas {pd.__version__}; parchunk via {impl_name}, default threads and chunk size. "
             f"Median of {args.runs} after a warm-up, files in the page cache.", "",
             "| case | peer | parchunk | peer | speed-up | target |",
             "|---|---|---:|---:|---:|---:|"]
    for case, peer, a, b, target in rows:
        ok = "ok" if b / a >= target else "MISSED"
        lines.append(f"| {case} | {peer} | {a * 1e3:.1f} ms | {b * 1e3:.1f} ms | {b / a:.2f}x | "
                     f">= {target}x {ok} |")
    if args.only_numbers:
        lines.append("")
    else:
        lines += ["", f"RSS growth (VmHWM) while count_lines and crc32 scan a sparse 4 GiB + 4 KiB file: "
              f"{rss['growth_mib']:.1f} MiB (target <= 64 MiB; lines = {rss['lines']}, "
              f"crc32 = {rss['crc32']:#010x})", ""]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out + ".md", "w") as f:
        f.write("\n".join(lines))
    with open(args.out + ".json", "w") as f:
        json.dump(res, f, indent=1)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
