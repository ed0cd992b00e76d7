"""Scoring results: unit results whose attributes are the JSON keys, exact Decimals,
JSON byte-identical to ``jql-score --format json``, and pandas DataFrames.

Every number is computed in C; the Python objects are read through the library's
accessors (score.h, explain.h) when first accessed, as exactly what
``json.loads(jql_results_to_json(), parse_float=Decimal)`` would give: points are
``Decimal`` with exactly three places and names match the documented keys
(docs/CRITERIA.md, "Results"). DataFrames are read column by column, without
building an object per unit.
"""

from __future__ import annotations

import datetime
import html
import operator
import warnings as _warnings
import weakref
from decimal import Decimal
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Union

from . import _core, tables
from .errors import Diagnostic, ScoringWarning
from ._convert import limit as _limit
from ._convert import threads as _threads

__all__ = ["Results", "UnitResult", "NodeResult", "ResultRecord", "score",
           "SCORE_MAX_THREADS", "SCORE_UNITS_PER_THREAD"]

#: Most threads one scoring starts (JQL_SCORE_MAX_THREADS): ``score(threads=)`` above it
#: is this many.
SCORE_MAX_THREADS: int = _core.SCORE_MAX_THREADS
#: Fewest units a scoring thread takes (JQL_SCORE_UNITS_PER_THREAD): a scoring uses a
#: second thread from twice this many scored units.
SCORE_UNITS_PER_THREAD: int = _core.SCORE_UNITS_PER_THREAD

#: Point-valued columns of to_dataframe() (objects holding Decimal).
POINT_COLUMNS = ("total", "applicable_max", "normalized", "bonus", "bonus_raw", "deductions",
                 "final", "gap", "self_total")
#: Scalar keys of a unit result, in to_dataframe() column order.
UNIT_COLUMNS = ("rank", "id", "name", "cluster", "cluster_rank", "leader", "total",
                "applicable_max", "normalized", "bonus", "bonus_raw", "deductions", "final",
                "tier", "tier_before_caps", "quota_demoted", "quota_tie", "gap", "held_back",
                "next_tier", "self_total")
NODE_COLUMNS = ("unit", "cluster", "node", "title", "parent", "is_leaf", "points", "max",
                "applicable", "value", "no_data", "rule", "source", "self", "appraised")


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return ResultRecord(value)
    if isinstance(value, (list, tuple)):  # arrays are kept as tuples, handed out as lists
        return [_wrap(v) for v in value]
    return value


class ResultRecord:
    """A read-only object over one JSON object of the results: ``r.key`` is ``r["key"]``.

    Nested objects are ResultRecords too; :meth:`to_dict` gives the plain data.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Dict[str, Any]) -> None:
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getitem__(self, key: str) -> Any:
        return _wrap(self._data[key])

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __dir__(self) -> List[str]:
        return sorted(set(self._data) | set(object.__dir__(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ResultRecord):
            return self._data == other._data or self.to_dict() == other.to_dict()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def keys(self):
        """The JSON keys, in document order."""
        return self._data.keys()

    def to_dict(self) -> Dict[str, Any]:
        """A deep copy as plain dicts and lists (points stay Decimal)."""
        return _copy(self._data)

    def __repr__(self) -> str:
        ident = self._data.get("id")
        return f"<{type(self).__name__} {ident!r}>" if ident is not None else \
            f"<{type(self).__name__} {self._data!r}>"


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in value]
    return value


class NodeResult(ResultRecord):
    """A criterion's result for one unit: points, max, applicable, value, rule,
    source, self, appraised, evidence (see docs/CRITERIA.md)."""

    __slots__ = ()


class UnitResult(ResultRecord):
    """One unit's result: id, name, cluster, total, applicable_max, normalized, bonus,
    bonus_raw, deductions, final, tier, tier_before_caps, rank, cluster_rank, leader,
    vetoes, quota_demoted, quota_tie, gap, held_back, next_tier, self_total,
    unappraised, self_differs, nodes, bonus_items, deduction_items.

    A unit of :class:`Results` reads its nodes from the scoring each time they
    are asked for (``nodes``, ``node()``, ``["nodes"]``, ``to_dict()``) and
    does not keep them: 4,400 criteria are 4,400 dicts a unit, which only the
    caller decides to keep. It keeps the scoring's C results alive.
    """

    __slots__ = ("_source",)

    def __init__(self, data: Dict[str, Any], source: Any = None) -> None:
        super().__init__(data)
        # (_core.Results, k) when data["nodes"] is left to read, else None
        object.__setattr__(self, "_source", source)

    def _nodes(self) -> tuple:
        if self._source is None:
            return self._data.get("nodes", ())
        core, k = self._source
        return core._unit_nodes(k)

    def _full(self) -> Dict[str, Any]:
        """The unit's data with its nodes (a new dict when they are read now)."""
        if self._source is None:
            return self._data
        return {**self._data, "nodes": self._nodes()}

    def __getitem__(self, key: str) -> Any:
        if key == "nodes" and "nodes" in self._data:
            return _wrap(self._nodes())
        return super().__getitem__(key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UnitResult):
            return self._full() == other._full()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> Dict[str, Any]:
        return _copy(self._full())

    @property
    def nodes(self) -> List[NodeResult]:
        """Per-criterion results in criteria order, with their explanation."""
        return [NodeResult(n) for n in self._nodes()]

    def node(self, node_id: str) -> NodeResult:
        """The result of one criterion by id (KeyError when absent)."""
        if self._source is not None and isinstance(node_id, str):
            core, k = self._source
            try:
                n = core._unit_node(k, node_id)
            except UnicodeEncodeError:  # no id is that text
                n = None
            if n is None:
                raise KeyError(node_id)
            return NodeResult(n)
        for n in self._nodes():
            if n.get("id") == node_id:
                return NodeResult(n)
        raise KeyError(node_id)


