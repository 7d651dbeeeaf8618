#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_ctl_test: keventctl, the administrator's side.
#
#   keventctl status   the s390 log's STATS, keventlogd's saved position,
#                      every kevent queue with its ring (fdinfo)
#   keventctl read     the records the buffer holds
#   keventctl monitor  events as they happen, filtered by device and event
. "$(dirname "$0")/keventlogd_test_lib.sh"

RECORD='^ *[0-9]+ [0-9-]+T[0-9:.]+Z [0-9a-f]+\.[0-3]\.[0-9a-f]{4} [a-z_]+ +(hex:)?"[^"]*"( \(truncated\))?$'

status_ok() {
	keventctl status -s "$KL_STATE" > "$KL_W/status" || return 1
	cat "$KL_W/status"
	next=$(kl_next)
	grep -qE "^  buffer +4096 records of 96 bytes" "$KL_W/status" &&
	grep -qE "^  next seq +$next\$" "$KL_W/status" &&
	grep -qE "^  requests +0 for one device, 1 for every device" "$KL_W/status" &&
	grep -qE "^  position +$((next - 1)) \(0 record\(s\) behind\)" "$KL_W/status" &&
	grep -qE "^  pid $KL_PID \(keventlogd\) fd [0-9]+: ring-entries=64 .* requests=1 broken=0" "$KL_W/status"
}

read_ok() {
	keventctl read > "$KL_W/read" || return 1
	[ "$(wc -l < "$KL_W/read")" = $(($(kl_next) - 1)) ] &&
		! grep -vE "$RECORD" "$KL_W/read" &&
		keventctl read --from 3 --count 2 | awk '{ print $1 }' | tr '\n' ' ' |
		grep -qx '3 4 '
}

# monitor OUT ARGS...: keventctl monitor in the background.
monitor() {
	_out=$1
	shift
	keventctl monitor "$@" > "$_out" 2>&1 &
	MPID=$!
	kl_wait 10 grep -q "^monitor: " "$_out"
}

# monitor_done RC: the monitor exits by itself with RC (at most 20 s).
monitor_done() {
	_n=200
	while kl_alive "$MPID" && [ "$_n" -gt 0 ]; do
		sleep 0.1
		_n=$((_n - 1))
	done
	if kl_alive "$MPID"; then
		kill "$MPID"
		wait "$MPID"
		echo "monitor did not exit; it printed:"
		cat "$1"
		return 1
	fi
	wait "$MPID"
	_rc=$?
	[ "$_rc" = "$2" ] || { echo "exit $_rc"; cat "$1"; return 1; }
}

bad_usage() {
	keventctl frobnicate 2> /dev/null
	[ $? = 2 ] || return 1
	keventctl monitor -d 0.0.01x0 2> "$KL_W/err"
	[ $? = 2 ] && grep -q "hint: cssid.ssid.devno" "$KL_W/err"
}

kl_plan 10
kl_setup
kl_check "modules load" kl_load
kl_conf "$KL_W/conf" "devices all" "output json path=$KL_JSON"
kl_check "keventlogd starts" kl_start "$KL_W/conf"
for i in 1 2 3 4 5; do kl_sim 0.0.0180 load "C$i"; done
kl_caught_up 20
kl_check "status: log statistics, keventlogd's position, its queue and ring" status_ok
kl_check "read: every record, one well-formed line each; --from/--count" read_ok

kl_check "monitor --count 3 starts" monitor "$KL_W/mon" --count 3 --timeout 30
kl_sim 0.0.0180 load M1
kl_sim 0.0.0181 error "sense 1"
kl_sim 0.0.0180 unload M2
kl_check "monitor prints the 3 events as they happen and exits 0" \
	monitor_done "$KL_W/mon" 0
kl_check "monitor lines are the records, well formed" sh -c "
	[ \$(grep -cE '$RECORD' '$KL_W/mon') = 3 ] &&
	grep -q 'tape_error  *\"sense 1\"' '$KL_W/mon'"

monitor "$KL_W/mon2" --device 0.0.0181 --events tape_loaded --count 1 --timeout 30
kl_sim 0.0.0180 load NOTME
kl_sim 0.0.0181 unload NOTME
kl_sim 0.0.0181 load ME
monitor_done "$KL_W/mon2" 0
kl_check "monitor --device 0.0.0181 --events tape_loaded: only that one" sh -c "
	grep -E '$RECORD' '$KL_W/mon2' | grep -q '0.0.0181 tape_loaded  *\"ME\"' &&
	[ \$(grep -cE '$RECORD' '$KL_W/mon2') = 1 ]"
kl_check "keventctl with a bad command or bus id: exit 2 and a hint" bad_usage
kl_check "keventlogd stops cleanly" kl_stop
kl_done
