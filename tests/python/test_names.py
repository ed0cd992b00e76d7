"""Enum names come from the C library's tables (names.h), not from copies in Python."""

import pytest

from justice_quarterly import _core, records, tables


def test_every_enum_has_a_full_table_from_the_library():
    names = _core.ENUM_NAMES
    assert set(names) == {"task_status", "directive_status", "aggregation", "period_kind",
                          "severity", "csv_kind", "bound", "result_field", "evidence_level",
                          "report_standing"}
    for key, values in names.items():
        assert values and all(isinstance(v, str) and v for v in values), key
        assert len(set(values)) == len(values), key


def test_package_tables_are_the_library_tables():
    assert records.TASK_STATUSES is _core.ENUM_NAMES["task_status"]
    assert records.DIRECTIVE_STATUSES is _core.ENUM_NAMES["directive_status"]
    assert records.AGGREGATIONS is _core.ENUM_NAMES["aggregation"]
    assert records.PERIOD_KINDS is _core.ENUM_NAMES["period_kind"]
    assert tables.CSV_KINDS is _core.ENUM_NAMES["csv_kind"]
    assert records.TASK_STATUSES == ("pending", "in_progress", "done")  # docs/FORMAT.md


def test_every_status_and_aggregation_round_trips_through_the_builder(jq):
    ds = jq.Dataset()
    ds.add_unit("u", "Unit", "district")
    for i, status in enumerate(_core.ENUM_NAMES["task_status"]):
        done = "2014-03-20" if status == "done" else None
        t = ds.add_task(f"t{i}", "task", "2014-03-31", ["u"], status=status, completed=done)
        assert t.status == status
    for i, status in enumerate(_core.ENUM_NAMES["directive_status"]):
        done = "2014-03-20" if status == "done" else None
        d = ds.add_directive(f"d{i}", "2014-01-10", "u", "text", units=["u"], status=status,
                             completed=done)
        assert d.status == status
    for i, agg in enumerate(_core.ENUM_NAMES["aggregation"]):
        assert ds.add_indicator(f"i{i}", "indicator", aggregation=agg).aggregation == agg
    again = jq.Dataset.loads(ds.to_json())
    statuses = _core.ENUM_NAMES["task_status"]
    assert [again.tasks[f"t{i}"].status for i in range(len(statuses))] == list(statuses)
    aggs = _core.ENUM_NAMES["aggregation"]
    assert [again.indicators[f"i{i}"].aggregation for i in range(len(aggs))] == list(aggs)


def test_unknown_names_are_refused(jq):
    ds = jq.Dataset()
    ds.add_unit("u", "Unit", "district")
    with pytest.raises(ValueError):
        ds.add_task("t", "task", "2014-03-31", ["u"], status="DONE")
    with pytest.raises(ValueError):
        ds.add_indicator("i", "indicator", aggregation="average")


def test_status_constants_are_exported_and_exceptions_use_them(jq):
    codes = {n: getattr(_core, n) for n in dir(_core) if n.startswith("JQL_")}
    assert codes["JQL_OK"] == 0
    # contiguous from JQL_OK down, each known to the library's strerror
    assert sorted(codes.values(), reverse=True) == list(range(0, -len(codes), -1))
    for name, value in codes.items():
        assert _core.strerror(value) != "unknown status", name
    assert _core.strerror(min(codes.values()) - 1) == "unknown status"
    expected = {jq.Error: "JQL_ERROR", jq.ValidationError: "JQL_EINVALID",
                jq.LimitError: "JQL_ELIMIT", jq.AlreadyExistsError: "JQL_EEXISTS",
                jq.NotFoundError: "JQL_ENOTFOUND", jq.CallbackError: "JQL_ECALLBACK"}
    for cls, name in expected.items():
        assert cls.status == codes[name], cls
    ds = jq.Dataset()
    with pytest.raises(jq.NotFoundError) as info:
        ds.add_task_owner("no-such-task", "u")
    assert info.value.status == _core.JQL_ENOTFOUND


def test_versions_follow_the_meson_project_version(jq):
    import os
    want = os.environ.get("JQL_PROJECT_VERSION")
    if want is None:
        pytest.skip("run through meson test (JQL_PROJECT_VERSION)")
    assert jq.__version__ == want
    assert _core.HEADER_VERSION == want


def test_report_standings_are_the_library_names(jq):
    """Dataset.report_standing() answers with a name of this table."""
    assert _core.ENUM_NAMES["report_standing"] == ("not_due", "on_time", "late", "missing")
