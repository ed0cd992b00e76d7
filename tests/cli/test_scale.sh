#!/usr/bin/env bash
# TAP checks of national-scale behaviour through the CLIs (issue 10):
# --max-input-size, streamed JSON with --evidence, and the hostile-cost
# reproducers, each generated here (nothing large is committed). Each once
# took from 16 s to minutes and now seconds; they check the answers, not
# the time (bench/ measures time). Usage: test_scale.sh BUILD_ROOT
set -u

build=${1:?usage: test_scale.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
score="$build/examples/jql-score"
validate="$build/examples/jql-validate"
report="$build/examples/jql-report"
data=${JQL_TEST_DATA:-$here/../data}
we="$data/scoring/worked-example"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
export LC_ALL=C

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { # ok CONDITION-STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        failed=$((failed + 1))
        sed 's/^/# stdout: /' "$tmp/out" 2>/dev/null | head -5
        sed 's/^/# stderr: /' "$tmp/err" 2>/dev/null | head -5
    fi
}
run() { # run PROGRAM ARGS...
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
is() { [ "$1" = "$2" ]; echo $?; }
has() { grep -q -- "$1" "$2"; echo $?; }
gen() { # gen FILE 'PYTHON' (the code builds `doc`, written as JSON)
    "$py" -c 'import json, sys
'"$2"'
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False)' "$1"
}

echo "1..34"

# 1-6: --max-input-size in every CLI
size=$(wc -c <"$we/dataset.json")
run "$validate" --max-input-size=$((size - 1)) "$we/dataset.json"
ok "$(is $rc 1)" "validate: a file over --max-input-size is refused (exit 1)"
ok "$(has 'max-input-size' "$tmp/err")" "validate: the message names the option"
run "$validate" --max-input-size "$size" "$we/dataset.json"
ok "$(is $rc 0)" "validate: the same file loads at exactly its size"
run "$score" "$we/dataset.json" "$we/criteria.json" --max-input-size=1K
ok "$(is $rc 1)" "score: the limit applies to the dataset and the criteria"
run "$report" --max-input-size=1k "$we/dataset.json"
ok "$(is $rc 1)" "report: the limit applies"
run "$score" "$we/dataset.json" "$we/criteria.json" --max-input-size=12x
ok "$(is $rc 2)" "score: a malformed size is a usage error"

# 7-11: streamed JSON at each evidence level
run "$score" "$we/dataset.json" "$we/criteria.json" -f json --evidence full
cmp -s "$tmp/out" "$we/expected.json"
ok $? "json --evidence full: identical to expected.json"
run "$score" "$we/dataset.json" "$we/criteria.json" -f json --evidence ids -o "$tmp/ids.json"
ok "$(is $rc 0)" "json --evidence ids -o: exit 0"
"$py" - "$tmp/ids.json" "$we/expected.json" "$we/dataset.json" <<'EOF'
import json, sys
ids, full, ds = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
assert ids["evidence_level"] == "ids"
def at(doc, ptr):
    for tok in ptr.strip("/").split("/"):
        doc = doc[int(tok)] if isinstance(doc, list) else doc[tok]
    return doc
n = 0
for ui, uf in zip(ids["units"], full["units"]):
    for ni, nf in zip(ui["nodes"], uf["nodes"]):
        assert len(ni["evidence"]) == len(nf["evidence"])
        for p, e in zip(ni["evidence"], nf["evidence"]):
            rec = at(ds, p)
            key = "id" if e["kind"] in ("task", "directive") else "unit"
            assert rec[key] == e[key], (p, rec, e)
            n += 1
    # everything but the evidence is the same
    strip = lambda u: {k: v for k, v in u.items() if k != "nodes"}
    assert strip(ui) == strip(uf)
assert n > 0
EOF
ok $? "json --evidence ids: pointers name the records the full level shows"
run "$score" "$we/dataset.json" "$we/criteria.json" -f json --evidence none
ok "$(has '"evidence_level": "none"' "$tmp/out")" "json --evidence none: says so"
ok "$(grep -q '"evidence":' "$tmp/out"; [ $? -ne 0 ]; echo $?)" "json --evidence none: no evidence member"

# 12-14: jql-validate --summary, 200,000 units with distinct levels
gen "$tmp/levels.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "L%d" % i} for i in range(200000)]}'
run "$validate" --summary "$tmp/levels.json"
ok "$(is $rc 0)" "summary of 200,000 distinct levels: exit 0"
ok "$(has '200000 units' "$tmp/out")" "summary: every unit counted"
ok "$(has ' 1 L199999' "$tmp/out")" "summary: the last level, in first-seen order"

# 15-17: 120,000 custom periods, statistics in each, scored over the year
# (no two with the same dates: a second statistic over the same dates is an
# error, docs/SCORING.md; some end after 2014 and do not count)
gen "$tmp/periods.json" 'import datetime
n = 120000
day = lambda k: (datetime.date(2014, 1, 1) + datetime.timedelta(days=k)).isoformat()
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u", "name": "x", "level": "district"}],
  "periods": [{"id": "p%d" % i, "start": day(i % 365), "end": day(i % 365 + i // 365)} for i in range(n)],
  "indicators": [{"id": "i", "name": "i"}],
  "statistics": [{"unit": "u", "indicator": "i", "period": "p%d" % i, "value": 1} for i in range(n)]}'
gen "$tmp/periods-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "v", "title": "v", "max": 100, "measure": {"kind": "indicator_value", "indicator": "i"},
                "method": {"type": "linear", "target": 100}}]}'
