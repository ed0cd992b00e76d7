#!/usr/bin/env bash
# TAP checks of the seventh hostile-cost sweep (issue 10): shapes the
# earlier sweeps (test_scale.sh, test_scale_criteria.sh, test_scale_more.sh,
# test_scale_six.sh) did not list. Inputs are generated here; each case
# once took from tens of seconds to hours. They check answers, not time,
# except that each command runs under `timeout 60` so that a return of the
# old cost fails instead of hanging the suite.
# Usage: test_scale_seven.sh BUILD_ROOT
set -u

build=${1:?usage: test_scale_seven.sh BUILD_ROOT}
score="$build/examples/jql-score"
validate="$build/examples/jql-validate"
report="$build/examples/jql-report"
import="$build/examples/jql-import"
run_limit=60 # seconds (scale_lib.sh)
. "$(dirname "${BASH_SOURCE[0]}")/scale_lib.sh"

echo "1..4"

# 1-3: levels of 32,000 combining marks in reverse canonical order (a
# 64 KB string: "d", 16,000 U+0301 of class 230, 16,000 U+0316 of class
# 220). libutf8proc orders a run of marks by swapping neighbours, quadratic
# in the run: 7.5 s for each such string normalized (every level is, on
# load, and the first non-NFC string once more for the warning), so these
# 16 units took two minutes, a 10 MB file most of an hour. nfc.c now
# orders each run by a stable counting sort. The summary counts the 16 units
# under the level in NFC (the U+0316 first); the sheet scores them by id
# (the criteria's levels are ids, at most 128 bytes).
gen "$tmp/marks.json" 'lvl = "d" + "\u0301" * 16000 + "\u0316" * 16000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x%d" % i, "level": lvl} for i in range(16)] +
           [{"id": "w", "name": "w", "level": "ward"}],
  "assessments": [{"unit": "u%d" % i, "period": "2014", "criterion": "m", "appraised": i} for i in range(16)] +
                 [{"unit": "w", "period": "2014", "criterion": "m", "appraised": 9}]}'
gen "$tmp/marks-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"ids": ["u%d" % i for i in range(16)]},
  "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "m", "title": "m", "max": 100, "method": {"type": "manual"}}]}'
run "$validate" --summary "$tmp/marks.json"
ok "$([ $rc -eq 0 ] && [ "$(grep -c 'not in Unicode NFC' "$tmp/err")" -eq 1 ]; echo $?)" \
   "levels of 32,000 marks out of order: valid, one NFC warning"
ok "$(check 'import sys
nfc = "d" + "\u0316" * 16000 + "\u0301" * 16000
assert "units by level: 16 %s, 1 ward\n" % nfc in open(sys.argv[1], encoding="utf-8").read()' "$tmp/out")" \
   "levels of 32,000 marks: the summary counts the 16 units under the level in NFC"
run "$score" "$tmp/marks.json" "$tmp/marks-crit.json" -f csv
ok "$(is $rc 0)" "levels of 32,000 marks: scored"
ok "$(check 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert {r["unit_id"]: r["final"] for r in rows} == {"u%d" % i: "%d.000" % i for i in range(16)}, rows' "$tmp/out")" \
   "levels of 32,000 marks: the 16 units of the level in NFC scored, by their appraisals"

exit $((failed > 0))
