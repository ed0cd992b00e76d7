#!/usr/bin/python3
"""An independent reference implementation of the scoring rules (docs/SCORING.md).

Written from the documents only (docs/SCORING.md, docs/CRITERIA.md, docs/FORMAT.md),
not from the C engine, so that differential tests (test_reference.py) catch the
places where the engine and the written rules disagree.  Standard library only;
points are integer thousandths and measured values exact fractions, never floats.

Usage: jql_reference.py DATASET CRITERIA   (prints a JSON summary of the results)

Readings chosen where the documents leave room.  The first version used
assessments of exactly the scored period id, raw self scores in self_differs
and the worst report of the latest period; after comparing with the engine
these became the readings documented in docs/CRITERIA.md ("Decisions"):
- a report belongs to the scored period when its own period lies inside it; days
  late are max(0, submitted - due); "latest" is the report whose period ends
  last, then due last, then the worst of those;
- tasks and directives belong by due date; "completed" means status done;
- a statistic "for exactly that period" is one whose period has the same dates;
  otherwise the maximal records inside the period are combined (a record inside
  another record's period, both inside the scored one, is already counted);
- measured shares, ratios and changes are exact fractions: conditions, methods
  and tie-breakers use them unrounded, and only the points (and the value the
  results show) are rounded, once (docs/SCORING.md: "a leaf computed from a measured
  value rounds once"); 2 of 3 tasks is 200/3 %, which does not meet
  `at_least 66.667`;
- an indicator's `mean` is an exact fraction like every other measured value
  (per unit, and the mean of the units' exact means in a roll-up): nothing is
  rounded before the leaf's points (the first version rounded it to 0.001, the
  reading docs/SCORING.md's clarified edge rules replaced);
- two period ids with the same dates that both carry a statistic for one unit
  and indicator make the dataset invalid (InvalidDataset);
- when no task is due, every task measure has no data, the count overdue too;
- a period in which the scored units (and their descendants) have no record
  of any kind cannot be scored (EmptyPeriod);
- assessments: exactly the scored period's dates, else the latest inside it;
- self scores are clamped to [0, max] (self_total, self_differs);
- roll-up takes the unit and all its descendants (each task, directive or
  event once).
"""

import datetime
import json
import re
import sys
from fractions import Fraction

# ---------------------------------------------------------------- numbers

ONE = 1000  # thousandths


def milli_round(x):
    """Fraction (in points) -> int thousandths, half away from zero."""
    x = Fraction(x) * ONE
    n = (abs(x.numerator) * 2 + x.denominator) // (2 * x.denominator)
    return n if x >= 0 else -n


class InvalidDataset(ValueError):
    """The dataset breaks a rule of the format (the engine refuses to load it)."""


class EmptyPeriod(ValueError):
    """The scored units have no record of any kind in the scored period."""


def to_frac(v):
    """A JSON number (int, Decimal, or str) -> exact Fraction."""
    if isinstance(v, bool):
        raise TypeError("boolean is not a number")
    if isinstance(v, int):
        return Fraction(v)
    return Fraction(str(v))


def to_milli(v):
    f = to_frac(v) * ONE
    if f.denominator != 1:
        raise ValueError(f"more than 3 decimals: {v}")
    return int(f)


def fmt_milli(m):
    sign = "-" if m < 0 else ""
    m = abs(m)
    return f"{sign}{m // ONE}.{m % ONE:03d}"


# ---------------------------------------------------------------- dates and periods

def parse_date(s):
    return datetime.date.fromisoformat(s)


def shift_year(d):
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def standard_period(pid):
    m = re.fullmatch(r"(\d{4})(?:-(H[12]|Q[1-4]|9M))?", pid)
    if not m:
        return None
    y = int(m.group(1))
    part = m.group(2)
    D = datetime.date
    if part is None:
        return (D(y, 1, 1), D(y, 12, 31))
    if part == "H1":
        return (D(y, 1, 1), D(y, 6, 30))
    if part == "H2":
        return (D(y, 7, 1), D(y, 12, 31))
    if part == "9M":
        return (D(y, 1, 1), D(y, 9, 30))
    q = int(part[1])
    start = D(y, 3 * q - 2, 1)
    end = D(y, 12, 31) if q == 4 else D(y, 3 * q + 1, 1) - datetime.timedelta(days=1)
    return (start, end)