class _UnitData(dict):
    """A unit's data as Results hands it out: a dict that can be referenced weakly."""

    __slots__ = ("__weakref__",)


class Results:
    """What :func:`score` returns: a sequence of :class:`UnitResult` in result
    order (rank, then unit id). Keeps its dataset and criteria alive.

    Nothing is converted when scoring ends: a unit's :class:`UnitResult` is
    read from the C accessors each time it is accessed (``results[i]``,
    ``results["id"]``, iteration), its nodes when they are read, and nothing
    is kept here but one dict per evidence record read (shared by all its
    citations, in every unit): what stays in memory is what the caller
    keeps. DataFrames read whole columns.
    """

    __slots__ = ("_core", "_units", "_head", "__weakref__")

    def __init__(self, core: "_core.Results") -> None:
        self._core = core
        # unit k's data while a caller holds it (weakly: held here, every unit
        # of a huge scoring stayed in memory once read)
        self._units: List[Optional[weakref.ref]] = [None] * core.unit_count
        self._head: Optional[Dict[str, Any]] = None

    def _unit(self, k: int) -> Dict[str, Any]:
        """Unit k's data (arrays as tuples), "nodes" None: UnitResult reads them."""
        ref = self._units[k]
        u = ref() if ref is not None else None
        if u is None:
            u = _UnitData(self._core._unit(k, False, False))
            self._units[k] = weakref.ref(u)
        return u

    def _unit_result(self, k: int) -> UnitResult:
        return UnitResult(self._unit(k), (self._core, k))

    def _header(self) -> Dict[str, Any]:
        if self._head is None:
            self._head = self._core._head()
        return self._head

    def _position(self, unit_id: str) -> Optional[int]:
        return self._core._unit_find(unit_id)

    def _data(self) -> Dict[str, Any]:
        """The whole document as json.loads() reads the results JSON (fresh dicts)."""
        doc = _copy(self._header())
        doc["units"] = self._core._plain_units()
        return doc

    @property
    def dataset(self):
        """The dataset that was scored."""
        return self._core.dataset

    @property
    def criteria(self):
        """The criteria set used."""
        return self._core.criteria

    @property
    def period(self) -> str:
        """The scored period id."""
        return self._core.period

    @property
    def criteria_id(self) -> str:
        """Id of the criteria set used."""
        return self._core.criteria_id

    @property
    def as_of(self) -> Optional[str]:
        """The as-of date the results were scored as of ("YYYY-MM-DD", as
        ``score(..., as_of=...)`` was given it), or None when every record
        counted (jql_results_as_of()). The JSON's ``"as_of"`` member."""
        return self._core.as_of

    @property
    def warnings(self) -> List[Diagnostic]:
        """Warnings about the scoring (jql_results_diagnostics()): a manual leaf
        no scored unit has an assessment for, a computed leaf whose measure has
        no data for any scored unit, an empty period scored with
        ``allow_empty=True``. Each is a :class:`Diagnostic` whose ``path`` is a
        JSON Pointer into the criteria document. :func:`score` also issues them
        as :class:`ScoringWarning` through the :mod:`warnings` module.
        """
        return self._core.warnings

    @property
    def scale(self) -> Decimal:
        """The criteria set's scale, e.g. Decimal('100.000')."""
        return self._header()["scale"]

    @property
    def units(self) -> List[UnitResult]:
        """The unit results in result order."""
        return [self._unit_result(k) for k in range(len(self))]

    def __len__(self) -> int:
        return self._core.unit_count

    def __iter__(self) -> Iterator[UnitResult]:
        for k in range(len(self)):
            yield self._unit_result(k)

    def __getitem__(self, key: Union[int, str]) -> UnitResult:
        """By position in result order, or by unit id."""
        if isinstance(key, str):
            k = self._position(key)
            if k is None:
                raise KeyError(key)
            return self._unit_result(k)
        if isinstance(key, slice):
            return [self._unit_result(k)  # type: ignore[return-value]
                    for k in range(*key.indices(len(self)))]
        k = operator.index(key)
        n = len(self)
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError("list index out of range")
        return self._unit_result(k)

    def __contains__(self, unit_id: object) -> bool:
        return isinstance(unit_id, str) and self._position(unit_id) is not None

    def to_json(self, evidence: str = "full") -> str:
        """The results JSON, byte-identical to ``jql-score --format json --evidence LEVEL``.

        ``evidence``: ``"full"`` (every record described), ``"ids"`` (JSON
        Pointers into the dataset, such as ``"/tasks/40"``) or ``"none"``.
        """
        return self._core.to_json(_evidence_level(evidence))

    def write(self, file, evidence: str = "full") -> None:
        """Stream the same bytes as :meth:`to_json` to a binary file (``file.write(bytes)``),
        one unit at a time, never holding the whole text."""
        self._core._write(file, _evidence_level(evidence))

    def to_dict(self) -> Dict[str, Any]:
        """The results as plain dicts and lists, points as Decimal.

        An evidence record cited several times is one dict within the
        document. Raises :class:`LimitError`, as :meth:`to_json` does, when the
        document would cite more than 50 million evidence records.
        """
        return self._data()

    def _tier_names(self) -> Dict[str, str]:
        return {t["id"]: t.get("name") or t["id"] for t in self._header().get("tiers", [])}

    def to_dataframe(self, numbers: str = "float",
                     cluster_names: Optional[Dict[str, str]] = None):
        """One row per unit (pandas imported here), ready to plot and describe.

        ``numbers``: "float" (default: point columns float64) or "decimal"
        (exact Decimal objects). After the result columns and ``vetoes`` come
        ``tier_name``, ``tier_before_caps_name`` (the criteria set's tier
        names), ``period``, ``period_name`` ("Quý I/2014", or the dataset's
        declared name) and ``cluster_name`` (from ``cluster_names``, else the
        cluster id: the formats give clusters no separate name).

        Read column by column from the C accessors: no unit is converted to
        Python objects on the way.
        """
        import pandas as pd

        cols = self._core._unit_columns(tables.as_float(numbers))
        n = len(self)
        data: Dict[str, Any] = {}
        for col in UNIT_COLUMNS:
            values = cols[col]
            if col in POINT_COLUMNS:
                data[col] = tables.points_series(values)
            elif col in ("id", "name", "cluster", "tier",
                         "tier_before_caps", "held_back", "next_tier"):
                data[col] = pd.Series(values, dtype=object)
            elif col == "cluster_rank":
                data[col] = pd.array(values, dtype="Int64")
            elif col in ("leader", "quota_demoted", "quota_tie"):
                data[col] = tables.flags_series(values)
            else:
                data[col] = pd.Series(values, dtype="int64")
        data["vetoes"] = pd.Series(cols["vetoes"], dtype=object)
        tiers = self._tier_names()
        names = cluster_names or {}
        extra = {
            "tier_name": [tiers.get(t, t) for t in cols["tier"]],
            "tier_before_caps_name": [tiers.get(t, t) for t in cols["tier_before_caps"]],
            "period": [self.period] * n,
            "period_name": [tables.period_name(self.dataset, self.period)] * n,
            "cluster_name": [None if c is None else names.get(c, c) for c in cols["cluster"]],
        }
        for key, values in extra.items():
            data[key] = pd.Series(values, dtype=object)
        return pd.DataFrame(data, columns=list(UNIT_COLUMNS) + ["vetoes"] + list(extra))

    def nodes_dataframe(self, numbers: str = "float"):
        """Long format: one row per unit × criterion node (pandas imported here).

        ``numbers``: "float" (points, max, value, self, appraised as float64)
        or "decimal" (exact Decimal objects). Read column by column from the
        C accessors."""
        import numpy as np
        import pandas as pd

        cols = self._core._node_columns(tables.as_float(numbers))
        meta = {n.id: n for n in self.criteria.nodes} if self.criteria is not None else {}
        ids = self._core._unit_ids()
        clusters = self._core._unit_columns(False)["cluster"] if ids else []
        node_ids = self._core._node_ids()
        per_node = [meta.get(i) for i in node_ids]
        nn, nu = len(node_ids), len(ids)

        def tiled(values):
            arr = np.empty(nn, dtype=object)
            arr[:] = values
            return np.tile(arr, nu)

        def repeated(values):
            arr = np.empty(nu, dtype=object)
            arr[:] = values
            return np.repeat(arr, nn)

        is_leaf = [m.is_leaf if m else None for m in per_node]
        data = {
            "unit": pd.Series(repeated(ids), dtype=object),
            "cluster": pd.Series(repeated(clusters), dtype=object),
            "node": pd.Series(tiled(node_ids), dtype=object),
            "title": pd.Series(tiled([m.title if m else None for m in per_node]), dtype=object),
            "parent": pd.Series(tiled([m.parent if m else None for m in per_node]),
                                dtype=object),
            "is_leaf": pd.Series(tiled(is_leaf), dtype=bool if None not in is_leaf or not nu
                                 else object),
            "applicable": tables.flags_series(cols["applicable"]),
            "no_data": tables.flags_series(cols["no_data"]),
            "rule": pd.Series(cols["rule"], dtype=object),
            "source": pd.Series(cols["source"], dtype=object),
        }
        for name in ("points", "max", "value", "self", "appraised"):
            data[name] = tables.points_series(cols[name])
        return pd.DataFrame(data, columns=list(NODE_COLUMNS))

    def _repr_html_(self) -> str:
        """A small scoreboard table for notebooks (tier names, as officials read them)."""
        head = ("rank", "id", "name", "cluster", "final", "tier", "gap")
        esc = html.escape
        tiers = self._tier_names()
        cols = self._core._unit_columns(False)

        def shown(k, key):
            v = cols[key][k]
            return tiers.get(v, v) if key == "tier" else ("" if v is None else str(v))

        rows = "".join(
            "<tr>" + "".join(f"<td>{esc(shown(k, key))}</td>" for key in head) + "</tr>"
            for k in range(len(self)))
        caption = esc(f"{self.criteria_id} — {self.period}")
        return (f"<table class=\"justice-quarterly-results\"><caption>{caption}</caption>"
                f"<thead><tr>{''.join(f'<th>{h}</th>' for h in head)}</tr></thead>"
                f"<tbody>{rows}</tbody></table>")

    # ---- what-if analysis (docs/ANALYSIS.md) ----

    def compare_json(self, after: "Results") -> str:
        """Unit and node changes from these results to ``after`` (JSON)."""
        from . import analysis
        return analysis.compare_json(self, after)

    def compare(self, after: "Results") -> Dict[str, Any]:
        from . import analysis
        return analysis.compare_dict(self, after)

    def sensitivity_json(self, percent=10, runs: int = 1000, seed: int = 0,
                         one_at_a_time: bool = True, monte_carlo: bool = True,
                         margins: bool = True, leaves: bool = False) -> str:
        """Rank and tier ranges under +-``percent`` section weights (JSON);
        ``leaves``: also each leaf among its siblings."""
        from . import analysis
        return analysis.sensitivity_json(self, percent, runs, seed, one_at_a_time,
                                         monte_carlo, margins, leaves)

    def sensitivity(self, percent=10, runs: int = 1000, seed: int = 0, **kw) -> Dict[str, Any]:
        from . import analysis
        return analysis.sensitivity_dict(self, percent, runs, seed, **kw)

    def plans_json(self) -> str:
        """Improvement plans of the units below the top tier (JSON)."""
        from . import analysis
        return analysis.plans_json(self)

    def write_plans(self, file) -> None:
        """Stream the bytes of :meth:`plans_json` to a binary file (``file.write(bytes)``),
        one unit's plan at a time, never holding the whole text."""
        from . import analysis
        analysis.write_plans(self, file)

    def plans(self) -> Dict[str, Any]:
        from . import analysis
        return analysis.plans_dict(self)

    def __repr__(self) -> str:
        first = ""
        if len(self):
            u = self._unit(0)
            tier = self._tier_names().get(u.get("tier"), u.get("tier"))
            first = f", first {u['id']} {u['final']} ({tier})"
        return (f"<justice_quarterly.Results {self.criteria_id!r} {self.period!r}: "
                f"{len(self)} units{first}>")


