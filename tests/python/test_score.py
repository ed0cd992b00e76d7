"""Scoring through Python: the shared fixtures, JSON byte-identical to the CLI,
Decimal points, attributes matching the JSON keys, custom callables."""

import json
import subprocess
from decimal import Decimal
from fractions import Fraction

import pytest

from conftest import CUSTOM_CRITERIA, TEST_DATA, cli, scoring_cases, small_dataset


def mediation_success_rate(ds, unit, period, node, ctx):
    """The Python twin of jql-score's built-in custom function: max × success ÷ cases
    by the context's points_from_ratio (the engine's rounding); 0 without cases.
    Registered with context=True."""
    for needed in ("mediation-success", "mediation-cases"):
        if needed not in ds.indicators:
            raise LookupError(f'the dataset has no indicator "{needed}"')
    cases = ds.value(unit, "mediation-cases", period)
    if not cases:
        return 0
    ok = ds.value(unit, "mediation-success", period) or 0
    return ctx.points_from_ratio(ok, cases)


def plain(jq, value):
    """ResultRecords (and lists of them) back to plain data."""
    if isinstance(value, jq.ResultRecord):
        return value.to_dict()
    if isinstance(value, list):
        return [plain(jq, v) for v in value]
    return value


def load_case(jq, ds_path, crit_path):
    ds = jq.Dataset.load(ds_path)
    crit = jq.Criteria.load(crit_path)
    crit.register("mediation_success_rate", mediation_success_rate, context=True)
    return ds, crit


@pytest.mark.parametrize("ds_path,crit_path", scoring_cases())
def test_fixture_json_is_byte_identical_to_the_cli(jq, ds_path, crit_path):
    ds, crit = load_case(jq, ds_path, crit_path)
    results = jq.score(ds, crit)
    text = results.to_json()
    expected = ds_path.parent / "expected.json"
    if expected.exists() and crit_path.name == "criteria.json":
        assert text == expected.read_text(encoding="utf-8")
    exe = cli("jql-score")
    if exe is None:
        pytest.skip("jql-score is not built (set JQL_BUILD_DIR to a build with examples)")
    out = subprocess.run([str(exe), "--format", "json", str(ds_path), str(crit_path)],
                         capture_output=True, check=True)
    assert text.encode("utf-8") == out.stdout


@pytest.mark.parametrize("ds_path,crit_path", scoring_cases())
def test_fixture_attributes_match_the_json_keys(jq, ds_path, crit_path):
    ds, crit = load_case(jq, ds_path, crit_path)
    results = jq.score(ds, crit)
    doc = json.loads(results.to_json(), parse_float=Decimal)
    assert results.period == doc["period"] and results.criteria_id == doc["criteria"]
    assert results.scale == doc["scale"]
    assert len(results) == len(doc["units"]) == len(results.units)
    for unit, raw in zip(results, doc["units"]):
        assert isinstance(unit, jq.UnitResult)
        assert list(unit.keys()) == list(raw.keys())
        for key, value in raw.items():
            if key in ("nodes",):
                continue
            got = plain(jq, getattr(unit, key))
            assert got == value and type(got) is type(value), key
        for node, rawnode in zip(unit.nodes, raw["nodes"]):
            assert isinstance(node, jq.NodeResult)
            assert node.to_dict() == rawnode
            assert node.points == rawnode["points"]
            assert isinstance(node.points, Decimal) and node.points.as_tuple().exponent == -3
        for key in ("total", "applicable_max", "normalized", "bonus", "deductions", "final",
                    "gap", "self_total"):
            value = getattr(unit, key)
            assert isinstance(value, Decimal) and value.as_tuple().exponent == -3, key
        assert results[unit.id] == unit and unit.id in results
    assert results.to_dict() == doc
    assert results.dataset is ds and results.criteria is crit


def test_worked_example_values(jq):
    base = TEST_DATA / "scoring" / "worked-example"
    if not (base / "criteria.json").exists():
        pytest.skip("worked example fixture absent")
    results = jq.score(jq.Dataset.load(base / "dataset.json"),
                       jq.Criteria.load(base / "criteria.json"))
    u1 = results["U1"]
    assert u1.final == Decimal("9.200") and str(u1.final) == "9.200"
    assert (u1.tier, u1.rank, u1.leader) == ("excellent", 1, True)
    assert u1.node("B").points == Decimal("7.200")
    assert u1.node("A").evidence[0].report_kind == "statistics"
    with pytest.raises(KeyError):
        u1.node("Z")
    with pytest.raises(AttributeError):
        u1.no_such_key
    with pytest.raises(AttributeError):
        u1.final = 1
    u3 = results["U3"]
    assert [v.id for v in u3.vetoes] == ["discipline"]
    with pytest.raises(KeyError):
        results["nobody"]
    assert results[0].rank == 1
    html = results._repr_html_()
    assert html.startswith("<table") and "U1" in html and "9.200" in html


