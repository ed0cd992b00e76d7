"""Property and fuzz tests of the Python binding (Debian's python3-hypothesis).

* random builder sequences: every call either works or raises a library error
  (or ValueError/TypeError) and then leaves the dataset exactly as it was; the
  result always saves, loads back and saves again byte for byte;
* random bytes, and valid files with random bytes changed, given to loads():
  a dataset/criteria set or a library error, never anything else;
* another thread changing the buffer while loads() runs (tests/run.sh runs
  this suite under ASan as well).

Examples are derandomized (the same on every run) and nothing is written to a
.hypothesis database. JQL_HYPOTHESIS_EXAMPLES sets how many per test.
"""

import datetime
import os
import tempfile
import threading
from decimal import Decimal

import pytest

# Hypothesis keeps caches in ./.hypothesis by default: not in the source tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      os.path.join(tempfile.gettempdir(), "jql-hypothesis"))

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import CUSTOM_CRITERIA, LONG_AN, TEST_DATA  # noqa: E402

EXAMPLES = int(os.environ.get("JQL_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))

# ---- builder sequences -------------------------------------------------------

# Mostly ids that refer to each other, sometimes anything (NUL, non-BMP, empty).
names = st.one_of(st.sampled_from(["P", "U1", "U2", "x", "cases", "2014-Q1", ""]),
                  st.text(max_size=6))
periods = st.one_of(st.sampled_from(["2014-Q1", "2014-Q2", "2014", "2014-H1", "2014-01", "dot-1"]),
                    st.text(max_size=8))
dates = st.one_of(st.dates(min_value=datetime.date(1990, 1, 1),
                           max_value=datetime.date(2100, 12, 31)),
                  st.sampled_from(["2014-02-30", "2014-13-01", "x", "2014-04-10"]))
amounts = st.one_of(st.integers(min_value=-10, max_value=10**16),
                    st.decimals(min_value=-1000, max_value=10**9, places=4,
                                allow_nan=False, allow_infinity=False),
                    st.sampled_from(["1.5", "1e3", "0.0001", "-0"]))

operations = st.one_of(
    st.tuples(st.just("add_unit"), names, names, st.sampled_from(["province", "district"]),
              st.one_of(st.none(), names)),
    st.tuples(st.just("add_unit_full"), names, names, st.sampled_from(["province", "district", ""]),
              st.one_of(st.none(), names), st.one_of(st.none(), names),
              st.dictionaries(names, names, max_size=2)),
    st.tuples(st.just("set_unit"), names, st.one_of(st.none(), names), names, names),
    st.tuples(st.just("set_unit_attribute"), names, names, st.one_of(st.none(), names)),
    st.tuples(st.just("add_period"), names, dates, dates),
    st.tuples(st.just("add_indicator"), names, names, st.none(),
              st.sampled_from(["sum", "last", "mean", "min", "max", "median"])),
    st.tuples(st.just("set_stat"), names, names, periods, amounts),
    st.tuples(st.just("add_report"), names, periods, st.sampled_from(["statistics", "x"]),
              dates, st.one_of(st.none(), dates), st.booleans()),
    st.tuples(st.just("add_event"), names, dates, names, st.one_of(st.none(), names)),
    st.tuples(st.just("set_name"), st.text(max_size=10)),
    # (at least one owner: a task without one saves to a file the loader refuses,
    # reported separately)
    st.tuples(st.just("add_task"), names, names, dates, st.lists(names, min_size=1, max_size=2)),
    st.tuples(st.just("add_shortcoming"), names, periods, names, st.lists(names, max_size=2)),
    st.tuples(st.just("add_indicator_field"), names, names, names),
)

TOLERATED = (ValueError, TypeError, OverflowError)


@SETTINGS
@given(st.lists(operations, max_size=25))
def test_builder_sequences_are_atomic_and_round_trip(jq, ops):
    ds = jq.Dataset()
    for name, *args in ops:
        before = ds.to_json()
        try:
            if name == "set_name":
                ds.name = args[0]
            elif name == "add_unit_full":
                uid, uname, level, parent, cluster, attrs = args
                ds.add_unit(uid, uname, level, parent, cluster=cluster, attributes=attrs)
            elif name == "add_indicator_field":
                ds.add_indicator(args[0], args[1], field=args[2])
            elif name == "set_unit":
                uid, parent, uname, cluster = args
                ds.set_unit(uid, parent=parent, name=uname, cluster=cluster)
            else:
                getattr(ds, name)(*args)
        except (jq.Error,) + TOLERATED:
            assert ds.to_json() == before, f"a refused {name}{tuple(args)!r} changed the dataset"
    text = ds.to_json()
    again = jq.Dataset.loads(text)
    assert again.to_json() == text


# ---- random bytes to loads() -----------------------------------------------------

def load_or_error(jq, kind, data):
    try:
        obj = kind.loads(data)
    except jq.Error as e:
        assert str(e)
        return None
    return obj


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_load_or_fail_cleanly(jq, data):
    load_or_error(jq, jq.Dataset, data)
    load_or_error(jq, jq.Criteria, data)


FIXTURES = {
    "dataset": (LONG_AN / "dataset.json").read_bytes(),
    "criteria": (LONG_AN / "criteria-2014.json").read_bytes(),
    "custom": CUSTOM_CRITERIA.encode(),
}
JSONISH = [b'"', b"\\", b"{", b"}", b"[", b"]", b",", b":", b"\\u0000", b"\xff", b"\xc3", b"1e999",
           b"-", b"null", b" ", b"\x00"]


@SETTINGS
@given(st.sampled_from(sorted(FIXTURES)), st.data())
def test_changed_files_load_or_fail_cleanly(jq, which, data):
    text = bytearray(FIXTURES[which])
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        at = data.draw(st.integers(min_value=0, max_value=len(text)))
        cut = data.draw(st.integers(min_value=0, max_value=3))
        new = data.draw(st.one_of(st.sampled_from(JSONISH), st.binary(max_size=3)))
        text[at:at + cut] = new
    kind = jq.Dataset if which == "dataset" else jq.Criteria
    obj = load_or_error(jq, kind, bytes(text))
    if obj is not None and kind is jq.Dataset:
        saved = obj.to_json()
        assert jq.Dataset.loads(saved).to_json() == saved


# ---- another thread changing the buffer ------------------------------------------

@settings(SETTINGS, max_examples=max(5, EXAMPLES // 10))
@given(st.sampled_from(sorted(FIXTURES)),
       st.lists(st.tuples(st.floats(min_value=0, max_value=1), st.sampled_from(JSONISH[:8])),
                min_size=1, max_size=4))
def test_loads_while_another_thread_changes_the_buffer(jq, which, flips):
    buf = bytearray(FIXTURES[which] + b" " * 65536)
    spots = [(min(int(f * len(FIXTURES[which])), len(FIXTURES[which]) - 1), b[0]) for f, b in flips]
    original = bytes(buf)
    stop = threading.Event()

    def mutate():
        while not stop.is_set():
            for at, byte in spots:
                buf[at] = byte
            for at, _ in spots:
                buf[at] = original[at]

    kind = jq.Dataset if which == "dataset" else jq.Criteria
    t = threading.Thread(target=mutate)
    t.start()
    try:
        for _ in range(5):
            load_or_error(jq, kind, buf)
            load_or_error(jq, kind, memoryview(buf))
    finally:
        stop.set()
        t.join()
    assert kind.loads(bytes(buf)) is not None  # restored: valid again


# ---- scoring with random custom function results -------------------------------

@SETTINGS
@given(st.lists(st.one_of(st.integers(min_value=-10**6, max_value=10**6),
                          st.decimals(min_value=-100, max_value=100, places=3,
                                      allow_nan=False, allow_infinity=False),
                          st.floats(allow_nan=True), st.none(), st.text(max_size=3)),
                min_size=1, max_size=5))
def test_custom_function_results_score_or_fail_cleanly(jq, values):
    from conftest import small_dataset
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)
    it = iter(values * 4)
    crit.register("extra", lambda *a: next(it, 0))
    try:
        res = jq.score(ds, crit, "2014")
    except jq.Error:
        return
    for unit in res:
        for node in unit.nodes:
            assert Decimal(0) <= node.points <= node.max
