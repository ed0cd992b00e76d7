#!/usr/bin/env bash
# TAP checks of national-scale behaviour through the CLIs (issue 10):
# --max-input-size, streamed JSON with --evidence, and the hostile-cost
# reproducers, each generated here (nothing large is committed). Each once
# took from 16 s to minutes and now seconds; they check the answers, not
# the time (bench/ measures time). Usage: test_scale.sh BUILD_ROOT
set -u

build=${1:?usage: test_scale.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
score="$build/examples/jql-score"
validate="$build/examples/jql-validate"
report="$build/examples/jql-report"
data=${JQL_TEST_DATA:-$here/../data}
we="$data/scoring/worked-example"
. "$(dirname "${BASH_SOURCE[0]}")/scale_lib.sh"

# Markdown tables of a jql-report output, for the checks below: tables(md)
# gives (heading, rows) in order, each row its list of cells
tables_py='import re, sys
def tables(path):
    out, head, rows = [], None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#"):
            head = line.lstrip("# ")
        elif line.startswith("| ---") or line.startswith("| :"):
            continue
        elif line.startswith("|"):
            # bold: totals; Markdown escapes undone
            cells = [re.sub(r"\\(.)", r"\1", c.strip().strip("*")) for c in line.strip("|").split(" | ")]
            if rows is None:
                rows = []  # the header row
                out.append((head, rows))
            else:
                rows.append(cells)
            continue
        rows = None
    return out
def table(path, heading):
    return [r for h, r in tables(path) if h.endswith(heading)][0]
'

echo "1..102"

# 1-6: --max-input-size in every CLI
size=$(wc -c <"$we/dataset.json")
run "$validate" --max-input-size=$((size - 1)) "$we/dataset.json"
ok "$(is $rc 1)" "validate: a file over --max-input-size is refused (exit 1)"
ok "$(has 'max-input-size' "$tmp/err")" "validate: the message names the option"
run "$validate" --max-input-size "$size" "$we/dataset.json"
ok "$(is $rc 0)" "validate: the same file loads at exactly its size"
run "$score" "$we/dataset.json" "$we/criteria.json" --max-input-size=1K
ok "$(is $rc 1)" "score: the limit applies to the dataset and the criteria"
run "$report" --max-input-size=1k "$we/dataset.json"
ok "$(is $rc 1)" "report: the limit applies"
run "$score" "$we/dataset.json" "$we/criteria.json" --max-input-size=12x
ok "$(is $rc 2)" "score: a malformed size is a usage error"

# 7-11: streamed JSON at each evidence level
run "$score" "$we/dataset.json" "$we/criteria.json" -f json --evidence full
cmp -s "$tmp/out" "$we/expected.json"
ok $? "json --evidence full: identical to expected.json"
run "$score" "$we/dataset.json" "$we/criteria.json" -f json --evidence ids -o "$tmp/ids.json"
ok "$(is $rc 0)" "json --evidence ids -o: exit 0"
"$py" - "$tmp/ids.json" "$we/expected.json" "$we/dataset.json" <<'EOF'
import json, sys
ids, full, ds = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
assert ids["evidence_level"] == "ids"
def at(doc, ptr):
    for tok in ptr.strip("/").split("/"):
        doc = doc[int(tok)] if isinstance(doc, list) else doc[tok]
    return doc
n = 0
for ui, uf in zip(ids["units"], full["units"]):
    for ni, nf in zip(ui["nodes"], uf["nodes"]):
        assert len(ni["evidence"]) == len(nf["evidence"])
        for p, e in zip(ni["evidence"], nf["evidence"]):
            rec = at(ds, p)
            key = "id" if e["kind"] in ("task", "directive") else "unit"
            assert rec[key] == e[key], (p, rec, e)
            n += 1
    # everything but the evidence is the same
    strip = lambda u: {k: v for k, v in u.items() if k != "nodes"}
    assert strip(ui) == strip(uf)
assert n > 0
EOF
ok $? "json --evidence ids: pointers name the records the full level shows"
run "$score" "$we/dataset.json" "$we/criteria.json" -f json --evidence none
ok "$(has '"evidence_level": "none"' "$tmp/out")" "json --evidence none: says so"
ok "$(grep -q '"evidence":' "$tmp/out"; [ $? -ne 0 ]; echo $?)" "json --evidence none: no evidence member"

# 12-14: jql-validate --summary, 200,000 units with distinct levels
gen "$tmp/levels.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "L%d" % i} for i in range(200000)]}'
run "$validate" --summary "$tmp/levels.json"
ok "$(is $rc 0)" "summary of 200,000 distinct levels: exit 0"
ok "$(has '200000 units' "$tmp/out")" "summary: every unit counted"
ok "$(has ' 1 L199999' "$tmp/out")" "summary: the last level, in first-seen order"

# 15-17: 120,000 custom periods, statistics in each, scored over the year
# (no two with the same dates: a second statistic over the same dates is an
# error, docs/SCORING.md; some end after 2014 and do not count)
gen "$tmp/periods.json" 'import datetime
n = 120000
day = lambda k: (datetime.date(2014, 1, 1) + datetime.timedelta(days=k)).isoformat()
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u", "name": "x", "level": "district"}],
  "periods": [{"id": "p%d" % i, "start": day(i % 365), "end": day(i % 365 + i // 365)} for i in range(n)],
  "indicators": [{"id": "i", "name": "i"}],
  "statistics": [{"unit": "u", "indicator": "i", "period": "p%d" % i, "value": 1} for i in range(n)]}'
gen "$tmp/periods-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "v", "title": "v", "max": 100, "measure": {"kind": "indicator_value", "indicator": "i"},
                "method": {"type": "linear", "target": 100}}]}'
run "$validate" "$tmp/periods.json"
ok "$(is $rc 0)" "120,000 custom periods: valid"
run "$score" "$tmp/periods.json" "$tmp/periods-crit.json" -f csv
ok "$(is $rc 0)" "120,000 custom periods: scored"
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 1 and rows[0]["unit_id"] == "u" and float(rows[0]["final"]) > 0, rows' "$tmp/out" 2>>"$tmp/err"; echo $?)" "120,000 custom periods: the unit scores from its statistics"

# 18-21: 10,000 units x 400 manual leaves; jql-report compares every unit
# with the others' mean (once quadratic)
gen "$tmp/wide.json" 'import random
random.seed(4)
n = 10000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "root", "name": "So", "level": "province"}] +
           [{"id": "u%d" % i, "name": "x%d" % i, "level": "district", "parent": "root"} for i in range(n)],
  "assessments": [{"unit": "u%d" % i, "period": "2014", "criterion": "m0-%d" % (i % 20), "appraised": (i % 5) / 10}
                  for i in range(n)]}'
gen "$tmp/wide-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "s%d" % s, "title": "s", "max": 5, "children": [
     {"id": "m%d-%d" % (s, l), "title": "m", "max": 0.25, "method": {"type": "manual"}} for l in range(20)]}
   for s in range(20)]}'
run "$score" "$tmp/wide.json" "$tmp/wide-crit.json" -f csv
ok "$(is $rc 0)" "10,000 units x 400 manual leaves: scored"
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 10000
rows = [r for r in rows]
# the one appraised leaf of each unit gives its points: (i % 5) / 10, at most 0.25
best = [r for r in rows if r["final"] == "0.250"]
assert len(best) == 4000, len(best)' "$tmp/out" 2>>"$tmp/err"; echo $?)" "10,000 x 400: points from each unit's own assessment"
run "$report" "$tmp/wide.json" "$tmp/wide-crit.json" --lang en
ok "$(is $rc 0)" "jql-report, 10,000 units x 400 leaves: exit 0"
ok "$(has 'u9999\|x9999' "$tmp/out")" "jql-report: covers the last unit"

# 22-24: a 4,000-unit chain with 2,000 roll-up vetoes on one measure
gen "$tmp/chain.json" 'n = 4000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "reports": [{"unit": "u%d" % i, "period": "2014-Q1", "kind": "statistics", "due": "2014-04-10",
               "submitted": "2014-04-1%d" % ((n - 1 - i) % 10), "complete": True} for i in range(n)]}'
gen "$tmp/vetoes.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "a", "min": 50}, {"id": "b", "name": "b", "min": 0}],
  "criteria": [{"id": "x", "title": "x", "max": 100, "measure": {"kind": "report_share_on_time"},
                "method": {"type": "linear", "target": 100}}],
  "vetoes": [{"id": "v%d" % i, "reason": "r", "measure": {"kind": "report_days_late_worst", "rollup": True},
              "above": 3 + (i % 7), "cap": "b"} for i in range(2000)]}'
