#!/usr/bin/env python3
"""Shapes of the eighth hostile-cost sweep (issue 10: analysis modes,
jql-report, jql-validate): python3 hostile_shapes_eight.py NAME N writes
s8/NAME-N.d.json (dataset), s8/NAME-N.c.json (criteria) and for la and
leaves s8/NAME-N.c2.json (a sheet to --compare) under the current
directory. NAME: la (the bundled Long An dataset, its 15 districts and
their records copied N times: 120 is 8.9 MB), leaves (N leaves in sections
of 50, 1,000 tiers, 450 quotas, tie-breakers per section, on la 10),
periods (64 quarters of statistics on la N), repind (N more indicators),
reptasks (N tasks, N/4 shortcomings, N/8 directives, N/4 events), replong
(every name and text N characters longer), repdeep (a chain of N communes
under one district), repper (N custom periods with statistics). The sweep's
table is in the commit messages; tests/cli/test_scale_eight.sh holds the
reproducers of the costly ones. Stdlib only; not run by the test suite."""
import json, sys, copy, datetime, os
LA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "data", "long-an-2014")
F = "justice-quarterly/dataset 1.0"; C = "justice-quarterly/criteria 1.0"
def day(k, y=2014): return (datetime.date(y, 1, 1) + datetime.timedelta(days=k)).isoformat()
def load(n): return json.load(open(os.path.join(LA, n), encoding="utf-8"))
def w(path, doc):
    with open(path, "w", encoding="utf-8") as f: json.dump(doc, f, ensure_ascii=False)
    print(path, os.path.getsize(path))

def la(n, extra_periods=0):
    """long-an replicated: n copies of its 15 districts (ids suffixed), every record of theirs copied"""
    d = load("dataset.json")
    root = d["units"][0]; dist = d["units"][1:]
    out = dict(d); out["units"] = [root]
    ids = {u["id"] for u in dist}
    def ren(x, k): return x if x not in ids else "%s~%d" % (x, k) if k else x
    for k in range(n):
        for u in dist:
            v = dict(u); v["id"] = ren(u["id"], k); out["units"].append(v)
    for key in ("statistics", "reports", "assessments", "events"):
        out[key] = []
        for k in range(n):
            for r in d[key]:
                if r["unit"] in ids:
                    v = dict(r); v["unit"] = ren(r["unit"], k); out[key].append(v)
                elif k == 0: out[key].append(r)
    out["tasks"] = []
    for k in range(n):
        for t in d["tasks"]:
            v = dict(t); v["id"] = t["id"] + ("~%d" % k if k else ""); v["units"] = [ren(x, k) for x in t["units"]]
            out["tasks"].append(v)
    out["shortcomings"] = []
    for k in range(n):
        for s in d["shortcomings"]:
            v = dict(s); v["id"] = s["id"] + ("~%d" % k if k else "")
            if "units" in s: v["units"] = [ren(x, k) for x in s["units"]]
            out["shortcomings"].append(v)
    out["directives"] = []
    for k in range(n):
        for s in d["directives"]:
            v = copy.deepcopy(s); v["id"] = s["id"] + ("~%d" % k if k else "")
            if "units" in v["addressees"]: v["addressees"]["units"] = [ren(x, k) for x in v["addressees"]["units"]]
            if "answers" in v: v["answers"] = [a + ("~%d" % k if k else "") for a in v["answers"]]
            out["directives"].append(v)
    return out

