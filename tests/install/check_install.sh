#!/bin/sh
# check_install.sh [SOURCE_DIR] - build parchunk, install it into a temporary
# prefix, DELETE the build tree, then build and run the standalone consumer
# (examples/c/consumer) against the installed copy only:
#   1. Makefile + pkg-config            (shared library, rpath from pkg-config)
#   2. CMake find_package(parchunk)     (parchunk::parchunk and ::parchunk_static,
#                                        and from a C++-only project)
#   3. the installed header alone, as strict C99 and as C++
# Exits non-zero on the first failure. Quick: the library is small.
set -eu
src=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parchunk-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
log="$tmp/log"
step() { echo "check_install: $*"; }
run() { "$@" >>"$log" 2>&1 || { cat "$log" >&2; echo "check_install: FAILED: $*" >&2; exit 1; }; }

# The sanitizer / compiler flags of the calling build must not leak in.
unset CFLAGS LDFLAGS CPPFLAGS 2>/dev/null || true

step "configure + build + install into $tmp/prefix"
run cmake -S "$src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release -DPARCHUNK_BUILD_TESTS=OFF \
    -DPARCHUNK_BUILD_EXAMPLES=OFF -DPARCHUNK_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX="$tmp/prefix"
run cmake --build "$tmp/build" -j2
run cmake --install "$tmp/build"
rm -rf "$tmp/build" # from here on, only the installed copy exists

pc=$(find "$tmp/prefix" -name parchunk.pc | head -n 1)
[ -n "$pc" ] || { echo "check_install: parchunk.pc was not installed" >&2; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
[ -f "$tmp/prefix/include/parchunk.h" ] || { echo "check_install: header missing" >&2; exit 1; }

step "1. pkg-config + Makefile"
mkdir -p "$tmp/make"
PKG_CONFIG_PATH="$(dirname "$pc")" run make -C "$src/examples/c/consumer" OUT="$tmp/make"
run "$tmp/make/consumer"
# it must have loaded the installed library, not some other copy
ldd "$tmp/make/consumer" | grep -q "$libdir/libparchunk.so" || {
    ldd "$tmp/make/consumer" >&2
    echo "check_install: consumer is not linked to $libdir/libparchunk.so" >&2
    exit 1
}

step "2. CMake find_package(parchunk)"
run cmake -S "$src/examples/c/consumer" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
    -DCMAKE_BUILD_TYPE=Release
run cmake --build "$tmp/cmake"
run "$tmp/cmake/consumer"
run "$tmp/cmake/consumer_static"
ldd "$tmp/cmake/consumer" | grep -q "$libdir/libparchunk.so" || {
    echo "check_install: CMake consumer is not linked to the installed library" >&2
    exit 1
}
if ldd "$tmp/cmake/consumer_static" | grep -q libparchunk; then
    echo "check_install: consumer_static still loads libparchunk.so" >&2
    exit 1
fi

step "2b. CMake find_package(parchunk) from a C++-only project"
mkdir -p "$tmp/cxx"
cat >"$tmp/cxx/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(parchunk_cxx_consumer LANGUAGES CXX)
find_package(parchunk REQUIRED)
add_executable(cxx_consumer main.cpp)
target_link_libraries(cxx_consumer PRIVATE parchunk::parchunk)
CMAKE
printf '#include <parchunk.h>\nint main() { return parchunk_abi_version() == PARCHUNK_ABI_VERSION ? 0 : 1; }\n' \
    >"$tmp/cxx/main.cpp"
run cmake -S "$tmp/cxx" -B "$tmp/cxx/build" -DCMAKE_PREFIX_PATH="$tmp/prefix"
run cmake --build "$tmp/cxx/build"
run "$tmp/cxx/build/cxx_consumer"

step "3. the installed header on its own (C99 -pedantic, C++)"
printf '#include <parchunk.h>\nint main(void) { return parchunk_abi_version() == PARCHUNK_ABI_VERSION ? 0 : 1; }\n' \
    >"$tmp/h.c"
run cc -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$tmp/prefix/include" -c "$tmp/h.c" -o "$tmp/h.o"
if command -v c++ >/dev/null 2>&1; then
    printf '#include <parchunk.h>\nint main() { parchunk_ctx *c = nullptr; return parchunk_ctx_new(&c) == PARCHUNK_OK ? (parchunk_ctx_free(c), 0) : 1; }\n' \
        >"$tmp/h.cpp"
    run c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror -I"$tmp/prefix/include" "$tmp/h.cpp" \
        -L"$libdir" -lparchunk -Wl,-rpath,"$libdir" -o "$tmp/hpp"
    run "$tmp/hpp"
fi
step "ok"
