"""The dataset: loading, saving, collections of records, the builder and the queries.

Thread safety: a :class:`Dataset` may be read (collections, queries, saving,
scoring) from several threads at once. Loading, saving and scoring release the
GIL. Modifying a dataset while another thread saves or scores it raises
:class:`RuntimeError` (a per-object "in use" counter guards every builder
method); other interleavings of reads and writes across threads are the
caller's to serialise.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from . import _core
from ._convert import (date_in, date_out, dec, milli_in, opt_date_in, opt_milli_in)
from ._convert import max_input as _max_input
from . import tables
from .errors import NotFoundError, ValidationError
from .records import (AGGREGATIONS, DIRECTIVE_STATUSES, MAKERS, PERIOD_KINDS, TASK_STATUSES,
                      Assessment, Change, Directive, Event, Indicator, Label, Period, PeriodRange,
                      ReportStanding,
                      Report, Shortcoming, Statistic, Task, Unit)

__all__ = ["Dataset", "RecordMap", "RecordList", "PeriodMap"]

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
_UNSET: Any = object()


class RecordList(Sequence):
    """A live, read-only sequence view of one kind of id-less records."""

    __slots__ = ("_ds", "_kind")

    def __init__(self, ds: "Dataset", kind: str) -> None:
        self._ds = ds
        self._kind = kind

    def __len__(self) -> int:
        return self._ds._count(self._kind)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        i = index.__index__()
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"{self._kind} index {index} out of range")
        return MAKERS[self._kind](self._ds._get(self._kind, i))

    def __iter__(self) -> Iterator:
        for i in range(len(self)):
            yield self[i]

    def __repr__(self) -> str:
        return f"<{self._kind}: {len(self)} records>"


class RecordMap(Mapping):
    """A live, read-only mapping view ``id → record`` in insertion order."""

    __slots__ = ("_ds", "_kind")

    def __init__(self, ds: "Dataset", kind: str) -> None:
        self._ds = ds
        self._kind = kind

    def index(self, key: str) -> int:
        """Position of the record with id ``key`` (NotFoundError when absent)."""
        i = self._ds._find(self._kind, key) if isinstance(key, str) else None
        if i is None:
            raise NotFoundError(f"no {self._kind[:-1]} with id {key!r}")
        return i

    def __getitem__(self, key: str):
        return MAKERS[self._kind](self._ds._get(self._kind, self.index(key)))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._ds._find(self._kind, key) is not None

    def __len__(self) -> int:
        return self._ds._count(self._kind)

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self.at(i).id

    def at(self, i: int):
        """The i-th record in insertion order."""
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"{self._kind} index {i} out of range")
        return MAKERS[self._kind](self._ds._get(self._kind, i))

    def __repr__(self) -> str:
        return f"<{self._kind}: {len(self)} records>"


class PeriodMap(RecordMap):
    """Declared periods, plus the period arithmetic that also knows standard ids."""

    __slots__ = ()

    def resolve(self, period: str) -> PeriodRange:
        """Kind and inclusive date range of a declared or standard period id."""
        kind, start, end = self._ds._period_resolve(period)
        return PeriodRange(period, PERIOD_KINDS[kind], date_out(start), date_out(end))

    def contains(self, outer: str, inner: str) -> bool:
        """True when period ``inner`` lies inside ``outer``."""
        return self._ds._period_contains(outer, inner)

    def previous(self, period: str) -> str:
        """The period before (2014-Q1 → 2013-Q4; a custom period: the declared one before)."""
        return self._ds._period_previous(period)

    def year_before(self, period: str) -> str:
        """The same period a year earlier ("cùng kỳ")."""
        return self._ds._period_year_before(period)

    def next(self, period: str) -> str:
        """The period after (2014-Q4 → 2015-Q1, 2014-9M → 2014-Q4; a custom period:
        the declared one starting the day after)."""
        return self._ds._period_next(period)

    def display_name(self, period: str, lang: str = "vi") -> str:
        """Display name: "vi" the declared name, else "Quý I/2014"..., else the id;
        "en" "Q1 2014"..., else the declared name, else the id."""
        return self._ds._period_display_name(period, lang)


def _opt_str(value: object, what: str) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{what} must be a str or None, not {type(value).__name__}")


def _enum(value: str, names: Tuple[str, ...], what: str) -> int:
    try:
        return names.index(value)
    except ValueError:
        raise ValueError(f"{what} must be one of {', '.join(names)}; got {value!r}") from None


def _encodable(*values) -> None:
    """Raise UnicodeEncodeError now for text C cannot take (lone surrogates),
    before a builder call has changed anything."""
    for v in values:
        if isinstance(v, str):
            v.encode("utf-8")


def _rehearse_unit(id, name, level, cluster, attrs) -> None:
    """Make the unit on a scratch dataset first: the library's own checks refuse a
    bad cluster or attribute before the real dataset has a half-made unit."""
    scratch = Dataset()
    i = scratch._unit_add(id, name, level, None)
    if cluster is not None:
        scratch._unit_set_cluster(i, cluster)
    for key, value in attrs.items():
        scratch._unit_set_attr(i, key, value)


#: Columns of Dataset.statistics_dataframe, in order, and those holding numbers.
_STAT_COLUMNS = ("unit", "unit_name", "cluster", "period", "period_name", "indicator",
                 "indicator_name", "measure_unit", "value", "year_before", "value_year_before",
                 "change", "change_percent")
_STAT_NUMBERS = ("value", "value_year_before", "change", "change_percent")


class Dataset(_core.Dataset):
    """A dataset of the quarterly review: units, periods, indicators, statistics,
    reports, tasks, shortcomings, directives, assessments and events.

    ``Dataset()`` is empty; :meth:`load` and :meth:`loads` read the JSON format
    (docs/FORMAT.md). Collections are live views: ``ds.units["tan-an"]``,
    ``len(ds.reports)``, ``"2014-Q1" in ds.periods``. Numbers are
    :class:`~decimal.Decimal` with three places, dates :class:`datetime.date`.
    """

    __slots__ = ("__weakref__",)

    def __init__(self, name: Optional[str] = None, description: Optional[str] = None) -> None:
        if name is not None:
            self.name = name
        if description is not None:
            self.description = description

    # ---- loading and saving -------------------------------------------------

    @classmethod
    def load(cls, source, *, max_input_size: Optional[int] = None) -> "Dataset":
        """Load from a path (str, bytes, os.PathLike) or a file opened in binary mode.

        ``max_input_size`` (bytes) replaces the default input limit
        (JQL_MAX_INPUT_BYTES, 512 MiB). Raises ValidationError (``.errors``
        lists every problem), LimitError, OSError (FileNotFoundError...) and
        MemoryError. The GIL is released while the file is read and parsed.
        """
        limit = _max_input(max_input_size)
        if hasattr(source, "read"):
            data = source.read()
            if isinstance(data, str):
                raise TypeError("open the file in binary mode ('rb')")
            name = getattr(source, "name", None)
            return cls._load_buffer(data, name if isinstance(name, str) else None, limit)
        return cls._load_path(os.fspath(source), limit)

    @classmethod
    def loads(cls, data: Union[str, bytes, bytearray, memoryview],
              source: Optional[str] = None, *,
              max_input_size: Optional[int] = None) -> "Dataset":
        """Load from JSON text (str, encoded as UTF-8) or bytes. ``source`` names it in errors;
        ``max_input_size`` as in :meth:`load`."""
        limit = _max_input(max_input_size)
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"loads() takes str or bytes, not {type(data).__name__}")
        return cls._load_buffer(data, source, limit)

    def to_json(self) -> str:
        """The canonical JSON text (loading and saving it reproduces it byte for byte)."""
        return self._to_json()

    def save(self, path: PathLike) -> None:
        """Save the canonical JSON atomically (temporary file, then rename)."""
        self._save(os.fspath(path))

    def check(self) -> list:
        """Check references and consistency as loading would.

        Returns the warnings; raises ValidationError listing every error.
        """
        return self._check()

    # ---- labels and documents: what reports print --------------------------------

    @property
    def labels(self) -> List[Label]:
        """Display names of the ids records use, in the order first set."""
        return [Label(kind, ident, dict(names)) for kind, ident, names in self._labels()]

    def label(self, kind: str, id: str, lang: str = "vi") -> Optional[str]:
        """The name of ``id`` (a ``kind``: "level", "cluster"...) in ``lang``, or None."""
        return self._label(kind, id, lang)

    def set_label(self, kind: str, id: str, lang: str, name: Optional[str]) -> None:
        """Add or replace a name (None removes it)."""
        self._label_set(kind, id, lang, name)

    @property
    def documents(self) -> Dict[str, Dict[str, str]]:
        """The review documents' administrative fields: period → {field: value}
        ("issuer", "number", "place_date"... as docs/FORMAT.md lists them)."""
        return {period: dict(fields) for period, fields in self._documents()}

    def document(self, period: str) -> Dict[str, str]:
        """The fields of ``period``'s document ({} when it has none)."""
        return dict(self._document(period))

    def set_document_field(self, period: str, field: str, value: Optional[str]) -> None:
        """Set a field of ``period``'s document (None removes it; NotFoundError for an
        unknown period)."""
        self._document_set(period, field, value)

    # ---- collections ----------------------------------------------------------

    @property
    def units(self) -> RecordMap:
        """Units by id (:class:`~justice_quarterly.records.Unit`)."""
        return RecordMap(self, "units")

    @property
    def periods(self) -> PeriodMap:
        """Declared periods by id, with resolve/contains/previous/year_before."""
        return PeriodMap(self, "periods")

    @property
    def indicators(self) -> RecordMap:
        """Indicators by id."""
        return RecordMap(self, "indicators")

    @property
    def tasks(self) -> RecordMap:
        """Tasks by id."""
        return RecordMap(self, "tasks")

    @property
    def shortcomings(self) -> RecordMap:
        """Shortcomings by id."""
        return RecordMap(self, "shortcomings")

    @property
    def directives(self) -> RecordMap:
        """Directives by id."""
        return RecordMap(self, "directives")

    @property
    def statistics(self) -> RecordList:
        """Statistics in insertion order."""
        return RecordList(self, "statistics")

    @property
    def reports(self) -> RecordList:
        """Report submissions in insertion order."""
        return RecordList(self, "reports")

    @property
    def assessments(self) -> RecordList:
        """Assessments in insertion order."""
        return RecordList(self, "assessments")

    @property
    def events(self) -> RecordList:
        """Events in insertion order."""
        return RecordList(self, "events")

    def descendants(self, unit: str) -> Tuple[str, ...]:
        """Ids of the unit's descendants, depth-first pre-order (not the unit itself)."""
        return self._unit_descendants(self.units.index(unit))

    def depth(self, unit: str) -> int:
        """Depth of a unit in the hierarchy: 0 for a root."""
        return self._unit_depth(self.units.index(unit))

    _REPR_KINDS = ("units", "periods", "indicators", "statistics", "reports", "tasks",
                   "shortcomings", "directives", "assessments", "events")

    def _stat_periods(self) -> List[str]:
        seen: Dict[str, None] = {}
        for i in range(self._count("statistics")):
            seen.setdefault(self._get("statistics", i)[2], None)
        return sorted(seen)

    def __repr__(self) -> str:
        name = f" {self.name!r}" if self.name else ""
        counts = ", ".join(f"{self._count(k)} {k}" for k in self._REPR_KINDS
                           if self._count(k) or k in ("units", "statistics"))
        periods = self._stat_periods()
        span = f" ({periods[0]}..{periods[-1]})" if len(periods) > 1 else \
            f" ({periods[0]})" if periods else ""
        return f"<justice_quarterly.Dataset{name}: {counts}{span}>"

    def _repr_html_(self) -> str:
        """A notebook summary: record counts, statistics periods and the first units."""
        import html

        esc = html.escape
        rows = "".join(f"<tr><th>{k}</th><td>{self._count(k)}</td></tr>"
                       for k in self._REPR_KINDS)
        periods = ", ".join(esc(p) for p in self._stat_periods()) or "—"
        units = list(self.units.values())
        shown = "".join(f"<tr><td>{esc(u.id)}</td><td>{esc(u.name)}</td><td>{esc(u.level)}</td>"
                        f"<td>{esc(u.cluster or '')}</td></tr>" for u in units[:20])
        more = f"<p>… and {len(units) - 20} more units</p>" if len(units) > 20 else ""
        title = esc(self.name or "Dataset")
        return (f"<div class=\"justice-quarterly-dataset\"><strong>{title}</strong>"
                f"<table><tbody>{rows}<tr><th>statistics periods</th><td>{periods}</td></tr>"
                f"</tbody></table><table><thead><tr><th>unit</th><th>name</th><th>level</th>"
                f"<th>cluster</th></tr></thead><tbody>{shown}</tbody></table>{more}</div>")

    # ---- tables: CSV, DataFrames, Excel ---------------------------------------------

    def import_csv(self, source, *, kind: str = "auto", separator: Optional[str] = None,
                   decimal_mark: Optional[str] = None, period: Optional[str] = None,
                   max_input_size: Optional[int] = None) -> list:
        """Import the records of a CSV file (docs/CSV.md) into this dataset.

        ``source``: a path, a binary file, bytes or str (the text itself).
        ``kind``: auto (from the header row), stats, stats-wide, reports, tasks,
        directives, assessments, events, units or indicators. ``separator``
        (',' or ';') and ``decimal_mark`` ('.' or ','): None detects them.
        ``period``: for wide statistics without a period column.
        ``max_input_size`` (bytes) replaces the default input limit, as in
        :meth:`load` (a larger input raises LimitError; a file is read no
        further than the limit).
        All or nothing: raises ValidationError listing every located problem
        (``path`` is the column header) and leaves the dataset unchanged.
        Returns the warnings (e.g. a statistic whose value was replaced).
        """
        limit = _max_input(max_input_size)
        # one byte past the limit is enough for the library to refuse the input
        cap = (limit or _DEFAULT_MAX_INPUT) + 1
        name = tables.source_name(source)
        if isinstance(source, str) and not os.path.exists(source) and "\n" in source:
            data, name = source.encode("utf-8"), None
        elif isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
        elif hasattr(source, "read"):
            data = source.read(cap)
            if isinstance(data, str):
                raise TypeError("open the file in binary mode ('rb')")
        else:
            with open(os.fspath(source), "rb") as f:
                data = f.read(cap)
        return self._csv_import(data, name, tables.kind_code(kind),
                                tables.char_option(separator, ",;", "separator"),
                                tables.char_option(decimal_mark, ".,", "decimal_mark"),
                                _opt_str(period, "period"), limit)

    @classmethod
    def from_csv(cls, *sources, base: Optional["Dataset"] = None, **options) -> "Dataset":
        """A new dataset from CSV files imported in order (see :meth:`import_csv`),
        starting from a copy of ``base`` when given."""
        ds = cls.loads(base.to_json()) if base is not None else cls()
        for source in sources:
            ds.import_csv(source, **options)
        return ds

    def import_dataframe(self, df, *, kind: str = "auto", period: Optional[str] = None,
                         decimal_mark: str = ".", source: Optional[str] = None) -> list:
        """Import a pandas DataFrame whose columns are the headers of a CSV kind.

        Cells: int, Decimal, str as they are; float through its shortest repr
        (``884.0`` is 884), refused with its row when that needs more than 3
        decimals; dates as dates; None/NaN/NaT as empty. Strings holding
        numbers use ``decimal_mark``. All or nothing; errors name the row label.
        """
        name = source or "<DataFrame>"
        mark = tables.char_option(decimal_mark, ".,", "decimal_mark")
        text, lines, problems = tables.frame_csv(df, mark, name)
        args = (text, name, tables.kind_code(kind), ",", mark, _opt_str(period, "period"))
        # with cells refused here, the rest is still checked, on a scratch copy
        target = self.loads(self.to_json()) if problems else self
        errors: list = []
        try:
            warnings = target._csv_import(*args)
        except ValidationError as e:
            errors = tables.with_rows(e.errors, lines)
        if problems or errors:
            taken = {(p.line, p.column) for p in problems}
            errors = problems + [x for x in errors if (x.line, x.column) not in taken]
            errors.sort(key=lambda x: (x.line, x.column))
            tables.raise_with(errors, name)
        return tables.with_rows(warnings, lines)

    def set_stats(self, df, *, period: Optional[str] = None, decimal_mark: str = ".") -> list:
        """Set statistics from a DataFrame, all or nothing: long form (columns unit,
        period, indicator, value) or, with ``period`` or without an indicator
        column, wide form (a unit column and one column per indicator id or name).
        Values as in :meth:`import_dataframe`. Returns the warnings."""
        return self.import_dataframe(df, kind=tables.stats_kind(df, period), period=period,
                                     decimal_mark=decimal_mark)

    @classmethod
    def from_dataframe(cls, frames, *, kind: str = "auto", period: Optional[str] = None,
                       base: Optional["Dataset"] = None) -> "Dataset":
        """A new dataset from one DataFrame or a sequence of them (units, indicators,
        statistics...; each of ``kind``), starting from a copy of ``base`` when given."""
        ds = cls.loads(base.to_json()) if base is not None else cls()
        if hasattr(frames, "columns"):
            frames = [frames]
        for df in frames:
            ds.import_dataframe(df, kind=kind, period=period)
        return ds

    def import_excel(self, path, *, sheet=None, kind: str = "auto",
                     period: Optional[str] = None) -> list:
        """Import the sheets of an .xlsx workbook (pandas with openpyxl), each like a
        CSV file of ``kind``; ``sheet`` (name or position) or None for every
        non-empty sheet, in workbook order. All or nothing over the workbook."""
        frames = tables.read_excel(path, sheet)
        # every sheet is tried on a copy; only when all pass are they replayed here
        work = self.loads(self.to_json()) if len(frames) > 1 else self
        errors: list = []
        warnings: list = []
        for name, df in frames:
            try:
                warnings += work.import_dataframe(df, kind=kind, period=period,
                                                  source=f"{os.fspath(path)}[{name}]")
            except ValidationError as e:
                errors += e.errors
        if errors:
            tables.raise_with(errors, os.fspath(path))
        if work is not self:
            for name, df in frames:
                self.import_dataframe(df, kind=kind, period=period,
                                      source=f"{os.fspath(path)}[{name}]")
        return warnings

    @classmethod
    def from_excel(cls, path, *, sheet=None, kind: str = "auto", period: Optional[str] = None,
                   base: Optional["Dataset"] = None) -> "Dataset":
        """A new dataset from an .xlsx workbook (see :meth:`import_excel`)."""
        ds = cls.loads(base.to_json()) if base is not None else cls()
        ds.import_excel(path, sheet=sheet, kind=kind, period=period)
        return ds

    def statistics_dataframe(self, numbers: str = "float", rollup: bool = False):
        """One row per statistic (unit × period × indicator) with names, the same
        period a year before, its value and the change: ready for ``pivot_table``.

        Columns: unit, unit_name, cluster, period, period_name, indicator,
        indicator_name, measure_unit, value, year_before, value_year_before,
        change, change_percent (change in %). ``numbers``: "float" (float64,
        NaN for no data) or "decimal" (exact Decimal, None for no data).
        """
        import pandas as pd

        # every column read in C in one pass (18 µs a row when built here)
        cols = self._statistics_columns(tables.as_float(numbers), bool(rollup))
        data = {}
        for key in _STAT_COLUMNS:
            if key in _STAT_NUMBERS:
                data[key] = tables.points_series(cols[key])
            else:
                data[key] = tables.objects_series(cols[key])
        return pd.DataFrame(data, columns=list(_STAT_COLUMNS))

    # ---- builder: units, periods, indicators, statistics ----------------------

    def _check_units(self, units) -> None:
        """Refuse unknown units before a record is added that would list them."""
        for unit in units:
            if not isinstance(unit, str):
                raise TypeError(f"unit ids must be str, not {type(unit).__name__}")
            _encodable(unit)
            if unit not in self.units:
                raise NotFoundError(f'unknown unit "{unit}"')

    def add_unit(self, id: str, name: str, level: str, parent: Optional[str] = None, *,
                 cluster: Optional[str] = None,
                 attributes: Optional[Dict[str, str]] = None) -> Unit:
        """Add a unit (``parent``: an existing unit id, None for a root)."""
        attrs = dict(attributes or {})
        _opt_str(cluster, "cluster")
        _rehearse_unit(id, name, level, cluster, attrs)
        i = self._unit_add(id, name, level, parent)
        if cluster is not None:
            self._unit_set_cluster(i, cluster)
        for key, value in attrs.items():
            self._unit_set_attr(i, key, value)
        return self.units.at(i)

    def set_unit(self, id: str, *, name: str = _UNSET, level: str = _UNSET,
                 cluster: Optional[str] = _UNSET, parent: Optional[str] = _UNSET) -> Unit:
        """Change a unit's name, level, cluster (None clears) or parent (None: a root)."""
        i = self.units.index(id)
        _rehearse_unit("u", "u" if name is _UNSET else name, "u" if level is _UNSET else level,
                       None if cluster is _UNSET else cluster, {})
        if parent is not _UNSET:  # first: it may make a cycle, refused before any change
            self._unit_set_parent(i, parent)
        if name is not _UNSET:
            self._unit_set_name(i, name)
        if level is not _UNSET:
            self._unit_set_level(i, level)
        if cluster is not _UNSET:
            self._unit_set_cluster(i, cluster)
        return self.units.at(i)

    def set_unit_attribute(self, unit: str, key: str, value: Optional[str]) -> None:
        """Set a free attribute of a unit (None removes it)."""
        self._unit_set_attr(self.units.index(unit), key, value)

    def add_period(self, id: str, start: Union[datetime.date, str], end: Union[datetime.date, str],
                   name: Optional[str] = None) -> Period:
        """Declare a period with an explicit inclusive date range."""
        i = self._period_add(id, name, date_in(start, "start"), date_in(end, "end"))
        return self.periods.at(i)

    def add_indicator(self, id: str, name: str, measure_unit: Optional[str] = None,
                      aggregation: str = "sum", *, field: Optional[str] = None) -> Indicator:
        """Add an indicator (aggregation: sum, last, mean, min or max)."""
        agg = _enum(aggregation, AGGREGATIONS, "aggregation")
        _encodable(field)
        i = self._indicator_add(id, name, measure_unit, agg)
        if field is not None:
            self._indicator_set_field(i, field)
        return self.indicators.at(i)

    def set_indicator_field(self, indicator: str, field: Optional[str]) -> None:
        """Set or clear the field of work of an indicator."""
        self._indicator_set_field(self.indicators.index(indicator), field)

    def set_stat(self, unit: str, indicator: str, period: str,
                 value: Union[int, Decimal, str]) -> None:
        """Set (add or replace) a unit's value of an indicator for a period (≥ 0)."""
        self._stat_set(unit, indicator, period, milli_in(value, "value"))

    # ---- builder: reports, tasks, shortcomings, directives --------------------

    def add_report(self, unit: str, period: str, kind: str, due: Union[datetime.date, str],
                   submitted: Union[datetime.date, str, None] = None,
                   complete: bool = False) -> Report:
        """Add a report submission (``submitted`` None: never submitted)."""
        i = self._report_add(unit, period, kind, date_in(due, "due"),
                             opt_date_in(submitted, "submitted"), bool(complete))
        return self.reports[i]

    def _report_index(self, unit: str, period: str, kind: str) -> int:
        i = self._report_find(unit, period, kind)  # the library's report_keys hash
        if i is None:
            raise NotFoundError(
                f"no report of kind {kind!r} of unit {unit!r} for period {period!r}")
        return i

    def set_report_submitted(self, unit: str, period: str, kind: str,
                             submitted: Union[datetime.date, str, None],
                             complete: bool) -> Report:
        """Record (or clear, with None) the submission of a report."""
        i = self._report_index(unit, period, kind)
        self._report_set_submitted(i, opt_date_in(submitted, "submitted"), bool(complete))
        return self.reports[i]

    def add_task(self, id: str, title: str, due: Union[datetime.date, str],
                 owners: Iterable[str] = (), *, field: Optional[str] = None,
                 period: Optional[str] = None, status: str = "pending",
                 completed: Union[datetime.date, str, None] = None) -> Task:
        """Add a task owned by ``owners`` (unit ids); ``done`` needs ``completed``."""
        owners = [owners] if isinstance(owners, str) else list(owners)
        st = _enum(status, TASK_STATUSES, "status")
        done = opt_date_in(completed, "completed")
        self._check_units(owners)
        _encodable(field, period)
        i = self._task_add(id, title, date_in(due, "due"))
        for unit in owners:
            self._task_add_owner(i, unit)
        if field is not None:
            self._task_set_field(i, field)
        if period is not None:
            self._task_set_period(i, period)
        if st or done is not None:
            self._task_set_status(i, st, done)
        return self.tasks.at(i)

    def add_task_owner(self, task: str, unit: str) -> None:
        """Add an owner unit to a task."""
        self._task_add_owner(self.tasks.index(task), unit)

    def set_task(self, id: str, *, field: Optional[str] = _UNSET,
                 period: Optional[str] = _UNSET) -> Task:
        """Change (or clear with None) a task's field or programme period."""
        i = self.tasks.index(id)
        if field is not _UNSET:
            self._task_set_field(i, field)
        if period is not _UNSET:
            self._task_set_period(i, period)
        return self.tasks.at(i)

    def set_task_status(self, id: str, status: str,
                        completed: Union[datetime.date, str, None] = None) -> Task:
        """Set status (pending, in_progress, done) and completion date together."""
        i = self.tasks.index(id)
        self._task_set_status(i, _enum(status, TASK_STATUSES, "status"),
                              opt_date_in(completed, "completed"))
        return self.tasks.at(i)

    def add_shortcoming(self, id: str, period: str, text: str, units: Iterable[str] = (), *,
                        field: Optional[str] = None, causes: Iterable[Tuple[str, str]] = (),
                        resolved: Optional[str] = None) -> Shortcoming:
        """Add a shortcoming found in ``period`` (``units``: those concerned, none: all)."""
        units = [units] if isinstance(units, str) else list(units)
        causes = [tuple(c) for c in causes]
        self._check_units(units)
        _encodable(field, resolved, *(x for c in causes for x in c))
        i = self._shortcoming_add(id, period, text)
        for unit in units:
            self._shortcoming_add_unit(i, unit)
        for kind, why in causes:
            self._shortcoming_add_cause(i, kind, why)
        if field is not None:
            self._shortcoming_set_field(i, field)
        if resolved is not None:
            self._shortcoming_set_resolved(i, resolved)
        return self.shortcomings.at(i)

    def add_shortcoming_unit(self, shortcoming: str, unit: str) -> None:
        """Add a unit concerned by a shortcoming."""
        self._shortcoming_add_unit(self.shortcomings.index(shortcoming), unit)

    def add_shortcoming_cause(self, shortcoming: str, kind: str, text: str) -> None:
        """Add a cause ("subjective", "objective"...) to a shortcoming."""
        self._shortcoming_add_cause(self.shortcomings.index(shortcoming), kind, text)

    def set_shortcoming(self, id: str, *, field: Optional[str] = _UNSET,
                        resolved: Optional[str] = _UNSET) -> Shortcoming:
        """Change (or clear with None) the field or the period it was resolved in."""
        i = self.shortcomings.index(id)
        if field is not _UNSET:
            self._shortcoming_set_field(i, field)
        if resolved is not _UNSET:
            self._shortcoming_set_resolved(i, resolved)
        return self.shortcomings.at(i)

    def add_directive(self, id: str, issued: Union[datetime.date, str], issuer: str, text: str,
                      *, units: Iterable[str] = (), levels: Iterable[str] = (),
                      due: Union[datetime.date, str, None] = None,
                      answers: Iterable[str] = (), status: str = "open",
                      completed: Union[datetime.date, str, None] = None) -> Directive:
        """Add a directive addressed to units (by id) and/or levels."""
        units = [units] if isinstance(units, str) else list(units)
        levels = [levels] if isinstance(levels, str) else list(levels)
        answers = [answers] if isinstance(answers, str) else list(answers)
        st = _enum(status, DIRECTIVE_STATUSES, "status")
        due_d, done = opt_date_in(due, "due"), opt_date_in(completed, "completed")
        self._check_units(units)
        _encodable(*levels, *answers)
        i = self._directive_add(id, date_in(issued, "issued"), issuer, text)
        for unit in units:
            self._directive_add_unit(i, unit)
        for level in levels:
            self._directive_add_level(i, level)
        for answer in answers:
            self._directive_add_answer(i, answer)
        if due_d is not None:
            self._directive_set_due(i, due_d)
        if st or done is not None:
            self._directive_set_status(i, st, done)
        return self.directives.at(i)

    def add_directive_unit(self, directive: str, unit: str) -> None:
        """Address a directive to one more unit."""
        self._directive_add_unit(self.directives.index(directive), unit)

    def add_directive_level(self, directive: str, level: str) -> None:
        """Address a directive to every unit of one more level."""
        self._directive_add_level(self.directives.index(directive), level)

    def add_directive_answer(self, directive: str, answer: str) -> None:
        """Link a directive to the shortcoming or task id it answers."""
        self._directive_add_answer(self.directives.index(directive), answer)

    def set_directive_due(self, directive: str, due: Union[datetime.date, str, None]) -> None:
        """Set (None: clear) the due date of a directive."""
        self._directive_set_due(self.directives.index(directive), opt_date_in(due, "due"))

    def set_directive_status(self, id: str, status: str,
                             completed: Union[datetime.date, str, None] = None) -> Directive:
        """Set status (open, done) and completion date together."""
        i = self.directives.index(id)
        self._directive_set_status(i, _enum(status, DIRECTIVE_STATUSES, "status"),
                                   opt_date_in(completed, "completed"))
        return self.directives.at(i)

    # ---- builder: assessments and events --------------------------------------

    def add_assessment(self, unit: str, period: str, criterion: str,
                       self_score: Union[int, Decimal, str, None] = None,
                       appraised: Union[int, Decimal, str, None] = None, *,
                       not_applicable: bool = False,
                       evidence: Optional[str] = None) -> Assessment:
        """Add a manual score of ``criterion`` (self-assessed and/or appraised)."""
        s = opt_milli_in(self_score, "self_score")
        a = opt_milli_in(appraised, "appraised")
        _opt_str(evidence, "evidence")
        i = self._assessment_add(unit, period, criterion, s, a)
        if not_applicable:
            self._assessment_set_not_applicable(i, True)
        if evidence is not None:
            self._assessment_set_evidence(i, evidence)
        return self.assessments[i]

    def _assessment_index(self, unit: str, period: str, criterion: str) -> int:
        i = self._assessment_find(unit, period, criterion)
        if i is None:
            raise NotFoundError(
                f"no assessment of {criterion!r} for unit {unit!r} in period {period!r}")
        return i

    def set_assessment_scores(self, unit: str, period: str, criterion: str,
                              self_score: Union[int, Decimal, str, None],
                              appraised: Union[int, Decimal, str, None]) -> Assessment:
        """Replace both scores of an assessment (None: absent)."""
        i = self._assessment_index(unit, period, criterion)
        self._assessment_set_scores(i, opt_milli_in(self_score, "self_score"),
                                    opt_milli_in(appraised, "appraised"))
        return self.assessments[i]

    def set_assessment_not_applicable(self, unit: str, period: str, criterion: str,
                                      not_applicable: bool = True) -> Assessment:
        """Declare (or withdraw) that the criterion does not apply to the unit."""
        i = self._assessment_index(unit, period, criterion)
        self._assessment_set_not_applicable(i, bool(not_applicable))
        return self.assessments[i]

    def set_assessment_evidence(self, unit: str, period: str, criterion: str,
                                evidence: Optional[str]) -> Assessment:
        """Set (None: clear) the evidence of an assessment."""
        i = self._assessment_index(unit, period, criterion)
        self._assessment_set_evidence(i, evidence)
        return self.assessments[i]

    def add_event(self, unit: str, date: Union[datetime.date, str], kind: str,
                  text: Optional[str] = None, *,
                  points: Union[int, Decimal, str, None] = None,
                  evidence: Optional[str] = None) -> Event:
        """Add an event; ``points`` feed bonus and deduction items."""
        p = opt_milli_in(points, "points")
        _opt_str(evidence, "evidence")
        _encodable(evidence)
        i = self._event_add(unit, date_in(date, "date"), kind, text)
        if p is not None:
            self._event_set_points(i, p)
        if evidence is not None:
            self._event_set_evidence(i, evidence)
        return self.events[i]

    def set_event_points(self, index: int, points: Union[int, Decimal, str, None]) -> Event:
        """Set (None: clear) the points of the event at ``index`` of :attr:`events`."""
        self._event_set_points(index, opt_milli_in(points, "points"))
        return self.events[index]

    def set_event_evidence(self, index: int, evidence: Optional[str]) -> Event:
        """Set (None: clear) the evidence of the event at ``index`` of :attr:`events`."""
        self._event_set_evidence(index, evidence)
        return self.events[index]

    # ---- queries ---------------------------------------------------------------

    def value(self, unit: str, indicator: str, period: str,
              rollup: bool = False) -> Optional[Decimal]:
        """A unit's value of an indicator over a period, None when there is no data.

        With ``rollup`` the unit's descendants are included. Unknown ids raise
        ValidationError.
        """
        return dec(self._value(unit, indicator, period, bool(rollup)))

    def change(self, unit: str, indicator: str, period: str, rollup: bool = False) -> Change:
        """The value against the same period a year before; ``percent`` in %."""
        return Change(*(dec(v) for v in self._value_change(unit, indicator, period,
                                                           bool(rollup))))

    def reports_in_period(self, unit: str, period: str,
                          kind: Optional[str] = None) -> List[Report]:
        """The unit's reports whose own period lies inside ``period``."""
        return [self.reports[i] for i in self._reports_in_period(unit, period, kind)]

    def late_reports(self, unit: str, period: str, kind: Optional[str] = None) -> List[Report]:
        """Reports of the period submitted late or never submitted."""
        return [self.reports[i] for i in self._reports_late(unit, period, kind)]

    def report_index(self, unit: str, period: str, kind: str) -> Optional[int]:
        """Position in :attr:`reports` of the unit's report of ``kind`` for
        ``period`` (jql_report_find, constant time), None when there is none."""
        return self._report_find(unit, period, kind)

    def report(self, unit: str, period: str, kind: str) -> Optional[Report]:
        """The unit's report of ``kind`` for ``period``, None when there is none."""
        i = self._report_find(unit, period, kind)
        return None if i is None else self.reports[i]

    def report_standing(self, index: int,
                        as_of: Optional[Union[datetime.date, str]] = None) -> ReportStanding:
        """How the report at ``index`` of :attr:`reports` stands as of a date
        (None: no cut-off): on time, late, missing or not due, days late and
        whether incomplete, as the tallies count it."""
        return ReportStanding(*self._report_standing(index, opt_date_in(as_of, "as_of")))

    def directive_done(self, id: str,
                       as_of: Optional[Union[datetime.date, str]] = None) -> bool:
        """Whether directive ``id`` was done by ``as_of`` (None: by now), the
        rule of the tallies' directives_done (jql_directive_done_by)."""
        return self._directive_done_by(self.directives.index(id), opt_date_in(as_of, "as_of"))

    def tally(self, period: Optional[str] = None, unit: Optional[str] = None, *,
              rollup: bool = False, as_of: Optional[Union[datetime.date, str]] = None,
              report_kind: Optional[str] = None,
              task_field: Optional[str] = None) -> Dict[str, int]:
        """The counts scoring uses (jql_tally_compute), as a dict.

        Keys: reports_due, reports_on_time (submitted on or before the due
        date, complete or not), reports_late, reports_missing,
        reports_incomplete, tasks_due, tasks_done, tasks_done_late,
        tasks_overdue, directives_due, directives_done. ``period`` None counts
        every record, ``unit`` None every unit; ``rollup`` adds the unit's
        descendants; ``as_of`` counts as things stood on that date. Unknown
        ids raise NotFoundError.
        """
        if as_of is not None and not isinstance(as_of, str):
            if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
                raise TypeError("as_of must be a datetime.date or 'YYYY-MM-DD', "
                                f"not {type(as_of).__name__}")
            as_of = as_of.isoformat()
        return self._tally(unit, period, bool(rollup), as_of, report_kind, task_field)

    def tasks_due(self, period: str, unit: Optional[str] = None) -> List[Task]:
        """Tasks of ``unit`` (None: any) due inside ``period``."""
        return [self.tasks.at(i) for i in self._tasks_due(unit, period)]

    def tasks_overdue(self, as_of: Union[datetime.date, str],
                      unit: Optional[str] = None) -> List[Task]:
        """Tasks due on or before ``as_of`` and not completed by then."""
        return [self.tasks.at(i) for i in self._tasks_overdue(unit, date_in(as_of, "as_of"))]

    def task_completion_share(self, period: str, unit: Optional[str] = None) -> Optional[Decimal]:
        """% of the tasks due in the period that are completed (None: no task due)."""
        return dec(self._tasks_completion_share(unit, period))

    def shortcomings_open(self, period: str) -> List[Shortcoming]:
        """Shortcomings still open at the end of ``period``."""
        return [self.shortcomings.at(i) for i in self._shortcomings_open(period)]

    def directives_due(self, period: str, unit: Optional[str] = None) -> List[Directive]:
        """Directives due inside ``period`` addressed to ``unit`` (None: any)."""
        return [self.directives.at(i) for i in self._directives_due(unit, period)]

    def directive_completion_share(self, period: str,
                                   unit: Optional[str] = None) -> Optional[Decimal]:
        """% of those directives completed (None: none due)."""
        return dec(self._directives_completion_share(unit, period))

    def events_in_period(self, period: str, unit: Optional[str] = None,
                         kind: Optional[str] = None) -> List[Event]:
        """Events of ``unit`` (None: any) of ``kind`` (None: any) dated inside ``period``."""
        return [self.events[i] for i in self._events_in_period(unit, kind, period)]


# JQL_MAX_INPUT_BYTES: the library's default input limit (512 MiB).
_DEFAULT_MAX_INPUT = 512 * 1024 * 1024
