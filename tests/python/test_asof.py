"""The as-of rule from Python (tests/data/as-of/: records either side of
21 March 2014; points worked out by hand, the same as tests/test_asof.c)."""

import datetime
import subprocess
from decimal import Decimal

import pytest

from conftest import TEST_DATA, cli

DS = TEST_DATA / "as-of" / "dataset.json"
CRIT = TEST_DATA / "as-of" / "criteria.json"

ALL = {"missing": "10", "worst": "5", "reports-due": "3.333", "tasks": "6.667",
       "directives": "6.667", "events": "8", "x": "10", "y": "7"}
CONFERENCE = {"missing": "9", "worst": "0", "reports-due": "0", "tasks": "5",
              "directives": "5", "events": "9", "x": "10", "y": "0"}


def leaf_points(results):
    unit = results["U"]
    return {n.id: n.points for n in unit.nodes}


@pytest.mark.parametrize("as_of,want", [(None, ALL), ("2014-03-21", CONFERENCE),
                                        (datetime.date(2014, 3, 21), CONFERENCE)])
def test_as_of_points(jq, as_of, want):
    ds, crit = jq.Dataset.load(DS), jq.Criteria.load(CRIT)
    got = leaf_points(jq.score(ds, crit, as_of=as_of))
    assert got == {k: Decimal(v) for k, v in want.items()}


def test_as_of_json_matches_the_cli(jq):
    exe = cli("jql-score")
    if exe is None:
        pytest.skip("jql-score is not built")
    ds, crit = jq.Dataset.load(DS), jq.Criteria.load(CRIT)
    text = jq.score(ds, crit, as_of="2014-03-21").to_json()
    out = subprocess.run([str(exe), "--format", "json", "--as-of", "2014-03-21", str(DS),
                          str(CRIT)], capture_output=True, check=True)
    assert text.encode("utf-8") == out.stdout


def test_bad_as_of(jq):
    ds, crit = jq.Dataset.load(DS), jq.Criteria.load(CRIT)
    with pytest.raises(jq.ValidationError, match="not an existing date"):
        jq.score(ds, crit, as_of="2014-02-30")
    with pytest.raises(TypeError):
        jq.score(ds, crit, as_of=20140321)


def test_as_of_with_allow_empty(jq):
    """allow_empty= and as_of= reach jql_score_with() together."""
    ds, crit = jq.Dataset.load(DS), jq.Criteria.load(CRIT)
    with pytest.raises(jq.NotFoundError, match="unknown period 2013"):
        jq.score(ds, crit, "2013", as_of="2013-06-30")
    with pytest.warns(jq.ScoringWarning, match="no record of the scored units"):
        r = jq.score(ds, crit, "2013", as_of=datetime.date(2013, 6, 30), allow_empty=True)
    assert [w.path for w in r.warnings] == ["/period"]
    # before every record: the year is not empty; the leaf warnings say "as of"
    with pytest.warns(jq.ScoringWarning, match="in period 2014 as of 2013-12-01"):
        r = jq.score(ds, crit, as_of="2013-12-01")
    assert len(r.warnings) == 7 and "/period" not in [w.path for w in r.warnings]


def test_results_record_their_as_of_date(jq):
    """Results.as_of: the date as jql_results_as_of() keeps it (a date object
    given comes back as its "YYYY-MM-DD"), None without one; to_dict() and
    to_json() carry "as_of" after "period" only when set."""
    ds, crit = jq.Dataset.load(DS), jq.Criteria.load(CRIT)
    plain = jq.score(ds, crit)
    assert plain.as_of is None
    assert "as_of" not in plain.to_dict() and '"as_of"' not in plain.to_json()
    for as_of in ("2014-03-21", datetime.date(2014, 3, 21)):
        r = jq.score(ds, crit, as_of=as_of)
        assert r.as_of == "2014-03-21"
        d = r.to_dict()
        assert list(d)[:5] == ["format", "criteria", "period", "as_of", "scale"]
        assert d["as_of"] == "2014-03-21"
        for level in ("full", "ids", "none"):
            text = r.to_json(evidence=level)
            assert '"period": "2014",\n  "as_of": "2014-03-21",\n' in text
    # the trend's results carry it too
    t = jq.score_periods(ds, crit, ["2014-Q1", "2014"], as_of="2014-03-21")
    assert [x.as_of for x in t.results] == ["2014-03-21", "2014-03-21"]
    assert '"as_of": "2014-03-21"' in t.to_json()
    assert '"as_of"' not in jq.score_periods(ds, crit, ["2014-Q1", "2014"]).to_json()


@pytest.mark.parametrize("dates", [("2014-03-21", None), (None, "2014-03-21"),
                                   ("2014-03-21", "2014-04-01")])
def test_trend_of_results_of_different_dates(jq, dates):
    """A Trend of results scored as of different dates (or one without):
    to_dict() and to_json() both give "as_of_by_period", a date or None each."""
    import json
    ds, crit = jq.Dataset.load(DS), jq.Criteria.load(CRIT)
    t = jq.Trend([jq.score(ds, crit, as_of=d) for d in dates])
    d, loaded = t.to_dict(), json.loads(t.to_json(), parse_float=Decimal)
    assert list(d) == list(loaded)
    assert d["as_of_by_period"] == loaded["as_of_by_period"] == list(dates)
    assert "as_of" not in d


def test_empty_period_refusal_names_allow_empty(jq):
    """The refusal names Python's way to allow an empty period."""
    ds, crit = jq.Dataset.load(DS), jq.Criteria.load(CRIT)
    with pytest.raises(jq.NotFoundError,
                       match=r"allow empty periods to score it anyway: allow_empty=True\)"):
        jq.score(ds, crit, "2013")
    with pytest.raises(jq.NotFoundError, match=r"anyway: allow_empty=True\)"):
        jq.score_periods(ds, crit, ["2014", "2013"])


@pytest.mark.parametrize("as_of", [None, "2014-03-21"])
def test_analyses_carry_the_as_of_date(jq, as_of):
    """The analyses' dicts (from the C accessors) and JSON agree on the as-of
    members: present after the period(s) only when the results had one."""
    import json
    ds, crit = jq.Dataset.load(DS), jq.Criteria.load(CRIT)
    r = jq.score(ds, crit, as_of=as_of)
    plain = jq.score(ds, crit)
    docs = {
        "compare": (r.compare(r), r.compare_json(r), ["as_of_before", "as_of_after"]),
        "sensitivity": (r.sensitivity(runs=10), r.sensitivity_json(runs=10), ["as_of"]),
        "plans": (r.plans(), r.plans_json(), ["as_of"]),
    }
    t = jq.score_periods(ds, crit, ["2014-Q1", "2014"], as_of=as_of)
    docs["trend"] = (t.to_dict(), t.to_json(), ["as_of"])
    for name, (d, text, keys) in docs.items():
        loaded = json.loads(text, parse_float=Decimal)
        assert list(d) == list(loaded), name
        for k in keys:
            assert d.get(k) == loaded.get(k) == as_of, (name, k)
    # one side with, the other without: only that side's member
    mixed = r.compare(plain)
    assert mixed.get("as_of_before") == as_of and "as_of_after" not in mixed
    assert list(mixed) == list(json.loads(r.compare_json(plain)))
