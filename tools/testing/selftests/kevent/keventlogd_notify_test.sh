#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_notify_test: what systemd hears from keventlogd (sd_notify),
# as keventlogd(8) says under "Readiness and state":
#
#   keventlogd --READY=1, STATUS=..., WATCHDOG=1--> $KL_W/notify
#                                                   (a datagram socket,
#                                                    as systemd's)
#
#   - READY=1 comes with STATUS=position N; since start W written, L
#     lost, F left out by the filter;
#   - WATCHDOG_USEC=1000000 (WatchdogSec=1s): WATCHDOG=1 every half
#     second, also while idle;
#   - 40 small bursts over 4 s, each a wakeup of its own: STATUS= at most
#     once a second, and the final position within a second or so;
#   - an output that fails is named in STATUS=, and gone from it once it
#     works again;
#   - without WATCHDOG_USEC, no WATCHDOG=1.
. "$(dirname "$0")/keventlogd_test_lib.sh"

NOTE=$KL_W/notify.out

count() { grep -c "^$1" "$NOTE"; }
last_status() { grep '^STATUS=' "$NOTE" | tail -n 1; }

# has_status TEXT: the last STATUS= is TEXT.
has_status() { last_status | grep -qxF "STATUS=$1"; }

# READY=1 and, in the same datagram, the status.
ready_status() {
	grep -A1 -x 'READY=1' "$NOTE" |
		grep -qx 'STATUS=position 0; since start 0 written, 0 lost, 0 left out by the filter' &&
		return 0
	cat "$NOTE"
	return 1
}

# pings_while_idle SECS MIN MAX: WATCHDOG=1 MIN..MAX times in SECS seconds.
pings_while_idle() {
	_a=$(count WATCHDOG=1)
	sleep "$1"
	_n=$(($(count WATCHDOG=1) - _a))
	echo "$_n WATCHDOG=1 in $1 s"
	[ "$_n" -ge "$2" ] && [ "$_n" -le "$3" ]
}

bursts() {
	for _ in $(seq 1 40); do
		echo 5 > "$KL_SIM/0.0.0180/burst" || return 1
		usleep 100000
	done
}

# has_failing: the last STATUS= names the json output as failing.
has_failing() {
	last_status | grep -q "^STATUS=position [0-9]*; since start .*; output json $KL_W/small/events.json is failing, retrying every 1 s$"
}

# no_pings SECS: READY=1 came, and no WATCHDOG=1 in SECS seconds.
no_pings() {
	sleep "$1"
	grep -qx 'READY=1' "$NOTE" && [ "$(count WATCHDOG=1)" = 0 ]
}

kl_plan 11
kl_setup
kl_check "modules load" kl_load

# The JSON log on a small file system, to make it fail later.
mkdir -p "$KL_W/small"
mount -t tmpfs -o size=1m tmpfs "$KL_W/small"
kl_conf "$KL_W/conf" "devices all" "events tape_loaded tape_unloaded" \
	"output json path=$KL_W/small/events.json"
export WATCHDOG_USEC=1000000
kl_check "keventlogd starts with WATCHDOG_USEC=1000000" kl_start "$KL_W/conf"
unset WATCHDOG_USEC
kl_check "READY=1 with STATUS=position 0; since start 0 written, 0 lost, 0 left out" \
	ready_status
kl_check "idle: WATCHDOG=1 every half second (4 to 7 in 3 s)" \
	pings_while_idle 3 4 7

# 40 bursts of 5 loads and unloads; the tapes' 2 device_added records
# (at insmod) are left out by the filter.
s0=$(count STATUS=)
t0=$(date +%s)
kl_check "40 bursts of 5 records, 0.1 s apart" bursts
kl_caught_up 30
sleep 2
t1=$(date +%s)
last=$(($(kl_next) - 1))
n=$(($(count STATUS=) - s0))
kl_check "40 wakeups in about $((t1 - t0)) s: $n STATUS=, at most one a second" \
	[ "$n" -ge 1 -a "$n" -le $((t1 - t0 + 2)) ]
kl_check "the last STATUS= has the final position and counts" \
	has_status "position $last; since start 200 written, 0 lost, 2 left out by the filter"

dd if=/dev/zero of="$KL_W/small/filler" bs=4k 2>/dev/null
for i in $(seq 1 20); do kl_sim 0.0.0181 load "FULL$i"; done
kl_check "a full file system: STATUS= names the failing output" \
	kl_wait 20 has_failing
rm -f "$KL_W/small/filler"
kl_check "space back: STATUS= has the position again, nothing failing" \
	kl_wait 30 has_status "position $((last + 20)); since start 220 written, 0 lost, 2 left out by the filter"
kl_check "keventlogd stops cleanly" kl_stop

kl_start "$KL_W/conf"
kl_check "without WATCHDOG_USEC: READY=1, and no WATCHDOG=1 in 2 s" no_pings 2
kl_stop
umount "$KL_W/small"
kl_done
