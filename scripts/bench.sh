#!/bin/bash
# `make bench`: boot one QEMU guest and compare, in that one boot and
# against one in-kernel producer (tools/kevent/bench/kmod/), kevent's mmap
# ring and copy path with generic netlink, uevents and eventfd+epoll:
# throughput, wakeup latency, notify cost against registered requests,
# memory per request and parallel producers.  Documentation/bench.rst
# has the method; results go to results/RUN_ID/ (not committed):
#   table.txt  the table (also printed)     bench.csv  every row
#   bench.json the same rows                bench.png  the chart
#   guest.log  the console                 perf-CFG.txt  profiles (BENCH_PERF)
#   insn.csv   instruction counts per row  guest-insn.log, insn-plugin.txt
#                                          that pass's console and counters
#   profile.txt  per function (BENCH_PROFILE)
# Timings move with the host; instruction counts do not.  So a second
# boot, the instruction-count pass, runs kevent-bench -I under a QEMU TCG
# plugin (tools/kevent/bench/qemu-plugin/kevent_insn.c, built once per
# QEMU version by scripts/qemu-plugin.sh) that counts the instructions
# each vCPU executes between markers: instructions per notify on the
# producer CPU and per event on the consumer CPU go beside each rate in
# the table, bench.csv and bench.json (the plugin slows TCG, so the
# timing boot runs without it).
# results/latest points at the newest run.  A missed target is reported,
# never a failure: the exit status is non-zero only if the benchmark
# could not run.
#
# Environment:
#   BENCH_ARCH=x86_64|s390x   (default x86_64)
#   BENCH_SMP, BENCH_MEM      guest CPUs and MiB (default 4, 3072)
#   BENCH_ARGS                kevent-bench options, e.g. "-q" for a
#                             quick smoke run, or "-d 2000 -r 5"; on
#                             s390x "-H 1000" is added unless -H is given
#                             (not with BENCH_AB)
#   BENCH_TIMEOUT             whole-VM limit in seconds (default 3600)
#   BENCH_APPEND              extra guest kernel parameters (default on
#                             x86_64: "tsc=reliable", see below)
#   BENCH_BUILD               build folder (default build/bench)
#   BENCH_PERF                "1": after the main run, profile the
#                             throughput configurations kevent_ring/1,
#                             eventfd_epoll/1 and genetlink/1 with the host's
#                             perf (system-wide cpu-clock, -g), one run each;
#                             or a comma-separated list of NAME/THREADS.
#                             Reports go to results/RUN_ID/perf-NAME-N.txt.
#                             x86_64 only.
#   BENCH_PERF_ARGS           kevent-bench options of the profiled runs
#                             (default "-r 1 -d 3000")
#   BENCH_AB                  "notrace" or a git revision: an A/B run in
#                             one boot instead of the main run.  A is
#                             this tree; B is this tree with the
#                             tracepoints compiled out, or that revision
#                             (its modules and its kevent-bench).  The
#                             guest alternates A and B (ABBA...) over
#                             BENCH_AB_ROUNDS rounds (default 6), each
#                             with its own modules loaded, and
#                             results/RUN_ID/ab.txt has every row's
#                             median per side and B/A.  BENCH_ARGS
#                             default here: "scale -s 1 -m
#                             kevent_ring/1+eventfd_epoll/1 -r 1 -d 2000
#                             throughput".
#   BENCH_INSN                "1" (default): the instruction-count pass
#                             after the timing boot; "0": none; "only":
#                             that pass alone (insn.csv, no timings)
#   BENCH_INSN_ARGS           kevent-bench options of that pass (default
#                             BENCH_ARGS; -I is added: each 1-consumer
#                             throughput row run once as timed and once
#                             queued, and the scale section)
#   BENCH_PROFILE             "1": that pass also profiles, per function,
#                             what each row's notifies execute (plugin
#                             prof=on, the guest's kallsyms) ->
#                             results/RUN_ID/profile.txt
# Standalone on purpose: it builds the modules and kevent-bench in its own
# folder and packs a small initramfs of its own choosing (mkinitramfs.sh
# with a list), so it does not depend on (or disturb) the outputs of
# scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ARCH=${BENCH_ARCH:-x86_64}
SMP=${BENCH_SMP:-4}
MEM=${BENCH_MEM:-3072}
ARGS=${BENCH_ARGS:-}
# Under TCG the x86 guest kernel distrusts the TSC and falls back to the
# HPET, whose every read is an emulated MMIO access under QEMU's global
# lock: microseconds per ktime_get_ns()/clock_gettime(), serialising the
# vCPUs.  QEMU's emulated TSC is monotonic and shared by all vCPUs, so
# the benchmark tells the guest to trust it (Documentation/bench.rst).
case "$ARCH" in
x86_64) APPEND=${BENCH_APPEND-tsc=reliable} ;;
*) APPEND=${BENCH_APPEND-} ;;
esac
export KEVENT_BUILD=${BENCH_BUILD:-$ROOT/build/bench}
PERF_CFGS=${BENCH_PERF:-}
case "$PERF_CFGS" in
0) PERF_CFGS= ;;
1) PERF_CFGS=kevent_ring/1,eventfd_epoll/1,genetlink/1 ;;
esac
PERF_ARGS=${BENCH_PERF_ARGS:--r 1 -d 3000}
AB=${BENCH_AB:-}
AB_ROUNDS=${BENCH_AB_ROUNDS:-6}
if [ -n "$AB" ]; then
	[ -n "$PERF_CFGS" ] && die "BENCH_AB and BENCH_PERF: one at a time"
	ARGS=${BENCH_ARGS:-scale -s 1 -m kevent_ring/1+eventfd_epoll/1 -r 1 -d 2000 throughput}
