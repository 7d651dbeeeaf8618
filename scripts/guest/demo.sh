#!/bin/sh
# Guest side of `make demo` (busybox sh, run by /init with
# kevent_script=/kevent/demo.sh): the kevent story in one run.
#
#   simulated tape drives --> kevent_s390_log --> keventlogd --> events.json
#                 (kernel)      (kernel buffer)     (daemon)
#
# Load the modules, start keventlogd, load and unload tapes, kill
# keventlogd with SIGKILL while the drives are busy, restart it, show the
# log it wrote and the statistics, and check that every event is there
# exactly once.  Every wait is bounded.
MODDIR=/kevent/modules
UTIL=/kevent/kselftest/kevent/keventlogd_test_util
SIM=/sys/kernel/kevent_tape_sim
CONF=/etc/keventlogd.conf
LOG=/var/log/keventlogd/events.json
STATE=/var/lib/keventlogd/state
DLOG=/tmp/keventlogd.messages
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
PID=

say() { echo "$*"; }
step() { echo; echo "---- $*"; }
run() { echo "  \$ $*"; "$@" 2>&1 | sed 's/^/    /'; }
die() { echo "demo: $*"; echo "VERDICT: demo FAILED ($*)"; exit 1; }

# wait_for SECS CMD...: until CMD succeeds, at most SECS seconds.
wait_for() {
	n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

next_seq() { keventctl status -s /x | awk '$1 == "next" { print $3 }'; }
saved() { awk '$1 == "last-seq" { print $2 }' "$STATE" 2>/dev/null || echo 0; }
caught_up() { [ "$(saved)" = "$(($(next_seq) - 1))" ]; }
lines() { wc -l < "$LOG" 2>/dev/null || echo 0; }
alive() { [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status"; }

# As keventlog, as keventlogd.service (User=) or setpriv would start it:
# the test util's "as" is the guest's setpriv (busybox's cannot change ids).
start_daemon() {
	"$UTIL" as 990 990 - keventlogd -c "$CONF" >/dev/null 2>>"$DLOG" &
	PID=$!
	wait_for 20 test -s "$STATE" || die "keventlogd did not start: $(cat "$DLOG")"
}

# tape DEVICE ATTR VALUE: what the operator (or the drive) does.
tape() {
	echo "  $2 $1${3:+ ($3)}"
	printf '%s\n' "$3" > "$SIM/$1/$2" || die "writing $SIM/$1/$2 failed"
	sleep 0.3
}

# A busy drive: ROUNDS bursts of 10 alternating loads and unloads.
bursts() {
	for _ in $(seq 1 "$1"); do
		echo 10 > "$SIM/0.0.0181/burst"
		sleep 0.3
	done
}

dmesg -n 1
echo "==== kevent demo on $(uname -m), Debian kernel $(uname -r)"
say "An s390 tape driver reports events (tape loaded, unloaded, errors) to the"
say "kernel; keventlogd writes them to the system's logs.  Nothing may be lost,"
say "not even when keventlogd crashes.  Here the drives are simulated."

step "1. Load the modules"
say "kevent.ko: event queues (/dev/kevent).  kevent_s390_log.ko: the s390 driver"
say "event log, a buffer of numbered records (/dev/kevent_s390_log).  kevent_tape_sim.ko:"
say "two simulated 3490 tape drives, 0.0.0180 and 0.0.0181."
for m in kevent kevent_s390_log "kevent_tape_sim devices=2"; do
	# shellcheck disable=SC2086 # the module, then its parameters
	set -- $m
	mod=$1
	shift
	run insmod "$MODDIR/$mod.ko" "$@"
	[ -d "/sys/module/$mod" ] || die "insmod $mod failed"
done

step "2. Start keventlogd"
say "It runs as the unprivileged user keventlog, with no capability: the group"
say "keventlog may read /dev/kevent_s390_log (as the udev rule 60-kevent.rules"
say "makes it), and that is all it needs to read the log and subscribe to it."
echo 'keventlog:x:990:990:keventlogd:/nonexistent:/bin/false' >> /etc/passwd
echo 'keventlog:x:990:' >> /etc/group
chgrp 990 /dev/kevent_s390_log && chmod 0640 /dev/kevent_s390_log
# What StateDirectory= and LogsDirectory= make.
mkdir -p /var/lib/keventlogd /var/log/keventlogd
chown 990:990 /var/lib/keventlogd /var/log/keventlogd
chmod 0750 /var/lib/keventlogd /var/log/keventlogd
cat > "$CONF" <<EOF
# keventlogd.conf: every device, every event, to a JSON-lines file
devices all
events all
wake all
state-file $STATE
output json path=$LOG
EOF
run cat "$CONF"
run keventlogd -t -c "$CONF"
start_daemon
say "  keventlogd is running as pid $PID, $(awk '$1 == "Uid:" { print "uid " $2 }' /proc/$PID/status)."

step "3. The operator loads and unloads tapes"
keventctl monitor --count 6 --timeout 30 2>&1 | sed 's/^/  monitor| /' &
MON=$!
sleep 0.5
tape 0.0.0180 load VOL001
tape 0.0.0181 load VOL002
tape 0.0.0181 intervention "mount VOL003"
tape 0.0.0180 unload ""
tape 0.0.0180 error "sense 10 40 00 00"
tape 0.0.0181 unload ""
wait_for 30 sh -c "! kill -0 $MON 2>/dev/null"
wait "$MON" 2>/dev/null
say "  (keventctl monitor showed them live, like udevadm monitor.)"
wait_for 30 caught_up || die "keventlogd did not catch up"
say "  keventlogd has written records 1..$(saved)."

step "4. A busy drive, and keventlogd is killed"
say "Drive 0.0.0181 reports bursts of loads and unloads; in the middle,"
say "keventlogd dies with SIGKILL: no chance to clean up."
bursts 8 &
GEN=$!
before=$(lines)
wait_for 30 sh -c "[ \$(wc -l < $LOG) -ge $((before + 25)) ]"
kill -9 "$PID"
wait "$PID" 2>/dev/null
say "  killed: it had written $(lines) records and saved position $(saved);"
say "  the kernel was at record $(($(next_seq) - 1))."
wait "$GEN"
say "  While it was dead the bursts went on: the kernel is now at record $(($(next_seq) - 1))."

step "5. Restart keventlogd"
say "It reads its saved position and the end of its JSON log, and goes on"
say "from there: the kernel buffer (4096 records) still holds what it missed."
seen=$(wc -l < "$DLOG")
start_daemon
wait_for 60 caught_up || die "keventlogd did not catch up after the restart"
say "  What keventlogd says about it:"
tail -n +$((seen + 1)) "$DLOG" | sed 's/^keventlogd: /    /'
say "  It has written everything again, up to record $(saved)."
kill -TERM "$PID"
wait_for 20 sh -c "! alive $PID"
wait "$PID"
say "  stopped with SIGTERM, exit status $?."

step "6. The log keventlogd wrote ($LOG)"
say "   seq  time (UTC)                device    event              payload"
sed -n -e 's/^{"type":"event","seq":\([0-9]*\),"time":"\([^"]*\)",.*"device":"\([^"]*\)","event":"\([^"]*\)",.*"payload":"\(.*\)","encoding":.*/\1|\2|\3|\4|\5/p' \
	-e 's/^{"type":"lost".*"message":"\([^"]*\)".*/LOST|\1/p' "$LOG" |
	awk -F'|' '$1 == "LOST" { print "  " $2; next }
		{ printf "  %4d  %sZ  %s  %-17s  %s\n", $1, substr($2, 1, 23), $3, $4, $5 }'
echo
run keventctl status -s "$STATE"

step "Verdict"
last=$(($(next_seq) - 1))
if "$UTIL" json "$LOG" > /tmp/canon 2>/tmp/canon.err &&
   "$UTIL" cover 1 "$last" /tmp/canon > /tmp/cover 2>&1 &&
   ! grep -q '^lost' /tmp/canon; then
	echo "VERDICT: all $last events logged exactly once (sequence 1..$last: no gap, no duplicate, none lost)"
else
	cat /tmp/canon.err /tmp/cover | head -n 20
	echo "VERDICT: FAILED: the log does not hold sequence 1..$last exactly once"
fi
echo "==== kevent demo done"
