"""Tables in and out: CSV files, pandas DataFrames and Excel workbooks.

Import goes through the C library's CSV reader (``jql_csv_import_buffer``):
a DataFrame or an Excel sheet is written as CSV text with exact numbers,
then imported all or nothing with every problem located. Cells convert
exactly: ``int``, ``Decimal`` and ``str`` as they are, ``float`` through its
shortest repr (``884.0`` is 884) and refused when that needs more than three
decimals (``0.1 + 0.2``), dates as ``YYYY-MM-DD``, missing values (None,
NaN, NaT) as empty cells.

Export helpers build the DataFrames of :mod:`justice_quarterly.results` and
:meth:`Dataset.statistics_dataframe`: numbers as float64 by default
(``numbers="float"``, for plotting and ``describe()``) or exact ``Decimal``
(``numbers="decimal"``).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import numbers
import os
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any, Dict, Iterable, List, Optional, Tuple

from . import _core
from .errors import Diagnostic, ValidationError

__all__ = ["CSV_KINDS", "period_name", "numbers_column"]

#: File kinds, indexed by the C enum jql_csv_kind (the library's names).
CSV_KINDS: Tuple[str, ...] = _core.ENUM_NAMES["csv_kind"]

NUMBERS = ("float", "decimal")


def kind_code(kind: str) -> int:
    try:
        return CSV_KINDS.index(kind)
    except ValueError:
        raise ValueError(f"kind must be one of {', '.join(CSV_KINDS)}, not {kind!r}") from None


def char_option(value: Optional[str], allowed: str, what: str) -> str:
    """',' / ';' / '.' for the C call; ' ' means "detect"."""
    if value is None:
        return " "
    if not isinstance(value, str) or len(value) != 1 or value not in allowed:
        raise ValueError(f"{what} must be one of {' '.join(repr(c) for c in allowed)} or None")
    return value


def fold(text: str) -> str:
    """Header folding as the C library does it (case, accents, '_' and '-')."""
    s = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("đ", "d")
    return " ".join(s.replace("_", " ").replace("-", " ").split())


# ---- cells ------------------------------------------------------------------------------

def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) or type(value).__name__ in ("float32", "float64", "float16"):
        return math.isnan(value)
    name = type(value).__name__
    return name in ("NAType", "NaTType")


def cell_text(value: Any, mark: str) -> str:
    """The exact CSV text of one cell; ValueError/TypeError says why it cannot be."""
    if _is_missing(value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, datetime.datetime) or hasattr(value, "to_pydatetime"):
        dt = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
        if (dt.hour, dt.minute, dt.second, dt.microsecond) != (0, 0, 0, 0):
            raise ValueError(f"{value!r} has a time of day; a date is expected")
        return dt.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real) and not isinstance(value, (Decimal, numbers.Rational)):
        f = float(value)
        if not math.isfinite(f):
            raise ValueError(f"{f!r} is not a finite number")
        d = Decimal(repr(f))  # the shortest text that reads back as this float
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a finite number")
        d = value
    elif isinstance(value, numbers.Rational):
        d = Decimal(value.numerator) / Decimal(value.denominator)
        if d * value.denominator != value.numerator:
            raise ValueError(f"{value} needs more than 3 decimals")
    else:
        raise TypeError(f"cells must be int, Decimal, float, str or a date, not "
                        f"{type(value).__name__}")
    try:
        exact = d.quantize(Decimal("0.001"))
    except InvalidOperation:
        raise ValueError(f"{value!r} is too large") from None
    if exact != d:
        raise ValueError(f"{value!r} needs more than 3 decimals; it is not rounded silently")
    text = format(d.normalize(), "f") if d != 0 else "0"
    return text.replace(".", mark) if mark == "," else text


# ---- DataFrames and sheets as CSV ------------------------------------------------------------

def frame_csv(df, mark: str, source: str) -> Tuple[bytes, Dict[int, Any], List[Diagnostic]]:
    """CSV text of a DataFrame: the text, line → row label, conversion problems."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    headers = [str(c) for c in df.columns]
    writer.writerow(headers)
    lines: Dict[int, Any] = {}
    problems: List[Diagnostic] = []
    line = out.getvalue().count("\n") + 1
    # each row is written alone first, to count its lines (a cell may hold
    # one): reading the lines back from the whole text copied it at every
    # row, 76 s for 200,000 rows
    row_out = io.StringIO()
    row_writer = csv.writer(row_out, lineterminator="\n")
    for pos, row in enumerate(df.itertuples(index=True, name=None)):
        label, values = row[0], row[1:]
        cells = []
        for col, value in enumerate(values):
            try:
                cells.append(cell_text(value, mark))
            except (TypeError, ValueError) as e:
                problems.append(Diagnostic(headers[col], line, col + 1,
                                           f"row {label!r}: {e}", "error", source))
                cells.append("")
        row_out.seek(0)
        row_out.truncate()
        row_writer.writerow(cells)
        text = row_out.getvalue()
        out.write(text)
        lines[line] = label
        line += text.count("\n")
    return out.getvalue().encode("utf-8"), lines, problems


