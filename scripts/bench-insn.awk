#!/usr/bin/awk -f
# scripts/bench-insn.awk: the instruction-count pass of `make bench`
# (scripts/bench.sh, Documentation/bench.rst "Instruction counts") ->
# insn.csv.
#   awk -f bench-insn.awk insn-plugin.txt guest-insn.log > insn.csv
# insn-plugin.txt is the QEMU plugin's output (kevent_insn.c): a line per
# window marker, "kevent-insn: mark ID vcpu V insns N.. acc A.. nacc C..",
# every vCPU's counters.  guest-insn.log is the console of that boot: a
# "KEVENT-BENCH-INSN: section,name,threads,load,producer_cpu,notifies,
# consumer_cpu,consumed,main_cpu,producer_cpus" line per window
# (kevent-bench -I): the producers are CPUs producer_cpu to producer_cpu +
# producer_cpus - 1 (the parallel section has several; a line without
# the field, one).  The k-th WIN_BEGIN/WIN_END pair of marks is the k-th
# window line.  Windows of one row (section, name, threads, load) add
# up; a row:
#   insn_per_notify      instructions inside kevent_bench_fire() (the
#                        notify call: ACC markers) per call, producer
#                        CPUs together: a spinning lock counts
#   cpu_insn_per_notify  everything the producer CPUs executed in the
#                        windows, per notify (its loop, clock reads, waits)
#   insn_per_event       everything the consumer CPU executed, per event
#                        consumed
#   idle_insn_per_event  what each other CPU (neither producer, consumer,
#                        nor kevent-bench's main thread) executed, per
#                        event (per notify without a consumer): idle CPUs
#                        halt, and this shows that they do
# Exit status 1 when the marks and the window lines do not pair up.
BEGIN {
	WIN_BEGIN = 3; WIN_END = 4	# kmod/kevent_bench_insn.h
	open = 0; nwin = 0; nline = 0; bad = 0
}
# --- the plugin's marks ---------------------------------------------------------
FNR == NR {
	if ($1 != "kevent-insn:" || $2 != "mark")
		next
	n = (NF - 8) / 3
	if ($4 != "vcpu" || $6 != "insns" || $(7 + n) != "acc" || $(8 + 2 * n) != "nacc") {
		printf "bench-insn: bad plugin line %d: %s\n", FNR, $0 > "/dev/stderr"
		bad = 1
		next
	}
	ncpu = n
	if ($3 == WIN_BEGIN) {
		if (open)
			unpaired++
		for (c = 0; c < n; c++) {
			b_ins[c] = $(7 + c); b_acc[c] = $(8 + n + c); b_nacc[c] = $(9 + 2 * n + c)
		}
		open = 1
	} else if ($3 == WIN_END) {
		if (!open) {
			unpaired++
			next
		}
		nwin++
		for (c = 0; c < n; c++) {
			d_ins[nwin, c] = $(7 + c) - b_ins[c]
			d_acc[nwin, c] = $(8 + n + c) - b_acc[c]
			d_nacc[nwin, c] = $(9 + 2 * n + c) - b_nacc[c]
		}
		open = 0
	}
	next
}
# --- the guest's window lines ---------------------------------------------------
{ sub(/\r$/, "") }
sub(/.*KEVENT-BENCH-INSN: /, "") {
	nline++
	if (nline > nwin)
		next
	split($0, f, ",")
	load = f[4] < 0 ? "" : f[4]
	key = f[1] "," f[2] "," f[3] "," load
	if (!(key in wins))
		order[++nkey] = key
	wins[key]++
	p = f[5]; cons = f[7]; main = f[9]
	np = (10 in f) ? f[10] : 1
	notifies[key] += f[6]
	for (c = p; c < p + np; c++) {
		calls[key] += d_nacc[nline, c]
		acc[key] += d_acc[nline, c]
		pcpu[key] += d_ins[nline, c]
	}
	if (cons >= 0) {
		consumed[key] += f[8]
		cins[key] += d_ins[nline, cons]
	}
	hascons[key] = cons >= 0
	nidle = 0
	for (c = 0; c < ncpu; c++)
		if ((c < p || c >= p + np) && c != cons && c != main) {
			idle[key] += d_ins[nline, c]
			nidle++
		}
	idlecpus[key] += nidle
}
function div(a, b) { return b > 0 ? sprintf("%.1f", a / b) : "" }
END {
	if (bad)
		exit 1
	if (nline != nwin || unpaired) {
		printf "bench-insn: %d window lines, %d marked windows, %d unpaired marks\n",
			nline, nwin, unpaired > "/dev/stderr"
		exit 1
	}
	print "section,name,threads,load,windows,notifies,notify_calls,insn_per_notify,cpu_insn_per_notify,consumed,insn_per_event,idle_insn_per_event,idle_cpus"
	for (i = 1; i <= nkey; i++) {
		k = order[i]
		per = hascons[k] ? consumed[k] : notifies[k]
		# idle: per CPU (the windows' idle CPU slots), per event
		printf "%s,%d,%.0f,%.0f,%s,%s,%s,%s,%s,%d\n", k, wins[k], notifies[k], calls[k],
			div(acc[k], calls[k]), div(pcpu[k], notifies[k]),
			hascons[k] ? consumed[k] : "",
			hascons[k] ? div(cins[k], consumed[k]) : "",
			idlecpus[k] ? div(idle[k] / (idlecpus[k] / wins[k]), per) : "",
			idlecpus[k] / wins[k]
	}
}
