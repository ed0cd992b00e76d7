"""What a custom function gets on each call, and what its return becomes,
when the binding reuses objects between the calls of one score(): the
period, node and unit objects are made once per score() call, the C context
handle is lent again only when nothing kept it, and ints and Decimals take
a short path to thousandths. Each test here fails if a reused object leaks
one call's values into another call or the short path converts differently."""

from decimal import Decimal
from fractions import Fraction

import pytest

from conftest import CUSTOM_CRITERIA, TEST_DATA

RATIO = TEST_DATA / "custom-ratio"


@pytest.fixture
def ratio_set(jq):
    """23 units and two custom leaves (C, max 100; E, max 1): 46 calls."""
    return jq.Dataset.load(RATIO / "dataset.json"), jq.Criteria.load(RATIO / "criteria.json")


def test_each_call_gets_its_own_unit_node_and_period(jq, ratio_set):
    ds, c = ratio_set
    units = list(ds.units)
    nodes = c.nodes
    seen = []

    @c.register("ratio", context=True)
    def ratio(dataset, unit, period, node, ctx):
        seen.append((unit, node, period, ctx))
        assert dataset is ds
        assert (ctx.unit_id, ctx.node_id, ctx.period) == (unit, node, period)
        return 0

    jq.score(ds, c)
    assert sorted((u, n) for u, n, _, _ in seen) == sorted((u, n) for u in units for n in "CE")
    for unit, node, period, ctx in seen:
        assert period == "2014"
        assert units[ctx.unit_index] == unit
        assert nodes[ctx.node_index].id == node
        assert ctx.max == nodes[ctx.node_index].max == Decimal(100 if node == "C" else 1)


def test_a_nested_score_of_another_period_keeps_each_ones_period(jq, small):
    inner = jq.Criteria.loads(CUSTOM_CRITERIA)
    inner_periods = []
    inner.register("extra", lambda ds, unit, period, node: inner_periods.append(period) or 1)
    outer = jq.Criteria.loads(CUSTOM_CRITERIA)
    outer_periods = []

    @outer.register("extra")
    def extra(ds, unit, period, node):
        outer_periods.append(period)
        jq.score(ds, inner, "2014-Q1")
        outer_periods.append(period)
        return 2

    r = jq.score(small, outer)
    assert r["U1"].node("C").points == Decimal("2.000")
    assert outer_periods == ["2014"] * 4
    assert inner_periods == ["2014-Q1"] * 4


def test_a_kept_context_refuses_during_the_later_calls(jq, ratio_set):
    """A context kept by the function (every third call here) is dead from
    the end of its call on, also while later calls run; the contexts not
    kept do not disturb the running call's own context."""
    ds, c = ratio_set
    kept, calls = [], []

    @c.register("ratio", context=True)
    def ratio(dataset, unit, period, node, ctx):
        calls.append(node)
        for old in kept:
            with pytest.raises(RuntimeError, match="valid only during the call"):
                old.points_from_ratio(1, 2)
        assert ctx.points_from_ratio(1, 2) == ctx.max / 2
        if len(calls) % 3 == 1:
            kept.append(ctx)
        return ctx.points_from_ratio(1, 4)

    r = jq.score(ds, c)
    assert len(calls) == 46 and len(kept) == 16
    for unit in ds.units:
        assert r[unit].node("C").points == Decimal("25.000")
        assert r[unit].node("E").points == Decimal("0.250")
    for old in kept:
        with pytest.raises(RuntimeError, match="valid only during the call"):
            old.points_from_ratio(1, 2)


def test_a_context_held_by_a_traceback_refuses_after_the_call(jq, ratio_set):
    ds, c = ratio_set

    @c.register("ratio", context=True)
    def ratio(dataset, unit, period, node, ctx):
        assert ctx.points_from_ratio(1, 1) == ctx.max
        raise LookupError("no " + unit)

    with pytest.raises(jq.CallbackError, match="LookupError: no U") as err:
        jq.score(ds, c)
    tb = err.value.__cause__.__traceback__
    while tb.tb_frame.f_code.co_name != "ratio":
        tb = tb.tb_next
    held = tb.tb_frame.f_locals["ctx"]
    with pytest.raises(RuntimeError, match="valid only during the call"):
        held.points_from_ratio(1, 2)


