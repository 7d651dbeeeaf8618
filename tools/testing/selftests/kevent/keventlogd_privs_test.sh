#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_privs_test: keventlogd runs as the user keventlog from the
# start, with no capability, as keventlogd.service (User=keventlog) and
# the setpriv line of keventlogd(8) start it:
#
#   /dev/kevent_s390_log 0640 root:keventlog (as 60-kevent.rules makes it)
#     |  read permission: open it, and ADD KEVENT_S390_LOG requests
#     v
#   keventlogd as 990:990, no capability
#     start, log, SIGHUP with new requests: works
#     node made 0600 meanwhile: the reload fails with EPERM, says why,
#       and the running configuration stays
#   keventlogd as 990 with another group: exit 1, "Permission denied",
#     and what to do
#   a state directory it may not write: exit 1, and what to do
#
# The guest has no setpriv that changes ids (busybox's cannot):
# keventlogd_test_util as UID GID GROUPS does what setpriv --reuid
# --regid --groups does.
. "$(dirname "$0")/keventlogd_test_lib.sh"

NODE=/dev/kevent_s390_log

status_field() { awk -v f="$2:" '$1 == f { print $2, $3, $4, $5 }' "/proc/$1/status"; }

add_user() {
	grep -q '^keventlog:' /etc/passwd 2>/dev/null ||
		echo 'keventlog:x:990:990:keventlogd:/nonexistent:/bin/false' >> /etc/passwd
	grep -q '^keventlog:' /etc/group 2>/dev/null ||
		echo 'keventlog:x:990:' >> /etc/group
}

# The node as the udev rule makes it, or as the kernel does (0600 root).
node_for_keventlog() { chgrp 990 "$NODE" && chmod 0640 "$NODE"; }
node_for_root() { chgrp 0 "$NODE" && chmod 0600 "$NODE"; }

unprivileged() {
	[ "$(status_field "$KL_PID" Uid)" = "990 990 990 990" ] &&
	[ "$(status_field "$KL_PID" Gid)" = "990 990 990 990" ] &&
	[ -z "$(awk '$1 ~ /^Cap(Inh|Prm|Eff|Amb):$/ && $2 != "0000000000000000"' \
		"/proc/$KL_PID/status")" ] && return 0
	grep -E '^(Uid|Gid|Cap)' "/proc/$KL_PID/status"
	return 1
}

owned() {
	for f in "$@"; do
		[ "$(stat -c %u:%g "$f")" = 990:990 ] ||
			{ stat -c '%n %u:%g' "$f"; return 1; }
	done
}

reloads() { grep -c "reloaded:" "$KL_W/daemon.log"; }

# reload_with DEVICES: SIGHUP with another device list (new requests).
reload_with() {
	kl_conf "$KL_W/conf" "devices $1" "output json path=$KL_JSON"
	kill -HUP "$KL_PID"
}

# fails_as UID GID "MESSAGE" "HINT PART" CONF: keventlogd started as
# UID:GID exits 1 and says MESSAGE and the hint.
fails_as() {
	timeout 20 "$KL_UTIL" as "$1" "$2" - keventlogd -c "$5" \
		> /dev/null 2> "$KL_W/err"
	_rc=$?
	[ "$_rc" = 1 ] && grep -qF "$3" "$KL_W/err" &&
		grep -qF "hint: $4" "$KL_W/err" && return 0
	echo "exit $_rc"
	cat "$KL_W/err"
	return 1
}

kl_plan 14
kl_setup
# The directories StateDirectory= and LogsDirectory= make: keventlog's.
KL_STATE=$KL_W/lib/state
mkdir -p "$KL_W/lib"
chown 990:990 "$KL_W/lib" "$KL_W/log"
chmod 0750 "$KL_W/lib" "$KL_W/log"
add_user
kl_check "modules load" kl_load
node_for_keventlog

KL_AS="$KL_UTIL as 990 990 -"
kl_conf "$KL_W/conf" "devices all" "output json path=$KL_JSON"
kl_check "keventlogd started as keventlog (the node's group) sends READY=1" \
	kl_start "$KL_W/conf"
kl_check "uid and gid 990, real, effective and saved; no capability at all" \
	unprivileged
kl_sim 0.0.0180 load P1
kl_check "it logs" kl_caught_up 30
kl_check "its state file and JSON log are keventlog's" owned "$KL_STATE" "$KL_JSON"
before=$(reloads)
reload_with "0.0.0180 0.0.0181"
kl_check "a reload that adds requests works, with no capability" \
	kl_wait 20 sh -c "[ \$(grep -c 'reloaded:' '$KL_W/daemon.log') -gt $before ]"

# The node's permission taken away under it: only a reload notices.
node_for_root
reload_with "0.0.0181"
kl_check "node made 0600: a reload that adds requests fails with EPERM, and says why" \
	kl_wait 20 grep -q "cannot register the new requests: device 0.0.0181: Operation not permitted" "$KL_W/daemon.log"
kl_check "with the hint: read permission on $NODE" \
	grep -q "hint: adding s390 log requests needs .*read permission on $NODE" "$KL_W/daemon.log"
kl_check "and the running configuration stays" \
	grep -q "keeping the running configuration" "$KL_W/daemon.log"
node_for_keventlog
kl_sim 0.0.0181 load P2
kl_check "events of the running configuration are still written" kl_caught_up 30
kl_check "keventlogd stops cleanly" kl_stop
KL_AS=

last=$(($(kl_next) - 1))
kl_check "every sequence 1..$last in the JSON log exactly once" sh -c "
	'$KL_UTIL' json '$KL_JSON' > '$KL_W/canon.json' &&
	'$KL_UTIL' cover 1 $last '$KL_W/canon.json'"

# Without the node's group: refused by the node's mode, with what to do.
kl_check "as keventlog in another group: exit 1, Permission denied, and what to do" \
	fails_as 990 991 "cannot open $NODE: Permission denied" \
	"reading the s390 log needs read permission on $NODE: run keventlogd as a member of its group" \
	"$KL_W/conf"

# A state directory it may not write (root's, 0755).
mkdir -p "$KL_W/rootdir"
kl_conf "$KL_W/conf.ro" "output json path=$KL_JSON"
sed -i "s|^state-file .*|state-file $KL_W/rootdir/state|" "$KL_W/conf.ro"
kl_check "a state directory it may not write: exit 1, and what to do" \
	fails_as 990 990 "cannot save the position to $KL_W/rootdir/state: Permission denied" \
	"its directory must be writable by the user keventlogd runs as (uid 990)" \
	"$KL_W/conf.ro"
node_for_root
kl_done
