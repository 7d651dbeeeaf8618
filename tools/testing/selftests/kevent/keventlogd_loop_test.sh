#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_loop_test: keventlogd waits for everything through its one
# kevent queue, as keventlogd(8) says under "The event loop":
#
#   log requests (KEVENT_S390_LOG) --+
#   signalfd (KEVENT_POLL)  ---------+--> /dev/kevent --> ioctl(KEVENT_IOC_WAIT)
#   retry, watchdog, STATUS=         |                    (its only sleep)
#     (KEVENT_TIMER) ----------------+
#
#   - idle, and stalled on a full file system, it sleeps in
#     ioctl(KEVENT_IOC_WAIT) on /dev/kevent (/proc/PID/syscall), and
#     SIGHUP (a reload) and SIGTERM reach it there: stalled with
#     retry-seconds 600, nothing but the signal can have woken it;
#   - after an output failure it tries again when its retry timer
#     expires, retry-seconds later, and not before, with no other event;
#   - WATCHDOG=1 goes on while it is stalled;
#   - a kevent.ko without KEVENT_TIMER and KEVENT_POLL (keventlogd_test_util
#     oldkevent refuses their ADD as such a module did) stops it at start
#     with a hint; a kernel without seccomp filters (the debug kernels'
#     minimal config) cannot play such a module: skipped, and said.
. "$(dirname "$0")/keventlogd_test_lib.sh"

FULL=$KL_W/small/filler
JSON=$KL_W/small/events.json

# conf FILE RETRY-SECONDS: every device, to the JSON file on the small
# file system.
conf() {
	printf '%s\n' "state-file $KL_STATE" "retry-seconds $2" "devices all" \
		"output json path=$JSON" > "$1"
}

cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }
sleeps() { "$KL_UTIL" sleeps "$KL_PID"; }
reloads() { grep -c "reloaded:" "$KL_W/daemon.log"; }
pings() { grep -c '^WATCHDOG=1' "$KL_W/notify.out"; }

# sleeps_in_wait: within 5 s, keventlogd is found asleep in the queue's
# WAIT (it may be running for a moment); says where it was otherwise.
sleeps_in_wait() { kl_wait 5 sleeps || sleeps; }

# reloaded_from N: a reload beyond the N counted before, within 10 s.
reloaded_from() { kl_wait 10 sh -c "[ \$(grep -c 'reloaded:' '$KL_W/daemon.log') -gt $1 ]"; }

# fill_and_fail N: the file system full, records that cannot be written
# (20: the JSON file's last page has room for a few), and keventlogd
# saying so (again: daemon.log holds N-1 such).
fill_and_fail() {
	dd if=/dev/zero of="$FULL" bs=1k count=64 2>/dev/null
	for _i in $(seq 1 20); do kl_sim 0.0.0180 load "FULL$1.$_i"; done
	kl_wait 20 sh -c "[ \$(grep -c 'write of sequence .* failed: No space left on device' '$KL_W/daemon.log') -ge $1 ]"
}

# pings_while SECS MIN MAX: WATCHDOG=1 MIN..MAX times in SECS seconds.
pings_while() {
	_a=$(pings)
	sleep "$1"
	_n=$(($(pings) - _a))
	echo "$_n WATCHDOG=1 in $1 s"
	[ "$_n" -ge "$2" ] && [ "$_n" -le "$3" ]
}

not_caught_up() { ! kl_is_caught_up; }

caught_up_once() { kl_caught_up 20 && json_once; }

# old_module: keventlogd under oldkevent exits 1 with the message and hint.
old_module() {
	cat "$KL_W/old.out"
	echo "exit $OLD_RC"
	[ "$OLD_RC" = 1 ] &&
		grep -q 'has no KEVENT_POLL and KEVENT_TIMER' "$KL_W/old.out" &&
		grep -q 'hint: kevent.ko is older than this keventlogd' "$KL_W/old.out"
}

json_once() {
	"$KL_UTIL" json "$JSON" > "$KL_W/canon" &&
		"$KL_UTIL" cover 1 "$(($(kl_next) - 1))" "$KL_W/canon"
}

