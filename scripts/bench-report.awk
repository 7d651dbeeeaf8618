#!/usr/bin/awk -f
# scripts/bench-report.awk: bench.csv (scripts/bench-report.sh) -> the
# table that `make bench` prints and keeps as table.txt.
#   awk -F, -v info="GUEST INFO" -v hostload="LOAD" -f bench-report.awk bench.csv
# Sections: 1. throughput, 2. wakeup latency, 3. notify cost against
# registered requests (and memory per request), 4. parallel producers,
# then the targets.  Rows are "run,kernel,arch,guest,section,name,threads,
# load,value,unit,p50_us,p99_us,max_us,lost,note,insn_per_notify,
# insn_per_event,queued_insn_per_notify,queued_insn_per_event,
# idle_insn_per_event" (scripts/bench-report.sh); the last five are from
# the instruction-count pass: the first four go beside the rates, the
# fifth (an idle vCPU's share) in the notes, and a target "NAME
# [instructions]" beside the target NAME.  Section 5 is the head-to-head
# (kevent-bench h2h): rows "h2h" and "h2h_sys" named FILE/MODE/BACKEND,
# threads = files written each round, load = files watched.  Section 6,
# the echo server (kevent-bench echo): rows "echo" named by backend.
NR == 1 { next }
NR == 2 { printf "kevent benchmark: run %s, kernel %s, arch %s, guest %s (QEMU TCG)\n", $1, $2, $3, $4
	  printf "guest: %s\n", info
	  if (hostload != "") printf "host load average before/after: %s\n", hostload }
{ sec[NR] = $5; n = NR }
$5 == "throughput" { tp[$6, $7] = $9; tl[$6] += $14; if (!($6 in tseen)) { tseen[$6] = 1; tord[++nt] = $6 }
		     if ($7 == 1) { tnote[$6] = $15; tin[$6] = $16; tie[$6] = $17; tpn[$6] = $18; tpe[$6] = $19
				  tid[$6] = $20; if ($16 != "") ti = 1 } }
$5 == "syscalls" { sy[$6, $7] = $9; syn[$6, $7] = $15 }
$5 == "latency" { lord[++nl] = $6; l50[$6] = $11; l99[$6] = $12; lmax[$6] = $13; llost[$6] = $14 }
$5 == "scale" { if (!($6 in sseen)) { sseen[$6] = 1; sord[++ns] = $6 }
		if (!($8 in lseen)) { lseen[$8] = 1; lds[++nld] = $8 }
		sc[$6, $8] = $9; si[$6, $8] = $16; if ($16 != "") ssi = 1 }
$5 == "scale_rel" { srel[$6, $8] = $9 }
$5 == "memory" { mord[++nm] = $6; mv[$6] = $9; mn[$6] = $15; ml[$6] = $8 }
$5 == "batch" { bord[++nb] = $6; bv[$6] = $9; bn[$6] = $15; bi[$6] = $16; bs[$6] = batch_size($6, $15) }
$5 == "parallel" { if (!($6 in pseen)) { pseen[$6] = 1; pord[++np] = $6; ps[$6] = batch_size($6, "") }; pv[$6, $7] = $9
		   pi[$6, $7] = $16; if ($16 != "") pii = 1 }
$5 == "h2h" || $5 == "h2h_sys" { split($6, hp, "/"); hk = hp[1] "/" hp[2] "," $8 "," $7
		 if (!(hk in hseen)) { hseen[hk] = 1; hord[++nh] = hk; hf[hk] = hp[1]; hm[hk] = hp[2]; hn[hk] = $8; ha[hk] = $7 }
		 if ($5 == "h2h") { hv[hk, hp[3]] = $9; hi[hk, hp[3]] = $17; if ($17 != "") hii = 1 } else hs[hk, hp[3]] = $9 }
$5 == "echo" { eord[++ne] = $6; ev[$6] = $9; en[$6] = $15; ei[$6] = $17; el = $8 }
$5 == "target" { if ($6 !~ / \[instructions\]$/) tgo[++ng] = $6; else tgi = 1
		 tgv[$6] = $9; tgu[$6] = $10; tgn[$6] = $15 }
