"""Datasets through Python: loading, saving, collections, the builder and queries."""

import datetime
import io
import os
from decimal import Decimal
from fractions import Fraction

import pytest

from conftest import LONG_AN, TEST_DATA

D = datetime.date


def valid_fixtures():
    return sorted((TEST_DATA / "valid").glob("*.json")) + \
        ([LONG_AN / "dataset.json"] if (LONG_AN / "dataset.json").exists() else [])


@pytest.mark.parametrize("path", valid_fixtures(), ids=lambda p: p.name)
def test_load_every_way_gives_the_same_dataset(jq, path, tmp_path):
    data = path.read_bytes()
    by_path = jq.Dataset.load(path)
    by_str_path = jq.Dataset.load(str(path))
    with open(path, "rb") as f:
        by_file = jq.Dataset.load(f)
    by_bytes = jq.Dataset.loads(data)
    by_text = jq.Dataset.loads(data.decode("utf-8"))
    by_bytearray = jq.Dataset.loads(bytearray(data))
    text = by_path.to_json()
    assert isinstance(text, str)
    for other in (by_str_path, by_file, by_bytes, by_text, by_bytearray):
        assert other.to_json() == text
    # canonical form is a fixed point
    assert jq.Dataset.loads(text).to_json() == text
    out = tmp_path / "saved.json"
    by_path.save(out)
    assert out.read_text(encoding="utf-8") == text
    assert not [p for p in tmp_path.iterdir() if p.name != "saved.json"], "temporary file left"


def test_small_fixture_collections(jq):
    ds = jq.Dataset.load(TEST_DATA / "valid" / "small.json")
    assert ds.name == "Sở Tư pháp tỉnh Long An — bộ dữ liệu nhỏ"
    assert list(ds.units) == ["long-an", "xa-binh-tam", "tan-an", "duc-hoa"]
    tan_an = ds.units["tan-an"]
    assert isinstance(tan_an, jq.Unit)
    assert tan_an.parent == "long-an" and tan_an.cluster == "cum-2"
    assert tan_an.attributes == {"dân số": "145.120", "kind": "thành phố"}
    assert tan_an.children == ("xa-binh-tam",)
    assert ds.units["long-an"].children == ("tan-an", "duc-hoa")
    assert "duc-hoa" in ds.units and "nope" not in ds.units and 3 not in ds.units
    assert ds.descendants("long-an") == ("tan-an", "xa-binh-tam", "duc-hoa")
    assert ds.depth("xa-binh-tam") == 2

    q1 = ds.periods["2014-Q1"]
    assert (q1.kind, q1.start, q1.end) == ("quarter", D(2013, 12, 15), D(2014, 3, 14))
    assert ds.periods["thang-5-2014"].kind == "custom"
    assert ds.indicators["civil-status"].aggregation == "last"
    assert ds.indicators["mediation"].aggregation == "sum"

    stats = ds.statistics
    assert len(stats) == 5
    assert stats[1].value == Decimal("1.500") and str(stats[1].value) == "1.500"
    assert stats[-1].value == Decimal("9000000000000.000")
    assert [s.unit for s in stats[:2]] == ["tan-an", "tan-an"]

    late, never = ds.reports[0], ds.reports[1]
    assert (late.days_late, late.submitted, late.complete) == (3, D(2014, 3, 18), True)
    assert (never.days_late, never.submitted) == (None, None)

    t = ds.tasks["q2-hien-phap"]
    assert t.owners == ("tan-an", "duc-hoa") and t.status == "done"
    assert t.completed == D(2014, 6, 20) and t.period == "2014-Q2"
    sc = ds.shortcomings["sc-bao-cao"]
    assert sc.causes[0] == jq.Cause("subjective", "Tính chủ động chưa cao")
    assert sc.resolved == "2014-H1" and sc.units == ("duc-hoa", "tan-an")
    d = ds.directives["cd-q2-hien-phap"]
    assert d.levels == ("district", "commune") and d.answers == ("sc-bao-cao", "q2-hien-phap")
    a = ds.assessments[0]
    assert (a.self, a.appraised, a.evidence) == (Decimal("3.000"), Decimal("2.500"),
                                                 "Kế hoạch số 12/KH-PTP")
    assert ds.assessments[1].not_applicable is True
    assert ds.events[0].points == Decimal("2.000") and ds.events[1].points is None
    with pytest.raises(IndexError):
        ds.events[99]
    assert ds.warnings == []


