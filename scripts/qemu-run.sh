#!/bin/bash
# scripts/qemu-run.sh ARCH INITRD LOGFILE
# Boots Debian's stock kernel for ARCH under QEMU (TCG; KVM hangs on these
# machines) with INITRD and writes the serial console to LOGFILE.
# Environment:
#   KEVENT_QEMU_TIMEOUT  overall limit in seconds (default 600)
#   KEVENT_APPEND        extra kernel command line words (e.g.
#                        "kevent_filter=basic kevent_timeout=120")
#   KEVENT_SMP, KEVENT_MEM  (default 2, 1024)
#   KEVENT_TEE=1         also copy the console to stdout
# Exit status: QEMU's (0 after a guest power off), 124 on timeout.
set -euo pipefail

ARCH=${1:?usage: qemu-run.sh x86_64|s390x INITRD LOGFILE}
INITRD=${2:?initrd}
LOG=${3:?logfile}
# shellcheck source=scripts/env.sh
. "$(dirname "$0")/env.sh"
kevent_arch_vars "$ARCH"

TMO=${KEVENT_QEMU_TIMEOUT:-600}
SMP=${KEVENT_SMP:-2}
MEM=${KEVENT_MEM:-1024}
# panic=-1 + -no-reboot: a kernel panic (or init exiting) ends QEMU at once.
APPEND="panic=-1 ${KEVENT_APPEND:-}"
case "$ARCH" in
x86_64)
	QEMU=(qemu-system-x86_64 -accel tcg -cpu max -m "$MEM" -smp "$SMP")
	APPEND="console=ttyS0 $APPEND" ;;
s390x)
	QEMU=(qemu-system-s390x -accel tcg -m "$MEM" -smp "$SMP")
	APPEND="console=ttysclp0 $APPEND" ;;
esac
QEMU+=(-nographic -no-reboot -nic none -kernel "$VMLINUZ" -initrd "$INITRD"
       -append "$APPEND")

mkdir -p "$(dirname "$LOG")"
echo "== qemu $ARCH: ${QEMU[*]}" > "$LOG"
rc=0
if [ "${KEVENT_TEE:-0}" = 1 ]; then
	timeout -k 10 "$TMO" "${QEMU[@]}" </dev/null 2>&1 | tee -a "$LOG" || rc=${PIPESTATUS[0]}
else
	timeout -k 10 "$TMO" "${QEMU[@]}" </dev/null >>"$LOG" 2>&1 || rc=$?
fi
[ "$rc" = 124 ] && echo "== qemu $ARCH: TIMEOUT after ${TMO}s" >> "$LOG"
echo "== qemu $ARCH: exit $rc" >> "$LOG"
exit "$rc"
