#!/usr/bin/env bash
# TAP checks of examples/jql-validate. Usage: test_validate.sh BUILD_ROOT
# (meson passes the build root; JQL_EXAMPLES_DATA names examples/data).
set -u

build=${1:?usage: test_validate.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog="$build/examples/jql-validate"
examples=${JQL_EXAMPLES_DATA:-$here/../../examples/data}
dataset="$examples/long-an-2014/dataset.json"
. "$here/tap_lib.sh"
# run ARGS...: runs the program, keeps stdout/stderr in $tmp/out, $tmp/err, status in $rc.
run() {
    "$prog" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
is() { [ "$1" = "$2" ]; echo $?; }
# A python check over stdout: pyjson 'EXPR' (EXPR sees the parsed document as d).
pyjson() {
    "$py" -c 'import json,sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$tmp/out" "$1" 2>>"$tmp/err"
}

echo "1..24"

# A dataset with one located error: an unknown parent whose id is Vietnamese.
cat >"$tmp/bad.json" <<'JSON'
{
  "format": "justice-quarterly/dataset 1.0",
  "units": [
    {"id": "long-an", "name": "Sở Tư pháp tỉnh Long An", "level": "province"},
    {"id": "duc-hoa", "name": "Phòng Tư pháp huyện Đức Hòa", "level": "district", "parent": "kiến-tường"}
  ]
}
JSON
printf '{\n  "format": "justice-quarterly/dataset 1.0",\n  "units": [\n' >"$tmp/truncated.json"

# 1-3: the bundled dataset
run "$dataset"
ok "$(is "$rc" 0)" "bundled dataset is valid (exit 0)"
# expected counts read from the JSON independently of the library
want=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%d units, %d periods, %d indicators, %d statistics, %d reports" % tuple(len(d.get(k, [])) for k in ("units","periods","indicators","statistics","reports")))' "$dataset")
grep -q "dataset.json: valid: $want" "$tmp/out"
ok $? "summary line counts the bundled records"
[ ! -s "$tmp/err" ]
ok $? "no diagnostics for the bundled dataset"

# 4-7: an invalid file
run "$tmp/bad.json"
ok "$(is "$rc" 1)" "invalid dataset exits 1"
grep -Eq "^$tmp/bad.json:5:[0-9]+: /units/1/parent: " "$tmp/err"
ok $? "error is located as FILE:LINE:COL: PATH: message"
grep -q 'kiến-tường' "$tmp/err"
ok $? "Vietnamese text in the message is intact"
[ ! -s "$tmp/out" ]
ok $? "nothing on stdout for an invalid file"

# 8: a syntax error is located too
run "$tmp/truncated.json"
[ "$rc" -eq 1 ] && grep -Eq "^$tmp/truncated.json:[0-9]+:[0-9]+: " "$tmp/err"
ok $? "truncated JSON exits 1 with a located error"

# 9-10: missing file
run "$tmp/no-such-file.json"
ok "$(is "$rc" 3)" "missing file exits 3"
grep -q "no-such-file.json" "$tmp/err"
ok $? "missing file is named in the message"

# 11-13: usage errors
run --bogus "$dataset"
ok "$(is "$rc" 2)" "unknown option exits 2"
grep -q "Usage:" "$tmp/err" && [ ! -s "$tmp/out" ]
ok $? "usage is printed on stderr"
run
ok "$(is "$rc" 2)" "no FILE exits 2"

# 14: bad format value
run --format xml "$dataset"
ok "$(is "$rc" 2)" "unknown --format value exits 2"

# 15-16: standard input
"$prog" - <"$dataset" >"$tmp/out" 2>"$tmp/err"
rc=$?
ok "$(is "$rc" 0)" "\"-\" reads a valid dataset from stdin"
grep -q "^<stdin>: valid: 16 units" "$tmp/out"
ok $? "stdin is named <stdin>"

# 17-19: JSON output
run --format json "$dataset"
[ "$rc" -eq 0 ] && pyjson 'd["files"][0]["valid"] is True and d["files"][0]["counts"]["units"] == 16 and d["files"][0]["errors"] == []'
ok $? "--format json output of a valid file parses"
run --format=json "$tmp/bad.json" "$tmp/no-such-file.json"
[ "$rc" -eq 3 ] && pyjson 'len(d["files"]) == 2 and d["files"][0]["valid"] is False and d["files"][0]["errors"][0]["line"] == 5 and "kiến-tường" in d["files"][0]["errors"][0]["message"] and d["files"][0]["errors"][0]["path"] == "/units/1/parent" and d["files"][0]["errors"][0]["severity"] == "error"'
ok $? "--format json reports located errors, keeps Vietnamese, exit is the highest code"
cp "$tmp/bad.json" "$tmp/we\"ird\\name.json"
run -f json "$tmp/we\"ird\\name.json"
[ "$rc" -eq 1 ] && pyjson 'd["files"][0]["file"].endswith("we\"ird\\name.json")'
ok $? "file names are JSON-escaped"

# 20: --quiet
run --quiet "$dataset"
[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]
ok $? "--quiet prints nothing for a valid file"

# 21: --summary
run --summary "$dataset"
[ "$rc" -eq 0 ] && grep -q "units by level: 1 province, 15 district" "$tmp/out" &&
    grep -q "reports: 29 on time, 6 late, 1 never submitted, 2 incomplete" "$tmp/out"
ok $? "--summary counts levels and report timeliness"

# 22-23: --help and --version
run --help
[ "$rc" -eq 0 ] && grep -q "Usage:" "$tmp/out"
ok $? "--help prints usage and exits 0"
run --version
[ "$rc" -eq 0 ] && grep -Eq "^jql-validate \(libjustice-quarterly\) [0-9]+\.[0-9]+\.[0-9]+$" "$tmp/out"
ok $? "--version prints the library version"

# 24: options after files work too
run "$dataset" --quiet
[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ]
ok $? "options may follow the files"

exit $((failed > 0))