def test_limits_of_one_scoring(jq):
    """max_results, max_veto_checks, max_veto_text replace the limits for one scoring."""
    base = TEST_DATA / "scoring" / "worked-example"
    ds, crit = jq.Dataset.load(base / "dataset.json"), jq.Criteria.load(base / "criteria.json")
    kept = jq.score(ds, crit)
    doc = json.loads((base / "criteria.json").read_text(encoding="utf-8"))
    items = len(doc.get("bonus", {}).get("items", [])) + len(doc.get("deductions", []))
    results = len(kept) * (len(crit.nodes) + items + len(doc.get("tie_breakers", [])))
    with pytest.raises(jq.LimitError, match=f"limit of {results - 1} results"):
        jq.score(ds, crit, max_results=results - 1)
    assert jq.score(ds, crit, max_results=results).to_json() == kept.to_json()
    with pytest.raises(jq.LimitError, match="limit of 1 veto checks"):
        jq.score(ds, crit, max_veto_checks=1)
    with pytest.raises(jq.LimitError, match="limit of 1 bytes"):
        jq.score(ds, crit, max_veto_text=1)
    with pytest.raises(jq.LimitError, match="passes 1 references, the limit of one scoring"):
        jq.score(ds, crit, max_evidence=1)
    assert jq.score(ds, crit, max_evidence=1, evidence=False).to_json("none") == kept.to_json("none")
    assert jq.score(ds, crit, max_evidence=10**9).to_json() == kept.to_json()
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValueError):
            jq.score(ds, crit, max_results=bad)

def test_events_rule_with_a_quote_is_valid_json(jq):
    """An events item's rule names the criteria's event kind: escaped in the
    results JSON (a kind with a quote was written bare), the same rule read
    through the attributes."""
    crit = jq.Criteria.loads(json.dumps({
        "format": "justice-quarterly/criteria 1.0", "id": "q", "period": "2014", "scale": 10,
        "units": {"levels": ["district"]},
        "criteria": [{"id": "S", "title": "S", "max": 10, "method": {"type": "manual"}}],
        "bonus": {"cap": 2, "items": [{"id": "BI", "title": "I", "max": 10, "source": "events",
                                       "event_kind": 'in"it\\iative'}]},
        "tiers": [{"id": "all", "name": "All", "min": 0}]}))
    results = jq.score(jq.Dataset.load(TEST_DATA / "scoring" / "bonus" / "dataset.json"), crit)
    want = 'events: 0 in"it\\iative \u2192 0'
    for level in ("full", "ids", "none"):
        doc = json.loads(results.to_json(evidence=level))
        assert [u["bonus_items"][0]["rule"] for u in doc["units"]] == [want] * len(results)
    assert results[0].bonus_items[0].rule == want


def test_period_override(jq, small, custom_criteria):
    custom_criteria.register("extra", lambda *a: 0)
    r = jq.score(small, custom_criteria, "2014-Q1")
    assert r.period == "2014-Q1"
    assert jq.score(small, custom_criteria).period == "2014"


def test_custom_function_arguments_and_exact_points(jq, small, custom_criteria):
    calls = []

    def extra(ds, unit, period, node):
        calls.append((ds, unit, period, node))
        return {"U1": Decimal("1.25"), "U2": Fraction(7, 4)}[unit]

    assert custom_criteria.register("extra", extra) is extra
    assert custom_criteria.functions == {"extra": extra}
    r = jq.score(small, custom_criteria)
    assert sorted(c[1] for c in calls) == ["U1", "U2"]
    assert all(c[0] is small and c[2] == "2014" and c[3] == "C" for c in calls)
    assert r["U1"].node("C").points == Decimal("1.250")
    assert r["U2"].node("C").points == Decimal("1.750")
    assert r["U1"].total == Decimal("7.250")  # 6 (on time) + 1.25
    assert r["U2"].total == Decimal("1.750")  # late: 0 + 1.75


def test_custom_function_decorator_and_replacement(jq, small, custom_criteria):
    @custom_criteria.register("extra")
    def first(ds, unit, period, node):
        return 1

    assert jq.score(small, custom_criteria)["U2"].node("C").points == Decimal("1.000")
    custom_criteria.register("extra", lambda *a: 3)
    assert jq.score(small, custom_criteria)["U2"].node("C").points == Decimal("3.000")


def test_custom_points_are_clamped_by_the_engine(jq, small, custom_criteria):
    custom_criteria.register("extra", lambda ds, unit, *a: 100 if unit == "U1" else -5)
    r = jq.score(small, custom_criteria)
    assert r["U1"].node("C").points == Decimal("4.000")  # the leaf's max
    assert r["U2"].node("C").points == Decimal("0.000")


def test_custom_function_that_raises_is_chained(jq, small, custom_criteria):
    class Boom(Exception):
        pass

    def extra(ds, unit, period, node):
        raise Boom("no data for " + unit)

    custom_criteria.register("extra", extra)
    with pytest.raises(jq.CallbackError) as info:
        jq.score(small, custom_criteria)
    err = info.value
    assert isinstance(err.__cause__, Boom) and "no data for U" in str(err.__cause__)
    assert err.__cause__.__traceback__ is not None
    assert err.status == -8
    assert "Boom" in str(err) and "no data for" in str(err)


