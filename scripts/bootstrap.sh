#!/usr/bin/env bash
# bootstrap.sh - install what is missing on a fresh Debian/Ubuntu machine, create
# the project virtualenv(s) with pinned requirements, configure and build.
#
#   scripts/bootstrap.sh [test|demo]    (default: test)
#
# Idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PROFILE=${1:-test}

log() { printf '\n== %s\n' "$*"; }

# ---- Debian packages ------------------------------------------------------
debs=(build-essential cmake pkg-config libcmocka-dev python3 python3-venv)
if [ "$PROFILE" = test ]; then
  debs+=(pypy3 pypy3-venv clang libclang-rt-dev libomp-dev valgrind)
fi
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ---- Python virtualenv ----------------------------------------------------
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  log "creating .venv with $($PY --version)"
  $PY -m venv .venv
fi
req=requirements/$PROFILE.txt
stamp=.venv/.installed-$PROFILE
if [ ! -f "$stamp" ] || [ "$req" -nt "$stamp" ]; then
  log "installing $req into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$req"
  touch "$stamp"
fi

if [ "$PROFILE" = test ] && command -v pypy3 >/dev/null; then
  if [ ! -x .venv-pypy/bin/python ]; then
    log "creating .venv-pypy"
    pypy3 -m venv .venv-pypy
  fi
  if [ ! -f .venv-pypy/.installed ] || [ requirements/pypy-test.txt -nt .venv-pypy/.installed ]; then
    .venv-pypy/bin/python -m pip install -q -r requirements/pypy-test.txt
    touch .venv-pypy/.installed
  fi
fi

# ---- build ----------------------------------------------------------------
log "building the C library (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPARCHUNK_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)" > build/build.log 2>&1 || { cat build/build.log; exit 1; }
test -f build/libparchunk.so
