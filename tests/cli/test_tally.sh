#!/usr/bin/env bash
# TAP: one question, one answer. The counts of reports, tasks and
# directives on the bundled data are asked of the C library
# (tests/tally_print.c over jql_tally_compute()), of jql-report and
# jql-validate where they print them, of the Python binding (ds.tally) and
# of the Lua binding (ds:tally); every answer must be the same.
# Task statuses are asked the same way (tally_print --task-status against
# jql-validate's summary, Python and Lua), and the tasks jql-report lists
# as not done against the library's overdue count.
# Per record: each report's standing (on time, late, missing, not due, days
# late, incomplete: jql_report_get_standing) against Python's, Lua's and
# jql-report's problem lists; each directive's completion
# (jql_directive_done_by) against Python, Lua and jql-report's follow-up
# table; each indicator's % change (jql_indicator_value_change) against
# Python, Lua and every cell of the jql-report matrix.
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

# Labels and documents: "label KIND ID LANG=NAME" and "document PERIOD
# FIELD=VALUE" lines, backslash and newline escaped (tests/tally_print.c).
ask_labels_py() {
    interp PYTHONPATH="$JQL_PYTHONPATH" PYTHONDONTWRITEBYTECODE=1 "$JQL_PYTHON" - "$1" <<'EOF'
import sys
import justice_quarterly as jq
esc = lambda s: s.replace("\\", "\\\\").replace("\n", "\\n")
ds = jq.Dataset.load(sys.argv[1])
for label in ds.labels:
    for lang, name in label.names.items():
        assert ds.label(label.kind, label.id, lang) == name
        print("label %s %s %s=%s" % (label.kind, label.id, lang, esc(name)))
for period, fields in ds.documents.items():
    assert ds.document(period) == fields
    for field, value in fields.items():
        print("document %s %s=%s" % (period, field, esc(value)))
EOF
}