def score(dataset, criteria, period: Optional[str] = None, *,
          as_of: Optional[Union[str, datetime.date]] = None,
          allow_empty: bool = False, evidence: bool = True,
          max_results: Optional[int] = None, max_veto_checks: Optional[int] = None,
          max_veto_text: Optional[int] = None,
          max_evidence: Optional[int] = None, threads: int = 1) -> Results:
    """Score every unit the criteria set covers over ``period`` (None: the set's own).

    ``as_of`` (a ``datetime.date`` or "YYYY-MM-DD") scores as things stood on that
    date: nothing dated after it counts (docs/CRITERIA.md, "As-of date").

    A period in which the scored units have no record of any kind is refused
    (ValidationError; NotFoundError when the dataset does not declare it either)
    unless ``allow_empty`` is true. Warnings about the scoring are in
    ``Results.warnings`` and are also issued as :class:`ScoringWarning`.

    ``evidence=False`` keeps no evidence (JQL_SCORE_NO_EVIDENCE): scores, rules,
    tiers and ranks are the same, nodes cite no records, ``to_json``/``write``
    need ``evidence="none"`` and ``plans_json()`` is refused (ValidationError). For a
    scoreboard of a deep unit tree, whose roll-ups would each cite a subtree.

    ``max_results``, ``max_veto_checks`` and ``max_veto_text`` replace the limits of
    one scoring (docs/CRITERIA.md, "Limits"; None: the library's defaults); past
    them LimitError is raised before anything is scored. ``max_evidence`` replaces
    the number of evidence references one scoring may keep (JQL_MAX_SCORE_EVIDENCE):
    LimitError once the scoring would keep more.

    ``threads`` (an int from 1; TypeError for anything else, ValueError below 1) scores
    on up to that many threads, this one included (jql_score_options.threads): each takes
    a block of at least :data:`SCORE_UNITS_PER_THREAD` consecutive units, at most
    :data:`SCORE_MAX_THREADS` threads start, and the results are the same whatever the
    number (``to_json()``, the DataFrames, every attribute). A criteria set with a roll-up
    measure, or with a custom leaf, is scored on this thread alone: Python custom
    functions are always called on the thread that called ``score()``.

    The GIL is released while the C engine runs (custom functions take it back).
    Raises ValidationError (the criteria do not fit the dataset, an empty
    period), NotFoundError (unknown period), CallbackError (a custom function
    failed), MemoryError.
    """
    return _score(dataset, criteria, period,
                  _score_options(as_of, allow_empty, evidence, max_results, max_veto_checks,
                                 max_veto_text, max_evidence, threads))


