#!/bin/sh
# Guest side of `make check-tape` (busybox sh, Debian's s390x kernel under
# Hercules with two 3490 drives A and B; their device numbers are in
# /kevent/tape.conf, TAPE_DEVS="A B").  Run by /init as kevent_script.
#
# Loads kevent, kevent_s390_log and the patched tape driver (tape_class,
# tape, tape_34xx from /kevent/modules: never the stock ones), starts the
# s390 log reader (keventlogd if /kevent/bin has it, else tape-logread) and
# a uevent recorder, then drives the drives:
#   online      both online, empty                          (nothing)
#   load        A: host mounts a tape                       LOADED
#   wpload      B: host mounts a write-protected tape       LOADED
#   wprotect    B: write -> command reject (EACCES)         ERROR
#   offline     A: mt offline (rewind-unload)               UNLOADED
#   reload      A: host mounts the tape again               LOADED
#   hostunload  A: host empties the drive, guest nops       INTERVENTION,
#                  until the driver sees it                 UNLOADED
#   emptyio     A: two writes to the empty drive            ERROR, ERROR
#                  (the same condition: no new intervention)
#   load3       A: host mounts the tape again               LOADED
#   hostunload2 A: as hostunload: a new condition           INTERVENTION,
#                                                           UNLOADED
#   offunload   B: offline, host empties it, online         UNLOADED
#                                                           (WHILE_OFFLINE)
#   offload     B: offline, host mounts a tape, online      LOADED
#                                                           (WHILE_OFFLINE)
# The host acts when the guest prints "MARK REQUEST_LOAD <devno>",
# "MARK REQUEST_WPLOAD <devno>" or "MARK REQUEST_UNLOAD <devno>" (Hercules
# automatic operator rules, scripts/check-tape.sh).
#
# Output (parsed by scripts/tape-verdict.sh), one short line at a time: the
# 3215 console keeps only the first 150 bytes of a write.
#   KT DEVS <A> <B>          the two drives' bus ids
#   KT STEP <name>           a step starts
#   KT OK <name> [detail]    it happened
#   KT NO <name> - <why>     it did not
#   KT LOG <line>            the s390 log, as the reader wrote it, without
#                            time and payload
#   KT PAY <seq> <payload>   that record's payload field, as written
#   KT ERR <line>            the reader's diagnostics
#   KT CTL <line>            `keventctl read`: the kernel buffer
#   KT READER <name> exit=N  how the reader ended on SIGTERM
#   KT UEV <line>            a MEDIUM_STATE uevent
#   KT DMESG <line>          tape and kevent kernel messages
#   KT DBF UC <devid> <op> <dstat> <sense hex>
#                            a unit check, as the tape driver's own s390
#                            debug feature area ("tape") recorded it
#   KT DBF ERP <op> <rc>     tape_34xx's error recovery ended a request
#                            with rc (area "tape_34xx")
#   KT END                   the script finished
MODS=/kevent/modules
BIN=/kevent/bin
KLOG=/tmp/tape-klog
UEV=/tmp/tape-uevents
DBF_DIR=/sys/kernel/debug/s390dbf
T0=$(cut -d. -f1 /proc/uptime)
# shellcheck disable=SC1091
. /kevent/tape.conf
# shellcheck disable=SC2086
set -- $TAPE_DEVS
A=$1
B=$2

say() { echo "$*" | cut -c1-120; sleep 0.3; }
el() { echo $(($(cut -d. -f1 /proc/uptime) - T0)); }
ok() { say "KT OK $* t=$(el)s"; }
no() { say "KT NO $*"; }
step() { say "KT STEP $1"; }
sys() { echo "/sys/bus/ccw/devices/0.0.$1"; }
ms() { cat "$(sys "$1")/medium_state" 2>/dev/null; }
# node DEVNO: the non-rewinding device node of an online drive.
node() { echo "/dev/$(basename "$(readlink "$(sys "$1")/non-rewinding")")"; }

# wait_ms DEVNO STATE SECS: until medium_state is STATE (1 loaded, 2 unloaded).
wait_ms() {
	i=0
	while [ "$i" -lt $(($3 * 2)) ]; do
		[ "$(ms "$1")" = "$2" ] && return 0
		usleep 500000
		i=$((i + 1))
	done
	return 1
}

