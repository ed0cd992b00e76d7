#!/usr/bin/env bash
# Build the libFuzzer harnesses of tests/fuzz/ with clang into the folder
# given as argument. The library itself is compiled with coverage
# instrumentation (-fsanitize=fuzzer-no-link) and ASan+UBSan, so the fuzzer
# sees its branches and every memory or undefined-behaviour error aborts.
# Debian's cJSON is linked as is (not instrumented).
#
#   tests/fuzz/build.sh build-fuzz            # all harnesses
#   CC=clang-14 tests/fuzz/build.sh out fuzz_dataset
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: build.sh OUTDIR [harness...]}
shift
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
    harnesses=()
    for f in "$here"/fuzz_*.c; do harnesses+=("$(basename "$f" .c)"); done
fi
CC=${CC:-clang}
mkdir -p "$out/obj" "$out/include/justice_quarterly"
# The version header Meson generates from the project version of meson.build.
version=$(sed -n "s/^  version: '\([0-9]*\.[0-9]*\.[0-9]*\)',\$/\1/p" "$root/meson.build")
IFS=. read -r vmajor vminor vpatch <<<"$version"
sed -e "s/@JQL_VERSION_MAJOR@/$vmajor/" -e "s/@JQL_VERSION_MINOR@/$vminor/" \
    -e "s/@JQL_VERSION_PATCH@/$vpatch/" -e "s/@JQL_VERSION_STRING@/$version/" \
    "$root/include/justice_quarterly/version.h.in" >"$out/include/justice_quarterly/version.h.tmp"
cmp -s "$out/include/justice_quarterly/version.h.tmp" "$out/include/justice_quarterly/version.h" ||
    mv "$out/include/justice_quarterly/version.h.tmp" "$out/include/justice_quarterly/version.h"
rm -f "$out/include/justice_quarterly/version.h.tmp"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
        -DJQL_BUILDING_LIBRARY -I$out/include -I$root/include -I$root/lib $(pkg-config --cflags libcjson libutf8proc)"
objs=()
for src in "$root"/lib/*.c; do
    obj="$out/obj/$(basename "$src" .c).o"
    if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ "$here/build.sh" -nt "$obj" ] ||
       [ -n "$(find "$root/lib" "$root/include" -name '*.h' -newer "$obj" -print -quit)" ]; then
        # shellcheck disable=SC2086
        "$CC" $cflags $san -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
    fi
    objs+=("$obj")
done
for h in "${harnesses[@]}"; do
    # shellcheck disable=SC2086
    "$CC" $cflags $san -fsanitize=fuzzer "$here/$h.c" "${objs[@]}" \
        $(pkg-config --libs libcjson libutf8proc) -lcsv -lm -o "$out/$h"
    echo "built $out/$h"
done
