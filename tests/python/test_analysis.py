"""Editing criteria sets and the what-if analysis from Python: exact
arithmetic, validation, and byte-identity with jql-score on the same
fixtures (tests/data/)."""

import subprocess
from decimal import Decimal

import pytest

from conftest import TEST_DATA, cli

WORKED = TEST_DATA / "scoring" / "worked-example"
TREE = TEST_DATA / "analysis" / "tree.json"
REWEIGHTED = TEST_DATA / "analysis" / "worked-example-reweighted.json"


def maxima(c):
    return {n.id: n.max for n in c.nodes}


def test_set_max_keeps_the_scale_exactly(jq):
    c = jq.Criteria.load(TREE)
    assert c.set_max("S3", 3, keep_total=True) == []
    m = maxima(c)
    # 7 left for S1 (3) and S2 (5): 2.625 and 4.375; S1's children 0.875 each
    assert m["S1"] == Decimal("2.625") and m["S2"] == Decimal("4.375")
    assert m["a"] == m["b"] == m["c"] == Decimal("0.875")
    assert sum(m[k] for k in ("S1", "S2", "S3")) == c.scale


def test_largest_remainder_and_warnings(jq):
    c = jq.Criteria.load(TREE)
    warnings = c.set_max("S1", 10)
    assert [w.path for w in warnings] == ["/scale"]  # top level no longer adds up to 10
    m = maxima(c)
    assert (m["a"], m["b"], m["c"]) == (Decimal("3.334"), Decimal("3.333"), Decimal("3.333"))


def test_refused_edit_changes_nothing(jq):
    c = jq.Criteria.load(TREE)
    before = c.to_json()
    with pytest.raises(jq.ValidationError) as e:
        c.set_tier_min("good", Decimal("9.5"))
    assert any(d.path.startswith("/tiers/") for d in e.value.errors)
    with pytest.raises(jq.ValidationError):
        c.set_band_points("S3", 0, Decimal("2.5"))
    with pytest.raises(jq.NotFoundError):
        c.set_max("nope", 1)
    with pytest.raises(TypeError):
        c.set_max("S1", 2.5)  # floats are refused
    assert c.to_json() == before


def test_other_edits_and_canonical_save(jq, tmp_path):
    c = jq.Criteria.load(TREE)
    c.set_condition("S3", 1, "at_most", 3)
    c.set_condition("S3", 1, "below", None)
    c.set_target("S2", 90)
    c.set_quota_share("excellent", 25)
    c.set_enabled("b", False)
    path = tmp_path / "edited.json"
    c.save(path)
    again = jq.Criteria.load(path)
    assert again.to_json() == c.to_json() == path.read_text(encoding="utf-8")
    assert '"enabled": false' in c.to_json()
    assert '"target": 90' in c.to_json()


def test_disabled_node_is_not_applicable(jq):
    ds, c = worked(jq)
    c.set_enabled("A", False)
    for u in jq.score(ds, c):
        assert u.node("A").applicable is False
        assert u.applicable_max == Decimal("8.000")
    c.set_enabled("A", True)
    assert all(u.node("A").applicable for u in jq.score(ds, c))


def test_clone_keeps_custom_functions(jq):
    from conftest import CUSTOM_CRITERIA, small_dataset

    ds = small_dataset(jq)
    c = jq.Criteria.loads(CUSTOM_CRITERIA)
    c.register("extra", lambda d, unit, period, node: 3)
    copy = c.clone()
    del c
    r = jq.score(ds, copy)
    assert all(u.node("C").points == Decimal("3.000") for u in r)


def run_cli(*args):
    exe = cli("jql-score")
    if exe is None:
        pytest.skip("jql-score not built (JQL_BUILD_DIR unset)")
    return subprocess.run([str(exe), *map(str, args)], check=True, capture_output=True).stdout.decode()


def worked(jq):
    return jq.Dataset.load(WORKED / "dataset.json"), jq.Criteria.load(WORKED / "criteria.json")


def test_compare_matches_cli(jq):
    ds, c = worked(jq)
    other = jq.Criteria.load(REWEIGHTED)
    before, after = jq.score(ds, c), jq.score(ds, other)
    text = before.compare_json(after)
    assert text == run_cli(WORKED / "dataset.json", WORKED / "criteria.json",
                           "--compare", REWEIGHTED, "--format", "json")
    doc = before.compare(after)
    u2 = next(u for u in doc["units"] if u["id"] == "U2")
    assert u2["final_change"] == Decimal("-1.000")  # 9 -> 8: A 1 of 2 -> 2 of 4, B 8 -> 6


