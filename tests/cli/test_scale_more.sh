#!/usr/bin/env bash
# TAP checks of the fifth hostile-cost sweep (issue 10): the entry points
# added after test_scale.sh and test_scale_criteria.sh (jql-import with
# several kinds of CSV, jql-score --periods and -f xlsx, ...). Inputs are
# generated here; each case once took from tens of seconds to minutes or
# gigabytes. They check answers, not time, except that each command runs
# under a generous `timeout` (60 s; a few seconds now, in a debug build)
# so that a return of the old cost fails instead of hanging the suite.
# Usage: test_scale_more.sh BUILD_ROOT
set -u

build=${1:?usage: test_scale_more.sh BUILD_ROOT}
score="$build/examples/jql-score"
report="$build/examples/jql-report"
import="$build/examples/jql-import"
run_limit=60 # seconds (scale_lib.sh)
. "$(dirname "${BASH_SOURCE[0]}")/scale_lib.sh"

echo "1..30"

# 1-2: wide statistics headed by indicator names, into a dataset of 150,000
# indicators (7.9 MB): each header folded every indicator's name (1,000
# columns: 86 s); now a map of the folded names, built once per file.
# Headers in capitals name the indicators counted from the end.
gen "$tmp/inds.json" 'ni = 150000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}, {"id": "u", "name": "U", "level": "district", "parent": "D"}],
  "indicators": [{"id": "i%d" % k, "name": "Ch\u1ec9 ti\u00eau s\u1ed1 %d" % k} for k in range(ni)]}'
"$py" -c 'import sys
cols = ["CH\u1ec8 TI\u00caU S\u1ed0 %d" % (149999 - k) for k in range(1000)]
open(sys.argv[1], "w", encoding="utf-8").write("unit;period;" + ";".join(cols) + "\nu;2014-Q1;" + ";".join(str(k) for k in range(1000)) + "\n")' "$tmp/wide.csv"
run "$import" --into "$tmp/inds.json" -o "$tmp/wide-out.json" "$tmp/wide.csv"
ok "$(is $rc 0)" "jql-import: 1,000 wide columns named among 150,000 indicators"
ok "$(check 'import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
got = {(s["indicator"], s["value"]) for s in doc["statistics"]}
assert got == {("i%d" % (149999 - k), k) for k in range(1000)}, sorted(got)[:3]' "$tmp/wide-out.json")" "jql-import: each column on the indicator its header names"
rm -f "$tmp/inds.json" "$tmp/wide-out.json"

# 3-5: -f xlsx names a unit's sheet by its id cut to 28 characters, and a
# clash "cut~k" with the first k from 2 not taken: each clash tried every k
# again (20,000 ids alike in their first 31 characters: 68 s); now each cut
# id resumes from its last k. One manual criterion, so the book stays small.
gen "$tmp/clash.json" 'n = 20000
pre = "phong-tu-phap-huyen-xxxxxxxxxx-"
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": pre + "%d" % i, "name": "x", "level": "district", "parent": "D"} for i in range(n)],
  "assessments": [{"unit": pre + "%d" % i, "period": "2014", "criterion": "m", "appraised": 1} for i in range(n)]}'
gen "$tmp/clash-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "m", "title": "m", "max": 1, "method": {"type": "manual"}}]}'
run "$score" "$tmp/clash.json" "$tmp/clash-crit.json" -f xlsx -o "$tmp/clash.xlsx"
if grep -q "without libxlsxwriter" "$tmp/err"; then
    for k in 1 2 3; do ok 0 "# SKIP jql-score built without libxlsxwriter"; done
else
    ok "$(is $rc 0)" "xlsx: 20,000 units whose ids share their first 31 characters"
    # the sheets in order: scoreboard, the first unit's cut id, then ~2...
    # (units tie, so they come in id order: the suffix follows that order)
    ok "$(check 'import re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode()
