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

echo "1..8"

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

# 4-6: 20,000 vetoes and 100 bonus items on distinct event kinds, 1,000
# units of 40 events over 16 years, scored for 64 quarters. Every veto and
# item queried each unit's events for its kind (20 million queries a
# period, each reading the unit's 40 events: 1.25 s of CPU a period, 80 s
# for the 64, past 120 s on this VM under load; now 1.5 s in all; the
# results JSON of 4 quarters the same bytes). Now a unit's events in the
# period are counted by kind once, only the vetoes of kinds it has are
# fired (in veto order) and an item of a kind it lacks is not queried
# (score.c, plan_event_kinds). Event j of unit i: kind
# k<(7919 i + 104729 j) % 50,000>, dated (13 i + 97 j) % 5,844 days after
# 2000-01-01, 1 point; vetoes on k0..k19999 cap at tier b; bonus items on
# k20000..k20099; the manual leaf scores 0, so final = the items met.
gen "$tmp/ek.json" 'import datetime
day = lambda k: (datetime.date(2000, 1, 1) + datetime.timedelta(days=k)).isoformat()
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "r", "name": "r", "level": "province"}] +
           [{"id": "u%d" % i, "name": "x%d" % i, "level": "district", "parent": "r"} for i in range(1000)],
  "events": [{"unit": "u%d" % i, "date": day((13 * i + 97 * j) % 5844), "kind": "k%d" % ((7919 * i + 104729 * j) % 50000),
              "points": 1} for i in range(1000) for j in range(40)]}'
gen "$tmp/ek-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "A", "min": 1}, {"id": "b", "name": "B", "min": 0}],
  "criteria": [{"id": "m", "title": "m", "max": 100, "method": {"type": "manual"}, "missing": "zero"}],
  "vetoes": [{"id": "v%d" % j, "reason": "v", "event_kind": "k%d" % j, "cap": "b"} for j in range(20000)],
  "bonus": {"items": [{"id": "b%d" % j, "title": "b", "max": 1, "source": "events", "event_kind": "k%d" % (20000 + j)}
                      for j in range(100)]}}'