def test_sensitivity_is_deterministic_and_matches_cli(jq):
    ds, c = worked(jq)
    r = jq.score(ds, c)
    a = r.sensitivity_json(percent=20, runs=300, seed=11)
    assert a == r.sensitivity_json(percent=20, runs=300, seed=11)
    assert a != r.sensitivity_json(percent=20, runs=300, seed=12)
    assert a == run_cli(WORKED / "dataset.json", WORKED / "criteria.json", "--sensitivity", 20,
                        "--runs", 300, "--seed", 11, "--format", "json")
    doc = r.sensitivity(percent=20, runs=300, seed=11)
    for w in doc["monte_carlo_weights"]:
        assert sum(w) == Decimal("10.000")
    for u in doc["units"]:
        assert sum(u["monte_carlo"]["tier_runs"].values()) == 300
        mc = u["monte_carlo"]
        assert mc["rank_min"] <= mc["rank_median"] <= mc["rank_max"]


def test_leaves_match_cli(jq):
    ds = jq.Dataset.load(WORKED / "dataset.json")
    c = jq.Criteria.load(TREE)
    r = jq.score(ds, c)
    text = r.sensitivity_json(percent=50, runs=10, seed=1, leaves=True)
    assert text == run_cli(WORKED / "dataset.json", TREE, "--sensitivity", 50, "--runs", 10,
                           "--seed", 1, "--leaves", "--format", "json")
    doc = jq.analysis.loads(text)
    u2 = next(u for u in doc["units"] if u["id"] == "U2")
    assert (u2["leaves"]["final_min"], u2["leaves"]["final_max"]) == (Decimal("7.750"),
                                                                      Decimal("8.250"))


def test_plans_and_trend_match_cli(jq):
    ds, c = worked(jq)
    r = jq.score(ds, c)
    assert r.plans_json() == run_cli(WORKED / "dataset.json", WORKED / "criteria.json",
                                     "--plans")
    periods = ["2014-Q1", "2014-H1", "2014"]
    t = jq.score_periods(ds, c, periods)
    assert t.periods == periods
    assert t.to_json() == run_cli(WORKED / "dataset.json", WORKED / "criteria.json",
                                  "--periods", ",".join(periods), "--format", "json")
    with pytest.raises(TypeError):
        jq.score_periods(ds, c, "2014")
    pytest.importorskip("pandas")
    df = t.to_dataframe()
    assert len(df) == 4 * 3
    for res in t.results:  # each row is that period's scoring
        for u in res:
            row = df[(df.unit == u.id) & (df.period == res.period)].iloc[0]
            assert (row["final"], row["rank"], row["tier"]) == (u.final, u.rank, u.tier)


def test_what_if_example_runs():
    import sys
    from conftest import LONG_AN, ROOT
    if not (LONG_AN / "criteria-2014.json").exists():
        pytest.skip("Long An example data absent")
    script = ROOT / "examples" / "python" / "what_if.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         check=True).stdout
    import re
    assert "reporting 24.000" in out  # the other sections shrink, the scale stays 100
    assert re.search(r"^   \S+ +rank +\d+ -> +\d+   final [\d.]+ -> [\d.]+$", out, re.M)
    assert re.search(r"^   \S+ +rank +\d+: \d+\.\.\d+ \(median \d+\)$", out, re.M)
    assert "== Final score and rank by quarter" in out