class _ScoreOptions(NamedTuple):
    """score()'s keyword arguments as _core.score() takes them (checked)."""
    as_of: Optional[str]
    allow_empty: bool
    evidence: bool
    max_results: int  # 0: the library's default
    max_veto_checks: int
    max_veto_text: int
    max_evidence: int
    threads: int


def _score_options(as_of, allow_empty, evidence, max_results, max_veto_checks, max_veto_text,
                   max_evidence, threads) -> _ScoreOptions:
    """Convert and check score()'s options (TypeError, ValueError), before anything
    is scored; score() and analysis.score_periods() share it."""
    if as_of is not None and not isinstance(as_of, str):
        if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
            raise TypeError(f"as_of must be a datetime.date or 'YYYY-MM-DD', not {type(as_of).__name__}")
        as_of = as_of.isoformat()
    return _ScoreOptions(as_of, bool(allow_empty), bool(evidence),
                         _limit("max_results", max_results),
                         _limit("max_veto_checks", max_veto_checks),
                         _limit("max_veto_text", max_veto_text),
                         _limit("max_evidence", max_evidence), _threads(threads))


def _score(dataset, criteria, period: Optional[str], opts: _ScoreOptions,
           stacklevel: int = 3) -> Results:
    """Score with converted options; the warnings are issued at the caller of the
    public function (``stacklevel`` frames up from here)."""
    results = Results(_core.score(dataset, criteria, period, *opts))
    for w in results.warnings:
        _warnings.warn(str(w), ScoringWarning, stacklevel=stacklevel)
    return results


_EVIDENCE_LEVELS = {name: value for value, name in enumerate(_core.ENUM_NAMES["evidence_level"])}


def _evidence_level(name: str) -> int:
    try:
        return _EVIDENCE_LEVELS[name]
    except (KeyError, TypeError):
        raise ValueError(f"evidence must be one of {', '.join(_EVIDENCE_LEVELS)}, not {name!r}") from None
