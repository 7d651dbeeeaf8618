#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_crash_test: what a crash can leave behind, made on purpose.
#
#   1. The JSON log is ahead of the saved position (keventlogd died after
#      writing a batch, before saving): the JSON output starts from its
#      own last line and writes nothing twice; stdout, which cannot be read
#      back, gets those records again (at least once).
#   2. The JSON log ends in half a line (died in the middle of a write):
#      the half line is removed, the record written whole.
#   3. The state file is damaged: keventlogd refuses to guess, says so.
#   4. The module was loaded again (a new log starting at 1): the saved
#      position is recognised as another log's, and the new log is read
#      from its start.
#   5. Loaded again, and the new log already holds more records than the
#      saved position: the instance id (STATS) in the state file tells the
#      logs apart, where sequence numbers cannot.
. "$(dirname "$0")/keventlogd_test_lib.sh"

conf() {
	kl_conf "$KL_W/conf" "devices all" "output json path=$KL_JSON" \
		"output stdout"
}

loads() {
	for i in $(seq 1 "$2"); do kl_sim 0.0.0180 load "$1$i" || return 1; done
}

json_once() {
	last=$(($(kl_next) - 1))
	"$KL_UTIL" json "$KL_JSON" > "$KL_W/canon.json" &&
		"$KL_UTIL" cover 1 "$last" "$KL_W/canon.json"
}

# stdout_count SEQ: how often stdout has record SEQ.
stdout_count() { grep -c " seq=$1 " "$KL_W/stdout"; }

kl_plan 21
kl_setup
kl_check "modules load" kl_load
conf
kl_check "keventlogd starts" kl_start "$KL_W/conf"
loads A 20
kl_check "20 loads written" kl_caught_up 30
kl_check "keventlogd stops" kl_stop
cp "$KL_STATE" "$KL_W/state.old"
old=$(kl_saved)

# 1. The JSON log ahead of the state file.
kl_start "$KL_W/conf"
loads B 10
kl_caught_up 30
kl_stop
cp "$KL_W/state.old" "$KL_STATE"
loads C 5
kl_check "restart with the JSON log 10 records ahead of the saved position" \
	kl_start "$KL_W/conf"
kl_check "keventlogd sees how far the JSON log is" kl_wait 10 grep -q \
	"already holds records up to sequence $((old + 10))" "$KL_W/daemon.log"
kl_check "it catches up" kl_caught_up 30
kl_check "the JSON log has every record exactly once" json_once
kl_check "stdout got the 10 records again (at least once there)" \
	[ "$(stdout_count $((old + 1)))" = 2 -a "$(stdout_count $((old + 11)))" = 1 ]
kl_stop

# 2. Half a line at the end.
cp "$KL_W/state.old" "$KL_STATE"
printf '{"type":"event","seq":%d,"time":"20' $(($(kl_next) - 1)) >> "$KL_JSON"
kl_check "restart after a torn last line" kl_start "$KL_W/conf"
kl_check "the torn line is removed" kl_wait 10 grep -q \
	"removed an unfinished last line" "$KL_W/daemon.log"
kl_caught_up 30
kl_check "the JSON log is valid and has every record exactly once" json_once
kl_stop

# 3. A damaged state file.
echo "last-seq banana" > "$KL_STATE"
keventlogd -c "$KL_W/conf" > /dev/null 2> "$KL_W/err"
rc=$?
kl_check "a damaged state file: exit 1 with what and how to fix it" sh -c "
	[ $rc = 1 ] && grep -q 'state file .* is damaged' '$KL_W/err' &&
	grep -q 'hint: remove it' '$KL_W/err'" 

# 4. The module loaded again: a new log, whose sequence numbers start at 1
# again.  The JSON log keeps the old log's records and gets the new ones.
cp "$KL_W/state.old" "$KL_STATE"
kl_load
kl_sim 0.0.0181 load NEWLOG
kl_check "after the module was loaded again" kl_start "$KL_W/conf"
kl_check "the old position is recognised as another log's" kl_wait 10 grep -q \
	"saved position $old not used: .*loaded again" "$KL_W/daemon.log"
kl_check "and so is the JSON log's end" grep -q "of an earlier log: appending" \
	"$KL_W/daemon.log"
kl_caught_up 30
kl_check "the new log's 3 records follow the old ones" sh -c "
	'$KL_UTIL' json '$KL_JSON' | tail -n 3 | cut -d' ' -f2,4,6 | tr '\n' ' ' |
	grep -qx '1 device_added type=3490_sim 2 device_added type=3490_sim 3 tape_loaded NEWLOG '"

# 5. Saved: position 3 of this load.  The next load gets 7 records first.
kl_stop
before=$("$KL_UTIL" instance)
kl_check "the state file keys position 3 by this load's instance" sh -c "
	grep -qx 'instance $before' '$KL_STATE' && grep -qx 'last-seq 3' '$KL_STATE'"
kl_load
after=$("$KL_UTIL" instance)
loads AGAIN 5
kl_check "after another load, with 7 records already" kl_start "$KL_W/conf"
kl_check "position 3 is not applied to the new log: another instance" \
	kl_wait 10 grep -qF \
	"saved position 3 not used: it is from another load of kevent_s390_log (instance $before, now $after)" \
	"$KL_W/daemon.log"
kl_caught_up 30
kl_check "the new log's 7 records, from 1, with its instance id, follow" sh -c "
	[ \$(tail -n 7 '$KL_JSON' | grep -c '\"instance\":\"$after\"') = 7 ] &&
	'$KL_UTIL' json '$KL_JSON' | tail -n 7 | cut -d' ' -f2 | tr '\n' ' ' |
	grep -qx '1 2 3 4 5 6 7 '"
kl_done