run "$score" "$tmp/chain.json" "$tmp/vetoes.json" -f csv
ok "$(is $rc 0)" "4,000-unit chain, 2,000 roll-up vetoes: scored"
# unit k is 3999-k days late (mod 10), so its subtree's worst is
# min(9, 3999-k): u3996 (3) fires no veto ("above 3" at least), u3995 (4) does
ok "$("$py" -c 'import csv, sys
rows = {r["unit_id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
assert len(rows) == 4000
assert rows["u3999"]["vetoes"] == rows["u3996"]["vetoes"] == "", rows["u3996"]
assert rows["u3995"]["vetoes"] != "" and rows["u0"]["vetoes"] != ""' "$tmp/out" 2>>"$tmp/err"; echo $?)" "roll-up vetoes fire by subtree"
run "$score" "$tmp/chain.json" "$tmp/vetoes.json" -f json --evidence none -o "$tmp/chain-out.json"
ok "$(is $rc 0)" "chain: json written"

# 25-26: the hash is keyed per process: two runs give the same output
run "$score" "$we/dataset.json" "$we/criteria.json" -f json
cp "$tmp/out" "$tmp/run1"
run "$score" "$we/dataset.json" "$we/criteria.json" -f json
cmp -s "$tmp/out" "$tmp/run1"
ok $? "same input, same bytes across processes (keyed hash)"
ok "$(is $rc 0)" "second run exit 0"

# 27: a 20,000-unit chain scored with one roll-up leaf (29 s and 1.56 GB
# once; 5.66 GB with --format json; 8.8 s while each unit still walked its
# subtree). Subtree summaries are now summed once, bottom-up, and each
# unit's evidence is a run of its parent's.
gen "$tmp/chain20k.json" 'n = 20000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "reports": [{"unit": "u%d" % i, "period": "2014-Q1", "kind": "statistics", "due": "2014-04-10",
               "submitted": "2014-04-%02d" % (10 - (i % 2)), "complete": True} for i in range(n)]}'
gen "$tmp/rollup.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "x", "title": "x", "max": 100, "measure": {"kind": "report_share_on_time", "rollup": True},
                "method": {"type": "linear", "target": 100}}]}'
run "$score" "$tmp/chain20k.json" "$tmp/rollup.json" -f csv
ok "$("$py" -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 20000 and all(r["final"] == "100.000" for r in rows)' "$tmp/out" 2>>"$tmp/err"; echo $?)" "20,000-unit chain with one roll-up leaf: scored"

# 28-29: shared evidence is still each unit's own subtree, whether the
# records were added top-down (a unit's list is its parent's tail) or
# bottom-up (its head)
for order in down up; do
    gen "$tmp/chain-$order.json" 'n, up = 300, "'$order'" == "up"
units = [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)]
idx = range(n - 1, -1, -1) if up else range(n)
doc = {"format": "justice-quarterly/dataset 1.0", "units": units,
  "reports": [{"unit": "u%d" % i, "period": "2014-Q1", "kind": "statistics", "due": "2014-04-10",
               "submitted": "2014-04-10", "complete": True} for i in idx]}'
    run "$score" "$tmp/chain-$order.json" "$tmp/rollup.json" -f json --evidence ids
    ok "$("$py" -c 'import json, sys
doc, ds = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
where = {r["unit"]: "/reports/%d" % k for k, r in enumerate(ds["reports"])}
for u in doc["units"]:
    k = int(u["id"][1:])
    want = sorted((where["u%d" % i] for i in range(k, 300)), key=lambda p: int(p.split("/")[2]))
    assert u["nodes"][0]["evidence"] == want, (u["id"], u["nodes"][0]["evidence"][:3], want[:3])' "$tmp/out" "$tmp/chain-$order.json" 2>>"$tmp/err"; echo $?)" "roll-up chain, records added $order: each unit cites exactly its subtree"
done

# 30-31: a 4,000-unit chain with 2,000 roll-up vetoes on 2,000 distinct
# report kinds (no two vetoes measure the same thing: 238 s while each
# veto walked each unit's subtree). Unit i has one report of kind
# k(i mod 2000), (3999 - i) mod 10 days late.
gen "$tmp/chain-kinds.json" 'n = 4000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "reports": [{"unit": "u%d" % i, "period": "2014-Q1", "kind": "k%d" % (i % 2000), "due": "2014-04-10",
               "submitted": "2014-04-1%d" % ((n - 1 - i) % 10), "complete": True} for i in range(n)]}'
gen "$tmp/vetoes-kinds.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "a", "min": 50}, {"id": "b", "name": "b", "min": 0}],
  "criteria": [{"id": "x", "title": "x", "max": 100, "measure": {"kind": "report_share_on_time"},
                "method": {"type": "linear", "target": 100}}],
  "vetoes": [{"id": "v%d" % i, "reason": "r", "measure": {"kind": "report_days_late_worst", "rollup": True,
              "report_kind": "k%d" % i}, "above": 3, "cap": "b"} for i in range(2000)]}'
run "$score" "$tmp/chain-kinds.json" "$tmp/vetoes-kinds.json" -f csv
ok "$(is $rc 0)" "4,000-unit chain, 2,000 roll-up vetoes on distinct kinds: scored"
# veto j fires for unit k when a unit i >= k (its subtree) with
# i mod 2000 = j is more than 3 days late
ok "$("$py" -c 'import csv, sys
rows = {r["unit_id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
assert len(rows) == 4000
fired = set()
for k in range(3999, -1, -1):
    if (3999 - k) % 10 > 3:
        fired.add(k % 2000)
    want = ";".join("v%d" % j for j in sorted(fired))
    assert rows["u%d" % k]["vetoes"] == want, (k, rows["u%d" % k]["vetoes"][:80], want[:80])
    if fired:
        assert rows["u%d" % k]["tier"] == "b", k' "$tmp/out" 2>>"$tmp/err"; echo $?)" "distinct roll-up vetoes fire by each unit's subtree"

# 32-34: 65,536 unit ids crafted to collide under the unseeded 64-bit
# FNV-1a the maps once used: all hash to the same low 24 bits, so all
# started at one slot and probed linearly (7.8 s to validate against
# 0.7 s for random ids of the same length, in that code). The maps now use
# SipHash keyed per process, so these ids are ordinary. fnv_collide.py
# says how they are made and checks the collision itself.
"$py" "$here/fnv_collide.py" 65536 >"$tmp/ids.txt"
ok $? "65,536 ids colliding under the old FNV-1a: generated"
gen "$tmp/collide.json" 'ids = open(sys.argv[1].replace("collide.json", "ids.txt"), encoding="utf-8").read().split()
assert len(ids) == 65536 == len(set(ids))
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": i, "name": "x", "level": "district"} for i in ids]}'
run "$validate" "$tmp/collide.json"
ok "$(has 'valid: 65536 units' "$tmp/out")" "colliding ids: valid, every unit counted"
# the map still tells them apart: the last id again is a duplicate
gen "$tmp/collide-dup.json" 'ids = open(sys.argv[1].replace("collide-dup.json", "ids.txt"), encoding="utf-8").read().split()
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": i, "name": "x", "level": "district"} for i in ids + ids[-1:]]}'
run "$validate" "$tmp/collide-dup.json"
ok "$([ $rc -eq 1 ] && grep -q '/units/65536' "$tmp/err" && grep -q -- "$(tail -1 "$tmp/ids.txt")" "$tmp/err"; echo $?)" "colliding ids: the repeated last id is reported at /units/65536"

# 35-37: jql-report, the next period's programme: 20,000 tasks due in it
# with distinct titles (each once scanned every earlier and later task:
# 21 s for 40,000), and one task held by both covered units
gen "$tmp/next.json" 'n = 20000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}, {"id": "U", "name": "U", "level": "district", "parent": "D"},
            {"id": "V", "name": "V", "level": "district", "parent": "D"}],
  "statistics": [{"unit": "U", "indicator": "i", "period": "2014-Q1", "value": 1}], "indicators": [{"id": "i", "name": "i"}],
  "tasks": [{"id": "t%d" % k, "title": "T%d" % (n - 1 - k), "units": ["U"], "due": "2014-04-15", "status": "pending"} for k in range(n)]
         + [{"id": "c%s" % u, "title": "Common", "units": [u], "due": "2014-05-02", "status": "pending"} for u in "UV"]}'
