#!/usr/bin/env python3
"""Generate parchunk/_decls.py from include/parchunk.h.

The header is the single source of truth. This script turns every enum,
typedef and prototype of the header into

  CDEF       the declarations as text for cffi's ``ffi.cdef`` (ABI mode),
  ENUMS      {enumerator name: int value} of every enum in the header,
  TYPEDEFS   {typedef name: kind}: "enum", "opaque", "struct", "funcptr" or "alias:<type>",
  STRUCTS    {"name" or "struct tag": ((field, C type, array length or 0), ...)},
  FUNCPTRS   {typedef name: (restype, (argtypes...))} for function pointer typedefs,
  FUNCTIONS  {function name: (restype, (argtypes...))} with C type strings,
  ABI_VERSION  the header's PARCHUNK_ABI_VERSION,
  VERSION    "MAJOR.MINOR.PATCH" of the header,

which the ctypes backend maps to ctypes types. The parser is generic: new
sections of the header need no change here, only a re-run:

    python bindings/python/tools/gen_decls.py            # rewrite _decls.py
    python bindings/python/tools/gen_decls.py --check    # exit 1 when stale

It understands the C subset the header is allowed to use (see STYLE.md /
ARCHITECTURE.md: no structs by value, no varargs, no static inline): enums
(named, anonymous, typedef'd) with integer constant expressions, opaque
struct typedefs, structs with fields (passed by pointer only), function
pointer typedefs, scalar typedefs, and prototypes.
"""
from __future__ import annotations

import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_DIR = os.path.join(os.path.dirname(HERE), "parchunk")
DEFAULT_HEADER = os.path.normpath(os.path.join(HERE, "..", "..", "..", "include", "parchunk.h"))
DEFAULT_OUTPUT = os.path.join(PKG_DIR, "_decls.py")

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: " " * 0 + "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def preprocess(text: str) -> tuple[str, dict[str, str]]:
    """Drop preprocessor lines and C++-only blocks; collect simple #defines."""
    text = re.sub(r"\\\n", " ", text)
    defines: dict[str, str] = {}
    out = []
    skip_stack: list[bool] = []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("#"):
            d = s[1:].strip()
            if re.match(r"if(def)?\s+(defined\s*\(\s*)?__cplusplus", d):
                skip_stack.append(True)
            elif d.startswith("if"):
                skip_stack.append(False)
            elif d.startswith("endif"):
                if skip_stack:
                    skip_stack.pop()
            else:
                m = re.match(r"define\s+(" + _IDENT + r")\s+(.*)$", d)
                if m and not any(skip_stack):
                    defines[m.group(1)] = m.group(2).strip()
            continue
        if any(skip_stack):
            continue
        out.append(line)
    return "\n".join(out), defines


def split_top(s: str, sep: str = ",") -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in s:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def eval_const(expr: str, env: dict[str, int]) -> int:
    e = expr.strip()
    e = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", e)
    e = re.sub(r"\(\s*(?:unsigned|signed|int|long|size_t|int\d+_t|uint\d+_t|\s)+\)", "", e)
    if not re.fullmatch(r"[\w\s()+\-*/%<>|&^~]*", e):
        raise ValueError(f"unsupported enum expression: {expr!r}")
    e = e.replace("/", "//")
    return int(eval(e, {"__builtins__": {}}, dict(env)))  # noqa: S307 - header text only


def norm_type(t: str) -> str:
    """Canonical spelling: 'const char *' , 'parchunk_ctx **', 'uint64_t'."""
    t = re.sub(r"\s+", " ", t.replace("*", " * ")).strip()
    t = re.sub(r"\b(extern|PARCHUNK_API|restrict|__restrict|__restrict__|volatile)\b", "", t)
    t = re.sub(r"\s+", " ", t).strip()
    base = t.replace("*", "").strip()
    stars = t.count("*")
    base = re.sub(r"\s+", " ", base)
    return base + (" " + "*" * stars if stars else "")


