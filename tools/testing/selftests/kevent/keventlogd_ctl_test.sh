#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_ctl_test: keventctl, the administrator's side.
#
#   keventctl status   the s390 log's STATS and instance, keventlogd's
#                      saved position, every kevent queue with its ring
#   keventctl read     the records the buffer holds; -f follows
#   keventctl monitor  events as they happen, filtered by device and event
#
# in each --format: text, json (checked by keventlogd_test_util flat, a
# strict parser, which also turns it into pairs) and pairs, against
# keventctl(8)'s OUTPUT section (installed beside the tests): the json and
# pairs keys written are the ones it lists.
. "$(dirname "$0")/keventlogd_test_lib.sh"
# shellcheck disable=SC2317 # the checks run through kl_check

RECORD='^ *[0-9]+ [0-9-]+T[0-9:.]+Z [0-9a-f]+\.[0-3]\.[0-9a-f]{4} [a-z_]+ +(hex:)?"[^"]*"( \(truncated\))?$'
UUID='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
MAN=$KL_DIR/keventctl.8

# doc_keys SCOPE: the keys keventctl(8) lists that start with SCOPE.
doc_keys() {
	sed -n '/^\.SH OUTPUT/,/^\.SH /p' "$MAN" |
		grep -E '^(meta\.|status\.|records\[\]\.)' |
		awk -v s="$1" 'index($1, s) == 1 { print $1 }' | sort -u
}

# keys FILE: the keys of the pairs in FILE, list indexes made [].
keys() { sed -e 's/=.*//' -e 's/\[[0-9]*\]/[]/g' "$1" | sort -u; }

# keys_are FILE SCOPE...: FILE's keys are exactly the documented ones.
keys_are() {
	_f=$1
	shift
	for _s in "$@"; do doc_keys "$_s"; done | sort -u > "$KL_W/doc.keys"
	keys "$_f" > "$KL_W/out.keys"
	if [ -s "$KL_W/doc.keys" ] && cmp -s "$KL_W/doc.keys" "$KL_W/out.keys"; then
		return 0
	fi
	echo "documented:"; cat "$KL_W/doc.keys"
	echo "written:"; cat "$KL_W/out.keys"
	return 1
}

# same_pairs A B: equal but for meta.time and meta.time_epoch (the clock).
same_pairs() {
	grep -v '^meta\.time' "$1" > "$KL_W/a.cmp"
	grep -v '^meta\.time' "$2" > "$KL_W/b.cmp"
	cmp -s "$KL_W/a.cmp" "$KL_W/b.cmp" || { diff "$KL_W/a.cmp" "$KL_W/b.cmp"; return 1; }
}

# pair FILE KEY: the value of KEY in a pairs file.
pair() { grep "^$2=" "$1" | sed 's/^[^=]*=//'; }

# meta_ok FILE: the meta fields of a pairs (or flattened JSON) file.
meta_ok() {
	[ "$(pair "$1" meta.api_level)" = 1 ] &&
	[ "$(pair "$1" meta.version)" = "\"$(keventctl --version | awk '{ print $2 }')\"" ] &&
	[ "$(pair "$1" meta.host)" = "\"$(hostname)\"" ] &&
	pair "$1" meta.time_epoch | grep -qE '^[0-9]+$' &&
	pair "$1" meta.time | grep -qE '^"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"$'
}

status_ok() {
	keventctl status -s "$KL_STATE" > "$KL_W/status" || return 1
	cat "$KL_W/status"
	next=$(kl_next)
	grep -qE "^  instance +$UUID\$" "$KL_W/status" &&
	grep -qE "^  buffer +4096 records of 96 bytes" "$KL_W/status" &&
	grep -qE "^  records +$((next - 1)), sequence 1\.\.$((next - 1))\$" "$KL_W/status" &&
	grep -qE "^  next seq +$next\$" "$KL_W/status" &&
	grep -qE "^  requests +0 for one device, 1 for every device" "$KL_W/status" &&
	grep -qE "^  node +uid [0-9]+ gid [0-9]+ mode 0[0-7]{3}\$" "$KL_W/status" &&
	grep -qE "^  position +$((next - 1)) \(0 record\(s\) behind\)" "$KL_W/status" &&
	grep -qE "^  pid $KL_PID \(keventlogd\) fd [0-9]+: ring-entries=64 tail=[0-9]+ committed=[0-9]+ backlog=0 requests=2 broken=0\$" "$KL_W/status"
}

# Idle, keventlogd's queue holds its log request and its signalfd's
# (keventlogd(8), "The event loop"); a STATUS= timer, one-shot, only for
# the second before a new status is sent.
status_ok_idle() { kl_wait 5 status_ok || status_ok; }

