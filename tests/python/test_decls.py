"""The generated declarations match the header; the generator is generic."""
import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
GEN = os.path.join(REPO, "bindings", "python", "tools", "gen_decls.py")
HEADER = os.path.join(REPO, "include", "parchunk.h")
DECLS = os.path.join(REPO, "bindings", "python", "parchunk", "_decls.py")


@pytest.fixture(scope="module")
def gen():
    if not os.path.exists(GEN) or not os.path.exists(HEADER):
        pytest.skip("not a source checkout")
    spec = importlib.util.spec_from_file_location("gen_decls", GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_declarations_are_up_to_date(gen):
    with open(HEADER, encoding="utf-8") as f:
        expected = gen.render(gen.parse(f.read()))
    with open(DECLS, encoding="utf-8") as f:
        committed = f.read()
    assert committed == expected, (
        "bindings/python/parchunk/_decls.py is stale: run "
        "python bindings/python/tools/gen_decls.py")


def test_every_exported_prototype_is_declared(gen):
    with open(HEADER, encoding="utf-8") as f:
        text = f.read()
    import re
    names = set(re.findall(r"PARCHUNK_API\s+[^;(]*?\b(parchunk_\w+)\s*\(", text))
    decls = gen.parse(text)
    assert names and names == set(decls["FUNCTIONS"])


def test_parser_handles_the_allowed_c_subset(gen):
    header = r"""
    #ifndef X_H
    #define X_H
    #define PARCHUNK_VERSION_MAJOR 3
    #define PARCHUNK_ABI_VERSION 7
    #ifdef __cplusplus
    extern "C" {
    #endif
    /* comment with ; and ( ) */
    typedef enum parchunk_thing { A = 0, B, C = 1 << 4, D = C + 1 } parchunk_thing; // tail
    enum { LIMIT = 0x10, OTHER = (LIMIT * 2) };
    typedef struct parchunk_obj parchunk_obj;
    typedef void (*parchunk_cb)(void *user, uint64_t done, uint64_t total);
    typedef int64_t parchunk_index;
    PARCHUNK_API parchunk_status parchunk_f(parchunk_ctx *ctx, const double x[], size_t n,
                                            parchunk_cb cb, void *user, const char *path);
    PARCHUNK_API void parchunk_g(void);
    PARCHUNK_API unsigned long long parchunk_h(const unsigned char *restrict p, int **pp);
    #ifdef __cplusplus
    }
    #endif
    #endif
    """
    d = gen.parse(header)
    assert d["ENUMS"] == {"A": 0, "B": 1, "C": 16, "D": 17, "LIMIT": 16, "OTHER": 32}
    assert d["TYPEDEFS"] == {"parchunk_thing": "enum", "parchunk_obj": "opaque",
                             "parchunk_cb": "funcptr", "parchunk_index": "alias:int64_t"}
    assert d["FUNCPTRS"]["parchunk_cb"] == ("void", ("void *", "uint64_t", "uint64_t"))
    assert d["FUNCTIONS"]["parchunk_f"] == (
        "parchunk_status",
        ("parchunk_ctx *", "const double *", "size_t", "parchunk_cb", "void *", "const char *"))
    assert d["FUNCTIONS"]["parchunk_g"] == ("void", ())
    assert d["FUNCTIONS"]["parchunk_h"] == ("unsigned long long", ("const unsigned char *", "int **"))
    assert d["ABI_VERSION"] == 7 and d["VERSION"] == "3.0.0"
    assert 'extern "C"' not in d["CDEF"]
    with pytest.raises(ValueError):
        gen.parse("PARCHUNK_API int parchunk_v(int a, ...);")


def test_structs_map_to_both_backends(gen, monkeypatch):
    """A struct passed by pointer: cffi lays it out from the cdef, ctypes from
    STRUCTS; both must agree with the C compiler's layout rules."""
    import ctypes

    from parchunk import _backend, _decls
    d = gen.parse("typedef struct parchunk_demo { int8_t a; int64_t b; double c[3]; "
                  "uint16_t d, e; } parchunk_demo;")
    monkeypatch.setattr(_decls, "STRUCTS", d["STRUCTS"], raising=False)
    monkeypatch.setitem(_decls.TYPEDEFS, "parchunk_demo", "struct")
    monkeypatch.setattr(_backend, "_STRUCTS", {})
    cls = _backend._ctypes_type("parchunk_demo")
    assert [f[0] for f in cls._fields_] == ["a", "b", "c", "d", "e"]
    assert ctypes.sizeof(cls) == 48 and cls.b.offset == 8 and cls.d.offset == 40
    assert _backend._ctypes_type("parchunk_demo *") is ctypes.c_void_p
    try:
        import cffi
    except ImportError:
        return
    ffi = cffi.FFI()
    ffi.cdef(d["CDEF"])
    assert ffi.sizeof("parchunk_demo") == 48 and ffi.offsetof("parchunk_demo", "d") == 40
