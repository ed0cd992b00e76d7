"""Results read through the C accessors, lazily: every object equals what the
results JSON says (same keys in the same order, same Decimal text, same
nulls), whichever way it is reached; the DataFrames' bulk path gives the
frames the JSON gives. Driven by the shared scoring and edge fixtures and
both bundled sheets."""

import json
import math
import warnings
from decimal import Decimal

import pytest

from conftest import TEST_DATA, scoring_cases
from test_score import load_case


def exact(value):
    """JSON text keeping key order and each Decimal's exact digits."""
    return json.dumps(value, default=lambda d: f"Decimal({d})", ensure_ascii=False)


def edge_cases():
    base = TEST_DATA / "edge"
    return [pytest.param(d / "dataset.json", d / "criteria.json", id=f"edge/{d.name}")
            for d in sorted(base.iterdir())
            if (d / "criteria.json").exists() and (d / "dataset.json").exists()] \
        if base.is_dir() else []


CASES = scoring_cases() + edge_cases()


def scored(jq, ds_path, crit_path):
    ds, crit = load_case(jq, ds_path, crit_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ScoringWarning: tested in test_score.py
        results = jq.score(ds, crit, allow_empty=True)
    return results, json.loads(results.to_json(), parse_float=Decimal)


@pytest.mark.parametrize("ds_path,crit_path", CASES)
def test_objects_equal_the_json(jq, ds_path, crit_path):
    results, doc = scored(jq, ds_path, crit_path)
    assert exact(results.to_dict()) == exact(doc)
    units = doc["units"]
    # by position (also from the end), by id, by iteration, all units at once
    for k, raw in enumerate(units):
        assert exact(results[k].to_dict()) == exact(raw)
        assert exact(results[k - len(units)].to_dict()) == exact(raw)
        assert list(results[k].keys()) == list(raw)
    for unit, raw in zip(results, units):
        assert exact(unit.to_dict()) == exact(raw)
        for node, rawnode in zip(unit.nodes, raw["nodes"]):
            assert exact(node.to_dict()) == exact(rawnode)
            assert exact(unit.node(rawnode["id"]).to_dict()) == exact(rawnode)
    first = {}
    for raw in units:
        first.setdefault(raw["id"], raw)
    for ident, raw in first.items():
        assert exact(results[ident].to_dict()) == exact(raw) and ident in results
    assert [u.id for u in results.units] == [u["id"] for u in units]
    assert results.scale == doc["scale"] and str(results.scale) == str(doc["scale"])
    with pytest.raises(IndexError):
        results[len(units)]
    with pytest.raises(KeyError):
        results["no such unit"]
    assert "no such unit" not in results


@pytest.mark.parametrize("ds_path,crit_path", CASES)
def test_a_unit_is_built_once_and_reused(jq, ds_path, crit_path):
    results, doc = scored(jq, ds_path, crit_path)
    if not doc["units"]:
        pytest.skip("no unit scored")
    assert results[0] == results[0] and results[0]._data is results[0]._data
    # to_dict() hands out fresh data: changing it changes nothing
    d = results.to_dict()
    d["units"][0]["nodes"].clear()
    assert exact(results.to_dict()) == exact(doc)


# ---- DataFrames: the bulk path against frames made from the JSON ----------------

def frame_from_json(jq, results, doc, numbers):
    """to_dataframe() as it was computed from the parsed JSON."""
    pd = pytest.importorskip("pandas")
    from justice_quarterly import tables
    from justice_quarterly.results import POINT_COLUMNS, UNIT_COLUMNS
    rows = doc["units"]
    data = {}
    for col in UNIT_COLUMNS:
        values = [u.get(col) for u in rows]
        if col in POINT_COLUMNS:
            data[col] = tables.numbers_column(values, numbers)
        elif col in ("id", "name", "cluster", "tier", "tier_before_caps", "held_back",
                     "next_tier"):
            data[col] = pd.Series(values, dtype=object)
        elif col == "cluster_rank":
            data[col] = pd.array(values, dtype="Int64")
        elif col in ("leader", "quota_demoted", "quota_tie"):
            data[col] = pd.Series(values, dtype=bool)
        else:
            data[col] = pd.Series(values, dtype="int64")
    data["vetoes"] = pd.Series([tuple(v["id"] for v in u["vetoes"]) for u in rows],
                               dtype=object)
    tiers = {t["id"]: t.get("name") or t["id"] for t in doc["tiers"]}
    extra = {
        "tier_name": [tiers.get(u["tier"], u["tier"]) for u in rows],
        "tier_before_caps_name": [tiers.get(u["tier_before_caps"], u["tier_before_caps"])
                                  for u in rows],
        "period": [doc["period"]] * len(rows),
        "period_name": [tables.period_name(results.dataset, doc["period"])] * len(rows),
        "cluster_name": [u["cluster"] for u in rows],
    }
    for key, values in extra.items():
        data[key] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=list(UNIT_COLUMNS) + ["vetoes"] + list(extra))