def main():
    name, arg = sys.argv[1], int(sys.argv[2])
    p = "s8/%s-%d" % (name, arg); os.makedirs("s8", exist_ok=True)
    c0 = load("criteria-2014.json")
    if name == "la":            # many units: long-an x arg
        w(p + ".d.json", la(arg)); w(p + ".c.json", c0)
        c1 = copy.deepcopy(c0); c1["criteria"][0]["max"] = 20; c1["scale"] = 100
        w(p + ".c2.json", c1)
    elif name == "leaves":      # long-an x 10 under a sheet of arg leaves (mixed measures), many tiers, tie-breakers
        d = la(10); leaves = []
        ms = [{"kind": "task_share_completed"}, {"kind": "directive_share_completed"},
              {"kind": "indicator_value", "indicator": "civil-status"},
              {"kind": "indicator_change", "indicator": "legal-aid"},
              {"kind": "report_days_late_latest", "report_kind": "statistics"}, None]
        secs = []
        per = 50
        for s in range(arg // per):
            ch = []
            for j in range(per):
                m = ms[(s * per + j) % len(ms)]
                lf = {"id": "l%d-%d" % (s, j), "title": "Tiêu chí %d.%d" % (s, j), "max": 1}
                if m is None: lf["method"] = {"type": "manual"}; lf["missing"] = "full"
                elif m["kind"] == "report_days_late_latest": lf["measure"] = m; lf["method"] = {"type": "linear", "target": 0, "zero_at": 30} if False else {"type": "bands", "bands": [{"at_most": 0, "points": 1}, {"points": 0}]}
                else: lf["measure"] = m; lf["method"] = {"type": "linear", "target": 100}; lf["missing"] = "zero"
                ch.append(lf)
            # nest: groups of 10 under sub-sections
            secs.append({"id": "s%d" % s, "title": "Mục %d" % s, "max": per, "children": [
                {"id": "g%d-%d" % (s, g), "title": "g", "max": 10, "children": ch[g*10:(g+1)*10]} for g in range(per // 10)]})
        c = dict(c0); c["criteria"] = secs; c["scale"] = per * len(secs)
        c["tie_breakers"] = [c0["tie_breakers"][0], c0["tie_breakers"][2]] + [{"by": "node", "node": "s%d" % k} for k in range(min(1000, len(secs)))]
        c["tiers"] = [{"id": "t%d" % k, "name": "Hạng %d" % k, "min": round(per * len(secs) * (1 - k / 1000.0), 3)} for k in range(1000)] + [{"id": "yeu", "name": "Yếu", "min": 0}, {"id": "trung-binh", "name": "TB", "min": -1}][:1]
        c["tiers"] = [t for t in c["tiers"] if t["min"] > 0] + [{"id": "trung-binh", "name": "TB", "min": 0.001}, {"id": "yeu", "name": "Yếu", "min": 0}]
        c["quotas"] = [{"tier": "t%d" % k, "share": 20, "of": ["t%d" % (k + 1)], "minimum": 1} for k in range(0, 900, 2)]
        w(p + ".d.json", d); w(p + ".c.json", c)
        c2 = copy.deepcopy(c); c2["criteria"][0]["max"] = 2 * per; w(p + ".c2.json", c2)
    elif name == "periods":     # 64 quarters of data for long-an x arg; statistics per quarter
        d = la(arg)
        pers = []
        for y in range(2000, 2016):
            for q in range(4):
                pers.append({"id": "%d-Q%d" % (y, q + 1), "start": "%d-%02d-01" % (y, 3 * q + 1),
                             "end": "%d-%02d-%02d" % (y, 3 * q + 3, [31, 30, 30, 31][q])})
        d["periods"] = pers
        st = []
        for u in d["units"][1:]:
            for k, pp in enumerate(pers):
                for ind in ("civil-status", "legal-aid", "mediation-cases"):
                    st.append({"unit": u["id"], "indicator": ind, "period": pp["id"], "value": (k * 7 + len(u["id"])) % 97})
        d["statistics"] = st
        w(p + ".d.json", d)
        c = copy.deepcopy(c0); w(p + ".c.json", c)
    elif name == "repind":      # long-an with arg extra indicators, Q1 2014 and 2013 values for every district
        d = load("dataset.json")
        dist = [u["id"] for u in d["units"][1:]]
        d["indicators"] += [{"id": "x%d" % i, "name": "Chỉ tiêu %d" % i, "unit": "việc", "field": "f%d" % (i % 50)} for i in range(arg)]
        d["statistics"] += [{"unit": u, "indicator": "x%d" % i, "period": p, "value": (i * 7 + k) % 1000}
                            for i in range(arg) for k, u in enumerate(dist) for p in ("2014-Q1", "2013-Q1")]
        w(p + ".d.json", d); w(p + ".c.json", c0)
    elif name == "reptasks":    # long-an with arg tasks, arg/4 shortcomings, arg/8 directives (answers), events
        d = load("dataset.json")
        dist = [u["id"] for u in d["units"][1:]]
        d["tasks"] += [{"id": "t%d" % j, "title": "Nhiệm vụ số %d về công tác tư pháp" % j, "field": "f%d" % (j % 40), "units": [dist[j % 15]] + ([dist[(j + 1) % 15]] if j % 3 == 0 else []),
                        "period": "2014-Q%d" % (1 + j % 2), "due": day(j % 180), "status": ["done", "pending", "in_progress"][j % 3], **({"completed": day(j % 180 + (j % 5))} if j % 3 == 0 else {})} for j in range(arg)]
        d["shortcomings"] += [{"id": "s%d" % j, "period": "2014-Q1", "field": "f%d" % (j % 40), "units": [dist[j % 15]], "text": "Tồn tại, hạn chế số %d" % j,
                               "causes": [{"kind": "objective", "text": "nguyên nhân %d" % j}, {"kind": "subjective", "text": "chủ quan"}]} for j in range(arg // 4)]
        d["directives"] += [{"id": "d%d" % j, "issued": "2014-03-21", "issuer": "long-an", "addressees": {"units": [dist[j % 15], dist[(j + 3) % 15]]}, "text": "Chỉ đạo %d" % j,
                             "due": day(90 + j % 180), "status": "open", "answers": ["s%d" % ((j * 5 + k) % (arg // 4)) for k in range(4)]} for j in range(arg // 8)]
        d["events"] += [{"unit": dist[j % 15], "date": day(j % 180), "kind": ["initiative", "complaint", "discipline", "k%d" % (j % 100)][j % 4], "text": "Sự kiện %d" % j, "points": 0.5} for j in range(arg // 4)]
        w(p + ".d.json", d); w(p + ".c.json", c0)
    elif name == "replong":     # long-an with every name and text arg characters long
        d = load("dataset.json")
        big = ("Phòng Tư pháp huyện Cần Giuộc " * (arg // 30 + 1))[:arg]
        for u in d["units"]: u["name"] = u["name"] + big
        for x in d["indicators"]: x["name"] = x["name"] + big
        for x in d["tasks"]: x["title"] = x["title"] + big
        for x in d["shortcomings"]:
            x["text"] = x["text"] + big
            for cz in x.get("causes", []): cz["text"] = cz["text"] + big
        for x in d["directives"]: x["text"] = x["text"] + big
        for x in d["events"]: x["text"] = x.get("text", "") + big
        for x in d["labels"]: x["names"] = {k: v + big for k, v in x["names"].items()}
        for x in d["documents"]: x["fields"] = {k: v + big for k, v in x["fields"].items()}
        c = copy.deepcopy(c0)
        def walk(n):
            n["title"] = n["title"] + big
            for ch in n.get("children", []): walk(ch)
        for n in c["criteria"]: walk(n)
        for t in c["tiers"]: t["name"] = t["name"] + big
        w(p + ".d.json", d); w(p + ".c.json", c)
    elif name == "repdeep":     # long-an where tan-an's subtree is a chain of arg units, each with Q1 stats
        d = load("dataset.json")
        inds = [x["id"] for x in d["indicators"]]
        ch = [{"id": "c%d" % i, "name": "Xã %d" % i, "level": "commune", "parent": "tan-an" if i == 0 else "c%d" % (i - 1)} for i in range(arg)]
        d["units"] += ch
        d["statistics"] += [{"unit": "c%d" % i, "indicator": inds[(i + k) % len(inds)], "period": p2, "value": i % 13} for i in range(arg) for k in range(3) for p2 in ("2014-Q1", "2013-Q1")]
        d["tasks"] += [{"id": "ct%d" % i, "title": "t", "units": ["c%d" % i], "period": "2014-Q1", "due": "2014-03-01", "status": "pending"} for i in range(0, arg, 3)]
        d["reports"] += [{"unit": "c%d" % i, "period": "2014-Q1", "kind": "statistics", "due": "2014-03-15", "submitted": "2014-03-16", "complete": True} for i in range(0, arg, 2)]
        w(p + ".d.json", d); w(p + ".c.json", c0)
    elif name == "repper":      # long-an with arg monthly/custom periods, statistics in each
        d = load("dataset.json")
        dist = [u["id"] for u in d["units"][1:]]
        inds = [x["id"] for x in d["indicators"]]
        for k in range(arg):
            d["periods"].append({"id": "m%d" % k, "name": "Kỳ %d" % k, "start": day(k % 345), "end": day(k % 345 + k // 345)})
        d["statistics"] += [{"unit": u, "indicator": inds[(k + i) % len(inds)], "period": "m%d" % k, "value": k % 17} for k in range(arg) for i, u in enumerate(dist)]
        w(p + ".d.json", d); w(p + ".c.json", c0)
    else: raise SystemExit("?")
main()