def split_param(p: str) -> tuple[str, str]:
    """'const void *data' -> ('const void *', 'data'); 'double x[]' -> ('double *', 'x')."""
    p = p.strip()
    arr = 0
    while p.endswith("]"):
        p = p[: p.rindex("[")].strip()
        arr += 1
    m = re.match(r"^(.*?)(" + _IDENT + r")$", p)
    type_words = {"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned",
                  "const", "_Bool", "bool", "struct", "enum"}
    if m and m.group(1).strip() and m.group(2) not in type_words and not m.group(1).strip().endswith("struct") \
            and not m.group(1).strip().endswith("enum"):
        ty, name = m.group(1), m.group(2)
    else:
        ty, name = p, ""
    ty = norm_type(ty + " *" * arr)
    return ty, name


def parse(header_text: str):
    text, defines = preprocess(strip_comments(header_text))
    text = re.sub(r"\bPARCHUNK_API\b", "", text)
    enums: dict[str, int] = {}
    typedefs: dict[str, str] = {}
    funcptrs: dict[str, tuple] = {}
    structs: dict[str, tuple] = {}
    functions: dict[str, tuple] = {}
    cdef_parts: list[str] = []
    env: dict[str, int] = {}

    for stmt in split_top(text, ";"):
        s = re.sub(r"\s+", " ", stmt).strip()
        if not s:
            continue
        m = re.match(r"^(typedef )?enum ?(" + _IDENT + r")? ?\{(.*)\} ?(" + _IDENT + r")?$", s)
        if m:
            body = m.group(3)
            values = []
            nxt = 0
            for item in split_top(body, ","):
                if "=" in item:
                    name, expr = item.split("=", 1)
                    name = name.strip()
                    val = eval_const(expr, env)
                else:
                    name, val = item.strip(), nxt
                env[name] = val
                enums[name] = val
                values.append(f"    {name} = {val}")
                nxt = val + 1
            head = ("typedef " if m.group(1) else "") + "enum" + (f" {m.group(2)}" if m.group(2) else "")
            tail = f" {m.group(4)}" if m.group(4) else ""
            if m.group(1) and m.group(4):
                typedefs[m.group(4)] = "enum"
            cdef_parts.append(head + " {\n" + ",\n".join(values) + "\n}" + tail + ";")
            continue
        m = re.match(r"^(typedef )?struct ?(" + _IDENT + r")? ?\{(.*)\} ?(" + _IDENT + r")?$", s)
        if m:
            fields = []
            for decl in split_top(m.group(3), ";"):
                decl = decl.strip()
                length = 0
                am = re.match(r"^(.*)\[\s*(\w+)\s*\]$", decl)
                if am:
                    decl = am.group(1).strip()
                    length = eval_const(am.group(2), env)
                for i, part in enumerate(split_top(decl, ",")):
                    if i == 0:
                        ty, fname = split_param(part)
                        base_ty = ty.rstrip("* ").strip()
                    else:  # "double a, b" / "int *p"
                        stars = part.count("*")
                        fname = part.replace("*", "").strip()
                        ty = norm_type(base_ty + " *" * stars)
                    if not fname:
                        raise ValueError(f"gen_decls: unnamed struct field in {s!r}")
                    fields.append((fname, ty, length))
            tag = m.group(2)
            if m.group(1) and not m.group(4):
                raise ValueError(f"gen_decls: typedef struct without a name: {s!r}")
            names = []
            if m.group(1):
                names.append(m.group(4))
                typedefs[m.group(4)] = "struct"
            if tag:
                names.append("struct " + tag)
            for nm in names:
                structs[nm] = tuple(fields)
            body = "".join(f"    {ty} {fn}{f'[{ln}]' if ln else ''};\n" for fn, ty, ln in fields)
            head = ("typedef " if m.group(1) else "") + "struct" + (f" {tag}" if tag else "")
            tail = f" {m.group(4)}" if m.group(4) else ""
            cdef_parts.append(head + " {\n" + body + "}" + tail + ";")
            continue
        m = re.match(r"^typedef struct (" + _IDENT + r") (" + _IDENT + r")$", s)
        if m:
            typedefs[m.group(2)] = "opaque"
            cdef_parts.append(f"typedef struct {m.group(1)} {m.group(2)};")
            continue
        m = re.match(r"^typedef (.+?)\( ?\* ?(" + _IDENT + r") ?\) ?\((.*)\)$", s)
        if m:
            ret = norm_type(m.group(1))
            args = tuple(split_param(p)[0] for p in split_top(m.group(3)) if p.strip() != "void")
            funcptrs[m.group(2)] = (ret, args)
            typedefs[m.group(2)] = "funcptr"
            cdef_parts.append(s + ";")
            continue
        m = re.match(r"^typedef (.+) (" + _IDENT + r")$", s)
        if m:
            typedefs[m.group(2)] = "alias:" + norm_type(m.group(1))
            cdef_parts.append(s + ";")
            continue
        m = re.match(r"^(.+?) ?(" + _IDENT + r") ?\((.*)\)$", s)
        if m and not s.startswith("typedef"):
            ret = norm_type(m.group(1))
            params = split_top(m.group(3))
            if params == ["void"]:
                params = []
            if any(p.strip() == "..." for p in params):
                raise ValueError(f"varargs are not allowed in the header: {s}")
            args = tuple(split_param(p)[0] for p in params)
            functions[m.group(2)] = (ret, args)
            cdef_parts.append(s + ";")
            continue
        if s.startswith("extern \"C\""):
            continue
        raise ValueError(f"gen_decls: cannot parse header statement: {s!r}")

    def num(name: str) -> int:
        return int(defines[name]) if name in defines else 0

    version = f"{num('PARCHUNK_VERSION_MAJOR')}.{num('PARCHUNK_VERSION_MINOR')}.{num('PARCHUNK_VERSION_PATCH')}"
    return {
        "CDEF": "\n".join(cdef_parts) + "\n",
        "ENUMS": enums,
        "TYPEDEFS": typedefs,
        "FUNCPTRS": funcptrs,
        "STRUCTS": structs,
        "FUNCTIONS": functions,
        "ABI_VERSION": num("PARCHUNK_ABI_VERSION"),
        "VERSION": version,
    }


