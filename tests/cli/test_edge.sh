#!/usr/bin/env bash
# TAP checks of the clarified edge rules and the no-silent-wrong-answer
# checks through the example programs, on tests/data/edge/ (the fixtures the
# C, Python and Lua tests read). Usage: test_edge.sh BUILD_ROOT
set -u

build=${1:?usage: test_edge.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
score="$build/examples/jql-score"
validate="$build/examples/jql-validate"
report="$build/examples/jql-report"
data=${JQL_TEST_DATA:-$here/../data}
edge="$data/edge"
. "$here/tap_lib.sh"
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
is() { [ "$1" = "$2" ]; echo $?; }
has() { grep -q -- "$1" "$2"; echo $?; }
# pts DIR 'UNIT NODE EXPECTED ...': points of nodes in jql-score's JSON
pts() {
    local dir=$1; shift
    "$score" -f json "$edge/$dir/dataset.json" "$edge/$dir/criteria.json" >"$tmp/out" 2>"$tmp/err" || return 1
    "$py" -c 'import sys, json, decimal
doc = json.load(open(sys.argv[1]), parse_float=decimal.Decimal)
got = {}
for u in doc["units"]:
    for k in ("total", "deductions", "final", "normalized"):
        got[(u["id"], k)] = u[k]
    for x in u["nodes"] + u["deduction_items"]:
        got[(u["id"], x["id"])] = x["points"] if x.get("applicable", True) else "n/a"
want = sys.argv[2].split()
bad = [(want[i], want[i + 1], str(got.get((want[i], want[i + 1]))), want[i + 2])
       for i in range(0, len(want), 3)
       if str(got.get((want[i], want[i + 1]))) != want[i + 2]]
sys.exit("mismatch: %r" % bad if bad else 0)' "$tmp/out" "$*" 2>>"$tmp/err"
}

echo "1..27"

# 1-8: one check per clarified rule (figures worked out in tests/test_edge.c)
pts overdue-no-task "U1 OV 0.000 U1 OVF 2.000 U1 OVN n/a U1 SC 0.000 U3 OV 0.000 U2 OV 1.000 U2 SC 2.000"
ok $? "no task due: every task measure has no data, the count overdue too"
pts mean-exact "D1 M 0.125 D1 MR 0.125 D2 M 0.083 P MR 0.104"
ok $? "mean is exact: 0.2505 scores 0.125, roll-ups take the exact unit means"
run "$validate" "$data/invalid/same_dates.json"
ok "$(is "$rc:$(has 'same_dates.json:10:5: /statistics/2: .*/statistics/0 (line 8, column 5)' "$tmp/err")" "1:0")" \
    "same-dates statistics: invalid, both locations in one error"
pts outermost-periods "U1 S 1.500"
ok $? "only the outermost recorded periods are combined"
pts latest-report "U1 L 0.500 U1 LP 0.700 U2 L 0.000 U2 LP 0.000"
ok $? "latest report: the period ending last, then the worst"
pts never-submitted-deductions "U1 DB 3.000 U1 DBOOL 2.000 U1 DLIN 4.000 U1 DPO 0.500 U1 deductions 9.500 U2 deductions 3.500"
ok $? "never submitted costs every computed deduction its maximum"
pts boolean-no-condition "U1 E 1.000 U2 E 0.000 U1 X 0.000 U2 X 1.000"
ok $? "boolean without a condition: value > 0"
pts appraisal-vs-not-applicable "U1 MN 1.500 U1 DN n/a U1 RN n/a U1 normalized 9.167"
ok $? "an appraisal overrides missing: not_applicable, not a declared N/A"

# 9-14: empty and unknown periods
c="$edge/overdue-no-task/criteria.json"; d="$edge/overdue-no-task/dataset.json"
run "$score" "$d" "$c" --period 2013
ok "$(is "$rc:$(has 'unknown period 2013' "$tmp/err")" "1:0")" "an undeclared period with no record: unknown, exit 1"
run "$score" "$d" "$c" --period 2013 --allow-empty -f csv
ok "$(is "$rc:$(has 'warning: /period: no record of the scored units' "$tmp/err")" "0:0")" \
    "--allow-empty scores it, with a warning on stderr"
run "$score" "$edge/nfc/dataset-nfc.json" "$edge/nfc/criteria.json" --period 2015
ok "$(is "$rc" 1)" "jql-score: a period with nothing in it exits 1"
run "$report" "$edge/nfc/dataset-nfc.json" "$edge/nfc/criteria.json" --period 2014 --score-period 2015
ok "$(is "$rc:$(has 'could not be scored' "$tmp/err")" "1:0")" "jql-report: the empty score period is an error"
run "$report" "$edge/nfc/dataset-nfc.json" "$edge/nfc/criteria.json" --period 2014 --score-period 2015 --allow-empty
ok "$(is "$rc:$(has 'warning: /period' "$tmp/err")" "0:0")" "jql-report --allow-empty: scored with a warning"
run "$score" "$d" "$c" --period 2014-Q3
ok "$(is "$rc:$(has 'warning' "$tmp/err")" "0:1")" "a period with records: no warning"

# 15-16: leaves without data
run "$score" "$edge/appraisal-vs-not-applicable/dataset.json" "$edge/appraisal-vs-not-applicable/criteria.json"
ok "$(is "$rc:$(has 'criteria.json: warning: /criteria/0: leaf "MN": its measure has no data for any scored unit' "$tmp/err")" "0:0")" \
    "warning: a computed leaf no scored unit has data for"
run "$score" "$edge/nfc/dataset-nfc.json" "$edge/nfc/criteria.json" --period 2014-H2
ok "$(is "$rc:$(has 'warning: /criteria/0: manual leaf "hoa-giai": no scored unit has an assessment' "$tmp/err")" "0:0")" \
    "warning: a manual leaf no scored unit has an assessment for"

# 17-19: NFC
run "$score" -f json "$edge/nfc/dataset-nfc.json" "$edge/nfc/criteria.json"
cp "$tmp/out" "$tmp/nfc.json"
run "$score" -f json "$edge/nfc/dataset-nfd.json" "$edge/nfc/criteria.json"
ok "$(is "$rc:$(has 'dataset-nfd.json:3:10: warning: /name: text not in Unicode NFC' "$tmp/err"):$(grep -c 'NFC' "$tmp/err")" "0:0:1")" \
    "an NFD dataset: one warning for the file"
"$py" -c 'import sys, json
a, b = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda d: [(u["id"], u["final"], [(n["id"], n["points"], n["applicable"]) for n in u["nodes"]]) for u in d["units"]]
assert strip(a) == strip(b), (strip(a), strip(b))
assert [u["final"] for u in a["units"]] == [9.0, 5.0]
names = {u["id"]: u["name"].encode() for u in b["units"]}
assert names["tan-an"] != "Thành phố Tân An".encode() and len(names["tan-an"]) > len("Thành phố Tân An".encode())
' "$tmp/nfc.json" "$tmp/out" 2>>"$tmp/err"
ok $? "NFD and NFC datasets score the same; the NFD name is kept byte for byte"
run "$score" -f json "$edge/nfc/dataset-nfc.json" "$edge/nfc/criteria-nfd.json"
ok "$(is "$rc:$(cmp -s "$tmp/out" "$tmp/nfc.json"; echo $?)" "0:0")" "an NFD criteria set: the same results"

# 20: shares written as fractions
run "$validate" "$edge/shares-as-fractions.json"
ok "$(is "$rc:$(has '/quotas/0/share: share 0.2 is a percentage (0.2%), not a fraction: if 20% was meant, write "share": 20' "$tmp/err"):$(has '/criteria/0/method/share: share 0.25' "$tmp/err")" "0:0:0")" \
    "shares of 1 or less: a warning naming the value and the fix"

# 21-24: the wrong file kind, in one line
run "$score" "$edge/nfc/criteria.json" "$edge/nfc/dataset-nfc.json"
ok "$(is "$rc:$(wc -l <"$tmp/err"):$(has 'this is a criteria set' "$tmp/err")" "1:1:0")" \
    "jql-score CRITERIA DATASET: one line saying so"
run "$validate" "$edge/nfc/criteria.json"
ok "$(is "$rc:$(has 'valid criteria set: 2 criteria, 1 tiers' "$tmp/out")" "0:0")" \
    "jql-validate recognises a criteria set by its format"
run "$validate" --criteria "$edge/nfc/dataset-nfc.json"
ok "$(is "$rc:$(wc -l <"$tmp/err"):$(has 'this is a dataset' "$tmp/err")" "1:1:0")" \
    "jql-validate --criteria on a dataset: one line"
run "$validate" -f json --criteria "$edge/shares-as-fractions.json"
ok "$("$py" -c 'import sys, json
d = json.load(open(sys.argv[1]))["files"][0]
assert d["valid"] and len(d["errors"]) == 2 and all(e["severity"] == "warning" for e in d["errors"]), d
' "$tmp/out" 2>>"$tmp/err"; echo $?)" "jql-validate --criteria -f json lists the warnings"

# 25-27: the edge rules with the as-of date (tests/test_asof.c)
ad="$data/as-of/dataset.json"; ac="$data/as-of/criteria.json"
run "$score" "$ad" "$ac" --period 2013 --as-of 2013-06-30
rc1=$rc
run "$score" "$ad" "$ac" --period 2013 --as-of 2013-06-30 --allow-empty -f csv
ok "$(is "$rc1:$rc:$(has 'warning: /period: no record of the scored units' "$tmp/err")" "1:0:0")" \
    "jql-score --as-of with --allow-empty: an empty period is refused without it, scored with it"
run "$score" "$ad" "$ac" --as-of 2013-12-01 -f csv
ok "$(is "$rc:$(grep -c 'in period 2014 as of 2013-12-01 (' "$tmp/err"):$(grep -c '/period' "$tmp/err")" "0:7:0")" \
    "before every record: the year is not empty; the leaf warnings say as of the date"
run "$report" "$edge/nfc/dataset-nfc.json" "$edge/nfc/criteria.json" --period 2014 --score-period 2015 --as-of 2014-12-31 --allow-empty -o "$tmp/r.md"
ok "$(is "$rc:$(has 'warning: /period' "$tmp/err"):$(has '31/12/2014' "$tmp/r.md")" "0:0:0")" \
    "jql-report takes --as-of and --allow-empty together"

exit $((failed > 0))