ask_labels_lua() {
    interp LUA_CPATH="$JQL_LUA_CPATH" "$JQL_LUA" - "$1" <<'EOF'
local jq = require("justice_quarterly")
local ds = assert(jq.load((...)))
local function esc(s) return (s:gsub("\\", "\\\\"):gsub("\n", "\\n")) end
for _, l in ipairs(ds:labels()) do
  for lang, name in pairs(l.names) do
    assert(ds:label(l.kind, l.id, lang) == name)
    print(string.format("label %s %s %s=%s", l.kind, l.id, lang, esc(name)))
  end
end
for period, fields in pairs(ds:documents()) do
  for field, value in pairs(fields) do
    assert(ds:document(period)[field] == value)
    print(string.format("document %s %s=%s", period, field, esc(value)))
  end
end
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

label_sets=("$dataset" "$examples/tay-ninh-2026/dataset.json")
# Tasks by status (the keys are jql_task_status_name's): every task, and
# those due in a period.
status_periods=("-" "2014-Q1")
# The "Tasks not done" list of jql-report, as of these dates.
not_done_dates=(2014-03-31 2014-03-12 2014-02-20)

# Report standings and directive completion: period and as-of date.
record_questions=("2014-Q1 2014-03-31" "2014-Q1 2014-03-16" "2014-Q1 -" "2014-Q2 2014-06-20"
                  "2014-Q2 -")
# Changes of every indicator: these periods.
change_periods=(2014-Q1 2014-H1)

echo "1..$((2 * ${#questions[@]} + 2 * ${#label_sets[@]} + 6 + 2 * ${#status_periods[@]} + ${#not_done_dates[@]} + 6 * ${#record_questions[@]} + 3 * ${#change_periods[@]}))"

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

for set in "${label_sets[@]}"; do
    name=$(basename "$(dirname "$set")")
    "$cprog" --labels "$set" >"$tmp/c" 2>"$tmp/why"
    if [ "$have_py" -eq 1 ]; then
        ask_labels_py "$set" >"$tmp/py" 2>"$tmp/why"
        same "$tmp/c" "$tmp/py"
        ok $? "Python ds.labels, ds.documents = C jql_label_*, jql_document_*: $name"
    else
        skip "Python binding not built (labels, $name)"
    fi
    if [ "$have_lua" -eq 1 ]; then
        ask_labels_lua "$set" >"$tmp/lua" 2>"$tmp/why"
        same "$tmp/c" "$tmp/lua"
        ok $? "Lua ds:labels(), ds:documents() = C jql_label_*, jql_document_*: $name"
    else
        skip "Lua binding not built (labels, $name)"
    fi
done

# jql-report's letterhead: the 2014-Q1 document's issuer, parent, number and motto
"$build/examples/jql-report" "$dataset" --period 2014-Q1 --lang vi 2>"$tmp/why" |
    sed 's/\*//g; s/ *$//' >"$tmp/report-vi.md"
"$cprog" --labels "$dataset" |
    sed -n 's/^document 2014-Q1 \(issuer\|issuer_parent\|number\|motto\)=//p' >"$tmp/c"
missing=0
while IFS= read -r value; do
    grep -qFx -- "$value" "$tmp/report-vi.md" || { echo "not in jql-report: $value" >>"$tmp/why"; missing=1; }
done <"$tmp/c"
[ "$(wc -l <"$tmp/c")" -eq 4 ] && [ "$missing" -eq 0 ]
ok $? "jql-report = C: the document's issuer, issuer_parent, number and motto"

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

# ---- per record: report standings, directives done, % changes ----------------

# ask_standings_py PERIOD AS_OF / ask_standings_lua: "report UNIT KIND PERIOD=..."
ask_standings_py() {
    interp PYTHONPATH="$JQL_PYTHONPATH" PYTHONDONTWRITEBYTECODE=1 "$JQL_PYTHON" - "$dataset" "$@" <<'EOF'
import sys
import justice_quarterly as jq
path, period, as_of = sys.argv[1:]
as_of = None if as_of == "-" else as_of
ds = jq.Dataset.load(path)
for u in ds.units:
    for r in ds.reports_in_period(u, period):
        s = ds.report_standing(ds.report_index(r.unit, r.period, r.kind), as_of)
        print("report %s %s %s=%s %s %d" % (r.unit, r.kind, r.period, s.standing,
                                            "-" if s.days_late is None else s.days_late,
                                            s.incomplete))
EOF
}
ask_standings_lua() {
    interp LUA_CPATH="$JQL_LUA_CPATH" "$JQL_LUA" - "$dataset" "$@" <<'EOF'
local jq = require("justice_quarterly")
local path, period, as_of = ...
if as_of == "-" then as_of = nil end
local ds = assert(jq.load(path))
for u in ds:units() do
  for _, r in ipairs(assert(ds:reports(u.id, period))) do
    local st, days, inc = ds:report_standing(r.unit, r.period, r.kind, as_of)
    print(string.format("report %s %s %s=%s %s %d", r.unit, r.kind, r.period, st,
      days and tostring(days) or "-", inc and 1 or 0))
  end
end
EOF
}
# ask_directives_py PERIOD AS_OF / ask_directives_lua: "directive ID=done|open"
ask_directives_py() {
    interp PYTHONPATH="$JQL_PYTHONPATH" PYTHONDONTWRITEBYTECODE=1 "$JQL_PYTHON" - "$dataset" "$@" <<'EOF'
import datetime
import sys
import justice_quarterly as jq
path, period, as_of = sys.argv[1:]
as_of = None if as_of == "-" else datetime.date.fromisoformat(as_of)
ds = jq.Dataset.load(path)
for d in ds.directives_due(period):
    if as_of is None or d.issued <= as_of:
        print("directive %s=%s" % (d.id, "done" if ds.directive_done(d.id, as_of) else "open"))
EOF
}
ask_directives_lua() {
    interp LUA_CPATH="$JQL_LUA_CPATH" "$JQL_LUA" - "$dataset" "$@" <<'EOF'
local jq = require("justice_quarterly")
local path, period, as_of = ...
if as_of == "-" then as_of = nil end
local ds = assert(jq.load(path))
for _, d in ipairs(assert(ds:directives_due(nil, period))) do
  if as_of == nil or d.issued <= as_of then
    print(string.format("directive %s=%s", d.id,
      ds:directive_done(d.id, as_of) and "done" or "open"))
  end
end
EOF
}
# ask_changes_py PERIOD / ask_changes_lua: "change UNIT INDICATOR=PERCENT"
ask_changes_py() {
    interp PYTHONPATH="$JQL_PYTHONPATH" PYTHONDONTWRITEBYTECODE=1 "$JQL_PYTHON" - "$dataset" "$@" <<'EOF'
import sys
import justice_quarterly as jq
path, period = sys.argv[1:]
ds = jq.Dataset.load(path)
for u in ds.units:
    for i in ds.indicators:
        c = ds.change(u, i, period, rollup=True)
        if c.percent is not None:
            print("change %s %s=%s" % (u, i, c.percent))
EOF
}
ask_changes_lua() {
    interp LUA_CPATH="$JQL_LUA_CPATH" "$JQL_LUA" - "$dataset" "$@" <<'EOF'
local jq = require("justice_quarterly")
local path, period = ...
local ds = assert(jq.load(path))
for u in ds:units() do
  for _, i in ipairs(ds:indicators()) do
    local c = assert(ds:change(u.id, i.id, period, true))
    if c.percent then
      print(string.format("change %s %s=%.3f", u.id, i.id, c.percent))
    end
  end
end
EOF
}

# jql-report's problem lists: "problem KIND|UNIT NAME|STATUS|DAYS"
report_problems() {
    awk -F' *\\| *' '
        /^### / { kind = ""; rows = 0 }
        $0 == "### Statistics report" { kind = "statistics" }
        $0 == "### Quarterly work report" { kind = "quarterly-work" }
        /^### / { next }
        kind != "" && /^\| --- / { rows = 1; next }
        kind != "" && rows && /^\| / { d = $4; if (d == "\342\200\224") d = "-"
                                      print "problem " kind "|" $2 "|" $3 "|" d }' "$1"
}
# jql-report's follow-through table: "directive-text TEXT=done|open"
report_directives() {
    awk -F' *\\| *' '
        /^### / { on = ($0 ~ /^### [0-9]+\. Follow-through on directives$/); rows = 0; next }
        /^#### / { on = 0; next }
        on && /^\| --- / { rows = 1; next }
        on && rows && /^\| / { print "directive-text " $2 "=" ($6 == "Not done" ? "open" : "done") }' "$1"
}
# jql-report's statistics matrix: "row N=" and the % of each cell, in tenths
report_changes() {
    awk -F' *\\| *' '
        /^### / { on = ($0 ~ /^### [0-9]+\. Statistics$/); next }
        on && /^\| --- / { rows = 1; r = 0; next }
        on && !/^\| / { rows = 0 }
        on && rows && /^\| / {
            r++
            for (c = 3; c < NF; c++) {
                v = $c; gsub(/[*,]/, "", v)
                if (match(v, /[-+]?[0-9]+\.[0-9]%$/)) {
                    p = substr(v, RSTART, RLENGTH - 1); sub(/\./, "", p)
                    line[r] = line[r] (line[r] == "" ? "" : " ") (p + 0)
                }
            }
            if (r > n) n = r
        }
        END { for (k = 1; k <= n; k++) print "row " k "=" line[k] }' "$1"
}

# same_or_none EXPECTED GOT: as same, and both empty is agreement too
same_or_none() {
    if [ -s "$1" ]; then same "$1" "$2"; else diff /dev/null "$2" >"$tmp/why"; fi
}

for q in "${record_questions[@]}"; do
    period=${q% *} as_of=${q#* }
    # shellcheck disable=SC2086
    "$cprog" --standings "$dataset" $q >"$tmp/c-all" 2>"$tmp/why"
    grep '^report ' "$tmp/c-all" >"$tmp/c"
    if [ "$have_py" -eq 1 ]; then
        ask_standings_py "$period" "$as_of" >"$tmp/py" 2>"$tmp/why"
        same "$tmp/c" "$tmp/py"
        ok $? "Python = C: each report's standing, days late, incomplete ($q)"
    else
        skip "Python binding not built (standings, $q)"
    fi
    if [ "$have_lua" -eq 1 ]; then
        ask_standings_lua "$period" "$as_of" >"$tmp/lua" 2>"$tmp/why"
        same "$tmp/c" "$tmp/lua"
        ok $? "Lua = C: each report's standing, days late, incomplete ($q)"
    else
        skip "Lua binding not built (standings, $q)"
    fi
    ropt=()
    [ "$as_of" != "-" ] && ropt=(--as-of "$as_of")
    "$build/examples/jql-report" "$dataset" --period "$period" "${ropt[@]}" --lang en \
        >"$tmp/rq.md" 2>"$tmp/why"
    grep '^problem ' "$tmp/c-all" >"$tmp/c"
    report_problems "$tmp/rq.md" >"$tmp/cli"
    same_or_none "$tmp/c" "$tmp/cli"
    ok $? "jql-report = C: reports listed as not submitted, late, incomplete ($q)"

    # shellcheck disable=SC2086
    "$cprog" --directives "$dataset" $q >"$tmp/c-all" 2>"$tmp/why"
    grep '^directive ' "$tmp/c-all" >"$tmp/c"
    if [ "$have_py" -eq 1 ]; then
        ask_directives_py "$period" "$as_of" >"$tmp/py" 2>"$tmp/why"
        same_or_none "$tmp/c" "$tmp/py"
        ok $? "Python = C: each directive done or not ($q)"
    else
        skip "Python binding not built (directives, $q)"
    fi
    if [ "$have_lua" -eq 1 ]; then
        ask_directives_lua "$period" "$as_of" >"$tmp/lua" 2>"$tmp/why"
        same_or_none "$tmp/c" "$tmp/lua"
        ok $? "Lua = C: each directive done or not ($q)"
    else
        skip "Lua binding not built (directives, $q)"
    fi
    grep '^directive-text ' "$tmp/c-all" >"$tmp/c"
    report_directives "$tmp/rq.md" >"$tmp/cli"
    same_or_none "$tmp/c" "$tmp/cli"
    ok $? "jql-report = C: directives of the period done or not ($q)"
done

for p in "${change_periods[@]}"; do
    "$cprog" --changes "$dataset" "$p" >"$tmp/c-all" 2>"$tmp/why"
    grep '^change ' "$tmp/c-all" >"$tmp/c"
    [ -s "$tmp/c" ] || echo "no change from C for $p" >>"$tmp/c"
    if [ "$have_py" -eq 1 ]; then
        ask_changes_py "$p" >"$tmp/py" 2>"$tmp/why"
        same "$tmp/c" "$tmp/py"
        ok $? "Python ds.change = C: % change of every unit and indicator ($p)"
    else
        skip "Python binding not built (changes, $p)"
    fi
    if [ "$have_lua" -eq 1 ]; then
        ask_changes_lua "$p" >"$tmp/lua" 2>"$tmp/why"
        same "$tmp/c" "$tmp/lua"
        ok $? "Lua ds:change = C: % change of every unit and indicator ($p)"
    else
        skip "Lua binding not built (changes, $p)"
    fi
    "$build/examples/jql-report" "$dataset" --period "$p" --lang en >"$tmp/rc.md" 2>"$tmp/why"
    grep '^row ' "$tmp/c-all" >"$tmp/c"
    report_changes "$tmp/rc.md" >"$tmp/cli"
    same "$tmp/c" "$tmp/cli"
    ok $? "jql-report = C: % change in every cell of the statistics matrix ($p)"
done