# stops_within SECS RC MESSAGE: SIGTERM; keventlogd exits RC within SECS
# seconds, having logged MESSAGE.
stops_within() {
	_t0=$(cs)
	kill -TERM "$KL_PID"
	kl_wait "$1" sh -c "! [ -d /proc/$KL_PID ] || grep -q '^State:[[:space:]]*Z' /proc/$KL_PID/status"
	_dt=$(($(cs) - _t0))
	kl_reap
	_rc=$?
	echo "exit $_rc after $_dt cs"
	[ "$_rc" = "$2" ] && [ "$_dt" -le $(($1 * 100)) ] &&
		grep -q "$3" "$KL_W/daemon.log"
}

kl_plan 18
kl_setup
kl_check "modules load" kl_load
mkdir -p "$KL_W/small"
mount -t tmpfs -o size=16k tmpfs "$KL_W/small"

# Idle, then stalled with retry-seconds 4.
conf "$KL_W/conf" 4
kl_check "keventlogd starts (retry-seconds 4)" kl_start "$KL_W/conf"
kl_caught_up 20
kl_check "idle: it sleeps in ioctl(KEVENT_IOC_WAIT) on /dev/kevent" sleeps_in_wait
n=$(reloads)
kill -HUP "$KL_PID"
kl_check "idle: SIGHUP reaches it there: reloaded" reloaded_from "$n"
kl_check "and it sleeps in the queue again" sleeps_in_wait

kl_check "a full file system: the write fails" fill_and_fail 1
t0=$(cs)
rm -f "$FULL"
sleep 1
kl_check "space back, no event: not retried a second later ($(($(cs) - t0)) cs)" \
	not_caught_up
kl_check "stalled: it sleeps in ioctl(KEVENT_IOC_WAIT)" sleeps_in_wait
kl_check "its retry timer expires: caught up with no other event" kl_caught_up 20
kl_diag "caught up $(($(cs) - t0)) cs after the failure was seen (retry-seconds 4)"
kl_check "idle: SIGTERM reaches it: exit 0 within 10 s" \
	stops_within 10 0 "stopped at sequence"

# Stalled for long: retry-seconds 600, a watchdog.
conf "$KL_W/conf" 600
export WATCHDOG_USEC=1000000
kl_check "keventlogd starts (retry-seconds 600, WATCHDOG_USEC=1000000)" \
	kl_start "$KL_W/conf"
unset WATCHDOG_USEC
kl_caught_up 20
kl_check "a full file system: the write fails" fill_and_fail 2
kl_check "stalled: it sleeps in ioctl(KEVENT_IOC_WAIT)" sleeps_in_wait
kl_check "stalled: WATCHDOG=1 every half second (4 to 7 in 3 s)" pings_while 3 4 7
n=$(reloads)
kill -HUP "$KL_PID"
kl_check "stalled: SIGHUP reaches it: reloaded (the retry is 600 s away)" \
	reloaded_from "$n"
kl_check "stalled: SIGTERM reaches it: exit 1 within 10 s, records not written said" \
	stops_within 10 1 "stopping with records after sequence"
rm -f "$FULL"
conf "$KL_W/conf" 4
kl_start "$KL_W/conf"
kl_check "started again with space: every record once in the JSON log" \
	caught_up_once
kl_stop

# A kevent.ko from before KEVENT_TIMER and KEVENT_POLL.
timeout 20 "$KL_UTIL" oldkevent keventlogd -c "$KL_W/conf" > /dev/null 2> "$KL_W/old.out"
OLD_RC=$?
if [ "$OLD_RC" = 4 ]; then
	kl_skip "a kevent.ko without KEVENT_TIMER and KEVENT_POLL" \
		"this kernel has no seccomp filters to play one with"
else
	kl_check "a kevent.ko without KEVENT_TIMER and KEVENT_POLL: exit 1, said, with a hint" \
		old_module
fi
umount "$KL_W/small"
kl_done
