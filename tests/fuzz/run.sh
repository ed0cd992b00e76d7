#!/usr/bin/env bash
# Run the harnesses built by build.sh, each for SECONDS seconds, one at a
# time on one core. Seeds come from tests/data and examples/data (made
# into DIR/seeds/<harness> at each run); what the fuzzer learns is kept in
# DIR/corpus/<harness> and reused by the next run. Crashes, leaks and slow
# inputs land in DIR/artifacts/<harness>/; logs in DIR/logs/<harness>/fuzz-0.log.
#
#   tests/fuzz/run.sh build-fuzz 600                 # every harness, 10 minutes each
#   tests/fuzz/run.sh build-fuzz 60 fuzz_criteria    # one harness
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:?usage: run.sh DIR SECONDS [harness...]}
secs=${2:?usage: run.sh DIR SECONDS [harness...]}
shift 2
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
    harnesses=(fuzz_dataset fuzz_criteria fuzz_score fuzz_analysis fuzz_queries fuzz_csv)
fi
dir=$(cd "$dir" && pwd)
data=$root/tests/data
ex=$root/examples/data

datasets() { find "$data/valid" "$data/invalid" "$data/scoring" "$ex" -name '*.json' ! -name 'criteria*' ! -name expected.json; }
criteria() { find "$data/criteria" "$ex" -name '*.json' ! -name dataset.json; find "$data/scoring" -name 'criteria*.json'; }

seed() {
    local h=$1 s=$dir/seeds/$1
    rm -rf "$s"
    mkdir -p "$s"
    case $h in
    fuzz_dataset) datasets | while read -r f; do cp "$f" "$s/$(echo "$f" | md5sum | cut -c1-12).json"; done ;;
    fuzz_criteria) criteria | while read -r f; do cp "$f" "$s/$(echo "$f" | md5sum | cut -c1-12).json"; done ;;
    fuzz_score | fuzz_analysis)
        # each scoring case: dataset NUL criteria (NUL period)
        for c in "$data"/scoring/*/criteria*.json "$ex"/*/criteria*.json; do
            local d
            d=$(dirname "$c")/dataset.json
            [ -f "$d" ] || continue
            { cat "$d"; printf '\0'; cat "$c"; } >"$s/$(echo "$c" | md5sum | cut -c1-12)"
            { cat "$d"; printf '\0'; cat "$c"; printf '\0%s' 2014-Q1; } >"$s/$(echo "$c" | md5sum | cut -c1-12)-q1"
        done ;;
    fuzz_queries)
        # each dataset NUL a short program of every step kind
        local prog
        prog=$(printf '\\x%02x\\x07\\x31\\x52\\x13\\x04\\x85\\x06\\x99' $(seq 0 23))
        datasets | while read -r f; do
            { cat "$f"; printf '\0'; printf "$prog"; } >"$s/$(echo "$f" | md5sum | cut -c1-12)"
        done ;;
    fuzz_csv)
        # each CSV fixture behind each kind-and-options byte that suits it
        find "$data/csv" -name '*.csv' | while read -r f; do
            for b in 0 1 2 3 4 5 6 7 8 9 130 162; do
                { printf "\\x$(printf %02x "$b")"; cat "$f"; } >"$s/$(echo "$f$b" | md5sum | cut -c1-12)"
            done
        done ;;
    esac
}

dict_for() {
    case $1 in
    fuzz_dataset | fuzz_queries) echo "$here/dataset.dict" ;;
    fuzz_criteria) echo "$here/criteria.dict" ;;
    fuzz_csv) echo "$here/csv.dict" ;;
    *) cat "$here/dataset.dict" "$here/criteria.dict" >"$dir/all.dict"; echo "$dir/all.dict" ;;
    esac
}

status=0
for h in "${harnesses[@]}"; do
    [ -x "$dir/$h" ] || { echo "missing $dir/$h: run build.sh first" >&2; exit 2; }
    seed "$h"
    mkdir -p "$dir/corpus/$h" "$dir/artifacts/$h" "$dir/logs/$h"
    echo "== $h for ${secs}s"
    # with -jobs the fuzzing runs in a child that logs to fuzz-0.log in the
    # current folder: run from the harness's log folder
    (cd "$dir/logs/$h" && rm -f fuzz-*.log &&
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$dir/$h" -max_total_time="$secs" -jobs=1 -workers=1 -max_len=65536 -rss_limit_mb=4096 \
        -timeout=10 -report_slow_units=1 -print_final_stats=1 -dict="$(dict_for "$h")" \
        -artifact_prefix="$dir/artifacts/$h/" \
        "$dir/corpus/$h" "$dir/seeds/$h" >"$dir/logs/$h/driver.log" 2>&1) || status=1
    grep -hE '^(stat::|==[0-9]+== ?ERROR|SUMMARY|Slowest unit)' "$dir/logs/$h"/fuzz-*.log | tail -12 || true
done
ls -l "$dir"/artifacts/*/ 2>/dev/null | grep -v '^total' || true
exit $status