run "$report" -p 2014-Q1 --lang en "$tmp/next.json"
ok "$(is $rc 0)" "next period, 20,000 distinct tasks: exit 0"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "Tasks in the work programme")
assert len(rows) == 20001, len(rows)
assert [r[0] for r in rows[:-1]] == ["T%d" % (19999 - k) for k in range(20000)]  # dataset order
assert all(r[1] == "U" and r[3] == "15 Apr 2014" for r in rows[:-1]), rows[0]' "$tmp/out" 2>>"$tmp/err"; echo $?)" "next period: one row per task, in dataset order, with its owner"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "Tasks in the work programme")
assert rows[-1] == ["Common", "all district", "\u2014", "2 May 2014"], rows[-1]' "$tmp/out" 2>>"$tmp/err"; echo $?)" "next period: the copies of a task held by every covered unit are one row, named by level"

# 38-39: 30,000 reports of distinct kinds (a tally of every record per
# kind: 32 s for 60,000)
gen "$tmp/kinds.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}, {"id": "U", "name": "U", "level": "district", "parent": "D"}],
  "statistics": [{"unit": "U", "indicator": "i", "period": "2014-Q1", "value": 1}], "indicators": [{"id": "i", "name": "i"}],
  "reports": [{"unit": "U", "period": "2014-Q1", "kind": "k%d" % k, "due": "2014-03-10",
               "submitted": [None, "2014-03-10", "2014-03-12"][k % 3], "complete": k % 2 == 0} for k in range(30000)]}'
run "$report" -p 2014-Q1 --lang en "$tmp/kinds.json"
ok "$(is $rc 0)" "30,000 report kinds: exit 0"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "Reporting discipline")
assert len(rows) == 30000, len(rows)
for k, r in enumerate(rows):  # kind, due, on time, incomplete, late, missing
    missing, late = k % 3 == 0, k % 3 == 2
    want = ["k%d" % k, "1", str(int(k % 3 == 1)), str(int(not missing and k % 2 == 1)), str(int(late)), str(int(missing))]
    assert r == want, (r, want)' "$tmp/out" 2>>"$tmp/err"; echo $?)" "report kinds: each counted, in first-seen order"

# 40-42: 30,000 tasks of distinct fields, and 20,000 units owning one task
# each (a list of fields and of owners searched for each task, and a tally
# of every record per field: > 40 s for 60,000 fields)
gen "$tmp/fields.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(20000)],
  "statistics": [{"unit": "u0", "indicator": "i", "period": "2014-Q1", "value": 1}], "indicators": [{"id": "i", "name": "i"}],
  "tasks": [{"id": "t%d" % k, "title": "T", "field": "f%d" % k, "units": ["u%d" % (k % 20000)], "due": "2014-03-15",
             **({"status": "done", "completed": ["2014-03-10", "2014-03-20"][k % 4 // 2]} if k % 4 else {"status": "pending"})}
            for k in range(30000)]}'
run "$report" -p 2014-Q1 --lang en "$tmp/fields.json"
ok "$(is $rc 0)" "30,000 task fields, 20,000 owners: exit 0"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "By field")
assert len(rows) == 30001 and rows[-1][:5] == ["All", "30000", "22500", "15000", "7500"], rows[-1]
for k, r in enumerate(rows[:-1]):  # field, due, done, done late, not done
    want = ["f%d" % k, "1", str(int(k % 4 > 0)), str(int(k % 4 >= 2)), str(int(k % 4 == 0))]
    assert r[:5] == want, (r, want)' "$tmp/out" 2>>"$tmp/err"; echo $?)" "task fields: each counted, in first-seen order"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "By unit")  # units with a task late or not done
want = [k for k in range(20000) if any(t % 4 != 1 for t in (k, k + 20000) if t < 30000)]
assert [r[0] for r in rows] == ["x%d" % k for k in want], rows[:3]
for r in rows:
    k = int(r[0][1:]); ts = [t for t in (k, k + 20000) if t < 30000]
    assert r[1:5] == [str(len(ts)), str(sum(t % 4 > 0 for t in ts)), str(sum(t % 4 >= 2 for t in ts)), str(sum(t % 4 == 0 for t in ts))], r' "$tmp/out" 2>>"$tmp/err"; echo $?)" "task owners: each unit counted, in unit order"

# 43-44: 30,000 late reports of one kind, later and later (each inserted
# into the problem list one by one: > 40 s for 50,000)
gen "$tmp/late.json" 'import datetime
day = lambda k: (datetime.date(2014, 3, 10) + datetime.timedelta(days=k)).isoformat()
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(30000)],
  "statistics": [{"unit": "u0", "indicator": "i", "period": "2014-Q1", "value": 1}], "indicators": [{"id": "i", "name": "i"}],
  "reports": [{"unit": "u%d" % k, "period": "2014-Q1", "kind": "statistics", "due": "2014-03-10",
               "submitted": day(1 + k // 30) if k % 7 else None, "complete": k % 2 == 0} for k in range(30000)]}'
run "$report" -p 2014-Q1 --lang en --as-of=2020-01-01 "$tmp/late.json"
ok "$(is $rc 0)" "30,000 late reports of one kind: exit 0"
ok "$("$py" -c "$tables_py"'
rows = [r for h, r in tables(sys.argv[1]) if h == "Statistics report"][0]
late = lambda k: 10 ** 9 if k % 7 == 0 else 1 + k // 30
want = sorted(range(30000), key=lambda k: (-late(k), k))
assert [r[0] for r in rows] == ["x%d" % k for k in want], rows[:3]
assert all(r[2] == ("\u2014" if k % 7 == 0 else str(late(k))) for r, k in zip(rows, want))' "$tmp/out" 2>>"$tmp/err"; echo $?)" "problem list: never submitted first, then most days late, then dataset order"

# 45-46: 30,000 district units, 10,000 directives to the level and one to
# named units too (a tally per unit read every directive of its level:
# 6.9 s for 40,000 x 20,000)
gen "$tmp/addressees.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(30000)],
  "statistics": [{"unit": "u0", "indicator": "i", "period": "2014-Q1", "value": 1}], "indicators": [{"id": "i", "name": "i"}],
  "directives": [{"id": "d%d" % k, "issued": "2014-01-02", "issuer": "D", "addressees": {"levels": ["district"]}, "text": "x",
                  "due": "2014-03-01", **({"status": "done", "completed": "2014-02-01"} if k % 2 else {"status": "open"})} for k in range(10000)]
               + [{"id": "named", "issued": "2014-01-02", "issuer": "D", "addressees": {"units": ["D", "u1"], "levels": ["district"]},
                   "text": "y", "due": "2014-03-01", "status": "open"}]}'
run "$report" -p 2014-Q1 --lang en "$tmp/addressees.json"
ok "$(is $rc 0)" "30,000 addressees of 10,000 directives to their level: exit 0"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "By addressee")
assert rows[0] == ["D", "1", "0", "1"], rows[0]  # named; its level is not addressed
assert len(rows) == 30001 and all(r == ["x%d" % k, "10001", "5000", "5001"] for k, r in enumerate(rows[1:])), rows[1:3]' "$tmp/out" 2>>"$tmp/err"; echo $?)" "directives by addressee: by name and by level, each directive once"

# 47-48: 20,000 units each in its own cluster, html (the chart walked
# every unit for each cluster: 18 s for 40,000)
gen "$tmp/clusters.json" 'n = 20000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D", **({"cluster": "c%05d" % (n - k)} if k % 3 else {})}
            for k in range(n)],
  "assessments": [{"unit": "u%d" % k, "period": "2014", "criterion": "m", "appraised": 1} for k in range(n)]}'
gen "$tmp/clusters-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "m", "title": "m", "max": 100, "method": {"type": "manual"}}]}'
run "$report" -f html --lang en "$tmp/clusters.json" "$tmp/clusters-crit.json"
ok "$(is $rc 0)" "20,000 clusters, html: exit 0"
ok "$("$py" -c 'import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
chart = html[html.index("id=\"chart-clusters\""):]
chart = chart[:chart.index("</svg>")]
got = re.findall(r"font-weight=\"bold\">([^<]*)</text>|text-anchor=\"end\">(x\d+)</text>", chart)
n = 20000
want = []
for k in sorted((k for k in range(n) if k % 3), key=lambda k: n - k):  # clusters by id
    want += [("Cluster c%05d" % (n - k), ""), ("", "x%d" % k)]
