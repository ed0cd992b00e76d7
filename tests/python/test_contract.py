"""The contract fixtures (tests/data/contract/<case>/): each one pins a rule of the
scoring contract with a dataset, a criteria set and hand-derived expected.json.

expected.json is a subset of the results document (docs/CRITERIA.md, "Results"):
every member it has must be in the results with an equal value (members whose name
starts with "_" are notes); "units" lists the units in the results' order, and a
list of objects with ids (nodes, items, vetoes) is matched by id. An "error" list
instead says loading or scoring fails with a message holding each fragment.
The same rules are applied by tests/test_contract.c and tests/lua/test_contract.lua.
"""

import json
import subprocess
from decimal import Decimal

import pytest

from conftest import TEST_DATA, cli

CONTRACT = TEST_DATA / "contract"


def contract_cases():
    if not CONTRACT.is_dir():
        return []
    return [pytest.param(d, id=d.name) for d in sorted(CONTRACT.iterdir())
            if (d / "expected.json").exists()]


def subset(exp, act, path, out):
    """Append to out a line per member of exp that act lacks or differs on."""
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            out.append(f"{path}: expected an object, got {act!r}")
            return
        for key, value in exp.items():
            if key.startswith("_"):
                continue
            if key not in act:
                out.append(f"{path}/{key}: missing")
            else:
                subset(value, act[key], f"{path}/{key}", out)
    elif isinstance(exp, list) and exp and all(isinstance(e, dict) and "id" in e for e in exp):
        if not isinstance(act, list):
            out.append(f"{path}: expected a list, got {act!r}")
            return
        if path == "/units" and [e["id"] for e in exp] != [a.get("id") for a in act]:
            out.append(f"/units: order {[a.get('id') for a in act]}, "
                       f"expected {[e['id'] for e in exp]}")
        by_id = {a.get("id"): a for a in act if isinstance(a, dict)}
        for e in exp:
            if e["id"] not in by_id:
                out.append(f"{path}/{e['id']}: missing")
            else:
                subset(e, by_id[e["id"]], f"{path}/{e['id']}", out)
    elif exp != act or type(exp) is not type(act):
        out.append(f"{path}: got {act!r}, expected {exp!r}")


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("case", contract_cases())
def test_contract_fixture(jq, case):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"),
                          parse_float=Decimal)
    if "error" in expected:
        with pytest.raises(jq.Error) as info:
            ds = jq.Dataset.load(case / "dataset.json")
            crit = jq.Criteria.load(case / "criteria.json")
            jq.score(ds, crit)
        for fragment in expected["error"]:
            assert fragment in str(info.value)
        return
    ds = jq.Dataset.load(case / "dataset.json")
    crit = jq.Criteria.load(case / "criteria.json")
    text = jq.score(ds, crit).to_json()
    out = []
    subset(expected, json.loads(text, parse_float=Decimal), "", out)
    assert not out, "\n".join(out)
    exe = cli("jql-score")
    if exe is not None:
        run = subprocess.run([str(exe), "--format", "json", str(case / "dataset.json"),
                              str(case / "criteria.json")], capture_output=True, check=True)
        assert text.encode("utf-8") == run.stdout
