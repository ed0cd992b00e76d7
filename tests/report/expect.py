#!/usr/bin/env python3
"""Content checks of a jql-report Markdown report, from the dataset JSON.

    expect.py CHECK REPORT.md DATASET.json PERIOD LANG [EXTRA]

Every expected figure is computed here from the dataset file (exact
decimals, no library code), formatted the way the report promises
(Vietnamese: 1.234,5 and 21/3/2014; English: 1,234.5 and 21 Mar 2014), and
looked up in the report. CHECK is one of: heading, totals, units
(the unit x indicator matrix), kinds, late, missing, incomplete, tasks,
shortcomings,
directives, emulation (EXTRA: the jql-score JSON results), strengths
(EXTRA: the jql-score JSON results and the criteria JSON), bars (prints
the expected bar counts of the HTML charts; EXTRA: the criteria JSON).
Prints what is missing on stderr; exit 0 when all is found, 1 otherwise.
"""
import datetime
import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DASH = "\u2014"

L = {  # the labels the report promises, (vi, en)
    "department": ("Cơ quan", "Department"),
    "period": ("Kỳ báo cáo", "Period"),
    "covered": ("Đơn vị thuộc phạm vi báo cáo", "Units covered"),
    "total": ("Toàn tỉnh", "Province total"),
    "late": ("Trễ hạn", "Late"),
    "incomplete": ("Chưa đầy đủ", "Incomplete"),
    "missing": ("Chưa nộp", "Not submitted"),
    "rise": ("Tăng nhiều nhất", "Largest rise"),
    "fall": ("Giảm nhiều nhất", "Largest fall"),
    "tasks_due": ("Nhiệm vụ đến hạn", "Tasks due"),
    "done": ("Hoàn thành", "Done"),
    "done_late": ("Hoàn thành trễ hạn", "Done late"),
    "not_done": ("Chưa hoàn thành (quá hạn)", "Not done (overdue)"),
    "completion": ("Tỷ lệ hoàn thành", "Completion"),
    "objective": ("khách quan", "objective"),
    "subjective": ("chủ quan", "subjective"),
    "dir_due": ("Thực hiện ý kiến chỉ đạo", "Follow-through on directives"),
    "dir_next": ("Chỉ đạo, nhiệm vụ kỳ tới", "Directives for the next period"),
    "completed_on": ("Hoàn thành ngày", "Completed"),
    "open_sc": ("Tồn tại, hạn chế chưa khắc phục", "Shortcomings still open"),
    "resolved_sc": ("Tồn tại đã khắc phục trong kỳ", "Resolved in the period"),
    "statistics": ("Báo cáo thống kê", "Statistics report"),
    "quarterly-work": ("Báo cáo công tác quý", "Quarterly work report"),
}


def label(key, lang):
    return L[key][1 if lang == "en" else 0]


# ---- numbers and dates ---------------------------------------------------

def round_half_away(num, den):
    """num / den rounded half away from zero (integers)."""
    q, r = divmod(abs(num), abs(den))
    if 2 * r >= abs(den):
        q += 1
    return q if (num >= 0) == (den > 0) else -q


def group(digits, sep):
    out = ""
    for i, ch in enumerate(digits):
        if i and (len(digits) - i) % 3 == 0:
            out += sep
        out += ch
    return out