fi
# An s390x guest under TCG takes 0.5-3 ms per h2h event, and 10,000
# files would add over half an hour: stop at 1,000 unless told (-H).
# Not in an A/B run: B's kevent-bench may predate -H.
if [ "$ARCH" = s390x ] && [ -z "$AB" ] && [[ " $ARGS " != *" -H"* ]]; then
	ARGS="-H 1000${ARGS:+ $ARGS}"
fi
INSN=${BENCH_INSN:-1}
INSN_ARGS="-I ${BENCH_INSN_ARGS:-$ARGS}"
case "$INSN" in
0 | 1 | only) ;;
*) echo "bench: ERROR: BENCH_INSN=$INSN: want 0, 1 or only" >&2; exit 1 ;;
esac
PROFILE=${BENCH_PROFILE:-0}
case "$PROFILE" in
0 | 1) ;;
*) echo "bench: ERROR: BENCH_PROFILE=$PROFILE: want 0 or 1" >&2; exit 1 ;;
esac
# An A/B run is a report of its own: no instruction-count pass.
[ -n "$AB" ] && INSN=0

# shellcheck source=scripts/lib.sh
. scripts/lib.sh

# The report alone, again: scripts/bench-report.sh (bench.sh --report DIR
# still works).
if [ "${1:-}" = --report ]; then
	exec scripts/bench-report.sh "${2:?usage: bench.sh --report results/RUN_ID}"
fi

# --- dependencies -------------------------------------------------------------
scripts/deps.sh --if-stale
if ! command -v gnuplot >/dev/null; then
	apt_need gnuplot-nox || log "gnuplot not available: no chart"
fi
# kevent-bench's io_uring rows (h2h) link liburing statically; an s390x
# build takes it from the sysroot (scripts/deps.sh).
apt_need liburing-dev || die "cannot install liburing-dev"
# shellcheck source=scripts/env.sh
. scripts/env.sh
kevent_arch_vars "$ARCH"
BENCH_SYSROOT=
[ "$ARCH" = s390x ] && BENCH_SYSROOT=$SYSROOT_S390

