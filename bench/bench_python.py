#!/usr/bin/python3
"""Python against C on the national shape (issue 10): is Python's score within 10% of C's?

Generates the dataset with bench_national (same generator, same seed), then
in one run times the best of REPS of:
  C       jql_score through bench_national --time-score (a separate process);
  Python  justice_quarterly.score() on the same files (the GIL is released while
          the C engine scores; the custom leaf calls back into Python);
and what turning the results into Python objects costs, read through the C
accessors (nothing is converted until accessed):
  one unit     results[k] for a unit in the middle (its nodes and evidence);
  all objects  every unit, node and evidence record (Results.units), and the
               same as plain dicts and lists (Results.to_dict());
  DataFrames   to_dataframe() and nodes_dataframe() (column readers, no objects).
Prints the figures and their ratios to C's jql_score from the same run; not a test.

  PYTHONPATH=build/bindings/python /usr/bin/python3 bench/bench_python.py \
      [--bench build-rel/bench/bench_national] [--communes 3321] [--reps 5]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

import justice_quarterly as jq


def digit_points(dataset, unit, period, node):
    """The criteria's custom leaf, as gen_national_custom() in C."""
    last = unit[-1] if unit else ""
    return Decimal((int(last) % 3) * 500) / 1000 if last.isdigit() else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default="build-rel/bench/bench_national")
    ap.add_argument("--communes", type=int, default=3321)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--seed", type=int, default=20251)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="jql-pybench-") as d:
        data, crit = os.path.join(d, "national.json"), os.path.join(d, "criteria.json")
        subprocess.run([a.bench, "--write-dataset", str(a.communes), data, "--seed", str(a.seed)],
                       check=True)
        subprocess.run([a.bench, "--write-criteria", crit], check=True)
        def c_score():
            return float(subprocess.run([a.bench, "--time-score", data, crit, str(a.reps)],
                                        check=True, capture_output=True, text=True).stdout)

        c_best = c_score()
        t0 = time.perf_counter()
        ds = jq.Dataset.load(data, max_input_size=8 << 30)
        t_load = time.perf_counter() - t0
        cr = jq.Criteria.load(crit)
        cr.register("bench-digit", digit_points)
        py_best = float("inf")
        for _ in range(a.reps):
            t0 = time.perf_counter()
            res = jq.score(ds, cr)
            py_best = min(py_best, time.perf_counter() - t0)
        c_best = min(c_best, c_score())  # before and after: a busy machine slows one, not both
        def best(fn):
            t = float("inf")
            for _ in range(a.reps):
                t0 = time.perf_counter()
                fn()
                t = min(t, time.perf_counter() - t0)
            return t

        n = len(res)
        t_unit = best(lambda: jq.Results(res._core)[n // 2])  # a fresh view: nothing cached
        t_objects = best(lambda: jq.Results(res._core).units)
        t_dict = best(res.to_dict)
        t_frame = best(res.to_dataframe)
        t_nodes = best(res.nodes_dataframe)
        t_all = best(lambda: (jq.score(ds, cr).to_dataframe()))
        size = os.path.getsize(data)

    def line(label, t, what=""):
        print(f"{label:<34}{t * 1e3:9.2f} ms  {t / c_best:6.2f}x C jql_score{what}")

    print(f"national shape, {a.communes} communes ({size / 1e6:.1f} MB), best of {a.reps}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'C      jql_score':<34}{c_best * 1e3:9.1f} ms")
    line("Python jq.score()", py_best,
         f"  ({(py_best / c_best - 1) * 100:+.1f}%; goal within +10%)")
    line("Python score + to_dataframe()", t_all,
         f"  ({(t_all / c_best - 1) * 100:+.1f}%: a scoreboard in pandas)")
    line("  results[k]: one unit's objects", t_unit)
    line("  to_dataframe(): unit columns", t_frame)
    line("  nodes_dataframe(): unit x node", t_nodes, f"  ({n} x {len(cr.nodes)} rows)")
    line("  units: every unit's objects", t_objects, "  (nodes, evidence, read-only)")
    line("  to_dict(): as plain dicts, lists", t_dict, "  (every citation its own dict)")
    print(f"{'Python Dataset.load()':<34}{t_load * 1e3:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
