"""DataFrames: shape, columns and dtypes; points exact Decimal objects on request."""

import sys
from decimal import Decimal

import pytest

from conftest import CUSTOM_CRITERIA, LONG_AN, small_dataset

pd = pytest.importorskip("pandas")


@pytest.fixture
def results(jq):
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)
    crit.register("extra", lambda ds, unit, *a: Decimal("1.125") if unit == "U1" else 0)
    return jq.score(ds, crit)


def test_pandas_is_imported_only_when_asked(jq):
    import subprocess
    code = ("import sys, justice_quarterly as jq\n"
            "ds = jq.Dataset(); c = None\n"
            "assert 'pandas' not in sys.modules, 'imported eagerly'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_units_dataframe(results):
    from justice_quarterly.results import POINT_COLUMNS, UNIT_COLUMNS
    df = results.to_dataframe(numbers="decimal")
    extra = ["tier_name", "tier_before_caps_name", "period", "period_name", "cluster_name"]
    assert df.shape == (2, len(UNIT_COLUMNS) + 1 + len(extra))
    assert list(df.columns) == list(UNIT_COLUMNS) + ["vetoes"] + extra
    assert list(df["id"]) == ["U1", "U2"]
    for col in POINT_COLUMNS:
        assert df[col].dtype == object, col
        assert all(isinstance(v, Decimal) for v in df[col]), col
    assert df.loc[0, "final"] == Decimal("7.125") and str(df.loc[0, "final"]) == "7.125"
    assert df["rank"].dtype == "int64"
    assert str(df["cluster_rank"].dtype) == "Int64"
    assert df["leader"].dtype == bool and list(df["leader"]) == [True, False]
    assert df["vetoes"].tolist() == [(), ()]
    # sums stay exact
    assert df["final"].sum() == Decimal("7.125") + Decimal("0.000")


def test_nodes_dataframe_long_format(results):
    from justice_quarterly.results import NODE_COLUMNS
    df = results.nodes_dataframe(numbers="decimal")
    assert df.shape == (2 * 2, len(NODE_COLUMNS))
    assert list(df.columns) == list(NODE_COLUMNS)
    assert list(zip(df["unit"], df["node"])) == [("U1", "A"), ("U1", "C"), ("U2", "A"),
                                                 ("U2", "C")]
    assert df["points"].dtype == object and df["max"].dtype == object
    assert all(isinstance(v, Decimal) for v in df["points"])
    assert df["applicable"].dtype == bool
    assert list(df["title"]) == ["Timely reporting", "Custom"] * 2
    assert df[(df.unit == "U1") & (df.node == "C")]["points"].item() == Decimal("1.125")
    pivot = df.pivot(index="unit", columns="node", values="points")
    assert pivot.loc["U2", "A"] == Decimal("0.000")


def test_long_an_dataframes(jq):
    if not (LONG_AN / "criteria-2014.json").exists():
        pytest.skip("Long An example data absent")
    from test_score import load_case
    ds, crit = load_case(jq, LONG_AN / "dataset.json", LONG_AN / "criteria-2014.json")
    results = jq.score(ds, crit)
    units = results.to_dataframe(numbers="decimal")
    nodes = results.nodes_dataframe()
    assert len(units) == len(results)
    assert len(nodes) == len(results) * len(crit.nodes)
    assert all(isinstance(v, Decimal) for v in units["final"])
    assert nodes["points"].dtype == "float64"


def test_quarterly_analysis_example_runs():
    import subprocess
    from conftest import ROOT
    script = ROOT / "examples" / "python" / "quarterly_analysis.py"
    if not (LONG_AN / "criteria-2014.json").exists():
        pytest.skip("Long An example data absent")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         check=True).stdout
    assert "Average points by cluster and section" in out
    assert "Gap to the next tier" in out
    assert "cum-1" in out