def inside(inner, outer):
    return outer[0] <= inner[0] and inner[1] <= outer[1]


# ---------------------------------------------------------------- dataset

class Dataset:
    def __init__(self, doc):
        self.doc = doc
        self.units = {u["id"]: u for u in doc.get("units", [])}
        self.unit_order = [u["id"] for u in doc.get("units", [])]
        self.children = {uid: [] for uid in self.units}
        for u in doc.get("units", []):
            if u.get("parent"):
                self.children[u["parent"]].append(u["id"])
        self.periods = {p["id"]: (parse_date(p["start"]), parse_date(p["end"]))
                        for p in doc.get("periods", [])}
        self.indicators = {i["id"]: i for i in doc.get("indicators", [])}
        self.stats = {}
        for s in doc.get("statistics", []):
            self.stats.setdefault((s["unit"], s["indicator"]), []).append(
                (self.period(s["period"]), s["period"], to_frac(s["value"])))
        for (uid, ind), recs in self.stats.items():
            for i, (r, pid, _v) in enumerate(recs):
                for r2, pid2, _v2 in recs[:i]:
                    if r == r2 and pid != pid2:
                        raise InvalidDataset(f"same dates: {uid} {ind} {pid2} and {pid}")
        self.reports = doc.get("reports", [])
        self.tasks = doc.get("tasks", [])
        self.directives = doc.get("directives", [])
        self.events = doc.get("events", [])
        self.assessments = {}
        for a in doc.get("assessments", []):
            self.assessments.setdefault((a["unit"], a["criterion"]), []).append(
                (self.period(a["period"]), a))

    def assessment(self, uid, cid, rng):
        """The assessment for exactly the period's dates, else the latest one
        inside it (ends last, then starts last, then the first listed)."""
        best = None
        for r, a in self.assessments.get((uid, cid), []):
            if r == rng:
                return a
            if inside(r, rng) and (best is None or (r[1], r[0]) > (best[0][1], best[0][0])):
                best = (r, a)
        return best[1] if best else None

    def period(self, pid):
        if pid in self.periods:
            return self.periods[pid]
        r = standard_period(pid)
        if r is None:
            raise KeyError(f"unknown period {pid}")
        return r

    def subtree(self, uid):
        out, stack = [], [uid]
        while stack:
            u = stack.pop()
            out.append(u)
            stack.extend(reversed(self.children[u]))
        return out

    # statistics -----------------------------------------------------
    def unit_value(self, uid, ind, rng):
        recs = self.stats.get((uid, ind), [])
        for r, _pid, v in recs:
            if r == rng:
                return v
        within = []
        for r, _pid, v in recs:  # same dates under two ids: refused at load
            if inside(r, rng):
                within.append((r, v))
        # Keep the maximal records: one inside another (both inside rng) is
        # already part of the larger one.
        within = [(r, v) for r, v in within
                  if not any(o != r and inside(r, o) for o, _ in within)]
        if not within:
            return None
        agg = self.indicators[ind].get("aggregation", "sum")
        vals = [v for _, v in within]
        if agg == "sum":
            return sum(vals, Fraction(0))
        if agg == "last":
            return max(within, key=lambda rv: (rv[0][1], rv[0][0]))[1]
        if agg == "mean":
            return sum(vals, Fraction(0)) / len(vals)
        if agg == "min":
            return min(vals)
        if agg == "max":
            return max(vals)
        raise ValueError(agg)

    def value(self, uid, ind, rng, rollup):
        if not rollup:
            return self.unit_value(uid, ind, rng)
        vals = [v for v in (self.unit_value(u, ind, rng) for u in self.subtree(uid))
                if v is not None]
        if not vals:
            return None
        agg = self.indicators[ind].get("aggregation", "sum")
        if agg in ("sum", "last"):
            return sum(vals, Fraction(0))
        if agg == "mean":
            return sum(vals, Fraction(0)) / len(vals)
        if agg == "min":
            return min(vals)
        return max(vals)

    def has_record(self, units, rng):
        """Does any of `units` hold a record of any kind that falls in rng?"""
        uset = set(units)
        levels = {self.units[u]["level"] for u in uset}
        for (uid, _ind), recs in self.stats.items():
            if uid in uset and any(inside(r, rng) for r, _p, _v in recs):
                return True
        within = lambda d: rng[0] <= parse_date(d) <= rng[1]  # noqa: E731
        if any(r["unit"] in uset and inside(self.period(r["period"]), rng) for r in self.reports):
            return True
        if any(uset.intersection(t["units"]) and within(t["due"]) for t in self.tasks):
            return True
        if any(e["unit"] in uset and within(e["date"]) for e in self.events):
            return True
        for s in self.doc.get("shortcomings", []):
            if uset.intersection(s.get("units", [])) and inside(self.period(s["period"]), rng):
                return True
        for a in self.doc.get("assessments", []):
            if a["unit"] in uset and inside(self.period(a["period"]), rng):
                return True
        return any(d.get("due") and within(d["due"]) and
                   (uset.intersection(d["addressees"].get("units", [])) or
                    levels.intersection(d["addressees"].get("levels", [])))
                   for d in self.directives)