def with_rows(errors: Iterable[Diagnostic], lines: Dict[int, Any]) -> List[Diagnostic]:
    """Name the DataFrame row of each problem of the generated CSV."""
    out = []
    for e in errors:
        label = lines.get(e.line)
        if label is not None and not e.message.startswith("row "):
            e = e._replace(message=f"row {label!r}: {e.message}")
        out.append(e)
    return out


def stats_kind(df, period: Optional[str]) -> str:
    """Long statistics when the frame has an indicator column, else wide."""
    if period is None and any(fold(str(c)) in ("indicator", "chi tieu", "ma chi tieu")
                              for c in df.columns):
        return "stats"
    return "stats-wide"


def read_excel(path, sheet):
    """Sheets of a workbook as DataFrames (pandas with openpyxl), in workbook order."""
    import pandas as pd

    frames = pd.read_excel(path, sheet_name=sheet, dtype=object, engine="openpyxl")
    if not isinstance(frames, dict):
        frames = {sheet: frames}
    out = []
    for name, df in frames.items():
        # columns with neither header nor data, and empty rows, are what a
        # sheet's formatting leaves behind
        blank = [c for c in df.columns if str(c).startswith("Unnamed:") and df[c].isna().all()]
        df = df.drop(columns=blank).dropna(axis=0, how="all")
        if len(df.columns):
            out.append((name, df))
    return out


def source_name(source: Any) -> Optional[str]:
    if isinstance(source, (str, os.PathLike)):
        return os.fsdecode(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


# ---- export -------------------------------------------------------------------------------

def period_name(ds, period: str) -> str:
    """Display name of a period (the library's jql_period_display_name, "vi"):
    the declared name, else "Quý I/2014", "6 tháng đầu năm 2014", "9 tháng năm
    2014", "Năm 2014", else the id."""
    if ds is None:
        from .dataset import Dataset
        ds = Dataset()
    return ds.periods.display_name(period, "vi")


def numbers_column(values: List[Optional[Decimal]], numbers: str):
    """A pandas Series of points: float64 (None → NaN) or Decimal objects."""
    import pandas as pd

    if numbers not in NUMBERS:
        raise ValueError(f"numbers must be 'float' or 'decimal', not {numbers!r}")
    if numbers == "decimal":
        return pd.Series(values, dtype=object)
    return pd.Series([math.nan if v is None else float(v) for v in values], dtype="float64")


def as_float(numbers: str) -> bool:
    """True for numbers="float", False for "decimal"; ValueError otherwise."""
    if numbers not in NUMBERS:
        raise ValueError(f"numbers must be 'float' or 'decimal', not {numbers!r}")
    return numbers == "float"


def points_series(values):
    """A pandas Series of points from the C readers: packed doubles (NaN for
    null) become float64 without a Python float each; a list of Decimal/None
    stays objects."""
    import numpy as np
    import pandas as pd

    if isinstance(values, (bytes, bytearray)):
        return pd.Series(np.frombuffer(values, dtype=np.float64), dtype="float64")
    return objects_series(values)


def objects_series(values: list):
    """pd.Series(values, dtype=object), the same Series, made through
    np.fromiter: filling an object array from a list probes every item for
    the array protocols, which for a Decimal costs 0.8 µs (146,000 Decimals:
    110 ms, against 2 ms)."""
    import numpy as np
    import pandas as pd

    try:
        array = np.fromiter(values, dtype=object, count=len(values))
    except (TypeError, ValueError):  # a numpy before 1.23 has no object fromiter
        return pd.Series(values, dtype=object)
    return pd.Series(array, dtype=object, copy=False)


def flags_series(values: bytearray):
    """A bool Series from packed 0/1 bytes."""
    import numpy as np
    import pandas as pd

    return pd.Series(np.frombuffer(values, dtype=np.bool_), dtype=bool)


def raise_with(errors: List[Diagnostic], source: Optional[str]) -> None:
    n = sum(e.severity == "error" for e in errors)
    raise ValidationError(f"{source or '<DataFrame>'}: {n} error{'s' if n != 1 else ''}",
                          errors)
