"""Exact sums and means (correctly rounded), and their mergeable partial states.

``parchunk.sum(x, exact=True)`` and ``parchunk.mean(x, exact=True)`` land here.
The C side keeps the exact sum in a superaccumulator; see include/parchunk.h
("Exact sums and histograms") for the guarantees and the state layout.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Union

from . import _core, _decls
from ._core import ProgressArg
from ._errors import ArgumentError
from ._input import Input, as_input

#: Size in bytes of a partial state (parchunk.h documents the layout).
STATE_SIZE: int = _decls.ENUMS["PARCHUNK_EXACT_STATE_SIZE"]

StateLike = Union[bytes, bytearray, memoryview]


def sum_exact(x: Any, *, nthreads: Optional[int] = None, progress: ProgressArg = None) -> float:
    """The correctly rounded (half-even) exact sum of x, as a float.

    Equal to math.fsum(x) whenever math.fsum returns a finite value, for any
    cancellation or range of magnitudes, and independent of nthreads and of
    the input order. Unlike math.fsum an intermediate overflow does not
    matter (``[1e308, 1e308, -1e308]`` gives 1e308); OverflowError
    (parchunk.ResultOverflowError) only when the rounded sum itself is beyond
    the float range. inf/NaN as math.fsum: +inf with -inf raises ValueError
    (parchunk.DomainError), else NaN gives nan, else the infinity. An exact
    zero is 0.0. Integer inputs are summed exactly too (the result is then a
    float; ``parchunk.sum`` keeps returning the exact int for them).
    """
    return _sum_exact_input(as_input(x, "x"), nthreads, progress)


def _sum_exact_input(a: Input, nthreads: Optional[int], progress: ProgressArg) -> float:
    ts = _core.state()
    out = ts.out("double")
    _core.run("parchunk_sum_exact", a.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads,
              progress=progress, name="sum(exact=True)", ts=ts)
    return out[0]


def mean_exact(x: Any, *, nthreads: Optional[int] = None, progress: ProgressArg = None) -> float:
    """The correctly rounded exact mean of x: the exact sum divided by n with
    one rounding (never the sum rounded and then divided). Empty x raises
    parchunk.EmptyError (ValueError); inf/NaN as sum_exact; never overflows."""
    a = as_input(x, "x")
    ts = _core.state()
    out = ts.out("double")
    _core.run("parchunk_mean_exact", a.ptr, a.n, a.dtype, out, n=a.n, nthreads=nthreads,
              progress=progress, name="mean(exact=True)", ts=ts)
    return out[0]


def sum_exact_partial(x: Any, *, nthreads: Optional[int] = None,
                      progress: ProgressArg = None) -> bytes:
    """The partial state of x's exact sum: STATE_SIZE bytes (picklable; the
    layout is documented in parchunk.h). Merge states of any split of the
    data with sum_exact_merge, finish with sum_exact_finalize /
    mean_exact_finalize: the result is bit-identical to one call on all of it.
    Equal multisets of elements give byte-identical states."""
    a = as_input(x, "x")
    b = _core.backend()
    state = bytearray(STATE_SIZE)
    _core.run("parchunk_sum_exact_partial", a.ptr, a.n, a.dtype,
              b.buffer(state, "char", writable=True), n=a.n, nthreads=nthreads,
              progress=progress, name="sum_exact_partial()")
    return bytes(state)


def _state_arg(state: StateLike, name: str):
    if not isinstance(state, (bytes, bytearray, memoryview)):
        raise TypeError(f"{name} must be a bytes-like exact-sum state, "
                        f"not {type(state).__name__}")
    size = memoryview(state).nbytes
    if size != STATE_SIZE:
        hint = (" (a partial state of parchunk.partial: use parchunk.merge/finalize)"
                if size == _decls.ENUMS["PARCHUNK_PARTIAL_STATE_SIZE"] else "")
        raise ArgumentError(f"{name} must be a {STATE_SIZE}-byte exact-sum state, got {size} "
                            f"bytes{hint}")
    if isinstance(state, memoryview) and not state.c_contiguous:
        state = state.tobytes()
    return _core.backend().buffer(state, "char")


def sum_exact_merge(*states: Union[StateLike, Iterable[StateLike]]) -> bytes:
    """The state of the union of the given states' elements. Accepts states
    as arguments or one iterable of states; no state gives the empty state.
    Raises ValueError (parchunk.ArgumentError) for a corrupt state,
    OverflowError when the element count would exceed 2**64 - 1."""
    if len(states) == 1 and not isinstance(states[0], (bytes, bytearray, memoryview)):
        try:
            states = tuple(states[0])
        except TypeError:
            raise TypeError(f"sum_exact_merge() takes exact-sum states (bytes), not "
                            f"{type(states[0]).__name__}") from None
    b = _core.backend()
    acc = bytearray(STATE_SIZE)
    acc_buf = b.buffer(acc, "char", writable=True)
    _core.run("parchunk_sum_exact_partial", b.NULL, 0, _decls.ENUMS["PARCHUNK_FLOAT64"],
              acc_buf, n=0, name="sum_exact_merge()")
    for i, s in enumerate(states):
        _core.run("parchunk_sum_exact_merge", acc_buf, _state_arg(s, f"states[{i}]"), acc_buf,
                  n=0, name="sum_exact_merge()")
    return bytes(acc)


def sum_exact_finalize(state: StateLike) -> float:
    """The correctly rounded sum of a state (as sum_exact on its elements)."""
    out = _core.backend().new("double")
    _core.run("parchunk_sum_exact_finalize", _state_arg(state, "state"), out, n=0,
              name="sum_exact_finalize()")
    return out[0]


def mean_exact_finalize(state: StateLike) -> float:
    """The correctly rounded mean of a state (as mean_exact on its elements);
    EmptyError for the empty state."""
    out = _core.backend().new("double")
    _core.run("parchunk_mean_exact_finalize", _state_arg(state, "state"), out, n=0,
              name="mean_exact_finalize()")
    return out[0]


def sum_exact_count(state: StateLike) -> int:
    """The number of elements summarised by a state."""
    out = _core.backend().new("uint64_t")
    _core.run("parchunk_sum_exact_count", _state_arg(state, "state"), out, n=0,
              name="sum_exact_count()")
    return out[0]
