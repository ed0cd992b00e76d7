"""Lifetime and memory: any deletion order, reference cycles, 10,000 scores, threads."""

import gc
import itertools
import os
import resource
import sys
import threading
import tracemalloc
import weakref
from decimal import Decimal

import pytest

from conftest import CUSTOM_CRITERIA, small_dataset

UNDER_ASAN = "asan" in os.environ.get("LD_PRELOAD", "")


def make(jq, points=2):
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)
    crit.register("extra", lambda *a: points)
    return ds, crit


def rss_kib():
    """Current resident set size in KiB (Linux), else the peak."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_results_outlive_dataset_and_criteria(jq):
    ds, crit = make(jq)
    results = jq.score(ds, crit)
    wds, wcrit = weakref.ref(ds), weakref.ref(crit)
    del ds, crit
    gc.collect()
    assert wds() is not None and wcrit() is not None  # kept alive by the results
    assert results["U1"].final == Decimal("8.000")
    assert results.dataset.units["U1"].name == "Unit 1"
    text = results.to_json()
    del results
    gc.collect()
    assert wds() is None and wcrit() is None
    assert text


@pytest.mark.parametrize("order", list(itertools.permutations(["ds", "crit", "res"])))
def test_any_deletion_order(jq, order):
    objs = dict(zip(("ds", "crit"), make(jq)))
    objs["res"] = jq.score(objs["ds"], objs["crit"])
    refs = {k: weakref.ref(v) for k, v in objs.items()}
    for name in order:
        del objs[name]
        gc.collect()
    assert all(r() is None for r in refs.values())


def test_callable_referring_to_its_criteria_is_collected(jq):
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)

    def extra(dataset, unit, period, node):
        return next(n.max for n in crit.nodes if n.id == node)  # closure → crit

    crit.register("extra", extra)
    results = jq.score(ds, crit)
    assert results["U1"].node("C").points == Decimal("4.000")
    wcrit, wfn = weakref.ref(crit), weakref.ref(extra)
    del crit, extra, results
    gc.collect()
    assert wcrit() is None and wfn() is None


def test_cycle_through_dataset_results_and_criteria(jq):
    ds, crit = make(jq)
    holder = {}
    crit.register("extra", lambda *a: 1 + 0 * len(holder))
    holder["results"] = jq.score(ds, crit)
    holder["results"] = jq.score(ds, crit)  # the callable now sees results → crit → callable
    holder["ds"] = ds
    wds, wcrit = weakref.ref(ds), weakref.ref(crit)
    del ds, crit, holder
    gc.collect()
    assert wds() is None and wcrit() is None


def test_gc_clear_order_never_crashes(jq):
    # Many small cycles mixing every object kind, collected in whatever order the GC picks.
    for _ in range(50):
        ds, crit = make(jq)
        box = [ds, crit]
        crit.register("extra", lambda *a, box=box: 1)
        box.append(jq.score(ds, crit))
        box.append(box)
        del ds, crit, box
    gc.collect()


def test_ten_thousand_scores_keep_memory_stable(jq, capsys):
    ds, crit = make(jq)
    for _ in range(500):  # warm up allocator pools and caches
        jq.score(ds, crit)
    gc.collect()
    tracemalloc.start()
    before_rss = rss_kib()
    before_py = tracemalloc.get_traced_memory()[0]
    finals = set()
    for i in range(10_000):
        r = jq.score(ds, crit)
        if i % 1000 == 0:
            finals.add(r["U1"].final)
    gc.collect()
    after_py = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    after_rss = rss_kib()
    with capsys.disabled():
        print(f"\n[memory] 10,000 score() calls: RSS {before_rss} KiB -> {after_rss} KiB "
              f"({after_rss - before_rss:+d} KiB); Python heap {before_py} -> {after_py} B "
              f"({after_py - before_py:+d} B){' (ASan)' if UNDER_ASAN else ''}")
    assert finals == {Decimal("8.000")}
    assert after_py - before_py < 64 * 1024
    if not UNDER_ASAN:  # ASan's quarantine holds freed memory on purpose
        assert after_rss - before_rss < 1024


def test_failing_callbacks_do_not_leak(jq, capsys):
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)

    def boom(*a):
        raise ValueError("x" * 1000)

    crit.register("extra", boom)
    for _ in range(200):
        with pytest.raises(jq.CallbackError):
            jq.score(ds, crit)
    gc.collect()
    before = rss_kib()
    for _ in range(2000):
        with pytest.raises(jq.CallbackError):
            jq.score(ds, crit)
    gc.collect()
    after = rss_kib()
    with capsys.disabled():
        print(f"\n[memory] 2,000 failing score() calls: RSS {before} -> {after} KiB "
              f"({after - before:+d} KiB)")
    if not UNDER_ASAN:
        assert after - before < 2048


def test_threads_score_concurrently(jq):
    ds, crit = make(jq)
    expected = jq.score(ds, crit).to_json()
    outputs, errors = [], []

    def work():
        try:
            for _ in range(200):
                outputs.append(jq.score(ds, crit).to_json())
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(outputs) == 800 and set(outputs) == {expected}


def test_modifying_while_another_thread_scores_is_refused(jq):
    ds = small_dataset(jq)
    crit = jq.Criteria.loads(CUSTOM_CRITERIA)
    entered, proceed = threading.Event(), threading.Event()
    box = {}

    def extra(*a):
        entered.set()
        proceed.wait(10)
        return 1

    crit.register("extra", extra)
    t = threading.Thread(target=lambda: box.setdefault("r", jq.score(ds, crit)))
    t.start()
    try:
        assert entered.wait(10)
        with pytest.raises(RuntimeError, match="in use"):
            ds.add_unit("X", "x", "district")
        with pytest.raises(RuntimeError, match="in use"):
            ds.name = "renamed"
        with pytest.raises(RuntimeError, match="in use"):
            crit.register("extra", lambda *a: 0)
        assert len(ds.units) == 3  # reading is fine
    finally:
        proceed.set()
        t.join()
    assert box["r"]["U1"].node("C").points == Decimal("1.000")
    ds.add_unit("X", "x", "district")  # free again


def test_subclasses_and_weakrefs(jq):
    class MyDataset(jq.Dataset):
        pass

    ds = MyDataset.loads(small_dataset(jq).to_json())
    assert type(ds) is MyDataset and len(ds.units) == 3
    w = weakref.ref(ds)
    del ds
    gc.collect()
    assert w() is None
    assert sys.getrefcount(jq.Dataset) > 0
