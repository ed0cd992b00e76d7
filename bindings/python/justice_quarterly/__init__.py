"""justice_quarterly — the quarterly review of a Department of Justice, from Python.

A thin binding of libjustice-quarterly: every computation happens in C; Python
adds the idioms::

    import justice_quarterly as jq

    ds = jq.Dataset.load("examples/data/long-an-2014/dataset.json")
    criteria = jq.Criteria.load("examples/data/long-an-2014/criteria-2014.json")
    results = jq.score(ds, criteria)
    for unit in results:
        print(unit.rank, unit.id, unit.final, unit.tier)   # final: Decimal('87.250')
    results.to_dataframe()                                  # pandas, imported on demand

Numbers are :class:`decimal.Decimal` with three places, never floats; dates are
:class:`datetime.date`. Errors are :class:`Error` subclasses (see
:mod:`justice_quarterly.errors`), :class:`MemoryError` and :class:`OSError`.

Thread safety: loading, saving and scoring release the GIL. Several threads
may read or score the same Dataset and Criteria at once; modifying a dataset
(builder methods) or registering a custom function while another thread
scores or saves with it raises :class:`RuntimeError`. Custom functions run
with the GIL held, on the scoring thread. Results are immutable.
Objects keep alive what they depend on (results hold their dataset and
criteria), so they may be deleted in any order.
"""

from .errors import (AlreadyExistsError, CallbackError, Diagnostic, Error, LimitError,
                     NoDataError, NotFoundError, ScoringWarning, ValidationError)
from . import _core
from .records import (Assessment, Cause, Change, Directive, Event, Indicator, Label, Period,
                      PeriodRange, Report, ReportStanding, Shortcoming, Statistic, Task, Unit)
from .dataset import Dataset, PeriodMap, RecordList, RecordMap
from .criteria import Criteria, CustomContext, Node, Tier
from .results import (SCORE_MAX_THREADS, SCORE_UNITS_PER_THREAD, NodeResult, ResultRecord,
                      Results, UnitResult, score)
from .analysis import PERIODS_MAX_RESULTS, Trend, score_periods

__version__ = _core.version()
"""Version of the C library the binding is built on."""


def version() -> str:
    """Runtime version of the C library, e.g. "0.1.0"."""
    return _core.version()


__all__ = [
    "Dataset", "Criteria", "Results", "UnitResult", "NodeResult", "ResultRecord", "score",
    "SCORE_MAX_THREADS", "SCORE_UNITS_PER_THREAD",
    "PERIODS_MAX_RESULTS", "Trend", "score_periods",
    "Error", "ValidationError", "LimitError", "AlreadyExistsError", "NotFoundError",
    "NoDataError", "CallbackError", "Diagnostic", "ScoringWarning",
    "Unit", "Period", "PeriodRange", "Indicator", "Statistic", "Report", "Task", "Cause",
    "Shortcoming", "Directive", "Assessment", "Event", "Change", "ReportStanding", "Label", "Node",
    "Tier",
    "CustomContext",
    "RecordMap", "RecordList", "PeriodMap", "version", "__version__",
]
