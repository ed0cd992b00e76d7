"""Criteria sets (emulation score sheets) and custom leaf methods written in Python."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Union

from . import _core
from ._convert import dec, exact_milli
from ._convert import max_input as _max_input

__all__ = ["Criteria", "CustomContext", "Node", "Tier"]


class Node(NamedTuple):
    """A node of the criteria tree (``parent`` is a node id, None at the top)."""

    id: str
    title: str
    max: Decimal
    parent: Optional[str]
    is_leaf: bool


class Tier(NamedTuple):
    """A tier, from the top: the minimum final score it needs."""

    id: str
    name: str
    min: Decimal


class CustomContext(NamedTuple):
    """What a custom function registered with ``context=True`` gets as its fifth argument.

    ``node_index`` is the leaf's index in :attr:`Criteria.nodes`, ``max`` its
    maximum (the engine clamps the points to [0, max]), ``unit_index`` the
    unit's index in the dataset. :meth:`points_from_ratio` gives a fraction
    of the max with the engine's rounding, during the call only.
    """

    node_id: str
    node_index: int
    max: Decimal
    unit_id: str
    unit_index: int
    period: str

    def points_from_ratio(self, num, den) -> Decimal:
        """The points of ``num``/``den`` of the leaf's max, by the engine's own rule.

        ``max × num ÷ den`` computed exactly and rounded once to 0.001, half away
        from zero (``jql_custom_points_from_ratio``): 0 when ``num <= 0``, the
        max when ``num >= den``, so a fraction gives the same points as through
        a built-in linear method. ``num`` and ``den`` are exact numbers (int,
        Decimal, Fraction) with at most 3 decimal places, as the points a
        custom function returns. Raises :class:`ValidationError` when
        ``den <= 0``, TypeError/ValueError for other numbers, and RuntimeError
        outside the call of the custom function that received the context.
        """
        call = getattr(self, "_call", None)
        if call is None:
            raise RuntimeError("the context of a custom function is valid only during the "
                               "call that received it")
        return dec(call.points_from_ratio(exact_milli(num, "points_from_ratio() num"),
                                          exact_milli(den, "points_from_ratio() den")))


class _LiveContext(CustomContext):
    """The CustomContext a running call gets, made by the trampoline (_core.c)
    as ``tuple.__new__(_LiveContext, fields)`` would: holds the C context in
    ``_call`` (cleared by the engine when the call returns)."""

    def __repr__(self) -> str:
        return "CustomContext" + CustomContext.__repr__(self)[len(type(self).__name__):]


def _points(value, what: str, node: str) -> int:
    """A custom function's points → thousandths, by exact_milli().

    The trampoline (_core.c) converts an int or a Decimal (their exact types)
    itself and calls this for anything else and for every value it does not
    take (out of range, more than 3 places, not finite): the message of every
    refusal is built here, only then.
    """
    return exact_milli(value, f"{what} (node {node!r})")


class Criteria(_core.Criteria):
    """A criteria set (docs/CRITERIA.md), made with :meth:`load` or :meth:`loads`.

    Custom leaf methods (``{"type": "custom", "function": NAME}``) are Python
    callables registered with :meth:`register`. A criteria set may be used by
    several threads scoring at once; registering while another thread scores
    with it raises RuntimeError.
    """

    __slots__ = ("__weakref__",)

    @classmethod
    def load(cls, source, *, max_input_size: Optional[int] = None) -> "Criteria":
        """Load from a path or a file opened in binary mode (ValidationError, OSError...).

        ``max_input_size`` (bytes) replaces the default input limit
        (JQL_MAX_INPUT_BYTES), as in :meth:`Dataset.load`: LimitError above it.
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
              max_input_size: Optional[int] = None) -> "Criteria":
        """Load from JSON text or bytes; ``max_input_size`` as in :meth:`load`."""
        limit = _max_input(max_input_size)
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"loads() takes str or bytes, not {type(data).__name__}")
        return cls._load_buffer(data, source, limit)

    def register(self, name: str, func: Optional[Callable[..., Any]] = None, *,
                 context: bool = False):
        """Register ``func(dataset, unit_id, period, node_id) -> points`` as custom method ``name``.

        The points must be an int, :class:`~decimal.Decimal` or
        :class:`~fractions.Fraction` with at most 3 decimal places (floats are
        refused); the engine clamps them to [0, the leaf's max]. Anything raised
        inside aborts scoring with :class:`CallbackError` chained to it. Usable
        as a decorator: ``@criteria.register("name")``. Returns ``func``.
        With ``context=True`` ``func`` gets a fifth argument, a
        :class:`CustomContext` (node index, the leaf's max, unit index...).
        """
        if func is None:
            return lambda f: self.register(name, f, context=context)
        if not callable(func):
            raise TypeError(f"custom function {name!r} must be callable")
        what = f"custom function {name!r}"
        # The trampoline (_core.c) calls func itself, for context=True with a
        # _LiveContext it makes as tuple.__new__ would (its max by dec(), once
        # per leaf and scoring); it converts an int or a Decimal to
        # thousandths in C, as _points would; _points converts anything else
        # and raises for every refused value.
        self._register(name, _core.CustomFunction(func, what, _points,
                                                  (_LiveContext, dec) if context else None))
        return func

    @property
    def functions(self) -> Dict[str, Callable[..., Any]]:
        """The registered custom functions by name."""
        return {name: registered.func for name, registered in self._callbacks.items()}

    @property
    def scale(self) -> Decimal:
        """The scale (usually Decimal('100.000'))."""
        return dec(self._scale)

    @property
    def nodes(self) -> List[Node]:
        """Nodes of the tree in document pre-order."""
        return [Node(i, t, dec(m), p, leaf) for i, t, m, p, leaf in self._nodes()]

    @property
    def tiers(self) -> List[Tier]:
        """Tiers from the top."""
        return [Tier(i, n, dec(m)) for i, n, m in self._tiers()]

    def check(self, dataset) -> list:
        """Check the set against a dataset: returns warnings, raises ValidationError."""
        return self._check(dataset)

    # ---- editing (docs/ANALYSIS.md): each edit is validated as a load would
    # be; a refused edit raises ValidationError and changes nothing. Edits
    # return the loader's warnings (e.g. maxima no longer adding up).

    def to_json(self) -> str:
        """The set as canonical JSON (load it again: the same bytes)."""
        return _core.criteria_to_json(self)

    def save(self, path) -> None:
        """Write the canonical JSON to ``path`` (a temp file renamed into place)."""
        path = os.fspath(path)
        tmp = f"{path}.tmp{os.getpid()}"
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(self.to_json())
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def clone(self) -> "Criteria":
        """An independent copy, with the same custom functions registered."""
        return _core.criteria_clone(self)

    def set_max(self, node_id: str, max, keep_total: bool = False) -> list:
        """New maximum of a node; its subtree scales exactly (largest remainder).

        ``keep_total``: the siblings share what is left, so the parent's sum
        (the scale, for a section) stays.
        """
        return self._edit("max", node_id, exact_milli(max, "max"), bool(keep_total))

    _BOUNDS = {name: value for value, name in enumerate(_core.ENUM_NAMES["bound"])}

    def set_condition(self, node_id: str, band: Optional[int], bound: str, value) -> list:
        """Set (or remove, with None) one bound of a band (0-based), or of a
        boolean leaf's condition when ``band`` is None."""
        if bound not in self._BOUNDS:
            raise ValueError(f"bound must be one of {sorted(self._BOUNDS)}")
        b = -1 if band is None else int(band)
        return self._edit("condition", node_id, b, self._BOUNDS[bound], value is not None,
                          0 if value is None else exact_milli(value, bound))

    def set_band_points(self, node_id: str, band: int, points) -> list:
        return self._edit("band_points", node_id, int(band), exact_milli(points, "points"))

    def set_target(self, node_id: str, target) -> list:
        return self._edit("target", node_id, exact_milli(target, "target"))

    def set_tier_min(self, tier_id: str, min) -> list:
        return self._edit("tier_min", tier_id, exact_milli(min, "min"))

    def set_quota_share(self, tier_id: str, share) -> list:
        return self._edit("quota_share", tier_id, exact_milli(share, "share"))

    def set_enabled(self, node_id: str, enabled: bool = True) -> list:
        return self._edit("enabled", node_id, bool(enabled))

    def _edit(self, op: str, target: str, *args) -> list:
        return _core.criteria_edit(self, op, target, args)

    def __repr__(self) -> str:
        return f"<justice_quarterly.Criteria {self.id!r}: {len(self._nodes())} nodes>"