# --- the instruction-count plugin, for this QEMU ------------------------------
PLUGIN=
if [ "$INSN" != 0 ]; then
	PLUGIN=$(scripts/qemu-plugin.sh "$ARCH" | tail -n 1)
	[ -f "$PLUGIN" ] || die "no instruction-count plugin (scripts/qemu-plugin.sh)"
fi

# --- BENCH_PERF: the host's perf, for an x86_64 guest only ---------------------
PERF_BIN=
if [ -n "$PERF_CFGS" ]; then
	# Debian's linux-perf has the real binary at /usr/bin/perf (older
	# releases: a wrapper there, and perf_X.Y or linux-tools-X.Y/perf).
	[ "$ARCH" = x86_64 ] ||
		die "BENCH_PERF: x86_64 guest only (there is no s390x perf binary here); unset it for $ARCH"
	for p in /usr/bin/perf_* /usr/lib/linux-tools*/perf /usr/bin/perf; do
		if [ -f "$p" ] && readelf -h "$p" 2>/dev/null | grep -q 'X86-64'; then
			PERF_BIN=$p
			break
		fi
	done
	[ -n "$PERF_BIN" ] ||
		die "BENCH_PERF: no x86_64 perf binary on the host (install linux-perf)"
	log "perf: $PERF_BIN ($("$PERF_BIN" --version 2>/dev/null)), profiling $PERF_CFGS"
fi

OUT=$KEVENT_BUILD/$ARCH
SRC=$OUT/src
mkdir -p "$SRC" "$OUT/bin"

# --- build: modules and kevent-bench --------------------------------------------
# build_variant TREE BIN [KCFLAGS]: TREE's modules (in place) and its
# kevent-bench into BIN/.
build_variant() {
	local tree=$1 bin=$2 m
	make -s -C "$KDIR" M="$tree" "${KMAKE_ARGS[@]}" -j"$(nproc)" KEVENT_DEV=1 \
		${3:+KCFLAGS="$3"} modules 2>&1 | grep -v '^Skipping BTF' >&2 || true
	for m in kevent/kevent.ko drivers/s390/char/kevent_s390_log.ko tools/kevent/bench/kmod/kevent_bench.ko; do
		[ -f "$tree/$m" ] || die "module $m was not built in $tree"
	done
	mkdir -p "$bin"
	make -s -C "$tree/tools/kevent/bench" CC="$UCC" OUTPUT="$bin/" -j"$(nproc)" \
		${BENCH_SYSROOT:+SYSROOT="$BENCH_SYSROOT"}
}

log "build $ARCH (KDIR=$KDIR)"
rsync -a --delete --exclude=/build/ --exclude=/.git/ --exclude=/results/ \
	--filter=':- .gitignore' "$ROOT/" "$SRC/"
build_variant "$SRC" "$OUT/bin"

# BENCH_AB: the B side.  "notrace" is this tree with every tracepoint
# compiled out (NOTRACE, include/linux/tracepoint.h); anything else is a
# git revision, exported whole (its own kevent-bench too).
AB_LIST=
if [ -n "$AB" ]; then
	ABSRC=$OUT/src-b
	rm -rf "$ABSRC"
	if [ "$AB" = notrace ]; then
		cp -a "$SRC" "$ABSRC"
		make -s -C "$KDIR" M="$ABSRC" "${KMAKE_ARGS[@]}" KEVENT_DEV=1 clean >/dev/null
		log "build $ARCH B side: this tree with KCFLAGS=-DNOTRACE"
		build_variant "$ABSRC" "$OUT/bin-b" -DNOTRACE
	else
		rev=$(git -C "$ROOT" rev-parse --verify "$AB^{commit}") ||
			die "BENCH_AB=$AB: neither notrace nor a git revision"
		mkdir -p "$ABSRC"
		git -C "$ROOT" archive "$rev" | tar -x -C "$ABSRC"
		log "build $ARCH B side: revision $(git -C "$ROOT" log -1 --format='%h %s' "$rev")"
		build_variant "$ABSRC" "$OUT/bin-b"
	fi
	AB_LIST="$SRC/kevent/kevent.ko				/kevent/ab/a/
