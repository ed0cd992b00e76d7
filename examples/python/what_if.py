#!/usr/bin/env python3
"""What-if on the bundled examples (docs/ANALYSIS.md).

    PYTHONPATH=build/bindings/python python3 examples/python/what_if.py [DATASET CRITERIA]

On the Long An 2014 quarter: raises the weight of reporting from 16 to 24
points (the other sections shrink in proportion, exactly) and shows who moves;
each office's rank range under ±10 % section weights (1,000 seeded runs); the
first offices' improvement plans. On the Tây Ninh 2026 year (the bundled
dataset with four scored quarters): each commune's score across the quarters.
"""

import pathlib
import sys
import warnings

import justice_quarterly as jq

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from quarterly_analysis import DATA  # noqa: E402

YEAR_DATA = DATA.parent / "tay-ninh-2026"


def main(argv):
    dataset = jq.Dataset.load(pathlib.Path(argv[1]) if len(argv) > 1 else DATA / "dataset.json")
    criteria = jq.Criteria.load(pathlib.Path(argv[2]) if len(argv) > 2
                                else DATA / "criteria-2014.json")
    base = jq.score(dataset, criteria)

    print("== Reporting worth 24 points instead of 16: who moves")
    what_if = criteria.clone()
    what_if.set_max("reporting", 24, keep_total=True)
    print("   sections:", ", ".join(f"{n.id} {n.max}" for n in what_if.nodes if n.parent is None))
    for u in base.compare(jq.score(dataset, what_if))["units"]:
        if u["rank_change"]:
            print(f"   {u['id']:<12} rank {u['rank_before']:>2} -> {u['rank_after']:>2}"
                  f"   final {u['final_before']} -> {u['final_after']}")

    print("== Rank range under ±10 % section weights (1,000 runs, seed 1)")
    sens = base.sensitivity(percent=10, runs=1000, seed=1)
    for u in sens["units"]:
        mc = u["monte_carlo"]
        print(f"   {u['id']:<12} rank {u['rank']:>2}: {mc['rank_min']}..{mc['rank_max']}"
              f" (median {mc['rank_median']})")

    print("== Improvement plans (first three offices below the top tier)")
    for u in base.plans()["units"][:3]:
        how = ", ".join(u["plan"]) if u["closes_gap"] else f"held back: {u['held_back']}"
        print(f"   {u['id']:<12} {u['final']} -> {u['next_tier']} (gap {u['gap']}): {how}")
        for leaf in u["leaves"][:2]:
            print(f"      +{leaf['left']} {leaf['id']}: {leaf['need']}")

    print("== Final score and rank by quarter (Tây Ninh 2026)")
    year = jq.Dataset.load(YEAR_DATA / "dataset.json")
    year_criteria = jq.Criteria.load(YEAR_DATA / "criteria-2026.json")
    quarters = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    # The sheet's manual leaves are assessed once a year, so each quarter warns
    # that no unit has an assessment for them; the leaves' missing-data rule
    # scores them, which is what a quarter-by-quarter view means.
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", jq.ScoringWarning)
        trend = jq.score_periods(year, year_criteria, quarters).to_dict()
    if seen:
        print(f"   ({len(seen)} scoring warnings: leaves without data in a quarter)")
    for u in trend["units"]:
        cells = "  ".join(f"{p['final']:>7} #{p['rank']:<2}" for p in u["periods"])
        print(f"   {u['id']:<12} {cells}")


if __name__ == "__main__":
    main(sys.argv)