# the unclustered in result order: equal scores, so by unit id
want += [("No cluster", "")] + [("", "x%d" % k) for k in sorted(range(0, n, 3), key=lambda k: "u%d" % k)]
assert got == want, (got[:4], want[:4])' "$tmp/out" 2>>"$tmp/err"; echo $?)" "cluster chart: clusters in id order, each with its units, then the unclustered"

# 49-50: score sheets, 20,000 leaves under one section and 50,000 event
# kind labels (each node counted its earlier siblings, each word of each
# rule tried every label)
gen "$tmp/sheet.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}, {"id": "U", "name": "U", "level": "district", "parent": "D"}],
  "labels": [{"kind": "event_kind", "id": "e%d" % k, "names": {"en": "Kind %d" % k}} for k in range(50000)],
  "events": [{"unit": "U", "date": "2014-03-01", "kind": "e49999", "points": 1}]}'
gen "$tmp/sheet-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "s", "title": "s", "max": 100, "children": [{"id": "m%d" % k, "title": "m", "max": 0.005,
                "method": {"type": "manual"}} for k in range(20000)]}],
  "bonus": {"items": [{"id": "b", "title": "b", "max": 5, "source": "events", "event_kind": "e49999"}]}}'
run "$report" --score-sheet=all --lang en "$tmp/sheet.json" "$tmp/sheet-crit.json"
ok "$(is $rc 0)" "score sheet of 20,000 leaves, 50,000 event kind labels: exit 0"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "EMULATION SCORE SHEET \u2014 U")
assert [r[0] for r in rows[:20001]] == ["1. s"] + ["1.%d. m" % k for k in range(1, 20001)], rows[:3]
assert rows[20001][5] == "events: 1 Kind 49999 \u2192 1", rows[20001]' "$tmp/out" 2>>"$tmp/err"; echo $?)" "score sheet: every criterion numbered, the event kind by its label"

# 51-53: 10,000 units, 20,000 tiers (each unit's tier looked up one by one:
# jql-score text 29 s, jql-report 53 s for 40,000 x 100,000)
gen "$tmp/tiers.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(10000)],
  "assessments": [{"unit": "u%d" % k, "period": "2014", "criterion": "m", "appraised": (k % 1000) / 1000} for k in range(10000)]}'
gen "$tmp/tiers-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "criteria": [{"id": "m", "title": "m", "max": 100, "method": {"type": "manual"}}],
  "tiers": [{"id": "t%d" % k, "name": "N%d" % k, "min": (19999 - k) / 1000} for k in range(20000)]}'
run "$score" "$tmp/tiers.json" "$tmp/tiers-crit.json" -f text
ok "$("$py" -c 'import sys
rows = {}
for line in open(sys.argv[1], encoding="utf-8"):
    f = line.split()
    if len(f) > 4 and f[2].startswith("x"):
        rows[f[2]] = f[4]
assert len(rows) == 10000
# final k % 1000 thousandths: the first tier whose minimum it reaches, t(19999 - f)
assert all(rows["x%d" % k] == "N%d" % (19999 - k % 1000) for k in range(10000)), list(rows.items())[:3]' "$tmp/out" 2>>"$tmp/err"; echo $?)" "20,000 tiers: jql-score text names each unit's tier"
run "$report" --lang en "$tmp/tiers.json" "$tmp/tiers-crit.json"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "Scoreboard")
assert len(rows) == 10000
assert all(r[7] == "N%d" % (19999 - int(r[1][1:]) % 1000) for r in rows), rows[:2]
tiers = {r[0]: r[2] for r in table(sys.argv[1], "Tiers")}
assert tiers["N19999"] == "10" and tiers["N19000"] == "10" and tiers["N0"] == "0"' "$tmp/out" 2>>"$tmp/err"; echo $?)" "20,000 tiers: jql-report names and counts each unit's tier"
run "$score" "$tmp/tiers.json" "$tmp/tiers-crit.json" --compare "$tmp/tiers-crit.json" -f json
ok "$("$py" -c 'import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(doc["units"]) == 10000 and doc["tier_changes"] == 0
assert all(u["tier_change"] == 0 for u in doc["units"]), doc["units"][0]' "$tmp/out" 2>>"$tmp/err"; echo $?)" "20,000 tiers: --compare finds each unit's tier on the other side"

# the one-at-a-time weights, recomputed: the changed section at its maximum
# -/+ the percent, the others sharing the rest by largest remainder (the
# larger first, equal ones in section order), all in thousandths
sens_py='import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
milli = lambda x: int(round(x * 1000))
M = [milli(s["max"]) for s in doc["sections"]]
total, pct = sum(M), milli(doc["percent"])
ids = [s["id"] for s in doc["sections"]]
assert len(doc["one_at_a_time"]) == 2 * len(M)
for run in doc["one_at_a_time"]:
    j = ids.index(run["section"])
    d = M[j] * pct // 100000
    wj = min(M[j] - d if run["change"] == "-" else M[j] + d, total)
    rest = [i for i in range(len(M)) if i != j]
    ssum, share = sum(M[i] for i in rest), total - wj
    out = {i: M[i] * share // ssum for i in rest}
    order = sorted(rest, key=lambda i: (-(M[i] * share % ssum), i))
    for i in order[:share - sum(out.values())]:
        out[i] += 1
    want = [wj if i == j else out[i] for i in range(len(M))]
    assert [milli(w) for w in run["weights"]] == want, (run["section"], run["change"])
for w in doc["monte_carlo_weights"]:
    assert sum(milli(x) for x in w) == total
'

# 54-55: sensitivity over 300 sections of rising maxima (their remainders
# were inserted one by one for every weight tried)
gen "$tmp/sens.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(10)],
  "assessments": [{"unit": "u%d" % k, "period": "2014", "criterion": "m%d" % k, "appraised": 0.001 * (k % 3)} for k in range(10)]}'
gen "$tmp/sens-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "a", "name": "a", "min": 0.01}, {"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "m%d" % k, "title": "m", "max": round(0.003 + 0.001 * k, 3), "method": {"type": "manual"}} for k in range(300)]}'
run "$score" "$tmp/sens.json" "$tmp/sens-crit.json" --sensitivity 10 --runs 5 -f json
ok "$(is $rc 0)" "sensitivity, 300 sections: exit 0"
ok "$("$py" -c "$sens_py" "$tmp/out" 2>>"$tmp/err"; echo $?)" "sensitivity: every run's weights share out the whole total"

# 56: 60,000 overdue tasks listed with their owners (each list was kept in
# a 4 KiB buffer until the end: 481 MB for 110,000)
gen "$tmp/overdue.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}, {"id": "U", "name": "Owner", "level": "district", "parent": "D"}],
  "statistics": [{"unit": "U", "indicator": "i", "period": "2014-Q1", "value": 1}], "indicators": [{"id": "i", "name": "i"}],
  "tasks": [{"id": "t%d" % k, "title": "T%d" % k, "units": ["U"], "due": "2014-03-15", "status": "pending"} for k in range(60000)]}'
run "$report" -p 2014-Q1 --lang en "$tmp/overdue.json"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "Tasks not done")
assert [r[:2] for r in rows] == [["T%d" % k, "Owner"] for k in range(60000)], rows[:2]' "$tmp/out" 2>>"$tmp/err"; echo $?)" "60,000 overdue tasks: each listed with its owner"

# 57-58: --plans, 5 units x 20,000 leaves of 0.005 with nothing scored,
# the top tier at 99.9 (each leaf raised re-summed the whole tree: 13.4 s)
gen "$tmp/plans.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(5)],
  "assessments": [{"unit": "u%d" % k, "period": "2014", "criterion": "m0", "appraised": 0} for k in range(5)]}'
gen "$tmp/plans-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "a", "name": "a", "min": 99.9}, {"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "s", "title": "s", "max": 100, "children": [{"id": "m%d" % k, "title": "m", "max": 0.005,
                "method": {"type": "manual"}} for k in range(20000)]}]}'
run "$score" "$tmp/plans.json" "$tmp/plans-crit.json" --plans -f json
ok "$(is $rc 0)" "--plans, 5 units x 20,000 leaves: exit 0"
ok "$("$py" -c 'import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(doc["units"]) == 5
for u in doc["units"]:  # 19,980 leaves of 0.005 reach 99.9, taken in criteria order
    assert u["closes_gap"] and u["final_with_plan"] == 99.9, u["final_with_plan"]
    assert u["plan"] == ["m%d" % k for k in range(19980)] and len(u["leaves"]) == 20000' "$tmp/out" 2>>"$tmp/err"; echo $?)" "--plans: each unit reaches the next tier after exactly the leaves it needs"

