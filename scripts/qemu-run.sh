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
#   KEVENT_PROGRESS=0    do not stream the TAP results (ok/not ok lines, one
#                        per test case and per test binary) and a heartbeat
#                        every 2 minutes to stdout; on by default, since a
#                        guest run takes minutes
#   KEVENT_QEMU_NIC      QEMU's -nic, default none (make check-fleet:
#                        "user,model=virtio", a virtio-net-ccw on s390x
#                        behind QEMU's user network)
#   KEVENT_QEMU_ARGS     more QEMU arguments, split at spaces (make bench's
#                        instruction-count pass: "-plugin FILE,out=FILE")
# Exit status: QEMU's (0 after a guest power off, also when QEMU had to be
# stopped after it), 124 on timeout.
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
QEMU+=(-nographic -no-reboot -nic "${KEVENT_QEMU_NIC:-none}" -kernel "$VMLINUZ" -initrd "$INITRD"
       -append "$APPEND")
if [ -n "${KEVENT_QEMU_ARGS:-}" ]; then
	# shellcheck disable=SC2206 # split at spaces, as documented
	QEMU+=(${KEVENT_QEMU_ARGS})
fi

mkdir -p "$(dirname "$LOG")"
echo "== qemu $ARCH: ${QEMU[*]}" > "$LOG"
if [ "${KEVENT_TEE:-0}" = 1 ]; then
	timeout -k 10 "$TMO" "${QEMU[@]}" </dev/null > >(tee -a "$LOG") 2>&1 &
else
	timeout -k 10 "$TMO" "${QEMU[@]}" </dev/null >>"$LOG" 2>&1 &
fi
tpid=$!
# In the background, QEMU no longer gets our terminal's signals itself.
trap 'pkill -KILL -P "$tpid" 2>/dev/null; exit 130' INT TERM
progress=0
if [ "${KEVENT_PROGRESS:-1}" = 1 ] && [ "${KEVENT_TEE:-0}" != 1 ]; then
	progress=1
	echo "== qemu $ARCH: booting (console in $LOG; at most ${TMO}s)"
	# The selftests' TAP lines as the guest prints them: the harness'
	# cases ("# ok 3 ctl.add") and the runner's verdict per binary.
	tail -n +1 -F --pid="$tpid" "$LOG" 2>/dev/null |
		grep -a --line-buffered -E '^(# )?(not )?ok [0-9]+ |^KEVENT-RESULT: ' |
		sed -u "s/\r\$//; s/^/  $ARCH: /" &
	ppid_=$!
	beat=120
fi

# QEMU s390x under TCG has been seen to hang after the guest powered off
# (sysrq 'o' printed, QEMU alive, deaf to SIGTERM), which would hold the
# run until the timeout.  Once /init says it is powering off, QEMU gets
# 30 s to exit before it is stopped; the guest's work is complete then.
GRACE=30
off=
stopped=0
while kill -0 "$tpid" 2>/dev/null; do
	if [ -z "$off" ] && grep -qF 'KEVENT-GUEST: powering off' "$LOG"; then
		off=$SECONDS
	fi
	if [ -n "$off" ] && [ $((SECONDS - off)) -gt "$GRACE" ]; then
		echo "== qemu $ARCH: guest powered off ${GRACE}s ago, QEMU still running: stopped" >> "$LOG"
		stopped=1
		pkill -TERM -P "$tpid" 2>/dev/null || true
		sleep 5
		pkill -KILL -P "$tpid" 2>/dev/null || true
		break
	fi
	if [ "$progress" = 1 ] && [ "$SECONDS" -ge "$beat" ]; then
		echo "== qemu $ARCH: still running, ${SECONDS}s of at most ${TMO}s"
		beat=$((beat + 120))
	fi
	sleep 1
done
rc=0
{ wait "$tpid" || rc=$?; } 2>/dev/null
# tail sees QEMU gone within a second and prints the rest first.
[ "$progress" = 1 ] && { wait "$ppid_" || true; } 2>/dev/null
[ "$stopped" = 1 ] && rc=0
[ "$rc" = 124 ] && echo "== qemu $ARCH: TIMEOUT after ${TMO}s" >> "$LOG"
echo "== qemu $ARCH: exit $rc" >> "$LOG"
exit "$rc"
