#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keventlogd_formats_test: every output against its specification, all at
# once, on the same records:
#
#                   +--> json     JSON lines (RFC 8259), every field typed,
#                   |             instance (STATS) and boot_id
#   keventlogd -----+--> syslog   RFC 3164 on a unix datagram socket, byte
#   (sd-id          |             for byte what the JSON lines say
#    kevent@12345)  +--> syslog   RFC 3164 into journald's own /dev/log
#                   |             (/run/systemd/journal/dev-log): what its
#                   |             parser makes of it
#                   +--> syslog   RFC 5424 over UDP (RFC 5426), 127.0.0.1
#                   +--> syslog   RFC 5424 over TCP, octet counting (RFC
#                   |             6587), 127.0.0.1; the receiver restarts
#                   |             in the middle: nothing lost or doubled
#                   +--> journal  a private systemd-journald, read back
#                   |             with journalctl -o json
#                   +--> stdout   logfmt lines
#
# The records carry awkward payloads: quotes, backslashes and ']' (escaped
# differently by each format), binary bytes (hex), an over-long payload
# (truncated), an empty one.  Every format must say the same thing.
. "$(dirname "$0")/keventlogd_test_lib.sh"

JOURNALD=/lib/systemd/systemd-journald
JPID=
SPID=
UPID=
TPID=

start_journald() {
	[ -x "$JOURNALD" ] && command -v journalctl >/dev/null || return 1
	[ -s /etc/machine-id ] ||
		cat /proc/sys/kernel/random/uuid | tr -d - > /etc/machine-id
	mkdir -p /run/systemd/journal /var/log
	# journald asks for its cgroup and exits without one.
	grep -q ' /sys/fs/cgroup ' /proc/mounts ||
		mount -t cgroup2 cgroup2 /sys/fs/cgroup
	SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=info "$JOURNALD" \
		> "$KL_W/journald.log" 2>&1 &
	JPID=$!
	kl_wait 20 test -S /run/systemd/journal/socket &&
		kl_wait 5 test -S /run/systemd/journal/dev-log
}

receivers() {
	"$KL_UTIL" recv "unix:$KL_W/syslog.sock" "$KL_W/syslog.out" &
	SPID=$!
	ip link set lo up 2>/dev/null
	"$KL_UTIL" recv udp:5514 "$KL_W/udp.out" &
	UPID=$!
	"$KL_UTIL" recv tcp:5515 "$KL_W/tcp.out" &
	TPID=$!
	kl_wait 5 test -e "$KL_W/syslog.out" && kl_wait 5 test -e "$KL_W/udp.out" &&
		kl_wait 5 test -e "$KL_W/tcp.out"
}

# The TCP collector goes away and another takes its port: keventlogd
# connects again.
tcp_restart() {
	kill "$TPID" && wait "$TPID"
	"$KL_UTIL" recv tcp:5515 "$KL_W/tcp2.out" &
	TPID=$!
	kl_wait 5 test -e "$KL_W/tcp2.out" &&
		kl_sim 0.0.0180 load AFTER-RESTART && kl_caught_up 30 &&
		kl_wait 10 grep -q AFTER-RESTART "$KL_W/tcp2.out"
}

LONG=0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789ABCDEF-cut-off-here
QUOTED='a"b\c]d [x=1]'

reports() {
	kl_sim 0.0.0180 load VOL001 &&
	kl_sim 0.0.0181 load "$QUOTED" &&
	printf '\001\002\377sense' > "$KL_SIM/0.0.0180/error" &&
	kl_sim 0.0.0181 load "$LONG" &&
	echo > "$KL_SIM/0.0.0180/unload" &&
	kl_sim 0.0.0181 intervention "mount VOL9 please" &&
	echo 0.0.0182 > "$KL_SIM/add" &&
	kl_sim 0.0.0182 load NEW1 &&
	echo 0.0.0182 > "$KL_SIM/remove"
}

same_as_json() {
	[ -s "$1" ] || { echo "$1 is empty"; return 1; }
	sort "$KL_W/canon.json" > "$KL_W/a"
	sort "$1" > "$KL_W/b"
	diff "$KL_W/a" "$KL_W/b"
}

# logfmt: time=RFC3339 seq=N device=B event=E payload="..." [encoding=hex] [truncated=1]
stdout_ok() {
	awk '
	/^time=[0-9-]+T[0-9:.]+Z seq=[0-9]+ device=[0-9a-f]+\.[0-3]\.[0-9a-f]{4} event=[a-z_]+ payload="([^"\\]|\\.)*"( encoding=hex)?( truncated=1)?$/ { n++; next }
	{ print "bad stdout line: " $0; bad = 1 }
	END { exit bad || n == 0 }' "$KL_W/stdout"
}

kl_plan 22
kl_setup
kl_check "modules load" kl_load
KT_INSTANCE=$("$KL_UTIL" instance)
KT_BOOT_ID=$(cat /proc/sys/kernel/random/boot_id)
export KT_INSTANCE KT_BOOT_ID
kl_check "syslog receivers on a unix socket, UDP 127.0.0.1:5514 and TCP 127.0.0.1:5515" receivers
journal=1
start_journald || journal=0
if [ "$journal" = 1 ]; then
	kl_ok "a private systemd-journald runs"
	jout="output journal"
	devlog="output syslog target=unix:/run/systemd/journal/dev-log"
else
	kl_skip "a private systemd-journald runs" "no systemd-journald in this guest"
	jout=
	devlog=
fi

kl_conf "$KL_W/conf" "devices all" "events all" "sd-id $KT_SD_ID" \
	"output json path=$KL_JSON" "output stdout" \
	"output syslog target=unix:$KL_W/syslog.sock facility=daemon" \
	"output syslog target=udp:127.0.0.1:5514" \
	"output syslog target=tcp:127.0.0.1:5515" ${jout:+"$jout"} ${devlog:+"$devlog"}