names = re.findall(r"<sheet name=\"([^\"]*)\"", book)
assert len(names) == 20001 and names[0] == "scoreboard", (len(names), names[:2])
assert names[1] == "phong-tu-phap-huyen-xxxxxxxx", names[1]
assert names[2:] == ["phong-tu-phap-huyen-~%d" % k for k in range(2, 20001)], names[2:5]' "$tmp/clash.xlsx")" "xlsx: the sheets are the cut id, then cut~2 to cut~20000"
    # an id that is itself a "cut~k" name, and ids differing in case only
    gen "$tmp/mixed.json" 'ids = ["Ab-xxxxxxxxxxxxxxxxxxxxxxxxxxx1", "aB-xxxxxxxxxxxxxxxxxxxxxxxxxxx2",
       "Ab-xxxxxxxxxxxxxxxxx~3", "ab-xxxxxxxxxxxxxxxxxxxxxxxxxxx4", "AB-xxxxxxxxxxxxxxxxxxxxxxxxxxx5"]
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": i, "name": "x", "level": "district", "parent": "D"} for i in ids],
  "assessments": [{"unit": i, "period": "2014", "criterion": "m", "appraised": 1} for i in ids]}'
    run "$score" "$tmp/mixed.json" "$tmp/clash-crit.json" -f xlsx -o "$tmp/mixed.xlsx"
    ok "$(check 'import re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode()
names = re.findall(r"<sheet name=\"([^\"]*)\"", book)
# ids in result order (tied: by id, bytewise: ...5, ...1, ...~3, ...2, ...4);
# the id "...~3" takes that name itself, so the next clash skips it
assert names == ["scoreboard", "AB-xxxxxxxxxxxxxxxxxxxxxxxxx", "Ab-xxxxxxxxxxxxxxxxx~2",
                 "Ab-xxxxxxxxxxxxxxxxx~3", "aB-xxxxxxxxxxxxxxxxx~4", "ab-xxxxxxxxxxxxxxxxx~5"], names' "$tmp/mixed.xlsx")" "xlsx: clashes ignore case and skip a name an id already took"
fi
rm -f "$tmp/clash.json" "$tmp/clash.xlsx"

# 6-9: --periods held every period's results: 64 periods of 1,000 units x
# 600 leaves (38.4 million results; 2.5 GB). Now each period is scored
# without evidence and freed once its rows are in the table: its peak RSS is
# one period's scoring (under 1 GB even under ASan; a limit on the address
# space would not do, ASan reserves terabytes of it). The periods share a
# budget of 40,000,000 results: 64 periods of 700 leaves (44.8 million) are
# refused at once.
gen "$tmp/per.json" 'nu, nl = 1000, 600
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%03d" % i, "name": "u", "level": "district", "parent": "D"} for i in range(nu)],
  "assessments": [{"unit": "u%03d" % i, "period": "2014", "criterion": "m0", "appraised": 0.1 if i < 500 else 0} for i in range(nu)]}'
for nl in 600 700; do
    gen "$tmp/per-$nl.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "m%d" % l, "title": "m", "max": 0.1, "method": {"type": "manual"}} for l in range('$nl')]}'
done
periods=$("$py" -c 'print(",".join(["2014"] * 64))')
if /usr/bin/time -f %M true 2>/dev/null; then
    run /usr/bin/time -o "$tmp/peak" -f %M "$score" "$tmp/per.json" "$tmp/per-600.json" --periods="$periods" -f json
    peak=$(tail -1 "$tmp/peak")
    ok "$([ "$rc" -eq 0 ] && [ "$peak" -lt 1000000 ]; echo $?)" "--periods: 64 periods of 1,000 units x 600 leaves within 1 GB of peak RSS ($peak KB)"
else
    run "$score" "$tmp/per.json" "$tmp/per-600.json" --periods="$periods" -f json
    ok "$(is $rc 0)" "--periods: 64 periods of 1,000 units x 600 leaves (peak not measured: no /usr/bin/time)"
fi
ok "$(check 'import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
assert t["periods"] == ["2014"] * 64 and len(t["units"]) == 1000, len(t["units"])
# 0.1 of 60 is 0.167 of 100 for the first 500 units, rank 1; 0, rank 501
for u in t["units"]:
    want = (0.167, 1) if u["id"] < "u500" else (0, 501)
    assert {(p["final"], p["rank"]) for p in u["periods"]} == {want}, (u["id"], u["periods"][0])
    assert [p["movement"] for p in u["periods"]] == [None] + [0] * 63, u["id"]' "$tmp/out")" "--periods: every unit's final and rank in every period, no movement"
