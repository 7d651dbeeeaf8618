#!/bin/bash
# scripts/bench-report.sh DIR [RUN_ID ARCH GUEST]
# The report of `make bench` (scripts/bench.sh runs it after the guest;
# run it again by hand on results/RUN_ID/): DIR/guest.log -> bench.csv
# (every row), bench.json (the same rows), table.txt (the table:
# scripts/bench-report.awk), perf-CFG.txt (BENCH_PERF profiles) and
# bench.png (the chart, when gnuplot is there).  With DIR/insn.csv (the
# instruction-count pass, scripts/bench-insn.awk), each row gets its
# instructions per notify and per event consumed (the last two columns),
# and each target its ratio in instructions, "NAME [instructions]".  Without RUN_ID ARCH GUEST
# they are read from DIR's name and its guest.log, and the table printed.
# HOSTLOAD: the host's load averages before/after, for the table
# (default: DIR/hostload.txt).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LOG_TAG=bench
# shellcheck source=scripts/lib.sh
. "$HERE/lib.sh"

# insn_join INSN_CSV PREFIX: bench.csv rows on stdin, each with the
# instructions per notify and per event of its row in INSN_CSV, those of
# its queued run (throughput), and an idle vCPU's per event (empty where
# there are none); then the targets in instructions, which have no row
# of their own in the guest: the same targets, from the instruction
# counts, with PREFIX (run,kernel,arch,guest) in front.  They take the
# queued runs, where nobody waits and nobody is woken, and whose counts
# do not move between boots (Documentation/bench.rst).  A throughput
# ratio compares the busier CPU's instructions per event (the larger of
# per notify and per event consumed), the instruction counterpart of a
# rate.  Without
# INSN_CSV, rows pass as they are, with five empty columns.
insn_join() {
	local f=$1
	[ -f "$f" ] || f=
	awk -F, -v OFS=, -v pfx="$2" -v insn="$f" '
	BEGIN {
		while (insn != "" && (getline line < insn) > 0) {
			if (++n == 1) continue
			split(line, c, ","); k = c[1] "," c[2] "," c[3] "," c[4]
			ipn[k] = c[8]; ipe[k] = c[11]; idle[k] = c[12]
		}
	}
	{ k = $5 "," $6 "," $7 "," $8; p = $5 "_queued," $6 "," $7 "," $8
	  print $0, ipn[k], ipe[k], ipn[p], ipe[p], idle[k]
	  if ($5 == "scale") { if (!($6 in first)) first[$6] = $8; last[$6] = $8 } }
	function busy(m,  a, b) { a = ipn["throughput_queued," m ",1,"]; b = ipe["throughput_queued," m ",1,"]; return a > b ? a : b }
	function row(name, v, goal_s, met, note) {
		print pfx, "target", name " [instructions]", "", "", sprintf("%.4g", v), "x", "", "", "", "",
			(met ? "MET" : "MISSED") " (" goal_s "); " note, "", "", "", "", "" }
	function tput(m, label, goal, a, b) {
		a = busy("kevent_ring"); b = busy(m)
		if (a > 0 && b > 0)
			row("ring/" label " throughput (1 consumer)", b / a, ">= " goal "x", b / a >= goal,
			    sprintf("queued; busier CPU per event: %s %.0f vs kevent_ring %.0f insns", m, b, a))
	}
	function scale(m, a, b) {
		a = ipn["scale," m ",1," first[m]]; b = ipn["scale," m ",1," last[m]]
		if (a > 0 && b > 0 && first[m] != last[m])
			row(m " cost at " last[m] " vs at " first[m] " requests", b / a, "<= 1.5x", b / a <= 1.5,
			    sprintf("%.0f vs %.0f insns per notify", b, a))
	}
	END {
		if (n < 2) exit
		tput("genetlink", "genetlink", 10); tput("uevent", "uevent", 10)
		tput("eventfd_epoll", "eventfd+epoll", 1.5)
		a = ipn["throughput_queued,kevent_ring,1,"]; b = ipn["throughput_queued,eventfd_epoll,1,"]
		if (a > 0 && b > 0)
			row("notify cost: kevent_ring vs eventfd_epoll (1 consumer)", a / b, "<= 1.0x",
			    a <= b, sprintf("queued: %.0f vs %.0f insns per notify", a, b))
		a = ipn["scale,kevent_storage_ready,1," first["kevent_storage_ready"]]
		b = ipn["scale,kevent_s390_log_notify,1," first["kevent_s390_log_notify"]]
		if (a > 0 && b > 0)
			row("kevent_s390_log_notify vs kevent_storage_ready (load " first["kevent_storage_ready"] ")",
			    b / a, "<= 2x", b <= 2 * a, sprintf("%.0f vs %.0f insns per notify", b, a))
		scale("kevent_storage_ready"); scale("kevent_s390_log_notify")
	}'
}

# report DIR RUN_ID ARCH GUEST: guest.log -> bench.csv, bench.json,
# table.txt, bench.png.  Also: scripts/bench.sh --report DIR (again).
report() {
	local dir=$1 run=$2 arch=$3 guest=$4 kernel info
	info=$(grep -m1 'KEVENT-BENCH-INFO: ' "$dir/guest.log" | sed 's/.*KEVENT-BENCH-INFO: //')
	kernel=$(sed -n 's/.*kernel=\([^ ]*\).*/\1/p' <<<"$info")
	{
		echo "run,kernel,arch,guest,section,name,threads,load,value,unit,p50_us,p99_us,max_us,lost,note,insn_per_notify,insn_per_event,queued_insn_per_notify,queued_insn_per_event,idle_insn_per_event"
		grep 'KEVENT-BENCH-ROW: ' "$dir/guest.log" | sed 's/.*KEVENT-BENCH-ROW: //' |
			sed "s|^|$run,$kernel,$arch,$guest,|" |
			insn_join "$dir/insn.csv" "$run,$kernel,$arch,$guest"
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
			v = (h[i] ~ /^(threads|load|value|p50_us|p99_us|max_us|lost|(idle_|queued_)?insn_per_(notify|event))$/) ? num($i) : str($i)
			printf "%s\"%s\": %s", (i > 1 ? ", " : ""), h[i], v
		}
		printf "}"
	}
	END { print (NR > 1 ? "\n]" : "[]") }' "$dir/bench.csv" > "$dir/bench.json"

	awk -F, -v info="$info" -v hostload="${HOSTLOAD:-}" -f "$HERE/bench-report.awk" \
		"$dir/bench.csv" > "$dir/table.txt"

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

dir=${1:?usage: bench-report.sh results/RUN_ID [RUN_ID ARCH GUEST]}
HOSTLOAD=${HOSTLOAD:-$(cat "$dir/hostload.txt" 2>/dev/null || true)}
if [ $# -ge 4 ]; then
	report "$dir" "$2" "$3" "$4"
	exit 0
fi
run=$(basename "$(cd "$dir" && pwd)")
g=$(head -1 "$dir/guest.log" | sed -n 's/.*-smp \([0-9]*\).*-m \([0-9]*\).*/smp\1\/mem\2M/p; s/.*-m \([0-9]*\) -smp \([0-9]*\).*/smp\2\/mem\1M/p')
report "$dir" "$run" "${run##*-}" "${g:-?}"
cat "$dir/table.txt"
