#!/usr/bin/python3
"""Run jql-score and the reference on one (dataset, criteria) pair and diff them.

Usage: compare.py JQL_SCORE DATASET CRITERIA   (exit 1 and a list on disagreement)
       compare.py JQL_SCORE --seeds N [FIRST]    (generated cases; failures kept)
"""

import decimal
import json
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import jql_reference as ref  # noqa: E402
import generate  # noqa: E402

POINT_FIELDS = ("total", "applicable_max", "normalized", "bonus", "bonus_raw", "deductions",
                "final", "gap", "self_total")
PLAIN_FIELDS = ("cluster", "tier", "tier_before_caps", "tier_after_vetoes", "rank",
                "cluster_rank", "leader", "quota_demoted", "quota_tie", "next_tier",
                "held_back", "unappraised", "self_differs")


def run_engine(exe, ds_path, cr_path, expect_failure=None):
    """The engine's JSON results; with expect_failure (a phrase), the engine
    must instead exit 1 with that phrase on stderr: returns None then."""
    proc = subprocess.run([str(exe), "--format", "json", str(ds_path), str(cr_path)],
                          capture_output=True, timeout=120)
    err = proc.stderr.decode(errors="replace")
    if expect_failure is not None:
        if proc.returncode == 1 and expect_failure in err:
            return None
        raise RuntimeError(f"jql-score exited {proc.returncode}, expected exit 1 with "
                           f"{expect_failure!r}: {err[:2000]}")
    if proc.returncode != 0:
        raise RuntimeError(f"jql-score exited {proc.returncode}: {err[:2000]}")
    return json.loads(proc.stdout.decode("utf-8"), parse_float=decimal.Decimal)


def milli(d):
    """A Decimal of the engine's output -> int thousandths (exact)."""
    return ref.to_milli(d)


def diff(engine, units):
    """List of (unit, field, engine value, reference value)."""
    out = []
    eu = engine["units"]
    if [u["id"] for u in eu] != [r["id"] for r in units]:
        out.append(("*", "unit order", [u["id"] for u in eu], [r["id"] for r in units]))
    by_id = {u["id"]: u for u in eu}
    for r in units:
        e = by_id.get(r["id"])
        if e is None:
            out.append((r["id"], "presence", None, "scored"))
            continue
        for f in POINT_FIELDS:
            if milli(e[f]) != r[f]:
                out.append((r["id"], f, str(e[f]), ref.fmt_milli(r[f])))
        for f in PLAIN_FIELDS:
            if e[f] != r[f]:
                out.append((r["id"], f, e[f], r[f]))
        ev = [v["id"] for v in e["vetoes"]]
        if ev != r["vetoes"]:
            out.append((r["id"], "vetoes", ev, r["vetoes"]))
        if len(e["nodes"]) != len(r["nodes"]):
            out.append((r["id"], "nodes", len(e["nodes"]), len(r["nodes"])))
        for en, rn in zip(e["nodes"], r["nodes"]):
            where = f"node {rn['id']}"
            if en["id"] != rn["id"]:
                out.append((r["id"], where + " id", en["id"], rn["id"]))
                continue
            for f in ("points", "max"):
                if milli(en[f]) != rn[f]:
                    out.append((r["id"], f"{where} {f}", str(en[f]), ref.fmt_milli(rn[f])))
            if en["applicable"] != rn["applicable"]:
                out.append((r["id"], f"{where} applicable", en["applicable"], rn["applicable"]))
            if rn["applicable"] and en["applicable"]:
                for f, g in (("no_data", "no_data"), ("never_submitted", "never")):
                    if en[f] != rn[g]:
                        out.append((r["id"], f"{where} {f}", en[f], rn[g]))
                rv = None if rn["value"] is None else ref.milli_round(rn["value"])
                ev_ = None if en["value"] is None else milli(en["value"])
                if rv != ev_:
                    out.append((r["id"], f"{where} value", en["value"],
                                None if rv is None else ref.fmt_milli(rv)))
        for key in ("bonus_items", "deduction_items"):
            pts = [milli(i["points"]) for i in e[key]]
            if pts != r[key]:
                out.append((r["id"], key, [str(i["points"]) for i in e[key]],
                            [ref.fmt_milli(p) for p in r[key]]))
    return out


# What the engine says when the reference finds the inputs cannot be scored.
REFUSALS = {ref.InvalidDataset: "has the same dates as period",
            ref.EmptyPeriod: "falls in"}  # "no record ... falls in", "unknown period ..."


def compare_files(exe, ds_path, cr_path):
    try:
        ds, cr = ref.load(ds_path, cr_path)
        units = ref.score(ds, cr)
    except (ref.InvalidDataset, ref.EmptyPeriod) as e:
        try:
            run_engine(exe, ds_path, cr_path, expect_failure=REFUSALS[type(e)])
        except RuntimeError as bad:
            return [("*", "refusal", str(bad)[:300], f"{type(e).__name__}: {e}")]
        return []
    return diff(run_engine(exe, ds_path, cr_path), units)


def format_diffs(label, diffs, limit=40):
    lines = [f"{label}: {len(diffs)} disagreement(s)"]
    for unit, field, ev, rv in diffs[:limit]:
        lines.append(f"  unit {unit}: {field}: engine {ev!r} / reference {rv!r}")
    return "\n".join(lines)


def run_seed(exe, seed, keep_dir):
    """Generate case `seed`, compare; on disagreement keep its files in keep_dir."""
    with tempfile.TemporaryDirectory(prefix="jql-ref-") as tmp:
        ds_path, cr_path = generate.write(seed, tmp)
        diffs = compare_files(exe, ds_path, cr_path)
        if diffs:
            dest = pathlib.Path(keep_dir) / f"seed-{seed}"
            dest.mkdir(parents=True, exist_ok=True)
            for p in (ds_path, cr_path):
                (dest / os.path.basename(p)).write_bytes(pathlib.Path(p).read_bytes())
            return diffs, dest
    return [], None


def main(argv):
    if len(argv) >= 3 and argv[2] == "--seeds":
        exe, n = argv[1], int(argv[3])
        first = int(argv[4]) if len(argv) > 4 else 0
        keep = tempfile.mkdtemp(prefix="jql-reference-failures-")
        bad = 0
        for seed in range(first, first + n):
            diffs, dest = run_seed(exe, seed, keep)
            if diffs:
                bad += 1
                print(format_diffs(f"seed {seed} (files in {dest})", diffs, 8))
        print(f"{n} cases, {bad} with disagreements")
        return 1 if bad else 0
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    diffs = compare_files(*argv[1:])
    if diffs:
        print(format_diffs(argv[2], diffs))
        return 1
    print("agree")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