run "$validate" "$tmp/periods.json"
ok "$(is $rc 0)" "120,000 custom periods: valid"
run "$score" "$tmp/periods.json" "$tmp/periods-crit.json" -f csv
ok "$(is $rc 0)" "120,000 custom periods: scored"
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 1 and rows[0]["unit_id"] == "u" and float(rows[0]["final"]) > 0, rows' "$tmp/out" 2>>"$tmp/err"; echo $?)" "120,000 custom periods: the unit scores from its statistics"

# 18-21: 10,000 units x 400 manual leaves; jql-report compares every unit
# with the others' mean (once quadratic)
gen "$tmp/wide.json" 'import random
random.seed(4)
n = 10000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "root", "name": "So", "level": "province"}] +
           [{"id": "u%d" % i, "name": "x%d" % i, "level": "district", "parent": "root"} for i in range(n)],
  "assessments": [{"unit": "u%d" % i, "period": "2014", "criterion": "m0-%d" % (i % 20), "appraised": (i % 5) / 10}
                  for i in range(n)]}'
gen "$tmp/wide-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "s%d" % s, "title": "s", "max": 5, "children": [
     {"id": "m%d-%d" % (s, l), "title": "m", "max": 0.25, "method": {"type": "manual"}} for l in range(20)]}
   for s in range(20)]}'
run "$score" "$tmp/wide.json" "$tmp/wide-crit.json" -f csv
ok "$(is $rc 0)" "10,000 units x 400 manual leaves: scored"
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 10000
rows = [r for r in rows]
# the one appraised leaf of each unit gives its points: (i % 5) / 10, at most 0.25
best = [r for r in rows if r["final"] == "0.250"]
assert len(best) == 4000, len(best)' "$tmp/out" 2>>"$tmp/err"; echo $?)" "10,000 x 400: points from each unit's own assessment"
run "$report" "$tmp/wide.json" "$tmp/wide-crit.json" --lang en
ok "$(is $rc 0)" "jql-report, 10,000 units x 400 leaves: exit 0"
ok "$(has 'u9999\|x9999' "$tmp/out")" "jql-report: covers the last unit"

# 22-24: a 4,000-unit chain with 2,000 roll-up vetoes on one measure
gen "$tmp/chain.json" 'n = 4000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "reports": [{"unit": "u%d" % i, "period": "2014-Q1", "kind": "statistics", "due": "2014-04-10",
               "submitted": "2014-04-1%d" % ((n - 1 - i) % 10), "complete": True} for i in range(n)]}'
