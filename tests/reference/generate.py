#!/usr/bin/python3
"""Seeded random (dataset, criteria) pairs for the differential tests.

Almost every pair is valid for the loaders (docs/FORMAT.md, docs/CRITERIA.md);
values are coarse on purpose so that units tie often (ranking, quota straddles,
bands hit exactly on their boundaries). The clarified edge rules of
docs/SCORING.md get cases of their own: nested periods, same-dates periods (a
few datasets carry a statistic under both ids and must be refused), empty task
lists, means with more than 3 decimals, reports never submitted under every
item method, and a few periods with nothing in them (refused too).

Usage: generate.py SEED OUTDIR   (writes OUTDIR/dataset.json and OUTDIR/criteria.json)
"""

import datetime
import json
import os
import sys
import random

D = datetime.date
DAY = datetime.timedelta(days=1)

REPORT_KINDS = ["statistics", "quarterly-work", "annual"]
EVENT_KINDS = ["discipline", "initiative", "complaint", "award"]
FIELDS = ["f1", "f2"]
AGGREGATIONS = ["sum", "last", "mean", "mean", "min", "max"]
REPORT_MEASURES = ["report_days_late_worst", "report_days_late_latest", "report_missing",
                   "report_share_on_time", "report_incomplete"]

# Thresholds and targets near thirds (33.333, 66.666, 66.667) sit where a
# measured value rounded before the comparison would decide differently.
# Measure kinds by the family of values they give (for thresholds and targets).
KINDS = {
    "report_days_late_worst": "days", "report_days_late_latest": "days",
    "report_share_on_time": "share", "report_missing": "count",
    "report_incomplete": "count", "task_share_completed": "share",
    "task_overdue": "count", "task_share_late": "share",
    "directive_share_completed": "share", "indicator_value": "value",
    "indicator_ratio": "share", "indicator_change": "change",
    "event_count": "count", "event_points": "value",
}
PER_OCCURRENCE_KINDS = ["report_days_late_worst", "report_days_late_latest", "report_missing",
                        "report_incomplete", "task_overdue", "indicator_value", "event_count"]
THRESHOLDS = {
    "days": [0, 1, 2, 5, 10],
    "share": [0, 33.333, 50, 66.666, 66.667, 75, 80, 95, 100],
    "count": [0, 1, 2, 3],
    "value": [0, 1, 2, 5, 10, 10.5],
    "change": [-50, -33.333, -10, 0, 20, 33.333, 100],
}
TARGETS = {"days": [10, 5], "share": [100, 80, 66.667, 7], "count": [3, 2],
           "value": [10, 4, 0.5], "change": [100, 20, 3]}


def num(x):
    """A Python number with at most 3 decimals, written exactly in JSON."""
    if isinstance(x, float):
        r = round(x, 3)
        return int(r) if r == int(r) else r
    return x


