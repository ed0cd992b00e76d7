#!/usr/bin/env bash
# TAP checks of examples/jql-report. Usage: test_report.sh BUILD_ROOT
# (meson passes the build root; JQL_EXAMPLES_DATA names examples/data).
# The report's content is checked against figures computed from the dataset
# JSON by tests/report/expect.py; the HTML page is rendered in headless
# Chromium by tests/report/check_html.py (skipped only when chromium is not
# installed), which leaves BUILD_ROOT/report.png and BUILD_ROOT/report.html.
set -u

build=${1:?usage: test_report.sh BUILD_ROOT}
build=$(cd "$build" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog="$build/examples/jql-report"
score="$build/examples/jql-score"
examples=${JQL_EXAMPLES_DATA:-$here/../../examples/data}
dataset="$examples/long-an-2014/dataset.json"
criteria="$examples/long-an-2014/criteria-2014.json"
expect="$here/../report/expect.py"
check_html="$here/../report/check_html.py"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
export LC_ALL=C # output must not depend on the locale

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
ok() { # ok STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        sed 's/^/# /' "$tmp/why" 2>/dev/null | head -20
        sed 's/^/# stderr: /' "$tmp/err" 2>/dev/null | head -10
    fi
    : >"$tmp/why"
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
run() { "$prog" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
is() { [ "$1" = "$2" ]; echo $?; }
# content CHECK FILE PERIOD LANG: figures from the dataset found in the report
content() { "$py" "$expect" "$1" "$2" "$dataset" "$3" "$4" 2>"$tmp/why"; echo $?; }

echo "1..62"

# 1-12: the Markdown report of 2014-Q1, Vietnamese (the default)
run "$dataset" --period 2014-Q1 -o "$tmp/q1-vi.md"
ok "$(is "$rc:$(wc -c <"$tmp/out"):$(wc -c <"$tmp/err")" "0:0:0")" "vi md: exit 0, silent with -o"
for check in heading totals units kinds late missing incomplete tasks shortcomings directives; do
    ok "$(content $check "$tmp/q1-vi.md" 2014-Q1 vi)" "vi md 2014-Q1: $check match the dataset"
done

# 13-14: Vietnamese formatting, spelled out
grep -q '| Phòng Tư pháp huyện Tân Hưng | Trễ hạn | 8 | 15/3/2014 | 23/3/2014 |' "$tmp/q1-vi.md"
ok $? "vi: Tân Hưng's statistics 8 days late, dates as 15/3/2014"
grep -q '| 21/3/2014 | 30/6/2014 |' "$tmp/q1-vi.md" && grep -Eq '\| [0-9]{1,3}(\.[0-9]{3})+ [+-]' "$tmp/q1-vi.md" &&
    grep -Eq '\+[0-9]+,[0-9]%' "$tmp/q1-vi.md"
ok $? "vi: issued 21/3/2014, thousands as 1.234, percentages as +14,9%"

# 15-21: English
run "$dataset" --period 2014-Q1 --lang en
cp "$tmp/out" "$tmp/q1-en.md"
ok "$(is "$rc" 0)" "en md: exit 0"
for check in heading totals late tasks directives; do
    ok "$(content $check "$tmp/q1-en.md" 2014-Q1 en)" "en md 2014-Q1: $check match the dataset"
done
grep -q '| 21 Mar 2014 | 30 Jun 2014 |' "$tmp/q1-en.md" && grep -Eq '\| [0-9]{1,3}(,[0-9]{3})+ [+-]' "$tmp/q1-en.md" &&
    grep -q '^### 2. Statistics$' "$tmp/q1-en.md" && ! grep -q 'Kỳ báo cáo' "$tmp/q1-en.md"
ok $? "en: English labels, 21 Mar 2014, thousands as 1,234"

# 22-24: 2014-Q2: directives due and done, a shortcoming resolved
run "$dataset" --period 2014-Q2
cp "$tmp/out" "$tmp/q2-vi.md"
ok "$(content directives "$tmp/q2-vi.md" 2014-Q2 vi)" "vi md 2014-Q2: directives due, done on their dates"
ok "$(content shortcomings "$tmp/q2-vi.md" 2014-Q2 vi)" "vi md 2014-Q2: open and resolved shortcomings"
ok "$(content kinds "$tmp/q2-vi.md" 2014-Q2 vi)" "vi md 2014-Q2: report counts"

# 25: the default period is the latest quarter with statistics
want=$("$py" -c 'import json,sys
d = json.load(open(sys.argv[1]))
q = sorted({s["period"] for s in d["statistics"] if len(s["period"]) == 7 and s["period"][5] == "Q"})
names = {p["id"]: p.get("name", p["id"]) for p in d.get("periods", [])}
print(names.get(q[-1], q[-1]))' "$dataset")
run "$dataset"
grep -q "^\*\*Kỳ báo cáo:\*\* ${want} (" "$tmp/out"
ok $? "no --period: the latest quarter with statistics ($want)"

# 26: -o gives exactly what standard output gives, and leaves no temporary file
mkdir "$tmp/o"
"$prog" "$dataset" --period 2014-Q1 --output="$tmp/o/r.md" 2>"$tmp/err"
run "$dataset" --period 2014-Q1
cmp -s "$tmp/out" "$tmp/o/r.md" && [ "$(ls -A "$tmp/o")" = r.md ]
ok $? "-o FILE equals standard output; nothing else left behind"

# 27: the output does not depend on the locale
loc=$(locale -a 2>/dev/null | grep -i -m1 -e '^de_DE\.utf-\?8$' -e '^vi_VN\.utf-\?8$' || true)
LC_ALL=${loc:-C.UTF-8} "$prog" "$dataset" --period 2014-Q1 --lang en >"$tmp/out" 2>"$tmp/err"
cmp -s "$tmp/out" "$tmp/q1-en.md"
ok $? "same output under LC_ALL=${loc:-C.UTF-8}"

# 28-29: escaping of names in Markdown and HTML
"$py" -c 'import json,sys
d = json.load(open(sys.argv[1]))
d["units"][1]["name"] = "A|B <b>&\"x\" '"'"'q'"'"'"
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)' "$dataset" "$tmp/odd.json"
run "$tmp/odd.json" --period 2014-Q1
grep -q '| A\\|B \\<b\\>&"x" '"'"'q'"'"' |' "$tmp/out"
ok $? "md: '|' and '<' in names are escaped"
run "$tmp/odd.json" --period 2014-Q1 --format html
grep -q 'A|B &lt;b&gt;&amp;&quot;x&quot; &#39;q&#39;' "$tmp/out" && ! grep -q '<b>&' "$tmp/out"
ok $? "html: names are escaped"

# 30-31: the HTML page is self-contained and adapts to screen and paper
run "$dataset" "$criteria" --period 2014-Q1 --format html
! grep -Eiq '<script|<link|<img|<iframe| src=|url\(|@import' "$tmp/out" &&
    [ "$(grep -o 'https\?://[^"]*' "$tmp/out" | sort -u)" = "http://www.w3.org/2000/svg" ]
ok $? "html: no script, no external resource"
grep -q '<meta name="viewport"' "$tmp/out" && grep -q '@page{size:A4' "$tmp/out" &&
    grep -q '@media print' "$tmp/out" && grep -q 'viewBox="0 0 640 ' "$tmp/out" && grep -q '<html lang="vi">' "$tmp/out"
ok $? "html: viewport, A4 print rules, scalable SVG, lang=vi"

# 32-37: errors and exit codes
run
ok "$(is "$rc" 2)" "no DATASET: exit 2"
run "$dataset" --lang fr
ok "$(is "$rc" 2)" "--lang fr: exit 2"
run "$dataset" --format pdf
ok "$(is "$rc" 2)" "--format pdf: exit 2"
run "$dataset" --period no-such-period
ok "$(is "$rc" 2)" "unknown period: exit 2"
run "$tmp/does-not-exist.json"
ok "$(is "$rc" 3)" "unreadable dataset: exit 3"
printf '{"format": "justice-quarterly/dataset 1.0", "units": [{"id": "a"}]}' >"$tmp/bad.json"
run "$tmp/bad.json"
ok "$(is "$rc" 1)" "invalid dataset: exit 1 with diagnostics"

# 38: -o into a missing directory
run "$dataset" -o "$tmp/no/such/dir/report.md"
ok "$(is "$rc" 3)" "-o into a missing directory: exit 3"

# 39-42: with the criteria: the emulation section agrees with jql-score
run "$dataset" "$criteria" --period 2014-Q1 -o "$tmp/emu.md"
ok "$(is "$rc" 0)" "with criteria: exit 0"
# the report scores as of its as-of date (default: the period's end, 31/3/2014)
if [ -x "$score" ] && "$score" "$dataset" "$criteria" --as-of 2014-03-31 --format json >"$tmp/res.json" 2>/dev/null; then
    "$py" "$expect" emulation "$tmp/emu.md" "$dataset" 2014-Q1 vi "$tmp/res.json" 2>"$tmp/why"
    ok $? "scoreboard: every unit's rank, name and final score as jql-score gives them"
    "$prog" "$dataset" "$criteria" --period 2014-Q1 --score-sheet all -o "$tmp/sheets.md" 2>"$tmp/err"
    "$py" "$expect" strengths "$tmp/sheets.md" "$dataset" 2014-Q1 vi "$tmp/res.json" "$criteria" 2>"$tmp/why"
    ok $? "score sheets: strongest and weakest criteria computed from jql-score's node points"
else
    skip "jql-score not built or failing"
    skip "jql-score not built or failing"
fi
run "$dataset" "$criteria" --period 2014-Q1 --score-period no-such-period
grep -q '^\*\*Không chấm điểm được:\*\* ' "$tmp/out"
ok "$(is "$rc:$?" "1:0")" "criteria that cannot be scored: the report says so, exit 1"

# 42-43: the HTML page of the conference (as of 21/3/2014) rendered in headless
# Chromium and printed to PDF: at most 6 A4 pages
run "$dataset" "$criteria" --period 2014-Q1 --as-of 2014-03-21 --format html -o "$build/report.html"
bars=$("$py" "$expect" bars - "$dataset" 2014-Q1 vi "$criteria")
ok "$(is "$rc:$?" "0:0")" "html with criteria: exit 0 ($bars)"
have_chromium=false
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    have_chromium=true
fi
if $have_chromium; then
    # shellcheck disable=SC2086
    "$py" "$check_html" "$build/report.html" "$build/report.png" $bars 'pages<=6' 2>"$tmp/why"
    ok $? "chromium renders it with no console message, charts have their bars, <= 6 A4 pages; $build/report.pdf"
else
    skip "chromium is not installed"
fi

# 44-47: as of the conference (21/3/2014): nothing dated later is shown, no raw id
run "$dataset" "$criteria" --period 2014-Q1 --as-of 2014-03-21 -o "$tmp/asof.md"
ok "$(is "$rc" 0)" "--as-of 2014-03-21: exit 0"
"$py" "$expect" asof "$tmp/asof.md" "$dataset" 2014-Q1 vi 2014-03-21 2>"$tmp/why"
ok $? "as of 21/3/2014: no submission, completion, issue or event date after it"
"$py" "$expect" noids "$tmp/asof.md" "$dataset" 2014-Q1 vi "$criteria" 2>"$tmp/why"
ok $? "no raw id (unit, level, cluster, field, kind, veto, criteria) in the text"
run "$dataset" "$criteria" --period 2014-Q1 -o "$tmp/later.md"
"$py" "$expect" asof "$tmp/later.md" "$dataset" 2014-Q1 vi 2014-03-21 2>/dev/null
ok "$(is "$?" 1)" "the same check finds the later dates in the report as of the period's end"

# 48-52: the per-unit score sheets
run "$dataset" "$criteria" --period 2014-Q1 --score-sheet tan-an -o "$tmp/sheet.md"
ok "$(is "$rc" 0)" "--score-sheet tan-an: exit 0"
if [ -s "$tmp/res.json" ]; then
    "$py" "$expect" sheet "$tmp/sheet.md" "$dataset" 2014-Q1 vi "$tmp/res.json" tan-an 2>"$tmp/why"
    ok $? "score sheet: every criterion's maximum, self, appraised and points as jql-score gives them"
else
    skip "jql-score not built or failing"
fi
"$prog" "$dataset" "$criteria" --period 2014-Q1 --score-sheet all -o "$tmp/sheets.md" 2>"$tmp/err"
"$py" "$expect" noids "$tmp/sheets.md" "$dataset" 2014-Q1 vi "$criteria" 2>"$tmp/why"
ok $? "score sheets: no raw id in the text"
run "$dataset" "$criteria" --score-sheet no-such-unit
ok "$(is "$rc" 2)" "--score-sheet of a unit not scored: exit 2"
run "$dataset" --score-sheet tan-an
ok "$(is "$rc" 2)" "--score-sheet without CRITERIA: exit 2"
run "$dataset" "$criteria" --period 2014-Q1 --score-sheet all --format html -o "$build/sheets.html"
units=$("$py" -c 'import json,sys
d = json.load(open(sys.argv[1])); print(sum(1 for u in d["units"] if u["level"] == "district"))' "$dataset")
if $have_chromium; then
    "$py" "$check_html" "$build/sheets.html" "$build/sheets.png" "pages=$units" 2>"$tmp/why"
    ok $? "score sheets of all $units units: one A4 page each; $build/sheets.pdf"
else
    skip "chromium is not installed"
fi

# 53-57: the two-tier example (province -> communes after the 2025 reorganisation):
# validated, scored and reported by the same programs
tn="$examples/tay-ninh-2026"
"$build/examples/jql-validate" "$tn/dataset.json" >"$tmp/out" 2>"$tmp/err"
ok "$(is "$?:$(wc -c <"$tmp/err")" "0:0")" "two-tier: jql-validate accepts it, no warning"
"$score" "$tn/dataset.json" "$tn/criteria-2026.json" --as-of 2026-12-31 --format json >"$tmp/tn.json" 2>"$tmp/err"
ok "$?" "two-tier: jql-score scores it"
run "$tn/dataset.json" "$tn/criteria-2026.json" -o "$tmp/tn.md"
ok "$(is "$rc:$(grep -c '^UBND TỈNH TÂY NINH  $' "$tmp/tn.md")" "0:1")" "two-tier: the report of its latest quarter, with its administrative form"
"$py" "$expect" emulation "$tmp/tn.md" "$tn/dataset.json" 2026-Q4 vi "$tmp/tn.json" 2>"$tmp/why"
ok $? "two-tier: the scoreboard as jql-score gives it"
"$py" "$expect" noids "$tmp/tn.md" "$tn/dataset.json" 2026-Q4 vi "$tn/criteria-2026.json" 2>"$tmp/why"
ok $? "two-tier: no raw id in the text"
run "$dataset" --as-of 2014-02-30
ok "$(is "$rc:$(grep -c 'as-of needs an existing date' "$tmp/err")" "2:1")" "--as-of with an impossible date: exit 2, said so"

# 60-62: on time as scored (submitted by the due date, complete or not), next to
# incomplete: Thạnh Hóa's statistics report sent 14/3 for 15/3, incomplete, is on time
run "$dataset" --period 2014-Q1 --lang en
grep -q '^| Report kind | Due | On time | Incomplete | Late | Not submitted |$' "$tmp/out"
ok $? "en: the reports table puts on time and incomplete side by side"
grep -q '^| Statistics report | 15 | 11 | 2 | 3 | 1 |$' "$tmp/out"
ok $? "en: 11 statistics reports on time, as scoring counts them (2 incomplete)"
# as of 21/3/2014, directives due in June are not due yet: no addressee owes them
run "$dataset" --period 2014-H1 --as-of 2014-03-21 --lang en
ok "$(is "$rc:$(grep -c '^#### By addressee$' "$tmp/out")" "0:0")" "--as-of: directives not due yet are not counted against addressees"
