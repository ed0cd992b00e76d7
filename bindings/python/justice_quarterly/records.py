"""Record types of a dataset: immutable named tuples, snapshots of the C records.

Edit a dataset through the builder methods of :class:`justice_quarterly.Dataset`;
a record read before an edit keeps its old values.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Dict, NamedTuple, Optional, Tuple

from . import _core
from ._convert import date_out, dec

__all__ = [
    "Unit", "Period", "PeriodRange", "Indicator", "Statistic", "Report", "Task", "Cause",
    "Shortcoming", "Directive", "Assessment", "Event", "Change", "ReportStanding", "Label",
    "AGGREGATIONS", "TASK_STATUSES", "DIRECTIVE_STATUSES", "PERIOD_KINDS",
]

#: Names of the C enums, indexed by their values: the library's own tables
#: (jql_<enum>_name), read when the extension is loaded.
AGGREGATIONS: Tuple[str, ...] = _core.ENUM_NAMES["aggregation"]
TASK_STATUSES: Tuple[str, ...] = _core.ENUM_NAMES["task_status"]
DIRECTIVE_STATUSES: Tuple[str, ...] = _core.ENUM_NAMES["directive_status"]
PERIOD_KINDS: Tuple[str, ...] = _core.ENUM_NAMES["period_kind"]


class Label(NamedTuple):
    """Display names of an id (jql_label_*): ``kind`` says what is named ("level",
    "cluster", "field", "report_kind"...), ``names`` maps a language ("vi", "en")
    to the name."""

    kind: str
    id: str
    names: Dict[str, str]


class Unit(NamedTuple):
    """A unit of the hierarchy: ``parent`` and ``children`` are unit ids."""

    id: str
    name: str
    level: str
    parent: Optional[str]
    cluster: Optional[str]
    attributes: Dict[str, str]
    children: Tuple[str, ...]


class Period(NamedTuple):
    """A declared period with its inclusive date range."""

    id: str
    name: Optional[str]
    kind: str
    start: datetime.date
    end: datetime.date


class PeriodRange(NamedTuple):
    """What a period id (declared or standard) resolves to."""

    id: str
    kind: str
    start: datetime.date
    end: datetime.date


class Indicator(NamedTuple):
    """A statistics indicator; ``aggregation`` is one of AGGREGATIONS."""

    id: str
    name: str
    measure_unit: Optional[str]
    field: Optional[str]
    aggregation: str


class Statistic(NamedTuple):
    """One value of a unit's indicator for a period."""

    unit: str
    indicator: str
    period: str
    value: Decimal


class Report(NamedTuple):
    """A report submission. ``days_late`` is 0 when on time, None when never submitted."""

    unit: str
    period: str
    kind: str
    due: datetime.date
    submitted: Optional[datetime.date]
    complete: bool
    days_late: Optional[int]


class Task(NamedTuple):
    """A task of the work programme; ``owners`` are unit ids."""

    id: str
    title: str
    field: Optional[str]
    period: Optional[str]
    owners: Tuple[str, ...]
    due: datetime.date
    status: str
    completed: Optional[datetime.date]


class Cause(NamedTuple):
    """A cause of a shortcoming ("subjective", "objective"...)."""

    kind: str
    text: str


class Shortcoming(NamedTuple):
    """A shortcoming found in ``period``; ``resolved`` is the period it was resolved in."""

    id: str
    period: str
    units: Tuple[str, ...]
    field: Optional[str]
    text: str
    causes: Tuple[Cause, ...]
    resolved: Optional[str]


class Directive(NamedTuple):
    """A directive from ``issuer`` to units (by id) and levels."""

    id: str
    issued: datetime.date
    issuer: str
    units: Tuple[str, ...]
    levels: Tuple[str, ...]
    text: str
    due: Optional[datetime.date]
    answers: Tuple[str, ...]
    status: str
    completed: Optional[datetime.date]


class Assessment(NamedTuple):
    """A manual score of a criterion (``self``: self-assessed, ``appraised``: final)."""

    unit: str
    period: str
    criterion: str
    self: Optional[Decimal]
    appraised: Optional[Decimal]
    not_applicable: bool
    evidence: Optional[str]


class Event(NamedTuple):
    """A dated event of a unit (discipline, initiative, complaint...)."""

    unit: str
    date: datetime.date
    kind: str
    text: Optional[str]
    points: Optional[Decimal]
    evidence: Optional[str]


class Change(NamedTuple):
    """A value against the same period a year before (None where there is no data)."""

    current: Optional[Decimal]
    previous: Optional[Decimal]
    delta: Optional[Decimal]
    percent: Optional[Decimal]


class ReportStanding(NamedTuple):
    """Where a report stands on a date, by the rules the tallies count with
    (jql_report_get_standing): ``standing`` is "not_due", "on_time", "late" or
    "missing"; ``days_late`` 0 on time, the days after the due date when late,
    None otherwise; ``incomplete`` submitted by then but not complete (on time
    or late alike)."""

    standing: str
    days_late: Optional[int]
    incomplete: bool


def _unit(t):
    return Unit(*t)


def _period(t):
    return Period(t[0], t[1], PERIOD_KINDS[t[2]], date_out(t[3]), date_out(t[4]))


def _indicator(t):
    return Indicator(t[0], t[1], t[2], t[3], AGGREGATIONS[t[4]])


def _statistic(t):
    return Statistic(t[0], t[1], t[2], dec(t[3]))


def _report(t):
    return Report(t[0], t[1], t[2], date_out(t[3]), date_out(t[4]), t[5],
                  None if t[6] < 0 else t[6])


def _task(t):
    return Task(t[0], t[1], t[2], t[3], t[4], date_out(t[5]), TASK_STATUSES[t[6]],
                date_out(t[7]))


def _shortcoming(t):
    return Shortcoming(t[0], t[1], t[2], t[3], t[4], tuple(Cause(*c) for c in t[5]), t[6])


def _directive(t):
    return Directive(t[0], date_out(t[1]), t[2], t[3], t[4], t[5], date_out(t[6]), t[7],
                     DIRECTIVE_STATUSES[t[8]], date_out(t[9]))


def _assessment(t):
    return Assessment(t[0], t[1], t[2], dec(t[3]), dec(t[4]), t[5], t[6])


def _event(t):
    return Event(t[0], date_out(t[1]), t[2], t[3], dec(t[4]), t[5])


#: Record kind (as the C module names it) → builder of the named tuple.
MAKERS = {
    "units": _unit, "periods": _period, "indicators": _indicator, "statistics": _statistic,
    "reports": _report, "tasks": _task, "shortcomings": _shortcoming,
    "directives": _directive, "assessments": _assessment, "events": _event,
}
