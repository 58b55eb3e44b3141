#!/bin/sh
# Run the Python test-suite in every lane:
#   1. CPython, both backends in one process (cffi + ctypes)
#   2. CPython, NumPy blocked (PARCHUNK_TEST_NO_NUMPY=1), both backends
#   3. PyPy (cffi built in, no NumPy), both backends
# Environment: PYTHON (default: python3 of the active venv), PYPY_VENV (default
# .venv-pypy in the repo; created with `pypy3 -m venv` and
# requirements/pypy-test.txt when missing; set SKIP_PYPY=1 to skip the lane).
# The library: $PARCHUNK_LIBRARY if set, else <repo>/build/libparchunk.so.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-python3}
PYPY_VENV=${PYPY_VENV:-$ROOT/.venv-pypy}
cd "$ROOT"

echo "== lane: CPython, cffi + ctypes"
"$PYTHON" -m pytest tests/python -q "$@"
echo "== lane: CPython, no NumPy"
PARCHUNK_TEST_NO_NUMPY=1 "$PYTHON" -m pytest tests/python -q "$@"
if [ "${SKIP_PYPY:-0}" = 1 ]; then
    echo "== lane: PyPy skipped (SKIP_PYPY=1)"
    exit 0
fi
if [ ! -x "$PYPY_VENV/bin/python" ]; then
    command -v pypy3 >/dev/null || { echo "pypy3 not found (apt-get install pypy3 pypy3-venv)"; exit 1; }
    pypy3 -m venv "$PYPY_VENV"
    "$PYPY_VENV/bin/pip" install -q -r requirements/pypy-test.txt
fi
echo "== lane: PyPy"
"$PYPY_VENV/bin/python" -m pytest tests/python -q "$@"
