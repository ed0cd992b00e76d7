"""Allocation-failure sweep through the Python binding: every allocation the
library makes while loading a dataset, loading a criteria set and scoring is
made to fail in turn (the _core._fail_allocation test hook). Each failure must
raise MemoryError, leave no partial object, and the next call must work.
"""

import pytest

from conftest import CUSTOM_CRITERIA, LONG_AN, TEST_DATA, small_dataset

DATASET = (TEST_DATA / "scoring" / "worked-example" / "dataset.json").read_bytes()
CRITERIA = (TEST_DATA / "scoring" / "worked-example" / "criteria.json").read_bytes()


def sweep(jq, action, limit=20000):
    """Fail allocation 0, 1, 2... of `action` until it needs no more; returns
    the number of allocation points and what each failure raised."""
    core = jq._core
    raised = {}
    try:
        for n in range(limit):
            core._fail_allocation(n)
            try:
                action()
            except MemoryError:
                raised["MemoryError"] = raised.get("MemoryError", 0) + 1
                continue
            except Exception as e:  # anything else is a wrong answer to out of memory
                raised[type(e).__name__] = raised.get(type(e).__name__, 0) + 1
                continue
            finally:
                made = core._fail_allocation(-1)
            if made <= n:  # the action finished without reaching allocation n
                return n, raised
        pytest.fail(f"more than {limit} allocations")
    finally:
        core._fail_allocation(-1)


def test_dataset_loads_out_of_memory(jq):
    points, raised = sweep(jq, lambda: jq.Dataset.loads(DATASET))
    assert points > 10
    assert set(raised) == {"MemoryError"}, raised
    assert jq.Dataset.loads(DATASET).to_json()


def test_criteria_loads_out_of_memory(jq):
    points, raised = sweep(jq, lambda: jq.Criteria.loads(CRITERIA))
    assert points > 10
    assert set(raised) == {"MemoryError"}, raised


def test_score_out_of_memory(jq):
    ds = jq.Dataset.loads(DATASET)
    crit = jq.Criteria.loads(CRITERIA)
    want = jq.score(ds, crit).to_json()
    points, raised = sweep(jq, lambda: jq.score(ds, crit).to_json())
    assert points > 10
    assert set(raised) == {"MemoryError"}, raised
    assert jq.score(ds, crit).to_json() == want


def test_score_with_custom_function_out_of_memory(jq):
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)
    crit.register("extra", lambda *a: 1)
    points, raised = sweep(jq, lambda: jq.score(ds, crit, "2014"))
    assert points > 5
    assert set(raised) == {"MemoryError"}, raised
