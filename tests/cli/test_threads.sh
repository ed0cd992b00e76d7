#!/usr/bin/env bash
# TAP checks of --threads in jql-score and jql-report (issue 10): every output
# is the same bytes whatever the number of threads, and the number asked for
# reaches the library (JQL_COUNT_THREADS names tests/cli/count_threads.c,
# built as a library preloaded to count the threads a program starts).
# Usage: test_threads.sh BUILD_ROOT (JQL_TEST_DATA names tests/data).
#
# The dataset is tests/data/threads/generate.py's 1031 units: a scoring
# takes at least 256 units a thread (JQL_SCORE_UNITS_PER_THREAD), so it is
# scored in up to 4 blocks; criteria.json has no roll-up measure and no
# custom leaf, criteria-custom.json a custom leaf (the CLIs' own
# mediation_success_rate, which they let any scoring thread call).
set -u

build=${1:?usage: test_threads.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
score="$build/examples/jql-score"
report="$build/examples/jql-report"
data=${JQL_TEST_DATA:-$here/../data}
thr="$data/threads"
. "$here/tap_lib.sh"
tap_show=8
is() { [ "$1" = "$2" ]; echo $?; }
has() { grep -q -- "$1" "$2"; echo $?; }
# same PROG OUTPUT-OPTION ARGS...: PROG ARGS --threads 1, 2, 3, auto and 64
# (2, 3 and 4 blocks, one per CPU, the library's cap) write the same bytes
# and exit 0; OUTPUT-OPTION "-o" writes a file (xlsx), "" standard output.
same() {
    local prog=$1 o=$2 t first=""
    shift 2
    for t in 1 2 3 auto 64; do
        if [ -n "$o" ]; then
            "$prog" "$@" --threads "$t" -o "$tmp/out-$t" >"$tmp/out" 2>"$tmp/err"
        else
            "$prog" "$@" --threads "$t" >"$tmp/out-$t" 2>"$tmp/err"
        fi || { echo "# --threads $t: exit $?" >"$tmp/out"; return 1; }
        [ -s "$tmp/out-$t" ] || { echo "# --threads $t: no output" >"$tmp/out"; return 1; }
        if [ -z "$first" ]; then
            first=$t
        elif ! cmp -s "$tmp/out-$first" "$tmp/out-$t"; then
            cmp "$tmp/out-$first" "$tmp/out-$t" >"$tmp/out"
            return 1
        fi
    done
    return 0
}
# started PROG ARGS...: the number of threads PROG started (nothing on failure)
started() {
    rm -f "$tmp/count"
    JQL_COUNT_THREADS_FILE="$tmp/count" LD_PRELOAD="$JQL_COUNT_THREADS${LD_PRELOAD:+ $LD_PRELOAD}" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
        "$@" >"$tmp/out" 2>"$tmp/err" && cut -d' ' -f1 "$tmp/count" 2>/dev/null
}

echo "1..58"

"$py" "$thr/generate.py" >"$tmp/ds.json" 2>"$tmp/err"
"$score" "$tmp/ds.json" "$thr/criteria.json" -f csv >"$tmp/out" 2>>"$tmp/err"
ok "$(is "$?:$(($(wc -l <"$tmp/out") - 1))" "0:1031")" "generated dataset: 1031 scored units (4 blocks of 256 or more)"
ds="$tmp/ds.json"

# 2-12: jql-score, every output format, both sheets
for fmt in text json csv; do
    same "$score" "" "$ds" "$thr/criteria.json" -f "$fmt"
    ok $? "jql-score -f $fmt: the same bytes with --threads 1, 2, 3, auto, 64"
done
same "$score" "" "$ds" "$thr/criteria.json" --lang vi
ok $? "jql-score --lang vi: the same bytes whatever --threads"
for ev in ids none; do
    same "$score" "" "$ds" "$thr/criteria.json" -f json --evidence "$ev"
    ok $? "jql-score -f json --evidence $ev: the same bytes whatever --threads"
done
same "$score" "" "$ds" "$thr/criteria.json" -f csv --csv-dialect excel-vi
ok $? "jql-score --csv-dialect excel-vi: the same bytes whatever --threads"
same "$score" "" "$ds" "$thr/criteria.json" -f json --as-of 2026-08-31
ok $? "jql-score --as-of: the same bytes whatever --threads"
if "$score" "$ds" "$thr/criteria.json" -f xlsx -o "$tmp/probe.xlsx" 2>"$tmp/err"; then
    same "$score" -o "$ds" "$thr/criteria.json" -f xlsx
    ok $? "jql-score -f xlsx: the same bytes whatever --threads"
else
    ok "$(has 'without libxlsxwriter' "$tmp/err")" "jql-score -f xlsx: # SKIP built without libxlsxwriter"
fi
same "$score" "" "$ds" "$thr/criteria-custom.json" -f json
ok $? "jql-score, custom sheet -f json: the same bytes whatever --threads"
same "$score" "" "$ds" "$thr/criteria-custom.json"
ok $? "jql-score, custom sheet -f text: the same bytes whatever --threads"

# 13-16: jql-report (the review, Markdown and HTML, and every score sheet)
same "$report" "" "$ds" "$thr/criteria.json" --period 2026-Q4
ok $? "jql-report md: the same bytes whatever --threads"
same "$report" "" "$ds" "$thr/criteria.json" --period 2026-Q4 -f html --lang en
ok $? "jql-report html: the same bytes whatever --threads"
same "$report" "" "$ds" "$thr/criteria-custom.json" --score-sheet all
ok $? "jql-report --score-sheet all, custom sheet: the same bytes whatever --threads"
same "$report" -o "$ds" "$thr/criteria.json" --period 2026-Q2 --as-of 2026-07-10
ok $? "jql-report --as-of -o FILE: the same bytes whatever --threads"

# the what-if modes that score
"$py" -c 'import json, sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
c["id"] = "threads-2026-b"
c["criteria"][0]["max"], c["criteria"][2]["max"] = 15, 30
c["criteria"][2]["children"][0]["max"] = 15
c["criteria"][2]["children"][0]["method"]["bands"][0]["points"] = 15
json.dump(c, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)' \
    "$thr/criteria.json" "$tmp/criteria-b.json" 2>"$tmp/err"
same "$score" "" "$ds" "$thr/criteria.json" --compare "$tmp/criteria-b.json" -f json
ok $? "jql-score --compare: the same bytes whatever --threads"
same "$score" "" "$ds" "$thr/criteria.json" --plans
ok $? "jql-score --plans: the same bytes whatever --threads"
same "$score" "" "$ds" "$thr/criteria.json" --sensitivity 10 --runs 8 -f json
ok $? "jql-score --sensitivity: the same bytes whatever --threads"
# the same with the plain scoring's --as-of and --allow-empty, which reach
# every scoring these modes make (both sides of --compare and --weight)
for mode in "--compare $tmp/criteria-b.json -f json" "--weight organisation=15 -f json" \
    "--sensitivity 10 --runs 8 -f json" "--plans"; do
    "$score" "$ds" "$thr/criteria.json" $mode >"$tmp/mode-plain" 2>"$tmp/err"
    same "$score" "" "$ds" "$thr/criteria.json" $mode --as-of 2026-08-31 &&
        ! cmp -s "$tmp/mode-plain" "$tmp/out-1"
    ok $? "jql-score ${mode%% *} --as-of: the same bytes whatever --threads (not those without it)"
done
same "$score" "" "$ds" "$thr/criteria.json" --sensitivity 10 --runs 8 -f json -p 2025-Q1 --allow-empty
ok $? "jql-score --sensitivity -p 2025-Q1 (no record) --allow-empty: the same bytes whatever --threads"
# and --as-of changes the answer: the comparison as of 2026-08-31 is the one
# of the two sheets' plain scorings as of that date (csv: final, rank, tier)
"$score" "$ds" "$thr/criteria.json" --compare "$tmp/criteria-b.json" -f json --as-of 2026-08-31 \
    --threads 3 >"$tmp/cmp-asof" 2>"$tmp/err"
"$score" "$ds" "$thr/criteria.json" --compare "$tmp/criteria-b.json" -f json \
    >"$tmp/cmp-plain" 2>>"$tmp/err"
"$score" "$ds" "$thr/criteria.json" -f csv --as-of 2026-08-31 >"$tmp/csv-a" 2>>"$tmp/err"
"$score" "$ds" "$tmp/criteria-b.json" -f csv --as-of 2026-08-31 >"$tmp/csv-b" 2>>"$tmp/err"
"$py" -c 'import csv, json, sys
doc = json.load(open(sys.argv[1]))
for side, f in (("before", sys.argv[2]), ("after", sys.argv[3])):
    want = {r["unit_id"]: (r["final"], int(r["rank"]), r["tier"])
            for r in csv.DictReader(open(f, newline=""))}
    got = {u["id"]: ("%.3f" % u["final_" + side], u["rank_" + side], u["tier_" + side])
           for u in doc["units"]}
    if got != want or len(got) != 1031:
        sys.exit(side)' "$tmp/cmp-asof" "$tmp/csv-a" "$tmp/csv-b" >"$tmp/out" 2>>"$tmp/err"
cmp_same=$?
! cmp -s "$tmp/cmp-plain" "$tmp/cmp-asof"
ok "$(is "$cmp_same:$?" "0:0")" "jql-score --compare --as-of --threads 3: both sides as jql-score --as-of scores them (and not as without it)"

# --periods (jql_score_periods_table_with: each period on the threads)
qs=2026-Q1,2026-Q2,2026-Q4
same "$score" "" "$ds" "$thr/criteria.json" --periods "$qs" -f json
ok $? "jql-score --periods -f json: the same bytes whatever --threads"
same "$score" "" "$ds" "$thr/criteria.json" --periods "$qs"
ok $? "jql-score --periods -f text: the same bytes whatever --threads"
same "$score" "" "$ds" "$thr/criteria-custom.json" --periods "$qs" -f json --as-of 2026-08-31
ok $? "jql-score --periods --as-of, custom sheet: the same bytes whatever --threads"
# as of a date, the trend is each period's plain scoring as of that date
# (ranks and finals of -f csv), and it differs from the trend without it
"$score" "$ds" "$thr/criteria.json" --periods "$qs" -f json --as-of 2026-08-31 --threads 3 \
    >"$tmp/trend-asof" 2>"$tmp/err"
for q in 2026-Q1 2026-Q2 2026-Q4; do
    "$score" "$ds" "$thr/criteria.json" -p "$q" -f csv --as-of 2026-08-31 >"$tmp/csv-$q" 2>>"$tmp/err"
done
"$py" -c 'import csv, json, sys
t = json.load(open(sys.argv[1]))
qs = t["periods"]
want = {}
for q in qs:
    for row in csv.DictReader(open(sys.argv[2] + "-" + q, newline="")):
        want[(row["unit_id"], q)] = (row["final"], int(row["rank"]), row["tier"])
got = {(u["id"], p["period"]): ("%.3f" % p["final"], p["rank"], p["tier"])
       for u in t["units"] for p in u["periods"]}
sys.exit(0 if got == want and len(got) == 3 * 1031 else 1)' "$tmp/trend-asof" "$tmp/csv" >"$tmp/out" 2>>"$tmp/err"
asof_same=$?
"$score" "$ds" "$thr/criteria.json" --periods "$qs" -f json >"$tmp/trend-plain" 2>>"$tmp/err"
! cmp -s "$tmp/trend-plain" "$tmp/trend-asof"
ok "$(is "$asof_same:$?" "0:0")" "jql-score --periods --as-of --threads 3: every period as jql-score -p P --as-of scores it (and not as without it)"

# the number asked for reaches the library (1031 units: at most 4
# blocks, the calling thread scoring the first)
if [ -n "${JQL_COUNT_THREADS:-}" ] && [ -f "$JQL_COUNT_THREADS" ]; then
    cpus=$(getconf _NPROCESSORS_ONLN)
    auto=$((cpus < 4 ? cpus - 1 : 3))
    for case in "1:0" "2:1" "3:2" "4:3" "9:3" "auto:$auto"; do
        t=${case%%:*}
        ok "$(is "$(started "$score" "$ds" "$thr/criteria.json" --threads "$t")" "${case#*:}")" \
            "jql-score --threads $t starts ${case#*:} thread(s)"
    done
    ok "$(is "$(started "$score" "$ds" "$thr/criteria.json")" 0)" "jql-score without --threads starts none"
    ok "$(is "$(started "$score" "$ds" "$thr/criteria-custom.json" --threads 2 -f json)" 1)" \
        "jql-score --threads 2, custom sheet: 1 (its C function may run on any thread)"
    ok "$(is "$(started "$report" "$ds" "$thr/criteria.json" --threads 4)" 3)" "jql-report --threads 4 starts 3"
    ok "$(is "$(started "$report" "$ds" "$thr/criteria.json")" 0)" "jql-report without --threads starts none"
    ok "$(is "$(started "$score" "$ds" "$thr/criteria.json" --threads 2 --compare "$tmp/criteria-b.json")" 2)" \
        "jql-score --compare --threads 2: a thread for each of its two scorings"
    ok "$(is "$(started "$score" "$ds" "$thr/criteria.json" --threads 2 --plans)" 1)" \
        "jql-score --plans --threads 2 starts 1"
    ok "$(is "$(started "$score" "$ds" "$thr/criteria.json" --threads 2 --weight organisation=15 --as-of 2026-08-31)" 2)" \
        "jql-score --weight --as-of --threads 2: a thread for each of its two scorings"
    ok "$(is "$(started "$score" "$ds" "$thr/criteria.json" --threads 4 --sensitivity 10 --runs 8 --as-of 2026-08-31)" 3)" \
        "jql-score --sensitivity --as-of --threads 4 starts 3"
    ok "$(is "$(started "$score" "$ds" "$thr/criteria.json" --periods "$qs" --threads 4)" 9)" \
        "jql-score --periods (3 periods) --threads 4 starts 3 a period: 9"
    ok "$(is "$(started "$score" "$ds" "$thr/criteria-custom.json" --periods 2026-Q1,2026-Q2 --threads 2 -f json)" 2)" \
        "jql-score --periods (2 periods) --threads 2, custom sheet: 1 a period"
    ok "$(is "$(started "$score" "$ds" "$thr/criteria.json" --periods "$qs")" 0)" \
        "jql-score --periods without --threads starts none"
else
    for _ in $(seq 17); do echo "ok $((n += 1)) - # SKIP no thread-counting helper (JQL_COUNT_THREADS)"; done
fi

# bad values are usage errors (exit 2), with the option named
for bad in 0 -1 abc 1.5 ""; do
    "$score" "$ds" "$thr/criteria.json" --threads="$bad" >"$tmp/out" 2>"$tmp/err"
    ok "$(is "$?:$(has '^jql-score: --threads needs a whole number from 1, or auto' "$tmp/err"):$(wc -c <"$tmp/out")" "2:0:0")" \
        "jql-score --threads=\"$bad\": exit 2 with a message, nothing written"
done
"$report" "$ds" "$thr/criteria.json" --threads >"$tmp/out" 2>"$tmp/err"
ok "$(is "$?:$(has '^jql-report: --threads needs' "$tmp/err")" "2:0")" "jql-report --threads without a value: exit 2"

"$score" "$ds" "$thr/criteria.json" --periods 2026-Q1,2026-Q2 --threads 0 >"$tmp/out" 2>"$tmp/err"
ok "$(is "$?:$(has '^jql-score: --threads needs a whole number' "$tmp/err"):$(wc -c <"$tmp/out")" "2:0:0")" \
    "jql-score --periods --threads 0: exit 2 with a message, nothing written"

# --as-of and --allow-empty: bad values, in every mode
"$score" "$ds" "$thr/criteria.json" --periods 2026-Q1 --as-of 2026-02-30 >"$tmp/out" 2>"$tmp/err"
ok "$(is "$?:$(has '^jql-score: option --as-of needs an existing date' "$tmp/err"):$(wc -c <"$tmp/out")" "2:0:0")" \
    "jql-score --periods --as-of 2026-02-30: exit 2, said why, nothing written"
"$score" "$ds" "$thr/criteria.json" --plans --as-of 2026-08-31x >"$tmp/out" 2>"$tmp/err"
ok "$(is "$?:$(has '^jql-score: option --as-of needs an existing date' "$tmp/err"):$(wc -c <"$tmp/out")" "2:0:0")" \
    "jql-score --plans --as-of 2026-08-31x: exit 2, said why, nothing written"

# --help documents the options
"$score" --help >"$tmp/out" 2>"$tmp/err"
ok "$(has '^      --threads=N ' "$tmp/out")" "jql-score --help documents --threads"
ok "$(has 'as-of, --allow-empty and --threads reach every scoring' "$tmp/out")" \
    "jql-score --help: --as-of, --allow-empty and --threads in every mode"
"$report" --help >"$tmp/out" 2>"$tmp/err"
ok "$(has '^      --threads=N ' "$tmp/out")" "jql-report --help documents --threads"
[ "$failed" -eq 0 ]
