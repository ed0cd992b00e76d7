"""Dataset.tally(): the library's counts (tests/data/as-of/, counted by hand
as in tests/test_tally.c). The same counts through C, the CLIs and Lua are
compared by tests/cli/test_tally.sh."""

import datetime

import pytest

from conftest import TEST_DATA

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
