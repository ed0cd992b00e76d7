#!/usr/bin/env python3
"""The linker version script lists exactly the public functions.

Usage: symbols.py INCLUDE_DIR MAP_FILE [SHARED_LIBRARY]
Compares the JQL_API declarations of the headers with the global names of
the version script and, given the built shared library, with what it
exports (nm -D). Prints every difference; exit status 1 when there is one.
"""

import pathlib
import re
import subprocess
import sys


def declared(include):
    names = set()
    for header in include.rglob("*.h"):
        text = header.read_text(encoding="utf-8")
        for m in re.finditer(r"^JQL_API\b[^;]*?\b(jql_[a-z0-9_]+)\s*\(", text, re.M | re.S):
            names.add(m.group(1))
    return names


def in_map(path):
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return set(re.findall(r"^\s*(jql_[a-z0-9_]+)\s*;", text, re.M))


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", str(lib)], capture_output=True,
                         text=True, check=True).stdout
    return {line.split()[2].split("@")[0] for line in out.splitlines()
            if len(line.split()) == 3 and line.split()[1] in "TtDdBbRrVvWwi"}


def main():
    decl, mapped = declared(pathlib.Path(sys.argv[1])), in_map(pathlib.Path(sys.argv[2]))
    problems = [f"declared but not in the version script: {n}" for n in sorted(decl - mapped)]
    problems += [f"in the version script but not declared: {n}" for n in sorted(mapped - decl)]
    if len(sys.argv) > 3:
        got = exported(pathlib.Path(sys.argv[3]))
        problems += [f"exported but not declared: {n}" for n in sorted(got - decl)]
        problems += [f"declared but not exported: {n}" for n in sorted(decl - got)]
    print(f"# {len(decl)} declared, {len(mapped)} in the version script")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