kl_check "keventlogd starts with every output" kl_start "$KL_W/conf"
kl_check "reports with awkward payloads" reports
kl_check "keventlogd caught up" kl_caught_up 30
kl_check "TCP: the collector restarts, keventlogd connects again" tcp_restart
kl_check "keventlogd stops cleanly" kl_stop
last=$(($(kl_next) - 1))

kl_check "json: valid JSON lines with every field as specified" \
	sh -c "'$KL_UTIL' json '$KL_JSON' > '$KL_W/canon.json'"
kl_check "json: each of the $last records once" \
	kl_cover 1 "$last" "$KL_W/canon.json"
# What the awkward payloads must look like, byte for byte.
cat > "$KL_W/want.json" <<'EOF'
"payload":"a\"b\\c]d [x=1]","encoding":"text"
EOF
cat > "$KL_W/want.syslog" <<'EOF'
payload="a\"b\\c\]d [x=1\]" encoding="text"
EOF
cat > "$KL_W/want.canon" <<'EOF'
tape_error hex 0102ff73656e7365 0
tape_loaded text 0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789ABCDEF 1
0.0.0180 tape_unloaded text - 0
tape_loaded text a"b\c]d_[x=1] 0
EOF
json_payloads() {
	grep -qF -f "$KL_W/want.json" "$KL_JSON" || return 1
	while read -r l; do
		grep -qF "$l" "$KL_W/canon.json" || { echo "missing: $l"; return 1; }
	done < "$KL_W/want.canon"
}
kl_check "json: quotes and backslashes escaped, binary as hex, truncation flagged" \
	json_payloads
kl_check "json: every line has this load's instance id and this boot's id" \
	sh -c "[ \$(grep -c '\"instance\":\"$KT_INSTANCE\",\"boot_id\":\"$KT_BOOT_ID\"' '$KL_JSON') = \$(wc -l < '$KL_JSON') ]"
kl_check "syslog (unix): RFC 3164 without HOSTNAME, byte for byte the JSON lines' messages" \
	"$KL_UTIL" rfc3164 "$KL_W/syslog.out" "$KL_JSON"
udp_valid() {
	"$KL_UTIL" rfc5424 "$KL_W/udp.out" > "$KL_W/canon.udp" &&
		grep -qF -f "$KL_W/want.syslog" "$KL_W/udp.out" &&
		same_as_json "$KL_W/canon.udp"
}
kl_check "syslog (udp): RFC 5424 (section 6 ABNF), SD-PARAM escapes, same records as json" \
	udp_valid
tcp_valid() {
	cat "$KL_W/tcp.out" "$KL_W/tcp2.out" > "$KL_W/tcp.all" &&
		"$KL_UTIL" rfc6587 "$KL_W/tcp.all" > "$KL_W/canon.tcp" &&
		same_as_json "$KL_W/canon.tcp"
}
kl_check "syslog (tcp): RFC 6587 octet-counted RFC 5424, across two connections each record once" \
	tcp_valid
kl_check "syslog (tcp): the first connection ends on a frame boundary" \
	"$KL_UTIL" rfc6587 "$KL_W/tcp.out"
if [ "$journal" = 1 ]; then
	# journald may still be reading its sockets.
	kl_wait 10 sh -c "[ \$(journalctl --no-pager -o cat SYSLOG_IDENTIFIER=kevent | wc -l) -ge $((2 * last)) ]"
	journalctl --no-pager -o json SYSLOG_IDENTIFIER=kevent > "$KL_W/journal.json"
	kl_check "journal: MESSAGE_ID, SYSLOG_MSGID, SYSLOG_STRUCTURED_DATA, KEVENT_* as specified (journalctl -o json)" \
		sh -c "'$KL_UTIL' journal '$KL_W/journal.json' > '$KL_W/canon.journal'"
	kl_check "journal: same records as json" same_as_json "$KL_W/canon.journal"
	kl_check "journal: export format has the same SYSLOG_STRUCTURED_DATA" sh -c "
		journalctl --no-pager -o export SYSLOG_IDENTIFIER=kevent _TRANSPORT=journal |
			grep -c '^SYSLOG_STRUCTURED_DATA=\\[origin software=\"keventlogd\" swVersion=\"[0-9.]*\"\\]\\[$KT_SD_ID seq=\"[0-9]*\" instance=\"$KT_INSTANCE\" boot_id=\"$KT_BOOT_ID\"' |
			grep -qx $last"
	kl_check "journald's /dev/log: RFC 3164 parsed into identifier kevent, PID, priority, facility and the exact message" \
		"$KL_UTIL" journal-syslog "$KL_W/journal.json" "$KL_JSON"
else
	kl_skip "journal: fields as specified" "no systemd-journald"
	kl_skip "journal: same records as json" "no systemd-journald"
	kl_skip "journal: export format" "no systemd-journald"
	kl_skip "journald's /dev/log: RFC 3164" "no systemd-journald"
fi
kl_check "stdout: logfmt lines, one per record" \
	[ "$(wc -l < "$KL_W/stdout")" = "$last" ]
kl_check "stdout: every line well formed" stdout_ok

kill "$SPID" "$UPID" "$TPID" 2>/dev/null
[ -n "$JPID" ] && kill "$JPID" 2>/dev/null
if [ "$KL_FAILED" -gt 0 ] && [ -s "$KL_W/journald.log" ]; then
	kl_diag "systemd-journald said:"
	kl_diag "$(tail -n 20 "$KL_W/journald.log")"
fi
wait 2>/dev/null
kl_done
