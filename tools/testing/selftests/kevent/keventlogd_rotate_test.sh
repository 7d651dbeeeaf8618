#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_rotate_test: the JSON log rotated while events flow, as
# dist/logrotate/keventlogd does it, loses and doubles nothing.
#
#   loads on two tapes ---> kevent_s390_log ---> keventlogd ---> events.json
#                                                    ^
#   1. mv events.json events.json.1; SIGHUP --------+  (what keventlogd
#   2. mv events.json events.json.2; create the new    creates, or
#      file 0640 as logrotate's "create"; SIGHUP        logrotate's file)
#
#   events.json.1 + events.json.2 + events.json (oldest first): every
#   record once, each file begins where the one before ends.
#
#   3. copytruncate (not shipped, but admins use it): the file is copied
#      and emptied under keventlogd.  The next lines go to its start:
#      whole lines, no hole of NUL bytes where the old offset was.
. "$(dirname "$0")/keventlogd_test_lib.sh"

# Loads until told to stop (at most 1000), a few hundred a second.
generate() {
	for i in $(seq 1 1000); do
		[ -e "$KL_W/stop" ] && exit 0
		kl_sim 0.0.0180 load "R$i" || exit 1
		kl_sim 0.0.0181 unload "U$i" || exit 1
		usleep 3000
	done
}

reloads() { grep -c "reloaded:" "$KL_W/daemon.log"; }

# rotate N [create]: events.json -> events.json.N, SIGHUP, wait for it.
rotate() {
	_before=$(reloads)
	mv "$KL_JSON" "$KL_JSON.$1" || return 1
	if [ -n "$2" ]; then
		: > "$KL_JSON" && chmod 0640 "$KL_JSON" || return 1
	fi
	kill -HUP "$KL_PID"
	kl_wait 20 sh -c "[ \$(grep -c 'reloaded:' '$KL_W/daemon.log') -gt $_before ]"
}

# first_seq FILE / last_seq FILE: of a JSON log (events only here).
first_seq() { "$KL_UTIL" json "$1" | head -n 1 | cut -d' ' -f2; }
last_seq() { "$KL_UTIL" json "$1" | tail -n 1 | cut -d' ' -f2; }

kl_plan 13
kl_setup
kl_check "modules load" kl_load
kl_conf "$KL_W/conf" "devices all" "events all" "output json path=$KL_JSON sync=yes"
kl_check "keventlogd starts" kl_start "$KL_W/conf"

# past N: the log holds more than N records.  The rotations wait for
# records, not for time: a slow guest (a debug kernel on a busy host)
# generates fewer a second.
past() { [ "$(($(kl_next) - 1))" -gt "$1" ]; }

generate &
gen=$!
kl_wait 60 past 40
kl_check "rotated by renaming, SIGHUP: keventlogd creates the new file" rotate 1
kl_wait 60 past 80
kl_check "rotated by renaming, the new file made as logrotate's create, SIGHUP" \
	rotate 2 create
kl_wait 60 past 120
touch "$KL_W/stop"
wait "$gen"
rc=$?
kl_check "keventlogd caught up" kl_caught_up 60
last=$(($(kl_next) - 1))
kl_check "$last records while the log was rotated twice" [ "$rc" = 0 -a "$last" -gt 100 ]
kl_check "each file holds records" sh -c "
	[ -s '$KL_JSON.2' ] && [ -s '$KL_JSON.1' ] && [ -s '$KL_JSON' ]"
kl_check "every sequence 1..$last once across the three files, none lost" sh -c "
	cat '$KL_JSON.1' '$KL_JSON.2' '$KL_JSON' > '$KL_W/all.json' &&
	'$KL_UTIL' json '$KL_W/all.json' > '$KL_W/canon.json' &&
	'$KL_UTIL' cover 1 $last '$KL_W/canon.json' &&
	! grep -q '^lost' '$KL_W/canon.json'"
boundaries() {
	[ $(($(last_seq "$KL_JSON.1") + 1)) = "$(first_seq "$KL_JSON.2")" ] &&
		[ $(($(last_seq "$KL_JSON.2") + 1)) = "$(first_seq "$KL_JSON")" ]
}
kl_check "each new file begins right after the one before it ends" boundaries
kl_check "the file keventlogd made is 0640" sh -c "
	[ \$(stat -c %a '$KL_JSON.2') = 640 ]"

# 3. copytruncate, between two batches.
cp "$KL_JSON" "$KL_JSON.ct"
: > "$KL_JSON"
kl_sim 0.0.0180 load AFTER-TRUNCATE
kl_check "after copytruncate: the next record is written" kl_caught_up 30
kl_check "the emptied file holds just that line, at its start" sh -c "
	[ \$(wc -l < '$KL_JSON') = 1 ] && [ \$(wc -c < '$KL_JSON') -lt 1000 ] &&
	[ \$(tr -d '\\000' < '$KL_JSON' | wc -c) = \$(wc -c < '$KL_JSON') ] &&
	'$KL_UTIL' json '$KL_JSON' | grep -q ' $((last + 1)) 0.0.0180 tape_loaded text AFTER-TRUNCATE '"
kl_check "keventlogd stops cleanly" kl_stop
kl_done
