"""Mergeable partial states of the reductions: partial, merge, finalize.

A reduction is a monoid over states. ``parchunk.partial(op, piece)`` reduces
one piece of the data to a 128-byte state, ``parchunk.merge(states)``
combines the states of consecutive pieces (in order), and
``parchunk.finalize(state)`` gives the value -- the same value as the
one-call function on all the data: bit-identical for integer sums, counts,
min, max, argmin and argmax; for float sums, means and variances within
rounding (the additions are grouped differently; variance agrees to ~1e-15
relative). States are plain bytes with a fixed little-endian layout
(documented in include/parchunk.h, "Mergeable partial states"; summary
below), so they pickle, travel to other processes or machines, and merge
there, whatever the host.

ops: "sum", "mean", "min", "max", "var", "std", "stats", "count_nonzero",
"argmin", "argmax"; ``skipna=True`` gives the numpy.nan* variant (the
state records it; states with and without skipna do not merge). A state
finalizes to its own op only; for "var" and "std" the ddof is chosen at the
end: finalize(state, ddof=1).

Layout (bytes): 0 magic b"PCPS" | 4 version (1) | 5 op | 6 dtype | 7 flags
(1 = skipna) | 8 n u64 | 16 count u64 | 24 sum f64 | 32 exact integer sum
i128 | 48 mean hi f64 | 56 mean lo f64 | 64 M2 f64 | 72 min (element) |
80 max (element) | 88 index i64 | 96..127 zero.

With Dask (see examples/python/dask_partials.py)::

    import dask.array as da, numpy as np, parchunk
    x = da.random.random(10**8, chunks=10**7)
    def chunk(block, axis, keepdims):      # one state per block
        return np.array([parchunk.partial("var", block)], dtype=object)
    def combine(states, axis, keepdims):   # merge neighbours (tree reduction)
        return np.array([parchunk.merge(list(states))], dtype=object)
    def aggregate(states, axis, keepdims):
        return parchunk.finalize(parchunk.merge(list(states)), ddof=1)
    v = da.reduction(x, chunk, aggregate, combine=combine, concatenate=True,
                     dtype=object, meta=np.array([], dtype=object)).compute()
    # v == np.var(x, ddof=1) within rounding (states are objects in dask's
    # graph: dtype/meta object keep dask from converting them)

Exact sums (parchunk.sum_exact_partial, 552-byte "PCXS" states) and
histograms (parchunk.histogram_merge of counts) follow the same pattern
with their own functions.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Any, Iterable, Optional, Union

from . import _core, _decls, _stats
from ._core import ProgressArg
from ._errors import ArgumentError
from ._input import DTYPE_INFO, DTYPE_NAMES, _FLOAT_DTYPES, as_input

E = _decls.ENUMS
#: Size in bytes of a partial state.
STATE_SIZE: int = E["PARCHUNK_PARTIAL_STATE_SIZE"]
#: Layout version this package writes and reads.
VERSION: int = E["PARCHUNK_PARTIAL_VERSION"]

#: op name -> parchunk_op value
OPS = {
    "sum": E["PARCHUNK_OP_SUM"], "mean": E["PARCHUNK_OP_MEAN"], "min": E["PARCHUNK_OP_MIN"],
    "max": E["PARCHUNK_OP_MAX"], "var": E["PARCHUNK_OP_VAR"], "std": E["PARCHUNK_OP_STD"],
    "stats": E["PARCHUNK_OP_STATS"], "count_nonzero": E["PARCHUNK_OP_COUNT_NONZERO"],
    "argmin": E["PARCHUNK_OP_ARGMIN"], "argmax": E["PARCHUNK_OP_ARGMAX"],
}
OP_NAMES = {v: k for k, v in OPS.items()}
SKIPNA = E["PARCHUNK_SKIPNA"]

_DTYPE_OF_NAME = {v: k for k, v in DTYPE_NAMES.items()}

StateLike = Union[bytes, bytearray, memoryview]

#: What partial_info() returns: op name, dtype name, skipna flag, elements covered.
PartialInfo = namedtuple("PartialInfo", "op dtype skipna n")


def _op_arg(op: Any) -> int:
    if not isinstance(op, str):
        raise TypeError(f"op must be a str (one of {', '.join(OPS)}), not {type(op).__name__}")
    code = OPS.get(op)
    if code is None:
        raise ArgumentError(f"unknown op {op!r}; expected one of {', '.join(OPS)}")
    return code


def partial(op: str, x: Any, *, skipna: bool = False, nthreads: Optional[int] = None,
            progress: ProgressArg = None) -> bytes:
    """The partial state (STATE_SIZE bytes) of reduction `op` over x.

    op: "sum", "mean", "min", "max", "var", "std", "stats",
    "count_nonzero", "argmin", "argmax". skipna=True: ignore NaN (the
    numpy.nan* variant). x: any input parchunk takes (read flat). An empty
    x gives the identity state. The state is exactly what the one-call
    function finalizes: finalize(partial(op, x)) == parchunk.<op>(x).
    For Dask: compute one state per block (map_blocks / the `chunk` step of
    dask.array.reduction), merge them in block order (`combine`), finalize
    once (`aggregate`); see the module docstring.
    """
    code = _op_arg(op)
    a = as_input(x, "x")
    b = _core.backend()
    state = bytearray(STATE_SIZE)
    _core.run("parchunk_partial", code, a.ptr, a.n, a.dtype, SKIPNA if skipna else 0,
              b.buffer(state, "char", writable=True), n=a.n, nthreads=nthreads,
              progress=progress, name=f"partial({op!r})")
    return bytes(state)


def _state_arg(state: Any, name: str):
    if not isinstance(state, (bytes, bytearray, memoryview)):
        raise TypeError(f"{name} must be a bytes-like partial state, not {type(state).__name__}")
    size = memoryview(state).nbytes
    if size != STATE_SIZE:
        hint = (" (an exact-sum state: use parchunk.sum_exact_merge/finalize)"
                if size == E["PARCHUNK_EXACT_STATE_SIZE"] else "")
        raise ArgumentError(f"{name} must be a {STATE_SIZE}-byte partial state, "
                            f"got {size} bytes{hint}")
    if isinstance(state, memoryview) and not state.c_contiguous:
        state = state.tobytes()
    return _core.backend().buffer(state, "char")


def merge(*states: Union[StateLike, Iterable[StateLike]]) -> bytes:
    """The state of the concatenation of the given states' pieces, in the
    order given (left's elements first: it matters for argmin/argmax
    indices and the rounding of float sums). Takes states as arguments or
    one iterable of states; at least one state.

    Raises TypeError for a non-bytes state, ValueError
    (parchunk.ArgumentError) for a state of the wrong size, a malformed
    state, or states of different op, dtype or skipna (the message names
    the state), OverflowError when the element count would exceed 2**63.
    In Dask this is the `combine` step of a tree reduction: merging
    neighbouring groups in order gives the same result as merging all at once.
    """
    if len(states) == 1 and not isinstance(states[0], (bytes, bytearray, memoryview)):
        try:
            states = tuple(states[0])
        except TypeError:
            raise TypeError(f"merge() takes partial states (bytes), not "
                            f"{type(states[0]).__name__}") from None
    if not states:
        raise ArgumentError("merge() needs at least one partial state")
    b = _core.backend()
    _state_arg(states[0], "states[0]")
    acc = bytearray(memoryview(states[0]).tobytes())
    acc_buf = b.buffer(acc, "char", writable=True)
    if len(states) == 1:  # validate it all the same
        _core.run("parchunk_partial_info", acc_buf, b.NULL, b.NULL, b.NULL, b.NULL, n=0,
                  name="merge(): states[0]")
    for i in range(1, len(states)):
        _core.run("parchunk_partial_merge", acc_buf, _state_arg(states[i], f"states[{i}]"),
                  acc_buf, n=0, name=f"merge(): states[{i}]")
    return bytes(acc)


def partial_info(state: StateLike) -> PartialInfo:
    """Validate a state and read its header: PartialInfo(op, dtype, skipna, n)
    with op and dtype as names and n the elements the state covers.
    ValueError (parchunk.ArgumentError) for a malformed state."""
    b = _core.backend()
    op = b.new("int32_t")
    dtype = b.new("int32_t")
    flags = b.new("uint32_t")
    n = b.new("uint64_t")
    _core.run("parchunk_partial_info", _state_arg(state, "state"), op, dtype, flags, n, n=0,
              name="partial_info()")
    return PartialInfo(OP_NAMES[op[0]], DTYPE_NAMES[dtype[0]], bool(flags[0] & SKIPNA), n[0])


def finalize(state: StateLike, *, ddof: int = 0) -> Any:
    """The value of a state: what parchunk.<op>(data) gives on the elements
    the state covers (ddof for "var"/"std", ignored otherwise).

    sum: exact int for integer dtypes, else float (skipna: nansum);
    mean/var/std: float; min/max: int or float by dtype; stats: a
    parchunk.Stats; count_nonzero: int; argmin/argmax: int, counted from the
    first element the state covers. Errors as the one-call functions
    (EmptyError for an empty state except sum/count_nonzero; ArgumentError
    for n <= ddof without skipna), and ArgumentError for a malformed state.
    With skipna, a NaN result (no non-NaN values) warns as the one-call
    function does. In Dask this is the `aggregate` step.
    """
    ddof = _stats._ddof_arg(ddof)
    info = partial_info(state)
    b = _core.backend()
    buf = _state_arg(state, "state")
    dtype = _DTYPE_OF_NAME[info.dtype]
    name = f"finalize({info.op!r})"
    if info.op == "stats":
        res = b.new("parchunk_stats_result")
        _core.run("parchunk_partial_finalize", buf, ddof, res, n=0, name=name)
        r = res[0]
        out = _stats.stats_of_state(memoryview(state).tobytes(), dtype, r.count, r)
        if info.skipna and out.mean != out.mean and dtype in _FLOAT_DTYPES:
            from . import _axis  # noqa: PLC0415
            _axis.warn_nan(name)
        return out
    if info.op == "sum" and dtype not in _FLOAT_DTYPES:
        hi = b.new("int64_t")
        lo = b.new("uint64_t")
        _core.run("parchunk_partial_sum_int", buf, hi, lo, n=0, name=name)
        return (hi[0] << 64) | lo[0]
    if info.op in ("min", "max"):
        ctype = DTYPE_INFO[dtype][2]
    elif info.op in ("count_nonzero", "argmin", "argmax"):
        ctype = "int64_t"
    else:
        ctype = "double"
    out = b.new(ctype)
    _core.run("parchunk_partial_finalize", buf, ddof, out, n=0, name=name)
    v = out[0]
    if info.skipna and ctype in ("double", "float") and v != v and info.op != "sum" \
            and dtype in _FLOAT_DTYPES:
        from . import _axis  # noqa: PLC0415
        _axis.warn_nan(name)
    return v
