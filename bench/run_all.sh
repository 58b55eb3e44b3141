#!/usr/bin/env bash
# run_all.sh - run every benchmark (bench/python/bench_*.py and the C bench),
# each writing bench/results/<name>.md (+ .json where the script writes one),
# with the machine, the load average before/after, the versions and the date
# appended to every result file.
#
#   bench/run_all.sh [--quick] [--only NAME[,NAME...]] [--out DIR] [--no-bootstrap] [--list]
#
#   --quick         small sizes and few runs: a smoke test that every benchmark
#                   runs. Its numbers are not results: it writes to
#                   /tmp/parchunk-bench-quick unless --out is given, and refuses
#                   to write into bench/results.
#   --only a,b      run only these benchmarks (see --list for the names)
#   --out DIR       where to write <name>.md / .json / .log (default bench/results)
#   --no-bootstrap  do not run scripts/bootstrap.sh bench (use $PYTHON, or .venv,
#                   and the existing build/)
#
# Environment: PYTHON (default .venv/bin/python), and anything the scripts read
# (OMP_WAIT_POLICY, PARCHUNK_NUM_THREADS, ...). The benchmarks run one after
# the other; run them on a quiet machine: every result file records the load
# average so that a busy run can be recognised.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

ALL="core stats exact_hist scan_sort random files image logreg c_core"
QUICK=0; ONLY=""; OUT=""; BOOT=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY=${2:?--only needs a list}; shift ;;
    --only=*) ONLY=${1#--only=} ;;
    --out) OUT=${2:?--out needs a directory}; shift ;;
    --out=*) OUT=${1#--out=} ;;
    --no-bootstrap) BOOT=0 ;;
    --list) echo "$ALL"; exit 0 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_all.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$OUT" ]; then
  if [ $QUICK = 1 ]; then OUT=/tmp/parchunk-bench-quick; else OUT=$ROOT/bench/results; fi
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if [ $QUICK = 1 ] && [ "$OUT" = "$ROOT/bench/results" ]; then
  echo "run_all.sh: --quick numbers are not results; refusing to write into bench/results" >&2
  exit 2
fi
SELECTED=${ONLY//,/ }
[ -n "$SELECTED" ] || SELECTED=$ALL
for name in $SELECTED; do
  case " $ALL " in *" $name "*) ;; *) echo "run_all.sh: unknown benchmark '$name' (one of: $ALL)" >&2; exit 2 ;; esac
done

if [ $BOOT = 1 ]; then
  scripts/bootstrap.sh bench
else
  cmake --build build -j"$(nproc)" >/dev/null
fi
PY=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PY" ] || PY=$(command -v python3)
export PARCHUNK_LIBRARY=${PARCHUNK_LIBRARY:-$ROOT/build/libparchunk.so}
export PYTHONPATH="$ROOT/bindings/python${PYTHONPATH:+:$PYTHONPATH}"

# The command line of one benchmark: name -> output base path -> args.
bench_cmd() {
  local name=$1 base=$OUT/$1
  local q=$QUICK
  case "$name" in
    core)       echo "$PY bench/python/bench_core.py --out $base $([ $q = 1 ] && echo --quick)" ;;
    stats)      echo "$PY bench/python/bench_stats.py --out $base $([ $q = 1 ] && echo --n 1e6 --runs 3)" ;;
    exact_hist) echo "$PY bench/python/bench_exact_hist.py --out $base.md $([ $q = 1 ] && echo --hist-n 1e6 --sum-n 1e5 --repeat 3)" ;;
    scan_sort)  echo "$PY bench/python/bench_scan_sort.py --out $base.md $([ $q = 1 ] && echo --quick --runs 3)" ;;
    random)     echo "$PY bench/python/bench_random.py --out $base $([ $q = 1 ] && echo --sizes 1e6 --runs 3)" ;;
    files)      echo "$PY bench/python/bench_files.py --out $base $([ $q = 1 ] && echo --rows 100000 --text-mib 64)" ;;
    image)      echo "$PY bench/python/bench_image.py --out $base $([ $q = 1 ] && echo --size 1000 --batch 8 --batch-side 500 --runs 3)" ;;
    logreg)     echo "$PY bench/python/bench_logreg.py --out $base $([ $q = 1 ] && echo --n 100000 --iterations 5 --runs 3)" ;;
    c_core)     echo "build/bench/bench_core $([ $q = 1 ] && echo 1e6 3)" ;;
  esac
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
cpu_model() { grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || uname -m; }
versions() {
  "$PY" - <<'EOF' 2>/dev/null || echo "(python versions unavailable)"
import importlib, platform
out = [f"Python {platform.python_version()} ({platform.python_implementation()})"]
for mod in ("parchunk", "numpy", "numexpr", "numba", "pandas", "PIL", "cffi"):
    try:
        m = importlib.import_module(mod)
        out.append(f"{'Pillow' if mod == 'PIL' else mod} {getattr(m, '__version__', '?')}")
    except Exception:
        pass
print(", ".join(out))
EOF
}
CC_VERSION=$( (cc --version 2>/dev/null || echo "cc ?") | head -1)

echo "== benchmarks: $SELECTED"
echo "== writing to $OUT$([ $QUICK = 1 ] && echo ' (quick mode: smoke test, not results)')"
failed=()
for name in $SELECTED; do
  cmd=$(bench_cmd "$name")
  echo
  echo "== $name: $cmd"
  before=$(loadavg); start=$(date +%s)
  set +e
  if [ "$name" = c_core ]; then
    $cmd > "$OUT/$name.log" 2>&1
  else
    $cmd 2>&1 | tee "$OUT/$name.log"
  fi
  rc=${PIPESTATUS[0]}
  set -e
  after=$(loadavg); secs=$(( $(date +%s) - start ))
  md=$OUT/$name.md
  if [ "$name" = c_core ]; then
    cat "$OUT/$name.log"
    { echo "# parchunk C bandwidth benchmark (build/bench/bench_core)"; echo
      echo '```'; cat "$OUT/$name.log"; echo '```'; } > "$md"
  elif [ $rc = 0 ] && [ ! -f "$md" ]; then
    rc=99  # the script ran but wrote no result
  fi
  if [ $rc != 0 ]; then
    failed+=("$name")
    { echo "# $name: FAILED (exit status $rc)"; echo; echo "Last lines of $name.log:"; echo
      echo '```'; tail -n 30 "$OUT/$name.log"; echo '```'; } > "$md"
  fi
  {
    echo
    echo "---"
    echo
    echo "Run by bench/run_all.sh$([ $QUICK = 1 ] && echo ' --quick (SMOKE TEST: small sizes, not results)') on $(date -u '+%Y-%m-%d %H:%M UTC'):"
    echo "\`$cmd\` (exit status $rc, ${secs} s)."
    echo "Machine: $(cpu_model), $(nproc) cores online ($(getconf _NPROCESSORS_CONF) configured),"
    echo "$(uname -sr); load average $before before, $after after."
    echo "Versions: $(versions); $CC_VERSION; parchunk git $(git rev-parse --short HEAD 2>/dev/null || echo ?)."
    echo "Environment: OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-(unset)}, PARCHUNK_NUM_THREADS=${PARCHUNK_NUM_THREADS:-(unset)}, OMP_NUM_THREADS=${OMP_NUM_THREADS:-(unset)}."
  } >> "$md"
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "== FAILED: ${failed[*]} (see $OUT/<name>.log)"
  exit 1
fi
echo "== all benchmarks ran; results in $OUT"
