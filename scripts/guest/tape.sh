#!/bin/sh
# Guest side of `make check-tape` (busybox sh, Debian's s390x kernel under
# Hercules with a 3490 at 0.0.0580).  Run by /init as kevent_script.
#
# Loads kevent, kevent_s390_log and the patched tape driver (tape_class,
# tape, tape_34xx from /kevent/modules: never the stock ones), starts the
# s390 log reader (keventlogd if /kevent/bin has it, else tape-logread) and
# a uevent recorder, then drives the drive:
#   online     echo 1 > .../0.0.0580/online             (no event)
#   load       host mounts a tape (devinit)             LOADED
#   offline    mt offline: rewind-unload from the guest UNLOADED
#   reload     host mounts a tape again                 LOADED
#   hostunload host empties the drive, guest issues I/O UNLOADED
#   load3      host mounts a tape again                 LOADED
# The host acts when the guest prints "MARK REQUEST_LOAD" or
# "MARK REQUEST_UNLOAD" (Hercules automatic operator rules).
#
# Output (parsed by scripts/check-tape.sh), one short line at a time: the
# 3215 console keeps only the first 150 bytes of a write.
#   KT STEP <name>           a step starts
#   KT OK <name> [detail]    it happened
#   KT NO <name> - <why>     it did not
#   KT LOG <line>            the s390 log, as the reader wrote it
#   KT ERR <line>            the reader's diagnostics
#   KT CTL <line>            `keventctl read`: the kernel buffer
#   KT READER <name> exit=N  how the reader ended on SIGTERM
#   KT UEV <line>            a MEDIUM_STATE uevent
#   KT DMESG <line>          tape and kevent kernel messages
#   KT END                   the script finished
DEV=0.0.0580
SYS=/sys/bus/ccw/devices/$DEV
NODE=/dev/ntibm0
MODS=/kevent/modules
BIN=/kevent/bin
KLOG=/tmp/tape-klog
UEV=/tmp/tape-uevents
T0=$(cut -d. -f1 /proc/uptime)

say() { echo "$*" | cut -c1-120; sleep 0.3; }
el() { echo $(($(cut -d. -f1 /proc/uptime) - T0)); }
ok() { say "KT OK $* t=$(el)s"; }
no() { say "KT NO $*"; }
step() { say "KT STEP $1"; }
ms() { cat "$SYS/medium_state" 2>/dev/null; }

# wait_ms STATE SECS: until medium_state is STATE (1 loaded, 2 unloaded).
wait_ms() {
	i=0
	while [ "$i" -lt $(($2 * 2)) ]; do
		[ "$(ms)" = "$1" ] && return 0
		usleep 500000
		i=$((i + 1))
	done
	return 1
}

# host_load NAME: ask the host to mount the tape, until the driver says
# loaded.  A repeated mount of a loaded drive changes nothing.
host_load() {
	step "$1"
	for try in 1 2 3; do
		say "MARK REQUEST_LOAD"
		if wait_ms 1 20; then ok "$1 try=$try"; return 0; fi
	done
	no "$1 - medium_state=$(ms) after 3 mount requests"
	return 1
}

finish() {
	step report
	sleep 2	# the uevent helper runs asynchronously
	if [ -n "$LOGPID" ]; then
		kill "$LOGPID" 2>/dev/null
		wait "$LOGPID" 2>/dev/null
		say "KT READER $READER exit=$?"
	fi
	[ -n "$UEVPID" ] && kill "$UEVPID" 2>/dev/null
	[ -f "$KLOG" ] && while read -r l; do say "KT LOG $l"; done < "$KLOG"
	[ -s "$KLOG.err" ] && head -n 8 "$KLOG.err" | while read -r l; do say "KT ERR $l"; done
	# The kernel's buffer, as keventctl reads it: what the log must match.
	[ -x "$BIN/keventctl" ] && "$BIN/keventctl" read 2>&1 | while read -r l; do say "KT CTL $l"; done
	[ -f "$UEV" ] && while read -r l; do say "KT UEV $l"; done < "$UEV"
	dmesg | sed 's/^\[[^]]*\] *//' | grep -E '^(tape[a-z_0-9]*|kevent[a-z_0-9]*): ' |
		while read -r l; do say "KT DMESG $l"; done
	say "KT END"
	exit 0
}

# Kernel messages would split our lines on the console: dmesg at the end.
dmesg -n 1
step modules
for m in kevent kevent_s390_log tape_class tape tape_34xx; do
	if ! out=$(insmod "$MODS/$m.ko" 2>&1); then
		no "modules - insmod $m: $out"
		finish
	fi
done
# The patched tape.ko, not a stock one, uses kevent_s390_log.
if [ -e /sys/module/kevent_s390_log/holders/tape ]; then
	ok "modules tape_taint=$(cat /sys/module/tape/taint)"
else
	no "modules - tape.ko does not use kevent_s390_log"
	finish
fi

step reader
uevent /kevent/tape-uevent.sh >/dev/null 2>&1 &
UEVPID=$!
# Both readers read the log from its oldest record: the tape's probe
# (device_added, at insmod) comes first, then the medium changes.
if [ -x "$BIN/keventlogd" ]; then
	READER=keventlogd
	mkdir -p /etc /tmp/keventlogd
	cat > /etc/keventlogd.conf <<-EOF
	devices all
	events all
	state-file /tmp/keventlogd/state
	output stdout
	EOF
	"$BIN/keventlogd" -f -c /etc/keventlogd.conf > "$KLOG" 2> "$KLOG.err" &
	LOGPID=$!
else
	READER=tape-logread
	"$BIN/tape-logread" "$KLOG" > "$KLOG.err" 2>&1 &
	LOGPID=$!
fi
sleep 2
if kill -0 "$LOGPID" 2>/dev/null && kill -0 "$UEVPID" 2>/dev/null; then
	ok "reader $READER"
else
	no "reader - $READER exited: $(head -n 2 "$KLOG.err" | tr '\n' ' ')"
	finish
fi

step online
echo 1 > "$SYS/online" 2>/dev/null
i=0
while [ ! -e "$NODE" ] && [ "$i" -lt 60 ]; do usleep 500000; i=$((i + 1)); done
if [ -e "$NODE" ] && wait_ms 2 30; then
	ok "online medium_state=2"
else
	no "online - node=$([ -e "$NODE" ] && echo yes || echo no) medium_state=$(ms)"
	finish
fi

host_load load || finish

step offline
timeout 60 mt -f "$NODE" offline 2>/dev/null
if wait_ms 2 30; then ok offline; else no "offline - medium_state=$(ms)"; finish; fi

host_load reload || finish

# The drive reports nothing when the host empties it: the driver learns at
# the next I/O (drive not ready).
step hostunload
done=0
for try in 1 2 3; do
	say "MARK REQUEST_UNLOAD"
	sleep 2
	for _ in 1 2 3 4 5; do
		timeout 30 mt -f "$NODE" nop >/dev/null 2>&1
		if [ "$(ms)" = 2 ]; then done=1; break 2; fi
		sleep 1
	done
done
if [ "$done" = 1 ]; then ok "hostunload try=$try"; else no "hostunload - medium_state=$(ms)"; finish; fi

host_load load3 || finish
finish
