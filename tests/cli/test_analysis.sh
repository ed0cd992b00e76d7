#!/usr/bin/env bash
# TAP checks of jql-score's what-if modes (--compare, --periods,
# --sensitivity, --plans). Usage: test_analysis.sh BUILD_ROOT
set -u

build=${1:?usage: test_analysis.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog="$build/examples/jql-score"
data=${JQL_TEST_DATA:-$here/../data}
we="$data/scoring/worked-example"
rew="$data/analysis/worked-example-reweighted.json"
. "$here/tap_lib.sh"
run() {
    "$prog" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
is() { [ "$1" = "$2" ]; echo $?; }
has() { grep -q -- "$1" "$2"; echo $?; }
pycheck() {
    "$py" -c 'import sys, json
from decimal import Decimal
out = open(sys.argv[1], encoding="utf-8").read()
doc = json.loads(out, parse_float=Decimal)
'"$1" "$tmp/out" 2>>"$tmp/err"
    echo $?
}

echo "1..59"

# 1-4: --compare (worked example against A 4 / B 6)
run "$we/dataset.json" "$we/criteria.json" --compare "$rew"
ok "$(is $rc 0)" "compare text: exit 0"
ok "$(has '^3      3      =        U2                            8.000      9.000    -1.000  good$' "$tmp/out")" "compare text: U2 loses 1 point"
run "$we/dataset.json" "$we/criteria.json" --compare="$rew" --format json
ok "$(is $rc 0)" "compare json: exit 0"
ok "$(pycheck 'u = {x["id"]: x for x in doc["units"]}
assert doc["format"] == "justice-quarterly/comparison 1.0"
assert u["U1"]["final_change"] == Decimal("0.200") and u["U3"]["final_change"] == Decimal("-2.000")
assert [nd["id"] for nd in u["U4"]["nodes"]] == ["A", "B"]
assert u["U4"]["nodes"][1]["points_change"] == Decimal("-1.750")  # 7 of 8 -> 5.25 of 6')" "compare json: exact changes per unit and node"

# 5-9: --sensitivity
run "$we/dataset.json" "$we/criteria.json" --sensitivity 20 --runs 50 --seed 9 --format json
ok "$(is $rc 0)" "sensitivity: exit 0"
cp "$tmp/out" "$tmp/s1"
run "$we/dataset.json" "$we/criteria.json" --sensitivity 20 --runs 50 --seed 9 --format json
cmp -s "$tmp/out" "$tmp/s1"
ok $? "sensitivity: same seed, same bytes"
ok "$(pycheck 'assert doc["runs"] == 50 and doc["seed"] == 9 and doc["percent"] == Decimal("20.000")
assert all(sum(w) == Decimal("10.000") for w in doc["monte_carlo_weights"])
oat = doc["one_at_a_time"]
assert oat[0]["weights"] == [Decimal("1.600"), Decimal("8.400")]  # A 2 - 20% = 1.6, B gets the rest
assert oat[1]["weights"] == [Decimal("2.400"), Decimal("7.600")]')" "sensitivity: weights rescaled exactly to the scale"
LC_ALL=C.UTF-8 "$prog" "$we/dataset.json" "$we/criteria.json" --sensitivity 20 --runs 50 --seed 9 --format json >"$tmp/out" 2>"$tmp/err"
cmp -s "$tmp/out" "$tmp/s1"
ok $? "sensitivity: the same bytes in another locale"
run "$we/dataset.json" "$we/criteria.json" --sensitivity 10
ok "$(has '^1     U1' "$tmp/out")" "sensitivity text: rank table"

# 10-12: --plans, --periods
run "$we/dataset.json" "$we/criteria.json" --plans
ok "$(pycheck 'u = {x["id"]: x for x in doc["units"]}
assert u["U3"]["held_back"] == "veto" and u["U3"]["plan"] == []
assert u["U4"]["held_back"] == "quota" and "U1" not in u')" "plans: held back units, none for the top tier"
run "$we/dataset.json" "$we/criteria.json" --periods 2014-Q1,2014-H1,2014 --format json
ok "$(pycheck 'assert doc["periods"] == ["2014-Q1", "2014-H1", "2014"]
for x in doc["units"]:
    p = x["periods"]
    assert p[0]["movement"] is None
    assert all(p[i]["movement"] == p[i-1]["rank"] - p[i]["rank"] for i in (1, 2))')" "periods: movement = previous rank - rank"
run "$we/dataset.json" "$we/criteria.json" --periods 2014-Q1,2014
ok "$(has '^U1 ' "$tmp/out")" "periods text: one row per unit"

# 13-20: errors
run "$we/dataset.json" "$we/criteria.json" --periods 2014,1999-Q9
ok "$(is $rc 1)" "an unknown period: exit 1"
ok "$(has '1999-Q9' "$tmp/err")" "an unknown period is named"
run "$we/dataset.json" "$we/criteria.json" --sensitivity 101
ok "$(is $rc 2)" "--sensitivity above 100: usage error"
run "$we/dataset.json" "$we/criteria.json" --sensitivity 10 --runs 1000001
ok "$(is $rc 2)" "--runs above the limit: usage error"
run "$we/dataset.json" "$we/criteria.json" --runs 5
ok "$(is $rc 2)" "--runs alone: usage error"
run "$we/dataset.json" "$we/criteria.json" --plans --periods 2014
ok "$(is $rc 2)" "two modes at once: usage error"
run "$we/dataset.json" "$we/criteria.json" --periods 2014,,2014-Q1
ok "$(is $rc 2)" "an empty period id: usage error"
run "$we/dataset.json" "$we/criteria.json" --compare "$tmp/missing.json" -o "$tmp/never.json"
ok "$(test $rc -eq 3 && test ! -e "$tmp/never.json"; echo $?)" "a missing criteria file: exit 3, no output written"

run "$we/dataset.json" "$we/criteria.json" --leaves
ok "$(is $rc 2)" "--leaves without --sensitivity: usage error"

# 22-23: a disabled node ("enabled": false, format 1.1) is not applicable to anyone
sed -e 's/"format": "justice-quarterly\/criteria 1.0"/"format": "justice-quarterly\/criteria 1.1"/' \
    -e 's/{"id": "A", "title": "Timely reporting", "max": 2,/{"id": "A", "title": "Timely reporting", "max": 2, "enabled": false,/' \
    "$we/criteria.json" >"$tmp/disabled.json"
run "$we/dataset.json" "$tmp/disabled.json" --format json
ok "$(is $rc 0)" "disabled node: scores"
ok "$(pycheck 'for u in doc["units"]:
    a = u["nodes"][0]
    assert a["id"] == "A" and a["applicable"] is False, a
    assert u["applicable_max"] == Decimal("8.000")
    assert u["normalized"] == (u["nodes"][1]["points"] * 10 / 8).quantize(Decimal("0.001"))')" "disabled node: not applicable, B rescaled to the scale"

# 24-26: --weight: the same as --compare with the edited sheet
run "$we/dataset.json" "$we/criteria.json" --weight A=4 --format json
cp "$tmp/out" "$tmp/w1"
run "$we/dataset.json" "$we/criteria.json" --compare "$rew" --format json
"$py" - "$tmp/w1" "$tmp/out" <<'PY' 2>>"$tmp/err"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
strip = lambda d: [{k: v for k, v in u.items()} for u in d["units"]]
assert strip(a) == strip(b), "units differ"
PY
ok $? "--weight A=4 equals --compare with A 4 / B 6 (units and nodes)"
run "$we/dataset.json" "$we/criteria.json" --weight A=10
ok "$(is $rc 1)" "--weight leaving nothing to the siblings: exit 1"
run "$we/dataset.json" "$we/criteria.json" --weight A
ok "$(is $rc 2)" "--weight without =MAX: usage error"

# 27-31: next to jql-score's other options (the CSV/XLSX exports, --help)
run "$we/dataset.json" "$we/criteria.json" --plans --help
ok "$(is $rc 0)" "--help next to --plans: exit 0"
ok "$(has '--csv-dialect' "$tmp/out")" "--help lists the export options too"
ok "$(has '--sensitivity=PCT' "$tmp/out")" "--help lists the analysis options"
run "$we/dataset.json" "$we/criteria.json" --plans --csv-dialect excel-vi
ok "$([ "$rc" = 2 ] && grep -q 'csv-dialect applies to --format csv' "$tmp/err"; echo $?)" \
    "--csv-dialect with --plans: usage error that says why"
run "$we/dataset.json" "$we/criteria.json" --compare "$rew" --format xlsx -o "$tmp/x.xlsx"
ok "$([ "$rc" = 2 ] && grep -q 'text or json here' "$tmp/err" && [ ! -e "$tmp/x.xlsx" ]; echo $?)" \
    "--format xlsx with --compare: usage error, no file written"

run "$we/dataset.json" "$we/criteria.json" --plans --evidence ids
ok "$([ "$rc" = 2 ] && grep -q 'evidence applies to the results' "$tmp/err"; echo $?)" \
    "--evidence with --plans: usage error that says why"

# 33-35: --max-input-size reaches every file the analysis modes load
run "$we/dataset.json" "$we/criteria.json" --plans --max-input-size=64
ok "$([ "$rc" = 1 ] && grep -q 'max-input-size' "$tmp/err"; echo $?)" \
    "--max-input-size below the dataset: exit 1, the message names the option"
size=$(wc -c <"$we/dataset.json")
[ "$(wc -c <"$we/criteria.json")" -gt "$size" ] && size=$(wc -c <"$we/criteria.json")
printf '%*s\n' $((size + 1)) '' | tr ' ' x >"$tmp/big.json"
run "$we/dataset.json" "$we/criteria.json" --max-input-size "$size" --compare "$tmp/big.json"
ok "$([ "$rc" = 1 ] && grep -q 'max-input-size' "$tmp/err"; echo $?)" \
    "--max-input-size: the --compare criteria file is held to it too"
run "$we/dataset.json" "$we/criteria.json" --max-input-size "$size" --compare "$rew"
ok "$(is $rc 0)" "--max-input-size as large as the inputs: exit 0"

# 36-38: -o goes through the CLIs' output path (links followed, directories refused)
run "$we/dataset.json" "$we/criteria.json" --plans
cp "$tmp/out" "$tmp/plans"
ln -s plans-out.json "$tmp/plans-link.json"
run "$we/dataset.json" "$we/criteria.json" --plans -o "$tmp/plans-link.json"
ok "$([ "$rc" = 0 ] && [ -L "$tmp/plans-link.json" ] && cmp -s "$tmp/plans" "$tmp/plans-out.json"; echo $?)" \
    "-o through a symbolic link: the link stays, its target written"
mkdir "$tmp/dir"
run "$we/dataset.json" "$we/criteria.json" --plans -o "$tmp/dir"
ok "$(is $rc 3)" "-o naming a directory: exit 3"
ok "$(is "$(ls "$tmp/dir" | wc -l)" 0)" "-o naming a directory: nothing left in it"

# 39-42: --periods with the plain scoring's --allow-empty and --as-of
# (jql_score_periods_table_with): 2013-Q1 holds no record of the worked
# example, refused without --allow-empty and scored (every unit 0) with it
run "$we/dataset.json" "$we/criteria.json" --periods 2013-Q1,2014-Q1
ok "$([ "$rc" = 1 ] && grep -q 'period 2013-Q1: unknown period' "$tmp/err"; echo $?)" \
    "periods: a period without records is refused, named"
run "$we/dataset.json" "$we/criteria.json" --periods 2013-Q1,2014-Q1 --allow-empty --format json
ok "$(is "$rc:$(pycheck 'assert all(x["periods"][0]["final"] == 0 and x["periods"][0]["rank"] == 1 for x in doc["units"])
assert any(x["periods"][1]["final"] > 0 for x in doc["units"])')" "0:0")" \
    "periods --allow-empty: the empty period scored, every unit 0"
# as of 2014-04-12 the worked example's trend changes; each period is then
# the plain scoring's as of that date
run "$we/dataset.json" "$we/criteria.json" --periods 2014-Q1,2014-H1,2014 --format json
cp "$tmp/out" "$tmp/trend-plain"
run "$we/dataset.json" "$we/criteria.json" --periods 2014-Q1,2014-H1,2014 --format json --as-of 2014-04-12
cp "$tmp/out" "$tmp/trend-asof"
! cmp -s "$tmp/trend-plain" "$tmp/trend-asof"
ok "$(is "$rc:$?" "0:0")" "periods --as-of: exit 0, another trend than without"
for q in 2014-Q1 2014-H1 2014; do
    "$prog" "$we/dataset.json" "$we/criteria.json" -p "$q" --as-of 2014-04-12 -f json >"$tmp/r-$q" 2>>"$tmp/err"
done
"$py" -c 'import json, sys
t = json.load(open(sys.argv[1]))
for i, q in enumerate(t["periods"]):
    r = json.load(open(sys.argv[2] + "-" + q))
    want = {u["id"]: (u["final"], u["rank"], u["tier"]) for u in r["units"]}
    got = {u["id"]: (u["periods"][i]["final"], u["periods"][i]["rank"], u["periods"][i]["tier"])
           for u in t["units"]}
    assert got == want, (q, got, want)' "$tmp/trend-asof" "$tmp/r" >"$tmp/out" 2>>"$tmp/err"
ok $? "periods --as-of: each period as jql-score -p P --as-of scores it"

# 43-56: --compare, --weight, --sensitivity and --plans with the plain
# scoring's --as-of and --allow-empty: every scoring they make is the plain
# jql-score's with the same options. As of 2014-04-12 the worked example's
# 2014 scores change (U1 2, not 10; U4 2, not 7); 2013-Q1 holds no record.
# plain CRITERIA [OPTIONS...]: jql-score -f json --evidence none into $tmp/plain
plain() {
    local c=$1
    shift
    "$prog" "$we/dataset.json" "$c" -f json --evidence none "$@" >"$tmp/plain" 2>>"$tmp/err"
}
# sides FIELD-SUFFIX: the analysis in $tmp/out gives each unit the final,
# rank and tier of $tmp/plain (the plain scoring), read as "final"+suffix
sides() {
    "$py" -c 'import json, sys
doc, r = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:3])
sfx = sys.argv[3]
want = {u["id"]: (u["final"], u["rank"], u["tier"]) for u in r["units"]}
got = {u["id"]: (u["final" + sfx], u["rank" + sfx], u["tier" + sfx]) for u in doc["units"]}
sys.exit(0 if got == want else "%r != %r" % (got, want))' "$tmp/out" "$tmp/plain" "$1" 2>>"$tmp/err"
    echo $?
}
for mode in "--compare $rew" "--weight A=4" "--sensitivity 20 --runs 50" "--plans"; do
    name=${mode%% *}
    run "$we/dataset.json" "$we/criteria.json" $mode -f json
    cp "$tmp/out" "$tmp/mode-plain"
    run "$we/dataset.json" "$we/criteria.json" $mode -f json --as-of 2014-04-12
    ! cmp -s "$tmp/mode-plain" "$tmp/out"
    ok "$(is "$rc:$?" "0:0")" "$name --as-of: exit 0, another answer than without"
done
# each side of the comparisons scored as jql-score --as-of scores it
run "$we/dataset.json" "$we/criteria.json" --compare "$rew" -f json --as-of 2014-04-12
plain "$we/criteria.json" --as-of 2014-04-12
b=$(sides _before)
plain "$rew" --as-of 2014-04-12
ok "$(is "$b:$(sides _after)" "0:0")" "--compare --as-of: both sides are jql-score --as-of's scorings"
run "$we/dataset.json" "$we/criteria.json" --weight A=4 -f json --as-of 2014-04-12
plain "$we/criteria.json" --as-of 2014-04-12
b=$(sides _before)
plain "$rew" --as-of 2014-04-12 # A 4 / B 6: the sheet --weight A=4 makes
ok "$(is "$b:$(sides _after)" "0:0")" "--weight --as-of: both sides are jql-score --as-of's scorings"
run "$we/dataset.json" "$we/criteria.json" --sensitivity 20 --runs 50 -f json --as-of 2014-04-12
plain "$we/criteria.json" --as-of 2014-04-12
ok "$(sides "")" "--sensitivity --as-of: its base is jql-score --as-of's scoring"
# the plans list the units below the top tier with their final scores
run "$we/dataset.json" "$we/criteria.json" --plans --as-of 2014-04-12
ok "$(pycheck 'u = {x["id"]: x["final"] for x in doc["units"]}
assert u["U1"] == Decimal("2.000") and u["U4"] == Decimal("2.000"), u')" \
    "--plans --as-of: the plans of the scoring as of the date (U1 and U4 at 2)"
# an empty period: refused, named, without --allow-empty; scored with it
for mode in "--compare $rew" "--weight A=4" "--sensitivity 20 --runs 50" "--plans"; do
    name=${mode%% *}
    run "$we/dataset.json" "$we/criteria.json" $mode -p 2013-Q1 -f json
    refused=$([ "$rc" = 1 ] && grep -q 'criteria.json: unknown period 2013-Q1' "$tmp/err" &&
        [ ! -s "$tmp/out" ]; echo $?)
    run "$we/dataset.json" "$we/criteria.json" $mode -p 2013-Q1 -f json --allow-empty
    ok "$(is "$refused:$rc:$(pycheck 'assert doc.get("period", doc.get("period_after")) == "2013-Q1"
finals = [x[k] for x in doc["units"] for k in ("final", "final_before", "final_after") if k in x]
assert finals and all(v == 0 for v in finals), finals')" "0:0:0")" \
        "$name -p 2013-Q1: refused without --allow-empty (the period named), every unit 0 with it"
done


# 55-59: every mode prints its scorings' warnings on stderr as the plain
# scoring does (leaf B has no data in 2014-Q1; 2013-Q1 is empty), the
# output unchanged
nodata='criteria.json: warning: /criteria/1: leaf "B": its measure has no data for any scored unit in period 2014-Q1'
"$prog" "$we/dataset.json" "$we/criteria.json" -p 2014-Q1 >/dev/null 2>"$tmp/plain"
plain=$(has "$nodata" "$tmp/plain")
run "$we/dataset.json" "$we/criteria.json" --periods 2014-Q1,2013-Q1,2014 --allow-empty
ok "$(is "$plain:$rc:$(has "$nodata" "$tmp/err"):$(has 'warning: /period: no record of the scored units falls in period 2013-Q1' "$tmp/err"):$(grep -c 'warning:' "$tmp/err")" "0:0:0:0:2")" \
    "--periods: each period's warnings (2014-Q1's leaf B, the empty 2013-Q1), none for 2014"
run "$we/dataset.json" "$we/criteria.json" --compare "$rew" -p 2014-Q1
ok "$(is "$rc:$(has "$nodata" "$tmp/err"):$(has 'worked-example-reweighted.json: warning: /criteria/1: leaf "B"' "$tmp/err")" "0:0:0")" \
    "--compare: both sides' warnings, each after its criteria file"
run "$we/dataset.json" "$we/criteria.json" --weight A=4 -p 2014-Q1
ok "$(is "$rc:$(grep -c 'warning:' "$tmp/err"):$(has "$nodata" "$tmp/err")" "0:1:0")" \
    "--weight: the sheet's warnings once (the reweighted sheet warns as the sheet)"
for mode in "--sensitivity 20 --runs 50" "--plans"; do
    run "$we/dataset.json" "$we/criteria.json" $mode -p 2014-Q1
    ok "$(is "$rc:$(has "$nodata" "$tmp/err")" "0:0")" "${mode%% *}: its scoring's warnings"
done
[ "$failed" -eq 0 ]
