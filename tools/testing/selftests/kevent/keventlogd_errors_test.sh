#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_errors_test: mistakes give a clear error and a non-zero exit.
#
#   keventlogd -t: one configuration per kind of mistake; each must exit 1
#                  and name the file, the line, what is wrong and a hint
#   command line:  unknown option, missing value, stray argument, -n and
#                  --check, which are not "check" any more (exit 2); -f,
#                  accepted and ignored
#   at start:      module not loaded, read-only destination, no syslog
#                  listener (exit 1, with a hint)
#   while running: a full destination and a destination remounted
#                  read-only: a clear error, nothing committed that was
#                  not written, every record once after the space is back
. "$(dirname "$0")/keventlogd_test_lib.sh"

N=0
# bad LINE-NUMBER "MESSAGE PART" CONFIG-LINES...: -t must exit 1 and say
# FILE:LINE:, the message (or hint) part, and a hint.
bad() {
	_line=$1 _msg=$2
	shift 2
	N=$((N + 1))
	printf '%s\n' "$@" > "$KL_W/bad$N.conf"
	keventlogd -t -c "$KL_W/bad$N.conf" > "$KL_W/out" 2>&1
	_rc=$?
	if [ "$_rc" = 1 ] && grep -qF "bad$N.conf:$_line: " "$KL_W/out" &&
	   grep -qF "$_msg" "$KL_W/out" && grep -q "^  hint: " "$KL_W/out"; then
		kl_ok "-t: $_msg (line $_line)"
	else
		kl_fail "-t: $_msg (line $_line): exit $_rc"
		kl_diag "$(cat "$KL_W/out")"
	fi
}

# usage RC "MESSAGE PART" ARGS...
usage() {
	_want=$1 _msg=$2
	shift 2
	keventlogd "$@" > "$KL_W/out" 2>&1
	_rc=$?
	if [ "$_rc" = "$_want" ] && grep -qF "$_msg" "$KL_W/out"; then
		kl_ok "keventlogd $*: exit $_want, '$_msg'"
	else
		kl_fail "keventlogd $*: exit $_rc, want $_want and '$_msg'"
		kl_diag "$(cat "$KL_W/out")"
	fi
}

# start_fails "MESSAGE PART" CONFIG-LINES...: keventlogd exits 1, says so
start_fails() {
	_msg=$1
	shift
	kl_conf "$KL_W/sf.conf" "$@"
	timeout 20 keventlogd -c "$KL_W/sf.conf" > /dev/null 2> "$KL_W/out"
	_rc=$?
	if [ "$_rc" = 1 ] && grep -qF "$_msg" "$KL_W/out" &&
	   grep -q "hint: " "$KL_W/out"; then
		kl_ok "start fails: $_msg"
	else
		kl_fail "start fails: $_msg: exit $_rc"
		kl_diag "$(cat "$KL_W/out")"
	fi
}

json_once() {
	_last=$(($(kl_next) - 1))
	"$KL_UTIL" json "$1" > "$KL_W/canon" &&
		"$KL_UTIL" cover "$2" "$_last" "$KL_W/canon"
}

# failing OUTPUT "ERROR": keventlogd reports it, and has not saved a
# position past what it could not write.
failing() {
	kl_wait 20 grep -q "output $1 .*: write of sequence .* failed: $2" \
		"$KL_W/daemon.log" && [ "$(kl_saved)" -lt "$(($(kl_next) - 1))" ]
}

# syslog_once FROM: the syslog receivers got FROM..end once.
syslog_once() {
	cat "$KL_W/syslog1.out" "$KL_W/syslog2.out" > "$KL_W/syslog.out" &&
		"$KL_UTIL" rfc5424 "$KL_W/syslog.out" > "$KL_W/canon.syslog" &&
		"$KL_UTIL" cover "$1" $(($(kl_next) - 1)) "$KL_W/canon.syslog"
}

kl_plan 53
kl_setup
printf 'devices 0.0.0180 0.1.fe00\nevents tape_loaded tape_error\noutput stdout\n' > "$KL_W/good.conf"
kl_check "-t: a good configuration is printed with its defaults, exit 0" sh -c "
	keventlogd -t -c '$KL_W/good.conf' > '$KL_W/out' &&
	grep -qx 'devices 0.0.0180 0.1.fe00' '$KL_W/out' &&
	grep -qx 'wake all' '$KL_W/out' && grep -qx 'output stdout' '$KL_W/out'"

