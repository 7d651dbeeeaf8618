# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Shared by the keventlogd*_test scripts (busybox sh, in the QEMU guest,
# as root).  TAP output, the modules, the simulated tapes, starting and
# stopping keventlogd, and bounded waits.  Every wait has a limit; nothing
# here can hang a test run.  Its functions and variables are kl_ and KL_.
#
#   TAP:      kl_plan N; kl_ok/kl_fail/kl_skip DESC; kl_check DESC CMD...;
#             kl_done
#   modules:  kl_load [kevent_s390_log params...]; kl_unload
#   tapes:    kl_sim TAPE ATTR VALUE; kl_tape_seq TAPE; kl_next
#   daemon:   kl_conf FILE LINES...; kl_start CONF; kl_stop; kl_kill9
#             (KL_AS: a command that kl_start runs keventlogd with, such as
#             "$KL_UTIL as 990 990 -"; empty: as root)
#   waits:    kl_wait SECS CMD...; kl_caught_up [SECS]
#   outputs:  kl_canon_json (canonical lines of the JSON file)

KL_DIR=$(cd "$(dirname "$0")" && pwd)
KL_UTIL=$KL_DIR/keventlogd_test_util
# The modules: $KEVENT_MODDIR (the guest runner sets it), or beside the tests.
KL_MODDIR=${KEVENT_MODDIR:-$KL_DIR}
KL_SIM=/sys/kernel/kevent_tape_sim
KL_W=${KL_W:-/tmp/keventlogd-test.$$}
KL_STATE=$KL_W/state/state
KL_JSON=$KL_W/log/events.json
KL_PID=
KL_NOTIFY_PID=
# The sd-id of the tests' configurations, whose RFC 5424 element the
# checkers of keventlogd_test_util look for.
KT_SD_ID=kevent@12345
export KT_SD_ID
KL_AS=
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

# --- TAP --------------------------------------------------------------------
KL_N=0
KL_FAILED=0
kl_plan() { echo "1..$1"; }
kl_ok() { KL_N=$((KL_N + 1)); echo "ok $KL_N - $*"; }
kl_fail() { KL_N=$((KL_N + 1)); KL_FAILED=$((KL_FAILED + 1)); echo "not ok $KL_N - $*"; }
kl_skip() { KL_N=$((KL_N + 1)); echo "ok $KL_N - $1 # SKIP $2"; }
kl_diag() { echo "$*" | sed 's/^/# /'; }
# kl_check DESC CMD...: one test from a command's status; its output is a
# diagnostic when it fails.  Runs in this shell (no subshell), so that the
# command may set variables and start background processes.
kl_check() {
	_d=$1
	shift
	if "$@" > "$KL_W/check.out" 2>&1; then
		kl_ok "$_d"
	else
		kl_fail "$_d"
		kl_diag "$(head -n 40 "$KL_W/check.out")"
	fi
}
kl_done() {
	kl_cleanup
	[ "$KL_FAILED" -eq 0 ]
	exit $?
}

# --- bounded waits ------------------------------------------------------------
# kl_wait SECS CMD...: until CMD succeeds, at most SECS seconds.
kl_wait() {
	_n=$(($1 * 10))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	"$@" >/dev/null 2>&1
}

# --- modules and tapes --------------------------------------------------------
kl_loaded() { [ -d "/sys/module/$1" ]; }

# kl_load [PARAMS...]: kevent_s390_log with PARAMS and two simulated tapes.
kl_load() {
	kl_unload
	kl_loaded kevent || insmod "$KL_MODDIR/kevent.ko" || return 1
	insmod "$KL_MODDIR/kevent_s390_log.ko" "$@" || return 1
	insmod "$KL_MODDIR/kevent_tape_sim.ko" devices=2 || return 1
}

kl_unload() {
	kl_loaded kevent_tape_sim && rmmod kevent_tape_sim
	kl_loaded kevent_s390_log && rmmod kevent_s390_log
	! kl_loaded kevent_s390_log
}

# kl_sim TAPE ATTR VALUE: a report of a simulated tape (returns once notified)
kl_sim() { printf '%s\n' "$3" > "$KL_SIM/$1/$2"; }
kl_tape_seq() { cat "$KL_SIM/$1/seq"; }