# ---------------------------------------------------------------- measures

class Measured:
    """value: Fraction or None; never: a report due was never submitted."""

    def __init__(self, value=None, no_data=False, never=False):
        self.value, self.no_data, self.never = value, no_data, never

    def __repr__(self):
        return f"Measured({self.value}, no_data={self.no_data}, never={self.never})"


NO_DATA = Measured(None, no_data=True)


def measure(ds, m, uid, rng):
    kind = m["kind"]
    units = ds.subtree(uid) if m.get("rollup") else [uid]
    uset = set(units)
    if kind.startswith("report_"):
        reps = [r for r in ds.reports
                if r["unit"] in uset and inside(ds.period(r["period"]), rng)
                and ("report_kind" not in m or r["kind"] == m["report_kind"])]
        if not reps:
            return NO_DATA

        def late(r):
            if r["submitted"] is None:
                return None
            return max(0, (parse_date(r["submitted"]) - parse_date(r["due"])).days)

        if kind in ("report_days_late_worst", "report_days_late_latest"):
            if kind == "report_days_late_latest":
                def order(r):
                    return (ds.period(r["period"])[1], parse_date(r["due"]))
                key = max(order(r) for r in reps)
                reps = [r for r in reps if order(r) == key]
            lates = [late(r) for r in reps]
            if any(x is None for x in lates):
                return Measured(None, never=True)
            return Measured(Fraction(max(lates)))
        if kind == "report_share_on_time":
            ok = sum(1 for r in reps if r["submitted"] is not None
                     and parse_date(r["submitted"]) <= parse_date(r["due"]))
            return Measured(Fraction(100 * ok, len(reps)))
        if kind == "report_missing":
            return Measured(Fraction(sum(1 for r in reps if r["submitted"] is None)))
        if kind == "report_incomplete":
            return Measured(Fraction(sum(1 for r in reps if r["submitted"] is not None
                                         and not r["complete"])))
        raise ValueError(kind)
    if kind.startswith("task_"):
        tasks = [t for t in ds.tasks
                 if uset.intersection(t["units"]) and rng[0] <= parse_date(t["due"]) <= rng[1]
                 and ("field" not in m or t.get("field") == m["field"])]
        if not tasks:  # every task measure, the count overdue too
            return NO_DATA
        if kind == "task_overdue":
            return Measured(Fraction(sum(1 for t in tasks if t["status"] != "done")))
        if kind == "task_share_completed":
            return Measured(Fraction(100 * sum(1 for t in tasks if t["status"] == "done"),
                                     len(tasks)))
        if kind == "task_share_late":
            n = sum(1 for t in tasks if t["status"] == "done"
                    and parse_date(t["completed"]) > parse_date(t["due"]))
            return Measured(Fraction(100 * n, len(tasks)))
        raise ValueError(kind)
    if kind == "directive_share_completed":
        levels = {ds.units[u]["level"] for u in units}
        dirs = [d for d in ds.directives
                if d.get("due") and rng[0] <= parse_date(d["due"]) <= rng[1]
                and (uset.intersection(d["addressees"].get("units", []))
                     or levels.intersection(d["addressees"].get("levels", [])))]
        if not dirs:
            return NO_DATA
        return Measured(Fraction(100 * sum(1 for d in dirs if d["status"] == "done"),
                                 len(dirs)))
    if kind.startswith("event_"):
        evs = [e for e in ds.events
               if e["unit"] in uset and rng[0] <= parse_date(e["date"]) <= rng[1]
               and ("event_kind" not in m or e["kind"] == m["event_kind"])]
        if kind == "event_count":
            return Measured(Fraction(len(evs)))
        return Measured(sum((to_frac(e.get("points", 0)) for e in evs), Fraction(0)))
    rollup = bool(m.get("rollup"))
    if kind == "indicator_value":
        v = ds.value(uid, m["indicator"], rng, rollup)
        return NO_DATA if v is None else Measured(v)
    if kind == "indicator_ratio":
        a = ds.value(uid, m["indicator"], rng, rollup)
        b = ds.value(uid, m["denominator"], rng, rollup)
        if a is None or b is None or b == 0:
            return NO_DATA
        return Measured(100 * a / b)
    if kind == "indicator_change":
        now = ds.value(uid, m["indicator"], rng, rollup)
        then = ds.value(uid, m["indicator"], (shift_year(rng[0]), shift_year(rng[1])), rollup)
        if now is None or then is None or then == 0:
            return NO_DATA
        return Measured((now - then) * 100 / then)
    raise ValueError(kind)