class Points(int):
    """An int subclass: not the short path, the same points."""



def clamp(value):
    """The points of leaf C (max 4) for a returned value: clamped to [0, 4]."""
    return min(max(Fraction(value), Fraction(0)), Fraction(4))


@pytest.mark.parametrize("context", [False, True])
@pytest.mark.parametrize("value", [
    0, 3, -7, Points(2), Decimal("1.5"), Decimal("1.5000000"), Decimal("-0"),
    Decimal("0E+100"), Decimal("0E-30"), Decimal("0E-999999999"), Decimal("3.999"),
    Decimal("-2.001"), Fraction(7, 4),
    "max int", "-max int", "max decimal", "-max decimal",
])
def test_exact_points_on_both_paths(jq, small, custom_criteria, value, context):
    limit = jq._core.MILLI_MAX
    value = {"max int": limit // 1000, "-max int": -(limit // 1000),
             "max decimal": Decimal(limit).scaleb(-3),
             "-max decimal": -Decimal(limit).scaleb(-3)}.get(value, value)
    if context:
        custom_criteria.register("extra", lambda ds, u, p, n, ctx: value, context=True)
    else:
        custom_criteria.register("extra", lambda ds, u, p, n: value)
    r = jq.score(small, custom_criteria)
    want = Decimal(clamp(value).numerator * 1000 // clamp(value).denominator).scaleb(-3)
    assert r["U1"].node("C").points == r["U2"].node("C").points == want


@pytest.mark.parametrize("context", [False, True])
@pytest.mark.parametrize("value,exc,text", [
    ("max int + 1", ValueError, "out of range"),
    ("-max int - 1", ValueError, "out of range"),
    ("max decimal + 0.001", ValueError, "out of range"),
    (Decimal("1E+16"), ValueError, "out of range"),
    (Decimal("0.0005"), ValueError, "more than 3 decimal places"),
    (Decimal("1.0001"), ValueError, "more than 3 decimal places"),
    (Decimal("1E-999999999"), ValueError, "more than 3 decimal places"),
    (Decimal("-7E-999999999999999999"), ValueError, "more than 3 decimal places"),
    (Decimal("NaN"), ValueError, "finite"),
    (Decimal("-Infinity"), ValueError, "finite"),
    (Fraction(1, 3), ValueError, "more than 3 decimal places"),
    (True, TypeError, "not bool"),
    (2.0, TypeError, "not float"),
    ("1", TypeError, "not str"),
    (None, TypeError, "not NoneType"),
])
def test_refused_points_name_the_function_and_node(jq, small, custom_criteria, value, exc, text,
                                                   context):
    limit = jq._core.MILLI_MAX
    value = {"max int + 1": limit // 1000 + 1, "-max int - 1": -(limit // 1000) - 1,
             "max decimal + 0.001": Decimal(limit + 1).scaleb(-3)}.get(value, value)
    if context:
        custom_criteria.register("extra", lambda ds, u, p, n, ctx: value, context=True)
    else:
        custom_criteria.register("extra", lambda ds, u, p, n: value)
    with pytest.raises(jq.CallbackError) as err:
        jq.score(small, custom_criteria)
    cause = err.value.__cause__
    assert type(cause) is exc
    assert str(cause).startswith("custom function 'extra' (node 'C')")
    assert text in str(cause)


def test_threads_scoring_at_once_each_see_their_own_calls(jq, ratio_set):
    """Each score() call keeps its own reused objects: four threads scoring
    with one criteria set get what one thread alone gets."""
    import threading

    ds, c = ratio_set
    units = list(ds.units)

    @c.register("ratio", context=True)
    def ratio(dataset, unit, period, node, ctx):
        assert units[ctx.unit_index] == unit == ctx.unit_id and ctx.node_id == node
        return ctx.points_from_ratio(ctx.unit_index + 1, len(units) + 1)

    def table(r):
        return [(u, r[u].node("C").points, r[u].node("E").points) for u in units]

    alone = table(jq.score(ds, c))
    got, errors = [], []

    def work():
        try:
            for _ in range(20):
                got.append(table(jq.score(ds, c)))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(got) == 80 and all(t == alone for t in got)
    assert len({p for _, p, _ in alone}) == len(units)  # the points differ per unit
