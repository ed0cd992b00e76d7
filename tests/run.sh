#!/usr/bin/env bash
# Runs every test: installs what is missing (Debian), builds, then runs the
# Check suites and CLI checks, the same suites under valgrind and under
# ASan+UBSan, and the Python and Lua binding tests (property, fuzz and
# allocation-failure tests included) when those exist; then the
# multi-threaded suites under ThreadSanitizer.
# Ends with the line "N passed, N failed, N skipped"; exits non-zero on any
# failure.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)

log() { printf '==> %s\n' "$*"; }

# ---- 1. packages -------------------------------------------------------
packages=(meson ninja-build pkg-config gcc libc6-dev libcjson-dev check valgrind
          python3 python3-dev python3-pytest python3-mesonpy python3-venv python3-pandas
          liblua5.4-dev lua5.4 locales chromium
          lua5.1 liblua5.1-0-dev lua5.3 liblua5.3-dev luajit libluajit-5.1-dev luarocks
          python3-hypothesis clang libclang-rt-14-dev
          libcsv-dev libutf8proc-dev libxlsxwriter-dev python3-openpyxl
          time) # GNU time: the scale scripts' peak memory checks (tests/cli/scale_lib.sh)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    log "installing: ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || { echo "apt-get install failed" >&2; exit 1; }
fi

# A second locale for the locale-independence tests (best effort).
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf8$'; then
    if [ -f /etc/locale.gen ] && [ "$(id -u)" = 0 ]; then
        sed -i 's/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/' /etc/locale.gen
        grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen || echo 'de_DE.UTF-8 UTF-8' >> /etc/locale.gen
        locale-gen >/dev/null 2>&1 || true
    fi
fi

status=0
logs=()

# ---- 2. build and test -------------------------------------------------
setup() { # dir, meson args...
    local dir=$1; shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1
    else
        rm -rf "$dir"
        meson setup "$dir" "$@" >"$dir.setup.log" 2>&1
    fi || { cat "$dir.setup.log"; return 1; }
    ninja -C "$dir" -j "$jobs" >"$dir.build.log" 2>&1 || { tail -50 "$dir.build.log"; return 1; }
}

run_phase() { # name, dir, meson test args...
    local name=$1 dir=$2; shift 2
    log "$name"
    meson test -C "$dir" --num-processes "$jobs" --print-errorlogs "$@" || status=1
    cp "$dir/meson-logs/testlog${setup_suffix:-}.json" "$dir/testlog-$name.json" 2>/dev/null ||
        cp "$dir/meson-logs/testlog.json" "$dir/testlog-$name.json"
    logs+=("$name=$dir/testlog-$name.json")
}

bindings_opts=()
[ -d bindings/python ] && bindings_opts+=(-Dpython=enabled)
[ -d bindings/lua ] && bindings_opts+=(-Dlua=enabled)

log "build (debugoptimized)"
if setup build-tests "${bindings_opts[@]}"; then
    setup_suffix="" run_phase c build-tests
    setup_suffix="-valgrind" run_phase valgrind build-tests --setup valgrind --suite unit
else
    echo "build failed" >&2; status=1; logs+=("build=/nonexistent")
fi

# The Lua binding under the other Lua versions the README claims (5.4 ran above).
if [ -d bindings/lua ]; then
    # These builds skip the examples: compare with the main build's jql-score.
    [ -x build-tests/examples/jql-score ] && export JQL_SCORE_BIN="$root/build-tests/examples/jql-score"
    for lua in 5.1:lua5.1 5.3:lua5.3 jit:luajit; do
        ver=${lua%%:*} pc=${lua#*:}
        log "build (Lua binding, $pc)"
        if setup "build-lua-$ver" -Dlua=enabled -Dlua_pc="$pc" -Dtests=false -Dexamples=false \
                -Dbenchmarks=false; then
            setup_suffix="" run_phase "lua-$ver" "build-lua-$ver" --suite lua
        else
            echo "Lua binding build ($pc) failed" >&2; status=1; logs+=("lua-$ver-build=/nonexistent")
        fi
    done
    unset JQL_SCORE_BIN
fi

log "build (ASan+UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
        "${bindings_opts[@]}"; then
    # (the install check builds an uninstrumented consumer: not meaningful here)
    # An unoptimized, instrumented build runs a few times slower: the Check
    # suites' 4 s per test (which the scale tests rely on in the build
    # above, failing a quadratic return there) get eight times as long here,
    # and meson's limits twice: on a loaded 2-core machine a 100,000-period
    # test took 27 s and the scale scripts over 300 s here.
    # The scale scripts' 60 s per command too: --compare of 1,000 units x
    # 4,400 leaves takes 1.6 s in a release build, 45 s here.
    CK_TIMEOUT_MULTIPLIER=8 JQL_SCALE_SLOWDOWN=4 setup_suffix="" run_phase asan build-asan \
        --no-suite install --timeout-multiplier 2
else
    echo "sanitizer build failed" >&2; status=1; logs+=("asan-build=/nonexistent")
fi

# ThreadSanitizer (clang): the suites that use the library from several
# threads at once (tests/test_threads.c, tests/test_concurrency.c: 8 threads
# scoring, querying and loading both formats on one shared dataset;
# tests/test_evidence_hold.c: threads read results while the dataset they
# hold is freed; tests/test_stat_index.c: threads racing to build the
# dataset's cached tree order; tests/test_pair_index.c: threads racing to
# build a long pair's index; tests/test_score_threads.c: one scoring on
# several threads (jql_score_options.threads), and several such at once),
# with the system cJSON. The binding property/fuzz tests (tests/python/
# test_property.py, test_hostile.py, test_alloc.py, tests/lua/test_fuzz.lua,
# test_hostile.lua) ran in every phase above, the ASan one included.
log "build (ThreadSanitizer, clang)"
if command -v clang >/dev/null &&
        CC=clang setup build-tsan -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debug \
            -Dexamples=false -Dbenchmarks=false; then
    TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1" CK_FORK=no \
        setup_suffix="" run_phase tsan build-tsan threads concurrency evidence_hold stat_index \
            pair_index score_threads
else
    echo "ThreadSanitizer build failed" >&2; status=1; logs+=("tsan-build=/nonexistent")
fi

# ---- 3. summary --------------------------------------------------------
log "summary"
summary=$(/usr/bin/python3 tests/tally.py "${logs[@]}")
echo "$summary" | sed '$d'
read -r passed failed skipped <<<"$(echo "$summary" | tail -n 1)"
[ "$failed" = 0 ] || status=1
[ "$passed" -gt 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
