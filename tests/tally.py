#!/usr/bin/env python3
"""Count passed/failed/skipped tests from meson testlog.json files.

TAP tests (the Check suites and the CLI scripts) are counted per TAP line,
other tests per test. Prints one line per phase and the totals as
"P F S" on the last line for run.sh to read.
"""
import json
import re
import sys

TAP = re.compile(r"^(ok|not ok)\b(.*)$")


def count_log(path):
    passed = failed = skipped = 0
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except OSError:
        return 0, 1, 0
    for line in lines:
        if not line.strip():
            continue
        entry = json.loads(line)
        result = entry.get("result", "")
        out = entry.get("stdout") or ""
        tap = [TAP.match(l.strip()) for l in out.splitlines()]
        tap = [m for m in tap if m]
        if tap and result not in ("TIMEOUT",):
            for m in tap:
                rest = m.group(2)
                if "# SKIP" in rest or "# skip" in rest:
                    skipped += 1
                elif m.group(1) == "ok":
                    passed += 1
                else:
                    failed += 1
            # a crash after some passing TAP lines must still count as a failure
            if result in ("FAIL", "ERROR", "TIMEOUT") and not any(m.group(1) == "not ok" for m in tap):
                failed += 1
        elif result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
    return passed, failed, skipped


def main():
    tp = tf = ts = 0
    for arg in sys.argv[1:]:
        name, path = arg.split("=", 1)
        p, f, s = count_log(path)
        print(f"  {name}: {p} passed, {f} failed, {s} skipped")
        tp, tf, ts = tp + p, tf + f, ts + s
    print(tp, tf, ts)


if __name__ == "__main__":
    main()
