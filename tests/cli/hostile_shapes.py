#!/usr/bin/env python3
"""Hostile shapes of the seventh sweep (issue 10), one dimension or pair at
a time: python3 hostile_shapes.py NAME... writes s/NAME/d.json (dataset)
and s/NAME/c.json (criteria) under the current directory and prints their
sizes; with no NAME, lists them. Run each CLI and mode on them under
`timeout 60 /usr/bin/time -f "%e s %M KB"` (the sweep's table is in its
commit messages and tests/cli/test_scale_seven.sh, whose reproducers are
the costly ones). Stdlib only; not run by the test suite."""
import json, sys, os, random, datetime
F = "justice-quarterly/dataset 1.0"; C = "justice-quarterly/criteria 1.0"
def day(k, y=2014): return (datetime.date(y, 1, 1) + datetime.timedelta(days=k)).isoformat()
def ds(**kw): d = {"format": F}; d.update(kw); return d
def crit(criteria, units=None, **kw):
    c = {"format": C, "id": "c", "period": "2014", "units": units or {"levels": ["district"]},
         "tiers": [{"id": "a", "name": "A", "min": 50}, {"id": "b", "name": "B", "min": 0}], "criteria": criteria}
    c.update(kw); return c
def units(n, level="district", root=True, **extra):
    u = [{"id": "root", "name": "root", "level": "province"}] if root else []
    u += [dict({"id": "u%d" % i, "name": "x%d" % i, "level": level, "parent": "root"}, **extra) for i in range(n)]
    return u
S = {}
def shape(f): S[f.__name__] = f; return f

@shape
def tasks_shared():
    n = 20000
    t = [{"id": "t%d" % j, "title": "t", "units": ["u%d" % ((j * 7 + k) % n) for k in range(500)],
          "due": day(j % 365), "status": "done" if j % 2 else "pending", **({"completed": day(j % 365)} if j % 2 else {})} for j in range(2000)]
    return ds(units=units(n), tasks=t), crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "task_share_completed"}, "method": {"type": "linear", "target": 100}}])

@shape
def tasks_shared_rollup():
    d, c = tasks_shared()
    c["criteria"][0]["measure"]["rollup"] = True
    return d, c

@shape
def directives_levels():
    n = 20000
    d = [{"id": "d%d" % j, "issued": "2014-01-01", "issuer": "root", "addressees": {"levels": ["L%d" % ((j + k) % 1000) for k in range(1000)]},
          "text": "x", "due": day(j % 365), "status": "open"} for j in range(1000)]
    u = [{"id": "root", "name": "root", "level": "province"}] + [{"id": "u%d" % i, "name": "x", "level": "L%d" % (i % 1000), "parent": "root"} for i in range(n)]
    return ds(units=u, directives=d), crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "directive_share_completed"}, "method": {"type": "linear", "target": 100}}], units={"levels": ["L%d" % i for i in range(1000)]})

@shape
def directives_units():
    n = 20000
    d = [{"id": "d%d" % j, "issued": "2014-01-01", "issuer": "root", "addressees": {"units": ["u%d" % ((j * 13 + k) % n) for k in range(500)], "levels": ["district"]},
          "text": "x", "due": day(j % 365), "status": "open"} for j in range(2000)]
    return ds(units=units(n), directives=d), crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "directive_share_completed"}, "method": {"type": "linear", "target": 100}}])

@shape
def attrs():
    n = 1000
    u = units(n)
    for x in u[1:]: x["attributes"] = {"k%d" % a: "v%d" % a for a in range(800)}
    leaves = [{"id": "l%d" % j, "title": "l", "max": 0.05, "method": {"type": "manual"}, "missing": "full",
               "not_applicable_if": {"attribute": "k%d" % (799 - j % 800), "in": ["zz", "v%d" % (j % 3)]}} for j in range(2000)]
    return ds(units=u), crit(leaves)

@shape
def labels():
    n = 20000
    u = units(n); 
    for i, x in enumerate(u[1:]): x["cluster"] = "c%d" % i; x["level"] = "district"
    lab = [{"kind": "cluster", "id": "c%d" % i, "names": {"vi": "Cụm %d" % i, "en": "Cluster %d" % i}} for i in range(n)]
    lab += [{"kind": "k%d" % i, "id": "x", "names": {"vi": "x"}} for i in range(60000)]
    return ds(units=u, labels=lab), crit([{"id": "l", "title": "l", "max": 100, "method": {"type": "manual"}}])