def fmt_num(value, lang, sign=False, places=None):
    """Shortest exact decimal (or fixed places), grouped the language's way."""
    value = Decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = format(abs(value), "f")
    else:
        text = format(abs(value).normalize(), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    gsep, dsep = (",", ".") if lang == "en" else (".", ",")
    out = group(whole, gsep) + (dsep + frac if frac else "")
    if value < 0:
        out = "-" + out
    elif sign and value > 0:
        out = "+" + out
    return out


def fmt_pct(delta, prev, lang):
    """Change in % to one decimal, rounded once from the exact ratio."""
    tenths = round_half_away(int(delta * 1000) * 1000, int(prev * 1000))  # 0.1 % units
    return fmt_num(Decimal(tenths) / 10, lang, sign=True, places=1) + "%"


def fmt_share(num, den, lang):
    tenths = round_half_away(num * 1000, den)
    return fmt_num(Decimal(tenths) / 10, lang, places=1) + "%"


def day(text):
    return datetime.date.fromisoformat(text)


def fmt_date(d, lang):
    if d is None:
        return DASH
    if lang == "en":
        return "%d %s %d" % (d.day, MONTHS[d.month - 1], d.year)
    return "%d/%d/%d" % (d.day, d.month, d.year)


# ---- the dataset ------------------------------------------------------------

class Data:
    def __init__(self, path, period):
        with open(path, encoding="utf-8") as f:
            self.d = json.load(f, parse_float=Decimal)
        self.units = {u["id"]: u for u in self.d["units"]}
        self.order = [u["id"] for u in self.d["units"]]
        self.declared = {p["id"]: p for p in self.d.get("periods", [])}
        self.period = period
        self.start, self.end = self.range(period)

    def range(self, pid):
        if pid in self.declared:
            p = self.declared[pid]
            return day(p["start"]), day(p["end"])
        y = int(pid[:4])
        if len(pid) == 4:
            return datetime.date(y, 1, 1), datetime.date(y, 12, 31)
        k = int(pid[6])
        if pid[5] == "Q":
            s = datetime.date(y, 3 * k - 2, 1)
            e = datetime.date(y + (k == 4), (3 * k) % 12 + 1, 1) - datetime.timedelta(days=1)
            return s, e
        if pid[5] == "H":
            return (datetime.date(y, 1, 1), datetime.date(y, 6, 30)) if k == 1 else \
                (datetime.date(y, 7, 1), datetime.date(y, 12, 31))
        raise ValueError(pid)

    def inside(self, pid):
        s, e = self.range(pid)
        return self.start <= s and e <= self.end

    def name(self, uid):
        return self.units[uid]["name"]

    def label(self, kind, id_, lang, builtin=None):
        """Display name: the dataset's label in the language, else in the other
        one, else the report's own name (builtin), else the id."""
        for lab in self.d.get("labels", []):
            if lab["kind"] == kind and lab["id"] == id_:
                names = lab["names"]
                other = "vi" if lang == "en" else "en"
                return names.get(lang) or names.get(other)
        return builtin or id_

    def prefix(self):
        """Bytes of whole words all covered units' names start with (the matrix
        and the scoreboard leave them out)."""
        names = [self.name(u) for u in self.covered()]
        if len(names) < 2:
            return ""
        p = names[0]
        for n in names[1:]:
            while not n.startswith(p):
                p = p[:-1]
        p = p[:p.rfind(" ") + 1] if " " in p else ""
        return "" if any(len(n) <= len(p) for n in names) else p

    def short(self, uid):
        return self.name(uid)[len(self.prefix()):]

    def roots(self):
        return [u for u in self.order if not self.units[u].get("parent")]

    def covered(self):
        kids = [u for u in self.order if self.units[u].get("parent") in self.roots()]
        return kids or self.roots()

    def subtree(self, uid):
        out = [uid]
        for u in self.order:
            if self.units[u].get("parent") in out:
                out.append(u)
        return out

    def value(self, uid, ind, pid):
        """Rolled-up value over exactly-matching records (the fixture's statistics
        are all quarterly; sum and last both add up over units)."""
        vals = [s["value"] for s in self.d.get("statistics", [])
                if s["indicator"] == ind and s["period"] == pid and s["unit"] in self.subtree(uid)]
        return sum(vals, Decimal(0)) if vals else None

    def year_before(self):
        return self.period.replace(self.period[:4], str(int(self.period[:4]) - 1), 1)


def row_re(*cells):
    """A Markdown table row starting with these cells."""
    return re.compile(r"^\| " + r" \| ".join(re.escape(c) for c in cells) + r" \|", re.M)


class Checker:
    def __init__(self, report, data, lang):
        with open(report, encoding="utf-8") as f:
            self.text = f.read()
        self.data = data
        self.lang = lang
        self.missing = []

    def want(self, snippet, what=None):
        if snippet not in self.text:
            self.missing.append(what or snippet)

    def want_row(self, *cells):
        if not row_re(*cells).search(self.text):
            self.missing.append("row | " + " | ".join(cells) + " |")

    def section(self, heading, prefix=False):
        """Text from a heading line (exactly @heading, or starting with it) to the
        next heading of the same or a higher level."""
        m = re.search(r"^(#+) (?:[0-9IVX]+\. )?" + re.escape(heading) + (r".*$" if prefix else "$"),
                      self.text, re.M)
        if not m:
            self.missing.append("heading " + heading)
            return ""
        level = len(m.group(1))
        rest = self.text[m.end():]
        stop = re.search(r"^#{1,%d} " % level, rest, re.M)
        return rest[:stop.start()] if stop else rest


# ---- checks -------------------------------------------------------------------

def changes(c, uid, ind):
    d, lang = c.data, c.lang
    cur, prev = d.value(uid, ind, d.period), d.value(uid, ind, d.year_before())
    cells = [fmt_num(cur, lang) if cur is not None else DASH,
             fmt_num(prev, lang) if prev is not None else DASH,
             fmt_num(cur - prev, lang, sign=True) if None not in (cur, prev) else DASH,
             fmt_pct(cur - prev, prev, lang) if None not in (cur, prev) and prev else DASH]
    return cur, prev, cells


def check_heading(c):
    d, lang = c.data, c.lang
    doc = next((x["fields"] for x in d.d.get("documents", []) if x["period"] == d.period), {})
    if doc.get("issuer"):  # the administrative form names the issuing body
        c.want("**%s**" % doc["issuer"])
        for key in ("issuer_parent", "number", "motto", "recipients"):
            if doc.get(key):
                c.want(doc[key].splitlines()[0], key)
    else:
        c.want("**%s:** %s" % (label("department", lang), ", ".join(d.name(r) for r in d.roots())))
    c.want(" (%s – %s)" % (fmt_date(d.start, lang), fmt_date(d.end, lang)), "period dates")
    c.want("**%s:** %d" % (label("covered", lang), len(d.covered())))


def has_data(d, ind):
    return any(d.value(u, ind["id"], p) is not None
               for u in d.roots() for p in (d.period, d.year_before()))


def matrix_cell(c, uid, ind):
    """A matrix cell as Markdown shows it: "1.103 +24,8%", "1.103" or a dash."""
    d, lang = c.data, c.lang
    cur, prev = d.value(uid, ind, d.period), d.value(uid, ind, d.year_before())
    if cur is None:
        return DASH
    if prev:
        return "%s %s" % (fmt_num(cur, lang), fmt_pct(cur - prev, prev, lang))
    return fmt_num(cur, lang)


def matrix_row(c, first, uid, strong=False):
    cells = [matrix_cell(c, uid, ind["id"]) for ind in c.data.d["indicators"]
             if has_data(c.data, ind)]
    if strong:  # a total row: every cell in bold
        first, cells = "**%s**" % first, ["**%s**" % x for x in cells]
    if not row_re(first, *cells).search(c.text):
        c.missing.append("matrix row | %s | %s |" % (first, " | ".join(cells)))


def check_totals(c):
    matrix_row(c, label("total", c.lang), c.data.roots()[0], strong=True)


def check_units(c):
    d = c.data
    for uid in d.covered():
        note = d.units[uid].get("attributes", {}).get("comparison_note")
        matrix_row(c, d.short(uid) + (" (\\*)" if note else ""), uid)  # Markdown escapes *


def reports(d):
    return [r for r in d.d.get("reports", []) if d.inside(r["period"])]


def days_late(r):
    if not r.get("submitted"):
        return -1
    return max(0, (day(r["submitted"]) - day(r["due"])).days)


def check_kinds(c):
    lang = c.lang
    kinds = []
    for r in reports(c.data):
        if r["kind"] not in kinds:
            kinds.append(r["kind"])
    for k in kinds:
        rs = [r for r in reports(c.data) if r["kind"] == k]
        late = sum(1 for r in rs if days_late(r) > 0)
        missing = sum(1 for r in rs if days_late(r) < 0)
        incomplete = sum(1 for r in rs if days_late(r) >= 0 and not r["complete"])
        # on time as scored: submitted by the due date, complete or not
        on_time = sum(1 for r in rs if days_late(r) == 0)
        name = c.data.label("report_kind", k, lang, label(k, lang) if k in L else None)
        c.want_row(name, str(len(rs)), str(on_time), str(incomplete), str(late), str(missing))


def report_row(c, r, status):
    sub = day(r["submitted"]) if r.get("submitted") else None
    n = days_late(r)
    c.want_row(c.data.name(r["unit"]), status, str(n) if n > 0 else DASH,
               fmt_date(day(r["due"]), c.lang), fmt_date(sub, c.lang))


def check_late(c):
    for r in reports(c.data):
        if days_late(r) > 0:
            status = label("late", c.lang)
            if not r["complete"]:
                status += ", " + label("incomplete", c.lang)
            report_row(c, r, status)


def check_missing(c):
    for r in reports(c.data):
        if days_late(r) < 0:
            report_row(c, r, label("missing", c.lang))


def check_incomplete(c):
    for r in reports(c.data):
        if days_late(r) == 0 and not r["complete"]:
            report_row(c, r, label("incomplete", c.lang))


def check_tasks(c):
    d, lang = c.data, c.lang
    due = [t for t in d.d.get("tasks", []) if d.start <= day(t["due"]) <= d.end]
    done = [t for t in due if t.get("status") == "done"]
    late = [t for t in done if day(t["completed"]) > day(t["due"])]
    if not due:
        return
    c.want("**%s:** %d. %s: %d, %s: %d, %s: %d, %s: %s." % (
        label("tasks_due", lang), len(due), label("done", lang), len(done),
        label("done_late", lang), len(late), label("not_done", lang), len(due) - len(done),
        label("completion", lang), fmt_share(len(done), len(due), lang)))
    for t in due:
        if t.get("status") != "done":
            c.want_row(t["title"], ", ".join(d.name(u) for u in t["units"]))


def check_shortcomings(c):
    d, lang = c.data, c.lang
    open_part = c.section(label("open_sc", lang))
    resolved_part = c.section(label("resolved_sc", lang))
    for s in d.d.get("shortcomings", []):
        found_start = d.range(s["period"])[0]
        res = s.get("resolved")
        resolved_by_end = res and d.range(res)[1] <= d.end
        if found_start <= d.end and not resolved_by_end:
            if s["text"] not in open_part:
                c.missing.append("open: " + s["text"])
            for cause in s.get("causes", []):
                kind = d.label("cause_kind", cause["kind"], lang,
                               label(cause["kind"], lang) if cause["kind"] in L else None)
                if "%s: %s" % (kind, cause["text"]) not in open_part:
                    c.missing.append("cause: " + cause["text"])
        if res and d.inside(res) and s["text"] not in resolved_part:
            c.missing.append("resolved: " + s["text"])


def check_directives(c):
    d, lang = c.data, c.lang
    due_part = c.section(label("dir_due", lang))
    next_part = c.section(label("dir_next", lang), prefix=True)
    n_start = d.end + datetime.timedelta(days=1)
    # the next quarter; for other periods, the same length again
    n_end = d.range(next_id(d.period))[1] if next_id(d.period) else n_start + (d.end - d.start)
    for x in d.d.get("directives", []):
        due = day(x["due"]) if x.get("due") else None
        issued = day(x["issued"])
        row = [x["text"]]
        if due and d.start <= due <= d.end:
            if not row_re(*row).search(due_part):
                c.missing.append("due in period: " + x["text"])
            if x.get("status") == "done":
                want = "%s %s" % (label("completed_on", lang), fmt_date(day(x["completed"]), lang))
                line = next((l for l in due_part.splitlines() if x["text"] in l), "")
                if want not in line:
                    c.missing.append("done: " + want)
        nxt = (due and n_start <= due <= n_end) or \
            (d.start <= issued <= d.end and (due is None or due > d.end))
        if nxt and not row_re(*row).search(next_part):
            c.missing.append("next period: " + x["text"])


def next_id(pid):
    if len(pid) == 7 and pid[5] == "Q":
        y, k = int(pid[:4]), int(pid[6])
        return "%d-Q%d" % (y + (k == 4), k % 4 + 1)
    return None


def check_emulation(c, results_path):
    with open(results_path, encoding="utf-8") as f:
        res = json.load(f, parse_float=Decimal)
    pre = c.data.prefix()
    for u in res["units"]:
        name = u["name"][len(pre):] if pre and u["name"].startswith(pre) else u["name"]
        # rank, unit, ... final, tier, gap to the next tier
        if not re.search(r"^\| %d \| %s \|.*\| %s \| [^|]+ \| [^|]+ \|$" % (
                u["rank"], re.escape(name), re.escape(fmt_num(u["final"], c.lang, places=3))),
                c.text, re.M):
            c.missing.append("scoreboard row of %s (rank %d, final %s)" % (
                u["id"], u["rank"], fmt_num(u["final"], c.lang, places=3)))


def leaves_of(nodes, out):
    for n in nodes:
        if n.get("children"):
            leaves_of(n["children"], out)
        else:
            out[n["id"]] = n["title"]
    return out


def check_strengths(c, results_path, criteria_path):
    """Each unit's strongest and weakest leaf: its share of the maximum against
    the mean share of the other units where the leaf applies (0.001 %)."""
    with open(results_path, encoding="utf-8") as f:
        res = json.load(f, parse_float=Decimal)
    with open(criteria_path, encoding="utf-8") as f:
        leaves = leaves_of(json.load(f, parse_float=Decimal)["criteria"], {})
    shares = {}  # (unit, leaf) -> share in thousandths of a percent
    order = []
    for u in res["units"]:
        for nd in u["nodes"]:
            if nd["id"] in leaves and nd["applicable"] and nd["max"] > 0:
                shares[u["id"], nd["id"]] = round_half_away(int(nd["points"] * 1000) * 100000,
                                                            int(nd["max"] * 1000))
            if nd["id"] in leaves and nd["id"] not in order:
                order.append(nd["id"])
    lang = c.lang
    others_label = "bình quân đơn vị khác" if lang == "vi" else "mean of the others"
    scored_label = "đạt" if lang == "vi" else "scored"

    def text(leaf, mine, mean):
        pct = lambda v: fmt_num(Decimal(v) / 1000, lang, places=1) + "%"
        return "%s: %s %s (%s %s)" % (leaves[leaf], scored_label, pct(mine), others_label, pct(mean))

    for u in res["units"]:
        best = worst = None
        for leaf in order:
            mine = shares.get((u["id"], leaf))
            if mine is None:
                continue
            rest = [v for (uid, lf), v in shares.items() if lf == leaf and uid != u["id"]]
            if not rest:
                continue
            mean = round_half_away(sum(rest), len(rest))
            diff = mine - mean
            if diff > 0 and (best is None or diff > best[0]):
                best = (diff, text(leaf, mine, mean))
            if diff < 0 and (worst is None or diff < worst[0]):
                worst = (diff, text(leaf, mine, mean))
        cells = [u["name"], best[1] if best else DASH, worst[1] if worst else DASH]
        if not row_re(*cells).search(c.text):
            c.missing.append("strengths row | " + " | ".join(cells))


def check_asof(c, as_of):
    """Nothing dated after the as-of date shows: no submission, completion,
    issue or event date after it (dates that are also a due date or a period
    boundary are left out: those are shown as deadlines), and no directive or
    task shown as completed on such a date."""
    d, lang = c.data, c.lang
    cut = day(as_of)
    legit = {day(x["due"]) for k in ("reports", "tasks", "directives") for x in d.d.get(k, [])
             if x.get("due")}
    for p in d.d.get("periods", []):
        legit |= {day(p["start"]), day(p["end"])}
    later = set()
    for r in d.d.get("reports", []):
        if r.get("submitted"):
            later.add(day(r["submitted"]))
    for k in ("tasks", "directives"):
        for x in d.d.get(k, []):
            if x.get("completed"):
                later.add(day(x["completed"]))
    for x in d.d.get("directives", []):
        later.add(day(x["issued"]))
    for e in d.d.get("events", []):
        later.add(day(e["date"]))
    later = {x for x in later if x > cut}
    for x in sorted(later - legit):
        if re.search(r"(?<![0-9/])%s(?![0-9])" % re.escape(fmt_date(x, lang)), c.text):
            c.missing.append("no date after %s, found %s" % (as_of, fmt_date(x, lang)))
    for x in sorted(later):
        shown = "%s %s" % (label("completed_on", lang), fmt_date(x, lang))
        if shown in c.text:
            c.missing.append("not completed as of %s: %s" % (as_of, shown))


def check_noids(c, criteria_path):
    """No raw id in the text: unit, level, cluster, field, report, event and
    cause kinds, veto and criteria ids (ids made of digits and dashes only,
    such as periods and years, read as dates and are left out)."""
    d = c.data
    ids = {u["id"] for u in d.d["units"]} | {u["level"] for u in d.d["units"]}
    ids |= {u["cluster"] for u in d.d["units"] if u.get("cluster")}
    for k in ("tasks", "shortcomings", "indicators"):
        ids |= {x["field"] for x in d.d.get(k, []) if x.get("field")}
    ids |= {r["kind"] for r in d.d.get("reports", [])} | {e["kind"] for e in d.d.get("events", [])}
    ids |= {cz["kind"] for s in d.d.get("shortcomings", []) for cz in s.get("causes", [])}
    ids |= {p["id"] for p in d.d.get("periods", [])}
    with open(criteria_path, encoding="utf-8") as f:
        cr = json.load(f)
    ids |= {cr["id"]} | {v["id"] for v in cr.get("vetoes", [])} | {t["id"] for t in cr["tiers"]}
    for i in sorted(ids):
        if re.fullmatch(r"[0-9-]+", i):
            continue
        if re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(i), c.text):
            c.missing.append("raw id in the text: %s" % i)


