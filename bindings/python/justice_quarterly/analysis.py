"""What-if analysis (docs/ANALYSIS.md): comparing scorings, sensitivity of the
ranking to the sections' weights, improvement plans and trends over periods.

Every function returns the C library's JSON (byte-identical to ``jql-score``
and the Lua binding) or the same document as dicts built from the library's
analysis accessors, exactly as :func:`loads` reads the JSON (points as
:class:`~decimal.Decimal`, null as None, the JSON's key order).
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _core, tables
from ._convert import exact_milli

__all__ = ["Trend", "score_periods", "SENS_ONE_AT_A_TIME", "SENS_MONTE_CARLO", "SENS_MARGINS",
           "SENS_LEAVES"]

SENS_ONE_AT_A_TIME = 1
SENS_MONTE_CARLO = 2
SENS_MARGINS = 4
SENS_LEAVES = 8


def loads(text: str) -> Dict[str, Any]:
    """Read an analysis JSON document with exact decimals."""
    return json.loads(text, parse_float=Decimal)


def compare_json(before, after) -> str:
    return _core.compare(before._core, after._core)


def compare_dict(before, after) -> Dict[str, Any]:
    return _core.compare_dict(before._core, after._core)


def _sensitivity_args(results, percent, runs, seed, one_at_a_time, monte_carlo, margins,
                      leaves):
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 0:
        raise ValueError("runs must be a whole number >= 0")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
        raise ValueError("seed must be a whole number from 0 to 2**64 - 1")
    flags = ((SENS_ONE_AT_A_TIME if one_at_a_time else 0)
             | (SENS_MONTE_CARLO if monte_carlo else 0) | (SENS_MARGINS if margins else 0)
             | (SENS_LEAVES if leaves else 0))
    return results._core, exact_milli(percent, "percent"), runs, seed, flags


def sensitivity_json(results, percent=10, runs: int = 1000, seed: int = 0,
                     one_at_a_time: bool = True, monte_carlo: bool = True,
                     margins: bool = True, leaves: bool = False) -> str:
    return _core.sensitivity(*_sensitivity_args(results, percent, runs, seed, one_at_a_time,
                                                monte_carlo, margins, leaves))


def sensitivity_dict(results, percent=10, runs: int = 1000, seed: int = 0,
                     one_at_a_time: bool = True, monte_carlo: bool = True,
                     margins: bool = True, leaves: bool = False) -> Dict[str, Any]:
    return _core.sensitivity_dict(*_sensitivity_args(results, percent, runs, seed,
                                                     one_at_a_time, monte_carlo, margins,
                                                     leaves))


def plans_json(results) -> str:
    return _core.plans(results._core)


def write_plans(results, file) -> None:
    _core.write_plans(results._core, file)


def plans_dict(results) -> Dict[str, Any]:
    return _core.plans_dict(results._core)


class Trend:
    """The results of several periods scored in one call."""

    __slots__ = ("results",)

    def __init__(self, results: List[Any]) -> None:
        self.results = results

    @property
    def periods(self) -> List[str]:
        return [r.period for r in self.results]

    def to_json(self) -> str:
        """Byte-identical to ``jql-score --periods ... --format json``."""
        return _core.trend([r._core for r in self.results])

    def to_dict(self) -> Dict[str, Any]:
        """The document of :meth:`to_json` as dicts (from the C accessors)."""
        return _core.trend_dict([r._core for r in self.results])

    def to_dataframe(self):
        """Long format, one row per unit and period: unit, period, final
        (Decimal), rank, tier, movement (pandas imported here)."""
        import pandas as pd

        # the columns straight from the trend: rows taken from to_dict() were
        # a dict per unit and period (64 periods of 78,000 units: 4.9 GB)
        cols = _core.trend_columns([r._core for r in self.results])
        return pd.DataFrame({
            "unit": tables.objects_series(cols["unit"]),
            "period": tables.objects_series(cols["period"]),
            "final": tables.objects_series(cols["final"]),
            "rank": pd.array(cols["rank"], dtype="Int64"),
            "tier": tables.objects_series(cols["tier"]),
            "movement": pd.array(cols["movement"], dtype="Int64"),
        })


#: Results the periods of :func:`score_periods` share: a Trend keeps every
#: period's results, so together they get one scoring's (JQL_MAX_SCORE_RESULTS;
#: 64 periods of 1,000 units x 4,400 criteria would hold 18 GB).
PERIODS_MAX_RESULTS = 5_000_000


def score_periods(dataset, criteria, periods: Sequence[str], *,
                  as_of: Optional[Union[str, datetime.date]] = None,
                  allow_empty: bool = False, evidence: bool = True,
                  max_results: Optional[int] = None, max_veto_checks: Optional[int] = None,
                  max_veto_text: Optional[int] = None, max_evidence: Optional[int] = None,
                  threads: int = 1) -> Trend:
    """Score each period in ``periods`` (in that order): a :class:`Trend`.

    Every period is scored as :func:`score` scores it with the same keyword
    arguments (``as_of``, ``allow_empty``, ``evidence``, the limits, ``threads``;
    converted and checked once, before any period is scored, so a bad one
    raises TypeError or ValueError with nothing scored). Custom functions run on
    this thread, whatever ``threads`` says, as with :func:`score`.

    The periods share :data:`PERIODS_MAX_RESULTS` results (scored units x
    criteria, items and tie-breakers, summed): each is scored with
    ``max_results`` = the smaller of its share (PERIODS_MAX_RESULTS divided by
    the number of periods) and ``max_results`` (None: one scoring's default).
    Past it :class:`LimitError` before that period is scored, naming the share
    when the share was the bound passed. The other limits apply to each period whole.
    A :class:`LimitError` names the period it arose in ("score_periods(): period
    2014-Q2: ..."), as ``jql_score_periods_with()`` does."""
    from .errors import LimitError
    from .results import _score, _score_options

    if isinstance(periods, str):
        raise TypeError("periods must be a sequence of period ids, not a str")
    periods = list(periods)
    if not 1 <= len(periods) <= 64:
        raise ValueError("score_periods() takes 1 to 64 periods")
    opts = _score_options(as_of, allow_empty, evidence, max_results, max_veto_checks,
                          max_veto_text, max_evidence, threads)
    share = PERIODS_MAX_RESULTS // len(periods)
    own = opts.max_results or PERIODS_MAX_RESULTS  # one scoring's default, the same 5,000,000
    shared = share < own
    opts = opts._replace(max_results=share if shared else own)
    results = []
    for p in periods:
        try:
            results.append(_score(dataset, criteria, p, opts))
        except LimitError as e:
            # the period named, as jql_score_periods_with() names it, and the
            # share only when the share was the bound that was passed (not
            # another limit: veto checks, evidence...)
            why = ("%d periods share %d results, %d each: " % (len(periods), PERIODS_MAX_RESULTS,
                                                               share)
                   if shared and "limit of %d results" % share in e.message else "")
            raise LimitError("score_periods(): period %s: %s%s" % (p, why, e.message),
                             e.errors) from None
    return Trend(results)
