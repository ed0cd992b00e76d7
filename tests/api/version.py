#!/usr/bin/env python3
"""The version is written once, as meson.build's project version: the headers
(generated version.h), the Python package (pyproject's dynamic version) and
the extension follow it; the LuaRocks rockspec, which LuaRocks reads as a
file, must carry the same version in its name and fields.

Usage: version.py PROJECT_VERSION SOURCE_ROOT VERSION_H [PYTHON_BUILD_DIR]
(tests/python/test_names.py checks the built Python package.)
Prints one line per check; exit status 1 when one disagrees.
"""

import os
import pathlib
import re
import subprocess
import sys


def main():
    version, root, version_h = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    failures = []

    def check(what, ok, detail=""):
        print(f"{'ok' if ok else 'MISMATCH'}: {what}{': ' + detail if detail else ''}")
        if not ok:
            failures.append(what)

    major, minor, patch = version.split(".")
    text = version_h.read_text(encoding="utf-8")
    for name, want in (("MAJOR", major), ("MINOR", minor), ("PATCH", patch)):
        m = re.search(rf"#define JQL_VERSION_{name} (\S+)", text)
        check(f"JQL_VERSION_{name}", m is not None and m.group(1) == want, m and m.group(1))
    m = re.search(r'#define JQL_VERSION_STRING "([^"]*)"', text)
    check("JQL_VERSION_STRING", m is not None and m.group(1) == version, m and m.group(1))
    common = (root / "include" / "justice_quarterly" / "common.h").read_text(encoding="utf-8")
    check("common.h writes no version number itself",
          not re.search(r"#define JQL_VERSION_(MAJOR|MINOR|PATCH|STRING) ", common))

    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    check("pyproject.toml takes the version from Meson (dynamic)",
          re.search(r"^dynamic = \[.*'version'.*\]$", pyproject, re.M) is not None and
          not re.search(r"^version\s*=", pyproject, re.M))

    rocks = sorted((root / "bindings" / "lua").glob("*.rockspec"))
    check("exactly one rockspec", len(rocks) == 1, ", ".join(r.name for r in rocks))
    for rock in rocks:
        m = re.fullmatch(r"justice_quarterly-(.+)-(\d+)\.rockspec", rock.name)
        check("rockspec file name carries the version", m is not None and m.group(1) == version,
              rock.name)
        spec = rock.read_text(encoding="utf-8")
        v = re.search(r'^version = "(.+)-(\d+)"$', spec, re.M)
        check("rockspec version field", v is not None and v.group(1) == version and
              m is not None and v.group(2) == m.group(2), v and v.group(0))
        tag = re.search(r'tag = "v(.+)"', spec)
        check("rockspec source tag", tag is not None and tag.group(1) == version,
              tag and tag.group(0))

    if len(sys.argv) > 4:  # the built extension reports the same version
        env = dict(os.environ, PYTHONPATH=sys.argv[4], PYTHONDONTWRITEBYTECODE="1")
        out = subprocess.run([sys.executable, "-c",
                              "import justice_quarterly as jq, justice_quarterly._core as c;"
                              "print(jq.__version__, c.HEADER_VERSION)"],
                             env=env, capture_output=True, text=True)
        got = out.stdout.split()
        check("Python __version__ and HEADER_VERSION", got == [version, version],
              out.stdout.strip() or out.stderr.strip()[-200:])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
