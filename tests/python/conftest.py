"""Shared fixtures of the Python binding's tests.

Run from a build tree: PYTHONPATH=<builddir>/bindings/python /usr/bin/python3 -m pytest tests/python
(`meson test --suite python` sets that, and JQL_BUILD_DIR for the CLI comparisons).
"""

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEST_DATA = pathlib.Path(os.environ.get("JQL_TEST_DATA", ROOT / "tests" / "data"))
EXAMPLES_DATA = pathlib.Path(os.environ.get("JQL_EXAMPLES_DATA", ROOT / "examples" / "data"))
LONG_AN = EXAMPLES_DATA / "long-an-2014"
TAY_NINH = EXAMPLES_DATA / "tay-ninh-2026"

# A small criteria set with a custom leaf "C" (max 4) next to a computed one.
CUSTOM_CRITERIA = """{
  "format": "justice-quarterly/criteria 1.0",
  "id": "custom-test",
  "period": "2014",
  "scale": 10,
  "units": {"levels": ["district"]},
  "criteria": [
    {"id": "A", "title": "Timely reporting", "max": 6,
     "measure": {"kind": "report_days_late_worst"},
     "method": {"type": "bands", "bands": [{"at_most": 0, "points": 6}, {"points": 0}]}},
    {"id": "C", "title": "Custom", "max": 4, "method": {"type": "custom", "function": "extra"}}
  ],
  "tiers": [
    {"id": "top", "name": "Top", "min": 8},
    {"id": "low", "name": "Low", "min": 0}
  ]
}"""


def build_dir():
    value = os.environ.get("JQL_BUILD_DIR")
    return pathlib.Path(value) if value else None


def cli(name):
    """Path of a built example program, or None."""
    bdir = build_dir()
    if bdir is None:
        return None
    path = bdir / "examples" / name
    return path if path.exists() else None


@pytest.fixture
def jq():
    import justice_quarterly
    return justice_quarterly


def small_dataset(jq):
    """Two districts under a province, one report each (U1 on time, U2 late)."""
    ds = jq.Dataset(name="small")
    ds.add_unit("P", "Province", "province")
    ds.add_unit("U1", "Unit 1", "district", "P", cluster="c1")
    ds.add_unit("U2", "Unit 2", "district", "P", cluster="c1")
    ds.add_report("U1", "2014-Q1", "statistics", "2014-04-10", "2014-04-10", True)
    ds.add_report("U2", "2014-Q1", "statistics", "2014-04-10", "2014-04-14", True)
    return ds


@pytest.fixture
def small(jq):
    return small_dataset(jq)


@pytest.fixture
def custom_criteria(jq):
    return jq.Criteria.loads(CUSTOM_CRITERIA, "custom-test.json")


def scoring_cases():
    """(name, dataset path, criteria path) of every shared scoring fixture."""
    cases = []
    base = TEST_DATA / "scoring"
    if base.is_dir():
        for d in sorted(base.iterdir()):
            ds = d / "dataset.json"
            for crit in sorted(d.glob("criteria*.json")):
                if ds.exists():
                    cases.append(pytest.param(ds, crit, id=f"{d.name}/{crit.stem}"))
    if (LONG_AN / "dataset.json").exists() and (LONG_AN / "criteria-2014.json").exists():
        cases.append(pytest.param(LONG_AN / "dataset.json", LONG_AN / "criteria-2014.json",
                                  id="long-an-2014"))
    if (TAY_NINH / "dataset.json").exists() and (TAY_NINH / "criteria-2026.json").exists():
        cases.append(pytest.param(TAY_NINH / "dataset.json", TAY_NINH / "criteria-2026.json",
                                  id="tay-ninh-2026"))
    return cases


# ---- TAP summary for tests/tally.py -----------------------------------------
# With JQL_PYTEST_TAP=1 (set by the meson test), one "ok"/"not ok" line per test
# is printed at the end, so the runner's tally counts pytest tests one by one.
_OUTCOMES = {}


def pytest_runtest_logreport(report):
    if not os.environ.get("JQL_PYTEST_TAP"):
        return
    prev = _OUTCOMES.get(report.nodeid, "passed")
    if report.failed:
        _OUTCOMES[report.nodeid] = "failed"
    elif report.skipped and prev != "failed":
        _OUTCOMES[report.nodeid] = "skipped"
    else:
        _OUTCOMES.setdefault(report.nodeid, prev)


def pytest_terminal_summary(terminalreporter):
    if not os.environ.get("JQL_PYTEST_TAP"):
        return
    terminalreporter.write_line(f"1..{len(_OUTCOMES)}")
    for n, (nodeid, outcome) in enumerate(_OUTCOMES.items(), 1):
        if outcome == "failed":
            terminalreporter.write_line(f"not ok {n} - {nodeid}")
        elif outcome == "skipped":
            terminalreporter.write_line(f"ok {n} - {nodeid} # SKIP")
        else:
            terminalreporter.write_line(f"ok {n} - {nodeid}")
