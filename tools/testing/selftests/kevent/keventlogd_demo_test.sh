#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_demo_test: the `make demo` story, asserted record by record.
#
#   kevent_tape_sim (2 tapes) --notify--> kevent_s390_log --READ--> keventlogd
#        |  load/unload/error                  4096 records           |
#        |  bursts while keventlogd is                                 v
#        |  killed with SIGKILL and restarted              events.json, stdout
#
# Every record the kernel issued must be in the JSON log exactly once, and
# each must be the report that was made: sequence, device, event, payload.
. "$(dirname "$0")/keventlogd_test_lib.sh"

EXP=$KL_W/expected

# act TAPE ATTR EVENT PAYLOAD: report, and note what the log must say.
act() {
	kl_sim "$1" "$2" "$4" || return 1
	echo "event $(kl_tape_seq "$1") $1 $3 text $(echo "$4" | tr ' ' _) 0" >> "$EXP"
}

# The background load: ROUNDS bursts of 20 on 0.0.0180, noting each
# burst's last sequence number.
bursts() {
	for _r in $(seq 1 "$1"); do
		echo 20 > "$KL_SIM/0.0.0180/burst" || exit 1
		kl_tape_seq 0.0.0180 >> "$KL_W/bursts"
		sleep 0.2
	done
}

# Expected lines of the bursts: alternating loads and unloads, "burst I".
burst_lines() {
	while read -r last; do
		for i in $(seq 0 19); do
			ev=tape_loaded
			[ $((i % 2)) = 1 ] && ev=tape_unloaded
			echo "event $((last - 19 + i)) 0.0.0180 $ev text burst_$i 0"
		done
	done < "$KL_W/bursts"
}

json_lines() { wc -l < "$KL_JSON" 2>/dev/null || echo 0; }
json_has() { [ "$(json_lines)" -ge "$1" ]; }

kl_plan 14
kl_setup
: > "$EXP"
: > "$KL_W/bursts"
kl_check "modules load: kevent_s390_log, kevent_tape_sim devices=2" kl_load
# The two tapes announced themselves at load: records 1 and 2.
echo "event 1 0.0.0180 device_added text type=3490_sim 0" >> "$EXP"
echo "event 2 0.0.0181 device_added text type=3490_sim 0" >> "$EXP"

kl_conf "$KL_W/conf" "devices all" "events all" "wake all" \
	"output json path=$KL_JSON" "output stdout"
kl_check "keventlogd starts and sends READY=1" kl_start "$KL_W/conf"

ok=0
act 0.0.0180 load tape_loaded VOL001 &&
act 0.0.0181 load tape_loaded VOL002 &&
act 0.0.0180 unload tape_unloaded x &&
act 0.0.0181 intervention tape_intervention "mount VOL004" &&
act 0.0.0181 error tape_error "sense 10 40 00 00" &&
act 0.0.0180 load tape_loaded VOL003 &&
act 0.0.0181 unload tape_unloaded y && ok=1
[ "$ok" = 1 ] && kl_ok "loads and unloads on both tapes" ||
	kl_fail "loads and unloads on both tapes"
kl_check "keventlogd caught up with them" kl_caught_up 30

bursts 10 &
gen=$!
before=$(json_lines)
if kl_wait 30 json_has $((before + 30)); then
	kl_kill9
	kl_ok "SIGKILL in the middle of the bursts (JSON had $(json_lines) lines, saved position $(kl_saved))"
else
	kl_kill9
	kl_fail "SIGKILL in the middle of the bursts (the log did not grow)"
fi
wait "$gen"
kl_check "bursts finished while keventlogd was dead" [ "$(wc -l < "$KL_W/bursts")" = 10 ]
burst_lines >> "$EXP"

kl_check "keventlogd restarts" kl_start "$KL_W/conf"
kl_check "and catches up" kl_caught_up 60
kl_check "it resumed from its saved position" grep -q "resuming after sequence" "$KL_W/daemon.log"

last=$(($(kl_next) - 1))
kl_check "the JSON log is valid JSON lines, every field as specified" \
	sh -c "'$KL_UTIL' json '$KL_JSON' > '$KL_W/canon'"
kl_check "every sequence 1..$last is in the JSON log exactly once" \
	kl_cover 1 "$last" "$KL_W/canon"
sort -n -k2 "$EXP" > "$KL_W/exp.sorted"
sort -n -k2 "$KL_W/canon" > "$KL_W/canon.sorted"
kl_check "each record is the report that was made (seq, device, event, payload)" \
	diff "$KL_W/exp.sorted" "$KL_W/canon.sorted"
# stdout cannot be read back after a crash: at least once there.
kl_check "stdout has every sequence at least once" sh -c \
	"[ \$(sed -n 's/.* seq=\([0-9]*\) .*/\1/p' '$KL_W/stdout' | sort -nu | wc -l) = $last ]"
kl_check "SIGTERM stops keventlogd cleanly (exit 0)" kl_stop
kl_done
