#!/bin/bash
# `make check-kcsan`: every selftest under an x86_64 kernel built like make
# check-debug's, but with KCSAN, the kernel's data-race detector, instead of
# KASAN, lockdep and kmemleak (scripts/kernel.sh ARCH kcsan:
# base.config + kcsan.config + ARCH.config; KCSAN and KASAN exclude each
# other).  Any KCSAN report ("BUG: KCSAN: data-race in ...") fails "dmesg
# clean" like any other splat: a race is fixed, or marked in the source
# (data_race(), READ_ONCE()...) with a comment saying why it is benign.
# Ends with "N passed, N failed" like make check; results are "kcsan-ARCH".
# Environment: KEVENT_KCSAN_ARCHES (default x86_64), plus check.sh's
# (KEVENT_APPEND="kevent_filter=stress" runs a subset).
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHES=${KEVENT_KCSAN_ARCHES:-x86_64}

# KCSAN watches one access in up to 4000 by default; during the tests
# (not the boot: run-tests.sh) one in up to 50: 6.1 million watchpoints
# instead of 76 thousand, and the guest runs 5.5 minutes instead of 2.5.
export KEVENT_APPEND="kevent_kcsan_skip_watch=50 ${KEVENT_APPEND:-}"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
# shellcheck disable=SC2086 # word list
debug_check kcsan $ARCHES
