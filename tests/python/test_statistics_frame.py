"""Dataset.statistics_dataframe() against a row-by-row build from the public accessors.

The frame's columns are read in C in one pass; each test here builds the frame
the slow way (statistics, units, indicators, periods.year_before,
periods.display_name, Dataset.change per row) and asks for the same frame:
columns, order, dtypes, index, values and their types, or the same exception.
"""

import math
from decimal import Decimal

import pytest

from conftest import EXAMPLES_DATA, TEST_DATA

pd = pytest.importorskip("pandas")

COLUMNS = ["unit", "unit_name", "cluster", "period", "period_name", "indicator",
           "indicator_name", "measure_unit", "value", "year_before", "value_year_before",
           "change", "change_percent"]
NUMBERS = ("value", "value_year_before", "change", "change_percent")


def row_by_row(jq, ds, numbers, rollup):
    """The frame built from the public accessors, one statistic at a time."""
    cols = {k: [] for k in COLUMNS}
    for st in ds.statistics:
        unit, ind = ds.units[st.unit], ds.indicators[st.indicator]
        try:
            before = ds.periods.year_before(st.period)
        except jq.NotFoundError:
            before = None
        ch = ds.change(st.unit, st.indicator, st.period, rollup)
        row = (st.unit, unit.name, unit.cluster, st.period,
               ds.periods.display_name(st.period, "vi"), st.indicator, ind.name,
               ind.measure_unit, st.value, before, ch.previous, ch.delta, ch.percent)
        for key, v in zip(COLUMNS, row):
            cols[key].append(v)
    data = {}
    for key, values in cols.items():
        if key in NUMBERS and numbers == "float":
            data[key] = pd.Series([math.nan if v is None else float(v) for v in values],
                                  dtype="float64")
        else:
            data[key] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=COLUMNS)


def outcome(make):
    try:
        return "ok", make()
    except Exception as e:  # the same exception is part of the contract
        return "error", type(e), str(e)


def assert_same(jq, ds):
    for numbers in ("float", "decimal"):
        for rollup in (False, True):
            got = outcome(lambda: ds.statistics_dataframe(numbers=numbers, rollup=rollup))
            want = outcome(lambda: row_by_row(jq, ds, numbers, rollup))
            assert got[0] == want[0], (numbers, rollup, got, want)
            if got[0] == "error":
                assert got == want
                continue
            a, b = got[1], want[1]
            assert list(a.columns) == COLUMNS
            assert list(a.dtypes) == list(b.dtypes)
            assert a.index.equals(b.index) and type(a.index) is type(b.index)
            assert a.equals(b), (numbers, rollup)
            for col in COLUMNS:
                for x, y in zip(a[col].tolist(), b[col].tolist()):
                    assert type(x) is type(y), (col, x, y)
                    if isinstance(x, Decimal):  # the same digits and exponent
                        assert x.as_tuple() == y.as_tuple(), (col, x, y)
                    elif isinstance(x, float):
                        assert x == y or (math.isnan(x) and math.isnan(y)), (col, x, y)


def fixture_datasets(jq):
    out = []
    for path in sorted(list(TEST_DATA.rglob("*.json")) + list(EXAMPLES_DATA.rglob("*.json"))):
        try:
            out.append(jq.Dataset.load(path))
        except Exception:
            continue  # criteria sets, invalid inputs
    return out


def test_every_fixture_dataset_matches_the_row_by_row_build(jq):
    datasets = fixture_datasets(jq)
    assert sum(len(ds.statistics) > 0 for ds in datasets) >= 5
    for ds in datasets:
        assert_same(jq, ds)


def edge_dataset(jq, tiny):
    """Rollups, every aggregation, custom periods with and without a year
    before, names missing, values past 2**53 thousandths once summed, a year
    before of 0 (no %) and, with ``tiny``, a % too large for 64 bits."""
    ds = jq.Dataset()
    ds.add_unit("p", "Tỉnh", "province")
    ds.add_unit("d1", "Huyện 1", "district", "p", cluster="c1")
    ds.add_unit("d2", "Huyện 2", "district", "p")
    ds.add_unit("x", "Xã", "commune", "d1", cluster="c2")
    ds.add_period("k1", "2014-01-01", "2014-02-15", "Kỳ 1")
    ds.add_period("k0", "2013-01-01", "2013-02-15")
    ds.add_period("2014-Q1", "2014-01-01", "2014-03-31", "Quý một")
    for agg in ("sum", "last", "mean", "min", "max"):
        ds.add_indicator("i" + agg, "Chỉ tiêu " + agg, None if agg == "min" else "vụ", agg)
    values = [Decimal(0), Decimal("0.001") if tiny else Decimal("2.5"),
              Decimal("9000000000000"), Decimal("1.5"), Decimal(7), Decimal("123.457")]
    n = 0
    for u in ("p", "d1", "d2", "x"):
        for ind in ("isum", "ilast", "imean", "imin", "imax"):
            for per in ("2013-Q1", "2014-Q1", "2013-01", "2014-01", "2014-02", "k1", "k0",
                        "2015-Q1", "2012-Y"):
                n += 1
                if n % 7 == 3:
                    continue
                try:
                    ds.set_stat(u, ind, per, values[n % len(values)])
                except (jq.ValidationError, jq.NotFoundError):
                    pass  # an unknown period id, or one of the same dates as one set
    return ds