# set_online DEVNO 0|1: until the node appears (1) or goes (0).
set_online() {
	echo "$2" > "$(sys "$1")/online" 2>/dev/null
	i=0
	while [ "$i" -lt 60 ]; do
		[ "$(cat "$(sys "$1")/online")" = "$2" ] && return 0
		usleep 500000
		i=$((i + 1))
	done
	return 1
}

# host_load NAME DEVNO [WP]: ask the host to mount the tape (WP: write
# protected), until the driver says loaded.
host_load() {
	step "$1"
	for try in 1 2 3; do
		say "MARK REQUEST_${3}LOAD $2"
		if wait_ms "$2" 1 20; then ok "$1 dev=$2 try=$try"; return 0; fi
	done
	no "$1 - dev=$2 medium_state=$(ms "$2") after 3 mount requests"
	return 1
}

# host_unload NAME DEVNO: the drive reports nothing when the host empties
# it: the driver learns at the next I/O (drive not ready).
host_unload() {
	step "$1"
	nd=$(node "$2")
	for try in 1 2 3; do
		say "MARK REQUEST_UNLOAD $2"
		sleep 2
		for _ in 1 2 3 4 5; do
			timeout 30 mt -f "$nd" nop >/dev/null 2>&1
			if [ "$(ms "$2")" = 2 ]; then ok "$1 dev=$2 try=$try"; return 0; fi
			sleep 1
		done
	done
	no "$1 - dev=$2 medium_state=$(ms "$2")"
	return 1
}

# write_fails DEVNO: write one block; prints dd's error, fails if it worked.
write_fails() {
	err=$(dd if=/dev/zero of="$(node "$1")" bs=1024 count=1 2>&1 >/dev/null)
	rc=$?
	echo "$err" | sed -n 's/^dd: [^:]*: //p' | head -n 1
	[ "$rc" != 0 ]
}

# off_change NAME DEVNO LOAD|UNLOAD STATE: offline, the host mounts or
# empties the drive, online; the driver then senses STATE.
off_change() {
	step "$1"
	before=$(ms "$2")
	if ! set_online "$2" 0; then no "$1 - dev=$2 did not go offline"; return 1; fi
	say "MARK REQUEST_$3 $2"
	sleep 3
	if ! set_online "$2" 1; then no "$1 - dev=$2 did not come online"; return 1; fi
	if wait_ms "$2" "$4" 20; then
		ok "$1 dev=$2 before=$before after=$(ms "$2")"
	else
		no "$1 - dev=$2 before=$before medium_state=$(ms "$2")"
		return 1
	fi
}

# The tape driver's debug feature areas, as compact lines: every unit
# check with its sense (tape_core's interrupt handler dump, area "tape")
# and how the discipline ended the request (area "tape_34xx"), merged in
# time order; on a tie the interrupt handler's dump came first.
dbf_lines() {
	for a in tape tape_34xx; do
		sed -E 's/^[0-9]+ +([0-9]+:[0-9]+) [0-9] [-*] [0-9]+ [0-9a-f]+ +/\1 /' \
			"$DBF_DIR/$a/sprintf" | awk -v a="$a" '{ print $1, (a == "tape" ? 0 : 1), NR, $0 }'
	done | sort -k1,1 -k2,2n -k3,3n | cut -d' ' -f5- |
	awk '
	/^-- Tape Interrupthandler --/ { irq = 1; n = -1; next }
	irq && /^DSTAT :/ { dstat = $3; n = -1; next }
	irq && /^DEVICE:/ { dev = $2; op = $NF; n = 0; sense = ""; next }
	irq && n >= 0 && /^[0-9a-f]+ [0-9a-f]+$/ {
		sense = sense $1 $2
		if (++n == 4) {
			if (substr(dstat, 2, 1) ~ /[2367abef]/)
				print "UC", dev, op, dstat, sense
			irq = 0; n = -1
		}
		next
	}
	/^Error recovery failed for/ {
		rc = $NF; sub(/^\(RC=/, "", rc); sub(/\)$/, "", rc)
		print "ERP", $5, rc
	}
	/^Error Recovery successful for/ { print "ERP", $5, "ok" }
	/^xerp retr/ { print "ERP", $3, "retry" }'
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
	# keventlogd's and tape-logread's lines both have seq=, device=,
	# event= and payload=; the payload goes on a line of its own.
	[ -f "$KLOG" ] && while read -r l; do
		say "KT LOG $(echo "$l" | sed -E 's/^time=[^ ]* //; s/ payload=.*//')"
		p=$(echo "$l" | sed -n -E 's/.* payload=(.*)/\1/p')
		s=$(echo "$l" | sed -n -E 's/.*seq=([0-9]+).*/\1/p')
		[ -n "$p" ] && [ -n "$s" ] && say "KT PAY $s $p"
	done < "$KLOG"
	[ -s "$KLOG.err" ] && head -n 8 "$KLOG.err" | while read -r l; do say "KT ERR $l"; done
	# The kernel's buffer, as keventctl reads it: what the log must match.
	[ -x "$BIN/keventctl" ] && "$BIN/keventctl" read 2>&1 | while read -r l; do say "KT CTL $l"; done
	[ -f "$UEV" ] && while read -r l; do say "KT UEV $l"; done < "$UEV"
	dmesg | sed 's/^\[[^]]*\] *//' | grep -E '^(tape[a-z_0-9]*|kevent[a-z_0-9]*): ' |
		while read -r l; do say "KT DMESG $l"; done
	[ -r "$DBF_DIR/tape/sprintf" ] && dbf_lines | while read -r l; do say "KT DBF $l"; done
	say "KT END"
	exit 0
}

