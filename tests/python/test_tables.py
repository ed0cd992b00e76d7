"""CSV, DataFrame and Excel import; numeric DataFrames out; reprs.

The CSV fixtures of tests/data/csv are shared with the C suite (test_csv.c),
the CLI (tests/cli/test_import.sh) and Lua (tests/lua/test_csv.lua).
"""

import datetime
import math
import subprocess
from decimal import Decimal
from fractions import Fraction

import pytest

from conftest import TEST_DATA, cli

CSV = TEST_DATA / "csv"
ALL = [("units.csv", None), ("indicators.csv", None), ("stats-wide-vi.csv", "2014-Q1"),
       ("stats-long.csv", None), ("reports.csv", None), ("tasks.csv", None),
       ("directives.csv", None), ("assessments.csv", None), ("events.csv", None)]
INVALID = ["ragged", "bad-quoting", "unknown-unit", "duplicated", "mixed-decimal",
           "ambiguous-decimal", "unterminated", "wide-unknown-column", "bad-values",
           "invalid-utf8"]


def expected(jq):
    return jq.Dataset.load(CSV / "expected.json").to_json()


def test_every_kind_gives_the_expected_dataset(jq):
    ds = jq.Dataset()
    for name, period in ALL:
        assert ds.import_csv(CSV / name, period=period) == []
    assert ds.to_json() == expected(jq)


def test_import_csv_max_input_size(jq):
    ds = jq.Dataset.load(CSV / "base.json")
    before = ds.to_json()
    with pytest.raises(jq.LimitError, match="max_input_bytes"):
        ds.import_csv(CSV / "stats-long.csv", max_input_size=16)
    with open(CSV / "stats-long.csv", "rb") as f:
        with pytest.raises(jq.LimitError):
            ds.import_csv(f, max_input_size=16)
    with pytest.raises(jq.LimitError):
        ds.import_csv((CSV / "stats-long.csv").read_bytes(), max_input_size=16)
    assert ds.to_json() == before
    assert ds.import_csv(CSV / "stats-long.csv", max_input_size=1 << 20) == []
    with pytest.raises(ValueError):
        ds.import_csv(CSV / "stats-long.csv", max_input_size=0)


def test_same_bytes_as_jql_import(jq, tmp_path):
    prog = cli("jql-import")
    if prog is None:
        pytest.skip("jql-import not built")
    args = [str(prog), "-o", str(tmp_path / "out.json")]
    for name, period in ALL:
        args += (["-p", period] if period else []) + [str(CSV / name)]
    subprocess.run(args, check=True)
    ds = jq.Dataset()
    for name, period in ALL:
        ds.import_csv(CSV / name, period=period)
    assert ds.to_json() == (tmp_path / "out.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", INVALID)
def test_malformed_files(jq, name):
    ds = jq.Dataset.load(CSV / "base.json")
    before = ds.to_json()
    with pytest.raises(jq.ValidationError) as info:
        ds.import_csv(CSV / "invalid" / f"{name}.csv", period="2014-Q1")
    got = [f"{e.line}:{e.column}:{e.path}" for e in info.value.errors]
    want = (CSV / "invalid" / f"{name}.errors").read_text(encoding="utf-8").splitlines()
    assert got == want
    assert all(e.source == str(CSV / "invalid" / f"{name}.csv") for e in info.value.errors)
    assert ds.to_json() == before  # nothing half-imported


def test_text_bytes_and_options(jq):
    ds = jq.Dataset.load(CSV / "base.json")
    text = "unit;period;indicator;value\ntan-an;2014;mediation-cases;93.550\n"
    with pytest.raises(jq.ValidationError, match="ambiguous"):
        ds.import_csv(text)
    ds.import_csv(text.encode(), decimal_mark=".")
    assert ds.value("tan-an", "mediation-cases", "2014") == Decimal("93.550")
    with pytest.raises(jq.ValidationError, match="as stated"):
        ds.import_csv(text, decimal_mark=",")
    with pytest.raises(ValueError):
        ds.import_csv(text, kind="statistics")
    with pytest.raises(ValueError):
        ds.import_csv(text, separator="\t")


def base_frames(pd):
    units = pd.DataFrame({"id": ["p", "a", "b"], "name": ["Sở", "Phòng A", "Phòng B"],
                          "level": ["province", "district", "district"],
                          "parent": [None, "p", "p"], "cluster": [None, "c1", "c1"]})
    indicators = pd.DataFrame({"id": ["cases", "share"], "name": ["Số vụ", "Tỷ lệ"]})
    return units, indicators


