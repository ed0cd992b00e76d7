"""Dataset.tally(): the library's counts (tests/data/as-of/, counted by hand
as in tests/test_tally.c). The same counts through C, the CLIs and Lua are
compared by tests/cli/test_tally.sh."""

import datetime

import pytest

from conftest import LONG_AN, TEST_DATA

DS = TEST_DATA / "as-of" / "dataset.json"

KEYS = ["reports_due", "reports_on_time", "reports_late", "reports_missing",
        "reports_incomplete", "tasks_due", "tasks_done", "tasks_done_late",
        "tasks_overdue", "directives_due", "directives_done"]


def test_counts_by_hand(jq):
    ds = jq.Dataset.load(DS)
    t = ds.tally("2014-Q1", "U")
    assert list(t) == KEYS
    assert [t[k] for k in KEYS] == [2, 0, 2, 0, 1, 3, 2, 1, 1, 3, 2]
    assert ds.tally("2014-Q1", "P") == dict.fromkeys(KEYS, 0)
    assert ds.tally("2014-Q1", "P", rollup=True) == t


@pytest.mark.parametrize("as_of", ["2014-03-21", datetime.date(2014, 3, 21)])
def test_as_of(jq, as_of):
    t = jq.Dataset.load(DS).tally("2014-Q1", "U", as_of=as_of)
    assert [t[k] for k in KEYS] == [2, 0, 1, 1, 0, 2, 1, 0, 1, 2, 1]


def test_filters_and_every_record(jq):
    ds = jq.Dataset.load(DS)
    t = ds.tally(report_kind="statistics")
    assert (t["reports_due"], t["reports_on_time"], t["reports_late"]) == (2, 1, 1)
    assert ds.tally(task_field="none-such")["tasks_due"] == 0
    assert ds.tally()["reports_due"] == 3


def test_errors(jq):
    ds = jq.Dataset.load(DS)
    with pytest.raises(jq.NotFoundError, match="nobody"):
        ds.tally("2014-Q1", "nobody")
    with pytest.raises(jq.NotFoundError, match="2014-Q5"):
        ds.tally("2014-Q5")
    with pytest.raises(jq.ValidationError, match="as_of"):
        ds.tally("2014-Q1", as_of="2014-02-30")
    with pytest.raises(TypeError):
        ds.tally("2014-Q1", as_of=datetime.datetime(2014, 3, 21))


def test_periods_next_and_display_name(jq):
    ds = jq.Dataset.load(DS)
    assert ds.periods.next("2014-Q4") == "2015-Q1"
    assert ds.periods.next("2014-9M") == "2014-Q4"
    assert ds.periods.previous(ds.periods.next("2014-H2")) == "2014-H2"
    assert ds.periods.display_name("2014-Q1") == "Quý I/2014"
    assert ds.periods.display_name("2014-Q1", "en") == "Q1 2014"
    assert ds.periods.display_name("2014-H2") == "6 tháng cuối năm 2014"
    with pytest.raises(jq.ValidationError):
        ds.periods.display_name("2014-Q1", "fr")
    with pytest.raises(jq.NotFoundError):
        ds.periods.next("M9")


def test_report_standing_and_lookup(jq):
    """Per report, the library's verdict (jql_report_get_standing), found by
    jql_report_find; as in tests/test_tally.c per_record_verdicts."""
    ds = jq.Dataset.load(DS)
    i = ds.report_index("U", "2014-Q1", "quarterly-work")
    assert i == 1
    assert ds.report("U", "2014-Q1", "quarterly-work") == ds.reports[1]
    assert ds.report("U", "2014-Q3", "statistics") is None
    assert ds.report_index("nobody", "2014-Q1", "statistics") is None
    S = jq.ReportStanding
    assert ds.report_standing(i) == S("late", 10, True)
    assert ds.report_standing(i, "2014-03-21") == S("missing", None, False)
    assert ds.report_standing(0, datetime.date(2014, 3, 14)) == S("not_due", None, False)
    assert ds.report_standing(2) == S("on_time", 0, False)
    with pytest.raises(jq.NotFoundError):
        ds.report_standing(3)
    with pytest.raises(jq.NotFoundError):
        ds.report_standing(-1)


def test_standings_add_up_to_the_tally(jq):
    ds = jq.Dataset.load(LONG_AN / "dataset.json")
    reports = [r for u in ds.units for r in ds.reports_in_period(u, "2014-Q1")]
    assert len(reports) > 20
    for as_of in ("2014-03-31", "2014-04-10", None):
        t = ds.tally("2014-Q1", as_of=as_of)
        got = dict.fromkeys(("not_due", "on_time", "late", "missing"), 0)
        incomplete = 0
        for r in reports:
            s = ds.report_standing(ds.report_index(r.unit, r.period, r.kind), as_of)
            got[s.standing] += 1
            incomplete += s.incomplete
        assert (got["on_time"], got["late"], got["missing"], incomplete) == (
            t["reports_on_time"], t["reports_late"], t["reports_missing"],
            t["reports_incomplete"])
    late = [r for u in ds.units for r in ds.late_reports(u, "2014-Q1")]
    t = ds.tally("2014-Q1")
    assert len(late) == t["reports_late"] + t["reports_missing"]


def test_directive_done(jq):
    ds = jq.Dataset.load(DS)
    assert ds.directive_done("D1")
    assert not ds.directive_done("D2", "2014-03-21")
    assert ds.directive_done("D2", datetime.date(2014, 3, 22))
    assert not ds.directive_done("D3")
    with pytest.raises(jq.NotFoundError):
        ds.directive_done("D9")