def check_sheet(c, results_path, unit):
    """The score sheet of a unit: every criterion's points as jql-score gives them."""
    with open(results_path, encoding="utf-8") as f:
        res = json.load(f, parse_float=Decimal)
    u = next(x for x in res["units"] if x["id"] == unit)
    c.want("| %s | %s |" % ("Tiêu chí | Điểm chuẩn | Tự chấm | Thẩm định | Điểm",
                             "Minh chứng") if c.lang == "vi" else
           "| Criterion | Maximum | Self-assessed | Appraised | Points | Evidence |")
    c.want(u["name"])  # in the sheet's heading
    for n in u["nodes"]:
        if not n["applicable"]:
            continue
        pts = fmt_num(n["points"], c.lang, places=3)
        self_ = fmt_num(n["self"], c.lang, places=3) if n["self"] is not None else DASH
        appr = fmt_num(n["appraised"], c.lang, places=3) if n["appraised"] is not None else DASH
        leaf = n["source"] != "sum"
        row = r"^\| (\*\*)?[0-9.]+ [^|]+ \| (\*\*)?%s(\*\*)? \| %s \| %s \| (\*\*)?%s(\*\*)? \|" % (
            re.escape(fmt_num(n["max"], c.lang, places=3)),
            re.escape(self_) if leaf else "", re.escape(appr) if leaf else "", re.escape(pts))
        if not re.search(row, c.text, re.M):
            c.missing.append("sheet row of %s: max %s, self %s, appraised %s, points %s" % (
                n["id"], n["max"], self_, appr, pts))
    c.want("| **%s** |" % fmt_num(u["final"], c.lang, places=3), "final " + str(u["final"]))


def bars(data, criteria_path):
    """Expected bars: chart-clusters, chart-sections."""
    d = data
    with open(criteria_path, encoding="utf-8") as f:
        cr = json.load(f, parse_float=Decimal)
    sel = cr["units"]
    scored = [u for u in d.order if u in sel.get("ids", []) or
              d.units[u].get("level") in sel.get("levels", [])]
    return "chart-clusters=%d chart-sections=%d" % (len(scored), len(scored) * len(cr["criteria"]))


def main(argv):
    if len(argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    check, report, dataset, period, lang = argv[1:6]
    data = Data(dataset, period)
    if check == "bars":
        print(bars(data, argv[6]))
        return 0
    c = Checker(report, data, lang)
    if check == "emulation":
        check_emulation(c, argv[6])
    elif check == "asof":
        check_asof(c, argv[6])
    elif check == "noids":
        check_noids(c, argv[6])
    elif check == "sheet":
        check_sheet(c, argv[6], argv[7])
    elif check == "strengths":
        check_strengths(c, argv[6], argv[7])
    else:
        globals()["check_" + check](c)
    for m in c.missing:
        print("missing: " + m, file=sys.stderr)
    return 1 if c.missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
