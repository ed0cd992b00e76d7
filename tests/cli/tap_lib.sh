# The TAP preamble the CLI scripts share, sourced after `set -u`: python
# ($py), the C locale (output must not depend on it), a temporary directory
# removed on exit ($tmp), and `ok STATUS DESCRIPTION`, which counts in $n
# and $failed and, on a failure, shows the first $tap_show lines (default
# 20) of the last run's $tmp/out and $tmp/err.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
export LC_ALL=C

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { # ok CONDITION-STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        failed=$((failed + 1))
        sed 's/^/# stdout: /' "$tmp/out" 2>/dev/null | head -"${tap_show:-20}"
        sed 's/^/# stderr: /' "$tmp/err" 2>/dev/null | head -"${tap_show:-20}"
    fi
}
