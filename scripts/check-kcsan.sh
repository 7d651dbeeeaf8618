#!/bin/bash
# `make check-kcsan`: every selftest under an x86_64 kernel built like make
# check-debug's, but with KCSAN, the kernel's data-race detector, instead of
# KASAN, lockdep and kmemleak (scripts/debug-kernel.sh ARCH kcsan:
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

[ "${KEVENT_SKIP_DEPS:-0}" = 1 ] || scripts/deps.sh
kout=$(mktemp)
trap 'rm -f "$kout"' EXIT
for arch in $ARCHES; do
	t0=$(date +%s)
	# Shown and kept: not "tee /dev/stderr", which reopens a log file
	# that fd 2 points to, and truncates it.
	scripts/debug-kernel.sh "$arch" kcsan | tee "$kout"
	out=$(cat "$kout")
	echo "== check-kcsan: $arch kernel ready after $(( $(date +%s) - t0 ))s"
	export "KEVENT_KDIR_$arch=$(sed -n 's/^KDIR=//p' <<<"$out")"
	export "KEVENT_VMLINUZ_$arch=$(sed -n 's/^VMLINUZ=//p' <<<"$out")"
done
rm -f "$kout"	# exec below skips the EXIT trap

# KCSAN watches one access in up to 4000 by default; during the tests
# (not the boot: run-tests.sh) one in up to 50: 6.1 million watchpoints
# instead of 76 thousand, and the guest runs 5.5 minutes instead of 2.5.
export KEVENT_APPEND="kevent_kcsan_skip_watch=50 ${KEVENT_APPEND:-}"
export KEVENT_RESULT_PREFIX=kcsan-
# Its own build directory: the modules are built against this kernel.
export KEVENT_BUILD=${KEVENT_BUILD:-$PWD/build/kcsan}
export KEVENT_QEMU_TIMEOUT=${KEVENT_QEMU_TIMEOUT:-2400}
export KEVENT_ARCHES=$ARCHES KEVENT_SKIP_DEPS=1
exec scripts/check.sh