gen "$tmp/vetoes.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "a", "min": 50}, {"id": "b", "name": "b", "min": 0}],
  "criteria": [{"id": "x", "title": "x", "max": 100, "measure": {"kind": "report_share_on_time"},
                "method": {"type": "linear", "target": 100}}],
  "vetoes": [{"id": "v%d" % i, "reason": "r", "measure": {"kind": "report_days_late_worst", "rollup": True},
              "above": 3 + (i % 7), "cap": "b"} for i in range(2000)]}'
run "$score" "$tmp/chain.json" "$tmp/vetoes.json" -f csv
ok "$(is $rc 0)" "4,000-unit chain, 2,000 roll-up vetoes: scored"
# unit k is 3999-k days late (mod 10), so its subtree's worst is
# min(9, 3999-k): u3996 (3) fires no veto ("above 3" at least), u3995 (4) does
ok "$("$py" -c 'import csv, sys
rows = {r["unit_id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
assert len(rows) == 4000
assert rows["u3999"]["vetoes"] == rows["u3996"]["vetoes"] == "", rows["u3996"]
assert rows["u3995"]["vetoes"] != "" and rows["u0"]["vetoes"] != ""' "$tmp/out" 2>>"$tmp/err"; echo $?)" "roll-up vetoes fire by subtree"
run "$score" "$tmp/chain.json" "$tmp/vetoes.json" -f json --evidence none -o "$tmp/chain-out.json"
ok "$(is $rc 0)" "chain: json written"

# 25-26: the hash is keyed per process: two runs give the same output
run "$score" "$we/dataset.json" "$we/criteria.json" -f json
cp "$tmp/out" "$tmp/run1"
run "$score" "$we/dataset.json" "$we/criteria.json" -f json
cmp -s "$tmp/out" "$tmp/run1"
ok $? "same input, same bytes across processes (keyed hash)"
ok "$(is $rc 0)" "second run exit 0"

# 27: a 20,000-unit chain scored with one roll-up leaf (29 s and 1.56 GB
# once; 5.66 GB with --format json; 8.8 s while each unit still walked its
# subtree). Subtree summaries are now summed once, bottom-up, and each
# unit's evidence is a run of its parent's.
gen "$tmp/chain20k.json" 'n = 20000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "reports": [{"unit": "u%d" % i, "period": "2014-Q1", "kind": "statistics", "due": "2014-04-10",
               "submitted": "2014-04-%02d" % (10 - (i % 2)), "complete": True} for i in range(n)]}'
gen "$tmp/rollup.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "x", "title": "x", "max": 100, "measure": {"kind": "report_share_on_time", "rollup": True},
                "method": {"type": "linear", "target": 100}}]}'
run "$score" "$tmp/chain20k.json" "$tmp/rollup.json" -f csv
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 20000 and all(r["final"] == "100.000" for r in rows)' "$tmp/out" 2>>"$tmp/err"; echo $?)" "20,000-unit chain with one roll-up leaf: scored"

# 28-29: shared evidence is still each unit's own subtree, whether the
# records were added top-down (a unit's list is its parent's tail) or
# bottom-up (its head)
for order in down up; do
    gen "$tmp/chain-$order.json" 'n, up = 300, "'$order'" == "up"
units = [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)]
idx = range(n - 1, -1, -1) if up else range(n)
doc = {"format": "justice-quarterly/dataset 1.0", "units": units,
  "reports": [{"unit": "u%d" % i, "period": "2014-Q1", "kind": "statistics", "due": "2014-04-10",
               "submitted": "2014-04-10", "complete": True} for i in idx]}'
    run "$score" "$tmp/chain-$order.json" "$tmp/rollup.json" -f json --evidence ids
    ok "$("$py" -c 'import json, sys
doc, ds = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
where = {r["unit"]: "/reports/%d" % k for k, r in enumerate(ds["reports"])}
for u in doc["units"]:
    k = int(u["id"][1:])
    want = sorted((where["u%d" % i] for i in range(k, 300)), key=lambda p: int(p.split("/")[2]))
    assert u["nodes"][0]["evidence"] == want, (u["id"], u["nodes"][0]["evidence"][:3], want[:3])' "$tmp/out" "$tmp/chain-$order.json" 2>>"$tmp/err"; echo $?)" "roll-up chain, records added $order: each unit cites exactly its subtree"
