#!/usr/bin/env python3
"""Score the Long An 2014 example and analyse it with pandas.

    PYTHONPATH=build/bindings/python python3 examples/python/quarterly_analysis.py [DATASET CRITERIA]

Prints the scoreboard, a pivot of the average points per emulation cluster and
section (the top-level criteria), and each unit's gap to the next tier, with what
holds it back. Every number comes from the C engine as an exact Decimal.

The bundled sheet uses built-in methods only. The example sheet
criteria-2014-custom.json scores one leaf with the custom method
"mediation_success_rate"; it is registered here in Python, with the same rule
as the C examples', so the results match `jql-score --format json` byte for byte.
"""

import pathlib
import sys
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

import justice_quarterly as jq

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent / "data" / "long-an-2014"
MILLI = Decimal("0.001")


def mediation_success_rate(dataset, unit, period, node, ctx):
    """max × successful mediations ÷ mediation cases (0 without cases), by the
    engine's own rounding: ctx.points_from_ratio() is exact and rounds once,
    half away from zero, to 0.001. Register it with ``context=True``."""
    for needed in ("mediation-success", "mediation-cases"):
        if needed not in dataset.indicators:
            raise LookupError(f'the dataset has no indicator "{needed}"')
    cases = dataset.value(unit, "mediation-cases", period)
    if not cases:
        return 0
    success = dataset.value(unit, "mediation-success", period) or 0
    return ctx.points_from_ratio(success, cases)


def mean(values):
    """Exact mean of Decimals, rounded half away from zero to 0.001."""
    values = list(values)
    return (sum(values, Decimal(0)) / len(values)).quantize(MILLI, ROUND_HALF_UP)


def main(argv):
    dataset_path = pathlib.Path(argv[1]) if len(argv) > 1 else DATA / "dataset.json"
    criteria_path = pathlib.Path(argv[2]) if len(argv) > 2 else DATA / "criteria-2014.json"

    dataset = jq.Dataset.load(dataset_path)
    criteria = jq.Criteria.load(criteria_path)
    criteria.register("mediation_success_rate", mediation_success_rate, context=True)
    results = jq.score(dataset, criteria)

    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 20)

    units = results.to_dataframe(numbers="decimal")
    print(f"{criteria.name or criteria.id} — period {results.period}, "
          f"{len(results)} units scored\n")
    print(units[["rank", "id", "cluster", "final", "tier"]].to_string(index=False))

    # Points per cluster and section: top-level nodes only, mean over the cluster's units.
    nodes = results.nodes_dataframe(numbers="decimal")
    sections = nodes[nodes["parent"].isna()]
    pivot = sections.pivot_table(index="cluster", columns="node", values="points",
                                 aggfunc=mean)
    pivot = pivot[[n.id for n in criteria.nodes if n.parent is None]]  # sheet order
    pivot["final"] = units.groupby("cluster")["final"].agg(mean)
    print("\nAverage points by cluster and section:\n")
    print(pivot.to_string())

    tier_names = {t.id: t.name for t in criteria.tiers}
    print("\nGap to the next tier:\n")
    for unit in results:
        if unit.next_tier is None:
            print(f"  {unit.id:<12} {unit.final:>8}  already in the top tier")
            continue
        why = f" (held back by {unit.held_back})" if unit.held_back else ""
        print(f"  {unit.id:<12} {unit.final:>8}  +{unit.gap} for "
              f"{tier_names.get(unit.next_tier, unit.next_tier)}{why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
