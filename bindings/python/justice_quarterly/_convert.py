"""Conversions between Python values and the C library's exact types.

Dates cross the C boundary as days since 1970-01-01 and numbers as integer
thousandths; Python sees :class:`datetime.date` and :class:`decimal.Decimal`
with exactly three places. Floats are refused: they cannot hold 0.1 exactly.
"""

from __future__ import annotations

import datetime
import numbers
from decimal import Decimal
from typing import Optional

from . import _core

_EPOCH = datetime.date(1970, 1, 1).toordinal()
_MILLI_MAX = _core.MILLI_MAX


def date_in(value: object, what: str = "date") -> int:
    """A date given as datetime.date or "YYYY-MM-DD" → days since 1970-01-01."""
    if isinstance(value, datetime.datetime):
        raise TypeError(f"{what} must be a datetime.date or 'YYYY-MM-DD', not a datetime")
    if isinstance(value, datetime.date):
        return _core.date_from_ymd(value.year, value.month, value.day)
    if isinstance(value, str):
        return _core.date_parse(value)
    raise TypeError(f"{what} must be a datetime.date or 'YYYY-MM-DD', not {type(value).__name__}")


def opt_date_in(value: object, what: str = "date") -> Optional[int]:
    return None if value is None else date_in(value, what)


def date_out(days: Optional[int]) -> Optional[datetime.date]:
    return None if days is None else datetime.date.fromordinal(days + _EPOCH)


def dec(milli: Optional[int]) -> Optional[Decimal]:
    """Thousandths → Decimal with exactly 3 places (None stays None)."""
    return None if milli is None else Decimal(milli).scaleb(-3)


def exact_milli(value: object, what: str) -> int:
    """int, Decimal or Fraction (any numbers.Rational) → thousandths, exactly.

    Raises TypeError for floats, bools and anything else, ValueError for
    non-finite numbers, more than 3 decimal places or magnitudes over 9e12.
    The cost is bounded by the digits written, whatever the exponent.
    """
    if isinstance(value, (bool, float)) or not isinstance(value, (int, Decimal, numbers.Rational)):
        raise TypeError(
            f"{what} must be an int, decimal.Decimal or fractions.Fraction "
            f"(exact numbers), not {type(value).__name__}"
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{what} must be a finite number, not {value}")
        if not value:
            return 0  # any exponent: 0E-999999999 is 0
        if value.adjusted() > 15:
            raise ValueError(f"{what} {value} is out of range (at most 9e12 in magnitude)")
        if value.adjusted() < -3:
            # below 0.001 and not 0; checked before as_integer_ratio(), which
            # for 1E-999999999 would build a billion-digit denominator
            raise ValueError(f"{what} {value} has more than 3 decimal places")
        num, den = value.as_integer_ratio()
    else:
        num, den = value.numerator, value.denominator
    milli, rest = divmod(num * 1000, den)
    if rest:
        raise ValueError(f"{what} {value} has more than 3 decimal places")
    if abs(milli) > _MILLI_MAX:
        raise ValueError(f"{what} {value} is out of range (at most 9e12 in magnitude)")
    return milli


def milli_in(value: object, what: str) -> int:
    """As exact_milli(), also accepting decimal text ("2.5", "12")."""
    if isinstance(value, str):
        return _core.milli_parse(value)
    return exact_milli(value, what)


def opt_milli_in(value: object, what: str) -> Optional[int]:
    return None if value is None else milli_in(value, what)


def limit(name: str, value: Optional[int]) -> int:
    """A ``max_results=``-like argument: 0 (the library's default) for None; a positive int otherwise."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive int, not {value!r}")
    return value


def threads(value: int) -> int:
    """A ``threads=`` argument: an int from 1 (TypeError for anything but an int, bools
    included; ValueError below 1). More than :data:`SCORE_MAX_THREADS` is passed on as that
    many, the most the library starts."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"threads must be an int, not {type(value).__name__}")
    value = int(value)
    if value < 1:
        raise ValueError(f"threads must be at least 1, not {value}")
    return min(value, _core.SCORE_MAX_THREADS)


def max_input(value: Optional[int]) -> int:
    """A ``max_input_size=`` argument: 0 (the library's default) for None; a positive int otherwise."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"max_input_size must be a positive int, not {value!r}")
    return value
