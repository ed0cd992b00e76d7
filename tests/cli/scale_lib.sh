# The TAP helpers the hostile-cost scripts share (tests/cli/test_scale*.sh),
# sourced after they set `build`: tap_lib.sh (a temporary directory removed
# on exit, ok), run/is/has, gen and check for inputs and assertions in Python, and
# peak_run for a command's peak RSS. With run_limit set (seconds), every
# run ends within it, so that a return of an old cost fails instead of
# hanging the suite; JQL_SCALE_SLOWDOWN (tests/run.sh's ASan phase: an
# instrumented build runs some cases 30 times slower) multiplies it.
tap_show=5
. "$(dirname "${BASH_SOURCE[0]}")/tap_lib.sh"
run() { # run PROGRAM ARGS...: output in $tmp/out and $tmp/err, status in $rc
    if [ -n "${run_limit:-}" ]; then
        timeout "$((run_limit * ${JQL_SCALE_SLOWDOWN:-1}))" "$@" >"$tmp/out" 2>"$tmp/err"
    else
        "$@" >"$tmp/out" 2>"$tmp/err"
    fi
    rc=$?
}
is() { [ "$1" = "$2" ]; echo $?; }
has() { grep -q -- "$1" "$2"; echo $?; }
gen() { # gen FILE 'PYTHON' (the code builds `doc`, written as JSON; chain(n): the units
         # u0..u<n-1> of one chain, each the parent of the next, at level "district")
    "$py" -c 'import json, sys
def chain(n):
    return [{"id": "u0", "name": "x", "level": "district"}] + \
        [{"id": "u%d" % i, "name": "x", "level": "district", "parent": "u%d" % (i - 1)} for i in range(1, n)]
'"$2"'
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False)' "$1"
}
check() { # check 'PYTHON' FILE...: exit status of the assertions
    "$py" -c "$1" "${@:2}" 2>>"$tmp/err"
    echo $?
}
timed=0
/usr/bin/time -f %M true 2>/dev/null && timed=1
peak_run() { # peak_run PROGRAM ARGS...: run, peak RSS (KB) in $peak (0: not measured)
    if [ "$timed" -eq 1 ]; then
        run /usr/bin/time -o "$tmp/peak" -f %M "$@"
        peak=$(tail -1 "$tmp/peak")
    else
        run "$@"
        peak=0
    fi
}