def _fmt_value(v) -> str:
    if isinstance(v, tuple):
        inner = ", ".join(_fmt_value(x) for x in v)
        return "(" + inner + ("," if len(v) == 1 else "") + ")"
    return repr(v)


def render(decls: dict) -> str:
    """Deterministic text (no pprint: its layout differs between Pythons)."""
    out = [
        '"""Declarations of include/parchunk.h for the cffi and ctypes backends.',
        "",
        "GENERATED by bindings/python/tools/gen_decls.py from include/parchunk.h -- do not edit.",
        "Regenerate with:  python bindings/python/tools/gen_decls.py",
        '"""',
        "# fmt: off",
        "",
        f"ABI_VERSION = {decls['ABI_VERSION']!r}",
        f"VERSION = {decls['VERSION']!r}",
        "",
        "CDEF = '''\\\n" + decls["CDEF"] + "'''",
        "",
    ]
    for key in ("ENUMS", "TYPEDEFS", "FUNCPTRS", "STRUCTS", "FUNCTIONS"):
        out.append(f"{key} = {{")
        for k, v in decls[key].items():
            out.append(f"    {k!r}: {_fmt_value(v)},")
        out.append("}")
        out.append("")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--header", default=DEFAULT_HEADER)
    ap.add_argument("--output", default=DEFAULT_OUTPUT)
    ap.add_argument("--check", action="store_true", help="exit 1 when the output is stale")
    args = ap.parse_args(argv)
    with open(args.header, encoding="utf-8") as f:
        text = render(parse(f.read()))
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            print(f"{args.output} is stale: run {os.path.relpath(__file__)}", file=sys.stderr)
            return 1
        return 0
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
