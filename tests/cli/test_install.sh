#!/usr/bin/env bash
# Install checks (TAP): a staged install exports only jql_ symbols, has a
# SONAME and a pkg-config file that lets an outside program build and load
# the bundled dataset; the project also works as a Meson subproject.
set -u
build=$1
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data="$JQL_EXAMPLES_DATA/long-an-2014/dataset.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; [ -f "$tmp/out" ] && sed 's/^/# /' "$tmp/out" | tail -20; }
check() { local name=$1; shift; if "$@" >"$tmp/out" 2>&1; then ok "$name"; else notok "$name"; fi; }
echo "1..10"

check "meson install into a staging folder" meson install -C "$build" --destdir "$tmp/stage" --no-rebuild --quiet

lib=$(find "$tmp/stage" -name 'libjustice-quarterly.so.*.*' -type f | head -n 1)
pc=$(find "$tmp/stage" -name 'justice-quarterly.pc' | head -n 1)

exports_only_jql() {
    local bad
    # symbols carry the version node of lib/justice-quarterly.map (name@@JQL_x.y.z);
    # the node itself is an absolute (A) entry, not a symbol
    local syms
    syms=$(nm -D --defined-only "$lib" | awk '$2 != "A" {sub(/@.*/, "", $3); print $3}')
    bad=$(printf '%s\n' "$syms" | grep -v '^jql_' || true)
    [ -n "$lib" ] && [ -z "$bad" ] || { echo "non-jql exports: $bad"; return 1; }
    printf '%s\n' "$syms" | grep -qx 'jql_dataset_load_path' &&
        nm -D --defined-only "$lib" | grep -q ' jql_dataset_load_path@@JQL_'
}
check "shared library exports only jql_ symbols" exports_only_jql

has_soname() { readelf -d "$lib" | grep -q 'SONAME.*libjustice-quarterly\.so\.0'; }
check "shared library has a SONAME" has_soname

build_consumer() { # (in a subshell: the pkg-config settings must not leak)
    (
        export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$tmp/stage"
        cc -o "$tmp/consumer" "$src/tests/install/consumer.c" \
            $(pkg-config --cflags --libs justice-quarterly)
    )
}
check "an outside program builds with pkg-config --cflags --libs justice-quarterly" build_consumer

run_consumer() {
    LD_LIBRARY_PATH=$(dirname "$lib") "$tmp/consumer" "$data" | tee /dev/stderr | grep -q '^16 units, first: Sở Tư pháp'
}
check "the outside program loads the bundled dataset" run_consumer

static_ok() { find "$tmp/stage" -name 'libjustice-quarterly.a' | grep -q .; }
check "static library installed" static_ok

subproject() {
    mkdir -p "$tmp/sub/subprojects"
    cp "$src/tests/install/subproject-meson.build" "$tmp/sub/meson.build"
    cp "$src/tests/install/consumer.c" "$tmp/sub/"
    ln -s "$src" "$tmp/sub/subprojects/justice-quarterly"
    meson setup "$tmp/sub/build" "$tmp/sub" -Djustice-quarterly:tests=false \
        -Djustice-quarterly:examples=false -Djustice-quarterly:benchmarks=false &&
        ninja -C "$tmp/sub/build" &&
        "$tmp/sub/build/consumer" "$data" | grep -q '^16 units'
}
check "works as a Meson subproject (meson.override_dependency)" subproject

copy_sources() { # the tracked files (no build folders), or everything outside git
    mkdir -p "$1"
    if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$src" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$1"
    else
        cp -r "$src/." "$1" && rm -rf "$1"/build*
    fi
}


# The Python package: `meson install` puts it where that Python finds it,
# and `pip install --no-build-isolation .` works offline from a venv.
py=/usr/bin/python3
score_py='import sys, justice_quarterly as jq
ds = jq.Dataset.load(sys.argv[1])
print(len(ds.units), "units;", jq.__file__)'
if [ -d "$build/bindings/python" ]; then
    installed_python() {
        local site
        site=$(find "$tmp/stage" -type d -name justice_quarterly -path '*-packages/*' | head -n 1)
        [ -n "$site" ] || { echo "package not installed"; return 1; }
        # the staged site directory must be one Debian's Python searches (minus the stage)
        "$py" -c 'import sys; sys.exit(0 if sys.argv[1] in sys.path else 1)' "${site#$tmp/stage}/.." ||
            "$py" -c 'import sys, os; sys.exit(0 if os.path.normpath(sys.argv[1]) in sys.path else 1)'                 "$(dirname "${site#$tmp/stage}")" || { echo "not on sys.path: $site"; return 1; }
        PYTHONPATH=$(dirname "$site") "$py" -c "$score_py" "$data" | grep -q "^16 units; $tmp/stage"
    }
    check "meson install puts the Python package on Debian Python's path" installed_python

    pip_offline() {
        "$py" -m venv --system-site-packages "$tmp/venv" &&
            copy_sources "$tmp/srccopy" &&
            (cd "$tmp/srccopy" && "$tmp/venv/bin/pip" install --quiet --no-build-isolation --no-index .) &&
            (cd "$tmp" && "$tmp/venv/bin/python" -c "$score_py" "$data" | grep -q "^16 units; $tmp/venv")
    }
    check "pip install --no-build-isolation --no-index . works offline in a venv" pip_offline
else
    n=$((n + 1)); echo "ok $n # SKIP Python binding not built"
    n=$((n + 1)); echo "ok $n # SKIP Python binding not built"
fi

# The Lua rockspec builds the module against the installed library (pkg-config).
if command -v luarocks >/dev/null && command -v lua5.4 >/dev/null; then
    rockspec() {
        copy_sources "$tmp/luasrc" && (
            cd "$tmp/luasrc" &&
            export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$tmp/stage" &&
            luarocks --lua-version 5.4 make --tree "$tmp/rocks" \
                bindings/lua/justice_quarterly-*.rockspec >/dev/null
        ) && LD_LIBRARY_PATH=$(dirname "$lib") lua5.4 -e "
            package.cpath = '$tmp/rocks/lib/lua/5.4/?.so'
            local jq = require 'justice_quarterly'
            local ds = assert(jq.load('$data'))
            assert(ds:unit('duc-hoa').name == 'Phòng Tư pháp huyện Đức Hòa')
            print(jq._VERSION)"
    }
    check "the Lua rockspec builds against the installed library" rockspec
else
    n=$((n + 1)); echo "ok $n # SKIP luarocks or lua5.4 not installed"
fi
