#!/bin/sh
# Guest side of `make bench` (busybox sh, run by /init with
# kevent_script=/kevent/bench.sh).  Loads kevent, kevent_s390_log and
# kevent_bench, runs /kevent/bench/kevent-bench, unloads the modules and
# checks dmesg.  Output protocol, parsed by scripts/bench.sh:
#   KEVENT-BENCH-INFO: ...     the guest (kernel, arch, CPUs, memory)
#   KEVENT-BENCH-ROW: ...      one CSV result row
#   KEVENT-BENCH-DONE          kevent-bench finished
#   KEVENT-BENCH-STATUS: ...   module load/unload, dmesg, exit status
# Kernel command line: kevent_bench_args=-q,-d,2000 (commas for spaces).
MODDIR=/kevent/modules
BENCH=/kevent/bench/kevent-bench
status() { echo "KEVENT-BENCH-STATUS: $*"; }

dmesg -n 1
dmesg -c >/dev/null
for m in kevent kevent_s390_log kevent_bench; do
	if ! out=$(insmod "$MODDIR/$m.ko" 2>&1); then
		status "FAIL insmod $m - $out"
		exit 1
	fi
done
# 1,000,000 requests for the scale section, plus the targets.
echo 4000000 > /sys/module/kevent/parameters/max_user_requests
# Room for netlink receive buffers (kevent-bench also uses SO_RCVBUFFORCE).
echo 33554432 > /proc/sys/net/core/rmem_max
# Nobody else listens to uevents here; make sure no helper is spawned.
[ -w /proc/sys/kernel/hotplug ] && echo > /proc/sys/kernel/hotplug

args=$(echo "${kevent_bench_args:-}" | tr ',' ' ')
# shellcheck disable=SC2086 # word list
"$BENCH" $args
rc=$?
status "kevent-bench exit $rc"

for m in kevent_bench kevent_s390_log kevent; do
	if out=$(rmmod "$m" 2>&1); then
		status "PASS rmmod $m"
	else
		status "FAIL rmmod $m - $out"
	fi
done
bad=$(dmesg | grep -E 'Oops|WARNING:|BUG|sleeping function|Call Trace|soft lockup|hung_task|RCU stall|list_(add|del) corruption')
if [ -z "$bad" ]; then
	status "PASS dmesg clean"
else
	echo "$bad" | sed 's/^/KEVENT-BENCH-DMESG: /'
	status "FAIL dmesg clean"
fi