# Kernel messages would split our lines on the console: dmesg at the end.
dmesg -n 1
say "KT DEVS 0.0.$A 0.0.$B"
step modules
for m in kevent kevent_s390_log tape_class tape tape_34xx; do
	if ! out=$(insmod "$MODS/$m.ko" 2>&1); then
		no "modules - insmod $m: $out"
		finish
	fi
done
# The patched tape.ko, not a stock one, uses kevent_s390_log.
if [ ! -e /sys/module/kevent_s390_log/holders/tape ]; then
	no "modules - tape.ko does not use kevent_s390_log"
	finish
fi
# The tape driver's debug areas (level 6, 2 pages) would wrap within the
# run: keep the unit check dumps and request ends (level 3) in 32 pages.
for a in tape tape_34xx; do
	if ! { echo 32 > "$DBF_DIR/$a/pages" && echo 3 > "$DBF_DIR/$a/level"; } 2>/dev/null; then
		no "modules - cannot set up $DBF_DIR/$a"
		finish
	fi
done
ok "modules tape_taint=$(cat /sys/module/tape/taint)"

step reader
uevent /kevent/tape-uevent.sh >/dev/null 2>&1 &
UEVPID=$!
# Both readers read the log from its oldest record: the tapes' probes
# (device_added, at insmod) come first.
if [ -x "$BIN/keventlogd" ]; then
	READER=keventlogd
	mkdir -p /etc /tmp/keventlogd
	cat > /etc/keventlogd.conf <<-EOF
	devices all
	events all
	state-file /tmp/keventlogd/state
	output stdout
	EOF
	"$BIN/keventlogd" -c /etc/keventlogd.conf > "$KLOG" 2> "$KLOG.err" &
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
for d in $A $B; do
	if ! { set_online "$d" 1 && [ -e "$(node "$d")" ] && wait_ms "$d" 2 30; }; then
		no "online - dev=$d node=$(node "$d") medium_state=$(ms "$d")"
		finish
	fi
done
ok "online $A=$(node "$A") $B=$(node "$B")"

host_load load "$A" || finish
host_load wpload "$B" WP || finish

step wprotect
if err=$(write_fails "$B"); then ok "wprotect dev=$B err=$err"; else no "wprotect - dev=$B write worked"; finish; fi

step offline
timeout 60 mt -f "$(node "$A")" offline 2>/dev/null
if wait_ms "$A" 2 30; then ok "offline dev=$A"; else no "offline - dev=$A medium_state=$(ms "$A")"; finish; fi

host_load reload "$A" || finish
host_unload hostunload "$A" || finish

step emptyio
if e1=$(write_fails "$A") && e2=$(write_fails "$A"); then
	ok "emptyio dev=$A err=$e1 / $e2"
else
	no "emptyio - dev=$A a write to the empty drive worked"
	finish
fi

host_load load3 "$A" || finish
host_unload hostunload2 "$A" || finish
off_change offunload "$B" UNLOAD 2 || finish
off_change offload "$B" LOAD 1 || finish
finish