status_unknown_position() {
	keventctl status -s "$KL_W/nonexistent" > "$KL_W/status.nopos" &&
	grep -qx "  position     unknown: No such file or directory" "$KL_W/status.nopos"
}

# status --format json: one object over several lines, strictly valid;
# its fields are the documented ones; --format pairs says the same.
status_json() {
	keventctl status -s "$KL_STATE" --format json > "$KL_W/status.json" &&
	keventctl status -s "$KL_STATE" --format pairs > "$KL_W/status.pairs" || return 1
	[ "$(wc -l < "$KL_W/status.json")" -gt 40 ] &&
	head -n 1 "$KL_W/status.json" | grep -qx '{' || return 1
	"$KL_UTIL" flat "$KL_W/status.json" > "$KL_W/status.flat" || return 1
	keys_are "$KL_W/status.flat" meta. status. &&
	same_pairs "$KL_W/status.flat" "$KL_W/status.pairs" &&
	meta_ok "$KL_W/status.pairs"
}

# The values agree with the text: instance, next_seq, position, the queue.
status_values() {
	p=$KL_W/status.pairs
	uuid=$(awk '$1 == "instance" { print $2 }' "$KL_W/status")
	mode=$(awk '$1 == "node" { print $7 }' "$KL_W/status")
	# The instance as the raw STATS ioctl gives it (keventlogd_test_util).
	[ "$uuid" = "$("$KL_UTIL" instance)" ] &&
	echo "$uuid" | grep -qE "^$UUID\$" &&
	[ "$(pair "$p" status.log.instance)" = "\"$uuid\"" ] &&
	[ "$(pair "$p" status.log.node_mode)" = "\"$mode\"" ] &&
	[ "$(pair "$p" status.log.next_seq)" = "$(kl_next)" ] &&
	[ "$(pair "$p" status.log.record_size)" = 96 ] &&
	[ "$(pair "$p" status.keventlogd.position)" = $(($(kl_next) - 1)) ] &&
	[ "$(pair "$p" status.keventlogd.behind)" = 0 ] &&
	[ "$(pair "$p" status.keventlogd.error)" = "" ] &&
	[ "$(pair "$p" status.queues_complete)" = true ] &&
	grep -qx "status.queues\[[0-9]*\].pid=$KL_PID" "$p" &&
	grep -qx 'status.queues\[[0-9]*\].comm="keventlogd"' "$p"
}

read_ok() {
	keventctl read > "$KL_W/read" || return 1
	[ "$(wc -l < "$KL_W/read")" = $(($(kl_next) - 1)) ] &&
		! grep -vE "$RECORD" "$KL_W/read" &&
		keventctl read --from 3 --count 2 | awk '{ print $1 }' | tr '\n' ' ' |
		grep -qx '3 4 '
}

# Numbers are decimal: 010 is ten; 0x10 is refused, naming 16.
read_decimal() {
	keventctl read -S 010 -n 1 | awk '{ print $1 }' | grep -qx 10 || return 1
	keventctl read -S 0x10 2> "$KL_W/err"
	[ $? = 2 ] && grep -q "'0x10' is hexadecimal" "$KL_W/err" &&
		grep -q "hint: write it in decimal digits: 16" "$KL_W/err"
}

# read in json (JSON lines) and pairs: the same records as the text.
read_formats() {
	keventctl read --format json > "$KL_W/read.json" &&
	keventctl read --format pairs > "$KL_W/read.pairs" || return 1
	n=$(($(kl_next) - 1))
	[ "$(wc -l < "$KL_W/read.json")" = $((n + 1)) ] &&
	head -n 1 "$KL_W/read.json" | grep -q '^{"meta":{"api_level":1,' || return 1
	"$KL_UTIL" flat "$KL_W/read.json" records > "$KL_W/read.flat" || return 1
	same_pairs "$KL_W/read.flat" "$KL_W/read.pairs" && meta_ok "$KL_W/read.pairs" &&
	[ "$(grep -c '^records\[[0-9]*\]\.type="event"$' "$KL_W/read.pairs")" = "$n" ] ||
		return 1
	# Sequence 1 and 2 are the simulated tapes' device_added.
	if [ "$(pair "$KL_W/read.pairs" "records\[4\].seq")" != 5 ] ||
	   [ "$(pair "$KL_W/read.pairs" "records\[4\].device")" != '"0.0.0180"' ] ||
	   [ "$(pair "$KL_W/read.pairs" "records\[4\].payload")" != '"C3"' ] ||
	   [ "$(pair "$KL_W/read.pairs" "records\[4\].truncated")" != false ]; then
		head -n 3 "$KL_W/read.json"
		grep '^records\[4\]' "$KL_W/read.pairs"
		return 1
	fi
	# No loss here: the documented keys but a loss's own.
	{ doc_keys meta.; doc_keys 'records[]' | grep -vE '\.(first|last|lost)$'; } |
		sort -u > "$KL_W/read.doc"
	keys "$KL_W/read.pairs" > "$KL_W/read.keys"
	cmp -s "$KL_W/read.doc" "$KL_W/read.keys" || diff "$KL_W/read.doc" "$KL_W/read.keys"
}

