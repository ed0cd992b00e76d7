#!/usr/bin/env bash
# TAP: one question, one answer. The counts of reports, tasks and
# directives on the bundled data are asked of the C library
# (tests/tally_print.c over jql_tally_compute()), of jql-report and
# jql-validate where they print them, of the Python binding (ds.tally) and
# of the Lua binding (ds:tally); every answer must be the same.
# Task statuses are asked the same way (tally_print --task-status against
# jql-validate's summary, Python and Lua), and the tasks jql-report lists
# as not done against the library's overdue count.
# Usage: test_tally.sh BUILD_ROOT. Environment (set by meson):
#   JQL_TALLY_PRINT  the C program; JQL_EXAMPLES_DATA  examples/data;
#   JQL_PYTHON, JQL_PYTHONPATH  when the Python binding is built;
#   JQL_LUA, JQL_LUA_CPATH      when the Lua binding is built.
set -u

build=${1:?usage: test_tally.sh BUILD_ROOT}
build=$(cd "$build" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
examples=${JQL_EXAMPLES_DATA:-$here/../../examples/data}
dataset="$examples/long-an-2014/dataset.json"
cprog=${JQL_TALLY_PRINT:-$build/tests/tally_print}
export LC_ALL=C

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
ok() { # ok STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        sed 's/^/# /' "$tmp/why" 2>/dev/null | head -30
    fi
    : >"$tmp/why"
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

# same EXPECTED GOT: GOT's name=value lines (sorted) equal EXPECTED's
same() {
    sort "$1" >"$tmp/a"
    sort "$2" >"$tmp/b"
    if [ ! -s "$tmp/a" ]; then
        echo "no answer from C" >"$tmp/why"
        return 1
    fi
    diff "$tmp/a" "$tmp/b" >"$tmp/why"
}
# only KEY... <FILE: the lines of those keys
only() {
    local pat
    pat=$(printf '^%s=|' "$@")
    grep -E "${pat%|}"
}

# ask_c UNIT PERIOD AS_OF KIND ROLLUP (each "-" for none)
ask_c() { "$cprog" "$dataset" "$@"; }

# interp VAR=VALUE... PROGRAM ARGS: run an interpreter, with the ASan runtime
# preloaded when the bindings are instrumented (JQL_INTERP_PRELOAD)
interp() {
    if [ -n "${JQL_INTERP_PRELOAD:-}" ]; then
        env LD_PRELOAD="$JQL_INTERP_PRELOAD" ASAN_OPTIONS=detect_leaks=0 "$@"
    else
        env "$@"
    fi
}

# ask_py UNIT PERIOD AS_OF KIND ROLLUP
ask_py() {
    interp PYTHONPATH="$JQL_PYTHONPATH" PYTHONDONTWRITEBYTECODE=1 "$JQL_PYTHON" - "$dataset" "$@" <<'EOF'
import sys
import justice_quarterly as jq
path, unit, period, as_of, kind, rollup = sys.argv[1:]
none = lambda s: None if s == "-" else s
ds = jq.Dataset.load(path)
t = ds.tally(none(period), none(unit), rollup=rollup == "1", as_of=none(as_of),
             report_kind=none(kind))
for k, v in t.items():
    print("%s=%d" % (k, v))
EOF
}

# ask_lua UNIT PERIOD AS_OF KIND ROLLUP
ask_lua() {
    interp LUA_CPATH="$JQL_LUA_CPATH" "$JQL_LUA" - "$dataset" "$@" <<'EOF'
local jq = require("justice_quarterly")
local path, unit, period, as_of, kind, rollup = ...
local function none(s) if s == "-" then return nil end return s end
local ds = assert(jq.load(path))
local t = assert(ds:tally(none(unit), none(period),
  { as_of = none(as_of), report_kind = none(kind), rollup = rollup == "1" }))
for k, v in pairs(t) do print(string.format("%s=%d", k, v)) end
EOF
}

# The questions: unit, period, as-of date, report kind, rollup.
questions=(
    "- 2014-Q1 2014-03-31 statistics 0"
    "- 2014-Q1 2014-03-31 quarterly-work 0"
    "- 2014-Q1 2014-03-31 - 0"
    "- - - - 0"
    "thanh-hoa 2014-Q1 - statistics 0"
    "long-an 2014-Q1 2014-03-21 - 1"
    "long-an 2014-Q2 - - 0"
)

have_py=0
[ -n "${JQL_PYTHON:-}" ] && [ -n "${JQL_PYTHONPATH:-}" ] && have_py=1
have_lua=0
[ -n "${JQL_LUA:-}" ] && [ -n "${JQL_LUA_CPATH:-}" ] && have_lua=1

# Tasks by status (the keys are jql_task_status_name's): every task, and
# those due in a period.
status_periods=("-" "2014-Q1")
# The "Tasks not done" list of jql-report, as of these dates.
not_done_dates=(2014-03-31 2014-03-12 2014-02-20)

echo "1..$((2 * ${#questions[@]} + 5 + 2 * ${#status_periods[@]} + ${#not_done_dates[@]}))"

for q in "${questions[@]}"; do
    # shellcheck disable=SC2086
    ask_c $q >"$tmp/c" 2>"$tmp/why"
    if [ "$have_py" -eq 1 ]; then
        # shellcheck disable=SC2086
        ask_py $q >"$tmp/py" 2>"$tmp/why"
        same "$tmp/c" "$tmp/py"
        ok $? "Python ds.tally = C jql_tally_compute: $q"
    else
        skip "Python binding not built ($q)"
    fi
    if [ "$have_lua" -eq 1 ]; then
        # shellcheck disable=SC2086
        ask_lua $q >"$tmp/lua" 2>"$tmp/why"
        same "$tmp/c" "$tmp/lua"
        ok $? "Lua ds:tally = C jql_tally_compute: $q"
    else
        skip "Lua binding not built ($q)"
    fi
done

# jql-report: the reports table row of each kind, and the tasks line
"$build/examples/jql-report" "$dataset" --period 2014-Q1 --as-of 2014-03-31 --lang en \
    >"$tmp/report.md" 2>"$tmp/why"
for kind in statistics:"Statistics report" quarterly-work:"Quarterly work report"; do
    ask_c - 2014-Q1 2014-03-31 "${kind%%:*}" 0 |
        only reports_due reports_on_time reports_incomplete reports_late reports_missing >"$tmp/c"
    grep "^| ${kind#*:} |" "$tmp/report.md" | awk -F' *\\| *' '{
        print "reports_due=" $3; print "reports_on_time=" $4; print "reports_incomplete=" $5
        print "reports_late=" $6; print "reports_missing=" $7 }' >"$tmp/cli"
    same "$tmp/c" "$tmp/cli"
    ok $? "jql-report = C: ${kind#*:} due, on time, incomplete, late, not submitted"
done
ask_c - 2014-Q1 2014-03-31 - 0 | only tasks_due tasks_done tasks_done_late tasks_overdue >"$tmp/c"
sed -n 's/^\*\*Tasks due:\*\* \([0-9]*\)\. Done: \([0-9]*\), Done late: \([0-9]*\), Not done (overdue): \([0-9]*\),.*/tasks_due=\1\ntasks_done=\2\ntasks_done_late=\3\ntasks_overdue=\4/p' \
    "$tmp/report.md" >"$tmp/cli"
same "$tmp/c" "$tmp/cli"
ok $? "jql-report = C: tasks due, done, done late, overdue"

# jql-validate --summary: reports over every period
"$build/examples/jql-validate" --summary --format json "$dataset" >"$tmp/v.json" 2>"$tmp/why"
ask_c - - - - 0 | only reports_on_time reports_late reports_missing reports_incomplete >"$tmp/c"
grep -o '"reports": {"on_time": [0-9]*, "late": [0-9]*, "missing": [0-9]*, "incomplete": [0-9]*}' \
    "$tmp/v.json" | sed 's/[^0-9 ]//g' | awk '{
        print "reports_on_time=" $1; print "reports_late=" $2
        print "reports_missing=" $3; print "reports_incomplete=" $4 }' >"$tmp/cli"