def iso(d):
    return d.isoformat()


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.seed = seed

    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return self.r.choice(seq)

    # ------------------------------------------------------------ dataset
    def dataset(self):
        r = self.r
        self.year = y = self.pick([2014, 2014, 2016, 2020])
        units = []
        depth = self.pick([1, 2, 2, 3])
        roots = []
        if depth >= 2:
            units.append({"id": "P", "name": "Province", "level": "province"})
            roots = ["P"]
        ndist = r.randint(2, 7)
        self.districts = []
        for i in range(1, ndist + 1):
            u = {"id": f"D{i}", "name": f"District {i}", "level": "district"}
            if roots:
                u["parent"] = "P"
            if self.chance(0.8):
                u["cluster"] = self.pick(["c1", "c1", "c2", "c3"])
            if self.chance(0.5):
                u["attributes"] = {"kind": self.pick(["city", "rural", "town"])}
            units.append(u)
            self.districts.append(u["id"])
        if depth == 3:
            for d in list(self.districts):
                for j in range(r.randint(0, 2)):
                    u = {"id": f"{d}C{j + 1}", "name": f"Commune {d}.{j + 1}", "level": "commune",
                         "parent": d}
                    if self.chance(0.3):
                        u["cluster"] = self.pick(["c1", "c2"])
                    units.append(u)
        self.units = units
        self.unit_ids = [u["id"] for u in units]

        periods = []
        if self.chance(0.3):  # a cut-off first quarter
            periods.append({"id": f"{y}-Q1", "name": "cut-off Q1",
                            "start": f"{y - 1}-12-15", "end": f"{y}-03-14"})
        if self.chance(0.3):
            periods.append({"id": f"{y}-CUT", "start": f"{y}-01-15", "end": f"{y}-11-14"})
        if self.chance(0.2):
            periods.append({"id": f"{y}-M5", "start": f"{y}-05-01", "end": f"{y}-05-31"})
        if self.chance(0.2):  # same dates as the standard first half
            periods.append({"id": f"{y}-FH", "start": f"{y}-01-01", "end": f"{y}-06-30"})
        if self.chance(0.2):  # same dates as the standard second quarter
            periods.append({"id": f"{y}-QB2", "start": f"{y}-04-01", "end": f"{y}-06-30"})
        # Same-dates pairs: usually at most one of them carries a statistic of a
        # unit and indicator; sometimes both, which makes the dataset invalid.
        self.same_dates = [(f"{y}-H1", f"{y}-FH"), (f"{y}-Q2", f"{y}-QB2")]
        self.allow_duplicates = self.chance(0.05)
        if self.chance(0.25):  # February, and a year before (29 Feb -> 28 Feb)
            feb = 29 if y % 4 == 0 else 28
            periods.append({"id": f"{y}-M2", "start": f"{y}-02-01", "end": f"{y}-02-{feb:02d}"})
            periods.append({"id": f"{y - 1}-M2", "start": f"{y - 1}-02-01", "end": f"{y - 1}-02-28"})
        self.declared = [p["id"] for p in periods]
        self.period_decls = periods

        self.indicators = []
        for i in range(1, r.randint(1, 4) + 1):
            ind = {"id": f"i{i}", "name": f"Indicator {i}"}
            agg = self.pick(AGGREGATIONS)
            if agg != "sum" or self.chance(0.5):
                ind["aggregation"] = agg
            if self.chance(0.3):
                ind["field"] = self.pick(FIELDS)
            self.indicators.append(ind)

        quarters = [f"{y}-Q{q}" for q in range(1, 5)]
        stat_periods_now = quarters + [f"{y}-H1", f"{y}-H2", f"{y}"] + \
            [p for p in self.declared if p != f"{y}-Q1"]
        stat_periods_then = [f"{y - 1}-Q{q}" for q in range(1, 5)] + [f"{y - 1}", f"{y - 1}-H1"] + \
            [p for p in self.declared if p.startswith(f"{y - 1}-")]
        values = [0, 0, 1, 2, 2, 3, 5, 10, 10.5, 0.25, 100, 7.125, 0.001, 3.333, 0.251]
        stats = []
        for u in self.unit_ids:
            for ind in self.indicators:
                if not self.chance(0.8):
                    continue
                chosen = set()
                for p in stat_periods_now:
                    if self.chance(0.45 if "Q" in p else 0.25):
                        chosen.add(p)
                for p in stat_periods_then:
                    if self.chance(0.35):
                        chosen.add(p)
                for a, b in self.same_dates:
                    if a in chosen and b in chosen and not self.allow_duplicates:
                        chosen.discard(self.pick([a, b]))
                order = stat_periods_now + stat_periods_then
                for p in sorted(chosen, key=order.index):
                    stats.append({"unit": u, "indicator": ind["id"], "period": p,
                                  "value": num(self.pick(values))})

        reports = []
        report_periods = quarters + [f"{y}-H1", f"{y}", f"{y - 1}-Q4"]
        for u in self.unit_ids:
            for kind in REPORT_KINDS:
                if not self.chance(0.6):
                    continue
                for p in report_periods:
                    if not self.chance(0.5):
                        continue
                    due = self.period_end(p) + datetime.timedelta(days=self.pick([5, 10, 15]))
                    if self.chance(0.18):
                        sub = None
                    else:
                        sub = iso(due + datetime.timedelta(days=self.pick(
                            [-3, -1, 0, 0, 0, 1, 2, 3, 5, 6, 10, 11, 15])))
                    reports.append({"unit": u, "period": p, "kind": kind, "due": iso(due),
                                    "submitted": sub, "complete": self.chance(0.85)})

        tasks = []
        ntasks = 0 if self.chance(0.15) else r.randint(0, 4 * len(self.unit_ids))
        for i in range(ntasks):
            owners = r.sample(self.unit_ids, k=min(len(self.unit_ids), self.pick([1, 1, 1, 2, 3])))
            due = self.random_date(y)
            t = {"id": f"t{i + 1}", "title": f"Task {i + 1}"}
            if self.chance(0.5):
                t["field"] = self.pick(FIELDS)
            t["units"] = owners
            if self.chance(0.3):
                t["period"] = f"{y}"
            t["due"] = iso(due)
            status = self.pick(["done", "done", "done", "pending", "in_progress"])
            t["status"] = status
            if status == "done":
                t["completed"] = iso(due + datetime.timedelta(days=self.pick([-10, -1, 0, 0, 1, 7])))
            tasks.append(t)

        directives = []
        for i in range(r.randint(0, 5)):
            adr = {}
            if self.chance(0.6):
                adr["units"] = r.sample(self.unit_ids, k=min(2, len(self.unit_ids)))
            if self.chance(0.5) or not adr:
                adr["levels"] = [self.pick(["district", "commune", "province"])]
            d = {"id": f"cd{i + 1}", "issued": f"{y}-01-10", "issuer": self.unit_ids[0],
                 "addressees": adr, "text": f"Directive {i + 1}"}
            if self.chance(0.85):
                d["due"] = iso(self.random_date(y))
            status = self.pick(["open", "done", "done"])
            d["status"] = status
            if status == "done":
                d["completed"] = f"{y}-12-20"
            directives.append(d)

        events = []
        for i in range(r.randint(0, 2 * len(self.unit_ids))):
            e = {"unit": self.pick(self.unit_ids), "date": iso(self.random_date(y)),
                 "kind": self.pick(EVENT_KINDS)}
            if self.chance(0.6):
                e["points"] = num(self.pick([0, 0.5, 1, 2, 3, 1.25]))
            events.append(e)

        self.ds = {"format": "justice-quarterly/dataset 1.0", "name": f"generated {self.seed}",
                   "units": units, "periods": periods, "indicators": self.indicators,
                   "statistics": stats, "reports": reports, "tasks": tasks,
                   "directives": directives, "events": events, "assessments": []}
        return self.ds

    def period_end(self, pid):
        for p in self.ds_periods():
            if p["id"] == pid:
                return D.fromisoformat(p["end"])
        y = int(pid[:4])
        rest = pid[5:]
        if rest == "":
            return D(y, 12, 31)
        if rest == "H1":
            return D(y, 6, 30)
        if rest == "H2":
            return D(y, 12, 31)
        q = int(rest[1])
        return D(y, 12, 31) if q == 4 else D(y, 3 * q + 1, 1) - DAY

    def ds_periods(self):
        return self.period_decls

    def random_date(self, y):
        if self.chance(0.1):
            return self.pick([D(y - 1, 12, 31), D(y + 1, 1, 1), D(y - 1, 12, 20)])
        # coarse: quarter ends, half ends, a few fixed days
        return self.pick([D(y, 3, 31), D(y, 3, 14), D(y, 6, 30), D(y, 9, 30), D(y, 11, 14),
                          D(y, 12, 31), D(y, 2, 28), D(y, 5, 15)])

    # ------------------------------------------------------------ criteria
    def maxv(self):
        return num(self.pick([1, 2, 2, 2.5, 3, 4, 5, 0.125, 1.333, 10]))

    def measure(self, kinds=None):
        kind = self.pick(kinds or list(KINDS))
        m = {"kind": kind}
        if kind.startswith("report_") and self.chance(0.6):
            m["report_kind"] = self.pick(REPORT_KINDS)
        if kind.startswith("task_") and self.chance(0.4):
            m["field"] = self.pick(FIELDS)
        if kind.startswith("event_") and self.chance(0.8):
            m["event_kind"] = self.pick(EVENT_KINDS)
        if kind.startswith("indicator_"):
            m["indicator"] = self.pick(self.indicators)["id"]
            if kind == "indicator_ratio":
                m["denominator"] = self.pick(self.indicators)["id"]
        if self.chance(0.2):
            m["rollup"] = True
        elif self.chance(0.05):
            m["rollup"] = False
        return m

    def conditions(self, family, at_least_one):
        out = {}
        th = THRESHOLDS[family]
        words = ["at_least", "above", "at_most", "below"]
        for w in words:
            if self.chance(0.3):
                out[w] = num(self.pick(th))
        if at_least_one and not out:
            out[self.pick(words)] = num(self.pick(th))
        return out

    def points_upto(self, mx):
        k = self.pick([0, 1, 2, 3, 4, 4])
        return num(round(mx * k / 4, 3))

    def method(self, mx, kind, allow_manual=True):
        types = ["bands", "bands", "linear", "boolean"]
        if kind in PER_OCCURRENCE_KINDS:
            types += ["per_occurrence", "per_occurrence"]
        t = self.pick(types)
        fam = KINDS[kind]
        if t == "bands":
            bands = []
            for _ in range(self.r.randint(1, 4)):
                b = self.conditions(fam, False)
                b["points"] = self.points_upto(mx)
                bands.append(b)
            if self.chance(0.4):
                bands.append({"points": self.points_upto(mx)})
            return {"type": "bands", "bands": bands}
        if t == "linear":
            return {"type": "linear", "target": num(self.pick(TARGETS[fam]))}
        if t == "boolean":
            m = {"type": "boolean"}
            if self.chance(0.7):
                m.update(self.conditions(fam, True))
            return m
        if self.chance(0.5):
            return {"type": "per_occurrence", "amount": num(self.pick([0, 0.25, 0.5, 1, 1.5]))}
        return {"type": "per_occurrence", "share": num(self.pick([0, 10, 25, 33.333, 50, 100]))}

    def na_if(self):
        c = {}
        if self.chance(0.5):
            c["levels"] = [self.pick(["commune", "province", "district"])]
        if self.chance(0.6) or not c:
            c["attribute"] = "kind"
            c["in"] = [self.pick(["city", "rural", "town"])]
        return c

    def node(self, depth, counter):
        counter[0] += 1
        nid = f"n{counter[0]}"
        n = {"id": nid, "title": f"Node {nid}"}
        if depth > 1 and self.chance(0.5):
            children = [self.node(depth - 1, counter) for _ in range(self.r.randint(1, 3))]
            total = sum(c["max"] for c in children)
            n["max"] = num(total) if self.chance(0.7) else self.maxv()
            if self.chance(0.1):
                n["not_applicable_if"] = self.na_if()
            n["children"] = children
            self.inner.append(nid)
            return n
        mx = self.maxv()
        n["max"] = mx
        if self.chance(0.15):
            n["not_applicable_if"] = self.na_if()
        if self.chance(0.2):
            n["method"] = {"type": "manual"}
            self.manual.append(nid)
        else:
            m = self.measure()
            n["measure"] = m
            n["method"] = self.method(mx, m["kind"])
            self.computed.append(nid)
        if self.chance(0.5):
            n["missing"] = self.pick(["zero", "full", "not_applicable"])
        self.leaves.append(nid)
        return n

    def item(self, prefix, i, deduction):
        iid = f"{prefix}{i}"
        mx = self.maxv()
        it = {"id": iid, "title": f"Item {iid}", "max": mx}
        src = self.pick(["events", "manual", "computed", "computed"])
        it["source"] = src
        if src == "events":
            it["event_kind"] = self.pick(EVENT_KINDS)
        elif src == "manual":
            self.manual_items.append(iid)
        else:
            # reports often, so that never submitted meets every item method
            m = self.measure(REPORT_MEASURES if self.chance(0.5) else None)
            it["measure"] = m
            it["method"] = self.method(mx, m["kind"])
            if self.chance(0.4):
                it["missing"] = self.pick(["zero", "full"])
        return it

    def criteria(self):
        r = self.r
        y = self.year
        self.inner, self.leaves, self.manual, self.computed, self.manual_items = [], [], [], [], []
        counter = [0]
        depth = self.pick([1, 2, 3])
        top = [self.node(depth, counter) for _ in range(r.randint(1, 4))]
        topsum = sum(n["max"] for n in top)
        scale = num(topsum) if self.chance(0.6) else self.pick([10, 100, num(topsum / 2)])
        if scale <= 0:
            scale = 10
        period = self.pick([f"{y}"] * 4 + [f"{y}-H1", f"{y}-H2", f"{y}-Q2", f"{y}-9M"]
                           + [p for p in self.declared if p.startswith(f"{y}-")])
        self.empty = self.chance(0.03)
        if self.empty:  # a period with nothing in it: refused
            period = f"{y + 3}"
        self.period = period

        c = {"format": "justice-quarterly/criteria 1.0", "id": f"gen-{self.seed}",
             "period": period, "scale": scale}
        if self.chance(0.3):
            c["allow_above_scale"] = self.chance(0.7)
        if self.chance(0.7):
            c["units"] = {"levels": ["district"] if self.chance(0.8)
                          else r.sample(["district", "commune", "province"], k=2)}
            scored = [u["id"] for u in self.units if u["level"] in c["units"]["levels"]]
            if not scored:
                c["units"] = {"levels": ["district"]}
                scored = list(self.districts)
        else:
            scored = r.sample(self.unit_ids, k=r.randint(1, len(self.unit_ids)))
            c["units"] = {"ids": scored}
        self.scored = scored
        if self.chance(0.3):
            cl = sorted({u.get("cluster") for u in self.units if u["id"] in scored} - {None})
            if cl:
                c["clusters"] = cl + (["c9"] if self.chance(0.3) else [])
        c["criteria"] = top
        if self.chance(0.6):
            b = {"items": [self.item("b", i + 1, False) for i in range(r.randint(1, 3))]}
            if self.chance(0.6):
                b = {"cap": num(self.pick([0, 1, 2, 2.5, 5])), **b}
            c["bonus"] = b
        if self.chance(0.6):
            c["deductions"] = [self.item("d", i + 1, True) for i in range(r.randint(1, 3))]
        ntiers = r.randint(1, 4)
        fracs = sorted(r.sample([0.95, 0.9, 0.8, 0.75, 0.7, 0.5, 0.3, 0.1], k=ntiers - 1),
                       reverse=True)
        mins = []
        for f in fracs:
            v = num(round(scale * f, 3))
            if v > 0 and (not mins or v < mins[-1]):
                mins.append(v)
        mins.append(0)
        names = ["excellent", "good", "completed", "not-completed", "t5"]
        tiers = [{"id": names[i], "name": names[i].title(), "min": m} for i, m in enumerate(mins)]
        c["tiers"] = tiers
        tier_ids = [t["id"] for t in tiers]

        vetoes = []
        for i in range(r.randint(0, 2) if self.chance(0.5) else 0):
            v = {"id": f"v{i + 1}", "reason": f"Veto {i + 1}"}
            if self.chance(0.5):
                v["event_kind"] = self.pick(EVENT_KINDS)
            else:
                m = self.measure()
                v["measure"] = m
                v.update(self.conditions(KINDS[m["kind"]], True))
            v["cap"] = self.pick(tier_ids)
            vetoes.append(v)
        if vetoes:
            c["vetoes"] = vetoes

        quotas = []
        if len(tiers) > 1 and self.chance(0.6):
            for t in r.sample(tier_ids[:-1], k=r.randint(1, len(tiers) - 1)):
                q = {"tier": t, "share": num(self.pick([0, 5, 20, 20, 33.333, 50, 100])),
                     "of": r.sample(tier_ids, k=r.randint(1, len(tier_ids)))}
                if self.chance(0.5):
                    q["minimum"] = self.pick([0, 1, 1, 2])
                quotas.append(q)
            quotas.sort(key=lambda q: tier_ids.index(q["tier"]), reverse=self.chance(0.3))
            c["quotas"] = quotas

        tbs = []
        for _ in range(r.randint(0, 3)):
            k = self.pick(["deductions", "node", "measure"])
            if k == "deductions":
                tbs.append({"by": "deductions"})
            elif k == "node":
                tbs.append({"by": "node", "node": self.pick(self.leaves + self.inner)})
            else:
                tbs.append({"by": "measure", "measure": self.measure(),
                            "order": self.pick(["asc", "desc"])})
        if tbs:
            c["tie_breakers"] = tbs
        self.cr = c
        return c

    def assessments(self):
        """Assessments for the criteria's nodes and items (after criteria())."""
        out = {}
        periods = [self.period] * 5 + [f"{self.year}-Q1", f"{self.year}"]
        if self.empty:  # keep the scored period empty
            periods = [f"{self.year}-Q1", f"{self.year}"]
        scores = [0, 0.5, 1, 1.5, 2, 2.5, 3, 5, 12]
        targets = self.manual * 3 + self.computed + self.inner + self.manual_items * 2
        for u in self.unit_ids:
            for nid in targets:
                if not self.chance(0.45):
                    continue
                p = self.pick(periods)
                if (u, p, nid) in out:
                    continue
                a = {"unit": u, "period": p, "criterion": nid}
                roll = self.r.random()
                is_item = nid in self.manual_items
                if roll < 0.1 and not is_item:
                    a["not_applicable"] = True
                    if self.chance(0.3):
                        a["self"] = num(self.pick(scores))
                else:
                    if self.chance(0.7):
                        a["self"] = num(self.pick(scores))
                    if self.chance(0.6):
                        a["appraised"] = num(self.pick(scores))
                    if self.chance(0.2):
                        a["evidence"] = "minutes"
                out[(u, p, nid)] = a
        self.ds["assessments"] = list(out.values())


def generate(seed):
    g = Gen(seed)
    ds = g.dataset()
    cr = g.criteria()
    g.assessments()
    ds = {k: v for k, v in ds.items() if v != []}
    return ds, cr


def write(seed, outdir):
    ds, cr = generate(seed)
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for name, doc in (("dataset.json", ds), ("criteria.json", cr)):
        path = os.path.join(outdir, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: generate.py SEED OUTDIR", file=sys.stderr)
        sys.exit(2)
    for p in write(int(sys.argv[1]), sys.argv[2]):
        print(p)
