"""The clarified edge rules and the new warnings through Python, on the fixtures
of tests/data/edge/ that the C, CLI and Lua tests read too."""

import warnings
from decimal import Decimal

import pytest

import justice_quarterly as jq
from conftest import TEST_DATA

EDGE = TEST_DATA / "edge"


def edge(name, **kw):
    return jq.score(jq.Dataset.load(EDGE / name / "dataset.json"),
                    jq.Criteria.load(EDGE / name / "criteria.json"), **kw)


def points(results, unit, node):
    return results[unit].node(node).points


def test_overdue_with_no_task_due_is_no_data():
    r = edge("overdue-no-task")
    assert points(r, "U1", "OV") == Decimal("0.000")  # not 2 for "nothing overdue"
    assert r["U1"].node("OV").no_data
    assert points(r, "U1", "OVF") == Decimal("2.000")
    assert not r["U1"].node("OVN").applicable
    assert points(r, "U2", "OV") == Decimal("1.000")


def test_mean_is_exact():
    r = edge("mean-exact")
    assert points(r, "D1", "M") == Decimal("0.125")   # 0.2505 / 2, not 0.251 / 2
    assert points(r, "P", "MR") == Decimal("0.104")


def test_same_dates_statistics_are_refused():
    with pytest.raises(jq.ValidationError) as e:
        jq.Dataset.load(TEST_DATA / "invalid" / "same_dates.json")
    assert "/statistics/0 (line 8, column 5)" in str(e.value)


def test_the_other_clarified_rules():
    assert points(edge("outermost-periods"), "U1", "S") == Decimal("1.500")
    r = edge("latest-report")
    assert points(r, "U1", "L") == Decimal("0.500") and r["U2"].node("L").never_submitted
    r = edge("never-submitted-deductions")
    assert r["U1"].deductions == Decimal("9.500")
    r = edge("boolean-no-condition")
    assert [points(r, u, "X") for u in ("U1", "U2")] == [Decimal("0.000"), Decimal("1.000")]
    r = edge("appraisal-vs-not-applicable")
    assert points(r, "U1", "MN") == Decimal("1.500")
    assert not r["U1"].node("DN").applicable and not r["U1"].node("RN").applicable


def test_empty_period_is_an_error_unless_allowed():
    ds = jq.Dataset.load(EDGE / "overdue-no-task" / "dataset.json")
    cr = jq.Criteria.load(EDGE / "overdue-no-task" / "criteria.json")
    with pytest.raises(jq.NotFoundError, match="unknown period 2013"):
        jq.score(ds, cr, "2013")
    with pytest.warns(jq.ScoringWarning, match="no record of the scored units"):
        r = jq.score(ds, cr, "2013", allow_empty=True)
    assert [w.path for w in r.warnings] == ["/period"]
    assert r.warnings[0].severity == "warning"


def test_warning_manual_leaf_without_assessment():
    ds = jq.Dataset.load(EDGE / "nfc" / "dataset-nfc.json")
    cr = jq.Criteria.load(EDGE / "nfc" / "criteria.json")
    with pytest.warns(jq.ScoringWarning, match='manual leaf "hoa-giai"'):
        r = jq.score(ds, cr, "2014-H2")
    assert [w.path for w in r.warnings] == ["/criteria/0"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the year has its assessment: no warning
        assert jq.score(ds, cr).warnings == []


def test_warning_computed_leaf_without_data():
    with pytest.warns(jq.ScoringWarning, match='leaf "MN": its measure has no data'):
        r = edge("appraisal-vs-not-applicable")
    assert len(r.warnings) == 1 and r.warnings[0].path == "/criteria/0"


def test_warning_text_not_in_nfc_and_matching_in_nfc():
    nfd = jq.Dataset.load(EDGE / "nfc" / "dataset-nfd.json")
    assert len([w for w in nfd.warnings if "not in Unicode NFC" in w.message]) == 1
    assert nfd.warnings[0].path == "/name"
    nfc = jq.Dataset.load(EDGE / "nfc" / "dataset-nfc.json")
    assert nfc.warnings == []
    cr = jq.Criteria.load(EDGE / "nfc" / "criteria.json")
    a, b = jq.score(nfc, cr), jq.score(nfd, cr)
    assert [u.final for u in a] == [u.final for u in b] == [Decimal("9.000"), Decimal("5.000")]
    assert not b["tan-an"].node("hoa-giai").applicable
    assert b["tan-an"].name != a["tan-an"].name  # free text kept as typed (NFD)
    crd = jq.Criteria.load(EDGE / "nfc" / "criteria-nfd.json")
    assert len([w for w in crd.warnings if "NFC" in w.message]) == 1
    assert jq.score(nfc, crd).to_json() == a.to_json()


def test_warning_shares_written_as_fractions():
    cr = jq.Criteria.load(EDGE / "shares-as-fractions.json")
    assert [(w.path, w.severity) for w in cr.warnings] == [
        ("/criteria/0/method/share", "warning"), ("/quotas/0/share", "warning")]
    assert '"share": 20' in cr.warnings[1].message


def test_wrong_file_kind_in_one_error():
    with pytest.raises(jq.ValidationError) as e:
        jq.Dataset.load(EDGE / "nfc" / "criteria.json")
    assert len(e.value.errors) == 1 and "this is a criteria set" in e.value.errors[0].message
    with pytest.raises(jq.ValidationError) as e:
        jq.Criteria.load(EDGE / "nfc" / "dataset-nfc.json")
    assert len(e.value.errors) == 1 and "this is a dataset" in e.value.errors[0].message
