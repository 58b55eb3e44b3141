#!/usr/bin/env bash
# demo.sh - install what is missing, build, and run the main demo: the classic
# CPU-bound workloads as pure Python, threads, multiprocessing, NumPy and
# parchunk, printed as a table and drawn to build/demo.png.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh demo
export PARCHUNK_LIBRARY="$PWD/build/libparchunk.so"
export PYTHONPATH="$PWD/bindings/python${PYTHONPATH:+:$PYTHONPATH}"
exec .venv/bin/python examples/python/demo.py "$@"
