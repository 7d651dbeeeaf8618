#!/bin/bash
# scripts/check-fleet.sh (make check-fleet): two s390x guests ship their
# kevent records to a central collector with systemd's own tools, and the
# collector ends up with every record of both exactly once after
# de-duplication on (machine id, log instance id, sequence number).
#
#   guest 1: kevent_tape_sim -> keventlogd -> journald -> journal-upload --+
#   guest 2: kevent_tape_sim -> keventlogd -> journald -> journal-upload --+
#                                                                          |
#   host: systemd-journal-remote --listen-http=127.0.0.1:19532 <-----------+
#
# The collector and both QEMUs run in a network namespace of their own
# with nothing but its loopback (unshare --net): QEMU's user network maps
# the guests' 10.0.2.2 to that loopback, and no packet can leave it.
# Each guest (scripts/guest/fleet.sh) has its own /etc/machine-id, made
# here.  On the way:
#   - guest 1's keventlogd is killed with SIGKILL while bursts go on,
#     and restarted;
#   - once both guests are in their "outage window", the collector is
#     stopped for 30 s while they go on with bursts: journal-upload fails,
#     is restarted every 5 s, and resends from its saved cursor.
# Then the collector's journal is read with journalctl -o json, and
# scripts/fleet-count.awk counts each guest's records: the per-guest counts,
# one VERDICT line and "N passed, N failed" end the output.
# Documentation/fleet.rst is the same setup for an administrator.
# Environment:
#   KEVENT_SKIP_DEPS=1      do not run scripts/deps.sh
#   KEVENT_SAVE_RESULTS     also write the PASS/FAIL lines to this file
#   KEVENT_FLEET_BURSTS     bursts of 10 events per phase (default 10)
#   KEVENT_FLEET_OUTAGE     seconds the collector is down (default 30)
#   KEVENT_QEMU_TIMEOUT     limit per guest, s (default 1200)
# Outputs in build/fleet/: initramfs.gz, run/guest-N.log (consoles),
# run/collector/ (the collector's journal), run/collector.log,
# run/records.json, run/counts.
set -euo pipefail
SELF=$(readlink -f "$0")
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

PORT=19532
COLLECTOR=/lib/systemd/systemd-journal-remote
GUESTS=(1 2)

