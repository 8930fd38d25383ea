#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates the FFM bindings in hal/src/main/java/org/layerstore/hal/bindings/ with the `jextract` on
# PATH (jextract 25, built from openjdk/jextract outside this repository) and records the hash of the
# project headers they came from in headers.sha256.
#
#   hal/jextract/generate-bindings.sh            regenerate the committed sources and headers.sha256
#   hal/jextract/generate-bindings.sh DIR        write the sources under DIR instead (the reproducibility
#                                                test compares DIR with the committed sources)
#
# What is generated is curated: libc.includes and hal.includes list every function, struct and constant
# (jextract --include-* options), so the bindings hold what the HAL and the datapath call and no more.
# The generated packages are never edited by hand: change a header or a list and rerun this script.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
HAL=$(cd "$HERE/.." && pwd)
OUT=${1:-$HAL/src/main/java}
PACKAGE_DIR=org/layerstore/hal/bindings

command -v jextract >/dev/null || { echo "jextract is not on PATH (build openjdk/jextract and add its bin/)" >&2; exit 2; }

# jextract must find clang's builtin headers (stddef.h) by itself: an extra -I for them changes what
# libclang parses (it silently loses MAP_FAILED), so the output would no longer match the committed one.

rm -rf "${OUT:?}/$PACKAGE_DIR"
mkdir -p "$OUT"

cd "$HERE"
# _GNU_SOURCE: splice, pipe2, process_vm_readv, F_SETPIPE_SZ and strerrorname_np are GNU extensions.
jextract -D _GNU_SOURCE --output "$OUT" -t org.layerstore.hal.bindings.libc \
    @libc.includes libc.h
jextract --output "$OUT" -t org.layerstore.hal.bindings.inotify @inotify.includes inotify.h

cd "$HAL/include"
# __STDC_HOSTED__=0: the HAL headers need only stdint.h's fixed-width types, which clang's own stdint.h
# defines when freestanding. Hosted, it chains (#include_next) to the C library's stdint.h, which a
# jextract whose libclang sees two builtin-header directories (its own and the system clang's) never
# reaches. The redefinition warnings this causes are expected and filtered out.
jextract -D __STDC_HOSTED__=0 -I . --output "$OUT" -t org.layerstore.hal.bindings.hal \
    @"$HERE/hal.includes" layerstore/hal.h 2> >(grep -v -e "macro redefined" -e '^ *#' -e '^ *\^' >&2)

# jextract writes no license line; the project's goes on each generated file as on every other source
# file (test-bench/setup/spdx-headers), so the committed bindings stay exactly what this script writes.
find "$OUT/$PACKAGE_DIR" -name '*.java' -print0 | xargs -0 "$HAL/../test-bench/setup/spdx-headers" >/dev/null

if [ $# -eq 0 ]; then
    cd "$HERE"
    # Relative paths, so `cd hal/jextract && sha256sum -c headers.sha256` checks them anywhere.
    sha256sum libc.h libc.includes inotify.h inotify.includes hal.includes ../include/layerstore/*.h > headers.sha256
    echo "bindings regenerated under $OUT/$PACKAGE_DIR; headers.sha256 updated"
fi
