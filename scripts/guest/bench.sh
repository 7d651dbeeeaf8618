#!/bin/sh
# Guest side of `make bench` (busybox sh, run by /init with
# kevent_script=/kevent/bench.sh).  Loads kevent, kevent_s390_log and
# kevent_bench, runs /kevent/bench/kevent-bench, unloads the modules and
# checks dmesg.  Output protocol, parsed by scripts/bench.sh:
#   KEVENT-BENCH-INFO: ...     the guest (kernel, arch, CPUs, memory)
#   KEVENT-BENCH-ROW: ...      one CSV result row
#   KEVENT-BENCH-DONE          kevent-bench finished
#   KEVENT-BENCH-STATUS: ...   module load/unload, dmesg, exit status
#   KEVENT-BENCH-PERF: CFG: .. one line of CFG's profile (BENCH_PERF)
#   KEVENT-BENCH-AB: S,R,...   BENCH_AB: a row of side S (a or b), round R
#   KEVENT-BENCH-AB-DONE       BENCH_AB: every round finished
#   KEVENT-BENCH-INSN: ...     one measured window of the instruction-
#                              count pass (kevent-bench -I)
#   KEVENT-BENCH-KSYM: ...     with kevent_bench_ksyms=1 (BENCH_PROFILE):
#                              the text symbols of /proc/kallsyms, gzip'ed
#                              and base64'ed, one line each
# Kernel command line: kevent_bench_args=-q,-d,2000 (commas for spaces).
# With BENCH_PERF, also kevent_bench_perf=kevent_ring/1,genetlink/1 (the
# throughput configurations to profile, one `perf record` each, after the
# main run) and kevent_bench_perf_args=-r,1,-d,3000.  With BENCH_AB,
# kevent_bench_ab=ROUNDS instead of the main run (ab_run below).
MODDIR=/kevent/modules
BENCH=/kevent/bench/kevent-bench
PERF=/usr/bin/perf
status() { echo "KEVENT-BENCH-STATUS: $*"; }

# perf_profile CFG: one throughput configuration (kevent-bench -m CFG) under
# a system-wide cpu-clock profile (no PMU under TCG), reported as
# KEVENT-BENCH-PERF lines.  The producer kthread is "kevent_bench" on CPU 0,
# the consumers are kevent-bench threads on CPUs 1-3, idle is "swapper".
perf_profile() {
	cfg=$1 data=/tmp/perf.data
	pfx="KEVENT-BENCH-PERF: $cfg: "
	# shellcheck disable=SC2086 # word list
	"$PERF" record -q -N -e cpu-clock -F 1000 -a -g -o "$data" -- \
		"$BENCH" $perf_args -m "$cfg" throughput >/tmp/perf-bench.out 2>/tmp/perf-record.err
	prc=$?
	{
		echo "== kevent-bench $perf_args -m $cfg throughput, under: perf record -e cpu-clock -F 1000 -a -g (exit $prc)"
		# Its rows are renamed, so that the main table does not take them.
		sed -n 's/^KEVENT-BENCH-ROW: /row: /p' /tmp/perf-bench.out
		grep -v '^$' /tmp/perf-record.err | head -n 20
		if [ -s "$data" ]; then
			echo "== perf report --no-children --sort sym (self time per symbol)"
			perf_report "$data" 40 -g none --no-children --sort sym
			echo "== perf report --no-children --sort comm (per task; swapper is idle)"
			perf_report "$data" 12 -g none --no-children --sort comm
			echo "== perf report --no-children --sort cpu,comm (producer CPU 0, consumers 1-3)"
			perf_report "$data" 16 -g none --no-children --sort cpu,comm
			echo "== perf report --no-children --sort comm,sym"
			perf_report "$data" 30 -g none --no-children --sort comm,sym
			echo "== perf report --children --sort sym (self + callees, from -g)"
			perf_report "$data" 40 -g none --children --sort sym
			echo "== perf report --no-children --sort comm,sym -g callee (callers of each entry >= 2%)"
			perf_report "$data" 200 -g graph,0.5,callee --max-stack 8 \
				--percent-limit 2 --no-children --sort comm,sym
		fi
	} 2>&1 | sed "s|^|$pfx|"
	rm -f "$data" /tmp/perf-bench.out /tmp/perf-record.err
}

# perf_report DATA N OPTION...: the sample count and the first N lines.
perf_report() {
	d=$1 n=$2
	shift 2
	"$PERF" --no-pager report -i "$d" --stdio --percent-limit 0.1 "$@" \
		>/tmp/perf-report.out 2>/tmp/perf-report.err ||
		{ echo "perf report failed:"; head -n 20 /tmp/perf-report.err; }
	grep -E '^# (Samples|Event count)' /tmp/perf-report.out
	grep -v -e '^#' -e '^ *$' /tmp/perf-report.out | head -n "$n"
	rm -f /tmp/perf-report.out /tmp/perf-report.err
}