@shape
def documents():
    per = [{"id": "p%d" % i, "start": day(i % 365), "end": day(i % 365)} for i in range(30000)]
    docs = [{"period": "p%d" % i, "fields": {"f%d" % k: "v" for k in range(8)}} for i in range(30000)]
    return ds(units=units(10), periods=per, documents=docs), crit([{"id": "l", "title": "l", "max": 100, "method": {"type": "manual"}}])

@shape
def shortcomings():
    n = 2000
    sc = [{"id": "s%d" % j, "period": "2014-Q1", "units": ["u%d" % ((j + k) % n) for k in range(50)], "field": "f%d" % (j % 1000), "text": "x",
           "causes": [{"kind": "k%d" % (j % 500), "text": "y"} for _ in range(3)], **({"resolved": "2014-Q2"} if j % 2 else {})} for j in range(20000)]
    d = [{"id": "d%d" % j, "issued": "2014-01-01", "issuer": "root", "addressees": {"levels": ["district"]}, "text": "x", "due": "2014-03-30",
          "answers": ["s%d" % ((j * 31 + k) % 20000) for k in range(100)], "status": "open"} for j in range(1000)]
    return ds(units=units(n), shortcomings=sc, directives=d), crit([{"id": "l", "title": "l", "max": 100, "method": {"type": "manual"}}])

@shape
def periods_nested():
    per, st = [], []
    k = 0
    for s in range(0, 365, 1):
        for e in range(s, min(365, s + 200), 1):
            per.append({"id": "p%d" % k, "start": day(s), "end": day(e)}); st.append({"unit": "u0", "indicator": "i", "period": "p%d" % k, "value": 1}); k += 1
            if k >= 60000: break
        if k >= 60000: break
    return ds(units=units(1), periods=per, indicators=[{"id": "i", "name": "i"}], statistics=st), crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "indicator_value", "indicator": "i"}, "method": {"type": "linear", "target": 100}}])

@shape
def assessments_periods():
    per, a = [], []
    for k in range(40000):
        s = k % 365; e = min(364, s + (k // 365))
        per.append({"id": "p%d" % k, "start": day(s), "end": day(e)})
        a.append({"unit": "u%d" % (k % 10), "period": "p%d" % k, "criterion": "l%d" % (k % 3), "appraised": 1})
    return ds(units=units(10), periods=per, assessments=a), crit([{"id": "l%d" % j, "title": "l", "max": 10, "method": {"type": "manual"}} for j in range(3)])

@shape
def assessments_many():
    n = 200
    a = [{"unit": "u%d" % i, "period": p, "criterion": "l%d" % j, "self": 0.01, "appraised": 0.01} for i in range(n) for j in range(400) for p in ("2014-Q1",)]
    return ds(units=units(n), assessments=a), crit([{"id": "s", "title": "s", "max": 100, "children": [{"id": "l%d" % j, "title": "l", "max": 0.25, "method": {"type": "manual"}} for j in range(400)]}])

@shape
def events_kinds():
    n = 2000
    ev = [{"unit": "u%d" % (j % n), "date": day(j % 365), "kind": "k%d" % (j % 50000), "points": 1} for j in range(200000)]
    c = crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "event_count"}, "method": {"type": "linear", "target": 100}}],
             vetoes=[{"id": "v%d" % j, "reason": "r", "event_kind": "k%d" % j, "cap": "b"} for j in range(5000)],
             bonus={"items": [{"id": "b%d" % j, "title": "b", "max": 1, "source": "events", "event_kind": "k%d" % (j + 5000)} for j in range(1000)]},
             deductions=[{"id": "d%d" % j, "title": "d", "max": 1, "source": "events", "event_kind": "k%d" % (j + 9000)} for j in range(1000)])
    return ds(units=units(n), events=ev), c

@shape
def reports_kinds():
    n = 500
    r = [{"unit": "u%d" % i, "period": "2014-Q%d" % (1 + q), "kind": "k%d" % k, "due": day(90 * q + 20), "submitted": day(90 * q + 20 + k % 7) if k % 5 else None, "complete": True}
         for i in range(n) for q in range(4) for k in range(60)]
    crits = [{"id": "l%d" % k, "title": "l", "max": 1, "measure": {"kind": m, "report_kind": "k%d" % k}, "method": {"type": "linear", "target": 10}} for k in range(60)
             for m in ["report_days_late_latest"]]
    return ds(units=units(n), reports=r), crit(crits, tie_breakers=[{"by": "measure", "measure": {"kind": "report_days_late_worst", "report_kind": "k%d" % k}, "order": "asc"} for k in range(60)])

