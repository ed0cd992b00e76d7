"""Exceptions raised by justice_quarterly, mapped from the C library's status codes.

=====================  ==========================================================
C status               Python exception
=====================  ==========================================================
``JQL_EINVALID``       :class:`ValidationError` (also a :class:`ValueError`)
``JQL_ELIMIT``         :class:`LimitError` (a :class:`ValidationError`)
``JQL_EEXISTS``        :class:`AlreadyExistsError` (a :class:`ValidationError`)
``JQL_ENOTFOUND``      :class:`NotFoundError` (also a :class:`KeyError`)
``JQL_ENODATA``        :class:`NoDataError` (also a :class:`LookupError`); the
                       value queries return None for it instead of raising
``JQL_ECALLBACK``      :class:`CallbackError`, chained (``raise ... from``) to the
                       exception the custom function raised
``JQL_ENOMEM``         :class:`MemoryError`
``JQL_EIO``            :class:`OSError` (``FileNotFoundError``... with ``errno``
                       and ``filename`` when the library reports the cause)
anything else          :class:`Error`
=====================  ==========================================================

Every library exception carries ``status``, the C status code: the numbers
are the constants the extension exports (``justice_quarterly._core.JQL_EINVALID``
...), given to these classes when the extension is loaded.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

__all__ = [
    "Diagnostic", "ScoringWarning", "Error", "ValidationError", "LimitError", "AlreadyExistsError",
    "NotFoundError", "NoDataError", "CallbackError",
]


class Diagnostic(NamedTuple):
    """One located problem found in an input.

    ``path`` is a JSON Pointer ("" for the whole document), ``line`` and
    ``column`` are 1-based (0 when unknown), ``severity`` is ``"error"`` or
    ``"warning"``, ``source`` names the input ("<memory>", a path) or is None.
    """

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"
    source: Optional[str] = None

    def __str__(self) -> str:
        where = self.source or ""
        if self.line:
            where += f":{self.line}:{self.column}"
        prefix = f"{where}: " if where else ""
        path = f"{self.path}: " if self.path else ""
        kind = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{kind}{path}{self.message}"


class ScoringWarning(UserWarning):
    """Category of the warnings :func:`justice_quarterly.score` issues through the
    :mod:`warnings` module: a leaf no scored unit has data for, an empty period
    scored with ``allow_empty=True``. The same ones are in ``Results.warnings``.
    """


class Error(Exception):
    """Base class of the errors the library reports (``status``: the C status code)."""

    #: the C status code; numbers come from the extension's exported constants
    #: (``_core.JQL_EINVALID``...), see :func:`_bind_status_codes`
    status: int
    _status_name = "JQL_ERROR"

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(Error, ValueError):
    """Invalid input: a malformed file, a bad argument, a broken rule.

    ``errors`` lists every located problem (:class:`Diagnostic`) when the
    input was a document; it is empty for a single bad argument.
    """

    _status_name = "JQL_EINVALID"

    def __init__(self, message: str = "", errors: Optional[list] = None) -> None:
        super().__init__(message)
        self.errors: list = list(errors) if errors else []

    def __str__(self) -> str:
        shown = [str(e) for e in self.errors[:5]]
        more = len(self.errors) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more")
        return "\n".join([self.message] + shown) if shown else self.message


class LimitError(ValidationError):
    """A documented limit (input size, depth, count) was exceeded."""

    _status_name = "JQL_ELIMIT"


class AlreadyExistsError(ValidationError):
    """An id (or a unit/period/kind combination) is already in use."""

    _status_name = "JQL_EEXISTS"


class NotFoundError(Error, KeyError):
    """A looked-up thing does not exist (unknown period, unit id, record)."""

    _status_name = "JQL_ENOTFOUND"

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class NoDataError(Error, LookupError):
    """The ids are known but there is nothing to compute from (no statistic,
    nothing due, a report never submitted)."""

    _status_name = "JQL_ENODATA"


class CallbackError(Error):
    """A custom leaf method failed; the original exception is ``__cause__``."""

    _status_name = "JQL_ECALLBACK"


def _bind_status_codes(core) -> None:
    """Called once by the extension as it loads: each exception's ``status``
    becomes the library's number for its ``_status_name``, so no number is
    written in Python."""
    for cls in (Error, ValidationError, LimitError, AlreadyExistsError, NotFoundError,
                NoDataError, CallbackError):
        cls.status = getattr(core, cls._status_name)
