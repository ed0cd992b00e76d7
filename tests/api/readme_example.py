#!/usr/bin/env python3
"""The C example of README.md compiles against the library and does what it says.

Usage: readme_example.py README CC SRC_INCLUDE BUILD_INCLUDE LIBDIR DATASET
Takes the first ```c block after "## Example", builds it with -Werror
against the shared library of LIBDIR, runs it on DATASET and compares its
lines with the units of the dataset read here with Python's json module; a
missing file must give exit status 1 and a message. TAP output.
JQL_EXAMPLE_CFLAGS adds compiler flags (the sanitizers of a sanitized build).
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}")
    if not ok and detail:
        for line in str(detail).splitlines()[-20:]:
            print(f"# {line}")


def main():
    readme, cc, src_inc, build_inc, libdir, dataset = sys.argv[1:7]
    text = pathlib.Path(readme).read_text(encoding="utf-8")
    section = text.split("\n## Example\n", 1)
    m = re.search(r"^```c\n(.*?)^```$", section[1] if len(section) == 2 else "", re.M | re.S)
    print("1..5")
    check("README.md has a C example under '## Example'", m is not None)
    if m is None:
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "example.c"
        src.write_text(m.group(1), encoding="utf-8")
        exe = pathlib.Path(tmp) / "example"
        cmd = [cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", str(exe), str(src),
               "-I" + src_inc, "-I" + build_inc, "-L" + libdir, "-ljustice-quarterly",
               "-Wl,-rpath," + libdir] + os.environ.get("JQL_EXAMPLE_CFLAGS", "").split()
        built = subprocess.run(cmd, capture_output=True, text=True)
        check("it compiles with -Wall -Wextra -Werror", built.returncode == 0, built.stderr)
        if built.returncode != 0:
            return 1
        env = dict(os.environ, LD_LIBRARY_PATH=libdir)
        run = subprocess.run([str(exe), dataset], capture_output=True, text=True, env=env)
        check("it runs on the bundled dataset", run.returncode == 0, run.stderr)
        units = json.loads(pathlib.Path(dataset).read_text(encoding="utf-8"))["units"]
        lines = run.stdout.splitlines()
        want = [(u["id"], u["level"], u.get("cluster") or "-", u["name"]) for u in units]
        got = [tuple(re.split(r"\s+", line, maxsplit=3)) for line in lines]
        check("it prints every unit: id, level, cluster, name", got == want,
              "\n".join(f"{g} != {w}" for g, w in zip(got, want) if g != w) or
              f"{len(got)} lines for {len(want)} units")
        bad = subprocess.run([str(exe), str(pathlib.Path(tmp) / "missing.json")],
                             capture_output=True, text=True, env=env)
        check("a missing file gives exit status 1 and a message",
              bad.returncode == 1 and "missing.json" in bad.stderr, bad.stderr)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
