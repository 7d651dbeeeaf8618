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

[ "${KEVENT_SKIP_DEPS:-0}" = 1 ] || scripts/deps.sh
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
# shellcheck disable=SC2086 # word list
use_debug_kernel check-debug debug $ARCHES

# Results are named after the kernel, apart from make check's.
export KEVENT_RESULT_PREFIX=debug-
# KASAN and lockdep make the guest several times slower.
export KEVENT_BUILD=${KEVENT_BUILD:-$PWD/build/debug}
export KEVENT_QEMU_TIMEOUT=${KEVENT_QEMU_TIMEOUT:-2400}
# fuzz_test's million calls, with storage teardowns among them, take more
# than the default 300 s per binary on s390x under KASAN and TCG.
export KEVENT_APPEND="kevent_timeout=900 ${KEVENT_APPEND:-}"
export KEVENT_ARCHES=$ARCHES KEVENT_SKIP_DEPS=1
exec scripts/check.sh