@pytest.mark.parametrize("seed", range(1, 31))
def test_random_sheets_edit_and_clone(jq, tmp_path, seed):
    """Seeded random sheets of the differential tests (tests/reference):
    the clone scores byte for byte like the original; a weight change
    keeping the total keeps every sum that held; sensitivity at 0 % is the
    base scoring."""
    import sys
    from conftest import ROOT
    sys.path.insert(0, str(ROOT / "tests" / "reference"))
    import generate

    dpath, cpath = generate.write(seed, str(tmp_path))
    try:
        ds = jq.Dataset.load(dpath)
    except jq.ValidationError as e:
        # The generator makes a few datasets invalid on purpose (two periods
        # with the same dates both carrying a statistic); nothing else.
        assert "has the same dates as period" in str(e)
        pytest.skip("this random dataset is invalid by design")
    c = jq.Criteria.load(cpath)
    try:
        base = jq.score(ds, c)
    except jq.Error:
        pytest.skip("this random case does not score")
    copy = c.clone()
    assert jq.score(ds, copy).to_json() == base.to_json()

    nodes = c.nodes
    children = {}
    for n in nodes:
        children.setdefault(n.parent, []).append(n)
    held = {p for p, ch in children.items()
            if sum(x.max for x in ch) == (c.scale if p is None else
                                          next(n.max for n in nodes if n.id == p))}
    top = children[None]
    if len(top) > 1:
        target = top[seed % len(top)]
        new = (target.max * Decimal("1.1")).quantize(Decimal("0.001"))
        if new < sum(x.max for x in top):
            try:
                copy.set_max(target.id, new, keep_total=True)
            except jq.ValidationError:
                pass  # a scaled maximum reached 0: refused, nothing changed
            else:
                after = {n.id: n for n in copy.nodes}
                assert after[target.id].max == new
                for p in held:
                    want = c.scale if p is None else after[p].max
                    assert sum(after[x.id].max for x in children[p]) == want, p
    sens = base.sensitivity(percent=0, runs=3, seed=seed, margins=False)
    finals = {u.id: u.final for u in base}
    ranks = {u.id: u.rank for u in base}
    for u in sens["units"]:
        assert u["final"] == finals[u["id"]]
        for t in u["one_at_a_time"]["tornado"]:
            assert t["plus"]["final"] == finals[u["id"]] and t["plus"]["rank"] == ranks[u["id"]]


def test_plan_actions_follow_from_the_needs(jq):
    """Every action of the Long An plans, checked against its need text:
    "+D indicator" is the threshold minus the value now; "complete K more of
    M tasks" is the fewest K reaching the share."""
    import math
    import re
    import sys
    from conftest import LONG_AN, ROOT
    sys.path.insert(0, str(ROOT / "examples" / "python"))
    from quarterly_analysis import mediation_success_rate

    ds = jq.Dataset.load(LONG_AN / "dataset.json")
    c = jq.Criteria.load(LONG_AN / "criteria-2014.json")
    c.register("mediation_success_rate", mediation_success_rate, context=True)
    plans = jq.score(ds, c).plans()
    seen = set()
    for u in plans["units"]:
        for leaf in u["leaves"]:
            need, action = leaf["need"], leaf["action"]
            m = re.match(r"indicator_value \(([^)]+)\): at_least ([\d.]+)(?: \(band \d+\))?; now ([\d.]+)$", need)
            if m:
                want = Decimal(m.group(2)) - Decimal(m.group(3))
                assert action == f"+{want.normalize():f} {m.group(1)}", (need, action)
                seen.add("indicator")
            m = re.match(r"(task_share_completed|directive_share_completed)(?: \([^)]+\))?: at_least ([\d.]+)(?: \(band \d+\))?; now ([\d.]+)$", need)
            if m and action:
                k, total = map(int, re.match(r"complete (\d+) more of (\d+) ", action).groups())
                now = round(Decimal(m.group(3)) * total / 100)
                need_n = math.ceil(Decimal(m.group(2)) * total / 100)
                assert k == need_n - now and 0 < k <= total, (need, action)
                seen.add("share")
    assert seen == {"indicator", "share"}


# ---- the dicts come from the C accessors: each must equal the JSON read by json.loads ----

