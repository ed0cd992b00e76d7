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
echo "1..7"

check "meson install into a staging folder" meson install -C "$build" --destdir "$tmp/stage" --no-rebuild --quiet

lib=$(find "$tmp/stage" -name 'libjustice-quarterly.so.*.*' -type f | head -n 1)
pc=$(find "$tmp/stage" -name 'justice-quarterly.pc' | head -n 1)

exports_only_jql() {
    local bad
    bad=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^jql_' || true)
    [ -n "$lib" ] && [ -z "$bad" ] || { echo "non-jql exports: $bad"; return 1; }
    nm -D --defined-only "$lib" | grep -q ' jql_dataset_load_path$'
}
check "shared library exports only jql_ symbols" exports_only_jql

has_soname() { readelf -d "$lib" | grep -q 'SONAME.*libjustice-quarterly\.so\.0'; }
check "shared library has a SONAME" has_soname

build_consumer() {
    local pcdir
    pcdir=$(dirname "$pc")
    export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$tmp/stage"
    cc -o "$tmp/consumer" "$src/tests/install/consumer.c" \
        $(pkg-config --cflags --libs justice-quarterly)
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
