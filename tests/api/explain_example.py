#!/usr/bin/env python3
"""examples/explain prints, from the results' accessors only, what the results
document says about each criterion of a unit.

Usage: explain_example.py EXPLAIN JQL_SCORE DATASET CRITERIA [DATASET CRITERIA]...
For every pair and every unit, runs `explain DATASET CRITERIA UNIT`
and compares each block with the unit's nodes in `jql-score -f json` (read
here with Python's json module); then one node alone, and an unknown unit
and node (exit status 1). TAP output.
"""

import json
import subprocess
import sys

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}")
    if not ok and detail:
        for line in str(detail).splitlines()[-20:]:
            print(f"# {line}")


def num(v):
    """A JSON number the way the document wrote it (3 decimals)."""
    return f"{v:.3f}"


def record(ev):
    keys = ["id", "unit", "period", "report_kind", "indicator", "criterion", "event_kind"]
    parts = [ev["kind"]] + [f"{k}={ev[k]}" for k in keys if k in ev]
    if "value" in ev:
        parts.append(f"value={num(ev['value'])}")
    if "date" in ev:
        parts.append(f"date={ev['date']}")
    return "    " + " ".join(parts)


def expected(doc, unit, only=None):
    tiers = {t["id"]: t["name"] for t in doc["tiers"]}
    lines = [f"{unit['id']} ({unit['name']}): final {num(unit['final'])}, "
             f"tier {tiers[unit['tier']]}"]
    for node in unit["nodes"]:
        if only is not None and node["id"] != only:
            continue
        if node["value"] is not None:
            measured = num(node["value"])
        elif node["never_submitted"]:
            measured = "never submitted"
        elif node["no_data"]:
            measured = "no data"
        else:
            measured = "none"
        lines += [
            f"Why did {unit['id']} get {num(node['points'])} of {num(node['max'])} "
            f"on criterion {node['id']}?",
            f"  rule: {node['rule']}",
            f"  source: {node['source']}",
            f"  measured: {measured}",
            f"  self-assessed: {'none' if node['self'] is None else num(node['self'])}",
            f"  appraised: {'none' if node['appraised'] is None else num(node['appraised'])}",
            f"  evidence: {len(node['evidence'])}",
        ] + [record(ev) for ev in node["evidence"]]
    return lines


def diff(got, want):
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return f"line {i + 1}:\n got: {g}\nwant: {w}"
    return f"{len(got)} lines, {len(want)} wanted"


def main():
    explain, score = sys.argv[1:3]
    pairs = list(zip(sys.argv[3::2], sys.argv[4::2]))
    print(f"1..{2 * len(pairs) + 3}")
    for dataset, sheet in pairs:
        out = subprocess.run([score, "-f", "json", dataset, sheet], capture_output=True,
                             text=True)
        doc = json.loads(out.stdout)
        bad = []
        for unit in doc["units"]:
            run = subprocess.run([explain, dataset, sheet, unit["id"]], capture_output=True,
                                 text=True)
            got, want = run.stdout.splitlines(), expected(doc, unit)
            if run.returncode != 0 or got != want:
                bad.append(f"{unit['id']}: exit {run.returncode} {run.stderr} {diff(got, want)}")
        check(f"{sheet}: every node of all {len(doc['units'])} units as the document says",
              not bad and doc["units"], "\n".join(bad))
        # the last unit's node with the most evidence
        unit = doc["units"][-1]
        leaf = max(unit["nodes"], key=lambda n: len(n["evidence"]))
        run = subprocess.run([explain, dataset, sheet, unit["id"], leaf["id"]],
                             capture_output=True, text=True)
        check(f"{sheet}: one criterion ({unit['id']} {leaf['id']}) alone",
              run.returncode == 0 and run.stdout.splitlines() == expected(doc, unit, leaf["id"]),
              run.stdout + run.stderr)
    dataset, sheet = pairs[0]
    run = subprocess.run([explain, dataset, sheet, "no-such-unit"], capture_output=True,
                         text=True)
    check("an unknown unit: exit status 1 and a message",
          run.returncode == 1 and "no-such-unit" in run.stderr, run.stderr)
    first = json.loads(subprocess.run([score, "-f", "json", dataset, sheet],
                                      capture_output=True, text=True).stdout)["units"][0]["id"]
    run = subprocess.run([explain, dataset, sheet, first, "no-such-node"],
                         capture_output=True, text=True)
    check("an unknown criterion: exit status 1 and a message",
          run.returncode == 1 and "no-such-node" in run.stderr, run.stderr)
    run = subprocess.run([explain, dataset + ".missing", sheet, first], capture_output=True,
                         text=True)
    check("a dataset that does not load: exit status 2 and a message",
          run.returncode == 2 and ".missing" in run.stderr, run.stderr)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
