#!/usr/bin/env bash
# TAP checks of -o FILE (examples/cli_output.c), through jql-score and
# jql-report: what is at FILE decides how it is written. Usage:
# test_output.sh BUILD_ROOT (JQL_TEST_DATA names tests/data; JQL_SLOW_FSYNC
# the test helper library that makes fsync() wait, for the signal checks).
set -u

build=${1:?usage: test_output.sh BUILD_ROOT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
score="$build/examples/jql-score"
report="$build/examples/jql-report"
data=${JQL_TEST_DATA:-$here/../data}
we="$data/scoring/worked-example"
export LC_ALL=C

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

n=0
failed=0
ok() { # ok CONDITION-STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        failed=$((failed + 1))
        sed 's/^/# stderr: /' "$tmp/err" 2>/dev/null | head -10
    fi
}
is() { [ "$1" = "$2" ]; echo $?; }
has() { grep -q -- "$1" "$2"; echo $?; }
mode() { stat -c %a "$1"; }
leftovers() { # temporary files next to $1
    ls -A "$(dirname "$1")" | grep -c "^$(basename "$1")\.......$"
}
sc() { "$score" "$we/dataset.json" "$we/criteria.json" --format json "$@" 2>"$tmp/err"; }

echo "1..40"

sc >expected.json
ok "$(is $? 0)" "reference output on stdout"

# 2-5: new files honour the umask
(umask 022 && sc -o new022.json)
ok "$(is "$(mode new022.json)" 644)" "umask 022: a new file is 0644"
(umask 077 && sc -o new077.json)
ok "$(is "$(mode new077.json)" 600)" "umask 077: a new file is 0600"
(umask 027 && sc -o new027.json)
ok "$(is "$(mode new027.json)" 640)" "umask 027: a new file is 0640"
cmp -s new022.json expected.json
ok $? "the file holds the output"

# 6-8: a replaced file keeps its mode; no temporary file left
echo old >keep.json && chmod 604 keep.json
(umask 077 && sc -o keep.json)
ok "$(is "$(mode keep.json)" 604)" "a replaced file keeps its mode (0604 under umask 077)"
cmp -s keep.json expected.json
ok $? "and holds the new output"
ok "$(is "$(leftovers keep.json)" 0)" "no temporary file left"

# 9-13: a symlink: its target is written, the link stays a link
mkdir -p sub && echo old >sub/target.json && chmod 640 sub/target.json
ln -s sub/target.json link.json
sc -o link.json
ok "$(is $? 0)" "-o a symlink: exit 0"
[ -L link.json ]
ok $? "the symlink is still a symlink"
cmp -s sub/target.json expected.json
ok $? "its target holds the output"
ok "$(is "$(mode sub/target.json)" 640)" "the target keeps its mode"
ok "$(is "$(leftovers sub/target.json)$(leftovers link.json)" 00)" "no temporary file left"

# 14-16: a chain of relative links, and a dangling one (creates the target)
ln -s link.json link2.json
echo old >sub/target.json
sc -o link2.json
cmp -s sub/target.json expected.json
ok $? "a chain of links: the final target is written"
ln -s sub/created.json dangling.json
sc -o dangling.json
cmp -s sub/created.json expected.json
ok $? "a dangling link: the file it names is created"
[ -L dangling.json ]
ok $? "and the link stays"

# 17-20: a character device: streamed to, never replaced
ln -s /dev/null null-link
sc -o null-link
ok "$(is $? 0)" "-o a symlink to /dev/null: exit 0"
[ -L null-link ] && [ -c /dev/null ]
ok $? "the link and /dev/null are untouched"
if [ "$(id -u)" = 0 ] && mknod ./null c 1 3 2>/dev/null; then
    sc -o ./null
    [ -c ./null ]
    ok $? "-o a character device node (mknod null c 1 3): still a device"
else
    echo "ok $((n += 1)) - # SKIP mknod needs root"
fi
out=$(sc -o /dev/stdout)
ok "$(is "$out" "$(cat expected.json)")" "-o /dev/stdout writes standard output"

# 21-23: a FIFO: streamed to
mkfifo fifo
cat fifo >from-fifo.json &
reader=$!
sc -o fifo
rc=$?
wait $reader
ok "$(is $rc 0)" "-o a FIFO: exit 0"
cmp -s from-fifo.json expected.json
ok $? "the reader got the output"
[ -p fifo ]
ok $? "the FIFO is still a FIFO"

# 24-26: "-" is standard output
out=$(sc -o -)
ok "$(is "$out" "$(cat expected.json)")" "-o - writes standard output"
[ ! -e ./- ]
ok $? "and creates no file named -"
sc -o /dev/fd/1 >fd1.json
cmp -s fd1.json expected.json
ok $? "-o /dev/fd/1 writes descriptor 1"

# 27-31: the rest is refused
mkdir adir
sc -o adir
rc=$?
ok "$(is $rc 3)" "-o a directory: exit 3"
ok "$(has "adir: it is a directory" err)" "the message says it is a directory"
[ -d adir ] && [ -z "$(ls -A adir)" ]
ok $? "the directory is untouched"
ln -s adir dirlink
sc -o dirlink
ok "$(is $? 3)" "-o a symlink to a directory: exit 3"
[ -L dirlink ] && [ -d adir ]
ok $? "the link and the directory are untouched"

# 32-33: a missing directory, and jql-report through the same code
sc -o nodir/x.json
ok "$(is $? 3)" "-o in a missing directory: exit 3"
if [ -x "$report" ]; then
    ln -s report-target.md report-link.md
    (umask 077 && "$report" "${JQL_EXAMPLES_DATA:-$here/../../examples/data}/long-an-2014/dataset.json" \
        --period 2014-Q1 -o report-link.md 2>"$tmp/err")
    [ -L report-link.md ] && [ "$(mode report-target.md)" = 600 ] && [ -s report-target.md ]
    ok $? "jql-report -o: the link's target is written, with the umask"
else
    echo "ok $((n += 1)) - # SKIP jql-report not built"
fi

# 34-39: SIGTERM / SIGINT while the temporary file exists remove it
signal_check() { # SIGNAL
    local sig=$1 flag="$tmp/flag-$1" pid rc waited=0
    echo old >"sig-$sig.json"
    rm -f "$flag"
    JQL_SLOW_FSYNC_FLAG="$flag" LD_PRELOAD="$JQL_SLOW_FSYNC" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
        env --default-signal="$sig" "$score" "$we/dataset.json" "$we/criteria.json" \
        -o "sig-$sig.json" 2>"$tmp/err" &
    pid=$!
    while [ ! -e "$flag" ] && [ $waited -lt 200 ]; do sleep 0.05; waited=$((waited + 1)); done
    ok "$(is "$(leftovers "sig-$sig.json")" 1)" "$sig: the temporary file exists while writing"
    kill -s "$sig" $pid
    wait $pid
    rc=$?
    ok "$(is "$(leftovers "sig-$sig.json")" 0)" "$sig: the temporary file is removed"
    ok "$(is "$(cat "sig-$sig.json")" old)" "$sig: the old file is intact (exit status $rc)"
}
if [ -n "${JQL_SLOW_FSYNC:-}" ] && [ -f "$JQL_SLOW_FSYNC" ] && env --default-signal=INT true 2>/dev/null; then
    signal_check TERM
    signal_check INT
else
    for _ in 1 2 3 4 5 6; do echo "ok $((n += 1)) - # SKIP no fsync helper or env --default-signal"; done
fi

# 40: the documented out-of-memory exit code
"$score" --help >help.txt 2>&1
ok "$(has "4 out of memory" help.txt)" "--help documents exit status 4 (out of memory)"

[ "$n" -eq 40 ] || echo "# planned 40, ran $n"
exit $((failed > 0))