# monitor OUT ARGS...: keventctl monitor in the background; stdout to OUT,
# stderr to OUT.err.
monitor() {
	_out=$1
	shift
	keventctl monitor "$@" > "$_out" 2> "$_out.err" &
	MPID=$!
	kl_wait 10 grep -q "^monitor: " "$_out.err"
}

# monitor_done OUT RC: the monitor exits by itself with RC (at most 20 s).
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
		cat "$1" "$1.err"
		return 1
	fi
	wait "$MPID"
	_rc=$?
	[ "$_rc" = "$2" ] || { echo "exit $_rc"; cat "$1" "$1.err"; return 1; }
}

# lines_at_least FILE N
lines_at_least() { [ "$(wc -l < "$1")" -ge "$2" ]; }

bad_usage() {
	keventctl frobnicate 2> /dev/null
	[ $? = 2 ] || return 1
	keventctl monitor -d 0.0.01x0 2> "$KL_W/err"
	[ $? = 2 ] && grep -q "hint: a bus id is cssid.ssid.devno in hex, like 0.0.0180, or the device number alone, like 0180" "$KL_W/err" || return 1
	keventctl monitor -d 0.0.0183-0.0.0180 2> "$KL_W/err"
	[ $? = 2 ] && grep -q "runs backwards" "$KL_W/err" &&
		grep -q "hint: lowest first: 0.0.0180-0.0.0183" "$KL_W/err" || return 1
	keventctl monitor -d 0.0.0180-0.1.0183 2> "$KL_W/err"
	[ $? = 2 ] && grep -q "crosses subchannel sets" "$KL_W/err" || return 1
	keventctl read -f 12 2> "$KL_W/err"
	[ $? = 2 ] && grep -q "hint: -f is --follow (like tail -f); to start at a sequence number use -S 12" "$KL_W/err" || return 1
	keventctl status --format yaml 2> "$KL_W/err"
	[ $? = 2 ] && grep -q "hint: --format text, json or pairs" "$KL_W/err"
}

reload64() { kl_load records=64 && echo 70 > "$KL_SIM/0.0.0180/burst"; }

# After a reload with a 64-record buffer and 72 records (2 device_added,
# 70 loads), read -S 1 shows the 8 overwritten ones as a loss, in each
# format.
lost_formats() {
	keventctl read -S 1 > "$KL_W/lost.txt" &&
	keventctl read -S 1 --format json > "$KL_W/lost.json" &&
	keventctl read -S 1 --format pairs > "$KL_W/lost.pairs" || return 1
	if [ "$(kl_next)" != 73 ] || ! head -n 1 "$KL_W/lost.txt" |
		grep -qx '       - lost 8 record(s): sequence 1\.\.8 were overwritten before they were read' ||
	   [ "$(grep -cE "$RECORD" "$KL_W/lost.txt")" != 64 ] ||
	   ! sed -n 2p "$KL_W/lost.json" | grep -qxF '{"type":"lost","first":1,"last":8,"lost":8}'; then
		head -n 2 "$KL_W/lost.txt" "$KL_W/lost.json"
		wc -l "$KL_W/lost.txt"
		return 1
	fi
	"$KL_UTIL" flat "$KL_W/lost.json" records > "$KL_W/lost.flat" &&
	same_pairs "$KL_W/lost.flat" "$KL_W/lost.pairs" &&
	grep -qx 'records\[0\]\.first=1' "$KL_W/lost.pairs" &&
	keys_are "$KL_W/lost.pairs" meta. 'records[]'
}

kl_plan 24
kl_setup
kl_check "modules load" kl_load
kl_conf "$KL_W/conf" "devices all" "output json path=$KL_JSON"
kl_check "keventlogd starts" kl_start "$KL_W/conf"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do kl_sim 0.0.0180 load "C$i"; done
kl_caught_up 20
kl_check "status: instance, log statistics, keventlogd's position, its queue and ring" \
	status_ok_idle
kl_check "status: a position that cannot be read is 'unknown' with the reason" \
	status_unknown_position
kl_check "status --format json: valid, several lines, the documented fields; pairs says the same" \
	status_json
