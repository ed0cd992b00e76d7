#!/usr/bin/env bash
# TAP checks of the ninth hostile-cost sweep (issue 10: a dataset or
# criteria file of at most 10 MB must take no more than a few seconds or
# a few hundred MB in any CLI): the roll-up summaries' memory. Inputs are
# generated here; each command runs under `timeout 60` (scale_lib.sh,
# times JQL_SCALE_SLOWDOWN) and its peak RSS is bounded except in a
# sanitizer build (ASan's shadow memory and quarantine are no measure of
# the library's).
# Usage: test_scale_nine.sh BUILD_ROOT
set -u

build=${1:?usage: test_scale_nine.sh BUILD_ROOT}
score="$build/examples/jql-score"
run_limit=60 # seconds (scale_lib.sh)
. "$(dirname "${BASH_SOURCE[0]}")/scale_lib.sh"

sanitized=0
if [ "${JQL_SCALE_SLOWDOWN:-1}" -gt 1 ] || ldd "$score" 2>/dev/null | grep -q 'libasan\|libubsan'; then
    sanitized=1
fi
under() { # under LIMIT_KB: the last peak_run's peak within it (always, sanitized or not measured)
    [ "$sanitized" -eq 1 ] || [ "$peak" -eq 0 ] || [ "$peak" -lt "$1" ]
}

echo "1..4"

# 1-4: a 4,000-unit chain (each unit the child of the one before), 20,000
# tasks of 1,000 fields spread over it, every unit scored under 1,000
# roll-up leaves of distinct fields (2.9 MB of input). The summaries kept
# while scoring were allowed twice the results' bytes: the results are
# 256 MB and the summaries 448 MB, 759 MB of peak RSS with evidence (-f
# json --evidence ids), 702 MB without (-f csv). A roll-up of a task field
# past the budget reads only the units holding the field, so those
# summaries now take what the results leave of 256 MB, 64 MB at least
# (score_rollup.h, ROLLUP_OWNED_MIN): 355 and 330 MB, in the same time.
# Unit k's leaf f is 0.1 x the share completed of the field's tasks owned
# at k or below, missing as zero.
gen "$tmp/fields.json" 'n = 4000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": chain(n),
  "tasks": [dict({"id": "t%d" % j, "title": "t", "units": ["u%d" % ((j * 37) % n)], "field": "f%d" % (j % 1000),
                  "due": "2014-03-01", "status": "done" if j % 3 else "pending"},
                 **({"completed": "2014-02-01"} if j % 3 else {})) for j in range(20000)]}'
gen "$tmp/fields-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "a", "name": "A", "min": 0}],
  "criteria": [{"id": "l%d" % i, "title": "l", "max": 0.1, "method": {"type": "linear", "target": 100},
                "measure": {"kind": "task_share_completed", "field": "f%d" % i, "rollup": True}} for i in range(1000)]}'
peak_run "$score" -f csv "$tmp/fields.json" "$tmp/fields-crit.json" -o "$tmp/fields.csv"
csv_peak=$peak
ok "$([ "$rc" -eq 0 ] && "$py" -c 'import csv, json, sys
data = json.load(open(sys.argv[2], encoding="utf-8"))
n = len(data["units"])
own = [[] for _ in range(n)]
for t in data["tasks"]:
    own[int(t["units"][0][1:])].append((int(t["field"][1:]), t["status"] == "done"))
done, due = [0] * 1000, [0] * 1000
def milli(d, a): # 0.1 x 100 x d / a in thousandths, half away from zero
    return (200 * d + a) // (2 * a) if a else 0
total, want = 0, [0] * n
for k in range(n - 1, -1, -1): # unit k: its own tasks and those below
    for f, ok_ in own[k]:
        total -= milli(done[f], due[f])
        done[f] += ok_
        due[f] += 1
        total += milli(done[f], due[f])
    want[k] = total
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == n
asc = sorted(want)
import bisect
for r in rows: # the rank: one more than the units scoring higher
    k = int(r["unit_id"][1:])
    assert r["final"] == "%d.%03d" % divmod(want[k], 1000), (k, r["final"], want[k])
    assert int(r["rank"]) == n - bisect.bisect_right(asc, want[k]) + 1, (k, r["rank"])' "$tmp/fields.csv" "$tmp/fields.json"; echo $?)" \
   "4,000-unit chain, 1,000 roll-up leaves of distinct fields, -f csv: every unit's final and rank"
ok "$(under 450000; echo $?)" \
   "the same, -f csv: under 450 MB of peak RSS (330 MB in a release build, 702 MB before; $csv_peak KB)"
# with evidence kept (the summaries' runs cite each subtree once): the
# output, about 450 MB, is not kept
peak_run "$score" -f json --evidence ids "$tmp/fields.json" "$tmp/fields-crit.json" -o /dev/null
ids_peak=$peak
ok "$(is "$rc" 0)" "the same, -f json --evidence ids: exit 0"
ok "$(under 450000; echo $?)" \
   "the same, -f json --evidence ids: under 450 MB of peak RSS (355 MB in a release build, 759 MB before; $ids_peak KB)"
