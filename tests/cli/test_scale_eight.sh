#!/usr/bin/env bash
# TAP checks of the eighth hostile-cost sweep (issue 10): jql-score's
# analysis modes, jql-report, jql-validate, CSV import and xlsx output on
# hostile inputs. Inputs are generated here. They check answers, not time;
# each command runs under `timeout 60` (scale_lib.sh), and where the old
# cost was bounded by a limit (so no input within it could outlast the
# timeout) a count that does not depend on the machine's load shows it.
# Usage: test_scale_eight.sh BUILD_ROOT
set -u

build=${1:?usage: test_scale_eight.sh BUILD_ROOT}
score="$build/examples/jql-score"
run_limit=60 # seconds (scale_lib.sh)
. "$(dirname "${BASH_SOURCE[0]}")/scale_lib.sh"

echo "1..3"

# 1-3: --periods over 64 quarters of 100 units x 6,002 criteria (600,200
# results a period, within the share of 625,000 the 64 periods each get).
# Every period's results were mapped afresh and freed after its row was
# taken: 64 x 38 MB of fresh pages, which on this project's VM cost four
# times the scoring (these 1 MB of inputs: 6.4 s of CPU, 600,000 page
# faults, now 1.4 s; the results limit bounds it, so no timeout catches
# it, and a count of page faults shows it instead). Each period now
# writes into the arrays of the one before (trend.c, jql_results_spare).
# Unit i in quarter k measures (i + k) % 50 of 50 on a 40-point leaf and
# has the 60 points of 6,000 manual leaves missing as full: final
# 60 + 0.8 x ((i + k) % 50), tier a from 90.
gen "$tmp/q64.json" 'q = ["%d-Q%d" % (y, k) for y in range(2000, 2016) for k in range(1, 5)]
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "r", "name": "r", "level": "province"}] +
           [{"id": "u%d" % i, "name": "x%d" % i, "level": "district", "parent": "r"} for i in range(100)],
  "indicators": [{"id": "i", "name": "i"}],
  "statistics": [{"unit": "u%d" % i, "indicator": "i", "period": p, "value": (i + k) % 50}
                 for i in range(100) for k, p in enumerate(q)]}'
gen "$tmp/q64-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "A", "min": 90}, {"id": "b", "name": "B", "min": 0}],
  "criteria": [{"id": "v", "title": "v", "max": 40, "measure": {"kind": "indicator_value", "indicator": "i"},
                "method": {"type": "linear", "target": 50}},
               {"id": "m", "title": "m", "max": 60, "children": [{"id": "m%d" % j, "title": "m", "max": 0.01,
                 "method": {"type": "manual"}, "missing": "full"} for j in range(6000)]}]}'
q64=$("$py" -c 'print(",".join("%d-Q%d" % (y, k) for y in range(2000, 2016) for k in range(1, 5)))')
faults=0
if [ "$timed" -eq 1 ]; then
    run /usr/bin/time -o "$tmp/faults" -f %R "$score" "$tmp/q64.json" "$tmp/q64-crit.json" --periods="$q64" -f json -o "$tmp/q64-out.json"
    faults=$(tail -1 "$tmp/faults")
else
    run "$score" "$tmp/q64.json" "$tmp/q64-crit.json" --periods="$q64" -f json -o "$tmp/q64-out.json"
fi
ok "$(is $rc 0)" "--periods of 64 quarters, 100 units x 6,002 criteria: exit 0"
ok "$(check 'import json, sys
from decimal import Decimal
doc = json.load(open(sys.argv[1], encoding="utf-8"), parse_float=Decimal)
q = ["%d-Q%d" % (y, k) for y in range(2000, 2016) for k in range(1, 5)]
assert doc["periods"] == q, doc["periods"][:3]
units = {u["id"]: u["periods"] for u in doc["units"]}
assert sorted(units) == sorted("u%d" % i for i in range(100)), len(units)
for i in range(100):
    rows = units["u%d" % i]
    assert [r["period"] for r in rows] == q, i
    for k, r in enumerate(rows):
        want = 60 + Decimal("0.8") * ((i + k) % 50)
        assert r["final"] == want, (i, k, r, want)
        assert r["tier"] == ("a" if want >= 90 else "b"), (i, k, r)
        assert r["rank"] == 1 + sum(60 + Decimal("0.8") * ((j + k) % 50) > want for j in range(100)), (i, k, r)' "$tmp/q64-out.json")" \
   "--periods of 64 quarters: every unit final, tier and rank in every quarter"
# one period's arrays are 600,200 x 64 bytes, 9,400 pages: scored into
# fresh ones each time, the 64 periods take 600,000 faults; reused, the
# whole run takes 12,000 (the dataset, one period's arrays and the JSON)
ok "$([ "$faults" -lt 150000 ]; echo $?)" \
   "--periods of 64 quarters: each period writes into the arrays of the one before ($faults page faults)"

exit $((failed > 0))