# Notifies per notify call of a row, as the bench emits its batch size
# (KEVENT_BENCH_BATCH_MAX): a batch row's note starts "batches of N:", a
# batched parallel row is named NAME_batchN; 1 for any other row.  The
# instruction counts are per call (scripts/bench-insn.awk).
function batch_size(name, note) {
	if (match(name, /_batch[0-9]+$/)) return substr(name, RSTART + 6) + 0
	if (match(note, /^batches of [0-9]+:/)) return substr(note, 12, RLENGTH - 12) + 0
	return 1
}
function hr(a, b) { return (a > 0 && b > 0) ? sprintf("%.2fx", a / b) : "-" }
function f0(v) { return v == "" ? "-" : sprintf("%.0f", v) }
function fdiv(v, d) { return v == "" ? "-" : sprintf("%.0f", v / d) }
function target(m) { printf "  %-72s %9.3g %-2s %s\n", m, tgv[m], tgu[m], tgn[m] }
END {
	if (nt) {
		print "\n1. Throughput, kernel -> user, lossless (events/s, median of the runs; one producer kthread on CPU 0)"
		if (ti) {
			print "   insn/notify: guest instructions in the notify call (CPU 0); insn/event: the consumer CPU's per event (CPU 1);"
			print "   1 consumer, instruction-count pass: a run like the timed one, and a queued run (3072 events fired before the consumer starts: no wakeups)"
		}
		printf "  %-22s %12s %12s %12s %7s %9s %10s", "mechanism", "1 consumer", "2 consumers", "4 consumers", "lost", "ring/this", "sys/1k ev"
		if (ti) printf " %11s %10s %13s %12s", "insn/notify", "insn/event", "queued:notify", "queued:event"
		printf "\n"
		for (i = 1; i <= nt; i++) { m = tord[i]
			r = (tp[m, 1] > 0) ? sprintf("%.2fx", tp["kevent_ring", 1] / tp[m, 1]) : "-"
			s = (sy[m, 1] != "") ? sprintf("%.2f", sy[m, 1]) : "-"
			printf "  %-22s %12s %12s %12s %7s %9s %10s", m, f0(tp[m, 1]), f0(tp[m, 2]), f0(tp[m, 4]), tl[m], r, s
			if (ti) printf " %11s %10s %13s %12s", f0(tin[m]), f0(tie[m]), f0(tpn[m]), f0(tpe[m])
			printf "\n" }
		print "  1 consumer, per run (sys/1k ev: the consumer's system calls per 1000 events, counted at each call):"
		for (i = 1; i <= nt; i++) { m = tord[i]
			printf "    %-20s %s; syscalls: %s", m, tnote[m], syn[m, 1]
			if (tid[m] != "") printf "; idle vCPU %s insn/event", tid[m]
			printf "\n" }
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
			printf " %9s\n", r
			if (!ssi) continue
			printf "  %-24s", "  instructions/notify"
			for (j = 1; j <= nld; j++) printf " %10s", f0(si[m, lds[j]])
			r = (si[m, lds[1]] > 0) ? sprintf("%.2fx", si[m, lds[nld]] / si[m, lds[1]]) : "-"
			printf " %9s\n", r }
	}
	if (nm) {
		print "\n   Kernel memory per registered request (slab accounting over the last ADD step)"
		for (i = 1; i <= nm; i++) { m = mord[i]
			printf "  %-24s %6.0f B over %s requests: %s\n", m, mv[m], ml[m], mn[m] }
	}
	if (nb) {
		print "\n   Batches of " bs[bord[1]] " against one notify at a time, same requests, paired bursts"
		for (i = 1; i <= nb; i++) { m = bord[i]
			printf "  %-30s %6.0f ns/notify%s; %s\n", m, bv[m],
				bi[m] == "" ? "" : sprintf(", %.0f instructions/notify", bi[m] / bs[m]), bn[m] }
	}
	if (np) {
		print "\n4. Producers in parallel (notifies/s, all producer CPUs together)"
		printf "  %-26s %12s %12s %12s %8s\n", "variant", "1 CPU", "2 CPUs", "4 CPUs", "4/1"
		for (i = 1; i <= np; i++) { m = pord[i]
			r = (pv[m, 1] > 0 && pv[m, 4] > 0) ? sprintf("%.2fx", pv[m, 4] / pv[m, 1]) : "-"
			printf "  %-26s %12s %12s %12s %8s\n", m, f0(pv[m, 1]), f0(pv[m, 2]), f0(pv[m, 4]), r }
		if (pii) {
			print "  instructions per notify, in the notify calls of all producer CPUs together (instruction-count pass; waiting for a lock counts):"
			for (i = 1; i <= np; i++) { m = pord[i]; d = ps[m]
				r = (pi[m, 1] > 0 && pi[m, 4] > 0) ? sprintf("%.2fx", pi[m, 4] / pi[m, 1]) : "-"
				printf "  %-26s %12s %12s %12s %8s\n", m, fdiv(pi[m, 1], d), fdiv(pi[m, 2], d), fdiv(pi[m, 4], d), r }
		}
	}
	if (nh) {
		print "\n5. Head-to-head on pollable files: N watched, A of them get a byte each round; one thread on CPU 1 writes, collects the"
		print "   events and reads each byte (nobody sleeps).  ev/s: median of the rounds; x: the backend's ev/s over epoll's, this boot."
		print "   sys/ev: the backend's own system calls per event (the write() and read() of each event, 2 for all, not counted)."
		print "   level: kevent default, epoll default, io_uring single-shot POLL_ADD re-armed after each completion;"
		print "   edge: KEVENT_REQ_ET, EPOLLET, io_uring multishot POLL_ADD."
		print "   none: no mechanism, the loop reads the files it wrote: the floor of write() + read()."
		if (hii) {
			print "   insn/ev: guest instructions CPU 1 executed per event, user and kernel (instruction-count pass); x: epoll's over the backend's;"
			print "   mech x: the same over what is above none's floor, the mechanism's own instructions."
		}
		printf "  %-16s %6s %6s %10s %9s %9s %9s %7s %7s %8s %8s %8s", "file/mode", "N", "A", "ring ev/s", "epoll", "io_uring", "none",
			"ring x", "uring x", "sys ring", "epoll", "io_uring"
		if (hii) printf " %9s %6s %8s %6s %6s %6s %6s %6s", "insn ring", "epoll", "io_uring", "none", "ring x", "uring x", "mech:ring", "uring"
		printf "\n"
		for (i = 1; i <= nh; i++) { k = hord[i]
			printf "  %-16s %6s %6s %10s %9s %9s %9s %7s %7s %8s %8s %8s", hf[k] "/" hm[k], hn[k], ha[k],
				f0(hv[k, "kevent_ring"]), f0(hv[k, "epoll"]), f0(hv[k, "io_uring"]), f0(hv[k, "none"]),
				hr(hv[k, "kevent_ring"], hv[k, "epoll"]), hr(hv[k, "io_uring"], hv[k, "epoll"]),
				hs[k, "kevent_ring"], hs[k, "epoll"], hs[k, "io_uring"]
			if (hii) { fl = hi[k, "none"]
				printf " %9s %6s %8s %6s %6s %6s %9s %6s", f0(hi[k, "kevent_ring"]), f0(hi[k, "epoll"]), f0(hi[k, "io_uring"]), f0(fl),
					hr(hi[k, "epoll"], hi[k, "kevent_ring"]), hr(hi[k, "epoll"], hi[k, "io_uring"]),
					fl == "" ? "-" : hr(hi[k, "epoll"] - fl, hi[k, "kevent_ring"] - fl),
					fl == "" ? "-" : hr(hi[k, "epoll"] - fl, hi[k, "io_uring"] - fl) }
			printf "\n" }
	}
	if (ne) {
		print "\n6. The practical case: an echo server (CPU 1) on " el " AF_UNIX connections, one load generator (CPU 2) with one"
		print "   64-byte request in flight per connection (requests/s, median of the rounds; x: over epoll's, this boot;"
		print "   insn/req: the server CPU's instructions per request, user and kernel, from the instruction-count pass)"
		for (i = 1; i <= ne; i++) { m = eord[i]
			printf "  %-14s %10s req/s %7s %10s insn/req %7s; %s\n", m, f0(ev[m]), hr(ev[m], ev["epoll"]),
				f0(ei[m]), hr(ei["epoll"], ei[m]), en[m] }
	}
	if (ng) {
		print "\nTargets (ratios within this boot" (tgi ? "; [instructions]: the same ratio of instruction counts, from the instruction-count pass)" : ")")
		for (i = 1; i <= ng; i++) { m = tgo[i]
			target(m)
			if ((m " [instructions]") in tgv) target(m " [instructions]") }
	}
}