same "$tmp/c" "$tmp/cli"
ok $? "jql-validate --summary = C: reports on time, late, never submitted, incomplete"

# ask_py_status PERIOD / ask_lua_status PERIOD: tasks by status name
ask_py_status() {
    interp PYTHONPATH="$JQL_PYTHONPATH" PYTHONDONTWRITEBYTECODE=1 "$JQL_PYTHON" - "$dataset" "$@" <<'EOF'
import sys
import justice_quarterly as jq
path, period = sys.argv[1:]
ds = jq.Dataset.load(path)
tasks = [ds.tasks[i] for i in ds.tasks] if period == "-" else ds.tasks_due(period)
from justice_quarterly.records import TASK_STATUSES
for name in TASK_STATUSES:
    print("%s=%d" % (name, sum(1 for t in tasks if t.status == name)))
EOF
}
ask_lua_status() {
    interp LUA_CPATH="$JQL_LUA_CPATH" "$JQL_LUA" - "$dataset" "$@" <<'EOF'
local jq = require("justice_quarterly")
local path, period = ...
local ds = assert(jq.load(path))
local count = {}
for _, t in ipairs(assert(ds:tasks_due(nil, period))) do
  count[t.status] = (count[t.status] or 0) + 1
end
for k, v in pairs(count) do print(string.format("%s=%d", k, v)) end
EOF
}

