"""Custom functions registered with context=True get a CustomContext (the C
context handle's node index, leaf max, unit index...); without it they keep
their four arguments."""

from decimal import Decimal
from fractions import Fraction

import pytest


def test_context_fields(jq, small, custom_criteria):
    seen = []

    def extra(ds, unit, period, node, ctx):
        seen.append(ctx)
        assert isinstance(ctx, jq.CustomContext)
        return Fraction(ctx.max) * Fraction(ctx.unit_index, 4)  # exact: max × index ÷ 4

    assert custom_criteria.register("extra", extra, context=True) is extra
    assert custom_criteria.functions == {"extra": extra}
    r = jq.score(small, custom_criteria)
    ids = [n.id for n in custom_criteria.nodes]
    units = list(small.units)
    assert sorted(c.unit_id for c in seen) == ["U1", "U2"]
    for ctx in seen:
        assert ctx.node_id == "C" and ids[ctx.node_index] == "C"
        assert ctx.max == custom_criteria.nodes[ctx.node_index].max == Decimal("4.000")
        assert units[ctx.unit_index] == ctx.unit_id
        assert ctx.period == "2014"
        want = Decimal(4) * ctx.unit_index / 4
        assert r[ctx.unit_id].node("C").points == min(want, Decimal(4))


def test_context_decorator(jq, small, custom_criteria):
    @custom_criteria.register("extra", context=True)
    def extra(ds, unit, period, node, ctx):
        return ctx.max - 1

    assert jq.score(small, custom_criteria)["U1"].node("C").points == Decimal("3.000")


def test_without_context_four_arguments(jq, small, custom_criteria):
    def extra(*args):
        assert len(args) == 4
        return 1

    custom_criteria.register("extra", extra)
    assert jq.score(small, custom_criteria)["U2"].node("C").points == Decimal("1.000")


def test_context_function_errors_are_callback_errors(jq, small, custom_criteria):
    custom_criteria.register("extra", lambda ds, unit, period, node: 1, context=True)
    with pytest.raises(jq.CallbackError) as err:
        jq.score(small, custom_criteria)
    assert isinstance(err.value.__cause__, TypeError)
