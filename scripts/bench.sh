#!/bin/bash
# `make bench`: boot one QEMU guest and compare, in that one boot and
# against one in-kernel producer (kevent/kevent_bench.c), kevent's mmap
# ring and copy path with generic netlink, uevents and eventfd+epoll:
# throughput, wakeup latency, notify cost against registered requests,
# memory per request and parallel producers.  Documentation/bench.rst
# has the method; results go to results/RUN_ID/ (not committed):
#   table.txt  the table (also printed)     bench.csv  every row
#   bench.json the same rows                bench.png  the chart
#   guest.log  the console                 perf-CFG.txt  profiles (BENCH_PERF)
# results/latest points at the newest run.  A missed target is reported,
# never a failure: the exit status is non-zero only if the benchmark
# could not run.
#
# Environment:
#   BENCH_ARCH=x86_64|s390x   (default x86_64)
#   BENCH_SMP, BENCH_MEM      guest CPUs and MiB (default 4, 3072)
#   BENCH_ARGS                kevent-bench options, e.g. "-q" for a
#                             quick smoke run, or "-d 2000 -r 5"
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

# shellcheck source=scripts/lib.sh
. scripts/lib.sh

# --- report -------------------------------------------------------------------
# report DIR RUN_ID ARCH GUEST: guest.log -> bench.csv, bench.json,
# table.txt, bench.png.  Also: scripts/bench.sh --report DIR (again).
report() {
	local dir=$1 run=$2 arch=$3 guest=$4 kernel info
	info=$(grep -m1 'KEVENT-BENCH-INFO: ' "$dir/guest.log" | sed 's/.*KEVENT-BENCH-INFO: //')
	kernel=$(sed -n 's/.*kernel=\([^ ]*\).*/\1/p' <<<"$info")
	{
		echo "run,kernel,arch,guest,section,name,threads,load,value,unit,p50_us,p99_us,max_us,lost,note"
		grep 'KEVENT-BENCH-ROW: ' "$dir/guest.log" | sed 's/.*KEVENT-BENCH-ROW: //' |
			sed "s|^|$run,$kernel,$arch,$guest,|"
	} > "$dir/bench.csv"

	# KEVENT-BENCH-PERF: CFG: LINE -> perf-CFG.txt ("/" in CFG becomes "-")
	rm -f "$dir"/perf-*.txt
	awk -v dir="$dir" 'sub(/.*KEVENT-BENCH-PERF: /, "") {
		i = index($0, ": "); cfg = substr($0, 1, i - 1); gsub(/\//, "-", cfg)
		print substr($0, i + 2) > (dir "/perf-" cfg ".txt") }' "$dir/guest.log"

	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
	function num(v) { return v == "" ? "null" : v }
	function str(v) { gsub(/\\/, "\\\\", v); gsub(/"/, "\\\"", v); return "\"" v "\"" }
	{
		printf "%s  {", (NR > 2 ? ",\n" : "[\n")
		for (i = 1; i <= NF; i++) {
			v = (h[i] ~ /^(threads|load|value|p50_us|p99_us|max_us|lost)$/) ? num($i) : str($i)
			printf "%s\"%s\": %s", (i > 1 ? ", " : ""), h[i], v
		}
		printf "}"
	}
	END { print (NR > 1 ? "\n]" : "[]") }' "$dir/bench.csv" > "$dir/bench.json"

	awk -F, -v info="$info" -v hostload="${HOSTLOAD:-}" '
	NR == 1 { next }
	NR == 2 { printf "kevent benchmark: run %s, kernel %s, arch %s, guest %s (QEMU TCG)\n", $1, $2, $3, $4
		  printf "guest: %s\n", info
		  if (hostload != "") printf "host load average before/after: %s\n", hostload }
	{ sec[NR] = $5; n = NR }
	$5 == "throughput" { tp[$6, $7] = $9; tl[$6] += $14; if (!($6 in tseen)) { tseen[$6] = 1; tord[++nt] = $6 }
			     if ($7 == 1) tnote[$6] = $15 }
	$5 == "latency" { lord[++nl] = $6; l50[$6] = $11; l99[$6] = $12; lmax[$6] = $13; llost[$6] = $14 }
	$5 == "scale" { if (!($6 in sseen)) { sseen[$6] = 1; sord[++ns] = $6 }
			if (!($8 in lseen)) { lseen[$8] = 1; lds[++nld] = $8 }
			sc[$6, $8] = $9 }
	$5 == "scale_rel" { srel[$6, $8] = $9 }
	$5 == "memory" { mord[++nm] = $6; mv[$6] = $9; mn[$6] = $15; ml[$6] = $8 }
	$5 == "parallel" { if (!($6 in pseen)) { pseen[$6] = 1; pord[++np] = $6 }; pv[$6, $7] = $9 }
	$5 == "target" { tgo[++ng] = $6; tgv[$6] = $9; tgu[$6] = $10; tgn[$6] = $15 }
	function f0(v) { return v == "" ? "-" : sprintf("%.0f", v) }
	END {
		if (nt) {
			print "\n1. Throughput, kernel -> user, lossless (events/s, median of the runs; one producer kthread on CPU 0)"
			printf "  %-22s %12s %12s %12s %7s %9s\n", "mechanism", "1 consumer", "2 consumers", "4 consumers", "lost", "ring/this"
			for (i = 1; i <= nt; i++) { m = tord[i]
				r = (tp[m, 1] > 0) ? sprintf("%.2fx", tp["kevent_ring", 1] / tp[m, 1]) : "-"
				printf "  %-22s %12s %12s %12s %7s %9s\n", m, f0(tp[m, 1]), f0(tp[m, 2]), f0(tp[m, 4]), tl[m], r }
			print "  1 consumer, per run:"
			for (i = 1; i <= nt; i++) printf "    %-20s %s\n", tord[i], tnote[tord[i]]
		}
		if (nl) {
			print "\n2. Wakeup latency, notify -> consumer holds the event (us; producer on CPU 0, consumer on CPU 1)"
			printf "  %-32s %9s %9s %9s %6s\n", "mechanism/producer context", "p50", "p99", "max", "lost"
			for (i = 1; i <= nl; i++) { m = lord[i]
				printf "  %-32s %9s %9s %9s %6s\n", m, l50[m], l99[m], lmax[m], llost[m] }
		}
		if (ns) {
			print "\n3. Cost of one notify vs unrelated requests registered (ns/notify, in-kernel, 1 CPU)"
			printf "  %-24s", "call \\ requests"
			for (j = 1; j <= nld; j++) printf " %10s", lds[j]
			printf " %9s\n", "last/first"
			for (i = 1; i <= ns; i++) { m = sord[i]; printf "  %-24s", m
				for (j = 1; j <= nld; j++) printf " %10s", f0(sc[m, lds[j]])
				r = (sc[m, lds[1]] > 0) ? sprintf("%.2fx", sc[m, lds[nld]] / sc[m, lds[1]]) : "-"
				printf " %9s\n", r
				if (srel[m, lds[1]] == "") continue
				printf "  %-24s", "  / unloaded reference"
				for (j = 1; j <= nld; j++) printf " %10s", srel[m, lds[j]] == "" ? "-" : sprintf("%.2f", srel[m, lds[j]])
				r = (srel[m, lds[1]] > 0) ? sprintf("%.2fx", srel[m, lds[nld]] / srel[m, lds[1]]) : "-"
				printf " %9s\n", r }
		}
		if (nm) {
			print "\n   Kernel memory per registered request (slab accounting over the last ADD step)"
			for (i = 1; i <= nm; i++) { m = mord[i]
				printf "  %-24s %6.0f B over %s requests: %s\n", m, mv[m], ml[m], mn[m] }
		}
		if (np) {
			print "\n4. Producers in parallel (notifies/s, all producer CPUs together)"
			printf "  %-26s %12s %12s %12s %8s\n", "variant", "1 CPU", "2 CPUs", "4 CPUs", "4/1"
			for (i = 1; i <= np; i++) { m = pord[i]
				r = (pv[m, 1] > 0 && pv[m, 4] > 0) ? sprintf("%.2fx", pv[m, 4] / pv[m, 1]) : "-"
				printf "  %-26s %12s %12s %12s %8s\n", m, f0(pv[m, 1]), f0(pv[m, 2]), f0(pv[m, 4]), r }
		}
		if (ng) {
			print "\nTargets (ratios within this boot)"
			for (i = 1; i <= ng; i++) { m = tgo[i]
				printf "  %-58s %9.3g %-2s %s\n", m, tgv[m], tgu[m], tgn[m] }
		}
	}' "$dir/bench.csv" > "$dir/table.txt"

	command -v gnuplot >/dev/null || return 0
	awk -F, '$5 == "throughput" { if (!($6 in s)) { s[$6] = 1; o[++n] = $6 }; v[$6, $7] = $9 }
		function g(x) { return x == "" ? "?" : x }
		END { for (i = 1; i <= n; i++) printf "\"%s\" %s %s %s\n", o[i], g(v[o[i], 1]), g(v[o[i], 2]), g(v[o[i], 4]) }' \
		"$dir/bench.csv" > "$dir/tput.dat"
	awk -F, '$5 == "latency" { printf "\"%s\" %s %s\n", $6, $11 == "" ? "?" : $11, $12 == "" ? "?" : $12 }' \
		"$dir/bench.csv" > "$dir/lat.dat"
	awk -F, '$5 == "scale" { if (!($8 in s)) { s[$8] = 1; o[++n] = $8 }; v[$6, $8] = $9 }
		$5 == "scale_rel" { r[$6, $8] = $9 }
		function g(x) { return x == "" ? "?" : x }
		END { for (i = 1; i <= n; i++) printf "%s %s %s %s %s\n", o[i],
			g(v["kevent_storage_ready", o[i]]), g(v["kevent_s390_log_notify", o[i]]),
			g(r["kevent_storage_ready", o[i]]), g(r["kevent_s390_log_notify", o[i]]) }' \
		"$dir/bench.csv" > "$dir/scale.dat"
	awk -F, '$5 == "parallel" { v[$6, $7] = $9; t[$7] = 1 }
		function g(x) { return x == "" ? "?" : x }
		END { for (k = 1; k <= 4; k++) if (k in t) printf "%d %s %s %s\n", k, g(v["kevent_one_queue", k]),
			g(v["kevent_queue_per_cpu", k]), g(v["s390_log_queue_per_cpu", k]) }' \
		"$dir/bench.csv" > "$dir/par.dat"
	(cd "$dir" && gnuplot 2>gnuplot.err <<GP
set terminal pngcairo size 1600,1200 font "sans,10" noenhanced
set output "bench.png"
set datafile missing "?"
set multiplot layout 2,2 title "kevent bench: $run, kernel $kernel, $arch, guest $guest (QEMU TCG)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set logscale y
set xtics rotate by -30 left
set key top right
set title "1. Throughput, lossless (events/s, by consumer threads)"
plot "tput.dat" using 2:xtic(1) title "1 consumer", "" using 3 title "2", "" using 4 title "4"
set title "2. Wakeup latency (us; p50 and p99)"
plot "lat.dat" using 2:xtic(1) title "p50", "" using 3 title "p99"
unset style data
set style data linespoints
set xtics norotate
set logscale x
unset logscale y
set yrange [0:*]
set key top left
set key bottom right
set title "3. One notify vs unrelated requests registered (ns/notify; dashed: / unloaded reference, right axis)"
set xlabel "requests registered elsewhere"
set y2tics
set y2range [0:*]
plot "scale.dat" using 1:2 title "kevent_storage_ready" lw 2 pt 7, "" using 1:3 title "kevent_s390_log_notify" lw 2 pt 5, \
     "" using 1:4 axes x1y2 title "kevent_storage_ready / reference" lw 2 dt 2 pt 6, "" using 1:5 axes x1y2 title "kevent_s390_log_notify / reference" lw 2 dt 2 pt 4
unset y2tics
unset logscale x
set xlabel "producer CPUs"
set xtics 1
set title "4. Producers in parallel (notifies/s, all CPUs)"
plot "par.dat" using 1:2 title "kevent, one queue" lw 2 pt 7, "" using 1:3 title "kevent, queue per CPU" lw 2 pt 5, "" using 1:4 title "s390 log, queue per CPU" lw 2 pt 9
unset multiplot
GP
	) || log "gnuplot failed: see $dir/gnuplot.err"
}

