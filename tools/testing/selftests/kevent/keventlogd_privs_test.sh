#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_privs_test: keventlogd opens its devices and registers its
# requests as root, then becomes "user keventlog" for good:
#
#   root: open /dev/kevent, /dev/kevent_s390_log, ADD requests, outputs
#     |  setgroups/setgid/setuid, check there is no way back
#     v
#   keventlog (uid 990): CAP_SYSLOG kept in the permitted set only
#     SIGHUP -> raise CAP_SYSLOG for the ADD, lower it again
#
# With keep-cap-syslog no nothing is kept: a reload that must add requests
# fails with EPERM and says how to fix it (the node's group), and works
# once /dev/kevent_s390_log is 0640 root:keventlog, as the udev rule makes
# it.
. "$(dirname "$0")/keventlogd_test_lib.sh"

# CAP_SYSLOG is capability 34.
CAP_SYSLOG_MASK=0000000400000000

status_field() { awk -v f="$2:" '$1 == f { print $2, $3, $4, $5 }' "/proc/$1/status"; }

add_user() {
	grep -q '^keventlog:' /etc/passwd 2>/dev/null ||
		echo 'keventlog:x:990:990:keventlogd:/nonexistent:/bin/false' >> /etc/passwd
	grep -q '^keventlog:' /etc/group 2>/dev/null ||
		echo 'keventlog:x:990:' >> /etc/group
	grep -q '^root:' /etc/passwd || echo 'root:x:0:0:root:/root:/bin/sh' >> /etc/passwd
	grep -q '^root:' /etc/group || echo 'root:x:0:' >> /etc/group
}

dropped() {
	[ "$(status_field "$KL_PID" Uid)" = "990 990 990 990" ] &&
	[ "$(status_field "$KL_PID" Gid)" = "990 990 990 990" ] ||
		{ grep -E '^(Uid|Gid)' "/proc/$KL_PID/status"; return 1; }
}

caps() {
	[ "$(awk '$1 == "CapPrm:" { print $2 }' "/proc/$KL_PID/status")" = "$1" ] &&
	[ "$(awk '$1 == "CapEff:" { print $2 }' "/proc/$KL_PID/status")" = 0000000000000000 ] ||
		{ grep -E '^Cap' "/proc/$KL_PID/status"; return 1; }
}

# reload_with DEVICES: SIGHUP with another device list (new requests).
reload_with() {
	kl_conf "$KL_W/conf" "devices $1" "user keventlog" \
		"keep-cap-syslog $KEEP" "output json path=$KL_JSON"
	kill -HUP "$KL_PID"
}

kl_plan 17
kl_setup
KL_STATE=$KL_W/new-state-dir/state
kl_check "modules load" kl_load
kl_check "a user keventlog exists" add_user
kl_check "keventlogd -n accepts 'user keventlog'" sh -c \
	"printf 'user keventlog\noutput stdout\n' > '$KL_W/n.conf' && keventlogd -n -c '$KL_W/n.conf'"

KEEP=yes
kl_conf "$KL_W/conf" "devices all" "user keventlog" "keep-cap-syslog yes" \
	"output json path=$KL_JSON"
kl_check "keventlogd starts, then runs as keventlog" kl_start "$KL_W/conf"
kl_check "uid and gid are 990, real, effective and saved" dropped
kl_check "only CAP_SYSLOG is left, permitted and not effective" caps $CAP_SYSLOG_MASK
kl_check "it created its state directory for keventlog" \
	[ "$(stat -c %u "$KL_W/new-state-dir")" = 990 ]
kl_sim 0.0.0180 load P1
kl_check "events are written after the drop" kl_caught_up 30
reload_with "0.0.0180 0.0.0181"
kl_check "a reload that adds requests works (CAP_SYSLOG raised for it)" \
	kl_wait 20 grep -q "reloaded:" "$KL_W/daemon.log"
kl_check "and leaves CAP_SYSLOG lowered" caps $CAP_SYSLOG_MASK
kl_check "keventlogd stops cleanly" kl_stop

KEEP=no
: > "$KL_W/daemon.log"
kl_conf "$KL_W/conf" "devices all" "user keventlog" "keep-cap-syslog no" \
	"output json path=$KL_JSON"
start_nocap() { kl_start "$KL_W/conf" && caps 0000000000000000; }
kl_check "with keep-cap-syslog no it starts with no capability" start_nocap
reload_with "0.0.0181"
kl_check "a reload that must add requests fails with EPERM, and says why" \
	kl_wait 20 grep -q "cannot register the new requests: device 0.0.0181: Operation not permitted" "$KL_W/daemon.log"
kl_check "the running configuration stays" \
	grep -q "keeping the running configuration" "$KL_W/daemon.log"
kl_sim 0.0.0180 load P2
kl_caught_up 30
chgrp 990 /dev/kevent_s390_log && chmod 0640 /dev/kevent_s390_log
reload_with "0.0.0181"
kl_check "with the node 0640 root:keventlog the same reload works" \
	kl_wait 20 grep -q "reloaded:" "$KL_W/daemon.log"
chgrp 0 /dev/kevent_s390_log && chmod 0600 /dev/kevent_s390_log
kl_check "keventlogd stops cleanly" kl_stop
last=$(($(kl_next) - 1))
kl_check "every sequence 1..$last in the JSON log exactly once" sh -c "
	'$KL_UTIL' json '$KL_JSON' > '$KL_W/canon.json' &&
	'$KL_UTIL' cover 1 $last '$KL_W/canon.json'"
kl_done
