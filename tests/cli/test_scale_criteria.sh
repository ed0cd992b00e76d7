#!/usr/bin/env bash
# TAP checks of hostile criteria sets through the CLIs (issue 10, criteria
# side; tests/cli/test_scale.sh has the dataset side): each reproducer is
# generated here (nothing large is committed) and once took seconds to
# minutes or gigabytes; they check the answers and the errors, not the
# time. The limits are docs/CRITERIA.md, "Limits".
# Usage: test_scale_criteria.sh BUILD_ROOT
set -u

build=${1:?usage: test_scale_criteria.sh BUILD_ROOT}
score="$build/examples/jql-score"
validate="$build/examples/jql-validate"
report="$build/examples/jql-report"
. "$(dirname "${BASH_SOURCE[0]}")/scale_lib.sh"
# the python preamble of the sheets below: sheet(criteria, **top-level keys)
sheet_py='def sheet(criteria, **kw):
    doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
           "units": {"levels": ["district"]},
           "tiers": [{"id": "a", "name": "A", "min": 50}, {"id": "b", "name": "B", "min": 0}],
           "criteria": criteria}
    doc.update(kw)
    return doc
def leaf(id, mx=1):
    return {"id": id, "title": "T-" + id, "max": mx, "measure": {"kind": "event_count"},
            "method": {"type": "boolean"}}
'

echo "1..27"

# The dataset: 1,000 district units, u<i> of kind k<i % 4>, one event each
# (kind e<i % 5>)
gen "$tmp/ds.json" 'n = 1000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "root", "name": "r", "level": "province"}] +
           [{"id": "u%d" % i, "name": "x%d" % i, "level": "district", "parent": "root",
             "attributes": {"kind": "k%d" % (i % 4)}} for i in range(n)],
  "events": [{"unit": "u%d" % i, "date": "2014-02-01", "kind": "e%d" % (i % 5)} for i in range(n)]}'

# 1-3: units.levels of 300,001 levels, the scored one last (searched in
# order for every unit: 2.8 s in a release build for 1,000 units)
gen "$tmp/levels.json" "$sheet_py"'
doc = sheet([leaf("x", 100)], units={"levels": ["L%d" % i for i in range(300000)] + ["district"]})'
run "$score" "$tmp/ds.json" "$tmp/levels.json" -f csv
ok "$(is $rc 0)" "300,001 levels in units.levels: scored"
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 1000 and all(r["final"] == "100.000" for r in rows), len(rows)' "$tmp/out" 2>>"$tmp/err"; echo $?)" \
   "300,001 levels: every district unit scored, from its event"
gen "$tmp/levels-none.json" "$sheet_py"'
doc = sheet([leaf("x", 100)], units={"levels": ["L%d" % i for i in range(300000)]})'
run "$score" "$tmp/ds.json" "$tmp/levels-none.json" -f csv
ok "$([ $rc -ne 0 ] || [ "$(wc -l <"$tmp/out")" -eq 1 ]; echo $?)" "300,000 levels, none in the dataset: no unit scored"

# 4-7: not_applicable_if with 2,001-entry lists on 300 leaves (searched in
# order for every unit and leaf: 14.8 s for 5,000 leaves of 201 entries on
# 1,000 units); the same exclusions written with one-entry lists give the
# same bytes
gen "$tmp/na-long.json" "$sheet_py"'
na = {"levels": ["L%d" % j for j in range(2000)] + ["province"],
      "attribute": "kind", "in": ["v%d" % j for j in range(2000)] + ["k1"]}
doc = sheet([leaf("base", 70)] + [{**leaf("l%d" % i, 0.1), "not_applicable_if": na} for i in range(300)])'
gen "$tmp/na-short.json" "$sheet_py"'
na = {"levels": ["province"], "attribute": "kind", "in": ["k1"]}
doc = sheet([leaf("base", 70)] + [{**leaf("l%d" % i, 0.1), "not_applicable_if": na} for i in range(300)])'
run "$score" "$tmp/ds.json" "$tmp/na-long.json" -f json --evidence none -o "$tmp/na-long.out"
ok "$(is $rc 0)" "300 leaves with 4,002-entry not_applicable_if lists: scored"
run "$score" "$tmp/ds.json" "$tmp/na-short.json" -f json --evidence none -o "$tmp/na-short.out"
cmp -s "$tmp/na-long.out" "$tmp/na-short.out"
ok $? "long lists: the same document as one-entry lists"
run "$score" "$tmp/ds.json" "$tmp/na-long.json" -f csv
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 1000
for r in rows:
    i = int(r["unit_id"][1:])
    # the 300 leaves (30 points) do not apply to the units of kind k1
    assert r["applicable_max"] == ("70.000" if i % 4 == 1 else "100.000"), r' "$tmp/out" 2>>"$tmp/err"; echo $?)" \
   "long lists: the leaves are out for the units of kind k1, in for the others"