# --- the run, inside the network namespace ---------------------------------
# run_fleet RUN IMG: collector, both guests, the outage; writes
# RUN/expected ("ID MACHINE_ID LOGGED INSTANCE" a guest) and RUN/results
# (PASS/FAIL lines).
# Globals: the EXIT trap needs them after run_fleet returned.
cpid=""
declare -A qpid=()
# Every QEMU (qemu-run.sh) and the collector are children of this shell.
# shellcheck disable=SC2317 # called by the trap
stop_all() {
	local p
	for p in "${qpid[@]}" $cpid; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
run_fleet() {
	local run=$1 img=$2 g t0 outage="" down=0 stopped=0 waited=0
	local -A seen=() mid=()
	local res=$run/results

	trap stop_all EXIT

	ip link set lo up 2>/dev/null || busybox ip link set lo up ||
		{ echo "FAIL fleet: loopback up in the network namespace" >> "$res"; return 1; }
	start_collector() {
		"$COLLECTOR" --listen-http=127.0.0.1:$PORT --output="$run/collector/" \
			--split-mode=host >> "$run/collector.log" 2>&1 &
		cpid=$!
		# Listening: 127.0.0.1:PORT in state 0A (LISTEN) in /proc/net/tcp.
		local hex
		hex=$(printf '0100007F:%04X' "$PORT")
		for _ in $(seq 50); do
			grep -q " $hex 00000000:0000 0A " /proc/net/tcp && return 0
			kill -0 "$cpid" 2>/dev/null || break
			sleep 0.2
		done
		return 1
	}
	stop_collector() {
		kill -TERM "$cpid" 2>/dev/null
		wait "$cpid" 2>/dev/null || true
		cpid=""
	}
	mkdir -p "$run/collector"
	if ! start_collector; then
		echo "FAIL fleet: systemd-journal-remote listening on 127.0.0.1:$PORT (see $run/collector.log)" >> "$res"
		return 1
	fi
	echo "PASS fleet: collector: systemd-journal-remote --listen-http=127.0.0.1:$PORT (private network namespace)" >> "$res"
	log "collector listening on 127.0.0.1:$PORT, journal in $run/collector/"

	for g in "${GUESTS[@]}"; do
		mid[$g]=$(tr -d '-' < /proc/sys/kernel/random/uuid)
		seen[$g]=0
		log "booting guest $g (machine id ${mid[$g]})"
		KEVENT_QEMU_NIC=user,model=virtio KEVENT_SMP=1 KEVENT_MEM=768 \
			KEVENT_QEMU_TIMEOUT=${KEVENT_QEMU_TIMEOUT:-1200} \
			KEVENT_APPEND="quiet kevent_script=/kevent/fleet.sh fleet_id=$g fleet_machine_id=${mid[$g]} fleet_kill=$([ "$g" = 1 ] && echo 1 || echo 0) fleet_bursts=${KEVENT_FLEET_BURSTS:-10}" \
			scripts/qemu-run.sh s390x "$img" "$run/guest-$g.log" > /dev/null 2>&1 &
		qpid[$g]=$!
	done

	# Show the guests' FLEET lines as they come; stop the collector when
	# every guest still running is in its outage window.
	t0=$SECONDS
	while :; do
		local alive=0 ready=0
		for g in "${GUESTS[@]}"; do
			local n
			n=$({ wc -l < "$run/guest-$g.log"; } 2>/dev/null || echo 0)
			if [ "$n" -gt "${seen[$g]}" ]; then
				sed -n "$((seen[$g] + 1)),${n}p" "$run/guest-$g.log" | tr -d '\r' |
					sed -n 's/^.*FLEET: /guest '"$g"'| /p'
				seen[$g]=$n
			fi
			if kill -0 "${qpid[$g]}" 2>/dev/null; then
				alive=$((alive + 1))
				grep -qs 'FLEET: outage window' "$run/guest-$g.log" && ready=$((ready + 1))
			fi
		done
		[ "$alive" = 0 ] && break
		if [ -z "$outage" ] && [ "$ready" = "$alive" ] && [ "$ready" = "${#GUESTS[@]}" ]; then
			outage=${KEVENT_FLEET_OUTAGE:-30}
			log "both guests in their outage window: collector stopped for ${outage}s"
			stop_collector
			down=$SECONDS
			stopped=1
		fi
		if [ "$stopped" = 1 ] && [ -z "$cpid" ] && [ $((SECONDS - down)) -ge "$outage" ]; then
			if start_collector; then
				log "collector back after $((SECONDS - down))s"
			else
				log "collector did not start again (see $run/collector.log)"
			fi
			waited=$((SECONDS - down))
		fi
		sleep 1
	done
	[ -n "$cpid" ] && stop_collector
	log "both guests done after $((SECONDS - t0))s"

	if [ "$stopped" = 1 ] && [ "$waited" -ge "${outage:-30}" ]; then
		echo "PASS fleet: collector stopped for ${waited}s while both guests sent bursts" >> "$res"
	else
		echo "FAIL fleet: collector outage (the guests did not both reach their outage window)" >> "$res"
	fi
	: > "$run/expected"
	for g in "${GUESTS[@]}"; do
		local r
		r=$(tr -d '\r' < "$run/guest-$g.log" | sed -n 's/^.*FLEET: RESULT //p' | tail -n 1)
		if [ -z "$r" ]; then
			echo "FAIL fleet: guest $g ran to completion ($(grep -m1 -o 'FLEET: FAILED.*' "$run/guest-$g.log" || echo "no FLEET: RESULT; see $run/guest-$g.log"))" >> "$res"
			continue
		fi
		echo "PASS fleet: guest $g ran to completion" >> "$res"
		# machine=ID instance=UUID logged=N local=N outage_failures=N keventlogd_rc=N
		local machine instance logged failures
		machine=$(sed -n 's/.*machine=\([^ ]*\).*/\1/p' <<<"$r")
		instance=$(sed -n 's/.*instance=\([^ ]*\).*/\1/p' <<<"$r")
		logged=$(sed -n 's/.*logged=\([0-9]*\).*/\1/p' <<<"$r")
		failures=$(sed -n 's/.*outage_failures=\([0-9]*\).*/\1/p' <<<"$r")
		if [ "$machine" != "${mid[$g]}" ]; then
			echo "FAIL fleet: guest $g used machine id $machine, not ${mid[$g]}" >> "$res"
		fi
		echo "$g ${mid[$g]} $logged $instance" >> "$run/expected"
		if [ "${failures:-0}" -ge 1 ]; then
			echo "PASS fleet: guest $g: journal-upload failed $failures time(s) during the outage, then uploaded again" >> "$res"
		else
			echo "FAIL fleet: guest $g: journal-upload never failed: the outage was not felt" >> "$res"
		fi
		if [ "$g" = 1 ]; then
			if grep -q 'FLEET: keventlogd restarted' "$run/guest-$g.log"; then
				echo "PASS fleet: guest 1: keventlogd killed with SIGKILL during bursts ($(tr -d '\r' < "$run/guest-$g.log" | sed -n 's/.*FLEET: keventlogd killed with SIGKILL //p')), restarted after them" >> "$res"
			else
				echo "FAIL fleet: guest 1: keventlogd killed with SIGKILL during bursts and restarted" >> "$res"
			fi
		fi
	done
}

if [ "${1:-}" = --in-netns ]; then
	run_fleet "$2" "$3"
	exit
fi

results_init
RESULTS_ECHO=1
RESULTS_T0=$(now)
RESULTS_SAVE=${KEVENT_SAVE_RESULTS:-}
trap results_cleanup EXIT
fatal() { add "FAIL fleet: $*"; finish || true; exit 1; }

# --- 1. deps, build, initramfs ---------------------------------------------
if [ "${KEVENT_SKIP_DEPS:-0}" != 1 ]; then
	t0=$(now)
	scripts/deps.sh || fatal "deps (scripts/deps.sh)"
	SUMMARY+=("deps: $(secs "$t0" "$(now)")s")
fi
# shellcheck source=scripts/env.sh
. scripts/env.sh
[ "${KEVENT_KERNEL:-6.1}" = 6.1 ] || fatal "KERNEL=$KEVENT_KERNEL: check-fleet boots Debian 12's s390x kernel only"
[ -x "$COLLECTOR" ] || fatal "$COLLECTOR missing: apt-get install systemd-journal-remote (scripts/deps.sh)"
OUT=$KEVENT_BUILD/s390x
FLEET=$KEVENT_BUILD/fleet
RUN=$FLEET/run
mkdir -p "$FLEET"
t0=$(now)
log "building for s390x (log: $FLEET/build.log)"
scripts/build.sh s390x > "$FLEET/build.log" 2>&1 || {
	tail -n 20 "$FLEET/build.log"
	fatal "s390x build (see $FLEET/build.log)"
}
# systemd-journal-upload and its libraries from the s390x sysroot; the
# network driver from the s390x kernel package (a module in Debian's).
UPLOAD=$SYSROOT_S390/lib/systemd/systemd-journal-upload
[ -x "$UPLOAD" ] || fatal "$UPLOAD missing (scripts/deps.sh SYSROOT_PKGS: systemd-journal-remote)"
rm -rf "$FLEET/upload-root"
install -D -m 755 "$UPLOAD" "$FLEET/upload-root/lib/systemd/systemd-journal-upload"
scripts/copy-libs.sh "$SYSROOT_S390" "$FLEET/upload-root" s390x-linux-gnu "$UPLOAD" ||
	fatal "libraries of systemd-journal-upload (scripts/deps.sh SYSROOT_PKGS)"
KMOD=$(dirname "$VMLINUZ_S390")/../lib/modules/$S390_ABI-s390x/kernel
for m in net/core/failover drivers/net/net_failover drivers/net/virtio_net; do
	[ -f "$KMOD/$m.ko" ] || fatal "$KMOD/$m.ko missing"
done
scripts/mkinitramfs.sh s390x "$FLEET/initramfs.gz" - >> "$FLEET/build.log" 2>&1 <<EOF || fatal "initramfs (see $FLEET/build.log)"
$OUT/modules/kevent.ko			/kevent/modules/
$OUT/modules/kevent_s390_log.ko		/kevent/modules/
$OUT/modules/kevent_tape_sim.ko		/kevent/modules/
scripts/guest/fleet.sh			/kevent/fleet.sh
$OUT/rootfs-tools/			/
$FLEET/upload-root/			/
$KMOD/net/core/failover.ko		/kevent/netmods/
$KMOD/drivers/net/net_failover.ko	/kevent/netmods/
$KMOD/drivers/net/virtio_net.ko		/kevent/netmods/
EOF
add "PASS fleet: s390x build and the guests' initramfs (keventlogd, journald, journal-upload)"
SUMMARY+=("build: $(secs "$t0" "$(now)")s")

# --- 2. the run, in a network namespace of its own ----------------------------
rm -rf "$RUN"
mkdir -p "$RUN"
: > "$RUN/results"
t0=$(now)
netns=(unshare --net)
[ "$(id -u)" = 0 ] || netns=(unshare --user --map-root-user --net)
if ! "${netns[@]}" "$SELF" --in-netns "$RUN" "$FLEET/initramfs.gz" &&
   ! grep -q '^FAIL ' "$RUN/results"; then
	add "FAIL fleet: the run in a network namespace (${netns[*]})"
fi
SUMMARY+=("run: $(secs "$t0" "$(now)")s (consoles: $RUN/guest-N.log)")
while read -r l; do add "$l"; done < "$RUN/results"

# --- 3. what the collector received ----------------------------------------
if [ -s "$RUN/expected" ]; then
	journalctl -D "$RUN/collector" --no-pager -o json \
		--output-fields=_MACHINE_ID,KEVENT_INSTANCE,KEVENT_SEQ,KEVENT_EVENT \
		> "$RUN/records.json" 2> "$RUN/journalctl.err" ||
		add "FAIL fleet: journalctl -D $RUN/collector ($(head -c 200 "$RUN/journalctl.err"))"
	awk -f scripts/fleet-count.awk "$RUN/expected" "$RUN/records.json" > "$RUN/counts"
	echo
	echo "guest  machine id                        logged  received  unique  duplicates  missing  unexpected"
	keyed=
	while read -r g m logged recv uniq dup miss unexp lost ninst key; do
		[ "$g" = other ] && continue
		printf '%5s  %s  %6d  %8d  %6d  %10d  %7d  %10d\n' "$g" "$m" "$logged" \
			"$recv" "$uniq" "$dup" "$miss" "$unexp"
		SUMMARY+=("guest $g: logged $logged, received $recv, unique $uniq, duplicates $dup, missing $miss, unexpected $unexp, lost $lost")
		if [ "$logged" -gt 0 ] && [ "$miss" = 0 ] && [ "$unexp" = 0 ] && [ "$lost" = 0 ]; then
			add "PASS fleet: guest $g: each of records 1..$logged exactly once at the collector after de-duplication ($dup duplicate(s) dropped)"
		else
			add "FAIL fleet: guest $g: records 1..$logged exactly once at the collector: $miss missing, $unexp unexpected, $lost lost"
		fi
		if [ "$key" = instance ]; then
			if [ "$ninst" = 1 ]; then
				add "PASS fleet: guest $g: its records carry one log instance id (KEVENT_INSTANCE)"
			else
				add "FAIL fleet: guest $g: its records carry $ninst log instance ids, want 1"
			fi
		fi
		keyed="$keyed $key"
	done < "$RUN/counts"
	other=$(awk '$1 == "other" { print $2 }' "$RUN/counts")
	[ "${other:-0}" = 0 ] || add "FAIL fleet: $other kevent record(s) at the collector from no guest's machine id"
	case "$keyed" in
	*seq*) add "SKIP fleet: de-duplication by log instance id - the records carry no KEVENT_INSTANCE: keyed on (machine id, seq) only" ;;
	esac
fi

echo
if [ "$(grep -c '^FAIL ' "$RESULTS" || true)" = 0 ]; then
	echo "VERDICT: every record of both guests exactly once at the collector, across a SIGKILL of keventlogd and a collector outage"
else
	echo "VERDICT: FAILED (see the failures below)"
fi
finish
