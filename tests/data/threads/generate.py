#!/usr/bin/env python3
"""Write the dataset that scoring on several threads is checked with.

    python3 generate.py [UNITS [SEED]] > dataset.json     (default 1031 units, seed 10)

A province ("so-tu-phap") over UNITS communes and wards in seven clusters, the
four quarters of 2026, and for each unit a statistics report and an
administrative-procedure task per quarter, six indicators per quarter, two
self-assessed and appraised manual criteria, and now and then an event
(discipline: vetoed; initiative: bonus; complaint: deduction). Values are
drawn from a few round numbers so that many units tie, and a few records are
left out (missing data). Seeded: the same arguments give the same bytes, so
jql-score (tests/cli/test_threads.sh), Python (tests/python/test_threads.py)
and Lua (tests/lua/test_threads.lua) score the same dataset with
criteria.json and criteria-custom.json (which names the custom function
"mediation_success_rate" of examples/custom_functions.c).

A scoring on several threads splits the scored units into blocks of at least
JQL_SCORE_UNITS_PER_THREAD (256): 1031 units give 4 blocks (of 258, 258, 258
and 257 units), so threads 2, 3 and 4 each start threads of their own. Every
number is made up; only the structure follows the two-tier model of
examples/data/tay-ninh-2026.
"""
import json
import random
import sys

QUARTERS = [("2026-Q1", "2026-01-01", "2026-03-31", "2026-04-05"),
            ("2026-Q2", "2026-04-01", "2026-06-30", "2026-07-05"),
            ("2026-Q3", "2026-07-01", "2026-09-30", "2026-10-05"),
            ("2026-Q4", "2026-10-01", "2026-12-31", "2027-01-05")]
INDICATORS = [("civil-status", "Đăng ký hộ tịch", "việc", "civil-status"),
              ("certification", "Chứng thực bản sao, chữ ký", "việc", "certification"),
              ("legal-dissemination", "Buổi phổ biến, giáo dục pháp luật", "buổi",
               "legal-dissemination"),
              ("mediation-cases", "Vụ việc hòa giải ở cơ sở", "vụ việc", "mediation"),
              ("mediation-success", "Vụ việc hòa giải thành", "vụ việc", "mediation"),
              ("legal-aid", "Vụ việc trợ giúp pháp lý", "vụ việc", "legal-aid")]
CLUSTERS = ["cum-%d" % k for k in range(1, 8)]


def day(iso, days):
    import datetime
    return (datetime.date.fromisoformat(iso) + datetime.timedelta(days=days)).isoformat()


def dataset(n, seed):
    rng = random.Random(seed)
    units = [{"id": "so-tu-phap", "name": "Sở Tư pháp (minh họa)", "level": "province"}]
    kinds = {}
    for i in range(1, n + 1):
        uid = "u%04d" % i
        kind = "phường" if rng.random() < 0.3 else "xã"
        kinds[uid] = kind
        units.append({"id": uid, "name": "%s %04d (tên minh họa)" % ("Phường" if kind == "phường" else "Xã", i),
                      "level": "commune", "parent": "so-tu-phap",
                      "cluster": CLUSTERS[rng.randrange(len(CLUSTERS))],
                      "attributes": {"kind": kind}})
    stats, reports, tasks, assessments, events = [], [], [], [], []
    for u in units[1:]:
        uid = u["id"]
        for q, start, end, due in QUARTERS:
            cases = rng.choice([0, 4, 8, 10])
            values = {"civil-status": rng.choice([300, 350, 375, 400]),
                      "certification": rng.choice([800, 1000, 1200]),
                      "legal-dissemination": rng.choice([5, 10, 15]),
                      "mediation-cases": cases,
                      "mediation-success": cases * rng.choice([2, 3, 4]) // 4,
                      "legal-aid": rng.choice([0, 0, 1, 2])}
            for ind, _, _, _ in INDICATORS:
                if rng.random() < 0.03:  # missing data
                    continue
                stats.append({"unit": uid, "indicator": ind, "period": q, "value": values[ind]})
            roll = rng.random()
            late = 0 if roll < 0.7 else rng.choice([1, 3, 6, 11])
            reports.append({"unit": uid, "period": q, "kind": "statistics", "due": due,
                            "submitted": None if roll > 0.98 else day(due, late - (late == 0)),
                            "complete": rng.random() > 0.08})
            task = {"id": "%s-%s" % (uid, q.lower()), "title": "Rà soát thủ tục hành chính",
                    "field": "administrative-procedures", "units": [uid], "period": q,
                    "due": day(end, -10)}
            roll = rng.random()
            if roll < 0.75:
                task.update(status="done", completed=day(end, -10 - rng.choice([0, 5])))
            elif roll < 0.9:
                task.update(status="done", completed=day(end, -10 + rng.choice([1, 4])))
            else:
                task.update(status="in_progress")
            tasks.append(task)
        for crit, mx in (("plan", 10), ("one-stop", 10)):
            roll = rng.random()
            if roll < 0.05:
                continue  # no assessment
            if roll < 0.08:
                assessments.append({"unit": uid, "period": "2026", "criterion": crit,
                                    "not_applicable": True})
                continue
            appraised = rng.choice([mx, mx - 1, mx - 2])
            assessments.append({"unit": uid, "period": "2026", "criterion": crit,
                                "self": min(mx, appraised + rng.choice([0, 0, 0.5])),
                                "appraised": appraised})
        roll = rng.random()
        if roll < 0.01:
            events.append({"unit": uid, "date": "2026-05-12", "kind": "discipline",
                           "text": "Cán bộ bị kỷ luật khiển trách (minh họa)"})
        elif roll < 0.05:
            events.append({"unit": uid, "date": "2026-08-20", "kind": "initiative",
                           "text": "Mô hình hòa giải (minh họa)", "points": rng.choice([1, 2])})
        elif roll < 0.08:
            events.append({"unit": uid, "date": "2026-10-02", "kind": "complaint",
                           "text": "Đơn phản ánh có cơ sở (minh họa)", "points": 1})
    directives = [{"id": "cd-q%d" % k, "issued": day(end, -70), "issuer": "so-tu-phap",
                   "addressees": {"levels": ["commune"]}, "text": "Chỉ đạo quý %d (minh họa)" % k,
                   "due": day(end, -5), "status": "done" if k < 4 else "open",
                   **({"completed": day(end, -8)} if k < 4 else {})}
                  for k, (_, _, end, _) in enumerate(QUARTERS, 1)]
    return {"format": "justice-quarterly/dataset 1.0",
            "name": "Scoring on several threads: %d units, seed %d (minh họa)" % (n, seed),
            "units": units,
            "periods": [{"id": q, "start": s, "end": e} for q, s, e, _ in QUARTERS],
            "indicators": [{"id": i, "name": nm, "unit": un, "field": f} for i, nm, un, f in INDICATORS],
            "statistics": stats, "reports": reports, "tasks": tasks, "directives": directives,
            "assessments": assessments, "events": events}


def text(n=1031, seed=10):
    """The dataset as JSON text (what the script writes)."""
    return json.dumps(dataset(n, seed), ensure_ascii=False) + "\n"


def main(argv):
    n = int(argv[1]) if len(argv) > 1 else 1031
    seed = int(argv[2]) if len(argv) > 2 else 10
    sys.stdout.buffer.write(text(n, seed).encode("utf-8"))


if __name__ == "__main__":
    main(sys.argv)