if [ "${1:-}" = --report ]; then
	dir=${2:?usage: bench.sh --report results/RUN_ID}
	run=$(basename "$(cd "$dir" && pwd)")
	g=$(head -1 "$dir/guest.log" | sed -n 's/.*-smp \([0-9]*\).*-m \([0-9]*\).*/smp\1\/mem\2M/p; s/.*-m \([0-9]*\) -smp \([0-9]*\).*/smp\2\/mem\1M/p')
	HOSTLOAD=$(cat "$dir/hostload.txt" 2>/dev/null || true)
	report "$dir" "$run" "${run##*-}" "${g:-?}"
	cat "$dir/table.txt"
	exit 0
fi


# --- dependencies -------------------------------------------------------------
[ -r "${KEVENT_CACHE:-/var/cache/kevent-build}/paths.env" ] || scripts/deps.sh
if ! command -v gnuplot >/dev/null; then
	log "installing gnuplot-nox"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends gnuplot-nox >/dev/null ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends gnuplot-nox >/dev/null; } ||
		log "gnuplot not available: no chart"
fi
# shellcheck source=scripts/env.sh
. scripts/env.sh
kevent_arch_vars "$ARCH"

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
log "build $ARCH (KDIR=$KDIR)"
rsync -a --delete --exclude=/build/ --exclude=/.git/ --exclude=/results/ \
	--filter=':- .gitignore' "$ROOT/" "$SRC/"
