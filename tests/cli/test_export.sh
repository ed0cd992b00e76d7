#!/usr/bin/env bash
# TAP checks of jql-score's spreadsheet exports: --format xlsx read back with
# openpyxl and compared cell by cell with the JSON results, and the
# excel-vi CSV dialect compared with the default CSV.
# Usage: test_export.sh BUILD_ROOT (JQL_TEST_DATA names tests/data).
set -u

build=${1:?usage: test_export.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog="$build/examples/jql-score"
data=${JQL_TEST_DATA:-$here/../data}
examples=${JQL_EXAMPLES_DATA:-$here/../../examples/data}
. "$here/tap_lib.sh"
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
run() {
    "$prog" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
is() { [ "$1" = "$2" ]; echo $?; }

cases=()
for d in "$data"/scoring/*/; do
    for c in "$d"criteria*.json; do cases+=("$d/dataset.json:$c"); done
done
cases+=("$examples/long-an-2014/dataset.json:$examples/long-an-2014/criteria-2014.json")
# unit ids too long or not allowed as sheet names, sharing their first 28 characters
long="$tmp/long-ids"
mkdir -p "$long"
for f in dataset criteria; do
    sed -e 's/"U1"/"phong-tu-phap-huyen-rat-dai-so-1"/g' \
        -e 's/"U2"/"phong-tu-phap-huyen-rat-dai-so-2"/g' -e 's/"U3"/"U3[a]:b"/g' \
        "$data/scoring/worked-example/$f.json" >"$long/$f.json"
done
cases+=("$long/dataset.json:$long/criteria.json")
# ids and names with quotes, backslashes and braces (the workbook reads the
# results JSON one unit object at a time)
odd="$tmp/odd-ids"
mkdir -p "$odd"
for f in dataset criteria; do
    sed -e 's/"U1"/"U\\"1{"/g' -e 's/"U2"/"U2}\\\\"/g' -e 's/"Unit 3"/"Unit [3] {\\"x\\"}"/g' \
        "$data/scoring/worked-example/$f.json" >"$odd/$f.json"
done
cases+=("$odd/dataset.json:$odd/criteria.json")
echo "1..$((13 + 2 * ${#cases[@]}))"

have_xlsx=1
"$prog" "${cases[0]%%:*}" "${cases[0]#*:}" -f xlsx -o "$tmp/probe.xlsx" 2>"$tmp/err" ||
    { grep -q "without libxlsxwriter" "$tmp/err" && have_xlsx=0; }
"$py" -c 'import openpyxl' 2>/dev/null || have_xlsx=0

for pair in "${cases[@]}"; do
    ds=${pair%%:*} cr=${pair#*:}
    name=$(basename "$(dirname "$ds")")/$(basename "$cr")
    # excel-vi CSV: the default CSV's rows, localised
    "$prog" "$ds" "$cr" -f csv >"$tmp/default.csv" 2>"$tmp/err"
    "$prog" "$ds" "$cr" -f json >"$tmp/res.json" 2>>"$tmp/err"
    run "$ds" "$cr" -f csv --csv-dialect excel-vi
    "$py" - "$tmp/default.csv" "$tmp/out" "$tmp/res.json" >>"$tmp/err" 2>&1 <<'PY'
import csv, json, sys
default = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
raw = open(sys.argv[2], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
vi = list(csv.reader(raw[3:].decode("utf-8").splitlines(), delimiter=";"))
tiers = {t["id"]: t.get("name") or t["id"] for t in json.load(open(sys.argv[3]))["tiers"]}
assert vi[0][:4] == ["Hạng", "Hạng trong cụm", "Mã đơn vị", "Tên đơn vị"], vi[0]
assert len(vi) == len(default) and all(len(r) == len(default[0]) for r in vi), "shape"
yes = {"true": "có", "false": "không"}
held = {"veto": "bị loại trừ", "quota": "giới hạn tỷ lệ", "": ""}
for d, v in zip(default[1:], vi[1:]):
    for h, a, b in zip(default[0], d, v):
        if h in ("tier", "tier_before_caps"):
            want = tiers[a]
        elif h in ("leader", "quota_demoted", "quota_tie"):
            want = yes[a]
        elif h == "vetoes":
            want = ", ".join(x for x in a.split(";") if x)
        elif h == "held_back":
            want = held[a]
        elif "." in a and a.replace(".", "").replace("-", "").isdigit():
            want = a.replace(".", ",")
        else:
            want = a
        assert b == want, (h, a, b)
PY
    ok "$(is "$rc:$?" "0:0")" "$name: excel-vi CSV = default CSV localised"
    if [ $have_xlsx = 0 ]; then
        skip "$name: jql-score built without libxlsxwriter or no python3-openpyxl"
        continue
    fi
    run "$ds" "$cr" -f xlsx -o "$tmp/book.xlsx"
    "$py" "$here/check_xlsx.py" "$tmp/res.json" "$cr" "$tmp/book.xlsx" >"$tmp/out" 2>&1
    ok "$(is "$rc:$?" "0:0")" "$name: every XLSX cell equals the JSON results"
done

ds=${cases[0]%%:*} cr=${cases[0]#*:}
if [ $have_xlsx = 1 ]; then
    run "$ds" "$cr" -f xlsx -o "$tmp/a.xlsx"
    run "$ds" "$cr" -f xlsx -o "$tmp/b.xlsx"
    cmp -s "$tmp/a.xlsx" "$tmp/b.xlsx"
    ok $? "xlsx: the same results give the same bytes"
    run "$ds" "$cr" -f xlsx -o "$tmp/no-such-dir/a.xlsx"
    ok "$(is "$rc:$(ls "$tmp" | grep -c tmp-)" "3:0")" "xlsx: unwritable path, exit 3, no temporary file left"
    # the workbook reaches -o through the CLIs' output path (cli_output.c)
    ln -s c.xlsx "$tmp/link.xlsx"
    run "$ds" "$cr" -f xlsx -o "$tmp/link.xlsx"
    ok "$([ "$rc" = 0 ] && [ -L "$tmp/link.xlsx" ] && cmp -s "$tmp/a.xlsx" "$tmp/c.xlsx"; echo $?)" \
        "xlsx: -o through a symbolic link: the link stays, its target written"
    mkdir "$tmp/book-dir"
    run "$ds" "$cr" -f xlsx -o "$tmp/book-dir"
    ok "$(is "$rc:$(ls -A "$tmp/book-dir" | wc -l)" "3:0")" "xlsx: -o naming a directory: exit 3, nothing left"
    before=$(ls -A "$tmp" | wc -l)
    run "$ds" "$cr" -f xlsx -o /dev/null
    ok "$(is "$rc:$(ls -A "$tmp" | wc -l)" "0:$before")" "xlsx: -o /dev/null written directly, no temporary file"
    # titles come from the criteria set scored, so a set read from stdin gives the same book
    "$prog" "$ds" - -f xlsx -o "$tmp/stdin.xlsx" <"$cr" >"$tmp/out" 2>"$tmp/err"
    ok "$([ $? = 0 ] && cmp -s "$tmp/a.xlsx" "$tmp/stdin.xlsx"; echo $?)" \
        "xlsx: criteria from standard input: the same workbook"
else
    for k in 1 2 3 4 5 6; do skip "xlsx: no libxlsxwriter"; done
fi
# A roll-up leaf on a chain of units cites each unit's whole subtree: the
# evidence cells are read from the results (not from their full JSON, which
# took 24 GB for 9,000 units), cut at Excel's 32,000 bytes, and the book is
# refused past 64 MiB of evidence text.
chain() { # chain N PATH: N units in a line, one report each, long unit ids
    "$py" - "$1" "$2" <<'PY'
import json, sys
n = int(sys.argv[1])
uid = lambda i: "phong-tu-phap-huyen-co-ten-rat-dai-so-%05d" % i
doc = {"format": "justice-quarterly/dataset 1.0",
       "units": [{"id": uid(i), "name": "x", "level": "district", **({"parent": uid(i - 1)} if i else {})}
                 for i in range(n)],
       "reports": [{"unit": uid(i), "period": "2014-Q1", "kind": "statistics", "due": "2014-04-10",
                    "submitted": "2014-04-%02d" % (10 - (i % 2)), "complete": True} for i in range(n)]}
json.dump(doc, open(sys.argv[2], "w"))
PY
}
cat >"$tmp/rollup.json" <<'JSON'
{"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
 "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
 "criteria": [{"id": "x", "title": "x", "max": 100,
               "measure": {"kind": "report_share_on_time", "rollup": true},
               "method": {"type": "linear", "target": 100}}]}
JSON
if [ $have_xlsx = 1 ]; then
    chain 600 "$tmp/chain.json"
    "$prog" "$tmp/chain.json" "$tmp/rollup.json" -f json >"$tmp/chain-res.json" 2>"$tmp/err"
    run "$tmp/chain.json" "$tmp/rollup.json" -f xlsx -o "$tmp/chain.xlsx"
    "$py" "$here/check_xlsx.py" "$tmp/chain-res.json" "$tmp/rollup.json" "$tmp/chain.xlsx" >"$tmp/out" 2>&1
    ok "$(is "$rc:$?" "0:0")" "xlsx, 600-unit chain with a roll-up leaf: every cell equals the JSON results"
    "$py" - "$tmp/chain.xlsx" >"$tmp/out" 2>&1 <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ev = [list(wb[s].iter_rows(min_row=2, values_only=True))[0][14] for s in wb.sheetnames[1:]]
cut = [e for e in ev if e.endswith("\u2026")]
assert len(cut) > 100 and all(len(e.encode()) <= 32003 for e in cut), (len(cut), max(map(len, ev)))
PY
    ok $? "xlsx, 600-unit chain: the top units' evidence cells are cut at 32,000 bytes"
    chain 2600 "$tmp/chain-big.json"
    run "$tmp/chain-big.json" "$tmp/rollup.json" -f xlsx -o "$tmp/chain-big.xlsx"
    ok "$([ "$rc" = 1 ] && grep -q 'more than 64 MiB of text' "$tmp/err" &&
          [ ! -e "$tmp/chain-big.xlsx" ] && [ "$(ls "$tmp" | grep -c tmp-)" = 0 ]; echo $?)" \
        "xlsx, 2,600-unit chain: refused past 64 MiB of evidence text, no file left"
else
    for k in 1 2 3; do skip "xlsx: no libxlsxwriter"; done
fi
run "$ds" "$cr" -f xlsx
ok "$(is $rc 2)" "xlsx without -o: usage error"
run "$ds" "$cr" -f json --csv-dialect excel-vi
ok "$(is $rc 2)" "--csv-dialect with json: usage error"
run "$ds" "$cr" -f csv --csv-dialect excel
ok "$(is $rc 2)" "unknown dialect: usage error"
run "$ds" "$cr" -f csv --csv-dialect default
"$prog" "$ds" "$cr" -f csv >"$tmp/plain.csv"
cmp -s "$tmp/out" "$tmp/plain.csv"
ok $? "--csv-dialect default is the unchanged CSV"

[ $failed -eq 0 ]
