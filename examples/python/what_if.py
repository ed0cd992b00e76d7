#!/usr/bin/env python3
"""What-if on the Long An 2014 example (docs/ANALYSIS.md).

    PYTHONPATH=build/bindings/python python3 examples/python/what_if.py [DATASET CRITERIA]

Raises the weight of reporting from 16 to 24 points (the other sections
shrink in proportion, exactly) and shows who moves; each office's rank range
under ±10 % section weights (1,000 seeded runs); the first offices'
improvement plans; and each office's score across the four quarters.
"""

import pathlib
import sys

import justice_quarterly as jq

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from quarterly_analysis import DATA, mediation_success_rate  # noqa: E402


def main(argv):
    dataset = jq.Dataset.load(pathlib.Path(argv[1]) if len(argv) > 1 else DATA / "dataset.json")
    criteria = jq.Criteria.load(pathlib.Path(argv[2]) if len(argv) > 2
                                else DATA / "criteria-2014.json")
    criteria.register("mediation_success_rate", mediation_success_rate(criteria))
    base = jq.score(dataset, criteria)

    print("== Reporting worth 24 points instead of 16: who moves")
    what_if = criteria.clone()
    what_if.set_max("reporting", 24, keep_total=True)
    # the custom function reads the leaves' maxima: give the copy its own
    what_if.register("mediation_success_rate", mediation_success_rate(what_if))
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

    print("== Final score and rank by quarter")
    quarters = ["2014-Q1", "2014-Q2", "2014-Q3", "2014-Q4"]
    trend = jq.score_periods(dataset, criteria, quarters).to_dict()
    for u in trend["units"]:
        cells = "  ".join(f"{p['final']:>7} #{p['rank']:<2}" for p in u["periods"])
        print(f"   {u['id']:<12} {cells}")


if __name__ == "__main__":
    main(sys.argv)
