"""TAP summary of the differential tests for tests/tally.py (see tests/python/conftest.py).

With JQL_PYTEST_TAP=1 (set by the meson test), one "ok"/"not ok" line per test
is printed at the end, so the runner's tally counts pytest tests one by one.
"""

import os

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
