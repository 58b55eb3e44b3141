#!/usr/bin/env bash
# test.sh - install what is missing, build, and run every test lane:
#   c           the cmocka suites under ctest (Release build, -Werror)
#   c-asan      the same suites built with ASan+UBSan, and the ABI smoke test
#   c-tsan      the same suites built with TSan (clang + LLVM libomp + Archer)
#   py-cpython  the pytest suite, every test under both backends (cffi, ctypes)
#   py-nonumpy  the pytest suite with NumPy made unimportable
#   py-pypy     the pytest suite under PyPy (cffi built in)
#   py-wheel    `pip install ./bindings/python` (the bundled .so), smoke tests
#   fuzz        libFuzzer harnesses, bounded time, under ASan+UBSan
# Every lane runs even when an earlier one fails; the exit status is non-zero
# if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
scripts/bootstrap.sh test || { echo "bootstrap failed"; exit 1; }

# The lanes run several multi-threaded test processes at once on few cores;
# passive waiting keeps idle OpenMP workers from spinning on a core another
# test needs (results do not depend on it; only wall time does).
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}

passed=0
failed=0
failed_lanes=()
lane() {
  local name=$1
  shift
  printf '\n======== lane %s ========\n' "$name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    printf -- '-------- lane %s: ok (%ss)\n' "$name" $((SECONDS - t0))
  else
    failed=$((failed + 1))
    failed_lanes+=("$name")
    printf -- '-------- lane %s: FAILED (%ss)\n' "$name" $((SECONDS - t0))
  fi
}

lane_c() { ctest --test-dir build --output-on-failure -j2; }

lane_c_asan() {
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPARCHUNK_SANITIZE=address \
    -DPARCHUNK_WERROR=ON -DPARCHUNK_BUILD_BENCH=OFF >/dev/null &&
    cmake --build build-asan -j"$(nproc)" >build-asan/build.log 2>&1 ||
    { cat build-asan/build.log; return 1; }
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j2 -LE install || return 1
  # Every exported function with NULLs, unknown enums, huge sizes, NaN: a
  # status, never a crash (each call in its own child process).
  LD_PRELOAD=$(gcc -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0 \
    .venv/bin/python tests/fuzz/abi_smoke.py "$ROOT/build-asan/libparchunk.so"
}

lane_c_tsan() {
  # clang, so that OpenMP is LLVM libomp, whose Archer tool shows TSan the
  # OpenMP barriers (tests/c/CMakeLists.txt sets OMP_TOOL_LIBRARIES).
  CC=clang cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DPARCHUNK_SANITIZE=thread \
    -DPARCHUNK_WERROR=ON -DPARCHUNK_BUILD_BENCH=OFF >/dev/null &&
    cmake --build build-tsan -j"$(nproc)" >build-tsan/build.log 2>&1 ||
    { cat build-tsan/build.log; return 1; }
  # A TSan report makes the test exit non-zero (TSan's exitcode 66).
  ctest --test-dir build-tsan --output-on-failure -j2 -LE install
}

export PARCHUNK_LIBRARY="$ROOT/build/libparchunk.so"
pytest_lane() { "$@" -m pytest tests/python -q -p no:cacheprovider; }
lane_py_cpython() { pytest_lane .venv/bin/python; }
lane_py_nonumpy() { PARCHUNK_TEST_NO_NUMPY=1 pytest_lane .venv/bin/python; }
lane_py_pypy() {
  [ -x .venv-pypy/bin/python ] || { echo "pypy3 is not available"; return 1; }
  pytest_lane .venv-pypy/bin/python
}
lane_py_wheel() {
  local venv=build/venv-wheel
  [ -x $venv/bin/python ] || .venv/bin/python -m venv $venv || return 1
  $venv/bin/python -m pip install -q ./bindings/python || return 1
  # Away from the source tree and without PARCHUNK_LIBRARY: the bundled .so must load.
  (cd build && env -u PARCHUNK_LIBRARY "$ROOT/$venv/bin/python" "$ROOT/tests/python/smoke_installed.py")
}
lane_fuzz() { tests/fuzz/run.sh; }

lane c lane_c
lane c-asan lane_c_asan
lane c-tsan lane_c_tsan
if [ -d tests/python ]; then
  lane py-cpython lane_py_cpython
  lane py-nonumpy lane_py_nonumpy
  lane py-pypy lane_py_pypy
  [ -f tests/python/smoke_installed.py ] && lane py-wheel lane_py_wheel
fi
[ -x tests/fuzz/run.sh ] && lane fuzz lane_fuzz

printf '\n'
[ ${#failed_lanes[@]} -eq 0 ] || echo "failed lanes: ${failed_lanes[*]}"
echo "lanes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