def test_builder_every_record_kind_round_trips(jq):
    ds = jq.Dataset("built", "made from Python")
    ds.add_unit("P", "Sở Tư pháp", "province")
    u = ds.add_unit("U1", "Phòng Tư pháp 1", "district", "P", cluster="c1",
                    attributes={"kind": "huyện"})
    assert u.cluster == "c1" and u.attributes == {"kind": "huyện"}
    ds.add_unit("U2", "Phòng Tư pháp 2", "district", "P")
    assert ds.set_unit("U2", cluster="c2", name="Renamed").name == "Renamed"
    assert ds.set_unit("U2", cluster=None).cluster is None
    ds.set_unit_attribute("U1", "kind", None)
    assert ds.units["U1"].attributes == {}
    p = ds.add_period("2014-Q1", "2013-12-15", D(2014, 3, 14), name="Quý I")
    assert (p.start, p.name) == (D(2013, 12, 15), "Quý I")
    ind = ds.add_indicator("cases", "Cases", "việc", "last", field="civil")
    assert (ind.aggregation, ind.field) == ("last", "civil")
    ds.set_stat("U1", "cases", "2014-Q1", Decimal("1.25"))
    ds.set_stat("U1", "cases", "2014-Q2", Fraction(3, 4))
    ds.set_stat("U2", "cases", "2014-Q1", "7")
    ds.set_stat("U2", "cases", "2014-Q1", 8)  # replaces
    assert [s.value for s in ds.statistics] == [Decimal("1.250"), Decimal("0.750"),
                                                Decimal("8.000")]
    r = ds.add_report("U1", "2014-Q1", "statistics", "2014-03-15")
    assert r.submitted is None and r.days_late is None
    r = ds.set_report_submitted("U1", "2014-Q1", "statistics", "2014-03-20", True)
    assert r.days_late == 5
    t = ds.add_task("t1", "Task", "2014-06-30", ["U1", "U2"], field="f", period="2014-Q2",
                    status="done", completed="2014-06-01")
    assert t.owners == ("U1", "U2") and t.completed == D(2014, 6, 1)
    ds.add_task("t2", "Task 2", "2014-06-30", "U1")
    ds.add_task_owner("t2", "U2")
    assert ds.set_task_status("t2", "in_progress").status == "in_progress"
    assert ds.set_task("t2", field="g").field == "g"
    sc = ds.add_shortcoming("s1", "2014-Q1", "Chậm báo cáo", ["U1"], field="reporting",
                            causes=[("subjective", "why")])
    ds.add_shortcoming_unit("s1", "U2")
    ds.add_shortcoming_cause("s1", "objective", "staff")
    assert ds.set_shortcoming("s1", resolved="2014-H1").resolved == "2014-H1"
    assert len(ds.shortcomings["s1"].causes) == 2 and sc.units == ("U1",)
    dr = ds.add_directive("d1", "2014-03-21", "P", "Do it", units=["U1"], levels=["district"],
                          due="2014-06-30", answers=["s1"])
    ds.add_directive_answer("d1", "t1")
    ds.add_directive_unit("d1", "U2")
    ds.add_directive_level("d1", "commune")
    ds.set_directive_due("d1", "2014-06-29")
    dr = ds.set_directive_status("d1", "done", "2014-06-25")
    assert dr.status == "done" and dr.due == D(2014, 6, 29) and dr.answers == ("s1", "t1")
    a = ds.add_assessment("U1", "2014", "lead", "3", Decimal("2.5"), evidence="KH 12")
    assert (a.self, a.appraised) == (Decimal("3.000"), Decimal("2.500"))
    a = ds.set_assessment_scores("U1", "2014", "lead", None, 2)
    assert (a.self, a.appraised) == (None, Decimal("2.000"))
    assert ds.set_assessment_not_applicable("U1", "2014", "lead").not_applicable
    assert ds.set_assessment_evidence("U1", "2014", "lead", None).evidence is None
    e = ds.add_event("U1", "2014-05-10", "initiative", "Mô hình", points=2, evidence="QĐ 5")
    assert e.points == Decimal("2.000")
    assert ds.set_event_points(0, None).points is None
    assert ds.set_event_evidence(0, "x").evidence == "x"
    assert ds.check() == []

    text = ds.to_json()
    again = jq.Dataset.loads(text)
    assert again.to_json() == text
    assert again.description == "made from Python"
    ds.name = None
    assert ds.name is None