@pytest.mark.parametrize("bad,exc", [
    (1.5, TypeError), ("2", TypeError), (None, TypeError), (True, TypeError),
    ([1], TypeError), (Decimal("0.0001"), ValueError), (Fraction(1, 3), ValueError),
    (Decimal("Infinity"), ValueError), (10 ** 16, ValueError),
])
def test_custom_function_wrong_return_is_a_clear_error(jq, small, custom_criteria, bad, exc):
    custom_criteria.register("extra", lambda *a: bad)
    with pytest.raises(jq.CallbackError) as info:
        jq.score(small, custom_criteria)
    assert isinstance(info.value.__cause__, exc)
    assert "custom function 'extra'" in str(info.value.__cause__)


def test_custom_function_may_query_but_not_modify_the_dataset(jq, small, custom_criteria):
    def reads(ds, unit, period, node):
        return len(ds.reports_in_period(unit, period))

    custom_criteria.register("extra", reads)
    assert jq.score(small, custom_criteria)["U1"].node("C").points == Decimal("1.000")

    def writes(ds, unit, period, node):
        ds.add_unit("X" + unit, "x", "district")
        return 0

    custom_criteria.register("extra", writes)
    with pytest.raises(jq.CallbackError) as info:
        jq.score(small, custom_criteria)
    assert isinstance(info.value.__cause__, RuntimeError)
    assert "X" + "U1" not in small.units
    small.add_unit("ok", "ok", "district")  # free again after scoring


def test_nested_score_inside_a_custom_function(jq, small, custom_criteria):
    inner = jq.Criteria.loads(CUSTOM_CRITERIA)
    inner.register("extra", lambda *a: 2)

    def extra(ds, unit, period, node):
        return jq.score(ds, inner)[unit].node("C").points

    custom_criteria.register("extra", extra)
    assert jq.score(small, custom_criteria)["U1"].node("C").points == Decimal("2.000")


def test_criteria_introspection(jq, custom_criteria):
    assert custom_criteria.id == "custom-test" and custom_criteria.period == "2014"
    assert custom_criteria.scale == Decimal("10.000")
    assert [n.id for n in custom_criteria.nodes] == ["A", "C"]
    assert custom_criteria.nodes[1] == jq.Node("C", "Custom", Decimal("4.000"), None, True)
    assert [t.id for t in custom_criteria.tiers] == ["top", "low"]
    assert custom_criteria.tiers[0].min == Decimal("8.000")
    assert custom_criteria.warnings == []
    custom_criteria.register("extra", lambda *a: 0)
    assert custom_criteria.check(small_dataset(jq)) == []


def test_criteria_warnings(jq):
    path = TEST_DATA / "criteria" / "valid" / "warnings.json"
    if not path.exists():
        pytest.skip("warnings fixture absent")
    crit = jq.Criteria.load(path)
    assert crit.warnings and all(w.severity == "warning" for w in crit.warnings)


@pytest.mark.parametrize("level", ["full", "ids", "none"])
def test_evidence_levels_and_streaming(jq, tmp_path, level):
    """to_json(evidence=...) and write() give jql-score --evidence LEVEL's bytes."""
    we = TEST_DATA / "scoring" / "worked-example"
    ds, crit = load_case(jq, we / "dataset.json", we / "criteria.json")
    results = jq.score(ds, crit)
    text = results.to_json(evidence=level)
    with open(tmp_path / "out.json", "wb") as f:
        results.write(f, evidence=level)
    assert (tmp_path / "out.json").read_bytes() == text.encode("utf-8")
    doc = json.loads(text)
    if level == "full":
        assert text == results.to_json() == (we / "expected.json").read_text(encoding="utf-8")
        assert "evidence_level" not in doc
    else:
        assert doc["evidence_level"] == level
        node = doc["units"][0]["nodes"][0]
        if level == "none":
            assert "evidence" not in node
        else:
            assert all(p.startswith("/") for p in node["evidence"]) and node["evidence"]
    exe = cli("jql-score")
    if exe is None:
        pytest.skip("jql-score is not built (set JQL_BUILD_DIR to a build with examples)")
    out = subprocess.run([str(exe), "--format", "json", "--evidence", level,
                          str(we / "dataset.json"), str(we / "criteria.json")],
                         capture_output=True, check=True)
    assert out.stdout == text.encode("utf-8")


def test_evidence_level_errors(jq):
    we = TEST_DATA / "scoring" / "worked-example"
    ds, crit = load_case(jq, we / "dataset.json", we / "criteria.json")
    results = jq.score(ds, crit)
    with pytest.raises(ValueError, match="evidence must be one of"):
        results.to_json(evidence="some")

    class Broken:
        def write(self, data):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        results.write(Broken())