# 59-60: --score-sheet=all for the 20,000 units of 47 (each sheet's table
# of strengths walked every unit: 3.8 s for 40,000)
run "$report" --score-sheet=all --lang en "$tmp/clusters.json" "$tmp/clusters-crit.json"
ok "$(is $rc 0)" "20,000 score sheets: exit 0"
ok "$("$py" -c "$tables_py"'
ts = tables(sys.argv[1])
sheets = [h for h, r in ts if h.startswith("EMULATION SCORE SHEET")]
strengths = [r for h, r in ts if h.startswith("Strengths")]
assert len(sheets) == len(strengths) == 20000
assert all(len(r) == 1 and h.endswith("\u2014 " + r[0][0]) for h, r in zip(sheets, strengths)), (sheets[:1], strengths[:1])' "$tmp/out" 2>>"$tmp/err"; echo $?)" "20,000 score sheets: each with the strengths row of its own unit only"

# 61-64: the rows jql-report now counts in one pass (by owner, by field,
# by addressee) against the library's own tallies (tests/tally_print), on
# a seeded random dataset at two as-of dates: tasks with several owners and
# no field, directives to units and levels at once
gen "$tmp/mixed.json" 'import random
R = random.Random(7)
units = [{"id": "D", "name": "ND", "level": "province"}]
for i in range(8):
    units.append({"id": "d%d" % i, "name": "Nd%d" % i, "level": R.choice(["district", "town"]), "parent": "D"})
    units += [{"id": "c%d_%d" % (i, j), "name": "Nc%d_%d" % (i, j), "level": "commune", "parent": "d%d" % i} for j in range(2)]
ids = [u["id"] for u in units]
days = ["2014-01-10", "2014-02-10", "2014-02-20", "2014-03-20", "2014-04-15"]
tasks = []
for k in range(150):
    t = {"id": "t%d" % k, "title": "T%d" % k, "units": R.sample(ids, R.randint(1, 3)), "due": R.choice(days),
         "status": R.choice(["pending", "in_progress", "done"])}
    if t["status"] == "done":
        t["completed"] = R.choice(days)
    if R.random() < 0.7:
        t["field"] = R.choice(["f1", "f2", "f3", "f4"])
    tasks.append(t)
dirs = []
for k in range(40):
    a = {}
    if R.random() < 0.6:
        a["units"] = R.sample(ids, R.randint(1, 3))
    if R.random() < 0.6 or not a:
        a["levels"] = R.sample(["district", "town", "commune", "province"], R.randint(1, 2))
    d = {"id": "x%d" % k, "issued": R.choice(["2014-01-05", "2014-02-12"]), "issuer": "D", "addressees": a,
         "text": "X%d" % k, "due": R.choice(days), "status": R.choice(["open", "done"])}
    if d["status"] == "done":
        d["completed"] = R.choice(days)
    dirs.append(d)
doc = {"format": "justice-quarterly/dataset 1.0", "units": units, "tasks": tasks, "directives": dirs,
       "indicators": [{"id": "i", "name": "i"}], "statistics": [{"unit": "D", "indicator": "i", "period": "2014-Q1", "value": 1}]}'
tally_print="$build/tests/tally_print"
for as_of in 2014-02-15 2014-03-31; do
    run "$report" -p 2014-Q1 --lang en --as-of=$as_of "$tmp/mixed.json"
    cp "$tmp/out" "$tmp/mixed.md"
    if [ ! -x "$tally_print" ]; then
        ok 0 "# SKIP tally_print not built (tests disabled)"
        ok 0 "# SKIP tally_print not built (tests disabled)"
        continue
    fi
    for u in - $("$py" -c 'import json, sys
print(" ".join(u["id"] for u in json.load(open(sys.argv[1]))["units"]))' "$tmp/mixed.json"); do
        echo "unit $u"
        "$tally_print" "$tmp/mixed.json" "$u" 2014-Q1 $as_of - 0
    done >"$tmp/tallies"
    ok "$("$py" -c "$tables_py"'
c, unit = {}, None
for line in open(sys.argv[2]):
    if line.startswith("unit "):
        unit = line.split()[1]; c[unit] = {}
    else:
        k, v = line.strip().split("="); c[unit][k] = int(v)
name = lambda u: "N" + u if u != "-" else None
rows = {r[0]: r for r in table(sys.argv[1], "By unit")}  # units with a task late or not done
for u, t in c.items():
    if u == "-" or not t["tasks_due"]:
        continue
    want = [str(t[k]) for k in ("tasks_due", "tasks_done", "tasks_done_late", "tasks_overdue")]
    if t["tasks_done_late"] or t["tasks_overdue"]:
        assert rows.pop(name(u))[1:5] == want, (u, rows.get(name(u)), want)
assert not rows, rows
rows = {r[0]: r for r in table(sys.argv[1], "By addressee")}
for u, t in c.items():
    if u != "-" and t["directives_due"]:
        d, done = t["directives_due"], t["directives_done"]
        assert rows.pop(name(u))[1:] == [str(d), str(done), str(d - done)], u
assert not rows, rows' "$tmp/mixed.md" "$tmp/tallies" 2>>"$tmp/err"; echo $?)" "as of $as_of: rows by owner and by addressee = the library's tally of each unit"
    ok "$("$py" -c "$tables_py"'
import json
doc = json.load(open(sys.argv[3]))
as_of = sys.argv[4]
total = {}
for line in open(sys.argv[2]):
    if line.startswith("unit ") and total:
        break
    if "=" in line:
        k, v = line.strip().split("="); total[k] = int(v)
# the tally rule per task (docs/API.md), checked against the C total below
count = {}
for t in doc["tasks"]:
    if not ("2014-01-01" <= t["due"] <= "2014-03-31") or t["due"] > as_of:
        continue
    f = t.get("field", "\u2014")
    done = t["status"] == "done" and t["completed"] <= as_of
    row = count.setdefault(f, [0, 0, 0, 0])
    row[0] += 1; row[1] += done; row[2] += done and t["completed"] > t["due"]; row[3] += not done
got = {r[0]: [int(x) for x in r[1:5]] for r in table(sys.argv[1], "By field")}
assert got.pop("All") == [total[k] for k in ("tasks_due", "tasks_done", "tasks_done_late", "tasks_overdue")]
assert got == count, (got, count)' "$tmp/mixed.md" "$tmp/tallies" "$tmp/mixed.json" $as_of 2>>"$tmp/err"; echo $?)" "as of $as_of: rows by field count each task by the tally's rule"
done

# 65-66: 20,000 indicators, one with a statistic, and 2,000 units (each
# unit and indicator was asked for its change: 24 s for a 740 KB file)
gen "$tmp/indicators.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(2000)],
  "indicators": [{"id": "i%d" % k, "name": "I%d" % k} for k in range(20000)],
  "statistics": [{"unit": "u7", "indicator": "i19999", "period": p, "value": v}
                 for p, v in (("2014-Q1", 12), ("2013-Q1", 10))]}'
run "$report" -p 2014-Q1 --lang en "$tmp/indicators.json"
ok "$(is $rc 0)" "20,000 indicators, 2,000 units: exit 0"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "1. Statistics")
assert len(rows) == 2001, len(rows)  # one column: the indicator with data
cells = {r[0]: r[1:] for r in rows}
assert cells["x7"] == ["12 +20.0%"] and cells["Province total"] == ["12 +20.0%"], cells["x7"]
assert all(v == ["\u2014"] for k, v in cells.items() if k not in ("x7", "Province total"))' "$tmp/out" 2>>"$tmp/err"; echo $?)" "20,000 indicators: only the one with data shown, its change where it has data"