COND_WORDS = ("at_least", "above", "at_most", "below")


def conditions_hold(cond, meas):
    """cond: dict possibly holding the four words; meas: Measured with data."""
    for w in COND_WORDS:
        if w not in cond:
            continue
        t = to_frac(cond[w])
        if meas.never:
            ok = w in ("at_least", "above")
        else:
            v = meas.value
            ok = {"at_least": v >= t, "above": v > t, "at_most": v <= t, "below": v < t}[w]
        if not ok:
            return False
    return True


def apply_method(method, meas, mx):
    """Points (int milli) of a computed method on a measured value with data."""
    t = method["type"]
    if t == "bands":
        for b in method["bands"]:
            if conditions_hold(b, meas):
                return to_milli(b["points"])
        return 0
    if t == "boolean":
        if any(w in method for w in COND_WORDS):
            ok = conditions_hold(method, meas)
        else:
            ok = meas.never or meas.value > 0
        return mx if ok else 0
    if meas.never:
        return 0
    v = meas.value
    if t == "linear":
        pts = Fraction(mx, ONE) * v / to_frac(method["target"])
    elif t == "per_occurrence":
        if "amount" in method:
            pts = Fraction(mx, ONE) - v * to_frac(method["amount"])
        else:
            pts = Fraction(mx, ONE) - v * to_frac(method["share"]) * Fraction(mx, ONE) / 100
    else:
        raise ValueError(t)
    pts = min(max(pts, Fraction(0)), Fraction(mx, ONE))
    return milli_round(pts)


# ---------------------------------------------------------------- custom functions

def mediation_success_rate(ds, uid, rng, mx):
    """docs/CRITERIA.md: max x successful / cases, 0 without cases."""
    if "mediation-success" not in ds.indicators and "mediation-cases" not in ds.indicators:
        raise RuntimeError("mediation indicators missing")
    cases = ds.value(uid, "mediation-cases", rng, False) if "mediation-cases" in ds.indicators else None
    ok = ds.value(uid, "mediation-success", rng, False) if "mediation-success" in ds.indicators else None
    if not cases:
        return 0
    return milli_round(Fraction(mx, ONE) * (ok or 0) / cases)


CUSTOM = {"mediation_success_rate": mediation_success_rate}


# ---------------------------------------------------------------- scoring

def flatten(nodes, parent=None, out=None):
    if out is None:
        out = []
    for n in nodes:
        out.append((n, parent))
        if "children" in n:
            flatten(n["children"], n["id"], out)
    return out