run "$score" "$tmp/ek.json" "$tmp/ek-crit.json" --periods="$q64" --allow-empty -f json -o "$tmp/ek-out.json"
ok "$(is $rc 0)" "--periods of 64 quarters, 1,000 units under 20,000 event vetoes and 100 event items: exit 0"
ok "$(check 'import json, sys, datetime
from decimal import Decimal
doc = json.load(open(sys.argv[1], encoding="utf-8"), parse_float=Decimal)
q = ["%d-Q%d" % (y, k) for y in range(2000, 2016) for k in range(1, 5)]
def quarter(d):
    d = datetime.date(2000, 1, 1) + datetime.timedelta(days=d)
    return "%d-Q%d" % (d.year, (d.month - 1) // 3 + 1)
units = {u["id"]: {r["period"]: r for r in u["periods"]} for u in doc["units"]}
assert len(units) == 1000, len(units)
for i in range(1000):
    kinds = {}
    for j in range(40):
        kinds.setdefault(quarter((13 * i + 97 * j) % 5844), set()).add((7919 * i + 104729 * j) % 50000)
    for p in q:
        ks = kinds.get(p, set())
        final = sum(20000 <= k < 20100 for k in ks)
        r = units["u%d" % i][p]
        assert r["final"] == final, (i, p, r, final)
        assert r["tier"] == ("b" if any(k < 20000 for k in ks) or final == 0 else "a"), (i, p, r, sorted(ks))' "$tmp/ek-out.json")" \
   "--periods of 64 quarters under 20,000 event vetoes: every unit final (its items met) and tier (vetoed or not) in every quarter"
run "$score" "$tmp/ek.json" "$tmp/ek-crit.json" -p 2014-Q2 -f csv
ok "$([ "$rc" -eq 0 ] && "$py" -c 'import csv, sys, datetime
def quarter(d):
    d = datetime.date(2000, 1, 1) + datetime.timedelta(days=d)
    return "%d-Q%d" % (d.year, (d.month - 1) // 3 + 1)
rows = {r["unit_id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
assert len(rows) == 1000, len(rows)
for i in range(1000):
    ks = sorted((7919 * i + 104729 * j) % 50000 for j in range(40) if quarter((13 * i + 97 * j) % 5844) == "2014-Q2")
    r = rows["u%d" % i]
    assert r["vetoes"] == ";".join("v%d" % k for k in ks if k < 20000), (i, r["vetoes"], ks)
    assert r["bonus"] == "%d.000" % sum(20000 <= k < 20100 for k in ks), (i, r["bonus"], ks)' "$tmp/out"; echo $?)" \
   "one quarter, -f csv: each unit's fired vetoes in veto order and its bonus"

# 7-8: the tie-breakers' keys too (one per unit and tie-breaker, zeroed
# for each period; past glibc's 32 MB they were mapped afresh each time):
# 2,000 units under 1,500 tie-breakers, the 8 quarters of 2014-2015, 72 MB
# of keys a period (9 periods of 4,000 units x 1,000 tie-breakers,
# hostile_shapes tiebreakers: 6.5 s of CPU, now 2.3 s). Unit i has
# (i + n) % 5 events in the n-th quarter; every unit's final is 100 and
# the tie-breakers (event count, fewest first) rank it.
gen "$tmp/tb.json" 'import datetime
q = [(y, k) for y in (2014, 2015) for k in range(4)]
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "r", "name": "r", "level": "province"}] +
           [{"id": "u%d" % i, "name": "x%d" % i, "level": "district", "parent": "r"} for i in range(2000)],
  "events": [{"unit": "u%d" % i, "date": datetime.date(y, 3 * k + 1, 1 + e).isoformat(), "kind": "e"}
             for i in range(2000) for n, (y, k) in enumerate(q) for e in range((i + n) % 5)]}'
gen "$tmp/tb-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "A", "min": 50}, {"id": "b", "name": "B", "min": 0}],
  "criteria": [{"id": "m", "title": "m", "max": 100, "method": {"type": "manual"}, "missing": "full"}],
  "tie_breakers": [{"by": "measure", "measure": {"kind": "event_count"}, "order": "asc"}] * 1500}'
q8=2014-Q1,2014-Q2,2014-Q3,2014-Q4,2015-Q1,2015-Q2,2015-Q3,2015-Q4
faults=0
if [ "$timed" -eq 1 ]; then
    run /usr/bin/time -o "$tmp/faults" -f %R "$score" "$tmp/tb.json" "$tmp/tb-crit.json" --periods="$q8" --allow-empty -f json -o "$tmp/tb-out.json"
    faults=$(tail -1 "$tmp/faults")
else
    run "$score" "$tmp/tb.json" "$tmp/tb-crit.json" --periods="$q8" --allow-empty -f json -o "$tmp/tb-out.json"
fi
ok "$([ "$rc" -eq 0 ] && "$py" -c 'import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
q = ["%d-Q%d" % (y, k) for y in (2014, 2015) for k in range(1, 5)]
units = {u["id"]: {r["period"]: r for r in u["periods"]} for u in doc["units"]}
assert len(units) == 2000, len(units)
for n, p in enumerate(q):
    count = [(i + n) % 5 for i in range(2000)]
    for i in range(2000):
        r = units["u%d" % i][p]
        assert r["final"] == 100 and r["tier"] == "a", (i, p, r)
        assert r["rank"] == 1 + sum(c < count[i] for c in count), (i, p, r, count[i])' "$tmp/tb-out.json"; echo $?)" \
   "--periods of 8 quarters under 1,500 tie-breakers: every unit ranked by its events in every quarter"
# a period's keys are 3,000,000 x 24 bytes, 17,600 pages: 284,000 faults
# when each period took fresh ones, 38,000 now
ok "$([ "$faults" -lt 100000 ]; echo $?)" \
   "--periods under 1,500 tie-breakers: each period writes into the keys of the one before ($faults page faults)"

exit $((failed > 0))