bad 1 "unknown setting 'devcies'" "devcies all" "output stdout"
bad 1 "did you mean 'devices'" "devcies all" "output stdout"
bad 2 "'wake' needs a value" "output stdout" "wake"
bad 1 "device '0.0.018g' is not a CCW bus id" "devices 0.0.018g" "output stdout"
bad 1 "device '0.4.0180': subchannel set above 3" "devices 0.4.0180" "output stdout"
bad 1 "'devices all' cannot be combined" "devices 0.0.0180 all" "output stdout"
bad 2 "device 0.0.0180 is listed twice (also on line 1)" "devices 0.0.0180" "devices 0.0.0180" "output stdout"
bad 1 "unknown event 'tape_loded'" "events tape_loded" "output stdout"
bad 1 "did you mean 'tape_loaded'" "events tape_loded" "output stdout"
bad 1 "event 'tape_error' is listed twice" "events tape_error tape_error" "output stdout"
bad 1 "unknown wake mode 'sometimes'" "wake sometimes" "output stdout"
bad 1 "ring-size '0' is not a number" "ring-size 0" "output stdout"
bad 1 "ring-size '100000' is not a number" "ring-size 100000" "output stdout"
bad 1 "state-file 'var/state' is not an absolute path" "state-file var/state" "output stdout"
bad 1 "'user' is no longer a setting: keventlogd no longer changes its user itself" "user keventlog" "output stdout"
bad 2 "'keep-cap-syslog' is no longer a setting: keventlogd needs no capability" "output stdout" "keep-cap-syslog yes"
bad 1 "retry-seconds 'soon' is not a number" "retry-seconds soon" "output stdout"
bad 1 "unknown output 'jsno'" "output jsno path=/tmp/x"
bad 1 "output json needs a file" "output json"
bad 1 "output json has no parameter 'colour'" "output json path=/tmp/x colour=red"
bad 1 "syslog target 'tls:1.2.3.4:6514': unknown transport" "output syslog target=tls:1.2.3.4:6514"
bad 1 "syslog target 'tcp:localhost': want tcp:HOST:PORT" "output syslog target=tcp:localhost"
bad 1 "syslog format 'rfc5425': want rfc3164 or rfc5424" "output syslog format=rfc5425"
bad 2 "sd-id 'kevent@32473': enterprise number 32473 is reserved for documentation (RFC 5612)" "output stdout" "sd-id kevent@32473"
bad 1 "syslog target 'udp:localhost': want udp:HOST:PORT" "output syslog target=udp:localhost"
bad 1 "unknown syslog facility 'local9'" "output syslog facility=local9"
bad 2 "output stdout is configured twice (also on line 1)" "output stdout" "output stdout"
bad 2 "'wake' is given twice (first on line 1)" "wake all" "wake first" "output stdout"
bad 1 "output parameter 'extra' is not key=value" "output journal extra"
# check_fails FILE "MESSAGE PART": -t exits 1 and says it
check_fails() {
	keventlogd -t -c "$1" > "$KL_W/out" 2>&1
	[ $? = 1 ] && grep -qF "$2" "$KL_W/out"
}
printf 'output stdout\nwake \000all\n' > "$KL_W/nul.conf"
kl_check "-t: a NUL byte is reported with its line" \
	check_fails "$KL_W/nul.conf" "nul.conf:2: the line holds a NUL byte"
printf '# nothing\n' > "$KL_W/none.conf"
kl_check "-t: no output at all is an error" \
	check_fails "$KL_W/none.conf" "no output configured"

usage 2 "unknown option -x" -x
usage 2 "option -c needs a value" -c
usage 2 "unexpected argument 'now'" -t now
usage 1 "cannot open: No such file or directory" -t -c /nonexistent.conf
usage 0 "usage: keventlogd" --help
usage 2 "keventlogd: -n is no longer an option" -n -c "$KL_W/good.conf"
usage 2 "hint: check a configuration with -t (--test)" --check -c "$KL_W/good.conf"
usage 0 "configuration OK" -f --test -c "$KL_W/good.conf"
usage 0 "configuration OK" --foreground -t -c "$KL_W/good.conf"

# At start.
kl_unload
start_fails "kevent_s390_log.ko is not loaded" "output stdout"
kl_load
mkdir -p "$KL_W/ro"
mount -t tmpfs -o ro,size=64k tmpfs "$KL_W/ro"
start_fails "Read-only file system" "output json path=$KL_W/ro/events.json"
start_fails "cannot connect" "output syslog target=unix:$KL_W/nobody.sock"

# While running: a full file system.
mkdir -p "$KL_W/small"
mount -t tmpfs -o size=16k tmpfs "$KL_W/small"
kl_conf "$KL_W/conf" "devices all" "output json path=$KL_W/small/events.json"
kl_check "keventlogd starts with its JSON log on a 16 KiB file system" \
	kl_start "$KL_W/conf"
kl_caught_up 20
dd if=/dev/zero of="$KL_W/small/filler" bs=1k count=64 2>/dev/null
for i in $(seq 1 20); do kl_sim 0.0.0180 load "FULL$i"; done
kl_check "full: 'No space left on device', nothing committed past it" \
	failing json "No space left on device"
rm -f "$KL_W/small/filler"
kl_check "space back: keventlogd catches up by itself" kl_caught_up 30
kl_check "full: the JSON log holds whole lines, each record once" \
	json_once "$KL_W/small/events.json" 1
kl_stop

# While running: the syslog receiver goes away and comes back (a syslog
# daemon restarted).
"$KL_UTIL" recv "unix:$KL_W/syslog.sock" "$KL_W/syslog1.out" &
r1=$!
kl_wait 5 test -e "$KL_W/syslog1.out"
kl_conf "$KL_W/conf" "devices all" "output json path=$KL_W/small/events.json" \
	"sd-id $KT_SD_ID" "output syslog target=unix:$KL_W/syslog.sock format=rfc5424"
from=$(($(kl_saved) + 1))
kl_check "keventlogd starts with a syslog output" kl_start "$KL_W/conf"
kl_sim 0.0.0180 load S1
kl_caught_up 20
kill "$r1"
wait "$r1"
for i in $(seq 1 5); do kl_sim 0.0.0181 load "GONE$i"; done
kl_check "receiver gone: 'Connection refused', nothing committed past it" \
	failing syslog "Connection refused"
"$KL_UTIL" recv "unix:$KL_W/syslog.sock" "$KL_W/syslog2.out" &
r2=$!
kl_check "receiver back: keventlogd reconnects and catches up" kl_caught_up 30
kl_check "syslog got each record once, across the two receivers" \
	syslog_once "$from"
kl_check "keventlogd stops cleanly" kl_stop
kill "$r2"
wait "$r2"
umount "$KL_W/small" "$KL_W/ro"
kl_done
