#!/bin/sh
# Guest side of `make check-fleet` (busybox sh, run by /init with
# kevent_script=/kevent/fleet.sh): one z/VM guest of a fleet.
#
#   kevent_tape_sim --> keventlogd --> systemd-journald --> systemd-journal-upload
#      (bursts)        output journal    (local journal)     --> http://10.0.2.2:19532
#
# 10.0.2.2 is QEMU's user network gateway: the host, where
# scripts/check-fleet.sh runs systemd-journal-remote.  Kernel command line
# words (they reach us as environment variables):
#   fleet_id=N           this guest's number (its hostname is fleet-N)
#   fleet_machine_id=ID  its /etc/machine-id (32 hex digits, the host's pick)
#   fleet_kill=1         SIGKILL keventlogd while bursts go on, restart it after
#   fleet_bursts=N       bursts of 10 events per phase (default 10)
# The phases, each announced with a "FLEET:" line the host waits for:
#   A  bursts (with fleet_kill=1: keventlogd killed and restarted)
#   B  "FLEET: outage window": bursts every 2 s until the uploader has
#      failed (the host stops the collector) and then uploaded again
#   C  the last bursts, then wait until the uploader's saved cursor is past
#      the journal's last kevent record
# The last line "FLEET: RESULT ..." gives what the kernel logged, for the
# host to compare with what the collector received.  Every wait is bounded.
MODDIR=/kevent/modules
NETMODS=/kevent/netmods
SIM=/sys/kernel/kevent_tape_sim
CONF=/etc/keventlogd.conf
STATE=/var/lib/keventlogd/state
DLOG=/tmp/keventlogd.messages
UPLOAD=/lib/systemd/systemd-journal-upload
UPSTATE=/var/lib/systemd/journal-upload/state
ULOG=/tmp/journal-upload.log
UEXITS=/tmp/journal-upload.exits
UPIDF=/tmp/journal-upload.pid
URL=http://10.0.2.2:19532
ID=${fleet_id:-1}
MID=${fleet_machine_id:-}
BURSTS=${fleet_bursts:-10}
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
PID=
UPID=