$SRC/drivers/s390/char/kevent_s390_log.ko	/kevent/ab/a/
$SRC/tools/kevent/bench/kmod/kevent_bench.ko	/kevent/ab/a/
$OUT/bin/kevent-bench				/kevent/ab/a/
$ABSRC/kevent/kevent.ko				/kevent/ab/b/
$ABSRC/drivers/s390/char/kevent_s390_log.ko	/kevent/ab/b/
$ABSRC/tools/kevent/bench/kmod/kevent_bench.ko	/kevent/ab/b/
$OUT/bin-b/kevent-bench				/kevent/ab/b/"
fi

# --- initramfs: the guest script, three modules, the binary (and perf) --------
PERF_ROOT=$OUT/perf-root
rm -rf "$PERF_ROOT"
if [ -n "$PERF_BIN" ]; then
	# Kernel and module symbols come from the guest's /proc/kallsyms.
	mkdir -p "$PERF_ROOT/usr/bin"
	install -m 755 "$PERF_BIN" "$PERF_ROOT/usr/bin/perf"
	scripts/copy-libs.sh "" "$PERF_ROOT" x86_64-linux-gnu "$PERF_BIN" ||
		die "BENCH_PERF: could not copy perf's libraries"
fi
scripts/mkinitramfs.sh "$ARCH" "$OUT/initramfs.gz" - >/dev/null <<EOF ||
scripts/guest/bench.sh				/kevent/bench.sh
$SRC/kevent/kevent.ko				/kevent/modules/
$SRC/tools/kevent/bench/kmod/kevent_bench.ko	/kevent/modules/
$SRC/drivers/s390/char/kevent_s390_log.ko	/kevent/modules/
$OUT/bin/kevent-bench				/kevent/bench/
?$PERF_ROOT/					/
$AB_LIST
EOF
	die "initramfs (scripts/mkinitramfs.sh)"

# --- run ----------------------------------------------------------------------
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)-$ARCH
RES=$ROOT/results/$RUN_ID
mkdir -p "$RES"
GLOG=$RES/guest.log

# boot LOG ARGS [QEMU_ARGS [APPEND]]: one guest running kevent-bench ARGS;
# sets qrc, QEMU's exit status.
boot() {
	local glog=$1 args=$2
	qrc=0
	KEVENT_SMP=$SMP KEVENT_MEM=$MEM KEVENT_QEMU_TIMEOUT=${BENCH_TIMEOUT:-3600} \
	KEVENT_QEMU_ARGS=${3:-} \
	KEVENT_APPEND="$APPEND kevent_script=/kevent/bench.sh kevent_bench_args=$(tr ' ' ',' <<<"$args") ${4:-}" \
		scripts/qemu-run.sh "$ARCH" "$OUT/initramfs.gz" "$glog" || qrc=$?
	tr -d '\r' < "$glog" > "$glog.tmp" && mv "$glog.tmp" "$glog"
	grep -E '^kevent-bench: |KEVENT-BENCH-(STATUS|DMESG)' "$glog" >&2 || true
}

# profile ILOG: BENCH_PROFILE's profile.txt from the pass's plugin output
# and console, whose KEVENT-BENCH-KSYM lines carry the guest's text
# symbols (Debian's System.map is a stub): kernel and modules alike.
profile() {
	local ilog=$1
	sed -n 's/.*KEVENT-BENCH-KSYM: //p' "$ilog" | base64 -d | gunzip |
		awk 'length($1) == 16 { print $1, $3, $4 }' | LC_ALL=C sort > "$RES/profile-syms.txt" ||
		{ log "profile: no symbols from the guest"; return 1; }
	awk -f scripts/bench-profile.awk "$RES/profile-syms.txt" "$RES/insn-plugin.txt" \
		"$ilog" > "$RES/profile.txt" || return 1
	log "per-function profile: results/$RUN_ID/profile.txt"
}