def test_from_dataframe_types(jq):
    pd = pytest.importorskip("pandas")
    units, indicators = base_frames(pd)
    stats = pd.DataFrame({
        "unit": ["a", "a", "b", "b", "a"],
        "period": ["2014-Q1", "2014-Q2", "2014-Q1", "2014-Q2", "2014"],
        "indicator": ["cases", "cases", "share", "share", "share"],
        "value": [884.0, Decimal("12.250"), 7, "0.125", Fraction(1, 8)],
    }, dtype=object)
    ds = jq.Dataset.from_dataframe([units, indicators, stats])
    got = {(s.unit, s.indicator, s.period): s.value for s in ds.statistics}
    assert got == {("a", "cases", "2014-Q1"): Decimal("884"),
                   ("a", "cases", "2014-Q2"): Decimal("12.25"),
                   ("b", "share", "2014-Q1"): Decimal("7"),
                   ("b", "share", "2014-Q2"): Decimal("0.125"),
                   ("a", "share", "2014"): Decimal("0.125")}
    assert ds.units["a"].parent == "p" and ds.units["b"].cluster == "c1"


def test_float_columns_from_read_csv(jq, tmp_path):
    pd = pytest.importorskip("pandas")
    units, indicators = base_frames(pd)
    ds = jq.Dataset.from_dataframe([units, indicators])
    (tmp_path / "s.csv").write_text("unit,period,indicator,value\na,2014,cases,884\n"
                                    "b,2014,cases,884.5\n", encoding="utf-8")
    df = pd.read_csv(tmp_path / "s.csv")
    assert df["value"].dtype == "float64"  # what an analyst gets
    ds.set_stats(df)
    assert ds.value("a", "cases", "2014") == Decimal("884")
    assert ds.value("b", "cases", "2014") == Decimal("884.5")


def test_too_precise_floats_are_refused_with_their_row(jq):
    pd = pytest.importorskip("pandas")
    units, indicators = base_frames(pd)
    ds = jq.Dataset.from_dataframe([units, indicators])
    before = ds.to_json()
    df = pd.DataFrame({"unit": ["a", "b", "zz"], "period": ["2014"] * 3,
                       "indicator": ["cases"] * 3, "value": [1.0, 0.1 + 0.2, 2.0]},
                      index=["first", "second", "third"])
    with pytest.raises(jq.ValidationError) as info:
        ds.set_stats(df)
    messages = [str(e) for e in info.value.errors]
    assert len(messages) == 2, messages
    assert "row 'second'" in messages[0] and "0.30000000000000004" in messages[0]
    assert "row 'third'" in messages[1] and 'unknown unit "zz"' in messages[1]
    assert ds.to_json() == before


def test_wide_frame_with_nan_cells(jq):
    pd = pytest.importorskip("pandas")
    units, indicators = base_frames(pd)
    ds = jq.Dataset.from_dataframe([units, indicators])
    wide = pd.DataFrame({"Đơn vị": ["Phòng A", "b"], "Số vụ": [12.0, math.nan],
                         "share": [0.5, 1.25]})
    ds.set_stats(wide, period="2014-Q3")
    got = sorted((s.unit, s.indicator, s.value) for s in ds.statistics)
    assert got == [("a", "cases", Decimal("12")), ("a", "share", Decimal("0.5")),
                   ("b", "share", Decimal("1.25"))]


