#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_reload_test: SIGHUP while events are flowing loses nothing.
#
#   loads/unloads on two tapes ---> kevent_s390_log ---> keventlogd
#                                                          ^   |
#   10 times, every 0.3 s: swap the configuration, SIGHUP -+   v
#   (wake all/first, every device/a list, +-syslog)         events.json
#
# Each reload adds the new requests before it removes the old ones and
# keeps the read position, so every record is written exactly once.  A
# configuration with a mistake is refused and the running one stays.
. "$(dirname "$0")/keventlogd_test_lib.sh"

RPID=

# Loads and unloads, about a thousand a second at most, until told to stop
# (at most 2000).
generate() {
	for i in $(seq 1 1000); do
		[ -e "$KL_W/stop" ] && exit 0
		kl_sim 0.0.0180 load "R$i" || exit 1
		kl_sim 0.0.0181 unload "U$i" || exit 1
		usleep 2000
	done
}

reloads() { grep -c "reloaded:" "$KL_W/daemon.log"; }

kl_plan 14
kl_setup
kl_check "modules load" kl_load
"$KL_UTIL" recv "unix:$KL_W/syslog.sock" "$KL_W/syslog.out" &
RPID=$!
kl_conf "$KL_W/conf.a" "devices all" "events all" "wake all" \
	"output json path=$KL_JSON"
kl_conf "$KL_W/conf.b" "devices 0.0.0180 0.0.0181" "events all" "wake first" \
	"output json path=$KL_JSON" "sd-id $KT_SD_ID" \
	"output syslog target=unix:$KL_W/syslog.sock format=rfc5424"
cp "$KL_W/conf.a" "$KL_W/conf"
kl_check "keventlogd starts" kl_start "$KL_W/conf"

generate &
gen=$!
n=0
while [ "$n" -lt 10 ]; do
	sleep 0.3
	if [ $((n % 2)) = 0 ]; then
		cp "$KL_W/conf.b" "$KL_W/conf"
	else
		cp "$KL_W/conf.a" "$KL_W/conf"
	fi
	kill -HUP "$KL_PID"
	n=$((n + 1))
done
touch "$KL_W/stop"
wait "$gen"
rc=$?
events=$(($(kl_next) - 3))
kl_check "$events events while keventlogd was reloaded $n times" \
	[ "$rc" = 0 -a "$events" -gt 50 ]
kl_check "every reload took effect" kl_wait 20 sh -c "[ \$(grep -c 'reloaded:' '$KL_W/daemon.log') = $n ]"
kl_check "keventlogd caught up" kl_caught_up 60
last=$(($(kl_next) - 1))
kl_check "every sequence 1..$last is in the JSON log exactly once, none lost" sh -c "
	'$KL_UTIL' json '$KL_JSON' > '$KL_W/canon.json' &&
	'$KL_UTIL' cover 1 $last '$KL_W/canon.json' &&
	! grep -q '^lost' '$KL_W/canon.json'"
kl_check "syslog (on in every other configuration) got well-formed records" sh -c "
	[ -s '$KL_W/syslog.out' ] && '$KL_UTIL' rfc5424 '$KL_W/syslog.out' > /dev/null"

# A mistake in the file: refused, and keventlogd goes on as it was.
printf 'output json\nwake sometimes\n' > "$KL_W/conf"
before=$(reloads)
kill -HUP "$KL_PID"
kl_check "a configuration with mistakes is refused with its errors" \
	kl_wait 20 grep -q "keeping the running configuration" "$KL_W/daemon.log"
kl_check "the refusal names the line" grep -q "conf:2: unknown wake mode 'sometimes'" "$KL_W/daemon.log"
kl_check "no reload was counted for the refused file" [ "$(reloads)" = "$before" ]
kl_sim 0.0.0180 load AFTER
kl_check "and events are still written" kl_caught_up 30

# One request, for 0.0.0181 only.  The device goes away (its request comes
# back broken), comes back, and is loaded: only the request keventlogd
# registered again can have woken it.
kl_conf "$KL_W/conf" "devices 0.0.0181" "output json path=$KL_JSON"
before=$(reloads)
kill -HUP "$KL_PID"
kl_wait 20 sh -c "[ \$(grep -c 'reloaded:' '$KL_W/daemon.log') -gt $before ]"
echo 0.0.0181 > "$KL_SIM/remove"
kl_caught_up 20
echo 0.0.0181 > "$KL_SIM/add"
kl_sim 0.0.0181 load BACK
kl_check "a device that went away and came back is logged again" kl_caught_up 30
kl_check "its removal, return and load are in the JSON log" sh -c "
	'$KL_UTIL' json '$KL_JSON' | tail -n 3 | cut -d' ' -f3,4 | tr '\n' ' ' |
	grep -qx '0.0.0181 device_removed 0.0.0181 device_added 0.0.0181 tape_loaded '"
kl_check "keventlogd stops cleanly" kl_stop
kill "$RPID"
wait "$RPID"
kl_done
