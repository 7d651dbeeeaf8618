#!/bin/bash
# `make demo`: build for s390x, boot Debian's s390x kernel under QEMU and run
# scripts/guest/demo.sh in the guest, showing the console live: the
# modules, keventlogd, tapes loaded and unloaded, keventlogd killed and
# restarted, the log it wrote, and a verdict.  Exit status 0 only when the
# guest's verdict is that every event was logged exactly once.
# DEMO_ARCH=x86_64 runs the same on x86_64.
set -euo pipefail
cd "$(dirname "$0")/.."
ARCH=${DEMO_ARCH:-s390x}
# Where build.sh and mkinitramfs.sh put their output (scripts/env.sh).
OUT=${KEVENT_BUILD:-$PWD/build}/$ARCH
mkdir -p "$OUT"
echo "== demo: building for $ARCH (log: $OUT/demo-build.log)"
if ! { scripts/build.sh "$ARCH" && scripts/mkinitramfs.sh "$ARCH"; } > "$OUT/demo-build.log" 2>&1; then
	tail -n 30 "$OUT/demo-build.log"
	echo "== demo: build FAILED (see $OUT/demo-build.log)"
	exit 1
fi
echo "== demo: booting Debian's $ARCH kernel under QEMU (TCG); console follows"
# quiet: only the demo's own output and serious kernel messages on the console.
rc=0
KEVENT_TEE=1 KEVENT_QEMU_TIMEOUT=${KEVENT_QEMU_TIMEOUT:-300} \
	KEVENT_APPEND="quiet kevent_script=/kevent/demo.sh ${KEVENT_APPEND:-}" \
	scripts/qemu-run.sh "$ARCH" "$OUT/initramfs.gz" "$OUT/demo.log" || rc=$?
echo "== demo: console saved in $OUT/demo.log"
if [ "$rc" -ne 0 ]; then
	echo "== demo: QEMU exited with $rc"
	exit 1
fi
grep -q '^VERDICT: all ' "$OUT/demo.log"
