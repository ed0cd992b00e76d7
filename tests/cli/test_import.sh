#!/usr/bin/env bash
# TAP checks of examples/jql-import. Usage: test_import.sh BUILD_ROOT
# (meson passes the build root; JQL_TEST_DATA names tests/data).
set -u

build=${1:?usage: test_import.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog="$build/examples/jql-import"
validate="$build/examples/jql-validate"
data=${JQL_TEST_DATA:-$here/../data}
csv="$data/csv"
. "$here/tap_lib.sh"
run() {
    "$prog" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
is() { [ "$1" = "$2" ]; echo $?; }
has() { grep -q -- "$1" "$2"; echo $?; }
# same dataset as the hand-written expected file (compared as canonical JSON)
same_as_expected() {
    "$py" - "$1" "$csv/expected.json" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
b = json.load(open(sys.argv[2], encoding="utf-8"))
sys.exit(0 if a == b else 1)
EOF
    echo $?
}

invalid=(ragged bad-quoting unknown-unit duplicated mixed-decimal ambiguous-decimal
         unterminated wide-unknown-column bad-values invalid-utf8)
echo "1..$((18 + 3 * ${#invalid[@]}))"

all=("$csv/units.csv" "$csv/indicators.csv" -p 2014-Q1 "$csv/stats-wide-vi.csv"
     "$csv/stats-long.csv" "$csv/reports.csv" "$csv/tasks.csv" "$csv/directives.csv"
     "$csv/assessments.csv" "$csv/events.csv")

# 1-3: a new dataset from every kind of file, written atomically
run -o "$tmp/ds.json" "${all[@]}"
ok "$(is $rc 0)" "all kinds: exit 0"
ok "$(same_as_expected "$tmp/ds.json")" "all kinds: the expected dataset"
"$validate" "$tmp/ds.json" >/dev/null 2>&1
ok $? "all kinds: jql-validate accepts the result"

# 4: without -o the dataset goes to stdout, the same bytes
run "${all[@]}"
cmp -s "$tmp/out" "$tmp/ds.json"
ok $? "stdout: same bytes as -o"

# 5-6: extending an existing dataset in place (atomic rename over it)
cp "$data/csv/base.json" "$tmp/inplace.json"
run --into "$tmp/inplace.json" -o "$tmp/inplace.json" -k stats-wide -p 2014-Q1 \
    "$csv/stats-wide-vi.csv"
ok "$(is $rc 0)" "--into and -o the same file: exit 0"
ok "$("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d["statistics"]) == 8 else 1)' "$tmp/inplace.json"; echo $?)" \
    "--into: 8 statistics added"

# 7-8: standard input, stated separator and decimal mark
run -s ';' -d ',' -k stats -o "$tmp/stdin.json" --into "$csv/base.json" - <<'EOF'
Đơn vị;Kỳ;Chỉ tiêu;Giá trị
tan-an;2014-Q1;mediation-cases;93.550
EOF
ok "$(is $rc 1)" "stated ',' refuses 93.550"
ok "$(has '^<stdin>:2:4: Giá trị: "93.550" uses' "$tmp/err")" "stated ',': located on <stdin>:2:4"

# 9: a problem in one file writes nothing, even when the others are fine
rm -f "$tmp/none.json"
run -o "$tmp/none.json" "$csv/units.csv" "$csv/indicators.csv" "$csv/invalid/duplicated.csv" \
    "$csv/events.csv"
ok "$(is "$rc:$(test -e "$tmp/none.json"; echo $?)" "1:1")" "one bad file: exit 1, nothing written"

# 10: the existing output is left untouched on failure
echo keep >"$tmp/keep.json"
run --into "$csv/base.json" -o "$tmp/keep.json" "$csv/invalid/ragged.csv"
ok "$(is "$rc:$(cat "$tmp/keep.json")" "1:keep")" "failure leaves the old output as it was"

# 11-12: usage errors
run -k nonsense "$csv/units.csv"
ok "$(is $rc 2)" "unknown kind: usage error"
run -o "$tmp/x.json" "$tmp/missing.csv"
ok "$(is $rc 3)" "missing file: exit 3"

# 13-16: --max-input-size, as for the other CLIs, on the CSV files and on --into
run --max-input-size=16 -o "$tmp/small.json" "$csv/units.csv"
ok "$(is "$rc:$(test -e "$tmp/small.json"; echo $?)" "1:1")" "--max-input-size: a larger CSV is refused, nothing written"
ok "$(has "max-input-size" "$tmp/err")" "--max-input-size: the message names the option"
run --max-input-size 16 --into "$csv/base.json" -o "$tmp/small.json" "$csv/units.csv"
ok "$(is $rc 1)" "--max-input-size: a larger --into dataset is refused"
run --max-input-size=nonsense "$csv/units.csv"
ok "$(is $rc 2)" "--max-input-size: a malformed size is a usage error"

# 17-18: -o goes through the CLIs' output path: a link keeps pointing at the file written
ln -s ds.json "$tmp/link.json"
run -o "$tmp/link.json" "${all[@]}"
ok "$(is "$rc:$(test -L "$tmp/link.json"; echo $?)" "0:0")" "-o through a symbolic link: the link stays"
ok "$(same_as_expected "$tmp/ds.json")" "-o through a symbolic link: its target written"

# every malformed fixture: exit 1, each expected FILE:LINE:COL: HEADER located, nothing written
for name in "${invalid[@]}"; do
    rm -f "$tmp/bad.json"
    run --into "$csv/base.json" -p 2014-Q1 -o "$tmp/bad.json" "$csv/invalid/$name.csv"
    ok "$(is "$rc:$(test -e "$tmp/bad.json"; echo $?)" "1:1")" "$name: exit 1, nothing written"
    missing=0
    while IFS=: read -r line col header; do
        want="$csv/invalid/$name.csv:$line:$col: "
        [ -n "$header" ] && want="$want$header: "
        grep -qF -- "$want" "$tmp/err" || missing=1
    done <"$csv/invalid/$name.errors"
    ok $missing "$name: every error located"
    got=$(grep -c "^$csv/invalid/$name.csv:" "$tmp/err")
    ok "$(is "$got" "$(wc -l <"$csv/invalid/$name.errors")")" "$name: no other error"
done

[ $failed -eq 0 ]