def nodes_from_json(results, doc, numbers):
    pd = pytest.importorskip("pandas")
    from justice_quarterly import tables
    from justice_quarterly.results import NODE_COLUMNS
    meta = {n.id: n for n in results.criteria.nodes}
    records = []
    for u in doc["units"]:
        for n in u["nodes"]:
            m = meta[n["id"]]
            records.append((u["id"], u["cluster"], n["id"], m.title, m.parent, m.is_leaf,
                            n["points"], n["max"], n["applicable"], n["value"], n["no_data"],
                            n["rule"], n["source"], n["self"], n["appraised"]))
    cols = list(zip(*records)) if records else [()] * len(NODE_COLUMNS)
    data = {}
    for name, values in zip(NODE_COLUMNS, cols):
        if name in ("applicable", "no_data", "is_leaf"):
            data[name] = pd.Series(values, dtype=bool)
        elif name in ("points", "max", "value", "self", "appraised"):
            data[name] = tables.numbers_column(list(values), numbers)
        else:
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=list(NODE_COLUMNS))


def same_frame(got, want):
    pd = pytest.importorskip("pandas")
    assert list(got.columns) == list(want.columns)
    assert list(got.dtypes) == list(want.dtypes)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    for col in got.columns:
        if got[col].dtype == object:  # Decimal digits, not only values
            assert [repr(v) for v in got[col]] == [repr(v) for v in want[col]], col
        elif got[col].dtype == "float64":
            assert [math.isnan(a) and math.isnan(b) or a == b
                    for a, b in zip(got[col], want[col])] == [True] * len(got), col


@pytest.mark.parametrize("numbers", ["float", "decimal"])
@pytest.mark.parametrize("ds_path,crit_path", CASES)
def test_dataframes_equal_the_json(jq, ds_path, crit_path, numbers):
    pytest.importorskip("pandas")
    results, doc = scored(jq, ds_path, crit_path)
    same_frame(results.to_dataframe(numbers=numbers),
               frame_from_json(jq, results, doc, numbers))
    same_frame(results.nodes_dataframe(numbers=numbers), nodes_from_json(results, doc, numbers))
    # the bulk path builds no unit object
    assert all(u is None for u in results._units)


def test_dataframe_refuses_unknown_numbers(jq, small, custom_criteria):
    custom_criteria.register("extra", lambda *a: 0)
    results = jq.score(small, custom_criteria)
    for call in (results.to_dataframe, results.nodes_dataframe):
        with pytest.raises(ValueError, match="numbers"):
            call(numbers="double")


def test_unit_lookup_is_the_librarys(jq):
    """results["id"] asks jql_results_unit_find: ids compare in Unicode NFC."""
    import unicodedata
    from conftest import CUSTOM_CRITERIA
    ds = jq.Dataset()
    ds.add_unit("P", "Province", "province")
    ds.add_unit("đức-hòa", "Đức Hòa", "district", "P")
    ds.add_report("đức-hòa", "2014-Q1", "statistics", "2014-04-10", "2014-04-10", True)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)
    crit.register("extra", lambda *a: 0)
    results = jq.score(ds, crit)
    nfd = unicodedata.normalize("NFD", "đức-hòa")
    assert nfd != "đức-hòa" and nfd in results
    assert results[nfd].id == "đức-hòa" and results[nfd] == results["đức-hòa"]
    assert "P" not in results and 42 not in results  # the province is not scored
    with pytest.raises(KeyError):
        results["P"]


@pytest.mark.parametrize("ds_path,crit_path", CASES)
def test_scored_without_evidence(jq, ds_path, crit_path):
    """evidence=False: the same results but for evidence, which nothing shows."""
    ds, crit = load_case(jq, ds_path, crit_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = jq.score(ds, crit, allow_empty=True)
        bare = jq.score(ds, crit, allow_empty=True, evidence=False)
    assert bare.to_json(evidence="none") == kept.to_json(evidence="none")
    for level in ("full", "ids"):
        with pytest.raises(jq.ValidationError, match="without evidence"):
            bare.to_json(evidence=level)
    for unit in bare:
        for node in unit.to_dict()["nodes"]:
            assert node.get("evidence", []) == []
