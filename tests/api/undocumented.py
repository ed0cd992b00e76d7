#!/usr/bin/env python3
"""List the public declarations whose errors are not documented on their own.

A declaration (a JQL_API line in include/) is documented when a comment ends
on the line just above it, or sits beside it, and that comment says what it
returns or how it fails (a status code, "returns", "error", NULL, true/false,
"0 when"...). A comment above a group of declarations documents only the
first one. Usage: undocumented.py INCLUDE_DIR ALLOWLIST

Exit status 1 when a declaration is undocumented and not in ALLOWLIST, or
when ALLOWLIST names a declaration that is now documented or gone (delete
that line: the list only shrinks). Prints the undocumented ones either way.
"""

import pathlib
import re
import sys

MENTIONS = re.compile(
    r"JQL_[A-Z_]+|\breturns?\b|\berrors?\b|\bNULL\b|\bfails?\b|\btrue\b|\bfalse\b"
    r"|\b0 when\b|\bnever\b|\bstatus\b",
    re.IGNORECASE)
NAME = re.compile(r"\b(jql_[a-z0-9_]+)\s*\(")


def comments_of(lines):
    """Per line index: the text of the block comment ending on that line."""
    ends = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        start = line.find("/*")
        if start >= 0 and line.lstrip().startswith("/*"):
            j = i
            text = [line[start:]]
            while "*/" not in lines[j][(start + 2) if j == i else 0:]:
                j += 1
                text.append(lines[j])
            ends[j] = "\n".join(text)
            i = j + 1
        else:
            i += 1
    return ends


def declarations(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    ends = comments_of(lines)
    i = 0
    while i < len(lines):
        if not lines[i].startswith("JQL_API"):
            i += 1
            continue
        first = i
        text = lines[i]
        while ";" not in lines[i]:
            i += 1
            text += "\n" + lines[i]
        m = NAME.search(text)
        if m:
            beside = "".join(re.findall(r"/\*.*?\*/", text, re.S))
            above = ends.get(first - 1, "")
            yield m.group(1), above + beside, first + 1
        i += 1


def main():
    include, allow_path = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    allowed = set()
    for line in allow_path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            allowed.add(line)
    seen, missing = set(), []
    for header in sorted(include.rglob("*.h")):
        for name, comment, line in declarations(header):
            seen.add(name)
            if not MENTIONS.search(comment):
                missing.append((name, f"{header.relative_to(include)}:{line}"))
    failed = False
    print(f"# {len(seen)} public declarations, {len(missing)} without their own error documentation")
    for name, where in missing:
        known = name in allowed
        print(f"{where}: {name}{'' if known else '  (NEW: document it)'}")
        failed |= not known
    stale = sorted(allowed - {n for n, _ in missing})
    for name in stale:
        why = "now documented" if name in seen else "no longer declared"
        print(f"allow-list entry {name}: {why}; remove it from {allow_path.name}")
    failed |= bool(stale)
    print("FAIL" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
