#!/usr/bin/env bash
# tests/fuzz/run.sh - build every libFuzzer harness (tests/fuzz/fuzz_*.c)
# against the library sources with ASan + UBSan and run each for a bounded
# time. Exits non-zero when a harness fails to build or finds a crash.
#   FUZZ_SECONDS   seconds per harness (default 30)
#   FUZZ_BUILD_DIR where binaries, corpora and crash files go
#                  (default build-fuzz in the repository root)
# Needs clang with the libFuzzer runtime (Debian: libclang-rt-14-dev).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${FUZZ_SECONDS:-30}"
out="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
cc="${FUZZ_CC:-clang}"
mkdir -p "$out"

if ! echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
    | "$cc" -x c -fsanitize=fuzzer - -o "$out/.probe" 2>/dev/null; then
    echo "run.sh: $cc cannot link libFuzzer (install libclang-rt-14-dev or similar)" >&2
    exit 2
fi

mapfile -t lib_sources < <(find "$root/lib" -name '*.c' | sort)
status=0
for harness in "$root"/tests/fuzz/fuzz_*.c; do
    name="$(basename "$harness" .c)"
    echo "== $name: build"
    # No OpenMP: the engine runs the same chunks serially, so runs are
    # deterministic and reproducible from a crash file.
    "$cc" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -fno-omit-frame-pointer -DPARCHUNK_BUILDING -D_POSIX_C_SOURCE=200809L \
        -Wno-unknown-pragmas -I"$root/include" -I"$root/lib" \
        "${lib_sources[@]}" "$harness" -o "$out/$name" -lm -lpthread
    corpus="$out/corpus/$name"
    mkdir -p "$corpus"
    seeds=()
    [ -d "$root/tests/fuzz/seeds/$name" ] && seeds=("$root/tests/fuzz/seeds/$name")
    echo "== $name: run ${seconds}s"
    if ! (cd "$out" && "./$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 "$corpus" "${seeds[@]}" > "$out/$name.log" 2>&1); then
        echo "!! $name failed: see $out/$name.log and crash-* files in $out" >&2
        tail -40 "$out/$name.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::new_units_added" "$out/$name.log" || true
    fi
done
exit $status
