#!/usr/bin/env bash
# TAP checks of examples/jql-score. Usage: test_score.sh BUILD_ROOT
# (meson passes the build root; JQL_TEST_DATA names tests/data).
set -u

build=${1:?usage: test_score.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog="$build/examples/jql-score"
data=${JQL_TEST_DATA:-$here/../data}
we="$data/scoring/worked-example"
. "$here/tap_lib.sh"
run() {
    "$prog" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
is() { [ "$1" = "$2" ]; echo $?; }
has() { grep -q -- "$1" "$2"; echo $?; }
pycheck() { # pycheck 'CODE' (CODE sees out = stdout text)
    "$py" -c 'import sys, csv, io, json
out = open(sys.argv[1], encoding="utf-8", newline="").read()
'"$1" "$tmp/out" 2>>"$tmp/err"
    echo $?
}

echo "1..29"

# 1-4: the worked example as text
run "$we/dataset.json" "$we/criteria.json"
ok "$(is $rc 0)" "text: exit 0"
ok "$(has '^   1           1  Unit 1      9.200  Excellent      L        0.000  -$' "$tmp/out")" "text: U1 first, excellent, leader"
ok "$(has '^   2           2  Unit 4      9.000  Good           Q        0.000  quota$' "$tmp/out")" "text: U4 second, quota"
ok "$(has '^   4           4  Unit 3      8.000  Not completed  V        0.000  veto (A disciplinary measure in the period)$' "$tmp/out")" "text: U3 vetoed"

# 5-6: JSON is the hand-checked expected file, byte for byte
run "$we/dataset.json" "$we/criteria.json" --format json
ok "$(is $rc 0)" "json: exit 0"
cmp -s "$tmp/out" "$we/expected.json"
ok $? "json: identical to expected.json"

# 7-8: -o writes the same bytes atomically
run "$we/dataset.json" "$we/criteria.json" -f json -o "$tmp/res.json"
ok "$(is "$rc:$(wc -c <"$tmp/out")" "0:0")" "-o: exit 0, nothing on stdout"
cmp -s "$tmp/res.json" "$we/expected.json"
ok $? "-o: file identical to expected.json"

# 9-11: CSV, RFC 4180, names needing quotes, Vietnamese names aligned in text
sed -e 's/"name": "Unit 1"/"name": "Phòng Tư pháp huyện Đức Hòa"/' \
    -e 's/"name": "Unit 2"/"name": "Xã \\"Bình\\", Tân"/' "$we/dataset.json" >"$tmp/vi.json"
run "$tmp/vi.json" "$we/criteria.json" --format=csv
ok "$(is $rc 0)" "csv: exit 0"
ok "$(pycheck 'rows = list(csv.reader(io.StringIO(out)))
assert out.endswith("\r\n") and len(rows) == 5, rows
h = rows[0]
assert h[:4] == ["rank", "cluster_rank", "unit_id", "unit_name"], h
r = {row[2]: dict(zip(h, row)) for row in rows[1:]}
assert r["U2"]["unit_name"] == "Xã \"Bình\", Tân", r["U2"]
assert r["U1"]["unit_name"] == "Phòng Tư pháp huyện Đức Hòa"
assert (r["U1"]["final"], r["U1"]["tier"], r["U1"]["leader"]) == ("9.200", "excellent", "true")
assert (r["U4"]["rank"], r["U4"]["tier"], r["U4"]["quota_demoted"], r["U4"]["held_back"]) == ("2", "good", "true", "quota")
assert (r["U3"]["vetoes"], r["U3"]["tier_before_caps"], r["U3"]["tier"]) == ("discipline", "good", "not-completed")')" "csv: fields and quoting"
run "$tmp/vi.json" "$we/criteria.json"
ok "$(pycheck 'lines = [l for l in out.split("\n")[4:] if l]
cols = set(l.index("  9.") if "  9." in l else l.index("  8.") for l in lines)
assert len(lines) == 4 and len(cols) == 1, (lines, cols)')" "text: columns aligned by code points"

# 12-13: another period
run "$we/dataset.json" "$we/criteria.json" --period 2015 --allow-empty -f csv
ok "$(is $rc 0)" "--period --allow-empty: exit 0"
ok "$(pycheck 'rows = list(csv.reader(io.StringIO(out)))[1:]
assert [r[0] for r in rows] == ["1"] * 4 and all(r[10] == "0.000" for r in rows), rows')" "--period 2015: no data, all tied at 0"

# 14: unknown period
run "$we/dataset.json" "$we/criteria.json" --period nowhere
ok "$(is "$rc:$(has 'nowhere' "$tmp/err")" "1:0")" "unknown period: exit 1 with a message"

# 15-17: usage errors
run
ok "$(is $rc 2)" "no arguments: exit 2"
run "$we/dataset.json" "$we/criteria.json" --format xml
ok "$(is $rc 2)" "bad format: exit 2"
run "$we/dataset.json" "$we/criteria.json" --bogus
ok "$(is $rc 2)" "unknown option: exit 2"

# 18-19: I/O errors
run "$tmp/none.json" "$we/criteria.json"
ok "$(is $rc 3)" "missing dataset: exit 3"
run "$we/dataset.json" "$we/criteria.json" -o "$tmp/no/such/dir/out.json"
ok "$(is $rc 3)" "unwritable output: exit 3"

# 20: invalid criteria: located diagnostics, exit 1
printf '{\n  "format": "justice-quarterly/criteria 1.0",\n  "id": 5\n}\n' >"$tmp/bad.json"
run "$we/dataset.json" "$tmp/bad.json"
ok "$(is "$rc:$(has 'bad.json:3:' "$tmp/err")" "1:0")" "invalid criteria: exit 1, FILE:LINE:COL diagnostics"

# 21-22: the custom function mediation_success_rate
cat >"$tmp/med-criteria.json" <<'JSON'
{"format": "justice-quarterly/criteria 1.0", "id": "med", "period": "2014", "scale": 10,
 "units": {"levels": ["district"]},
 "criteria": [{"id": "M", "title": "Mediation", "max": 10, "method": {"type": "custom", "function": "mediation_success_rate"}}],
 "tiers": [{"id": "all", "name": "All", "min": 0}]}
JSON
run "$we/dataset.json" "$tmp/med-criteria.json"
ok "$(is "$rc:$(has 'custom function mediation_success_rate failed for unit U1, node M: the dataset has no indicator "mediation-success"' "$tmp/err")" "1:0")" "custom: clear error without the indicators"
cat >"$tmp/med.json" <<'JSON'
{"format": "justice-quarterly/dataset 1.0",
 "units": [{"id": "U1", "name": "U1", "level": "district"}, {"id": "U2", "name": "U2", "level": "district"}],
 "indicators": [{"id": "mediation-cases", "name": "cases"}, {"id": "mediation-success", "name": "success"}],
 "statistics": [{"unit": "U1", "indicator": "mediation-cases", "period": "2014", "value": 3},
                {"unit": "U1", "indicator": "mediation-success", "period": "2014", "value": 2}]}
JSON
run "$tmp/med.json" "$tmp/med-criteria.json" -f csv
ok "$(pycheck 'rows = {r[2]: r for r in list(csv.reader(io.StringIO(out)))[1:]}
assert rows["U1"][10] == "6.667" and rows["U2"][10] == "0.000", rows')" "custom: 10 x 2 / 3 = 6.667, no cases = 0"
# 22b: the custom function rounds as the built-in ratio + linear leaf does:
# 100 x 655 / 736 = 88.9945... is 88.995 both ways (a hand-written division gave 88.994)
cat >"$tmp/med2-criteria.json" <<'JSON'
{"format": "justice-quarterly/criteria 1.0", "id": "med2", "period": "2014", "scale": 200,
 "units": {"levels": ["district"]},
 "criteria": [{"id": "M", "title": "Custom", "max": 100, "method": {"type": "custom", "function": "mediation_success_rate"}},
              {"id": "B", "title": "Built-in", "max": 100, "method": {"type": "linear", "target": 100},
               "measure": {"kind": "indicator_ratio", "indicator": "mediation-success", "denominator": "mediation-cases"}}],
 "tiers": [{"id": "all", "name": "All", "min": 0}]}
JSON
sed -e 's/"value": 3}/"value": 736}/' -e 's/"value": 2}/"value": 655}/' "$tmp/med.json" >"$tmp/med2.json"
run "$tmp/med2.json" "$tmp/med2-criteria.json" -f json
ok "$(pycheck 'u = {x["id"]: x for x in json.loads(out)["units"]}["U1"]
pts = {n["id"]: n["points"] for n in u["nodes"]}
assert pts == {"M": 88.995, "B": 88.995}, pts')" "custom and built-in leaf: 655/736 of 100 = 88.995 both"


# 23-26: --lang vi|en: one language a scoreboard, columns named for what they hold
run "$we/dataset.json" "$we/criteria.json"
ok "$(has '^Rank  In cluster  Unit        Final  Tier           Marks      Gap  Held back by$' "$tmp/out")" "text en: the cluster column is the rank in the cluster"
run "$we/dataset.json" "$we/criteria.json" --lang vi
ok "$(is "$rc:$(has '^Kỳ chấm điểm: 2014, 4 đơn vị được chấm$' "$tmp/out")" "0:0")" "text vi: Vietnamese header, no English word"
ok "$(has '^   2         2  Unit 4      9,000  Good           Q           0,000  tỷ lệ khống chế$' "$tmp/out")" "text vi: 9,000 and the quota named in Vietnamese"
run "$we/dataset.json" "$we/criteria.json" --lang fr
ok "$(is "$rc" 2)" "--lang fr: exit 2"

# 28: a veto's reason longer than the text formatter's 1 KiB stack buffer
# (up to 64 KiB is valid) is shown whole, not "out of memory" (exit 4)
"$py" -c 'import json, sys
reason = "C\u00f3 c\u00e1n b\u1ed9 b\u1ecb k\u1ef7 lu\u1eadt " * 120
json.dump({"format": "justice-quarterly/dataset 1.0",
           "units": [{"id": "u", "name": "X\u00e3 \u1ea4p", "level": "district"}],
           "events": [{"unit": "u", "date": "2014-02-01", "kind": "discipline"}]},
          open(sys.argv[1], "w"), ensure_ascii=False)
json.dump({"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
           "units": {"levels": ["district"]},
           "tiers": [{"id": "a", "name": "a", "min": 50}, {"id": "b", "name": "b", "min": 0}],
           "criteria": [{"id": "x", "title": "x", "max": 100, "method": {"type": "manual"}}],
           "vetoes": [{"id": "v", "reason": reason.strip(), "event_kind": "discipline", "cap": "b"}]},
          open(sys.argv[2], "w"), ensure_ascii=False)' "$tmp/long-veto.json" "$tmp/long-veto-criteria.json"
run "$tmp/long-veto.json" "$tmp/long-veto-criteria.json"
ok "$(is "$rc:$(pycheck 'assert ("veto (" + ("C\u00f3 c\u00e1n b\u1ed9 b\u1ecb k\u1ef7 lu\u1eadt " * 120).strip() + ")") in out')" "0:0")" "text: a 3,600-byte veto reason shown whole, exit 0"


# 29: an events item's rule names the criteria's event kind: with a quote
# and a backslash in it, the results JSON still parses (it was written bare)
"$py" -c 'import json, sys
json.dump({"format": "justice-quarterly/dataset 1.0",
           "units": [{"id": "u", "name": "u", "level": "district"}],
           "events": [{"unit": "u", "date": "2014-02-01", "kind": "in\"it\\iative", "points": 1}]},
          open(sys.argv[1], "w"))
json.dump({"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014", "scale": 10,
           "units": {"levels": ["district"]}, "tiers": [{"id": "a", "name": "a", "min": 0}],
           "criteria": [{"id": "x", "title": "x", "max": 10, "method": {"type": "manual"}}],
           "bonus": {"cap": 1, "items": [{"id": "b", "title": "b", "max": 1, "source": "events",
                                          "event_kind": "in\"it\\iative"}]}},
          open(sys.argv[2], "w"))' "$tmp/quote.json" "$tmp/quote-criteria.json"
run "$tmp/quote.json" "$tmp/quote-criteria.json" -f json
ok "$(is "$rc:$(pycheck 'import json
assert json.loads(out)["units"][0]["bonus_items"][0]["rule"] == "events: 1 in\"it\\iative \u2192 1"')" "0:0")" \
    "json: an events rule whose kind has a quote and a backslash parses"
[ "$failed" -eq 0 ]