make -s -C "$KDIR" M="$SRC" "${KMAKE_ARGS[@]}" -j"$(nproc)" modules 2>&1 |
	grep -v '^Skipping BTF' >&2 || true
for m in kevent/kevent.ko drivers/s390/char/kevent_s390_log.ko kevent/kevent_bench.ko; do
	[ -f "$SRC/$m" ] || die "module $m was not built"
done
make -s -C "$SRC/tools/kevent/bench" CC="$UCC" OUTPUT="$OUT/bin/" -j"$(nproc)"

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
$SRC/kevent/kevent_bench.ko			/kevent/modules/
$SRC/drivers/s390/char/kevent_s390_log.ko	/kevent/modules/
$OUT/bin/kevent-bench				/kevent/bench/
?$PERF_ROOT/					/
EOF
	die "initramfs (scripts/mkinitramfs.sh)"

# --- run ----------------------------------------------------------------------
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)-$ARCH
RES=$ROOT/results/$RUN_ID
mkdir -p "$RES"
GLOG=$RES/guest.log
log "run $RUN_ID: $ARCH -smp $SMP -m $MEM, kevent-bench ${ARGS:-(defaults)}"
qrc=0
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
PERF_APPEND=
[ -n "$PERF_BIN" ] &&
	PERF_APPEND="kevent_bench_perf=$PERF_CFGS kevent_bench_perf_args=$(tr ' ' ',' <<<"$PERF_ARGS")"