def same_doc(a, b, path=""):
    """Equal values, the same types (Decimal, int, bool, None, str) and the same key order."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        assert list(a) == list(b), f"{path}: keys {list(a)} vs {list(b)}"
        for k in a:
            same_doc(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            same_doc(x, y, f"{path}/{i}")
    else:
        assert a == b and str(a) == str(b), f"{path}: {a!r} vs {b!r}"


FIXTURES = sorted(d.name for d in (TEST_DATA / "scoring").iterdir()
                  if (d / "dataset.json").exists() and (d / "criteria.json").exists())


@pytest.mark.parametrize("name", FIXTURES)
def test_analysis_dicts_equal_the_json(jq, name):
    base = TEST_DATA / "scoring" / name
    ds, c = jq.Dataset.load(base / "dataset.json"), jq.Criteria.load(base / "criteria.json")
    r = jq.score(ds, c)
    others = [r]
    c2 = c.clone()
    top = c.nodes[0]
    try:
        c2.set_max(top.id, top.max * 2, keep_total=True)
    except jq.ValidationError:
        c2.set_max(top.id, top.max * 2)
    others.append(jq.score(ds, c2))
    try:
        others.append(jq.score(ds, c, "2014-H1"))
    except jq.Error:
        pass
    wd = WORKED / "dataset.json"
    others.append(jq.score(jq.Dataset.load(wd), jq.Criteria.load(WORKED / "criteria.json")))
    for o in others:
        same_doc(r.compare(o), jq.analysis.loads(r.compare_json(o)))
        same_doc(o.compare(r), jq.analysis.loads(o.compare_json(r)))
    for kw in ({"percent": 30, "runs": 25, "seed": 7, "leaves": True},
               {"percent": 5, "runs": 0, "one_at_a_time": False, "seed": 2**64 - 1}):
        same_doc(r.sensitivity(**kw), jq.analysis.loads(r.sensitivity_json(**kw)))
    same_doc(r.plans(), jq.analysis.loads(r.plans_json()))
    try:
        t = jq.score_periods(ds, c, ["2014-Q1", "2014-Q2", "2014-H1", "2014"])
    except jq.Error:
        return
    same_doc(t.to_dict(), jq.analysis.loads(t.to_json()))


def test_write_plans_streams_the_same_bytes(jq, tmp_path):
    """write_plans(file): plans_json()'s bytes through file.write(), in chunks
    (jql_improvement_plans_write_cb); a failing file stops it with its own
    error; results scored without evidence are refused before any byte."""
    import io
    import warnings
    from conftest import scoring_cases
    compared = 0
    for case in scoring_cases():
        ds_path, crit_path = case.values
        ds, c = jq.Dataset.load(ds_path), jq.Criteria.load(crit_path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = jq.score(ds, c, allow_empty=True)
        with open(tmp_path / "plans.json", "wb") as f:
            r.write_plans(f)
        assert (tmp_path / "plans.json").read_bytes() == r.plans_json().encode("utf-8"), case.id
        compared += bool(r.plans()["units"])
    assert compared >= 3  # worked example, Long An, Tay Ninh at least have plans

    ds, c = worked(jq)
    r = jq.score(ds, c)

    class Counting(io.BytesIO):
        calls = 0

        def write(self, data):
            self.calls += 1
            if self.calls == 1 and self.fail:
                raise OSError("disk full")
            return super().write(data)

    good = Counting()
    good.fail = False
    r.write_plans(good)
    assert good.getvalue() == r.plans_json().encode("utf-8") and good.calls == 1
    bad = Counting()
    bad.fail = True
    with pytest.raises(OSError, match="disk full"):
        r.write_plans(bad)
    assert bad.calls == 1

    bare = jq.score(ds, c, evidence=False)
    quiet = Counting()
    quiet.fail = False
    with pytest.raises(jq.ValidationError, match="evidence"):
        bare.write_plans(quiet)
    assert quiet.calls == 0


def test_score_periods_share_one_scoring(jq):
    """A Trend keeps every period's results, so the periods share one
    scoring's 5,000,000 results (64 periods of 1,000 units x 4,400 criteria
    would hold 18 GB): 1,000 units x 100 leaves score twice, not 64 times."""
    import json
    units = [{"id": "R", "name": "R", "level": "province"}] + [
        {"id": "u%d" % i, "name": "u", "level": "district", "parent": "R"} for i in range(1000)]
    ds = jq.Dataset.loads(json.dumps({
        "format": "justice-quarterly/dataset 1.0", "units": units,
        "assessments": [{"unit": "u%d" % i, "period": "2014", "criterion": "m0",
                         "appraised": 0.5} for i in range(1000)]}))
    c = jq.Criteria.loads(json.dumps({
        "format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
        "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
        "criteria": [{"id": "m%d" % k, "title": "m", "max": 1, "method": {"type": "manual"}}
                     for k in range(100)]}))
    assert jq.PERIODS_MAX_RESULTS == 5_000_000
    t = jq.score_periods(ds, c, ["2014", "2014"])
    assert len(t.results) == 2 and t.results[1][0].final == Decimal("0.500")
    with pytest.raises(jq.LimitError,
                       match="^score_periods\\(\\): period 2014: 64 periods share 5000000 results, "
                             "78125 each: "):
        jq.score_periods(ds, c, ["2014"] * 64)


def test_score_periods_takes_the_options_of_score(jq):
    """score_periods() takes score()'s keyword arguments: each period scored as
    score() scores it with them, the trend the same bytes as jql-score --periods
    with the same options (tests/cli/test_analysis.sh)."""
    import warnings
    ds, c = worked(jq)
    we = (WORKED / "dataset.json", WORKED / "criteria.json")
    quarters = ["2014-Q1", "2014-H1", "2014"]
    plain = jq.score_periods(ds, c, quarters).to_json()
    t = jq.score_periods(ds, c, quarters, as_of="2014-04-12")
    assert t.to_json() != plain  # the date changes this trend
    assert t.to_json() == run_cli(*we, "--periods", ",".join(quarters), "--as-of", "2014-04-12",
                                  "--format", "json")
    for q, r in zip(quarters, t.results):
        assert r.to_json() == jq.score(ds, c, q, as_of="2014-04-12").to_json()
    import datetime
    assert jq.score_periods(ds, c, quarters, as_of=datetime.date(2014, 4, 12)).to_json() \
        == t.to_json()

    empty = ["2013-Q1", "2014-Q1"]
    with pytest.raises(jq.NotFoundError, match="2013-Q1"):
        jq.score_periods(ds, c, empty)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        t = jq.score_periods(ds, c, empty, allow_empty=True)
    assert any("2013-Q1" in str(w.message) for w in seen)
    assert seen[0].filename == __file__  # issued at the caller
    assert t.to_json() == run_cli(*we, "--periods", ",".join(empty), "--allow-empty",
                                  "--format", "json")
    assert t.results[0].warnings[0].path == "/period"

    t = jq.score_periods(ds, c, quarters, evidence=False, threads=4)
    assert t.to_json() == plain
    assert all(r.to_json(evidence="none") == jq.score(ds, c, q, evidence=False).to_json(
        evidence="none") for q, r in zip(quarters, t.results))
    with pytest.raises(jq.ValidationError, match="evidence"):
        t.results[0].to_json()


def test_score_periods_refuses_bad_options_before_scoring(jq):
    from conftest import LONG_AN
    ds = jq.Dataset.load(LONG_AN / "dataset.json")
    c = jq.Criteria.load(LONG_AN / "criteria-2014-custom.json")
    calls = []

    @c.register("mediation_success_rate")
    def rate(*args):
        calls.append(args)
        return 0

    periods = ["2014-Q1", "2014-Q2"]
    for kw, error in (({"as_of": 20140331}, TypeError), ({"threads": 0}, ValueError),
                      ({"threads": "2"}, TypeError), ({"max_results": 0}, ValueError),
                      ({"max_evidence": -1}, ValueError),
                      ({"as_of": "2014-02-30"}, jq.ValidationError)):
        with pytest.raises(error):
            jq.score_periods(ds, c, periods, **kw)
        assert calls == [], kw
    jq.score_periods(ds, c, periods, as_of="2014-03-31", threads=2)
    assert len(calls) > 0


def test_score_periods_limits(jq):
    """Each period's max_results is the smaller of its share and the caller's:
    a lower one is the bound (named as one scoring's), a higher one never
    passes the share (named); the other limits reach every period whole."""
    import json
    import warnings
    units = [{"id": "R", "name": "R", "level": "province"}] + [
        {"id": "u%d" % i, "name": "u", "level": "district", "parent": "R"} for i in range(1000)]
    ds = jq.Dataset.loads(json.dumps({
        "format": "justice-quarterly/dataset 1.0", "units": units,
        "assessments": [{"unit": "u%d" % i, "period": "2014", "criterion": "m0",
                         "appraised": 0.5} for i in range(1000)]}))
    c = jq.Criteria.loads(json.dumps({
        "format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
        "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
        "criteria": [{"id": "m%d" % k, "title": "m", "max": 1, "method": {"type": "manual"}}
                     for k in range(100)]}))
    with pytest.raises(jq.LimitError) as e:  # 100,000 a period, 99,999 allowed
        jq.score_periods(ds, c, ["2014", "2014"], max_results=99_999)
    assert "limit of 99999 results" in str(e.value) and "share" not in str(e.value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 99 manual leaves without assessments
        assert len(jq.score_periods(ds, c, ["2014", "2014"], max_results=100_000).results) == 2
    with pytest.raises(jq.LimitError, match="64 periods share 5000000 results, 78125 each"):
        jq.score_periods(ds, c, ["2014"] * 64, max_results=10 ** 9)
    crit_veto = json.loads(c.to_json())
    crit_veto["vetoes"] = [{"id": "v", "reason": "r", "event_kind": "x", "cap": "t"}]
    cv = jq.Criteria.loads(json.dumps(crit_veto))
    with pytest.raises(jq.LimitError, match="veto checks") as e:
        jq.score_periods(ds, cv, ["2014", "2014"], max_veto_checks=999)
    # not the results' share (2 periods: 2,500,000 each), which this is not
    assert str(e.value).startswith("score_periods(): period 2014: ") and \
        "share" not in str(e.value), str(e.value)


def test_analyses_of_scorings_with_options(jq):
    """The analyses take the results they are given: the comparison, sensitivity
    and plans of results scored with score()'s options are jql-score --compare,
    --weight, --sensitivity and --plans with the same options, byte for byte
    (tests/cli/test_analysis.sh): as of 2014-04-12 (another answer than
    without), 2013-Q1 (no record) refused without allow_empty and analysed with
    it, and the same bytes on 4 threads."""
    import warnings
    ds, c = worked(jq)
    other = jq.Criteria.load(REWEIGHTED)
    we = (WORKED / "dataset.json", WORKED / "criteria.json")
    asof = ("--as-of", "2014-04-12")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jq.ScoringWarning)  # leaf B: no data yet
        b, a = jq.score(ds, c, as_of="2014-04-12"), jq.score(ds, other, as_of="2014-04-12")
        b4 = jq.score(ds, c, as_of="2014-04-12", threads=4)
        cw = c.clone()
        cw.set_max("A", 4, keep_total=True)
        w = jq.score(ds, cw, as_of="2014-04-12")
    plain_b, plain_a = jq.score(ds, c), jq.score(ds, other)
    assert b.compare_json(a) != plain_b.compare_json(plain_a)
    assert b.compare_json(a) == run_cli(*we, "--compare", REWEIGHTED, "-f", "json", *asof)
    assert b.compare_json(w) == run_cli(*we, "--weight", "A=4", "-f", "json", *asof)
    sens = dict(percent=20, runs=50, seed=9)
    assert b.sensitivity_json(**sens) != plain_b.sensitivity_json(**sens)
    assert b.sensitivity_json(**sens) == run_cli(*we, "--sensitivity", "20", "--runs", "50",
                                                 "--seed", "9", "-f", "json", *asof)
    assert b.plans_json() != plain_b.plans_json()
    assert b.plans_json() == run_cli(*we, "--plans", *asof)
    assert b4.sensitivity_json(**sens) == b.sensitivity_json(**sens)
    assert b4.plans_json() == b.plans_json() and b4.compare_json(a) == b.compare_json(a)

    with pytest.raises(jq.NotFoundError, match="2013-Q1"):
        jq.score(ds, c, "2013-Q1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jq.ScoringWarning)  # the empty period
        e = jq.score(ds, c, "2013-Q1", allow_empty=True)
        eo = jq.score(ds, other, "2013-Q1", allow_empty=True)
    empty = ("-p", "2013-Q1", "--allow-empty")
    assert e.compare_json(eo) == run_cli(*we, "--compare", REWEIGHTED, "-f", "json", *empty)
    assert e.sensitivity_json(**sens) == run_cli(*we, "--sensitivity", "20", "--runs", "50",
                                                 "--seed", "9", "-f", "json", *empty)
    assert e.plans_json() == run_cli(*we, "--plans", *empty)
    assert all(u["final"] == 0 and u["rank"] == 1 for u in e.sensitivity(**sens)["units"])


def _evidence_dataset(jq):
    """300 districts with one note in 2014-Q1 and three in 2014-Q2, a leaf
    counting them: a scoring of Q1 keeps 300 evidence references, of Q2 900."""
    import json
    units = [{"id": "R", "name": "R", "level": "province"}] + [
        {"id": "u%d" % i, "name": "u", "level": "district", "parent": "R"} for i in range(300)]
    events = [{"unit": "u%d" % i, "date": "2014-02-01", "kind": "note"} for i in range(300)] + [
        {"unit": "u%d" % i, "date": "2014-05-0%d" % d, "kind": "note"}
        for i in range(300) for d in (1, 2, 3)]
    ds = jq.Dataset.loads(json.dumps({"format": "justice-quarterly/dataset 1.0", "units": units,
                                      "events": events}))
    c = jq.Criteria.loads(json.dumps({
        "format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
        "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
        "criteria": [{"id": "n", "title": "n", "max": 10,
                      "measure": {"kind": "event_count", "event_kind": "note"},
                      "method": {"type": "linear", "target": 3}}]}))
    return ds, c


def test_score_periods_limit_errors_name_their_period(jq):
    """A LimitError of score_periods() names the period it arose in (as
    jql_score_periods_with() does), and the periods' share only when the share
    was the limit passed: Q1's 300 evidence references pass max_evidence=600,
    Q2's 900 do not; 64 periods pass their share of the results."""
    ds, c = _evidence_dataset(jq)
    assert len(jq.score_periods(ds, c, ["2014-Q1", "2014-Q1"], max_evidence=600).results) == 2
    with pytest.raises(jq.LimitError) as e:
        jq.score_periods(ds, c, ["2014-Q1", "2014-Q2", "2014-Q1"], max_evidence=600)
    msg = str(e.value)
    assert msg.startswith("score_periods(): period 2014-Q2: ") and "600 references" in msg, msg
    assert "2014-Q1" not in msg and "share" not in msg, msg
    with pytest.raises(jq.LimitError) as e:
        jq.score_periods(ds, c, ["2014-Q2", "2014-Q1"], max_results=299)
    assert str(e.value).startswith("score_periods(): period 2014-Q2: ") and \
        "limit of 299 results" in str(e.value) and "share" not in str(e.value), str(e.value)
    with pytest.raises(jq.LimitError) as e:
        jq.score_periods(ds, c, ["2014-Q2"] * 64, max_results=299)
    assert "period 2014-Q2" in str(e.value) and "share" not in str(e.value), str(e.value)


def test_trend_dataframe_reads_columns_not_the_document(jq):
    """Trend.to_dataframe() took its rows from to_dict(), a dict per unit and
    period (64 periods of 78,000 units: 16.6 s and 4.9 GB); it now reads the
    columns from the trend. Peak memory per row, under tracemalloc: 382 bytes
    before, 219 now (the frame itself and pandas' conversions)."""
    import gc
    import json
    import tracemalloc

    n = 5000
    quarters = ["%d-Q%d" % (y, q) for y in (2013, 2014) for q in range(1, 5)]
    ds = jq.Dataset.loads(json.dumps({
        "format": "justice-quarterly/dataset 1.0",
        "units": [{"id": "u%d" % i, "name": "n", "level": "district"} for i in range(n)],
        "indicators": [{"id": "i", "name": "i"}],
        "statistics": [{"unit": "u0", "indicator": "i", "period": p, "value": 10 * k + 5}
                       for k, p in enumerate(quarters)]}))
    crit = jq.Criteria.loads(json.dumps({
        "format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
        "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
        "criteria": [{"id": "v", "title": "v", "max": 100,
                      "measure": {"kind": "indicator_value", "indicator": "i"},
                      "method": {"type": "linear", "target": 100}}]}))
    trend = jq.score_periods(ds, crit, quarters)
    import pandas  # noqa: F401  (imported before measuring)
    gc.collect()
    tracemalloc.start()
    try:
        df = trend.to_dataframe()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(df) == n * len(quarters)
    assert peak < 300 * len(df), peak / len(df)
    rows = [(u["id"], p["period"], p["final"], p["rank"], p["tier"], p["movement"])
            for u in trend.to_dict()["units"] for p in u["periods"]]
    assert [tuple(None if v is pandas.NA else v for v in r) for r in df.itertuples(index=False)] \
        == rows
    assert [str(t) for t in df.dtypes] == ["object", "object", "object", "Int64", "object", "Int64"]
    assert (df["unit"][0], df["final"][0], df["final"][1]) == ("u0", Decimal("5.000"), Decimal("15.000"))