def na_if(cond, unit):
    if cond is None:
        return False
    if unit["level"] in cond.get("levels", []):
        return True
    if "attribute" in cond:
        val = unit.get("attributes", {}).get(cond["attribute"])
        if val is not None and val in cond["in"]:
            return True
    return False


def score_unit(ds, cr, uid, pid, rng):
    unit = ds.units[uid]
    scale = to_milli(cr.get("scale", 100))
    res = {"id": uid, "cluster": unit.get("cluster"), "nodes": [], "unappraised": [],
           "self_differs": []}
    node_res = {}

    def assessment(cid):
        return ds.assessment(uid, cid, rng)

    def walk(node, parent_na):
        mx = to_milli(node["max"])
        a = assessment(node["id"])
        na = parent_na or na_if(node.get("not_applicable_if"), unit) or \
            bool(a and a.get("not_applicable"))
        r = {"id": node["id"], "max": mx, "value": None, "no_data": False, "never": False,
             "self": None, "appraised": None}
        res["nodes"].append(r)
        node_res[node["id"]] = r
        if a:
            r["self"] = to_milli(a["self"]) if "self" in a else None
            r["appraised"] = to_milli(a["appraised"]) if "appraised" in a else None
        if "children" in node:
            pts = amax = selfp = 0
            any_app = False
            for ch in node["children"]:
                cp, ca, cs, capp = walk(ch, na)
                pts += cp
                amax += ca
                selfp += cs
                any_app = any_app or capp
            r["points"] = min(pts, mx) if any_app else 0
            r["applicable"] = any_app
            r["source"] = "sum" if any_app else "not_applicable"
            return r["points"], min(amax, mx), min(selfp, mx), any_app
        # leaf
        if na:
            r.update(points=0, applicable=False, source="not_applicable")
            return 0, 0, 0, False
        method = node["method"]
        missing = node.get("missing", "zero")
        pts = None
        applicable = True
        source = "computed"
        if method["type"] == "manual":
            source = "manual"
            if r["appraised"] is not None:
                pts = r["appraised"]
            elif r["self"] is not None:
                pts = r["self"]
                res["unappraised"].append(node["id"])
            else:
                r["no_data"] = True
        elif method["type"] == "custom":
            source = "custom"
            pts = CUSTOM[method["function"]](ds, uid, rng, mx)
        else:
            meas = measure(ds, node["measure"], uid, rng)
            r["no_data"], r["never"] = meas.no_data, meas.never
            r["value"] = meas.value
            if not meas.no_data:
                pts = apply_method(method, meas, mx)
        if method["type"] != "manual" and r["appraised"] is not None:
            pts = r["appraised"]
            source = "manual"
        if pts is None:  # no data: the missing rule
            source = "missing"
            if missing == "zero":
                pts = 0
            elif missing == "full":
                pts = mx
            else:
                applicable = False
                pts = 0
        pts = min(max(pts, 0), mx)
        r.update(points=pts, applicable=applicable, source=source)
        if not applicable:
            return 0, 0, 0, False
        selfp = pts if r["self"] is None else min(r["self"], mx)
        if r["self"] is not None and min(r["self"], mx) != pts:
            res["self_differs"].append(node["id"])
        return pts, mx, selfp, True

    total = amax = selft = 0
    for top in cr["criteria"]:
        p, a, s, _ = walk(top, False)
        total += p
        amax += a
        selft += s
    total, amax, selft = min(total, scale), min(amax, scale), min(selft, scale)
    res["total"], res["applicable_max"], res["self_total"] = total, amax, selft
    res["normalized"] = milli_round(Fraction(total * scale, amax) / ONE) if amax else 0
    res["node_points"] = {k: (v["points"] if v["applicable"] else 0) for k, v in node_res.items()}

    def item_points(it, deduction):
        mx = to_milli(it["max"])
        src = it["source"]
        if src == "events":
            s = sum((to_frac(e.get("points", 0)) for e in ds.events
                     if e["unit"] == uid and e["kind"] == it["event_kind"]
                     and rng[0] <= parse_date(e["date"]) <= rng[1]), Fraction(0))
            return min(to_milli(s), mx)
        if src == "manual":
            a = assessment(it["id"])
            if a and "appraised" in a:
                return min(to_milli(a["appraised"]), mx)
            if a and "self" in a:
                return min(to_milli(a["self"]), mx)
            return 0
        meas = measure(ds, it["measure"], uid, rng)
        if meas.no_data:
            return mx if it.get("missing", "zero") == "full" else 0
        if meas.never and deduction:
            return mx
        return min(max(apply_method(it["method"], meas, mx), 0), mx)

    bonus = cr.get("bonus")
    res["bonus_items"] = [item_points(it, False) for it in (bonus or {}).get("items", [])]
    res["bonus_raw"] = sum(res["bonus_items"])
    res["bonus"] = res["bonus_raw"]
    if bonus and "cap" in bonus:
        res["bonus"] = min(res["bonus_raw"], to_milli(bonus["cap"]))
    res["deduction_items"] = [item_points(it, True) for it in cr.get("deductions", [])]
    res["deductions"] = sum(res["deduction_items"])
    final = max(0, res["normalized"] + res["bonus"] - res["deductions"])
    if not cr.get("allow_above_scale", False):
        final = min(final, scale)
    res["final"] = final
    return res


