"""Opt-in (PARCHUNK_TEST_WHEEL=1; builds with CMake, fetches scikit-build-core):
`pip wheel ./bindings/python` gives a py3-none-<platform> wheel that bundles
libparchunk.so and nothing interpreter-specific."""
import os
import subprocess
import sys
import zipfile

import pytest

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

pytestmark = pytest.mark.skipif(os.environ.get("PARCHUNK_TEST_WHEEL") != "1",
                                reason="set PARCHUNK_TEST_WHEEL=1 to build the wheel")


@pytest.fixture(params=["only-once"], autouse=True)
def backend():  # overrides conftest's per-backend fixture: one build is enough
    yield "n/a"


def test_wheel_is_py3_none_platform_and_bundles_the_library(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path),
                        os.path.join(REPO, "bindings", "python")],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    wheels = [f for f in os.listdir(tmp_path) if f.endswith(".whl")]
    assert len(wheels) == 1
    name = wheels[0]
    assert "-py3-none-" in name and not name.endswith("-any.whl"), name
    with zipfile.ZipFile(tmp_path / name) as z:
        names = z.namelist()
    assert "parchunk/libparchunk.so" in names
    assert "parchunk/_decls.py" in names and "parchunk/py.typed" in names
    assert not any(n.endswith((".a", ".h", ".cmake", ".pc")) for n in names), names