# The sequence number the next record gets (keventctl status).
kl_next() { keventctl status -s /nonexistent | awk '$1 == "next" { print $3 }'; }

# The saved position (state file), or 0.
kl_saved() { awk '$1 == "last-seq" { print $2 }' "$KL_STATE" 2>/dev/null || echo 0; }

# --- keventlogd ---------------------------------------------------------------
# kl_conf FILE LINES...: a configuration with the test's state file.
kl_conf() {
	_f=$1
	shift
	printf '%s\n' "state-file $KL_STATE" "retry-seconds 1" "$@" > "$_f"
}

kl_alive() {
	[ -n "$1" ] && [ -d "/proc/$1" ] &&
		! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# kl_start CONF: keventlogd in the background (as $KL_AS says); waits for
# READY=1 on a notify socket (sd_notify), whose datagrams are kept in
# $KL_W/notify.out.  Diagnostics go to $KL_W/daemon.log, stdout output to
# $KL_W/stdout.
kl_start() {
	rm -f "$KL_W/notify.out"
	"$KL_UTIL" recv "unix:$KL_W/notify" "$KL_W/notify.out" &
	KL_NOTIFY_PID=$!
	kl_wait 5 test -e "$KL_W/notify.out" || return 1
	# shellcheck disable=SC2086 # KL_AS: a command and its words
	NOTIFY_SOCKET=$KL_W/notify $KL_AS keventlogd -c "$1" \
		>> "$KL_W/stdout" 2>> "$KL_W/daemon.log" &
	KL_PID=$!
	if ! kl_wait 20 grep -q READY=1 "$KL_W/notify.out"; then
		echo "keventlogd did not send READY=1; its log:"
		tail -n 20 "$KL_W/daemon.log"
		return 1
	fi
}

# kl_reap: wait for the daemon to exit (at most 20 s); its exit status.
kl_reap() {
	_n=200
	while kl_alive "$KL_PID" && [ "$_n" -gt 0 ]; do
		sleep 0.1
		_n=$((_n - 1))
	done
	if kl_alive "$KL_PID"; then
		kill -9 "$KL_PID"
		wait "$KL_PID"
		KL_RC=124
	else
		wait "$KL_PID"
		KL_RC=$?
	fi
	KL_PID=
	[ -n "$KL_NOTIFY_PID" ] && kill "$KL_NOTIFY_PID" 2>/dev/null &&
		wait "$KL_NOTIFY_PID" 2>/dev/null
	KL_NOTIFY_PID=
	return "$KL_RC"
}

# kl_stop: SIGTERM and wait; returns keventlogd's exit status.
kl_stop() {
	[ -n "$KL_PID" ] || return 0
	kill -TERM "$KL_PID"
	kl_reap
}

kl_kill9() {
	kill -9 "$KL_PID"
	kl_reap
	return 0
}

# kl_caught_up [SECS]: the saved position reaches the log's end.
kl_is_caught_up() { [ "$(kl_saved)" = "$(($(kl_next) - 1))" ]; }
kl_caught_up() { kl_wait "${1:-30}" kl_is_caught_up; }

# Canonical lines of the JSON output (keventlogd_test_util json).
kl_canon_json() { "$KL_UTIL" json "$KL_JSON"; }

# kl_cover FIRST LAST CANONFILE: each sequence number exactly once.
kl_cover() { "$KL_UTIL" cover "$1" "$2" "$3"; }

kl_setup() {
	rm -rf "$KL_W"
	mkdir -p "$KL_W/state" "$KL_W/log"
	: > "$KL_W/daemon.log"
	: > "$KL_W/stdout"
}

kl_cleanup() {
	[ -n "$KL_PID" ] && kl_alive "$KL_PID" && kill -9 "$KL_PID" 2>/dev/null
	[ -n "$KL_NOTIFY_PID" ] && kill "$KL_NOTIFY_PID" 2>/dev/null
	kl_unload >/dev/null 2>&1
	if [ "$KL_FAILED" -gt 0 ] && [ -s "$KL_W/daemon.log" ]; then
		kl_diag "keventlogd's diagnostics (last 40 lines):"
		kl_diag "$(tail -n 40 "$KL_W/daemon.log")"
	fi
}