# The one-leaf roll-up scores of a 20,000-unit chain (67-70, 91-94) in
# $tmp/out, checked for a few units: chain_values_ok KIND LEVEL_DIRECTIVES
# (open directives to the chain's level, counted in every subtree).
chain_values_ok() {
    "$py" -c 'import csv, sys
from decimal import Decimal
kind, lv, n = sys.argv[2], int(sys.argv[3]), 20000
rows = {r["unit_id"] if "unit_id" in r else r["id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
assert len(rows) == n, len(rows)
for i in (0, 1, 2, 4999, 19998, 19999):  # u_i holds units i..n-1
    if kind == "stat":
        value = sum(k % 3 for k in range(i, n))          # the subtree sum, x 1
    else:
        due = n - i + lv; done = sum(1 for k in range(i, n) if k % 4)
        value = Decimal(done * 100) / due               # the share completed, %
    want = min(Decimal(value) * 100 / 100000, Decimal(100))  # linear, target 100,000
    got = Decimal(rows["u%d" % i]["total"])  # the one leaf, max 100 on a scale of 100
    assert abs(got - want) <= Decimal("0.0005"), (i, got, want)' "$tmp/out" "$1" "$2" 2>>"$tmp/err"
    echo $?
}

# 67-70: a 20,000-unit chain with one roll-up of statistics, then of
# directives (each unit walked its subtree: 8.3 s and 7.6 s for a 6 MB file;
# now summed once per subtree, bottom-up). Every unit's value is its
# subtree's: the statistic's sum, the share of directives completed. (Each
# unit cites its whole subtree: the records behind these values are checked
# against the walk in test_query.c, on smaller trees.)
gen "$tmp/chain-sd.json" 'n = 20000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "indicators": [{"id": "i", "name": "i"}],
  "statistics": [{"unit": "u%d" % i, "indicator": "i", "period": "2014-Q1", "value": i % 3} for i in range(n)],
  "directives": [dict({"id": "d%d" % i, "issued": "2014-01-05", "issuer": "u0", "addressees": {"units": ["u%d" % i]},
                       "text": "d", "due": "2014-03-01", "status": "done" if i % 4 else "open"},
                      **({"completed": "2014-02-01"} if i % 4 else {})) for i in range(n)]}'
for kind in stat dir; do
    if [ $kind = stat ]; then m='{"kind": "indicator_value", "indicator": "i", "rollup": True}'; else m='{"kind": "directive_share_completed", "rollup": True}'; fi
    gen "$tmp/rollup-$kind.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
  "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "x", "title": "x", "max": 100, "measure": '"$m"',
                "method": {"type": "linear", "target": 100000}}]}'
    run "$score" "$tmp/chain-sd.json" "$tmp/rollup-$kind.json" -f csv
    ok "$(is $rc 0)" "20,000-unit chain, roll-up of $kind: scored"
    ok "$(chain_values_ok $kind 0)" "roll-up of $kind: each unit holds its subtree's value"
done

# The statistics matrix of a jql-report as {(row, indicator name): cell}
matrix_py='import sys
def matrix(path):
    heads, got = None, {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("| Unit |"):
            heads = [c.strip() for c in line.strip().strip("|").split(" | ")][1:]
        elif heads and line.startswith("| ") and not line.startswith("| ---"):
            cells = [c.strip().strip("*") for c in line.strip().strip("|").split(" | ")]
            got.update({(cells[0], h): c for h, c in zip(heads, cells[1:])})
        elif not line.startswith("|"):
            heads = None
    return got
'

# 71-74: statistics asked per (unit, indicator): each value read all the
# unit's statistics, and each roll-up walked the whole subtree. One unit
# with 40,000 indicators (80,000, 8.5 MB: 41.7 s), then 30,000 indicators
# at the deep end of a 20,000-unit chain (8.1 MB: 129 s); now each value
# reads its (unit, indicator) pair and each roll-up the fewer of the
# subtree's units and the indicator's pairs. Every cell is checked.
gen "$tmp/one-unit.json" 'n = 40000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}, {"id": "U", "name": "x", "level": "district", "parent": "D"}],
  "indicators": [{"id": "i%d" % k, "name": "I%d" % k} for k in range(n)],
  "statistics": [{"unit": "U", "indicator": "i%d" % k, "period": p, "value": v}
                 for k in range(n) for p, v in (("2014-Q1", 2 + k % 4), ("2013-Q1", 1))]}'
gen "$tmp/chain-ind.json" 'n, m = 20000, 30000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "indicators": [{"id": "i%d" % k, "name": "I%d" % k} for k in range(m)],
  "statistics": [{"unit": "u%d" % (n - 1 - k % 50), "indicator": "i%d" % k, "period": p, "value": v}
                 for k in range(m) for p, v in (("2014-Q1", 2 + k % 4), ("2013-Q1", 1))]}'
for shape in one-unit chain-ind; do
    run "$report" -p 2014-Q1 --lang en "$tmp/$shape.json"
    ok "$(is $rc 0)" "$shape: exit 0"
    ok "$("$py" -c "$matrix_py"'
n = 40000 if sys.argv[2] == "one-unit" else 30000
got = matrix(sys.argv[1])
assert len(got) == 2 * n, len(got)  # the covered unit and the total
for k in range(n):
    want = "%d +%d.0%%" % (2 + k % 4, 100 * (1 + k % 4))
    assert got[("x", "I%d" % k)] == want and got[("Province total", "I%d" % k)] == want, k' "$tmp/out" $shape 2>>"$tmp/err"; echo $?)" "$shape: each indicator's value and change, unit and total"
done

# 75-78: --sensitivity over 20,000 sections (1.5 MB: every one-at-a-time
# case lists every section's weight, 2 x 20,000^2 numbers; 4,000 sections
# took 40 s and 525 MB), then 2,000 units x 100 sections x 5,000 runs:
# refused at once with the limit named (docs/ANALYSIS.md, Limits)
gen "$tmp/sens-many.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "a", "name": "a", "min": 0.01}, {"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "m%d" % k, "title": "m", "max": 0.005, "method": {"type": "manual"}} for k in range(20000)]}'
run "$score" "$tmp/sens.json" "$tmp/sens-many.json" --sensitivity 10 -f json
ok "$(is $rc 1)" "sensitivity, 20,000 sections: exit 1"
ok "$(has "sensitivity: 20000 sections and 10 units over 1000 runs would hold more than 25000000 results" "$tmp/err")" "sensitivity, 20,000 sections: the limit of results named"
gen "$tmp/sens-units.json" 'doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] + [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(2000)],
  "assessments": [{"unit": "u%d" % k, "period": "2014", "criterion": "m%d" % (k % 100), "appraised": 0.001 * (k % 3)} for k in range(2000)]}'
gen "$tmp/sens-units-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "a", "name": "a", "min": 0.01}, {"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "m%d" % k, "title": "m", "max": 1, "method": {"type": "manual"}} for k in range(100)]}'
run "$score" "$tmp/sens-units.json" "$tmp/sens-units-crit.json" --sensitivity 10 --runs 5000 -f json
ok "$(is $rc 1)" "sensitivity, 2,000 units x 100 sections x 5,000 runs: exit 1"
ok "$(has "sensitivity: more than 600000000 steps of work" "$tmp/err")" "sensitivity, 5,000 runs: the limit of work named"

# 79-81: jql-report's statistics table has a column per indicator with data
# and a row per covered unit and root: 5,000 units and 20,000 indicators of
# one statistic each (2.5 MB) needed 4 GB and would have written GBs; past
# 2,000,000 cells it is refused, with the sizes. 500 units x 3,000
# indicators (1.5M cells) is still written, every cell in place.
gen "$tmp/matrix.json" 'nu, ni = 5000, 20000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] + [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(nu)],
  "indicators": [{"id": "i%d" % k, "name": "I%d" % k} for k in range(ni)],
  "statistics": [{"unit": "u%d" % (k % nu), "indicator": "i%d" % k, "period": "2014-Q1", "value": 1} for k in range(ni)]}'
run "$report" -p 2014-Q1 --lang en "$tmp/matrix.json"
ok "$(is $rc 1)" "statistics table of 20,000 x 5,001 cells: exit 1"
ok "$(has "the statistics table would have 20000 indicators with data x 5001 units and totals, more than 2000000 cells" "$tmp/err")" "statistics table: the limit named"
gen "$tmp/matrix-fit.json" 'nu, ni = 500, 3000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] + [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(nu)],
  "indicators": [{"id": "i%d" % k, "name": "I%d" % k} for k in range(ni)],
  "statistics": [{"unit": "u%d" % (k % nu), "indicator": "i%d" % k, "period": "2014-Q1", "value": 1 + k % 3} for k in range(ni)]}'
run "$report" -p 2014-Q1 --lang en "$tmp/matrix-fit.json"
ok "$("$py" -c "$matrix_py"'
got = matrix(sys.argv[1])
assert len(got) == 501 * 3000, len(got)
for k in range(3000):
    for u in range(500):
        assert got[("x%d" % u, "I%d" % k)] == (str(1 + k % 3) if u == k % 500 else "\u2014"), (u, k)
    assert got[("Province total", "I%d" % k)] == str(1 + k % 3)' "$tmp/out" 2>>"$tmp/err"; echo $?)" "statistics table of 3,000 x 501 cells: written, each cell in place"

