#!/bin/bash
# `make check-debug`: every selftest under a debug kernel built from Debian's
# linux-source-6.1 with KASAN, lockdep (PROVE_LOCKING, PROVE_RCU),
# DEBUG_ATOMIC_SLEEP, kmemleak, UBSAN, DEBUG_OBJECTS and fault injection
# (scripts/debug/*.config).  Any splat, and any kmemleak report after the
# tests, fails the run.  Ends with "N passed, N failed" like make check.
# Environment: KEVENT_DEBUG_ARCHES (default x86_64), plus check.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHES=${KEVENT_DEBUG_ARCHES:-x86_64}

# fuzz_test's million calls, with storage teardowns among them, take more
# than the default 300 s per binary on s390x under KASAN and TCG.
export KEVENT_APPEND="kevent_timeout=900 ${KEVENT_APPEND:-}"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
# shellcheck disable=SC2086 # word list
debug_check debug $ARCHES
