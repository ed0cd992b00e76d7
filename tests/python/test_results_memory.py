"""Results of a large scoring hold only what the caller keeps.

Units read by iteration or indexing are not kept by the Results, and a unit's
nodes (one dict per criterion) are read when asked for and not kept by the
unit: 1,000 units x 4,400 criteria held 2.6 GB once every unit had been read.
"""

import gc
import json
import tracemalloc
from decimal import Decimal

import pytest

UNITS, LEAVES = 200, 300


@pytest.fixture
def large(jq):
    units = [{"id": "u%03d" % i, "name": "Unit %d" % i, "level": "district"}
             for i in range(UNITS)]
    ds = jq.Dataset.loads(json.dumps({
        "format": "justice-quarterly/dataset 1.0", "units": units,
        "assessments": [{"unit": "u%03d" % i, "period": "2014", "criterion": "m%d" % (i % 7),
                         "appraised": 0.5} for i in range(UNITS)]}))
    crit = jq.Criteria.loads(json.dumps({
        "format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
        "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
        "criteria": [{"id": "m%d" % k, "title": "m", "max": 1, "method": {"type": "manual"}}
                     for k in range(LEAVES)]}))
    with pytest.warns(jq.ScoringWarning):
        return jq.score(ds, crit)


def held_after(read):
    """Bytes still allocated once read() has run and its result is dropped."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        read()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_reading_every_unit_keeps_nothing(large):
    # each unit's nodes were kept by the Results once read: 200 x 300 dicts, ~40 MB
    assert held_after(lambda: [len(u.nodes) for u in large]) < 1_000_000
    assert held_after(lambda: [large[k]["nodes"] for k in range(len(large))]) < 1_000_000
    assert held_after(lambda: sum(u.final for u in large.units)) < 1_000_000


def test_a_kept_unit_reads_the_same_nodes_each_time(jq, large):
    doc = large.to_dict()
    u = large[3]
    assert u.to_dict() == doc["units"][3]
    assert [n.to_dict() for n in u.nodes] == doc["units"][3]["nodes"]
    assert [n.to_dict() for n in u["nodes"]] == doc["units"][3]["nodes"]
    assert u.node("m3").appraised == Decimal("0.500") and u.node("m4").appraised is None
    with pytest.raises(KeyError):
        u.node("nope")
    assert u == large[3] and u != large[4]
    assert "nodes" in u and list(u.keys()) == list(doc["units"][3])
    assert large[u.id] == u and large[-1].id == doc["units"][-1]["id"]


def test_a_unit_outlives_its_results(jq, large):
    """A unit kept after the Results is dropped still reads its nodes (it keeps
    the scoring's C results alive, not the other units' objects)."""
    crit = jq.Criteria.loads(json.dumps({
        "format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
        "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
        "criteria": [{"id": "m%d" % k, "title": "m", "max": 1, "method": {"type": "manual"}}
                     for k in range(3)]}))
    results = jq.score(large.dataset, crit)
    want = results[5].to_dict()
    unit = results[5]
    del results
    gc.collect()
    assert unit.to_dict() == want and [n.id for n in unit.nodes] == ["m0", "m1", "m2"]


def test_node_builds_that_node_only(jq, large):
    """UnitResult.node(id) built every node of the unit to return one: asking
    each of 4,400 criteria by id took 5.9 s. Peak memory of one call, under
    tracemalloc: the whole tuple of 300 nodes before, one node now."""
    u = large[3]
    ids = [n.id for n in u.nodes]
    doc = large.to_dict()["units"][3]["nodes"]
    gc.collect()
    tracemalloc.start()
    try:
        node = u.node("m150")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000, peak
    assert node.to_dict() == doc[150]
    assert [u.node(i).to_dict() for i in ids] == doc
    assert u.node("m3").appraised == Decimal("0.500")
    for missing in ("nope", "m1\0", "\ud800", 7):
        with pytest.raises(KeyError):
            u.node(missing)