run "$score" "$tmp/per.json" "$tmp/per-700.json" --periods="$periods"
ok "$(is $rc 1)" "--periods: 64 periods x 700,000 results each are refused (exit 1)"
ok "$(has "64 periods share 40000000 results, 625000 each" "$tmp/err")" "--periods: the message names the budget and the share"

# 10-13: --score-sheet=all repeats every criterion's title on every unit's
# sheet: 300 units on 150 criteria titled 54 KB each (an 8 MB sheet) made
# 2.5 GB in 26 s, held whole. Past 256 MiB of repeated titles it is
# refused, naming the sizes, nothing written; one unit's sheet is written,
# and so are all sheets of the same sheet with short titles.
gen "$tmp/titles.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % i, "name": "n%d" % i, "level": "district", "parent": "D"} for i in range(300)],
  "assessments": [{"unit": "u%d" % i, "period": "2014", "criterion": "m0", "appraised": 0.1} for i in range(300)]}'
for len in 10900 2; do
    gen "$tmp/titles-$len.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "top", "name": "top", "min": 90}, {"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "m%d" % l, "title": ("T%03d " % l) * '$len', "max": 0.5, "method": {"type": "manual"}} for l in range(150)]}'
done
run "$report" "$tmp/titles.json" "$tmp/titles-10900.json" --score-sheet=all -o "$tmp/sheets.md"
ok "$([ "$rc" -eq 1 ] && [ ! -e "$tmp/sheets.md" ]; echo $?)" "--score-sheet=all: 300 sheets of 8 MB of titles refused (exit 1), nothing written"
ok "$(has "300 sheets each repeating 8284003 bytes of criterion titles" "$tmp/err")" "--score-sheet=all: the message names the sizes"
run "$report" "$tmp/titles.json" "$tmp/titles-10900.json" --score-sheet=u7 -f html -o "$tmp/sheet.html"
ok "$([ "$rc" -eq 0 ] && grep -c "T149 T149" "$tmp/sheet.html" | grep -qx 1; echo $?)" "--score-sheet=u7: one unit's sheet, every title once"
run "$report" "$tmp/titles.json" "$tmp/titles-2.json" --score-sheet=all
ok "$([ "$rc" -eq 0 ] && [ "$(grep -c "T149 T149" "$tmp/out")" -eq 300 ]; echo $?)" "--score-sheet=all: short titles, 300 sheets written"
rm -f "$tmp/sheet.html"

# 14-16: --plans lists every leaf with its title for every unit below the
# top tier: the pair of 10 made 2.5 GB of plans. Past 512 MiB of repeated
# titles every plans function refuses (exit 1), nothing written; the short
# titles are planned for all 300 units.
run "$score" "$tmp/titles.json" "$tmp/titles-10900.json" --plans -o "$tmp/plans.json"
ok "$([ "$rc" -eq 1 ] && [ ! -e "$tmp/plans.json" ]; echo $?)" "--plans: 300 units x 8 MB of leaf titles refused (exit 1), nothing written"
ok "$(has "300 units to plan x 8175000 bytes of leaf titles" "$tmp/err")" "--plans: the message names the sizes"
run "$score" "$tmp/titles.json" "$tmp/titles-2.json" --plans
ok "$([ "$rc" -eq 0 ] && [ "$(check 'import json, sys
p = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(p["units"]) == 300 and all(len(u["leaves"]) == 150 for u in p["units"]), len(p["units"])' "$tmp/out")" = 0 ]; echo $?)" "--plans: short titles, 300 units planned with their 150 leaves"

# 17-18: the text scoreboard padded every row to the widest unit name: one
# name of 60,000 characters among 20,000 units (a 3 MB dataset) made 1.2 GB
# in 6.6 s. Names and tiers now pad to at most 100 columns; a longer one is
# written whole on its own row.
gen "$tmp/wide-name.json" 'n = 20000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % i, "name": ("N" * 60000) if i == 0 else "n%d" % i, "level": "district", "parent": "D"} for i in range(n)],
  "assessments": [{"unit": "u%d" % i, "period": "2014", "criterion": "a", "appraised": 1} for i in range(n)]}'
gen "$tmp/one-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "top", "name": "top", "min": 90}, {"id": "b", "name": "b", "min": 0}],
  "criteria": [{"id": "a", "title": "a", "max": 100, "method": {"type": "manual"}}]}'