# insn_pass: the instruction-count boot -> insn.csv; 1 if it failed.
insn_pass() {
	local ilog=$RES/guest-insn.log popt="" pappend=""
	if [ "$PROFILE" = 1 ]; then
		popt=,prof=on
		pappend="kevent_bench_ksyms=1"
	fi
	log "instruction-count pass: $ARCH -smp $SMP -m $MEM, QEMU plugin $(basename "$PLUGIN")$popt, kevent-bench $INSN_ARGS"
	boot "$ilog" "$INSN_ARGS" "-plugin $PLUGIN,out=$RES/insn-plugin.txt$popt" "$pappend"
	if ! grep -q 'KEVENT-BENCH-DONE' "$ilog"; then
		log "instruction-count pass did not finish (qemu exit $qrc); see $ilog"
		return 1
	fi
	awk -f scripts/bench-insn.awk "$RES/insn-plugin.txt" "$ilog" > "$RES/insn.csv" ||
		{ log "instruction counts: see $RES/insn-plugin.txt and $ilog"; rm -f "$RES/insn.csv"; return 1; }
	if [ "$PROFILE" = 1 ]; then
		profile "$ilog" || { log "no profile: see $RES/insn-plugin.txt and $ilog"; return 1; }
	fi
}

if [ "$INSN" = only ]; then
	insn_pass || die "no instruction counts"
	ln -sfn "$RUN_ID" "$ROOT/results/latest"
	cat "$RES/insn.csv"
	log "results in results/$RUN_ID/ (insn.csv guest-insn.log insn-plugin.txt)"
	exit 0
fi

log "run $RUN_ID: $ARCH -smp $SMP -m $MEM, kevent-bench ${ARGS:-(defaults)}"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
PERF_APPEND=
[ -n "$PERF_BIN" ] &&
	PERF_APPEND="kevent_bench_perf=$PERF_CFGS kevent_bench_perf_args=$(tr ' ' ',' <<<"$PERF_ARGS")"
[ -n "$AB" ] && PERF_APPEND="kevent_bench_ab=$AB_ROUNDS"
boot "$GLOG" "$ARGS" "" "$PERF_APPEND"
grep -qE 'KEVENT-BENCH-(ROW|AB): ' "$GLOG" ||
	die "no result rows (qemu exit $qrc); see $GLOG"
HOSTLOAD="$LOAD0 / $(cut -d' ' -f1-3 /proc/loadavg)"
trc=$qrc
irc=0
if [ "$INSN" = 1 ]; then
	insn_pass || irc=1
fi
qrc=$trc

# --- report -------------------------------------------------------------------
if [ -n "$AB" ]; then
	grep -q 'KEVENT-BENCH-AB-DONE' "$GLOG" ||
		die "the A/B run did not finish (qemu exit $qrc); see $GLOG"
	awk -v a="$(git -C "$ROOT" describe --always --dirty)" -v b="$AB" \
		-f scripts/bench-ab.awk "$GLOG" > "$RES/ab.txt"
	ln -sfn "$RUN_ID" "$ROOT/results/latest"
	cat "$RES/ab.txt"
	log "results in results/$RUN_ID/ (ab.txt guest.log)"
	exit 0
fi
echo "$HOSTLOAD" > "$RES/hostload.txt"
HOSTLOAD=$HOSTLOAD scripts/bench-report.sh "$RES" "$RUN_ID" "$ARCH" "smp${SMP}/mem${MEM}M"
ln -sfn "$RUN_ID" "$ROOT/results/latest"
cat "$RES/table.txt"
grep -q 'KEVENT-BENCH-DONE' "$GLOG" || die "kevent-bench did not finish (qemu exit $qrc); see $GLOG"
log "results in results/$RUN_ID/ (table.txt bench.csv bench.json bench.png guest.log)"
if [ -n "$PERF_BIN" ]; then
	set -- "$RES"/perf-*.txt
	[ -f "$1" ] || die "BENCH_PERF: no profile in $GLOG"
	log "perf profiles: $(cd "$RES" && echo perf-*.txt)"
fi
[ "$irc" = 0 ] || die "the instruction-count pass failed: no instruction counts in the table"
