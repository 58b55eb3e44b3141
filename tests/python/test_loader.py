"""Library loading, ABI check, backend selection, version, exceptions."""
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import parchunk
from parchunk import _core, _decls, _errors, _loader

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(parchunk.__file__)))


def _run(code, **env):
    full = dict(os.environ)
    full.update(env)
    for k, v in env.items():
        if v is None:
            full.pop(k)
    full["PYTHONPATH"] = PKG_PARENT + os.pathsep + full.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=full, timeout=120, cwd=HERE)


def test_parchunk_library_env_is_used_when_set():
    """When the test run sets PARCHUNK_LIBRARY, that is the library under test."""
    env = os.environ.get("PARCHUNK_LIBRARY")
    for name in ("cffi", "ctypes") if "cffi" in sys.modules or _has_cffi() else ("ctypes",):
        b = _core._get_backend(name)
        if env:
            assert os.path.realpath(b.path) == os.path.realpath(env)
        assert os.path.isabs(b.path) or b.path == _loader.ctypes.util.find_library("parchunk")


def _has_cffi():
    try:
        import cffi  # noqa: F401
        return True
    except ImportError:
        return False


def test_explicit_library_path(backend):
    path = os.path.realpath(parchunk.library_path())
    r = _run("import parchunk; print(parchunk.library_path()); print(parchunk.backend)",
             PARCHUNK_LIBRARY=path, PARCHUNK_BACKEND=backend)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [path, backend]


def test_bad_library_env_lists_the_reason(backend):
    r = _run("import parchunk", PARCHUNK_LIBRARY="/nonexistent/libparchunk.so",
             PARCHUNK_BACKEND=backend)
    assert r.returncode != 0
    assert "OSError" in r.stderr and "$PARCHUNK_LIBRARY" in r.stderr
    assert "/nonexistent/libparchunk.so" in r.stderr


def test_relative_library_env_is_refused(backend, tmp_path):
    shutil.copy(parchunk.library_path(), tmp_path / "libparchunk.so")
    r = subprocess.run([sys.executable, "-c", "import parchunk"], capture_output=True, text=True,
                       cwd=tmp_path, timeout=120,
                       env=dict(os.environ, PARCHUNK_LIBRARY="libparchunk.so",
                                PARCHUNK_BACKEND=backend,
                                PYTHONPATH=PKG_PARENT))
    assert r.returncode != 0 and "not an absolute path" in r.stderr


def test_current_directory_is_never_a_candidate(tmp_path, monkeypatch):
    monkeypatch.delenv("PARCHUNK_LIBRARY", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "libparchunk.so").write_bytes(b"not a library")
    for where, path in _loader.candidates():
        if where != "system":
            assert os.path.isabs(path)
        assert not path.startswith(str(tmp_path))


def test_error_lists_every_place(monkeypatch):
    monkeypatch.delenv("PARCHUNK_LIBRARY", raising=False)
    monkeypatch.setattr(_loader, "PKG_DIR", "/nonexistent-pkg")
    monkeypatch.setattr(_loader, "REPO_DIR", "/nonexistent-repo")
    monkeypatch.setattr(_loader.ctypes.util, "find_library", lambda name: None)

    def opener(path):
        raise OSError("cannot open")

    with pytest.raises(OSError) as ei:
        _loader.load(opener, lambda h: 1, 1)
    msg = str(ei.value)
    assert "bundled" in msg and "build tree" in msg and "system" in msg
    assert "/nonexistent-pkg" in msg and "/nonexistent-repo/build" in msg


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")
def test_abi_mismatch_is_refused(tmp_path, backend):
    src = tmp_path / "fake.c"
    src.write_text("unsigned parchunk_abi_version(void) { return 999; }\n")
    lib = tmp_path / "libparchunk.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    r = _run("import parchunk", PARCHUNK_LIBRARY=str(lib), PARCHUNK_BACKEND=backend)
    assert r.returncode != 0
    assert f"ABI version 999, these bindings need {_decls.ABI_VERSION}" in r.stderr


def test_backend_env(backend):
    r = _run("import parchunk; print(parchunk.backend)", PARCHUNK_BACKEND=backend)
    assert r.returncode == 0 and r.stdout.strip() == backend
    r = _run("import parchunk", PARCHUNK_BACKEND="bogus")
    assert r.returncode != 0 and "PARCHUNK_BACKEND" in r.stderr


def test_backend_attribute_follows_switch(backend):
    assert parchunk.backend == backend


def test_versions():
    assert parchunk.__version__ == _decls.VERSION
    assert parchunk.library_version() == parchunk.__version__
    b = _core.backend()
    assert b.lib.parchunk_abi_version() == _decls.ABI_VERSION


def test_status_table_covers_every_status():
    statuses = {v for k, v in _decls.ENUMS.items() if k.startswith("PARCHUNK_ERR_")}
    assert statuses == set(_errors.EXCEPTION_OF_STATUS)
    b = _core.backend()
    for code, cls in _errors.EXCEPTION_OF_STATUS.items():
        e = _errors.error_for(code, "x")
        assert type(e) is cls and e.code == code and isinstance(e, parchunk.Error)
        assert b.string(b.lib.parchunk_status_string(code)) != "unknown status"
    assert issubclass(parchunk.ArgumentError, ValueError)
    assert issubclass(parchunk.DTypeError, TypeError)
    assert issubclass(parchunk.ResultOverflowError, OverflowError)
    assert issubclass(parchunk.OutOfMemoryError, MemoryError)
    assert issubclass(parchunk.FileError, OSError)
    assert issubclass(parchunk.Cancelled, parchunk.Error)


def test_c_error_detail_reaches_the_message():
    """A status from C carries parchunk_ctx_last_error's detail and the status name."""
    b = _core.backend()
    with pytest.raises(parchunk.DTypeError) as ei:
        _core.run("parchunk_sum", b.NULL, 0, 77, b.new("double"), n=0, name="sum()")
    assert str(ei.value).startswith("sum(): ") and "[ERR_DTYPE]" in str(ei.value)
    assert "77" in str(ei.value) or "dtype" in str(ei.value)


def test_cancelled_ctx_raises_cancelled():
    ts = _core.state()
    ts.b.lib.parchunk_ctx_cancel(ts.ctx)
    try:
        with pytest.raises(parchunk.Cancelled):
            parchunk.sum(b"abc")
    finally:
        ts.b.lib.parchunk_ctx_clear_cancel(ts.ctx)
    assert parchunk.sum(b"abc") == 294


def test_backend_using_and_available(backend):
    from parchunk import _backend
    assert _backend.available("ctypes")
    other = "ctypes" if backend == "cffi" else ("cffi" if _backend.available("cffi") else "ctypes")
    with _backend.using(other) as b:
        assert parchunk.backend == other == b.name
        assert parchunk.sum([1, 2]) == 3
    assert parchunk.backend == backend
    assert not _backend.available("bogus")
    with pytest.raises(ValueError):
        _backend.make("bogus")