def test_queries_hand_computed(jq):
    ds = jq.Dataset()
    ds.add_unit("P", "Province", "province")
    ds.add_unit("A", "A", "district", "P")
    ds.add_unit("B", "B", "district", "P")
    ds.add_indicator("n", "Count")
    ds.set_stat("A", "n", "2014-Q1", 10)
    ds.set_stat("A", "n", "2014-Q2", "2.5")
    ds.set_stat("B", "n", "2014-Q1", 4)
    ds.set_stat("A", "n", "2013-H1", 10)
    assert ds.value("A", "n", "2014-H1") == Decimal("12.500")
    assert ds.value("P", "n", "2014-H1") is None
    assert ds.value("P", "n", "2014-H1", rollup=True) == Decimal("16.500")
    ch = ds.change("A", "n", "2014-H1")
    assert ch == jq.Change(Decimal("12.500"), Decimal("10.000"), Decimal("2.500"),
                           Decimal("25.000"))
    no_prev = ds.change("B", "n", "2014-Q1")
    assert no_prev.current == Decimal("4.000") and no_prev.previous is None
    assert no_prev.percent is None

    ds.add_report("A", "2014-Q1", "statistics", "2014-04-10", "2014-04-12", True)
    ds.add_report("A", "2014-Q2", "statistics", "2014-07-10", "2014-07-10", True)
    ds.add_report("A", "2014-Q3", "statistics", "2014-10-10")
    assert [r.period for r in ds.reports_in_period("A", "2014-H1")] == ["2014-Q1", "2014-Q2"]
    assert [r.period for r in ds.late_reports("A", "2014")] == ["2014-Q1", "2014-Q3"]
    assert ds.reports_in_period("A", "2014", kind="other") == []

    ds.add_task("t1", "one", "2014-03-31", ["A"], status="done", completed="2014-03-30")
    ds.add_task("t2", "two", "2014-03-31", ["A", "B"])
    ds.add_task("t3", "three", "2014-06-30", ["B"], status="done", completed="2014-07-05")
    assert [t.id for t in ds.tasks_due("2014-Q1")] == ["t1", "t2"]
    assert [t.id for t in ds.tasks_due("2014-Q1", unit="B")] == ["t2"]
    assert [t.id for t in ds.tasks_overdue("2014-07-01")] == ["t2", "t3"]
    assert [t.id for t in ds.tasks_overdue(D(2014, 7, 5), unit="B")] == ["t2"]
    assert ds.task_completion_share("2014-Q1", "A") == Decimal("50.000")
    assert ds.task_completion_share("2014-Q4", "A") is None

    ds.add_shortcoming("s1", "2014-Q1", "x", resolved="2014-Q2")
    ds.add_shortcoming("s2", "2014-Q2", "y")
    assert [s.id for s in ds.shortcomings_open("2014-Q1")] == ["s1"]
    assert [s.id for s in ds.shortcomings_open("2014-Q2")] == ["s2"]

    ds.add_directive("d1", "2014-01-05", "P", "a", levels=["district"], due="2014-03-31",
                     status="done", completed="2014-03-01")
    ds.add_directive("d2", "2014-01-05", "P", "b", units=["B"], due="2014-03-31")
    ds.add_directive("d3", "2014-01-05", "P", "c", units=["B"], due="2014-09-30")
    assert [d.id for d in ds.directives_due("2014-Q1", "A")] == ["d1"]
    assert [d.id for d in ds.directives_due("2014-Q1", "B")] == ["d1", "d2"]
    assert ds.directive_completion_share("2014-Q1", "B") == Decimal("50.000")
    assert ds.directive_completion_share("2014-Q4", "B") is None

    ds.add_event("A", "2014-02-01", "discipline")
    ds.add_event("B", "2014-05-01", "initiative", points=1)
    assert len(ds.events_in_period("2014")) == 2
    assert [e.unit for e in ds.events_in_period("2014", unit="B")] == ["B"]
    assert ds.events_in_period("2014-Q1", kind="initiative") == []


def test_rollup_of_indicator_without_statistics(jq):
    """No statistic of the indicator anywhere (or of any indicator): no data,
    not a crash of the interpreter (the roll-up read past the index)."""
    ds = jq.Dataset()
    ds.add_unit("P", "Province", "province")
    ds.add_unit("A", "A", "district", "P")
    ds.add_indicator("n", "Count")
    ds.add_indicator("m", "Other")
    assert ds.value("P", "n", "2014-Q1", rollup=True) is None
    ds.set_stat("A", "n", "2014-Q1", 3)
    assert ds.value("P", "m", "2014-Q1", rollup=True) is None
    assert ds.value("P", "n", "2014-Q1", rollup=True) == Decimal("3.000")