@shape
def tiebreakers():
    n = 4000
    return ds(units=units(n)), crit([{"id": "l", "title": "l", "max": 100, "method": {"type": "manual"}}],
        tie_breakers=[{"by": "measure", "measure": {"kind": "event_count"}, "order": "asc"} for k in range(1000)] + [{"by": "deductions"}] * 0)

@shape
def clusters():
    n = 20000
    u = units(n)
    for i, x in enumerate(u[1:]): x["cluster"] = "c%d" % (i % 5000)
    return ds(units=u), crit([{"id": "l", "title": "l", "max": 100, "method": {"type": "manual"}}], clusters=["c%d" % i for i in range(200000)],
        quotas=[{"tier": "a", "share": 20, "of": ["b"], "minimum": 1}])

@shape
def bonus_items():
    n = 40
    return ds(units=units(n)), crit([{"id": "l", "title": "l", "max": 100, "method": {"type": "manual"}}],
        bonus={"cap": 5, "items": [{"id": "b%d" % j, "title": "b", "max": 1, "source": "manual"} for j in range(60000)]},
        deductions=[{"id": "d%d" % j, "title": "d", "max": 1, "source": "manual"} for j in range(60000)])

@shape
def chain():
    n = 100000
    u = [{"id": "root", "name": "r", "level": "province"}] + [{"id": "u%d" % i, "name": "x", "level": "district", "parent": "root" if i == 0 else "u%d" % (i - 1)} for i in range(n)]
    return ds(units=u, indicators=[{"id": "i", "name": "i"}], statistics=[{"unit": "u%d" % i, "indicator": "i", "period": "2014-Q1", "value": 1} for i in range(0, n, 10)]), \
        crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "indicator_value", "indicator": "i"}, "method": {"type": "linear", "target": 100}}], units={"ids": ["u0", "u1", "u2"]})

@shape
def wide():
    n = 200000
    return ds(units=units(n)), crit([{"id": "l", "title": "l", "max": 100, "method": {"type": "manual"}}], units={"ids": ["u0"]})

@shape
def errors():
    n = 300000
    return ds(units=[{"id": "u%d" % i, "name": "x", "level": "d", "parent": "nope%d" % i} for i in range(n)]), crit([{"id": "l", "title": "l", "max": 100, "method": {"type": "manual"}}])

@shape
def long_names():
    n = 150
    big = "Nhiệm vụ " * 6000
    u = units(n)
    for x in u: x["name"] = big[:60000]
    return ds(units=u), crit([{"id": "l", "title": big[:60000], "max": 100, "method": {"type": "manual"}}])

@shape
def stats_units_periods():
    n = 5000
    st = [{"unit": "u%d" % i, "indicator": "i%d" % k, "period": p, "value": 1} for i in range(n) for k in range(4) for p in ["2013-Q1", "2014-Q1", "2013", "2014"]]
    return ds(units=units(n), indicators=[{"id": "i%d" % k, "name": "i"} for k in range(4)], statistics=st), \
        crit([{"id": "l%d" % k, "title": "l", "max": 25, "measure": {"kind": "indicator_change", "indicator": "i%d" % k, "rollup": True}, "method": {"type": "linear", "target": 100}} for k in range(4)])

@shape
def na_levels_long():
    n = 2000
    lv = ["L%d" % k for k in range(2000)]
    return ds(units=units(n)), crit([{"id": "l%d" % j, "title": "l", "max": 0.5, "method": {"type": "manual"}, "missing": "full", "not_applicable_if": {"levels": lv[j % 7:]}} for j in range(200)])

@shape
def events_leaves():
    n = 10
    ev = [{"unit": "u%d" % (j % n), "date": day(j % 365), "kind": "k%d" % (j % 50000)} for j in range(120000)]
    return ds(units=units(n), events=ev), crit([{"id": "s", "title": "s", "max": 100, "children": [{"id": "l%d" % j, "title": "l", "max": 0.002, "measure": {"kind": "event_count", "event_kind": "k%d" % j}, "method": {"type": "boolean"}} for j in range(40000)]}])