# 82-83: the HTML chart of points by section has a bar per unit and section:
# 5,000 units x 400 sections (a 750 KB input) made a 230 MB page in 5.7 s.
# Past 200,000 bars a sentence says it is not drawn; the scoreboard stays.
gen "$tmp/emu.json" 'nu, ns = 5000, 400
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] + [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(nu)],
  "assessments": [{"unit": "u%d" % k, "period": "2014", "criterion": "m%d" % (k % ns), "appraised": 0.1} for k in range(nu)]}'
gen "$tmp/emu-crit.json" 'ns = 400
doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "a", "name": "a", "min": 0.01}, {"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "m%d" % k, "title": "m", "max": 0.25, "method": {"type": "manual"}} for k in range(ns)]}'
run "$report" --lang en -f html "$tmp/emu.json" "$tmp/emu-crit.json"
ok "$(is $rc 0)" "HTML, 5,000 units x 400 sections: exit 0"
ok "$("$py" -c 'import sys
page = open(sys.argv[1], encoding="utf-8").read()
assert "Points by section not drawn: its bars (units \u00d7 sections) are more than 200000: 5000 \u00d7 400." in page
assert "chart-sections" not in page and page.count("<rect class=\"bar\"") == 5000  # the clusters chart: a bar per unit
assert all(">x%d<" % k in page for k in range(5000))' "$tmp/out" 2>>"$tmp/err"; echo $?)" "HTML: the sections chart left out with its sizes, every unit's bar and row kept"

# 84-86: --score-sheet=all writes a row per unit and criterion: 2,000 units
# x 2,000 leaves (a 440 KB input) took 8.6 s and 1.4 GB for 311 MB. Past
# 500,000 rows (each sheet counted with 10 rows of totals) it is refused,
# naming the sizes; one unit's sheet is still written.
gen "$tmp/sheets.json" 'nu, nl = 2000, 2000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] + [{"id": "u%d" % k, "name": "x%d" % k, "level": "district", "parent": "D"} for k in range(nu)],
  "assessments": [{"unit": "u%d" % k, "period": "2014", "criterion": "m%d" % (k % nl), "appraised": 0.01} for k in range(nu)]}'
gen "$tmp/sheets-crit.json" 'nl = 2000
doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "a", "name": "a", "min": 0.01}, {"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "s", "title": "s", "max": 100, "children": [{"id": "m%d" % k, "title": "m", "max": 0.05, "method": {"type": "manual"}} for k in range(nl)]}]}'
run "$report" --score-sheet=all --lang en "$tmp/sheets.json" "$tmp/sheets-crit.json"
ok "$(is $rc 1)" "--score-sheet=all, 2,000 units x 2,001 criteria: exit 1"
ok "$(has "score-sheet=all: 2000 sheets of 2001 criteria would be more than 500000 rows" "$tmp/err")" "--score-sheet=all: the limit named"
run "$report" --score-sheet=u7 --lang en "$tmp/sheets.json" "$tmp/sheets-crit.json"
ok "$("$py" -c "$tables_py"'
rows = table(sys.argv[1], "EMULATION SCORE SHEET \u2014 x7")
assert [r[0] for r in rows[:2001]] == ["1. s"] + ["1.%d. m" % k for k in range(1, 2001)], rows[:3]
assert rows[8][3:5] == ["0.010", "0.010"] and rows[9][4] == "0.000", rows[8:10]  # u7: m7 (1.8.) appraised' "$tmp/out" 2>>"$tmp/err"; echo $?)" "--score-sheet=u7: one unit's sheet of 2,001 criteria written"

# 87-88: --sensitivity --leaves with 3,000 leaves under one section: each
# case lists every sibling and its weight (9M of each: 4.2 s and 1 GB;
# 6,000 leaves, 16 s and 4 GB): refused at once, the limit named
gen "$tmp/leaves-crit.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014",
  "units": {"levels": ["district"]}, "tiers": [{"id": "a", "name": "a", "min": 0.01}, {"id": "t", "name": "t", "min": 0}],
  "criteria": [{"id": "s", "title": "s", "max": 100, "children": [{"id": "m%d" % k, "title": "m", "max": 0.01, "method": {"type": "manual"}} for k in range(3000)]}]}'
run "$score" "$tmp/sens.json" "$tmp/leaves-crit.json" --sensitivity 10 --leaves --runs 10 -f json
ok "$(is $rc 1)" "--sensitivity --leaves, 3,000 leaves under one section: exit 1"
ok "$(has "would hold more than 25000000 results" "$tmp/err")" "--leaves: the limit of results named"

# 89-90: --format xlsx, a sheet per unit and a row per criterion built in
# memory: the 2,000 units x 2,001 criteria of 84 (440 KB) took 92 s and
# 12 GB. Past 200,000 rows it is refused, nothing written.
run "$score" "$tmp/sheets.json" "$tmp/sheets-crit.json" -f xlsx -o "$tmp/sheets.xlsx"
if grep -q "without libxlsxwriter" "$tmp/err"; then
    ok 0 "# SKIP jql-score built without libxlsxwriter"
    ok 0 "# SKIP jql-score built without libxlsxwriter"
else
    ok "$(is $rc 1)" "xlsx, 2,000 units x 2,001 criteria: exit 1"
    ok "$([ "$(has "a sheet per unit of 2000 units x 2001 criteria would be more than 200000 rows: use --format csv or json" "$tmp/err")" = 0 ] && [ ! -e "$tmp/sheets.xlsx" ]; echo $?)" "xlsx: the limit named, no file written"
fi

# 91-94: the chain of 67-70 with its records in random order, and two
# directives to the level "district" listed first (a unit's records were no
# run of its parent's sorted evidence, so each unit stored its subtree's
# list: 24 s and 1.6 GB in jql-score -f csv, 31.6 s in jql-report, for a
# 2.6 MB file). text, csv, --evidence none and jql-report score without
# evidence (JQL_SCORE_NO_EVIDENCE): one sum per subtree.
gen "$tmp/chain-shuf.json" 'import random
n = 20000
rnd = random.Random(7)
su, du = list(range(n)), list(range(n))
rnd.shuffle(su); rnd.shuffle(du)
lv = [{"id": "l%d" % j, "issued": "2014-01-05", "issuer": "u0", "addressees": {"levels": ["district"]},
       "text": "d", "due": "2014-03-01", "status": "open"} for j in range(2)]
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "indicators": [{"id": "i", "name": "i"}],
  "statistics": [{"unit": "u%d" % i, "indicator": "i", "period": "2014-Q1", "value": i % 3} for i in su],
  "directives": lv + [dict({"id": "d%d" % i, "issued": "2014-01-05", "issuer": "u0", "addressees": {"units": ["u%d" % i]},
                       "text": "d", "due": "2014-03-01", "status": "done" if i % 4 else "open"},
                      **({"completed": "2014-02-01"} if i % 4 else {})) for i in du]}'
for kind in stat dir; do
    run "$score" "$tmp/chain-shuf.json" "$tmp/rollup-$kind.json" -f csv
    ok "$(is $rc 0)" "20,000-unit chain, records in random order, roll-up of $kind: scored"
    ok "$(chain_values_ok $kind 2)" "random order, roll-up of $kind: each unit holds its subtree's value"
done

# 95-96: a 4,000-unit chain with 2,000 roll-up vetoes on 2,000 distinct
# indicators (vetoes on statistics were not measured beforehand, as they
# may fail: each walked each unit's subtree, 189 s for a 0.9 MB pair; now
# measured beforehand up to a unit whose measurement fails). Unit i has
# indicator i mod 2000 at i mod 10.
gen "$tmp/chain-ind2000.json" 'n = 4000
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "u%d" % i, "name": "x", "level": "district", **({"parent": "u%d" % (i - 1)} if i else {})} for i in range(n)],
  "indicators": [{"id": "i%d" % j, "name": "i"} for j in range(2000)],
  "statistics": [{"unit": "u%d" % i, "indicator": "i%d" % (i % 2000), "period": "2014-Q1", "value": i % 10} for i in range(n)]}'
gen "$tmp/vetoes-ind.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "a", "min": 50}, {"id": "b", "name": "b", "min": 0}],
  "criteria": [{"id": "x", "title": "x", "max": 100, "measure": {"kind": "indicator_value", "indicator": "i0"},
                "method": {"type": "linear", "target": 100}}],
  "vetoes": [{"id": "v%d" % j, "reason": "r", "measure": {"kind": "indicator_value", "rollup": True,
              "indicator": "i%d" % j}, "above": 15, "cap": "b"} for j in range(2000)]}'