def test_period_helpers(jq):
    ds = jq.Dataset()
    ds.add_period("2014-Q1", "2013-12-15", "2014-03-14")
    ds.add_period("k1", "2014-01-01", "2014-01-31")
    ds.add_period("k2", "2014-02-01", "2014-02-28")
    ps = ds.periods
    assert ps.resolve("2014-Q1") == jq.PeriodRange("2014-Q1", "quarter", D(2013, 12, 15),
                                                   D(2014, 3, 14))
    assert ps.resolve("2014-9M").end == D(2014, 9, 30)
    assert ps.previous("2014-Q1") == "2013-Q4"
    assert ps.previous("2014-9M") == "2013-9M"
    assert ps.previous("k2") == "k1"
    assert ps.year_before("2014-H2") == "2013-H2"
    assert ps.contains("2014", "2014-Q3") is True
    assert ps.contains("2014-Q3", "2014") is False
    with pytest.raises(jq.NotFoundError):
        ps.resolve("not-a-period")
    with pytest.raises(jq.NotFoundError):
        ps.previous("k1")
    assert len(ps) == 3 and list(ps) == ["2014-Q1", "k1", "k2"]


def test_dates_and_numbers_are_exact(jq):
    ds = jq.Dataset()
    ds.add_unit("U", "U", "district")
    ds.add_indicator("n", "n")
    with pytest.raises(TypeError, match="exact"):
        ds.set_stat("U", "n", "2014", 1.5)
    with pytest.raises(TypeError):
        ds.set_stat("U", "n", "2014", True)
    with pytest.raises(ValueError, match="3 decimal places"):
        ds.set_stat("U", "n", "2014", Decimal("0.0005"))
    with pytest.raises(ValueError, match="3 decimal places"):
        ds.set_stat("U", "n", "2014", Fraction(1, 3))
    with pytest.raises(ValueError, match="finite"):
        ds.set_stat("U", "n", "2014", Decimal("NaN"))
    with pytest.raises(ValueError, match="range"):
        ds.set_stat("U", "n", "2014", 10 ** 13)
    with pytest.raises(jq.ValidationError):
        ds.set_stat("U", "n", "2014", "0.0005")
    with pytest.raises(jq.ValidationError):
        ds.set_stat("U", "n", "2014", -1)
    ds.set_stat("U", "n", "2014", Decimal("1.5000"))
    assert ds.value("U", "n", "2014") == Decimal("1.500")
    with pytest.raises(TypeError, match="datetime"):
        ds.add_event("U", datetime.datetime(2014, 1, 1), "x")
    with pytest.raises(jq.ValidationError):
        ds.add_event("U", "2014-02-30", "x")
    with pytest.raises(jq.ValidationError):
        ds.add_event("U", "20140101", "x")
    with pytest.raises(jq.ValidationError):
        ds.add_event("U", D(1899, 12, 31), "x")
    with pytest.raises(TypeError):
        ds.add_event("U", 20140101, "x")


def test_load_rejects_text_mode_files_and_bad_types(jq):
    with pytest.raises(TypeError, match="binary"):
        jq.Dataset.load(io.StringIO("{}"))
    with pytest.raises(TypeError):
        jq.Dataset.loads(12)
    with pytest.raises(TypeError):
        jq.Dataset.load(12)


def test_save_is_atomic_and_reports_os_errors(jq, small, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    small.save(str(target))
    assert target.read_text(encoding="utf-8") == small.to_json()
    with pytest.raises(FileNotFoundError) as info:
        small.save(tmp_path / "missing-dir" / "x.json")
    assert info.value.errno == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_collections_are_live_views(jq, small):
    units = small.units
    assert len(units) == 3
    small.add_unit("U3", "Unit 3", "district", "P")
    assert len(units) == 4 and units.at(-1).id == "U3"
    assert isinstance(units, jq.RecordMap)
    with pytest.raises(IndexError):
        units.at(4)
    reps = small.reports
    assert isinstance(reps, jq.RecordList)
    assert [r.unit for r in reps[::-1]] == ["U2", "U1"]
    assert repr(small).startswith("<justice_quarterly.Dataset 'small'")
