#!/usr/bin/env bash
# TAP checks that jql-score's outputs say when they were scored as of a date
# (--as-of): the text header, the results JSON's "as_of" (every evidence
# level), the analyses' JSON and text; without --as-of none of it. And the
# refusal of an empty period names --allow-empty (jql-score, jql-report).
# Usage: test_asof.sh BUILD_ROOT
set -u

build=${1:?usage: test_asof.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog="$build/examples/jql-score"
report="$build/examples/jql-report"
data=${JQL_TEST_DATA:-$here/../data}
we="$data/scoring/worked-example"
rew="$data/analysis/worked-example-reweighted.json"
. "$here/tap_lib.sh"
run() {
    "$prog" "$we/dataset.json" "$we/criteria.json" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
is() { [ "$1" = "$2" ]; echo $?; }
has() { grep -q -- "$1" "$2"; echo $?; }
# json EXPR: evaluate the Python assertion on the JSON in $tmp/out (doc)
json() {
    "$py" -c 'import sys, json
doc = json.loads(open(sys.argv[1], encoding="utf-8").read())
'"$1" "$tmp/out" 2>>"$tmp/err"
    echo $?
}

echo "1..20"

# 1-3: the text header
run --as-of 2014-04-12
ok "$(is "$rc:$(sed -n 2p "$tmp/out")" "0:Scored period: 2014, as of 2014-04-12, 4 units scored")" \
    "text: the header says as of when"
run --as-of 2014-04-12 --lang vi
ok "$(is "$rc:$(sed -n 2p "$tmp/out")" "0:Kỳ chấm điểm: 2014, tính đến ngày 12/4/2014, 4 đơn vị được chấm")" \
    "text --lang vi: tính đến ngày D/M/YYYY, the reports' date style"
run
ok "$(is "$rc:$(sed -n 2p "$tmp/out")" "0:Scored period: 2014, 4 units scored")" \
    "text without --as-of: the header as it always was"

# 4-6: the results JSON at every evidence level (streamed), only with --as-of
for level in full ids none; do
    run -f json --evidence "$level" --as-of 2014-04-12
    cp "$tmp/out" "$tmp/with"
    run -f json --evidence "$level"
    without=$(json 'assert "as_of" not in doc')
    cp "$tmp/with" "$tmp/out"
    ok "$(is "$rc:$without:$(json 'assert list(doc)[:5] == ["format", "criteria", "period", "as_of", "scale"], list(doc)
assert doc["as_of"] == "2014-04-12"'):$(has '^  "as_of": "2014-04-12",$' "$tmp/out")" "0:0:0:0")" \
        "json --evidence $level: \"as_of\" right after \"period\" with --as-of, absent without"
done

# 7-8: csv has no metadata rows: the same with and without (as of a date
# after every record, so the scores are the same)
run -f csv --as-of 2030-01-01
cp "$tmp/out" "$tmp/csv-late"
run -f csv
ok "$(cmp -s "$tmp/out" "$tmp/csv-late"; echo $?)" "csv: no metadata, the same rows whatever the date says"
# and json: only the member differs
run -f json --as-of 2030-01-01
grep -v '^  "as_of": "2030-01-01",$' "$tmp/out" >"$tmp/late"
run -f json
ok "$(cmp -s "$tmp/out" "$tmp/late"; echo $?)" "json: as of a date after every record, only \"as_of\" differs"

# 9-16: the analyses' JSON: the date after their period(s) with --as-of,
# nothing without
for mode in "--compare $rew" "--weight A=4" "--sensitivity 20 --runs 50" "--plans" \
            "--periods 2014-Q1,2014"; do
    name=${mode%% *}
    run $mode -f json --as-of 2014-04-12
    case $name in
    --compare | --weight)
        check='k = list(doc); i = k.index("period_after")
assert k[i + 1:i + 3] == ["as_of_before", "as_of_after"], k
assert doc["as_of_before"] == doc["as_of_after"] == "2014-04-12"' ;;
    --periods)
        check='k = list(doc); assert k[k.index("periods") + 1] == "as_of", k
assert doc["as_of"] == "2014-04-12"' ;;
    *)
        check='k = list(doc); assert k[k.index("period") + 1] == "as_of", k
assert doc["as_of"] == "2014-04-12"' ;;
    esac
    with=$(json "$check")
    run $mode -f json
    ok "$(is "$with:$rc:$(json 'assert "as_of" not in str(list(doc))')" "0:0:0")" \
        "$name json: the as-of date with --as-of, none without"
done
# text: a first line "as of DATE" with --as-of, the table alone without
for mode in "--compare $rew" "--sensitivity 20 --runs 50" "--periods 2014-Q1,2014"; do
    name=${mode%% *}
    run $mode --as-of 2014-04-12
    first=$(head -1 "$tmp/out")
    run $mode
    ok "$(is "$first:$(has 'as of' "$tmp/out")" "as of 2014-04-12:1")" \
        "$name text: \"as of 2014-04-12\" first with --as-of, nothing without"
done

# 17-20: an empty period's refusal names the front end's option
run -p 2013-Q1
ok "$(is "$rc:$(has '(allow empty periods to score it anyway: --allow-empty)$' "$tmp/err")" "1:0")" \
    "jql-score: the refusal names --allow-empty"
run -p 2013-Q1 --periods 2013-Q1,2014
ok "$(is "$rc:$(has 'period 2013-Q1: .*: --allow-empty)$' "$tmp/err")" "1:0")" \
    "jql-score --periods: the refusal names --allow-empty"
run -p 2013-Q1 --compare "$rew"
ok "$(is "$rc:$(has 'anyway: --allow-empty)$' "$tmp/err")" "1:0")" \
    "jql-score --compare: the refusal names --allow-empty"
"$report" "$we/dataset.json" "$we/criteria.json" --period 2014 --score-period 2013-Q1 \
    -o "$tmp/r.md" >"$tmp/out" 2>"$tmp/err"
rc=$?
ok "$(is "$(has 'could not be scored: .*(allow empty periods to score it anyway: --allow-empty)' "$tmp/err")" "0")" \
    "jql-report: the refusal names --allow-empty"
[ "$failed" -eq 0 ]