run "$score" "$tmp/chain-ind2000.json" "$tmp/vetoes-ind.json" -f csv
ok "$(is $rc 0)" "4,000-unit chain, 2,000 roll-up vetoes on distinct indicators: scored"
ok "$("$py" -c 'import csv, sys
rows = {r["unit_id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
assert len(rows) == 4000
sums = [0] * 2000
for k in range(3999, -1, -1):  # u_k holds units k..3999
    sums[k % 2000] += k % 10
    want = ";".join("v%d" % j for j in range(2000) if sums[j] > 15)
    assert rows["u%d" % k]["vetoes"] == want, (k, rows["u%d" % k]["vetoes"][:80], want[:80])' "$tmp/out" 2>>"$tmp/err"; echo $?)" "roll-up vetoes on statistics fire by each unit's subtree"

# 97-98: the chain of 95-96 with 1,200 roll-up tie-breakers on the same
# indicators (each unit's key walked its subtree: 163 s; now measured
# beforehand as the vetoes are). Every unit scores 0, so the keys rank them:
# each indicator's subtree sum, larger first, no data last.
gen "$tmp/tiebreaks-ind.json" 'doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1",
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "a", "min": 50}, {"id": "b", "name": "b", "min": 0}],
  "criteria": [{"id": "x", "title": "x", "max": 100, "measure": {"kind": "indicator_value", "indicator": "i0"},
                "method": {"type": "linear", "target": 100}}],
  "tie_breakers": [{"by": "measure", "measure": {"kind": "indicator_value", "rollup": True,
                    "indicator": "i%d" % j}, "order": "desc"} for j in range(1200)]}'
run "$score" "$tmp/chain-ind2000.json" "$tmp/tiebreaks-ind.json" -f csv
ok "$(is $rc 0)" "4,000-unit chain, 1,200 roll-up tie-breakers on distinct indicators: scored"
ok "$("$py" -c 'import csv, sys
rows = {r["unit_id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
assert len(rows) == 4000
sums, has, keys = [0] * 2000, [False] * 2000, {}
for k in range(3999, -1, -1):  # u_k holds units k..3999
    sums[k % 2000] += k % 10
    has[k % 2000] = True
    keys[k] = tuple((0, -sums[j]) if has[j] else (1, 0) for j in range(1200))
order = sorted(keys.values())
first = {}
for i, key in enumerate(order):
    first.setdefault(key, i + 1)
for k in range(4000):
    assert int(rows["u%d" % k]["rank"]) == first[keys[k]], (k, rows["u%d" % k]["rank"], first[keys[k]])' "$tmp/out" 2>>"$tmp/err"; echo $?)" "roll-up tie-breakers rank by each unit's subtree"

# 99-102: --plans on 1,000 units x 4,996 computed leaves (a 934 KB sheet)
# built every unit's plan in memory, then the whole text: 990 MB in 13 s
# with 2.5 GB. Now streamed a unit at a time: memory is the scoring's, not
# the output's. Here 200 units x 1,500 leaves (about 60 MB of plans):
# 3 tasks, 1 done (33.333%); a report 4 days late; indicator i at 50. Each
# unit totals 166.5 + 250 + 250 = 666.5 of 1,500, 333.5 short of tier a
# (1,000): exactly the 500 task leaves' 0.667 each, taken first.
gen "$tmp/plans.json" 'nu = 200
doc = {"format": "justice-quarterly/dataset 1.0",
  "units": [{"id": "D", "name": "D", "level": "province"}] +
           [{"id": "u%d" % k, "name": "Ph\u00f2ng %d" % k, "level": "district", "parent": "D"} for k in range(nu)],
  "indicators": [{"id": "i", "name": "i"}],
  "statistics": [{"unit": "u%d" % k, "indicator": "i", "period": "2014-Q1", "value": 50} for k in range(nu)],
  "reports": [{"unit": "u%d" % k, "period": "2014-Q1", "kind": "statistics", "due": "2014-04-10",
               "submitted": "2014-04-14", "complete": True} for k in range(nu)],
  "tasks": [{"id": "t%d-%d" % (k, j), "title": "T", "units": ["u%d" % k], "due": "2014-03-15",
             "status": "done" if j == 0 else "pending", **({"completed": "2014-03-01"} if j == 0 else {})}
            for k in range(nu) for j in range(3)]}'
gen "$tmp/plans-crit.json" 'kinds = [({"kind": "task_share_completed"}, {"type": "linear", "target": 100}),
  ({"kind": "report_days_late_worst", "report_kind": "statistics"},
   {"type": "bands", "bands": [{"at_most": 0, "points": 1}, {"at_most": 5, "points": 0.5}, {"points": 0}]}),
  ({"kind": "indicator_value", "indicator": "i"}, {"type": "linear", "target": 100})]
doc = {"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014-Q1", "scale": 1500,
  "units": {"levels": ["district"]},
  "tiers": [{"id": "a", "name": "a", "min": 1000}, {"id": "b", "name": "b", "min": 0}],
  "criteria": [{"id": "s%d" % s, "title": "S", "max": 500,
                "children": [{"id": "m%d" % k, "title": "Ti\u00eau ch\u00ed %d" % k, "max": 1,
                              "measure": kinds[s][0], "method": kinds[s][1]} for k in range(s, 1500, 3)]}
               for s in range(3)]}'
run "$score" "$tmp/plans.json" "$tmp/plans-crit.json" --plans -o "$tmp/plans-out.json"
ok "$(is $rc 0)" "--plans, 200 units x 1,500 leaves: exit 0"
ok "$("$py" -c 'import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert doc["format"] == "justice-quarterly/plans 1.0" and doc["criteria"] == "c", doc["format"]
units = doc["units"]
assert sorted(u["id"] for u in units) == sorted("u%d" % k for k in range(200)), len(units)
want = {0: ("task_share_completed: at_least 100; now 33.333", "complete 2 more of 3 tasks", 0.667),
        1: ("report_days_late_worst (statistics): at_most 0 (band 1); now 4", "submit 4 days earlier", 0.5),
        2: ("indicator_value (i): at_least 100; now 50", "+50 i", 0.5)}
for u in units:
    assert (u["final"], u["tier"], u["next_tier"], u["gap"]) == (666.5, "b", "a", 333.5), u["id"]
    assert u["closes_gap"] and u["final_with_plan"] == 1000, u["id"]
    assert u["plan"] == ["m%d" % k for k in range(0, 1500, 3)], (u["id"], u["plan"][:5])
    leaves = u["leaves"]
    assert len(leaves) == 1500 and [l["id"] for l in leaves[:500]] == u["plan"], u["id"]
    for l in leaves:
        k = int(l["id"][1:])
        assert (l["need"], l["action"], l["left"]) == want[k % 3], (u["id"], l)
        assert l["title"] == "Ti\u00eau ch\u00ed %d" % k and l["max"] == 1, l' "$tmp/plans-out.json" 2>"$tmp/err"; echo $?)" "--plans: 200 units, each with its 1,500 leaves, needs and actions and the 500-leaf plan"
"$score" "$tmp/plans.json" "$tmp/plans-crit.json" --plans 2>"$tmp/err" | cmp -s - "$tmp/plans-out.json"
ok "$?" "--plans: the same bytes to stdout as to -o FILE"
# Peak RSS against the same scoring with its results streamed (no plans):
# the plans may add a quarter of their size at most (they add about none,
# 4 MB under ASan; holding the text added three times its size).
if /usr/bin/time -f %M true 2>/dev/null; then
    size=$(wc -c <"$tmp/plans-out.json")
    base=$(/usr/bin/time -f %M "$score" "$tmp/plans.json" "$tmp/plans-crit.json" -f json --evidence ids -o /dev/null 2>&1 >/dev/null | tail -1)
    plans=$(/usr/bin/time -f %M "$score" "$tmp/plans.json" "$tmp/plans-crit.json" --plans -o "$tmp/plans-out.json" 2>&1 >/dev/null | tail -1)
    echo "# --plans: $size bytes, peak RSS $plans KB; the results streamed: $base KB"
    ok "$([ "$size" -gt 50000000 ] && [ "$plans" -lt $((base + size / 4096)) ]; echo $?)" "--plans: peak RSS ($plans KB) within the scoring's ($base KB) + 1/4 of the output ($size bytes)"
else
    ok 0 "# SKIP /usr/bin/time not available"
fi
rm -f "$tmp/plans-out.json"

[ "$failed" -eq 0 ]