say() { echo "FLEET: $*"; }
die() {
	say "FAILED: $*"
	for f in "$DLOG" "$ULOG" /tmp/journald.log; do
		[ -s "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }
	done
	exit 1
}

# wait_for SECS CMD...: until CMD succeeds, at most SECS seconds.
wait_for() {
	n=$(($1 * 2))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.5
		n=$((n - 1))
	done
	return 1
}

next_seq() { keventctl status -s /x | awk '$1 == "next" { print $3 }'; }
saved() { awk '$1 == "last-seq" { print $2 }' "$STATE" 2>/dev/null || echo 0; }
daemon_caught_up() { [ "$(saved)" = "$(($(next_seq) - 1))" ]; }
exits() { wc -l < "$UEXITS" 2>/dev/null || echo 0; }
cursor() { sed -n 's/^LAST_CURSOR=//p' "$UPSTATE" 2>/dev/null; }

# kevent_seqs [journalctl args]: the KEVENT_SEQ of each kevent record in
# the local journal, one a line.
kevent_seqs() {
	journalctl -q --no-pager -o export "$@" | sed -n 's/^KEVENT_SEQ=//p'
}
# journal_complete LAST: the local journal has each of 1..LAST (journald
# may write a record a moment after keventlogd sent it).
journal_complete() {
	[ "$(kevent_seqs | sort -un | awk -v l="$1" '$1 >= 1 && $1 <= l' | wc -l)" = "$1" ]
}
# uploaded: no kevent record in the journal after the uploader's cursor.
uploaded() {
	c=$(cursor)
	[ -n "$c" ] && [ -z "$(kevent_seqs --after-cursor="$c" | head -n 1)" ]
}

start_journald() {
	echo "$MID" > /etc/machine-id
	mkdir -p /run/systemd/journal /var/log
	# journald asks for its cgroup and exits without one.
	grep -q ' /sys/fs/cgroup ' /proc/mounts ||
		mount -t cgroup2 cgroup2 /sys/fs/cgroup
	SYSTEMD_LOG_TARGET=console /lib/systemd/systemd-journald \
		> /tmp/journald.log 2>&1 &
	wait_for 30 test -S /run/systemd/journal/socket
}

# The virtio-net-ccw NIC of QEMU's -nic user, with the address QEMU's
# built-in DHCP server would give it.  No default route: the collector
# is on the guest's own /24.
start_network() {
	for m in failover net_failover virtio_net; do
		insmod "$NETMODS/$m.ko" || return 1
	done
	ip link set lo up &&
	wait_for 10 test -e /sys/class/net/eth0 &&
	ip link set eth0 up &&
	ip addr add 10.0.2.15/24 dev eth0
}

start_daemon() {
	keventlogd -f -c "$CONF" >/dev/null 2>>"$DLOG" &
	PID=$!
	wait_for 30 test -s "$STATE"
}

# The uploader as systemd-journal-upload.service runs it, and restarted
# after 5 s whenever it exits (it does when the collector is gone), as
# the unit's Restart=on-failure with fleet.rst's RestartSec=5s would.
start_uploader() {
	mkdir -p "${UPSTATE%/*}"
	(
		while :; do
			SYSTEMD_LOG_TARGET=console "$UPLOAD" --url="$URL" \
				--save-state="$UPSTATE" >> "$ULOG" 2>&1 &
			echo $! > "$UPIDF"
			wait $!
			echo "exit $? at $(date +%T)" >> "$UEXITS"
			sleep 5
		done
	) &
	UPID=$!
}

# bursts N: N bursts of 10 loads and unloads, the two drives in turn.
bursts() {
	i=0
	while [ "$i" -lt "$1" ]; do
		echo 10 > "$SIM/0.0.018$((i % 2))/burst" || return 1
		sleep 0.5
		i=$((i + 1))
	done
}

dmesg -n 1
hostname "fleet-$ID"
say "guest $ID: machine id $MID, $(uname -r) $(uname -m)"
case "$MID" in
*[!0-9a-f]* | "") die "fleet_machine_id='$MID': want 32 hex digits" ;;
esac
[ ${#fleet_machine_id} = 32 ] || die "fleet_machine_id: want 32 hex digits"

start_network || die "no network (virtio_net, eth0)"
start_journald || die "systemd-journald did not start"
for m in kevent kevent_s390_log "kevent_tape_sim devices=2"; do
	# shellcheck disable=SC2086 # the module, then its parameters
	set -- $m
	# shellcheck disable=SC2086 # no parameters: no word
	insmod "$MODDIR/$1.ko" $2 || die "insmod $m failed"
done
# As root: this guest has no keventlog user (keventlogd.service's User=).
mkdir -p "${STATE%/*}"
cat > "$CONF" <<EOF
devices all
events all
wake all
state-file $STATE
output journal
EOF
start_daemon || die "keventlogd did not start"
start_uploader
say "ready: journald, keventlogd (pid $PID), journal-upload to $URL"

say "phase A: $BURSTS bursts"
if [ "${fleet_kill:-0}" = 1 ]; then
	bursts "$BURSTS" &
	GEN=$!
	before=$(saved)
	wait_for 60 sh -c "[ \$(awk '\$1 == \"last-seq\" { print \$2 }' $STATE) -ge $((before + 25)) ]"
	kill -KILL "$PID"
	wait "$PID" 2>/dev/null
	say "keventlogd killed with SIGKILL at saved position $(saved), kernel at $(($(next_seq) - 1))"
	wait "$GEN"
	start_daemon || die "keventlogd did not start again"
	say "keventlogd restarted (pid $PID), the kernel now at $(($(next_seq) - 1))"
else
	bursts "$BURSTS" || die "bursts failed"
fi
wait_for 60 daemon_caught_up || die "keventlogd did not catch up"
last=$(($(next_seq) - 1))
wait_for 60 journal_complete "$last" || die "the local journal lacks records of 1..$last"
wait_for 120 uploaded || die "journal-upload did not upload phase A"
say "phase A done: records 1..$last in the local journal and uploaded"

# The host stops the collector once every guest said this.
f0=$(exits)
say "outage window: bursts until journal-upload has failed and uploaded again"
t=0
while [ "$t" -lt 240 ]; do
	bursts 1 || die "bursts failed"
	sleep 1.5
	t=$((t + 2))
	f=$(exits)
	if [ -z "${c0:-}" ] && [ "$f" -gt "$f0" ]; then
		c0=$(cursor)
		say "journal-upload failed (collector gone) after ${t}s, at seq $(($(next_seq) - 1))"
	elif [ -n "${c0:-}" ] && [ "$(cursor)" != "$c0" ]; then
		say "journal-upload uploaded again after ${t}s, at seq $(($(next_seq) - 1))"
		break
	fi
done
outage=$(($(exits) - f0))
[ -n "${c0:-}" ] || say "journal-upload never failed: no outage seen"

say "phase C: $BURSTS bursts"
bursts "$BURSTS" || die "bursts failed"
wait_for 60 daemon_caught_up || die "keventlogd did not catch up"
last=$(($(next_seq) - 1))
wait_for 60 journal_complete "$last" || die "the local journal lacks records of 1..$last"
wait_for 300 uploaded || die "journal-upload did not catch up"
inlocal=$(kevent_seqs | wc -l)
inst=$(keventctl status -s /x | awk '$1 == "instance" && $2 ~ /^[0-9a-f-]+$/ { print $2 }')
kill "$UPID" "$(cat "$UPIDF")" 2>/dev/null
kill -TERM "$PID"
wait "$PID"
rc=$?
[ "$rc" = 0 ] || say "keventlogd exited with status $rc"
say "journal-upload: $(exits) exit(s), $outage during the outage window"
say "RESULT machine=$MID instance=${inst:--} logged=$last local=$inlocal outage_failures=$outage keventlogd_rc=$rc"
