"""Read a jql-score XLSX back with openpyxl and compare every cell with the
JSON results of the same scoring (and node titles with the criteria file).
Usage: check_xlsx.py RESULTS.json CRITERIA.json BOOK.xlsx; exit 0 when equal."""
import json
import sys
from decimal import Decimal

import openpyxl

BOARD = ["rank", "cluster_rank", "id", "name", "cluster", "total", "applicable_max",
         "normalized", "bonus", "bonus_raw", "deductions", "final", "self_total", "tier",
         "tier_name", "tier_before_caps", "tier_after_vetoes", "leader", "vetoes",
         "quota_demoted", "quota_tie", "gap", "next_tier", "held_back", "unappraised",
         "self_differs"]
SHEET = ["section", "id", "title", "parent", "max", "self", "appraised", "points",
         "applicable", "value", "no_data", "never_submitted", "rule", "source", "evidence"]

problems = []


CELL_MAX = 32000


def cut(text):
    """A text as its cell holds it: past CELL_MAX bytes, cut at a character
    boundary at or before byte CELL_MAX, and an ellipsis added."""
    raw = text.encode("utf-8")
    if len(raw) <= CELL_MAX:
        return text
    n = CELL_MAX
    while n and raw[n] & 0xC0 == 0x80:
        n -= 1
    return raw[:n].decode("utf-8") + "\u2026"


def joined(items):
    """Lists as the workbook shows them: entry values by spaces, entries by '; '."""
    parts = []
    for e in items:
        vals = e.values() if isinstance(e, dict) else [e]
        parts.append(" ".join(v if isinstance(v, str) else
                              f"{Decimal(v):.3f}" if isinstance(v, (int, Decimal)) and
                              not isinstance(v, bool) else json.dumps(v) for v in vals))
    return cut("; ".join(parts)) or None


def same(where, cell, want, key):
    got = cell.value
    if isinstance(want, Decimal):
        ok = isinstance(got, (int, float)) and not isinstance(got, bool) and \
            Decimal(repr(float(got))) == want.normalize() or got == float(want)
        fmt = "0" if key in ("rank", "cluster_rank") else "0.000"
        if cell.number_format != fmt:
            problems.append(f"{where}: number format {cell.number_format!r}, want {fmt!r}")
    elif isinstance(want, bool):
        ok = got is want
    elif isinstance(want, int):
        ok = got == want and not isinstance(got, bool)
    else:
        ok = got == want
    if not ok:
        problems.append(f"{where}: {got!r}, want {want!r}")


def titles(criteria):
    out = {}
    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("id"), str) and isinstance(x.get("title"), str):
                out.setdefault(x["id"], x["title"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(criteria)
    return out


def main(results_path, criteria_path, book_path):
    res = json.load(open(results_path, encoding="utf-8"), parse_float=Decimal)
    names = titles(json.load(open(criteria_path, encoding="utf-8")))
    tiers = {t["id"]: t.get("name") or t["id"] for t in res["tiers"]}
    wb = openpyxl.load_workbook(book_path)
    units = res["units"]
    sheets = wb.sheetnames
    if len(sheets) != len(units) + 1 or sheets[0] != "scoreboard":
        problems.append(f"sheets {sheets}, want scoreboard and {len(units)} unit sheets")
        return
    # a unit's sheet is named by its id when Excel allows that name, else a
    # unique name of at most 31 characters without []:*?/\
    folded = [n.lower() for n in sheets]
    if len(set(folded)) != len(folded):
        problems.append(f"sheet names not unique: {sheets}")
    for n, u in zip(sheets[1:], units):
        if len(n) > 31 or any(c in n for c in "[]:*?/\\"):
            problems.append(f"sheet name {n!r} not allowed in Excel")
        clean = len(u["id"]) <= 28 and not any(c in u["id"] for c in "[]:*?/\\'")
        if clean and n != u["id"] and not n.startswith(u["id"] + "~"):
            problems.append(f"sheet {n!r} for unit {u['id']!r}")
    ws = wb["scoreboard"]
    if ws.freeze_panes != "A2":
        problems.append("scoreboard: header row not frozen")
    if [c.value for c in ws[1]] != BOARD:
        problems.append(f"scoreboard header {[c.value for c in ws[1]]}")
    if ws.max_row != len(units) + 1:
        problems.append(f"scoreboard has {ws.max_row - 1} units, want {len(units)}")
    for r, u in enumerate(units, start=2):
        for c, key in enumerate(BOARD, start=1):
            if key == "tier_name":
                want = tiers[u["tier"]]
            elif key == "vetoes":
                want = joined([v["id"] for v in u["vetoes"]])
            elif isinstance(u[key], list):
                want = joined(u[key])
            else:
                want = u[key]
            same(f"scoreboard!{ws.cell(r, c).coordinate} ({key})", ws.cell(r, c), want, key)
    for sheet, u in zip(sheets[1:], units):
        ws = wb[sheet]
        if ws.freeze_panes != "A2":
            problems.append(f"{u['id']}: header row not frozen")
        if not all(ws.column_dimensions[chr(65 + i)].width > 5 for i in range(len(SHEET))):
            problems.append(f"{u['id']}: column widths not set")
        if [c.value for c in ws[1]] != SHEET:
            problems.append(f"{u['id']}: header {[c.value for c in ws[1]]}")
        rows = [("criterion", n) for n in u["nodes"]] + \
               [("bonus", n) for n in u["bonus_items"]] + \
               [("deduction", n) for n in u["deduction_items"]]
        if ws.max_row != len(rows) + 1:
            problems.append(f"{u['id']}: {ws.max_row - 1} rows, want {len(rows)}")
        for r, (section, n) in enumerate(rows, start=2):
            for c, key in enumerate(SHEET, start=1):
                if key == "section":
                    want = section
                elif key == "title":
                    want = names.get(n["id"])
                elif isinstance(n.get(key), list):
                    want = joined(n[key])
                else:
                    want = n.get(key)
                same(f"{u['id']}!{ws.cell(r, c).coordinate} ({key})", ws.cell(r, c), want, key)


main(*sys.argv[1:4])
for p in problems[:30]:
    print(p)
sys.exit(1 if problems else 0)