"$cprog" --task-status "$dataset" - >"$tmp/c" 2>"$tmp/why"
grep -o '"tasks": {[^}]*}' "$tmp/v.json" | sed 's/"tasks": {//; s/}//; s/, /\n/g; s/"//g; s/: /=/g' \
    >"$tmp/cli"
same "$tmp/c" "$tmp/cli"
ok $? "jql-validate --summary = C: tasks by status, keyed by the library's names"
for p in "${status_periods[@]}"; do
    "$cprog" --task-status "$dataset" "$p" 2>"$tmp/why" | grep -v '=0$' >"$tmp/c"
    if [ "$have_py" -eq 1 ]; then
        ask_py_status "$p" 2>"$tmp/why" | grep -v '=0$' >"$tmp/py"
        same "$tmp/c" "$tmp/py"
        ok $? "Python = C: tasks by status ($p)"
    else
        skip "Python binding not built (tasks by status, $p)"
    fi
    if [ "$p" = "-" ]; then
        skip "Lua has no list of every task (tasks by status, $p)"
    elif [ "$have_lua" -eq 1 ]; then
        ask_lua_status "$p" 2>"$tmp/why" | grep -v '=0$' >"$tmp/lua"
        same "$tmp/c" "$tmp/lua"
        ok $? "Lua = C: tasks by status ($p)"
    else
        skip "Lua binding not built (tasks by status, $p)"
    fi
done

# jql-report's list of tasks not done: one table row per overdue task
for d in "${not_done_dates[@]}"; do
    ask_c - 2014-Q1 "$d" - 0 | only tasks_overdue >"$tmp/c"
    "$build/examples/jql-report" "$dataset" --period 2014-Q1 --as-of "$d" --lang en \
        >"$tmp/nd.md" 2>"$tmp/why"
    awk '/^### /{on = ($0 == "### Tasks not done"); next}
         on && /^\| --- /{rows = 1; next}
         on && rows && /^\| /{n++}
         END {print "tasks_overdue=" n + 0}' "$tmp/nd.md" >"$tmp/cli"
    same "$tmp/c" "$tmp/cli"
    ok $? "jql-report = C: tasks listed as not done as of $d = tasks overdue"
done