done

# 30-31: a 4,000-unit chain with 2,000 roll-up vetoes on 2,000 distinct
# report kinds (no two vetoes measure the same thing: 238 s while each
# veto walked each unit's subtree). Unit i has one report of kind
# k(i mod 2000), (3999 - i) mod 10 days late.
gen "$tmp/chain-kinds.json" 'n = 4000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "reports": [{"unit": "u%d" % i, "period": "2014-Q1", "kind": "k%d" % (i % 2000), "due": "2014-04-10",
               "submitted": "2014-04-1%d" % ((n - 1 - i) % 10), "complete": True} for i in range(n)]}'
gen "$tmp/vetoes-kinds.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "a", "min": 50}, {"id": "b", "name": "b", "min": 0}],
  "criteria": [{"id": "x", "title": "x", "max": 100, "measure": {"kind": "report_share_on_time"},
                "method": {"type": "linear", "target": 100}}],
  "vetoes": [{"id": "v%d" % i, "reason": "r", "measure": {"kind": "report_days_late_worst", "rollup": True,
              "report_kind": "k%d" % i}, "above": 3, "cap": "b"} for i in range(2000)]}'
run "$score" "$tmp/chain-kinds.json" "$tmp/vetoes-kinds.json" -f csv
ok "$(is $rc 0)" "4,000-unit chain, 2,000 roll-up vetoes on distinct kinds: scored"
# veto j fires for unit k when a unit i >= k (its subtree) with
# i mod 2000 = j is more than 3 days late
ok "$("$py" -c 'import csv, sys
rows = {r["unit_id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
assert len(rows) == 4000
fired = set()
for k in range(3999, -1, -1):
    if (3999 - k) % 10 > 3:
        fired.add(k % 2000)
    want = ";".join("v%d" % j for j in sorted(fired))
    assert rows["u%d" % k]["vetoes"] == want, (k, rows["u%d" % k]["vetoes"][:80], want[:80])
    if fired:
        assert rows["u%d" % k]["tier"] == "b", k' "$tmp/out" 2>>"$tmp/err"; echo $?)" "distinct roll-up vetoes fire by each unit's subtree"

# 32-34: 65,536 unit ids crafted to collide under the unseeded 64-bit
# FNV-1a the maps once used: all hash to the same low 24 bits, so all
# started at one slot and probed linearly (7.8 s to validate against
# 0.7 s for random ids of the same length, in that code). The maps now use
# SipHash keyed per process, so these ids are ordinary. fnv_collide.py
# says how they are made and checks the collision itself.
"$py" "$here/fnv_collide.py" 65536 >"$tmp/ids.txt"
ok $? "65,536 ids colliding under the old FNV-1a: generated"
gen "$tmp/collide.json" 'ids = open(sys.argv[1].replace("collide.json", "ids.txt"), encoding="utf-8").read().split()
assert len(ids) == 65536 == len(set(ids))
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": i, "name": "x", "level": "district"} for i in ids]}'
run "$validate" "$tmp/collide.json"
ok "$(has 'valid: 65536 units' "$tmp/out")" "colliding ids: valid, every unit counted"
# the map still tells them apart: the last id again is a duplicate
gen "$tmp/collide-dup.json" 'ids = open(sys.argv[1].replace("collide-dup.json", "ids.txt"), encoding="utf-8").read().split()
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": i, "name": "x", "level": "district"} for i in ids + ids[-1:]]}'
run "$validate" "$tmp/collide-dup.json"
ok "$([ $rc -eq 1 ] && grep -q '/units/65536' "$tmp/err" && grep -q -- "$(tail -1 "$tmp/ids.txt")" "$tmp/err"; echo $?)" "colliding ids: the repeated last id is reported at /units/65536"

[ "$failed" -eq 0 ]
