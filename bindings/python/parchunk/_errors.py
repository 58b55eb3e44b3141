"""Exceptions: one class per parchunk_status, each also the fitting builtin."""
from __future__ import annotations

from typing import Dict, Optional, Type

from . import _decls

STATUS_NAMES: Dict[int, str] = {
    v: k[len("PARCHUNK_"):] for k, v in _decls.ENUMS.items()
    if k == "PARCHUNK_OK" or k.startswith("PARCHUNK_ERR_")
}


class Error(Exception):
    """Base class of every parchunk error.

    .code is the parchunk_status value (an int), .status its name
    (e.g. "ERR_ARG"). Subclasses are also the matching builtin exception, so
    ``except ValueError`` catches a bad argument.
    """

    code: int = _decls.ENUMS["PARCHUNK_ERR_ARG"]

    def __init__(self, message: str, code: Optional[int] = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def status(self) -> str:
        return STATUS_NAMES.get(self.code, f"status {self.code}")


class ArgumentError(Error, ValueError):
    """An argument is out of its documented range (PARCHUNK_ERR_ARG, ERR_NULL)."""
    code = _decls.ENUMS["PARCHUNK_ERR_ARG"]


class EmptyError(ArgumentError):
    """The operation is undefined on zero elements (PARCHUNK_ERR_EMPTY)."""
    code = _decls.ENUMS["PARCHUNK_ERR_EMPTY"]


class ShapeError(ArgumentError):
    """Array shapes or lengths do not agree (PARCHUNK_ERR_SHAPE)."""
    code = _decls.ENUMS["PARCHUNK_ERR_SHAPE"]


class DomainError(ArgumentError):
    """A value is outside the operation's domain (PARCHUNK_ERR_DOMAIN)."""
    code = _decls.ENUMS["PARCHUNK_ERR_DOMAIN"]


class ParseError(ArgumentError):
    """Malformed text input (PARCHUNK_ERR_PARSE)."""
    code = _decls.ENUMS["PARCHUNK_ERR_PARSE"]


class DTypeError(Error, TypeError):
    """An element type parchunk does not take (PARCHUNK_ERR_DTYPE), or an
    input object that is not an array at all."""
    code = _decls.ENUMS["PARCHUNK_ERR_DTYPE"]


class ResultOverflowError(Error, OverflowError):
    """The exact result (or an input value) does not fit the type (PARCHUNK_ERR_OVERFLOW)."""
    code = _decls.ENUMS["PARCHUNK_ERR_OVERFLOW"]


class OutOfMemoryError(Error, MemoryError):
    """Memory allocation failed (PARCHUNK_ERR_NOMEM)."""
    code = _decls.ENUMS["PARCHUNK_ERR_NOMEM"]


class FileError(Error, OSError):
    """An operating-system I/O error (PARCHUNK_ERR_IO, ERR_CHANGED)."""
    code = _decls.ENUMS["PARCHUNK_ERR_IO"]

    def __init__(self, message: str, code: Optional[int] = None) -> None:
        Exception.__init__(self, message)
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Cancelled(Error):
    """parchunk_ctx_cancel() stopped the call (PARCHUNK_ERR_CANCELLED).

    A Ctrl-C during a call raises KeyboardInterrupt, not this."""
    code = _decls.ENUMS["PARCHUNK_ERR_CANCELLED"]


class BusyError(Error, RuntimeError):
    """The context is already running a call (PARCHUNK_ERR_BUSY)."""
    code = _decls.ENUMS["PARCHUNK_ERR_BUSY"]


class UnsupportedError(Error, NotImplementedError):
    """A valid request this build or machine cannot serve (PARCHUNK_ERR_UNSUPPORTED)."""
    code = _decls.ENUMS["PARCHUNK_ERR_UNSUPPORTED"]


_E = _decls.ENUMS
EXCEPTION_OF_STATUS: Dict[int, Type[Error]] = {
    _E["PARCHUNK_ERR_NULL"]: ArgumentError,
    _E["PARCHUNK_ERR_DTYPE"]: DTypeError,
    _E["PARCHUNK_ERR_ARG"]: ArgumentError,
    _E["PARCHUNK_ERR_EMPTY"]: EmptyError,
    _E["PARCHUNK_ERR_OVERFLOW"]: ResultOverflowError,
    _E["PARCHUNK_ERR_CANCELLED"]: Cancelled,
    _E["PARCHUNK_ERR_NOMEM"]: OutOfMemoryError,
    _E["PARCHUNK_ERR_IO"]: FileError,
    _E["PARCHUNK_ERR_PARSE"]: ParseError,
    _E["PARCHUNK_ERR_SHAPE"]: ShapeError,
    _E["PARCHUNK_ERR_DOMAIN"]: DomainError,
    _E["PARCHUNK_ERR_BUSY"]: BusyError,
    _E["PARCHUNK_ERR_UNSUPPORTED"]: UnsupportedError,
    _E["PARCHUNK_ERR_CHANGED"]: FileError,
}


def error_for(status: int, message: str) -> Error:
    cls = EXCEPTION_OF_STATUS.get(status, Error)
    return cls(f"{message} [{STATUS_NAMES.get(status, status)}]", status)