def sort_key_values(ds, cr, res, uid, rng):
    """The ranking key (larger = better comes first) as a tuple."""
    key = [res["final"]]
    for tb in cr.get("tie_breakers", []):
        if tb["by"] == "deductions":
            key.append(-res["deductions"])
        elif tb["by"] == "node":
            key.append(res["node_points"][tb["node"]])
        else:
            meas = measure(ds, tb["measure"], uid, rng)
            # (has data, value) with never submitted above every number
            if meas.no_data:
                k = (0, 0, 0)
            else:
                big = 1 if meas.never else 0
                v = meas.value or 0
                k = (1, big, v) if tb["order"] == "desc" else (1, -big, -v)
            key.append(k)
    return tuple(key)


def competition_ranks(ids, keys):
    order = sorted(ids, key=lambda u: keys[u], reverse=True)
    ranks = {}
    for i, u in enumerate(order):
        if i and keys[u] == keys[order[i - 1]]:
            ranks[u] = ranks[order[i - 1]]
        else:
            ranks[u] = i + 1
    return ranks


def score(ds, cr, period=None):
    pid = period or cr["period"]
    rng = ds.period(pid)
    if "levels" in cr["units"]:
        ids = [u for u in ds.unit_order if ds.units[u]["level"] in cr["units"]["levels"]]
    else:
        ids = list(cr["units"]["ids"])
    covered = [x for u in ids for x in ds.subtree(u)]
    if not ds.has_record(covered, rng):
        raise EmptyPeriod(f"no record of the scored units falls in period {pid}")
    tiers = cr["tiers"]
    tier_ix = {t["id"]: i for i, t in enumerate(tiers)}
    results = {u: score_unit(ds, cr, u, pid, rng) for u in ids}

    for u, r in results.items():
        tb = next(i for i, t in enumerate(tiers) if r["final"] >= to_milli(t["min"]))
        r["tier_before_caps"] = tb
        fired = []
        for v in cr.get("vetoes", []):
            if "event_kind" in v:
                hit = any(e["unit"] == u and e["kind"] == v["event_kind"]
                          and rng[0] <= parse_date(e["date"]) <= rng[1] for e in ds.events)
            else:
                meas = measure(ds, v["measure"], u, rng)
                hit = not meas.no_data and conditions_hold(v, meas)
            if hit:
                fired.append(v)
        r["vetoes"] = [v["id"] for v in fired]
        r["veto_cap"] = max((tier_ix[v["cap"]] for v in fired), default=None)
        r["tier_after_vetoes"] = tb if r["veto_cap"] is None else max(tb, r["veto_cap"])
        r["tier"] = r["tier_after_vetoes"]
        r["quota_demoted"] = False
        r["quota_tie"] = False

    keys = {u: sort_key_values(ds, cr, results[u], u, rng) for u in ids}
    ranks = competition_ranks(ids, keys)
    for u in ids:
        results[u]["rank"] = ranks[u]
        results[u]["cluster_rank"] = None
        results[u]["leader"] = False
    clusters = {}
    for u in ids:
        c = results[u]["cluster"]
        if c is not None:
            clusters.setdefault(c, []).append(u)
    for c, members in clusters.items():
        cr_ranks = competition_ranks(members, keys)
        for u in members:
            results[u]["cluster_rank"] = cr_ranks[u]
        eligible = [u for u in members if not results[u]["vetoes"]]
        if eligible:
            best = min(results[u]["cluster_rank"] for u in eligible)
            for u in eligible:
                if results[u]["cluster_rank"] == best:
                    results[u]["leader"] = True

    # quotas, top tier first
    before = {u: results[u]["tier_after_vetoes"] for u in ids}
    for q in sorted(cr.get("quotas", []), key=lambda q: tier_ix[q["tier"]]):
        t = tier_ix[q["tier"]]
        of = {tier_ix[x] for x in q["of"]}
        count = sum(1 for u in ids if before[u] in of)
        share = to_frac(q["share"])
        limit = int(share * count // 100)
        limit = max(limit, int(q.get("minimum", 0)))
        members = sorted([u for u in ids if results[u]["tier"] == t],
                         key=lambda u: results[u]["rank"])
        if len(members) <= limit:
            continue
        keep = members[:limit]
        move = members[limit:]
        tie = False
        if keep and results[keep[-1]]["rank"] == results[move[0]]["rank"]:
            tie_rank = results[move[0]]["rank"]
            keep_tied = [u for u in keep if results[u]["rank"] == tie_rank]
            keep = [u for u in keep if results[u]["rank"] != tie_rank]
            move = keep_tied + move
            tie = True
            tie_rank_v = tie_rank
        for u in move:
            results[u]["tier"] = t + 1
            results[u]["quota_demoted"] = True
            if tie and results[u]["rank"] == tie_rank_v:
                results[u]["quota_tie"] = True

    for u in ids:
        r = results[u]
        ti = r["tier"]
        if ti == 0:
            r["next_tier"], r["gap"], r["held_back"] = None, 0, None
        else:
            nxt = ti - 1
            r["next_tier"] = tiers[nxt]["id"]
            r["gap"] = max(0, to_milli(tiers[nxt]["min"]) - r["final"])
            if r["veto_cap"] is not None and r["veto_cap"] > nxt:
                r["held_back"] = "veto"
            elif r["gap"] == 0:
                r["held_back"] = "quota"
            else:
                r["held_back"] = None
        for k in ("tier", "tier_before_caps", "tier_after_vetoes"):
            r[k] = tiers[r[k]]["id"]
    order = sorted(ids, key=lambda u: (results[u]["rank"], u.encode()))
    return [results[u] for u in order]


def load(ds_path, cr_path):
    with open(ds_path, encoding="utf-8") as f:
        ds = Dataset(json.load(f))
    with open(cr_path, encoding="utf-8") as f:
        cr = json.load(f)
    return ds, cr


def summary(units):
    """The results as plain JSON-able values (points as 3-decimal strings)."""
    out = []
    for r in units:
        d = {}
        for k in ("id", "cluster", "tier", "tier_before_caps", "tier_after_vetoes", "rank",
                  "cluster_rank", "leader", "vetoes", "quota_demoted", "quota_tie",
                  "next_tier", "held_back", "unappraised", "self_differs"):
            d[k] = r[k]
        for k in ("total", "applicable_max", "normalized", "bonus", "bonus_raw", "deductions",
                  "final", "gap", "self_total"):
            d[k] = fmt_milli(r[k])
        d["nodes"] = [{"id": n["id"], "points": fmt_milli(n["points"]), "max": fmt_milli(n["max"]),
                       "applicable": n["applicable"],
                       "value": None if n["value"] is None else fmt_milli(milli_round(n["value"]))}
                      for n in r["nodes"]]
        out.append(d)
    return out


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: jql_reference.py DATASET CRITERIA [PERIOD]", file=sys.stderr)
        return 2
    ds, cr = load(argv[1], argv[2])
    print(json.dumps(summary(score(ds, cr, argv[3] if len(argv) == 4 else None)),
                     ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