run "$score" "$tmp/wide-name.json" "$tmp/one-crit.json"
ok "$(is $rc 0)" "text: 20,000 units, one named with 60,000 characters"
ok "$(check 'import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
rows = [l for l in lines if l.startswith("   1 ")]
assert len(rows) == 20000, len(rows)
assert sum("N" * 60000 in l for l in rows) == 1
short = [l for l in rows if "N" * 60000 not in l]
# the name column is 100 wide: "  " + 100 columns after rank and cluster
assert all(len(l) < 200 for l in short), max(len(l) for l in short)
assert short[0].split()[2:4] == ["n1", "1.000"], short[0]' "$tmp/out")" "text: the long name whole on its row, the others padded to 100 columns"

# 19-23: tier names and the titles of the sections are repeated for every
# unit (a tier column per row, the report's tables and strengths): tier
# names and titles of 60,000 bytes (a 240 KB sheet) on 5,000 units made
# 300 MB of text, 600 MB of excel-vi CSV held whole, 600 MB of Markdown and
# 1.2 GB of HTML (12.7 s, 2.65 GB). Past 256 MiB of repeated names, refused
# with the sizes; CSV (tier ids) and one unit's sheet are still written.
gen "$tmp/names.json" 'n = 5000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % i, "name": "n%d" % i, "level": "district", "parent": "D"} for i in range(n)],
  "assessments": [{"unit": "u%d" % i, "period": "2014", "criterion": "a%d" % (i % 2), "appraised": 1} for i in range(n)]}'
gen "$tmp/names-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "top", "name": "T" * 60000, "min": 90}, {"id": "b", "name": "B" * 60000, "min": 0}],
  "criteria": [{"id": "s%d" % s, "title": ("S%d " % s) * 20000, "max": 50, "children": [
     {"id": "a%d" % s, "title": "a", "max": 50, "method": {"type": "manual"}}]} for s in range(2)]}'
run "$score" "$tmp/names.json" "$tmp/names-crit.json" -o "$tmp/names.txt"
ok "$([ "$rc" -eq 1 ] && [ ! -e "$tmp/names.txt" ] && grep -q "5000 units x 60000 bytes of tier names" "$tmp/err"; echo $?)" "text: 5,000 rows of a 60,000-byte tier name refused, the sizes named, nothing written"
run "$score" "$tmp/names.json" "$tmp/names-crit.json" -f csv --csv-dialect=excel-vi
ok "$([ "$rc" -eq 1 ] && grep -q "5000 units x 120000 bytes" "$tmp/err"; echo $?)" "excel-vi: two tier names a row, refused"
run "$score" "$tmp/names.json" "$tmp/names-crit.json" -f csv
ok "$([ "$rc" -eq 0 ] && [ "$(grep -c ',b,' "$tmp/out")" -eq 5000 ]; echo $?)" "csv: tier ids, all 5,000 rows written"
run "$report" "$tmp/names.json" "$tmp/names-crit.json" -f html -o "$tmp/names.html"
ok "$([ "$rc" -eq 1 ] && [ ! -e "$tmp/names.html" ] && grep -q "5000 units x 360000 bytes" "$tmp/err"; echo $?)" "jql-report: refused, the sizes named, nothing written"
run "$report" "$tmp/names.json" "$tmp/names-crit.json" --score-sheet=u1
ok "$([ "$rc" -eq 0 ] && [ "$(check 'import sys
assert "B" * 60000 in open(sys.argv[1], encoding="utf-8").read()' "$tmp/out")" = 0 ]; echo $?)" "jql-report --score-sheet=u1: one unit's sheet, its tier named"

# 24-26: a wide statistics file holds rows x indicator columns values: 10 MB
# of 5,000 rows x 1,022 columns of "1" were 5.1 million statistics (24 s,
# 1.7 GB, a 392 MB dataset). As many as a long file's rows at most
# (1,000,000): 1,001 rows x 1,000 columns are refused at the header.
gen "$tmp/grid.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % i, "name": "n%d" % i, "level": "district", "parent": "D"} for i in range(1001)],
  "indicators": [{"id": "i%d" % k, "name": "i%d" % k} for k in range(1000)]}'