def test_from_excel(jq, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("pandas")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    for row in [("Mã", "Tên", "Cấp", "Trực thuộc"), ("p", "Sở", "province", None),
                ("a", "Phòng A", "district", "p")]:
        ws.append(row)
    ws = wb.create_sheet("Chỉ tiêu")
    for row in [("id", "name"), ("cases", "Số vụ hòa giải")]:
        ws.append(row)
    ws = wb.create_sheet("Số liệu")
    for row in [("STT", "Đơn vị", "Kỳ", "Số vụ hòa giải"), (1, "a", "2014-Q1", 93.55),
                (2, "a", "2014-Q2", 884)]:
        ws.append(row)
    ws = wb.create_sheet("Báo cáo")
    for row in [("unit", "period", "kind", "due", "submitted", "complete"),
                ("a", "2014-Q1", "statistics", datetime.date(2014, 3, 15),
                 datetime.datetime(2014, 3, 18), True)]:
        ws.append(row)
    wb.save(tmp_path / "book.xlsx")
    ds = jq.Dataset.from_excel(tmp_path / "book.xlsx")
    assert ds.value("a", "cases", "2014-Q1") == Decimal("93.55")
    assert ds.value("a", "cases", "2014-Q2") == Decimal("884")
    assert ds.reports[0].submitted == datetime.date(2014, 3, 18)
    assert ds.reports[0].complete is True
    # a bad sheet: nothing of the workbook is imported, errors name the sheet
    ws = wb["Số liệu"]
    ws.append((3, "nobody", "2014-Q3", 1))
    wb.save(tmp_path / "bad.xlsx")
    target = jq.Dataset()
    with pytest.raises(jq.ValidationError) as info:
        target.import_excel(tmp_path / "bad.xlsx")
    assert target.to_json() == jq.Dataset().to_json()
    assert any("[Số liệu]" in (e.source or "") and "nobody" in e.message
               for e in info.value.errors)


def test_results_numbers_float_and_names(jq):
    pd = pytest.importorskip("pandas")
    from conftest import LONG_AN
    from test_score import load_case
    ds, crit = load_case(jq, LONG_AN / "dataset.json", LONG_AN / "criteria-2014.json")
    res = jq.score(ds, crit)
    df = res.to_dataframe()
    exact = res.to_dataframe(numbers="decimal")
    from justice_quarterly.results import POINT_COLUMNS
    numeric = set(df.select_dtypes(include="number").columns)
    assert set(POINT_COLUMNS) <= numeric  # plot and describe() see the scores
    assert "final" in df.describe().columns
    for f, d in zip(df["final"], exact["final"]):
        assert f == float(d)
    tiers = {t.id: t.name for t in crit.tiers}
    assert list(df["tier_name"]) == [tiers[t] for t in df["tier"]]
    assert set(df["period_name"]) == {"Năm 2014"} and set(df["period"]) == {res.period}
    named = res.to_dataframe(cluster_names={"cum-1": "Cụm 1"})
    assert set(named[named.cluster == "cum-1"]["cluster_name"]) == {"Cụm 1"}
    with pytest.raises(ValueError):
        res.to_dataframe(numbers="int")
    first = res.units[0]
    assert f"first {first.id} {first.final} ({tiers[first.tier]})" in repr(res)
    assert f"<td>{tiers[first.tier]}</td>" in res._repr_html_()
    try:
        import matplotlib
        matplotlib.use("Agg")
    except ImportError:
        return
    df.plot.barh(x="name", y="final")


def test_statistics_frame_year_before_and_pivot(jq):
    pd = pytest.importorskip("pandas")
    ds = jq.Dataset()
    ds.add_unit("p", "Sở", "province")
    ds.add_unit("a", "Phòng A", "district", "p", cluster="c1")
    ds.add_indicator("cases", "Số vụ", "vụ")
    ds.set_stat("a", "cases", "2013-Q1", 80)
    ds.set_stat("a", "cases", "2014-Q1", Decimal("100.5"))
    df = ds.statistics_dataframe()
    row = df[df.period == "2014-Q1"].iloc[0]
    assert row["year_before"] == "2013-Q1" and row["period_name"] == "Quý I/2014"
    assert row["value"] == 100.5 and row["value_year_before"] == 80.0
    assert row["change"] == 20.5
    assert row["change_percent"] == 25.625  # 20.5 / 80 = 25.625 %
    old = df[df.period == "2013-Q1"].iloc[0]
    assert math.isnan(old["value_year_before"]) and math.isnan(old["change"])
    assert df["value"].dtype == "float64"
    pivot = df.pivot_table(index="unit", columns="period", values="value", aggfunc="sum")
    assert pivot.loc["a", "2014-Q1"] == 100.5
    exact = ds.statistics_dataframe(numbers="decimal")
    assert exact[exact.period == "2014-Q1"]["change_percent"].item() == Decimal("25.625")


def test_reprs(jq):
    ds = jq.Dataset.load(CSV / "expected.json")
    r = repr(ds)
    assert "4 units" in r and "12 statistics" in r and "(2014-Q1..2014-Q2)" in r
    assert "2 events" in r
    html = ds._repr_html_()
    assert "<table" in html and "Phòng Tư pháp huyện Bến Lức" in html
    assert "<th>directives</th><td>2</td>" in html


def test_a_long_frame_is_written_once(jq, monkeypatch):
    """set_stats() writes the frame as CSV text for the library. The lines each
    row took were counted by reading the whole text back at every row: 200,000
    rows took 76 s. The text read back (StringIO.getvalue) is counted here:
    about the text once, not once a row."""
    import io
    import json
    import types

    import pandas as pd
    from justice_quarterly import tables

    copied = []

    class Counting(io.StringIO):
        def getvalue(self):
            text = super().getvalue()
            copied.append(len(text))
            return text

    monkeypatch.setattr(tables, "io", types.SimpleNamespace(StringIO=Counting))
    n = 5000
    ds = jq.Dataset.loads(json.dumps({
        "format": "justice-quarterly/dataset 1.0",
        "units": [{"id": "u%d" % i, "name": "n", "level": "district"} for i in range(n)],
        "indicators": [{"id": "i", "name": "I"}]}))
    df = pd.DataFrame({"unit": ["u%d" % i for i in range(n)], "period": "2014-Q1",
                       "indicator": "i", "value": [i + 0.5 for i in range(n)]},
                      index=["row%d" % i for i in range(n)])
    ds.set_stats(df)
    assert [(s.unit, s.value) for s in ds.statistics][-1] == ("u4999", Decimal("4999.500"))
    text = len("unit,period,indicator,value\n") + sum(len("u%d,2014-Q1,i,%d.5\n" % (i, i))
                                                     for i in range(n))
    assert sum(copied) < 4 * text, (sum(copied), text)
    # a cell over two lines still names its row
    bad = pd.DataFrame({"unit": ["u1", "u2", "u3"], "period": "2014-Q2",
                        "indicator": ["no\nsuch", "i", "no"], "value": [1, 2, 3]},
                       index=["a", "b", "c"])
    with pytest.raises(jq.ValidationError) as e:
        ds.set_stats(bad)
    assert [(d.line, d.message[:8]) for d in e.value.errors if d.severity == "error"] == [
        (2, "row 'a':"), (5, "row 'c':")], e.value.errors  # a takes lines 2-3