KEVENT_SMP=$SMP KEVENT_MEM=$MEM KEVENT_QEMU_TIMEOUT=${BENCH_TIMEOUT:-3600} \
KEVENT_APPEND="$APPEND kevent_script=/kevent/bench.sh kevent_bench_args=$(tr ' ' ',' <<<"$ARGS") $PERF_APPEND" \
	scripts/qemu-run.sh "$ARCH" "$OUT/initramfs.gz" "$GLOG" || qrc=$?
tr -d '\r' < "$GLOG" > "$GLOG.tmp" && mv "$GLOG.tmp" "$GLOG"
grep -E '^kevent-bench: |KEVENT-BENCH-(STATUS|DMESG)' "$GLOG" >&2 || true
grep -q 'KEVENT-BENCH-ROW: ' "$GLOG" ||
	die "no result rows (qemu exit $qrc); see $GLOG"

# --- report -------------------------------------------------------------------
HOSTLOAD="$LOAD0 / $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$HOSTLOAD" > "$RES/hostload.txt"
report "$RES" "$RUN_ID" "$ARCH" "smp${SMP}/mem${MEM}M"
ln -sfn "$RUN_ID" "$ROOT/results/latest"
cat "$RES/table.txt"
grep -q 'KEVENT-BENCH-DONE' "$GLOG" || die "kevent-bench did not finish (qemu exit $qrc); see $GLOG"
log "results in results/$RUN_ID/ (table.txt bench.csv bench.json bench.png guest.log)"
if [ -n "$PERF_BIN" ]; then
	set -- "$RES"/perf-*.txt
	[ -f "$1" ] || die "BENCH_PERF: no profile in $GLOG"
	log "perf profiles: $(cd "$RES" && echo perf-*.txt)"
fi