@shape
def reports_leaves():
    n = 10
    r = [{"unit": "u%d" % (j % n), "period": "2014-Q%d" % (1 + (j // 10) % 4), "kind": "k%d" % (j // 40), "due": "2014-01-10", "submitted": None, "complete": False} for j in range(100000)]
    return ds(units=units(n), reports=r), crit([{"id": "s", "title": "s", "max": 100, "children": [{"id": "l%d" % j, "title": "l", "max": 0.002, "measure": {"kind": "report_missing", "report_kind": "k%d" % j}, "method": {"type": "boolean"}} for j in range(40000)]}])

@shape
def tasks_leaves():
    n = 10
    t = [{"id": "t%d" % j, "title": "t", "field": "f%d" % (j // 3), "units": ["u%d" % (j % n)], "due": day(j % 365), "status": "pending"} for j in range(100000)]
    return ds(units=units(n), tasks=t), crit([{"id": "s", "title": "s", "max": 100, "children": [{"id": "l%d" % j, "title": "l", "max": 0.002, "measure": {"kind": "task_overdue", "field": "f%d" % j}, "method": {"type": "boolean"}} for j in range(40000)]}])


@shape
def assess_leaves():
    n = 10
    a = [{"unit": "u%d" % (j % n), "period": "2014", "criterion": "l%d" % (j // n), "appraised": 0.001} for j in range(100000)]
    return ds(units=units(n), assessments=a), crit([{"id": "s", "title": "s", "max": 100, "children": [{"id": "l%d" % j, "title": "l", "max": 0.002, "method": {"type": "manual"}} for j in range(10000)]}])

@shape
def assess_quarters():
    n = 10
    a = [{"unit": "u%d" % (j % n), "period": "2014-Q%d" % (1 + (j // n) % 4), "criterion": "l%d" % (j // (4 * n)), "appraised": 0.001} for j in range(120000)]
    return ds(units=units(n), assessments=a), crit([{"id": "s", "title": "s", "max": 100, "children": [{"id": "l%d" % j, "title": "l", "max": 0.002, "method": {"type": "manual"}} for j in range(3000)]}])

@shape
def csv_like():
    return ds(units=units(1)), crit([{"id": "l", "title": "l", "max": 100, "method": {"type": "manual"}}])

@shape
def directive_answers():
    n = 200
    sc = [{"id": "s%d" % j, "period": "2014-Q1", "text": "x"} for j in range(50000)]
    d = [{"id": "d%d" % j, "issued": "2014-01-01", "issuer": "root", "addressees": {"levels": ["district"]}, "text": "x", "due": "2014-03-30",
          "answers": ["s%d" % ((j * 31 + k) % 50000) for k in range(2000)], "status": "open"} for j in range(100)]
    return ds(units=units(n), shortcomings=sc, directives=d), crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "directive_share_completed"}, "method": {"type": "linear", "target": 100}}])

@shape
def many_periods_reports():
    n = 100
    per = [{"id": "p%d" % k, "start": day(k % 365), "end": day(k % 365)} for k in range(1000)]
    r = [{"unit": "u%d" % i, "period": "p%d" % k, "kind": "k", "due": day(k % 365), "submitted": day(k % 365), "complete": True} for i in range(n) for k in range(1000)]
    return ds(units=units(n), periods=per, reports=r), crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "report_days_late_latest", "report_kind": "k"}, "method": {"type": "linear", "target": 10}}])


@shape
def one_directive_many():
    n = 150000
    d = [{"id": "d0", "issued": "2014-01-01", "issuer": "root", "addressees": {"units": ["u%d" % i for i in range(n)], "levels": ["L%d" % i for i in range(150000)]}, "text": "x", "due": "2014-03-30",
          "answers": ["s%d" % k for k in range(100000)], "status": "open"}]
    sc = [{"id": "s%d" % k, "period": "2014-Q1", "units": ["u%d" % i for i in range(0, n, 1)] if k == 0 else ["u%d" % k], "text": "x"} for k in range(100000)]
    return ds(units=units(n), shortcomings=sc, directives=d), crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "directive_share_completed"}, "method": {"type": "linear", "target": 100}}], units={"ids": ["u%d" % i for i in range(1000)]})

@shape
def one_task_many():
    n = 200000
    t = [{"id": "t0", "title": "t", "units": ["u%d" % i for i in range(n)], "due": "2014-03-01", "status": "pending"}]
    return ds(units=units(n), tasks=t), crit([{"id": "l", "title": "l", "max": 100, "measure": {"kind": "task_share_completed", "rollup": True}, "method": {"type": "linear", "target": 100}}], units={"ids": ["u%d" % i for i in range(1000)]})

if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(" ".join(S))
    for name in sys.argv[1:]:
        d, c = S[name]()
        os.makedirs("s/" + name, exist_ok=True)
        json.dump(d, open("s/%s/d.json" % name, "w"), ensure_ascii=False)
        json.dump(c, open("s/%s/c.json" % name, "w"), ensure_ascii=False)
        print(name, os.path.getsize("s/%s/d.json" % name), os.path.getsize("s/%s/c.json" % name))