# load DIR: kevent, kevent_s390_log and kevent_bench from DIR, set up as
# every run needs them.
load() {
	for m in kevent kevent_s390_log kevent_bench; do
		if ! out=$(insmod "$1/$m.ko" 2>&1); then
			status "FAIL insmod $m - $out"
			exit 1
		fi
	done
	# 1,000,000 requests for the scale section, plus the targets.
	echo 4000000 > /sys/module/kevent/parameters/max_user_requests
}

unload() {
	for m in kevent_bench kevent_s390_log kevent; do
		if out=$(rmmod "$m" 2>&1); then
			status "PASS rmmod $m"
		else
			status "FAIL rmmod $m - $out"
		fi
	done
}

# ab_run ROUNDS: BENCH_AB.  Sides a and b (/kevent/ab/SIDE/: the modules
# and kevent-bench), in the order ab ba ab ..., so that a drift of the
# host's speed over the run weighs on both alike.  Rows come out as
# KEVENT-BENCH-AB: SIDE,ROUND,ROW.
ab_run() {
	r=1
	while [ "$r" -le "$1" ]; do
		if [ $((r % 2)) = 1 ]; then order="a b"; else order="b a"; fi
		for side in $order; do
			load "/kevent/ab/$side"
			# shellcheck disable=SC2086 # word list
			"/kevent/ab/$side/kevent-bench" $args > /tmp/ab.out
			rc=$?
			sed -n "s/^KEVENT-BENCH-ROW: /KEVENT-BENCH-AB: $side,$r,/p" /tmp/ab.out
			[ "$r$side" = 1a ] && grep '^KEVENT-BENCH-INFO: ' /tmp/ab.out
			status "kevent-bench side $side round $r exit $rc"
			unload
		done
		r=$((r + 1))
	done
	echo "KEVENT-BENCH-AB-DONE"
}

dmesg -n 1
dmesg -c >/dev/null
# Room for netlink receive buffers (kevent-bench also uses SO_RCVBUFFORCE).
echo 33554432 > /proc/sys/net/core/rmem_max
# Nobody else listens to uevents here; make sure no helper is spawned.
[ -w /proc/sys/kernel/hotplug ] && echo > /proc/sys/kernel/hotplug

args=$(echo "${kevent_bench_args:-}" | tr ',' ' ')
if [ -n "${kevent_bench_ab:-}" ]; then
	ab_run "$kevent_bench_ab"
else
	load "$MODDIR"
	# shellcheck disable=SC2086 # word list
	"$BENCH" $args
	rc=$?
	status "kevent-bench exit $rc"
	if [ "${kevent_bench_ksyms:-}" = 1 ]; then
		# What the profile's PCs are named by (scripts/bench-profile.awk);
		# Debian's System.map is a stub.  Packed: the console is slow.
		# A module's data sections name what lies past its code: on
		# s390x, the PLT through which it calls other modules and the
		# kernel.
		echo 0 > /proc/sys/kernel/kptr_restrict
		{
			grep -E '^[0-9a-f]+ [tTwW] ' /proc/kallsyms
			for m in kevent kevent_s390_log kevent_bench; do
				for f in "/sys/module/$m/sections/".[!.]* "/sys/module/$m/sections/"*; do
					case "$f" in *text* | *'*') continue ;; esac
					echo "$(sed 's/^0x//' "$f") t past:${f##*/} [$m]"
				done
			done
		} | gzip -9 | base64 | sed 's/^/KEVENT-BENCH-KSYM: /'
	fi
	perf_cfgs=$(echo "${kevent_bench_perf:-}" | tr ',' ' ')
	perf_args=$(echo "${kevent_bench_perf_args:-}" | tr ',' ' ')
	if [ -n "$perf_cfgs" ]; then
		if [ -x "$PERF" ] && "$PERF" --version >/dev/null 2>&1; then
			# Kernel and module symbols from /proc/kallsyms; any event.
			echo 0 > /proc/sys/kernel/kptr_restrict
			echo -1 > /proc/sys/kernel/perf_event_paranoid
			for cfg in $perf_cfgs; do
				perf_profile "$cfg"
			done
		else
			echo "KEVENT-BENCH-PERF: all: perf does not run here: $("$PERF" --version 2>&1 | head -n 3)"
		fi
	fi
	unload
fi
bad=$(dmesg | grep -E 'Oops|WARNING:|BUG|sleeping function|Call Trace|soft lockup|hung_task|RCU stall|list_(add|del) corruption')
if [ -z "$bad" ]; then
	status "PASS dmesg clean"
else
	echo "$bad" | sed 's/^/KEVENT-BENCH-DMESG: /'
	status "FAIL dmesg clean"
fi
