"""Results of a hostile shape through the Python binding (issue 10).

A roll-up leaf cites the records of its unit's whole subtree, so a chain of
n units cites n (n + 1) / 2 records for n of them. Each citation was a dict
of its own: a 20,000-unit chain (4 MB) took 27 s to read every unit's nodes
and 7.7 GB (then MemoryError) for to_dict(). A record is now one dict, shared
by its citations (for the life of the Results in the read-only objects,
within the one document in to_dict()), and to_dict() refuses, as to_json()
does, a document citing more than 50 million records. Memory is measured
with tracemalloc; times are bench/'s business.
"""

import gc
import json
import tracemalloc
from decimal import Decimal

import pytest


def chain(jq, n):
    units = [{"id": "u%d" % i, "name": "x", "level": "district",
              **({"parent": "u%d" % (i - 1)} if i > 1 else {})} for i in range(1, n + 1)]
    reports = [{"unit": "u%d" % i, "period": "2014-Q1", "kind": "statistics", "due": "2014-04-10",
                "submitted": "2014-04-09", "complete": True} for i in range(1, n + 1)]
    ds = jq.Dataset.loads(json.dumps({"format": "justice-quarterly/dataset 1.0",
                                      "units": units, "reports": reports}))
    crit = jq.Criteria.loads(json.dumps({
        "format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
        "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
        "criteria": [{"id": "x", "title": "x", "max": 100,
                      "measure": {"kind": "report_share_on_time", "rollup": True},
                      "method": {"type": "linear", "target": 100}}]}))
    return jq.score(ds, crit)


def kept(make):
    """Bytes still allocated by what make() returns, while it is held."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        value = make()
        return tracemalloc.get_traced_memory()[0] - before, value
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def chain1000():
    import justice_quarterly
    return chain(justice_quarterly, 1000)


def test_to_dict_holds_a_dict_per_record_not_per_citation(chain1000):
    # 500,500 citations of 1,000 records: a dict each was about 130 MB
    size, doc = kept(chain1000.to_dict)
    assert size < 30_000_000, size
    cited = [len(u["nodes"][0]["evidence"]) for u in doc["units"]]
    assert sorted(cited) == list(range(1, 1001))
    assert doc == json.loads(chain1000.to_json(), parse_float=Decimal)
    by_id = {u["id"]: u for u in doc["units"]}
    assert by_id["u1000"]["nodes"][0]["evidence"][0] is by_id["u999"]["nodes"][0]["evidence"][1]


def test_reading_every_units_nodes_shares_the_records(chain1000):
    # every unit's nodes kept: the same 500,500 citations, about 130 MB before
    size, nodes = kept(lambda: [u.nodes for u in chain1000])
    assert size < 30_000_000, size
    assert sum(len(ns[0].evidence) for ns in nodes) == 1000 * 1001 // 2
    last = chain1000["u1000"].nodes[0].evidence
    assert len(last) == 1 and last[0].to_dict() == {
        "kind": "report", "unit": "u1000", "period": "2014-Q1", "report_kind": "statistics"}
    assert last[0]._data is chain1000["u999"].nodes[0].evidence[1]._data


def test_to_dict_past_the_evidence_limit_raises(jq):
    # 10,001 units: 50,015,001 citations, over JQL_MAX_RESULTS_EVIDENCE
    results = chain(jq, 10001)
    with pytest.raises(jq.LimitError, match="the results cite 50015001 evidence records, "
                                            "over the limit of 50000000"):
        results.to_dict()
    with pytest.raises(jq.LimitError, match="over the limit of 50000000"):
        results.to_json()
    assert len(results["u10001"].nodes[0].evidence) == 1  # units are still read one at a time