"$py" -c 'import sys
head = "unit;" + ";".join("i%d" % k for k in range(1000)) + "\n"
open(sys.argv[1], "w").write(head + "".join("u%d;" % i + ";".join("1" for k in range(1000)) + "\n" for i in range(1001)))
open(sys.argv[2], "w").write(head + "".join("u%d;" % i + ";".join(str(k) for k in range(1000)) + "\n" for i in range(100)))' "$tmp/grid.csv" "$tmp/grid-100.csv"
run "$import" --into "$tmp/grid.json" --period 2014-Q1 -o "$tmp/grid-out.json" "$tmp/grid.csv"
ok "$([ "$rc" -eq 1 ] && [ ! -e "$tmp/grid-out.json" ]; echo $?)" "jql-import: 1,001 rows x 1,000 wide columns refused (exit 1), nothing written"
ok "$(has "grid.csv:1:0: 1001 rows x 1000 indicator columns are more than 1000000 values" "$tmp/err")" "jql-import: located at the header, the sizes named"
run "$import" --into "$tmp/grid.json" --period 2014-Q1 -o "$tmp/grid-out.json" "$tmp/grid-100.csv"
ok "$([ "$rc" -eq 0 ] && [ "$(check 'import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
got = sorted((s["unit"], s["indicator"], s["value"]) for s in doc["statistics"])
assert got == sorted(("u%d" % i, "i%d" % k, k) for i in range(100) for k in range(1000)), got[:3]' "$tmp/grid-out.json")" = 0 ]; echo $?)" "jql-import: 100 rows x 1,000 columns, every value in place"
rm -f "$tmp/grid-out.json"

# 27-30: several files at once: each file was imported into a working copy
# of the whole dataset (a canonical JSON round trip), so 102 files of 100 KB
# took 34 s, and the 402 files of 23 KB here (units, indicators, then 400
# files of 1,000 statistics, 9.4 MB in all) most of two minutes. Rows now
# go straight into the dataset while every file imports; after a failure
# the dataset is built again without the failed file, so the files after
# it are checked as before: here the bad file's statistic of u50 is not in
# the dataset when s051 gives the same one (no "replaces" warning).
"$py" -c 'import sys, os
d = sys.argv[1]
for f in range(400):
    open(os.path.join(d, "s%03d.csv" % f), "w").write("unit,period,indicator,value\n" + "".join("u%d,2014-Q1,i%d,%d\n" % (f, k, k) for k in range(1000)))
open(os.path.join(d, "units.csv"), "w").write("id,name,level,parent\nroot,R,province,\n" + "".join("u%d,U%d,district,root\n" % (f, f) for f in range(400)))
open(os.path.join(d, "inds.csv"), "w").write("id,name\n" + "".join("i%d,I%d\n" % (k, k) for k in range(1000)))
open(os.path.join(d, "bad.csv"), "w").write("unit,period,indicator,value\nu51,2014-Q1,i0,7\nnobody,2014-Q1,i0,1\n")' "$tmp"
run "$import" -o "$tmp/many.json" "$tmp/units.csv" "$tmp/inds.csv" "$tmp"/s[0-3]*.csv
ok "$(is $rc 0)" "jql-import: 402 files of up to 23 KB"
ok "$(check 'import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(doc["units"]) == 401 and len(doc["indicators"]) == 1000
got = sorted((s["unit"], s["indicator"], s["value"]) for s in doc["statistics"])
assert got == sorted(("u%d" % f, "i%d" % k, k) for f in range(400) for k in range(1000)), got[:3]' "$tmp/many.json")" "jql-import: every file's statistics, once"
rm -f "$tmp/many.json"
run "$import" -o "$tmp/many.json" "$tmp/units.csv" "$tmp/inds.csv" "$tmp"/s00*.csv "$tmp/bad.csv" "$tmp/s051.csv" "$tmp/s052.csv"
ok "$([ "$rc" -eq 1 ] && [ ! -e "$tmp/many.json" ] && grep -q 'bad.csv:3:1: unit: unknown unit "nobody"' "$tmp/err"; echo $?)" "jql-import: a bad file among them: exit 1, located, nothing written"
ok "$(grep -c 'replaces' "$tmp/err" | grep -qx 0; echo $?)" "jql-import: the files after it see the dataset without the bad file's rows"

[ "$failed" -eq 0 ]
