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
