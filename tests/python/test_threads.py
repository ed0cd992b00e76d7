"""score(threads=N): the results are the same whatever N (JSON at every evidence
level, the streamed writer, the DataFrames, the dicts), on the shared fixtures
and on tests/data/threads' generated 1031 units (4 blocks of 256 or more), and
the same bytes as jql-score's; Python custom functions keep running on the
thread that called score(); the number reaches the library (a preloaded
helper counts the threads a scoring starts) with the GIL released."""

import importlib.util
import io
import os
import subprocess
import sys
import threading

import pytest

from conftest import TEST_DATA, cli, scoring_cases
from test_score import mediation_success_rate

THREADS = TEST_DATA / "threads"


def generator():
    spec = importlib.util.spec_from_file_location("threads_generate", THREADS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big_path(tmp_path_factory):
    """The generated dataset, as tests/cli/test_threads.sh and tests/lua write it."""
    path = tmp_path_factory.mktemp("threads") / "dataset.json"
    path.write_bytes(generator().text().encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def big(big_path):
    import justice_quarterly as jq
    return jq.Dataset.load(big_path)


def outputs(results, evidence=True):
    """Everything the results give, as comparable values."""
    out = {}
    for level in (("full", "ids", "none") if evidence else ("none",)):
        out["json-" + level] = results.to_json(evidence=level)
        buf = io.BytesIO()
        results.write(buf, evidence=level)
        out["write-" + level] = buf.getvalue()
    if evidence:
        out["dict"] = results.to_dict()
    out["units"] = [u.to_dict() for u in results]
    out["warnings"] = [str(w) for w in results.warnings]
    return out


def assert_frames_equal(a, b):
    import pandas.testing as pdt
    for name in ("to_dataframe", "nodes_dataframe"):
        pdt.assert_frame_equal(getattr(a, name)(), getattr(b, name)(), check_exact=True)
    pdt.assert_frame_equal(a.to_dataframe(numbers="decimal"), b.to_dataframe(numbers="decimal"),
                           check_exact=True)


def register(crit):
    crit.register("mediation_success_rate", mediation_success_rate, context=True)
    return crit


@pytest.mark.parametrize("ds_path,crit_path", scoring_cases())
def test_shared_fixtures_are_the_same_on_1_2_and_4_threads(jq, ds_path, crit_path):
    ds, crit = jq.Dataset.load(ds_path), register(jq.Criteria.load(crit_path))
    one = jq.score(ds, crit)
    for n in (2, 4):
        other = jq.score(ds, crit, threads=n)
        assert outputs(other) == outputs(one), n
        assert_frames_equal(other, one)


@pytest.mark.parametrize("sheet", ["criteria.json", "criteria-custom.json"])
def test_generated_dataset_is_the_same_on_1_2_and_4_threads(jq, big, sheet):
    crit = register(jq.Criteria.load(THREADS / sheet))
    assert big.units["u1031"].level == "commune"
    one = jq.score(big, crit)
    assert len(one) == 1031 >= 4 * jq.SCORE_UNITS_PER_THREAD
    expected = outputs(one)
    for n in (2, 4):
        other = jq.score(big, crit, threads=n)
        assert outputs(other) == expected, n
        assert_frames_equal(other, one)


def test_without_evidence_and_as_of_too(jq, big):
    crit = jq.Criteria.load(THREADS / "criteria.json")
    for kw in ({"evidence": False}, {"as_of": "2026-08-31"}):
        one = jq.score(big, crit, **kw)
        for n in (2, 3, 4):
            other = jq.score(big, crit, threads=n, **kw)
            assert outputs(other, kw.get("evidence", True)) == outputs(one, kw.get("evidence", True))
            assert_frames_equal(other, one)


@pytest.mark.parametrize("sheet", ["criteria.json", "criteria-custom.json"])
def test_the_same_bytes_as_jql_score(jq, big, big_path, sheet):
    exe = cli("jql-score")
    if exe is None:
        pytest.skip("jql-score is not built (set JQL_BUILD_DIR to a build with examples)")
    crit = register(jq.Criteria.load(THREADS / sheet))
    text = jq.score(big, crit, threads=4).to_json()
    for cli_threads in ("1", "3"):
        out = subprocess.run([str(exe), "--format", "json", "--threads", cli_threads,
                              str(big_path), str(THREADS / sheet)], capture_output=True, check=True)
        assert text.encode("utf-8") == out.stdout, cli_threads


QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q4"]


@pytest.mark.parametrize("sheet", ["criteria.json", "criteria-custom.json"])
@pytest.mark.parametrize("kw,cli_args", [({}, []), ({"as_of": "2026-08-31"}, ["--as-of", "2026-08-31"])])
def test_score_periods_the_same_on_threads_and_as_jql_score(jq, big, big_path, sheet, kw,
                                                           cli_args):
    """score_periods(threads=n): the trend and every period's results the same
    whatever n, each period as score() scores it with the same options, and the
    trend the same bytes as jql-score --periods (on 3 threads, C custom function)."""
    crit = register(jq.Criteria.load(THREADS / sheet))
    one = jq.score_periods(big, crit, QUARTERS, **kw)
    text = one.to_json()
    for q, res in zip(QUARTERS, one.results):
        assert res.to_json() == jq.score(big, crit, q, **kw).to_json(), q
    for n in (2, 4):
        other = jq.score_periods(big, crit, QUARTERS, threads=n, **kw)
        assert other.to_json() == text, n
        assert [r.to_json() for r in other.results] == [r.to_json() for r in one.results], n
    exe = cli("jql-score")
    if exe is None:
        pytest.skip("jql-score is not built (set JQL_BUILD_DIR to a build with examples)")
    out = subprocess.run([str(exe), "--format", "json", "--threads", "3", "--periods",
                          ",".join(QUARTERS), *cli_args, str(big_path), str(THREADS / sheet)],
                         capture_output=True, check=True)
    assert text.encode("utf-8") == out.stdout
    if kw:  # the option reaches the periods: without it, another trend
        assert jq.score_periods(big, crit, QUARTERS, threads=4).to_json() != text


def test_score_periods_custom_functions_stay_on_the_calling_thread(jq, big):
    crit = jq.Criteria.load(THREADS / "criteria-custom.json")
    calls = []

    @crit.register("mediation_success_rate", context=True)
    def rate(ds, unit, period, node, ctx):
        calls.append(threading.get_ident())
        return mediation_success_rate(ds, unit, period, node, ctx)

    one = jq.score_periods(big, crit, QUARTERS[:2]).to_json()
    assert len(calls) == 2 * 1031
    calls.clear()
    assert jq.score_periods(big, crit, QUARTERS[:2], threads=4).to_json() == one
    assert len(calls) == 2 * 1031 and set(calls) == {threading.get_ident()}


def test_custom_functions_run_on_the_calling_thread(jq, big):
    """The binding never lets the engine call a Python function from its own
    threads (JQL_SCORE_CUSTOM_ANY_THREAD): with a custom leaf every call is
    made on the thread of score(), once per unit, whatever threads= says."""
    crit = jq.Criteria.load(THREADS / "criteria-custom.json")
    calls = []

    @crit.register("mediation_success_rate", context=True)
    def rate(ds, unit, period, node, ctx):
        calls.append((threading.get_ident(), unit))
        return mediation_success_rate(ds, unit, period, node, ctx)

    one = jq.score(big, crit).to_json()
    assert len(calls) == 1031 and {t for t, _ in calls} == {threading.get_ident()}
    order = [u for _, u in calls]
    for n in (4, 64):
        calls.clear()
        assert jq.score(big, crit, threads=n).to_json() == one
        assert {t for t, _ in calls} == {threading.get_ident()}, n
        assert [u for _, u in calls] == order, n

    # from another Python thread: that thread makes every call
    box = {}

    def work():
        calls.clear()
        box["json"] = jq.score(big, crit, threads=4).to_json()
        box["threads"] = {t for t, _ in calls}
        box["me"] = threading.get_ident()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert box["json"] == one and box["threads"] == {box["me"]}


def test_a_failing_custom_function_fails_the_same(jq, big):
    crit = jq.Criteria.load(THREADS / "criteria-custom.json")

    @crit.register("mediation_success_rate", context=True)
    def rate(ds, unit, period, node, ctx):
        if unit == "u0900":  # in the last block of four
            raise ZeroDivisionError("no mediation for " + unit)
        return 1

    errors = []
    for n in (1, 4):
        with pytest.raises(jq.CallbackError) as info:
            jq.score(big, crit, threads=n)
        assert isinstance(info.value.__cause__, ZeroDivisionError)
        errors.append(str(info.value))
    assert errors[0] == errors[1] and "u0900" in errors[0]


@pytest.mark.parametrize("bad,error", [(0, ValueError), (-1, ValueError), (-(2 ** 70), ValueError),
                                       (1.0, TypeError), (2.5, TypeError), ("2", TypeError),
                                       (True, TypeError), (None, TypeError)])
def test_bad_thread_counts_are_refused(jq, small, bad, error):
    crit = jq.Criteria.loads("""{"format": "justice-quarterly/criteria 1.0", "id": "t",
        "period": "2014", "units": {"levels": ["district"]},
        "criteria": [{"id": "A", "title": "A", "max": 100, "method": {"type": "manual"}}],
        "tiers": [{"id": "all", "name": "All", "min": 0}]}""")
    with pytest.raises(error, match="threads"):
        jq.score(small, crit, threads=bad)
    with pytest.raises(ValueError, match="threads"):
        jq._core.score(small, crit, threads=0)  # the C function checks as well


def test_more_than_the_most_is_the_most(jq, big):
    import numpy as np
    crit = jq.Criteria.load(THREADS / "criteria.json")
    one = jq.score(big, crit).to_json()
    assert jq.SCORE_MAX_THREADS == 64
    for n in (jq.SCORE_MAX_THREADS + 1, 2 ** 40, 10 ** 30, np.int64(3)):
        assert jq.score(big, crit, threads=n).to_json() == one, n


# ---- the number reaches the library ------------------------------------------

SCRIPT = """
import sys
import justice_quarterly as jq
ds = jq.Dataset.load(sys.argv[1])
crit = jq.Criteria.load(sys.argv[2])
crit.register("mediation_success_rate", lambda *a: 1)
kw = eval(sys.argv[3])
if "periods" in kw:
    jq.score_periods(ds, crit, kw.pop("periods"), **kw)
else:
    jq.score(ds, crit, **kw)
"""


def started(big_path, sheet, kw):
    """(threads started, of them by a thread holding the GIL) in a Python that
    scores once with score(**kw) (pandas not imported: numpy starts threads)."""
    helper = os.environ.get("JQL_COUNT_THREADS")
    if not helper or not os.path.exists(helper):
        pytest.skip("no thread-counting helper (JQL_COUNT_THREADS: tests/cli/count_threads.c)")
    count = big_path.parent / "count"
    if count.exists():
        count.unlink()
    env = dict(os.environ, JQL_COUNT_THREADS_FILE=str(count))
    # first, so its pthread_create wraps the ASan runtime's (preloaded under ASan)
    env["LD_PRELOAD"] = " ".join(filter(None, [helper, os.environ.get("LD_PRELOAD")]))
    env["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    subprocess.run([sys.executable, "-c", SCRIPT, str(big_path), str(THREADS / sheet), repr(kw)],
                   env=env, check=True, timeout=300)  # a deadlock fails, not hangs
    return tuple(int(x) for x in count.read_text().split())


@pytest.mark.parametrize("sheet,kw,expected", [
    ("criteria.json", {}, (0, 0)),
    ("criteria.json", {"threads": 1}, (0, 0)),
    ("criteria.json", {"threads": 2}, (1, 0)),
    ("criteria.json", {"threads": 4}, (3, 0)),
    ("criteria.json", {"threads": 64}, (3, 0)),          # 1031 units: 4 blocks at most
    ("criteria.json", {"threads": 3, "evidence": False}, (2, 0)),
    ("criteria-custom.json", {"threads": 4}, (0, 0)),    # a Python function: one thread
    # score_periods: each of the 3 periods on the threads asked for
    ("criteria.json", {"periods": ["2026-Q1", "2026-Q2", "2026-Q4"], "threads": 4}, (9, 0)),
    ("criteria.json", {"periods": ["2026-Q1", "2026-Q2"], "threads": 2,
                       "as_of": "2026-08-31", "evidence": False}, (2, 0)),
    ("criteria.json", {"periods": ["2026-Q1", "2026-Q2"]}, (0, 0)),
    ("criteria-custom.json", {"periods": ["2026-Q1", "2026-Q2"], "threads": 4}, (0, 0)),
])
def test_threads_started_with_the_gil_released(big_path, sheet, kw, expected):
    assert started(big_path, sheet, kw) == expected