def test_edge_values_match_the_row_by_row_build(jq):
    ds = edge_dataset(jq, tiny=False)
    assert len(ds.statistics) > 50
    assert_same(jq, ds)
    df = ds.statistics_dataframe(rollup=True)
    exact = ds.statistics_dataframe(numbers="decimal", rollup=True)
    # sums past 2**53 thousandths: the float is float(Decimal), rounded once
    big = [d for d in exact["value_year_before"] if d is not None and d * 1000 > 2 ** 53]
    assert big
    assert list(df["value_year_before"].dropna()) == [float(d) for d in exact["value_year_before"]
                                                      if d is not None]
    assert exact["year_before"].isna().any() and exact["change_percent"].isna().any()


def test_a_change_the_library_refuses_raises_as_dataset_change_does(jq):
    ds = edge_dataset(jq, tiny=True)
    with pytest.raises(jq.LimitError) as frame_error:
        ds.statistics_dataframe()
    assert_same(jq, ds)  # the same exception and message
    assert "64-bit" in str(frame_error.value)


def test_empty_dataset_and_bad_numbers(jq):
    ds = jq.Dataset()
    df = ds.statistics_dataframe()
    assert list(df.columns) == COLUMNS and len(df) == 0
    assert all(df[c].dtype == "float64" for c in NUMBERS)
    assert all(df[c].dtype == object for c in COLUMNS if c not in NUMBERS)
    assert_same(jq, ds)
    with pytest.raises(ValueError, match="numbers must be"):
        ds.statistics_dataframe(numbers="int")


def test_frame_follows_later_changes_to_the_dataset(jq):
    ds = edge_dataset(jq, tiny=False)
    before = ds.statistics_dataframe(numbers="decimal")
    ds.set_unit("d1", name="Huyện một")
    ds.set_stat("x", "isum", "2013-Q1", 5)
    after = ds.statistics_dataframe(numbers="decimal")
    assert "Huyện một" in set(after["unit_name"]) and "Huyện một" not in set(before["unit_name"])
    assert_same(jq, ds)


@pytest.mark.parametrize("seed", range(1, 6))
def test_long_overlapping_pairs_as_the_reference(jq, seed):
    """Pairs of 100 to 400 overlapping custom periods (read through the
    pair's index, issue 10): each statistic's year-before value in the frame,
    and the values over ranges holding part or all of a pair ("all"), are
    those of the reference implementation (tests/reference), which reads
    every record."""
    import datetime
    import json
    import random
    import sys
    from conftest import ROOT
    sys.path.insert(0, str(ROOT / "tests" / "reference"))
    import jql_reference as ref

    rnd = random.Random(seed)
    day = lambda k: (datetime.date(2013, 1, 1) + datetime.timedelta(days=k)).isoformat()
    periods, seen = [], set()
    while len(periods) < 600:
        s = rnd.randrange(730)
        e = s + rnd.choice([0, 1, 6, 13, 30, 90, 180, 364])
        if (s, e) not in seen:
            seen.add((s, e))
            periods.append({"id": "p%d" % len(periods), "start": day(s), "end": day(e)})
    aggs = ["sum", "mean", "last", "min", "max"]
    doc = {"format": "justice-quarterly/dataset 1.0",
           "units": [{"id": "U", "name": "U", "level": "district"}],
           "periods": periods,
           "indicators": [{"id": a, "name": a, "aggregation": a} for a in aggs],
           "statistics": [{"unit": "U", "indicator": a, "period": p["id"],
                           "value": rnd.randrange(100) / rnd.choice([1, 2, 8])}
                          for a in aggs for p in rnd.sample(periods, rnd.randrange(100, 400))]}
    doc["periods"].append({"id": "all", "start": "2012-12-01", "end": "2016-12-31"})
    ds = jq.Dataset.loads(json.dumps(doc))
    want = ref.Dataset(doc)

    def expected(ind, rng):
        v = want.unit_value("U", ind, rng)
        return None if v is None else Decimal(ref.milli_round(v)) / 1000

    df = ds.statistics_dataframe(numbers="decimal")
    for ind, pid, got in zip(df["indicator"], df["period"], df["value_year_before"]):
        start, end = want.period(pid)
        assert got == expected(ind, (ref.shift_year(start), ref.shift_year(end))), (ind, pid)
    for pid in ["all", "2013", "2014", "2013-H2", "2014-Q3"] + [p["id"] for p in periods[:40]]:
        for ind in aggs:
            assert ds.value("U", ind, pid) == expected(ind, want.period(pid)), (ind, pid)