kl_check "status json/pairs values: instance (as STATS has it), next_seq, position, the queue" \
	status_values
kl_check "read: every record, one well-formed line each; --from/--count" read_ok
kl_check "read -S 010 starts at 10; -S 0x10 is refused, naming 16" read_decimal
kl_check "read --format json (JSON lines) and pairs: the same records, the documented fields" \
	read_formats

kl_check "monitor --count 3 starts; its banner goes to stderr" \
	monitor "$KL_W/mon" --count 3 --timeout 30
kl_sim 0.0.0180 load M1
kl_sim 0.0.0181 error "sense 1"
kl_sim 0.0.0180 unload M2
kl_check "monitor prints the 3 events as they happen and exits 0" \
	monitor_done "$KL_W/mon" 0
kl_check "monitor's stdout is the 3 records, well formed" sh -c "
	[ \$(wc -l < '$KL_W/mon') = 3 ] &&
	[ \$(grep -cE '$RECORD' '$KL_W/mon') = 3 ] &&
	grep -q 'tape_error  *\"sense 1\"' '$KL_W/mon'"

monitor "$KL_W/mon2" --device 0181 --events tape_loaded --count 1 --timeout 30
kl_sim 0.0.0180 load NOTME
kl_sim 0.0.0181 unload NOTME
kl_sim 0.0.0181 load ME
monitor_done "$KL_W/mon2" 0
kl_check "monitor --device 0181 (0.0.0181) --events tape_loaded: only that one" sh -c "
	grep -E '$RECORD' '$KL_W/mon2' | grep -q '0.0.0181 tape_loaded  *\"ME\"' &&
	[ \$(grep -cE '$RECORD' '$KL_W/mon2') = 1 ]"

kl_check "monitor --format json starts" \
	monitor "$KL_W/mon.json" --format json --device 0.0.0180-0.0.0181 --count 2 --timeout 30
kl_sim 0.0.0180 load J1
kl_check "monitor --format json writes each record as it happens" \
	kl_wait 10 lines_at_least "$KL_W/mon.json" 2
kl_sim 0.0.0181 unload J2
monitor_done "$KL_W/mon.json" 0
kl_check "monitor --format json: a meta line and 2 records, strictly valid" sh -c "
	[ \$(wc -l < '$KL_W/mon.json') = 3 ] &&
	'$KL_UTIL' flat '$KL_W/mon.json' records > '$KL_W/mon.flat' &&
	grep -qx 'records\[0\]\.payload=\"J1\"' '$KL_W/mon.flat' &&
	grep -qx 'records\[1\]\.event=\"tape_unloaded\"' '$KL_W/mon.flat' &&
	grep -qx 'records\[1\]\.device=\"0.0.0181\"' '$KL_W/mon.flat' &&
	! grep -v '^\(meta\|records\)' '$KL_W/mon.flat'"

monitor "$KL_W/mon.pairs" --format pairs --count 1 --timeout 30
kl_sim 0.0.0180 load P1
monitor_done "$KL_W/mon.pairs" 0
kl_check "monitor --format pairs: meta, then records[0].KEY=VALUE" sh -c "
	head -n 1 '$KL_W/mon.pairs' | grep -qx 'meta.api_level=1' &&
	grep -qx 'records\[0\]\.payload=\"P1\"' '$KL_W/mon.pairs' &&
	grep -qE '^records\[0\]\.seq=[0-9]+\$' '$KL_W/mon.pairs' &&
	! grep -v '^\(meta\|records\[0\]\)\.' '$KL_W/mon.pairs'"

n=$(($(kl_next) - 1))
keventctl read -S "$n" -f -n 3 > "$KL_W/follow" 2>&1 &
MPID=$!
kl_check "read -f prints what the buffer holds, then waits" \
	kl_wait 10 lines_at_least "$KL_W/follow" 1
kl_sim 0.0.0180 load F1
kl_sim 0.0.0181 load F2
kl_check "read -f -n 3 follows the 2 new records and exits 0" \
	monitor_done "$KL_W/follow" 0
kl_check "read -f: sequence $n, $((n + 1)), $((n + 2)), well formed" sh -c "
	[ \"\$(awk '{ print \$1 }' '$KL_W/follow' | tr '\n' ' ')\" = '$n $((n + 1)) $((n + 2)) ' ] &&
	! grep -vE '$RECORD' '$KL_W/follow'"

kl_check "keventctl with a bad command, bus id, range or -f SEQ: exit 2 and a hint" bad_usage
kl_check "keventlogd stops cleanly" kl_stop

kl_check "reload with a 64-record buffer, 70 records" reload64
kl_check "read -S 1: 8 lost, then 64 records, in text, json and pairs" lost_formats
kl_done
