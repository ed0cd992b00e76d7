"""CustomContext.points_from_ratio(num, den): the C helper
jql_custom_points_from_ratio() through the Python context. Each fraction of
tests/data/custom-ratio is scored twice per unit, by the engine's linear
method (leaves B and D) and by a custom function returning the helper's
points (C and E): they must agree, and both must equal max × num ÷ den
rounded once, half away from zero, computed here with Fraction."""

from decimal import Decimal
from fractions import Fraction

import pytest

from conftest import TEST_DATA

DATA = TEST_DATA / "custom-ratio"


def rounded(max_points, ratio):
    """max × ratio clamped to [0, max], to 0.001 half away from zero (ratio >= 0 here)."""
    ratio = min(max(ratio, Fraction(0)), Fraction(1))
    milli = Fraction(max_points) * ratio * 1000
    whole, rest = divmod(milli, 1)
    return Decimal(int(whole) + (1 if rest >= Fraction(1, 2) else 0)).scaleb(-3)


@pytest.fixture
def scored(jq):
    ds = jq.Dataset.load(DATA / "dataset.json")
    c = jq.Criteria.load(DATA / "criteria.json")
    seen = []

    @c.register("ratio", context=True)
    def ratio(dataset, unit, period, node, ctx):
        ok = dataset.value(unit, "ok", period)
        cases = dataset.value(unit, "cases", period)
        points = ctx.points_from_ratio(ok, cases)
        seen.append((unit, node, ok, cases, points))
        return points

    return ds, jq.score(ds, c), seen


def test_helper_equals_the_linear_method(scored):
    ds, r, seen = scored
    assert len(seen) == 2 * len(ds.units) == 46
    for unit, node, ok, cases, points in seen:
        twin = {"C": "B", "E": "D"}[node]
        engine = r[unit].node(twin).points
        assert points == engine == r[unit].node(node).points, (unit, node, ok, cases)
        assert isinstance(points, Decimal) and points.as_tuple().exponent == -3
        assert points == rounded(Decimal(100 if node == "C" else 1), Fraction(ok) / Fraction(cases))


def test_the_case_of_the_issue(scored):
    """655/736 of 100: 88.9945... rounds to 88.995; a hand-written division
    (the share truncated to 0.001 %, then the points truncated) gave 88.994."""
    _, r, seen = scored
    assert r["U00"].node("C").points == Decimal("88.995")
    assert r["U01"].node("C").points == Decimal("88.995")  # 65.5 / 73.6, the same fraction


def test_half_a_thousandth_rounds_away_from_zero(scored):
    """1/2000 and 3/2000 of 1 point are 0.0005 and 0.0015: 0.001 and 0.002
    (Python's round() would give 0.000 and 0.002); 1/200000 and 199999/200000
    of 100 are 0.0005 and 99.9995: 0.001 and 100.000."""
    _, r, _ = scored
    assert r["U13"].node("E").points == Decimal("0.001")
    assert r["U14"].node("E").points == Decimal("0.002")
    assert round(Decimal("0.0005"), 3) == Decimal("0.000")  # what the rule is not
    assert r["U21"].node("C").points == Decimal("0.001")
    assert r["U22"].node("C").points == Decimal("100.000")


def test_edges_errors_and_lifetime(jq):
    ds = jq.Dataset.load(DATA / "dataset.json")
    c = jq.Criteria.load(DATA / "criteria.json")
    kept = []

    @c.register("ratio", context=True)
    def ratio(dataset, unit, period, node, ctx):
        kept.append(ctx)
        m = ctx.max
        assert ctx.points_from_ratio(0, 7) == 0
        assert ctx.points_from_ratio(-3, 7) == 0
        assert ctx.points_from_ratio(7, 7) == m
        assert ctx.points_from_ratio(9, 7) == m
        assert ctx.points_from_ratio(Fraction(1, 2), Decimal("1.5")) == rounded(m, Fraction(1, 3))
        assert ctx.points_from_ratio(jq._core.MILLI_MAX // 1000 - 1, jq._core.MILLI_MAX // 1000) == m
        for den in (0, -2):
            with pytest.raises(jq.ValidationError, match="denominator .* not positive"):
                ctx.points_from_ratio(1, den)
        with pytest.raises(TypeError):
            ctx.points_from_ratio(1.5, 2)
        with pytest.raises(ValueError, match="3 decimal places"):
            ctx.points_from_ratio(Decimal("0.0001"), 2)
        return 0

    jq.score(ds, c)
    assert len(kept) == 46
    # outside its call the context refuses, whatever it holds
    with pytest.raises(RuntimeError, match="valid only during the call"):
        kept[0].points_from_ratio(1, 2)
    hand_made = jq.CustomContext("C", 1, Decimal(100), "U00", 0, "2014")
    with pytest.raises(RuntimeError):
        hand_made.points_from_ratio(1, 2)
    assert repr(kept[0]).startswith("CustomContext(node_id=")


def test_an_error_of_the_helper_is_a_callback_error(jq):
    ds = jq.Dataset.load(DATA / "dataset.json")
    c = jq.Criteria.load(DATA / "criteria.json")
    c.register("ratio", lambda d, u, p, n, ctx: ctx.points_from_ratio(1, 0), context=True)
    with pytest.raises(jq.CallbackError, match="denominator 0 is not positive") as err:
        jq.score(ds, c)
    assert isinstance(err.value.__cause__, jq.ValidationError)
