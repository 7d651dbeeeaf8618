#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_lost_test: losses are reported exactly, and only real ones.
# kevent_s390_log holds 64 records here.
#
#   a) keventlogd stopped, a burst of 200 arrives: the 136 that were
#      overwritten are "lost 136 events (sequence P+1..P+136)", the 64
#      left are written.
#   b) keventlogd running but not scheduled (SIGSTOP) while a burst of
#      200 wraps the buffer between two of its reads: the same, exactly.
#   c) keventlogd running and stuck on a syslog receiver that stopped
#      reading (the send blocks), while a burst wraps the buffer: it goes
#      on once the receiver reads again, and reports exactly what was
#      overwritten meanwhile: from after its last written record to the
#      oldest one left.
#   d) the receiver stays stopped past keventlogd's send timeout: the
#      output fails, nothing is committed, keventlogd retries, and once the
#      receiver works again every record is there once.
#   e) a payload longer than a record holds is truncated and flagged,
#      never counted as lost.
# After all of it, every sequence number is exactly once in the JSON log
# and in syslog: written, or inside a lost range.
. "$(dirname "$0")/keventlogd_test_lib.sh"

RPID=

burst() { echo "$2" > "$KL_SIM/$1/burst"; }

receiver() {
	"$KL_UTIL" recv "unix:$KL_W/syslog.sock" "$KL_W/syslog.out" &
	RPID=$!
	kl_wait 5 test -e "$KL_W/syslog.out"
}

# has_lost FIRST LAST COUNT: the JSON log and syslog both report it.
has_lost() {
	kl_canon_json > "$KL_W/canon.json" || return 1
	grep -qx "lost $1 $2 $3" "$KL_W/canon.json" ||
		{ echo "JSON has no 'lost $1 $2 $3':"; grep lost "$KL_W/canon.json"; return 1; }
	"$KL_UTIL" rfc5424 "$KL_W/syslog.out" > "$KL_W/canon.syslog" || return 1
	grep -qx "lost $1 $2 $3" "$KL_W/canon.syslog" ||
		{ echo "syslog has no 'lost $1 $2 $3'"; return 1; }
	grep -q "lost $3 events (sequence $1..$2)" "$KL_W/daemon.log" ||
		{ echo "no diagnostic 'lost $3 events (sequence $1..$2)'"; return 1; }
}

# stuck_gap P: case c).  keventlogd read the first burst (P+1..P+50), or
# most of it (on SMP it may have read while the burst was being stored),
# and was blocked sending it when the second burst wrapped the buffer: the
# records from its position to P+186 are gone.  The gap must start right
# after the last record it wrote, end at P+186, and count exactly that.
stuck_gap() {
	kl_canon_json > "$KL_W/canon.json" || return 1
	set -- $(grep '^lost ' "$KL_W/canon.json" | tail -n 1) "$1"
	echo "newest gap: $1 $2 $3 $4; before it: P=$5"
	[ "$1" = lost ] && [ "$3" = $(($5 + 186)) ] &&
		[ "$2" -ge $(($5 + 1)) ] && [ "$2" -le $(($5 + 51)) ] &&
		[ "$4" = $(($3 - $2 + 1)) ] || return 1
	[ "$2" = $(($5 + 1)) ] || grep -q "^event $(($2 - 1)) " "$KL_W/canon.json" || return 1
	has_lost "$2" "$3" "$4"
}

# The newest JSON line is the truncated record: 64 of its 100 bytes.
truncated_last() {
	kl_caught_up 30 || return 1
	"$KL_UTIL" json "$KL_JSON" | tail -n 1 > "$KL_W/last" || return 1
	grep -q " tape_loaded text 0\{64\} 1\$" "$KL_W/last" || { cat "$KL_W/last"; return 1; }
	! grep -q "^lost" "$KL_W/last"
}

kl_plan 20
kl_setup
kl_check "kevent_s390_log loads with a 64-record buffer" kl_load records=64
kl_check "a syslog receiver listens" receiver
kl_conf "$KL_W/conf" "devices all" "events all" "output json path=$KL_JSON" \
	"sd-id $KT_SD_ID" "output syslog target=unix:$KL_W/syslog.sock format=rfc5424"
kl_check "keventlogd starts" kl_start "$KL_W/conf"
for i in $(seq 1 10); do kl_sim 0.0.0180 load "V$i"; done
kl_check "10 loads are written" kl_caught_up 30

# a) stopped
kl_check "keventlogd stops cleanly" kl_stop
p=$(kl_saved)
burst 0.0.0180 200
kl_check "keventlogd restarts after a burst of 200 while it was stopped" \
	kl_start "$KL_W/conf"
kl_check "it catches up" kl_caught_up 30
kl_check "stopped: exactly 'lost 136 events (sequence $((p + 1))..$((p + 136)))'" \
	has_lost $((p + 1)) $((p + 136)) 136

# b) running, not scheduled
p=$(kl_saved)
kill -STOP "$KL_PID"
burst 0.0.0181 200
kill -CONT "$KL_PID"
kl_check "SIGSTOP, a burst of 200, SIGCONT: it catches up" kl_caught_up 30
kl_check "running: exactly 'lost 136 events (sequence $((p + 1))..$((p + 136)))'" \
	has_lost $((p + 1)) $((p + 136)) 136

# c) stuck on its output while the buffer wraps
p=$(kl_saved)
kill -STOP "$RPID"
burst 0.0.0180 50
sleep 1
burst 0.0.0180 200
sleep 1
kill -CONT "$RPID"
kl_check "a stuck syslog receiver and a burst: it catches up" kl_caught_up 30
kl_check "stuck output: exactly the overwritten records are lost, up to $((p + 186))" \
	stuck_gap "$p"

# d) the output fails (send timeout), nothing is committed, then recovers
kill -STOP "$RPID"
for i in $(seq 1 30); do kl_sim 0.0.0181 load "W$i"; done
kl_check "a receiver stopped for longer than the send timeout: 'failed'" \
	kl_wait 20 grep -q "output syslog unix:.*failed: Connection timed out" "$KL_W/daemon.log"
kl_check "nothing written past the failure is committed" \
	[ "$(kl_saved)" -lt "$(($(kl_next) - 1))" ]
kill -CONT "$RPID"
kl_check "once it reads again, keventlogd catches up" kl_caught_up 30
kl_check "and says the output works again" grep -q "output syslog .*working again" "$KL_W/daemon.log"

# e) truncation is no loss
kl_sim 0.0.0180 load "$(printf '%0100d' 7)"
kl_check "a 100-byte payload is truncated and flagged, not lost" truncated_last

last=$(($(kl_next) - 1))
kl_check "keventlogd stops cleanly" kl_stop
kill "$RPID"
wait "$RPID"
kl_check "JSON: every sequence 1..$last exactly once, written or lost" sh -c "
	'$KL_UTIL' json '$KL_JSON' > '$KL_W/canon.json' &&
	'$KL_UTIL' cover 1 $last '$KL_W/canon.json'"
kl_check "syslog: every sequence 1..$last exactly once, written or lost" sh -c "
	'$KL_UTIL' rfc5424 '$KL_W/syslog.out' > '$KL_W/canon.syslog' &&
	'$KL_UTIL' cover 1 $last '$KL_W/canon.syslog'"
kl_done