run "$report" "$tmp/ds.json" "$tmp/na-long.json" --score-sheet u1 --lang en
ok "$([ $rc -eq 0 ] && grep -q 'T-l299' "$tmp/out"; echo $?)" "jql-report score sheet with the long lists: exit 0, every leaf"

# 8: neighbouring rules whose long lists differ in their last entry only
# (rules equal to the previous node's share its hash sets)
gen "$tmp/na-alt.json" "$sheet_py"'
na = lambda k: {"attribute": "kind", "in": ["v%d" % j for j in range(2000)] + [k]}
doc = sheet([leaf("base", 70)] + [{**leaf("l%d" % i, 0.1 if i % 2 == 0 else 0.2), "not_applicable_if": na("k1" if i % 2 == 0 else "k2")}
                                  for i in range(200)])'
run "$score" "$tmp/ds.json" "$tmp/na-alt.json" -f csv
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 1000
want = {0: "100.000", 1: "90.000", 2: "80.000", 3: "100.000"}
for r in rows:
    assert r["applicable_max"] == want[int(r["unit_id"][1:]) % 4], r' "$tmp/out" 2>>"$tmp/err"; echo $?)" \
   "alternating long lists: k1 units lose the 0.1 leaves, k2 units the 0.2 ones"

# 9-14: the size of one scoring. 5,001 leaves (a 500 KB sheet) on 1,000
# units: 5,001,000 results > JQL_MAX_SCORE_RESULTS (100,000 leaves took
# 26 s and 6.3 GB with csv, JSON more than 30 s)
gen "$tmp/wide.json" "$sheet_py"'
doc = sheet([{"id": "s", "title": "s", "max": 100, "children": [leaf("l%d" % i, 0.02) for i in range(5000)]}])'
run "$score" "$tmp/ds.json" "$tmp/wide.json" -f csv
ok "$(is $rc 1)" "1,000 units x 5,001 nodes: refused (exit 1)"
ok "$(has 'wide.json: 1000 scored units x 5001 criteria, bonus and deduction items and tie-breakers exceed the limit of 5000000 results' "$tmp/err")" \
   "the message names the file, the counts and the limit"
ok "$(has 'docs/CRITERIA.md, "Limits"' "$tmp/err")" "the message names the documentation"
run "$report" "$tmp/ds.json" "$tmp/wide.json"
ok "$([ $rc -eq 1 ] && grep -q '1000 scored units x 5001' "$tmp/err"; echo $?)" "jql-report: the same error"
run "$validate" --criteria "$tmp/wide.json"
ok "$(is $rc 0)" "jql-validate: the sheet itself is valid (the limit is on a scoring)"
gen "$tmp/wide-ids.json" "$sheet_py"'
doc = sheet([{"id": "s", "title": "s", "max": 100, "children": [leaf("l%d" % i, 0.02) for i in range(5000)]}],
            units={"ids": ["u%d" % i for i in range(900)]})'
run "$score" "$tmp/ds.json" "$tmp/wide-ids.json" -f csv
ok "$([ $rc -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 901 ]; echo $?)" "the same sheet on 900 units: scored"

# 15-18: vetoes. 20,001 on 1,000 units > JQL_MAX_SCORE_VETOES (100,000
# measure vetoes took 6.6 s, JSON 14 s); 5 reasons of 60,000 bytes on
# 1,000 units > JQL_MAX_SCORE_VETO_TEXT (150 of 64 KiB: 2 GB of JSON, 6.9 s)
gen "$tmp/vetoes.json" "$sheet_py"'
doc = sheet([leaf("x", 100)], vetoes=[{"id": "v%d" % i, "reason": "r", "event_kind": "none", "cap": "b"}
                                      for i in range(20001)])'
run "$score" "$tmp/ds.json" "$tmp/vetoes.json" -f csv
ok "$([ $rc -eq 1 ] && grep -q '/vetoes: 1000 scored units x 20001 vetoes exceed the limit of 20000000' "$tmp/err"; echo $?)" \
   "1,000 units x 20,001 vetoes: refused, located at /vetoes"
gen "$tmp/reasons.json" "$sheet_py"'
doc = sheet([leaf("x", 100)], vetoes=[{"id": "v%d" % i, "reason": "r" * 60000, "event_kind": "e0", "cap": "b"}
                                      for i in range(5)])'
run "$score" "$tmp/ds.json" "$tmp/reasons.json" -f json
ok "$([ $rc -eq 1 ] && grep -q '1000 scored units x 300000 bytes of veto reasons' "$tmp/err"; echo $?)" \
   "1,000 units x 300,000 bytes of veto reasons: refused"
gen "$tmp/reasons-4.json" "$sheet_py"'
doc = sheet([leaf("x", 100)], vetoes=[{"id": "v%d" % i, "reason": "r" * 60000, "event_kind": "e0", "cap": "b"}
                                      for i in range(4)])'
run "$score" "$tmp/ds.json" "$tmp/reasons-4.json" -f csv
ok "$(is $rc 0)" "four such reasons (240,000,000 bytes repeated at most): scored"
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
fired = [r for r in rows if r["vetoes"]]
# the units with an e0 event: every fifth
assert len(fired) == 200 and all(r["vetoes"] == "v0;v1;v2;v3" and r["tier"] == "b" for r in fired)' "$tmp/out" 2>>"$tmp/err"; echo $?)" \
   "the four vetoes fire on the 200 units with an e0 event"

