#!/usr/bin/env bash
# Demo: installs what is missing (Debian), builds the library and the
# example programs into build-demo/, then validates the bundled Long An 2014
# dataset and summarises it. Works from any directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
dataset=examples/data/long-an-2014/dataset.json

say() { printf '==> %s\n' "$*"; }

# ---- 1. packages --------------------------------------------------------
# Debian package name, and the command that proves it is there (if any).
packages=(meson:meson ninja-build:ninja pkg-config:pkg-config libcjson-dev: check: libcsv-dev: libutf8proc-dev:)
missing=()
for entry in "${packages[@]}"; do
    pkg=${entry%%:*}
    cmd=${entry#*:}
    if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then
        continue
    fi
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        continue
    fi
    missing+=("$pkg")
done
if ((${#missing[@]})); then
    say "installing: ${missing[*]}"
    sudo=()
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            echo "demo.sh: need root or sudo to install: ${missing[*]}" >&2
            exit 1
        fi
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
fi

# ---- 2. build -----------------------------------------------------------
if [ ! -f build-demo/build.ninja ]; then
    say "configuring build-demo"
    meson setup build-demo -Dtests=false -Dbenchmarks=false
fi
say "building"
ninja -C build-demo

# ---- 3. validate and summarise the bundled dataset -----------------------
validate=build-demo/examples/jql-validate
say "validating $dataset"
"$validate" --summary "$dataset"

# ---- 4. what an error looks like -----------------------------------------
# A copy with a wrong parent and an impossible date: every problem is listed
# with its line, column and JSON path, and the exit status is 1.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e '0,/"parent": "long-an"/s//"parent": "long-an-cu"/' \
    -e '0,/"due": "2014-03-15"/s//"due": "2014-02-30"/' "$dataset" >"$tmp/broken.json"
say "validating a broken copy"
status=0
(cd "$tmp" && "$root/$validate" broken.json) || status=$?
say "exit status $status (0 valid, 1 invalid, 2 usage, 3 unreadable)"

# ---- 5. score the offices against the 2014 emulation sheet ----------------
criteria="examples/data/long-an-2014/criteria-2014.json"
say "scoring with $criteria"
build-demo/examples/jql-score "$dataset" "$criteria" --lang vi
say "(L leads its cluster, Q moved down by a quota, V a veto fired; try --lang en, --as-of 2014-03-21, --format json or csv)"
say "done: try $validate --help"

# ---- 6. the quarterly review report (issue 4) ------------------------------
# The Q1 2014 review as one self-contained HTML page; with the criteria set,
# its emulation section scores the offices over the set's own period (2014).
report=build-demo/long-an-2014-Q1-report.html
say "writing the quarterly review report of 2014-Q1"
build-demo/examples/jql-report "$dataset" examples/data/long-an-2014/criteria-2014.json \
    --period 2014-Q1 --as-of 2014-03-21 --format html -o "$report"
say "report written to $root/$report (open it in a browser; --lang en for English, no --format for Markdown)"
sheets=build-demo/long-an-2014-score-sheets.html
build-demo/examples/jql-report "$dataset" examples/data/long-an-2014/criteria-2014.json \
    --period 2014-Q1 --score-sheet all --format html -o "$sheets"
say "score sheets (phiếu chấm điểm), one unit a page: $root/$sheets"
say "the two-tier model (province -> communes, 2025 rules): examples/data/tay-ninh-2026/"
build-demo/examples/jql-score examples/data/tay-ninh-2026/dataset.json \
    examples/data/tay-ninh-2026/criteria-2026.json --lang vi