# 19-23: depth of the tree (the nesting depth of 32): 15 levels of nodes
# with a linear leaf, 14 with bands; one more is one located error
deep_py='def deep(k, method):
    node = {"id": "leaf", "title": "the leaf", "max": 1, "measure": {"kind": "event_count"}, "method": method}
    for i in range(k - 1):
        node = {"id": "d%d" % i, "title": "t", "max": 1, "children": [node]}
    return {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1", "scale": 1,
            "units": {"ids": ["u0"]}, "tiers": [{"id": "t", "name": "t", "min": 0}], "criteria": [node]}
'
gen "$tmp/deep15.json" "$deep_py"'
doc = deep(15, {"type": "linear", "target": 1})'
gen "$tmp/deep16.json" "$deep_py"'
doc = deep(16, {"type": "linear", "target": 1})'
gen "$tmp/bands14.json" "$deep_py"'
doc = deep(14, {"type": "bands", "bands": [{"at_least": 1, "points": 1}, {"points": 0}]})'
gen "$tmp/bands15.json" "$deep_py"'
doc = deep(15, {"type": "bands", "bands": [{"at_least": 1, "points": 1}, {"points": 0}]})'
run "$score" "$tmp/ds.json" "$tmp/deep15.json" -f csv
ok "$([ $rc -eq 0 ] && grep -q ',u0,x0,,1.000,1.000,1.000,' "$tmp/out"; echo $?)" \
   "15 levels of nodes, linear leaf: the leaf's point reaches the total"
run "$validate" --criteria "$tmp/deep16.json"
ok "$([ $rc -eq 1 ] && grep -Eq 'deep16.json:1:[0-9]+: nesting deeper than 32 levels' "$tmp/err"; echo $?)" \
   "16 levels: refused at a line and column"
run "$score" "$tmp/ds.json" "$tmp/bands14.json" -f csv
ok "$([ $rc -eq 0 ] && grep -q ',u0,x0,,1.000,1.000,1.000,' "$tmp/out"; echo $?)" "14 levels, bands leaf: scored"
run "$score" "$tmp/ds.json" "$tmp/bands15.json" -f csv
ok "$([ $rc -eq 1 ] && grep -Eq 'bands15.json:1:[0-9]+: nesting deeper than 32 levels' "$tmp/err"; echo $?)" \
   "15 levels, bands leaf: refused at a line and column"
run "$report" "$tmp/ds.json" "$tmp/deep15.json" --score-sheet u0 --lang en
ok "$([ $rc -eq 0 ] && grep -q 'the leaf' "$tmp/out"; echo $?)" "jql-report: the 15-level sheet's score sheet"

# 24-27: evidence of roll-up leaves on a chain: 26 leaves counting the
# events of a 2,000-unit chain cite 26 x 2,001,000 records (1,600 such
# leaves on a 3,000-unit chain wrote more than 19 GB of JSON in a minute)
gen "$tmp/chain.json" 'n = 2000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x%d" % i, "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})}
            for i in range(n)],
  "events": [{"unit": "u%d" % i, "date": "2014-02-01", "kind": "e"} for i in range(n)]}'
gen "$tmp/rollup.json" "$sheet_py"'
doc = sheet([{"id": "l%d" % i, "title": "t", "max": 1, "measure": {"kind": "event_count", "rollup": True},
              "method": {"type": "linear", "target": 2000}} for i in range(26)], scale=26)'
run "$score" "$tmp/chain.json" "$tmp/rollup.json" -f json
ok "$([ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q 'the results cite 52026000 evidence records, over the limit of 50000000' "$tmp/err"; echo $?)" \
   "json, evidence full: refused before writing, with the count"
run "$score" "$tmp/chain.json" "$tmp/rollup.json" -f json --evidence ids -o "$tmp/ids.json"
ok "$([ $rc -eq 1 ] && [ ! -e "$tmp/ids.json" ] && grep -q 'evidence level "none"' "$tmp/err"; echo $?)" \
   "json, evidence ids: refused, no file left, the way out named"
run "$score" "$tmp/chain.json" "$tmp/rollup.json" -f json --evidence none
ok "$("$py" -c 'import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
units = {u["id"]: u for u in doc["units"]}
assert len(units) == 2000
# u<k> counts the 2000 - k events of its subtree: 26 x (2000 - k) / 2000
assert units["u0"]["total"] == 26 and units["u1000"]["total"] == 13, units["u1000"]["total"]' "$tmp/out" 2>>"$tmp/err"; echo $?)" \
   "json, evidence none: written, every unit scored from its subtree"
run "$score" "$tmp/chain.json" "$tmp/rollup.json" -f csv
ok "$([ $rc -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 2001 ]; echo $?)" "csv: scored (no evidence)"

exit $((failed > 0))
