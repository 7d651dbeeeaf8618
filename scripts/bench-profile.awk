#!/usr/bin/awk -f
# scripts/bench-profile.awk: the per-function profile of BENCH_PROFILE
# (scripts/bench.sh, Documentation/bench.rst "Instruction counts") ->
# profile.txt.
#   awk -f bench-profile.awk syms.txt insn-plugin.txt guest-insn.log
# syms.txt: "ADDR NAME [MODULE]" sorted by ADDR (16 hex digits), the
# kernel's System.map and the guest's module symbols.  insn-plugin.txt:
# the plugin's output with prof=on: after each WIN_END mark, a line
# "kevent-insn: prof PC N INSNS EXECS" per block that counted between ACC
# markers in that window.  guest-insn.log: its KEVENT-BENCH-INSN lines name
# the windows, in order, as for scripts/bench-insn.awk.  Per row (section,
# name, threads, load): instructions per notify by function, then by block
# (function+offset, its length, entries per notify).
BEGIN {
	WIN_BEGIN = 3; WIN_END = 4	# kmod/kevent_bench_insn.h
	TOP_FN = 25; TOP_BLK = 40
	nsym = 0; nwin = 0; nline = 0; open = 0
	for (i = 0; i < 16; i++)
		hexval[substr("0123456789abcdef", i + 1, 1)] = i
}
function hex(s,    i, v) {
	v = 0
	for (i = 1; i <= length(s); i++)
		v = v * 16 + hexval[substr(s, i, 1)]
	return v
}
# The index of the last symbol at or below @pc, 0 if none.
function lookup(pc,    lo, hi, mid) {
	lo = 1; hi = nsym
	if (!nsym || pc < addr[1])
		return 0
	while (lo < hi) {
		mid = int((lo + hi + 1) / 2)
		if (addr[mid] <= pc)
			lo = mid
		else
			hi = mid - 1
	}
	return lo
}
FILENAME == ARGV[1] {
	if (length($1) != 16)
		next
	addr[++nsym] = $1
	name[nsym] = $2 ($3 != "" ? " " $3 : "")
	next
}
FILENAME == ARGV[2] {
	if ($1 != "kevent-insn:")
		next
	if ($2 == "mark") {
		n = (NF - 8) / 3
		if ($3 == WIN_BEGIN) {
			for (c = 0; c < n; c++) {
				b_acc[c] = $(8 + n + c); b_nacc[c] = $(9 + 2 * n + c)
			}
			open = 1
		} else if ($3 == WIN_END && open) {
			nwin++
			w_acc[nwin] = 0; w_calls[nwin] = 0
			for (c = 0; c < n; c++) {
				w_acc[nwin] += $(8 + n + c) - b_acc[c]
				w_calls[nwin] += $(9 + 2 * n + c) - b_nacc[c]
			}
			open = 0
		}
	} else if ($2 == "prof" && nwin) {
		k = ++nprof[nwin]
		p_pc[nwin, k] = $3; p_n[nwin, k] = $4
		p_ins[nwin, k] = $5; p_exec[nwin, k] = $6
	}
	next
}
{ sub(/\r$/, "") }
sub(/.*KEVENT-BENCH-INSN: /, "") {
	nline++
	split($0, f, ",")
	key = f[1] "," f[2] "," f[3] "," (f[4] < 0 ? "" : f[4])
	win_key[nline] = key
}
# The index of the largest @cnt[@keys[i]] not yet taken, or 0.
function top(cnt, keys, nk,    i, best) {
	best = 0
	for (i = 1; i <= nk; i++)
		if (!(i in taken) && (!best || cnt[keys[i]] > cnt[keys[best]]))
			best = i
	if (best)
		taken[best] = 1
	return best
}
END {
	if (nline != nwin) {
		printf "bench-profile: %d window lines, %d marked windows\n",
			nline, nwin > "/dev/stderr"
		exit 1
	}
	for (w = 1; w <= nwin; w++) {
		key = win_key[w]
		if (!(key in rows))
			order[++nrow] = key
		rows[key]++
		calls[key] += w_calls[w]
		acc[key] += w_acc[w]
		for (k = 1; k <= nprof[w]; k++) {
			pc = p_pc[w, k]
			s = lookup(pc)
			fn = s ? name[s] : "?"
			if (s && substr(pc, 1, 4) == substr(addr[s], 1, 4))
				off = sprintf("+0x%x", hex(substr(pc, 5)) - hex(substr(addr[s], 5)))
			else
				off = "@" pc
			sub(/ /, off " ", fn) || (fn = fn off)
			bk = key SUBSEP fn SUBSEP p_n[w, k]
			f1 = s ? name[s] : "?"
			if (!((key, f1) in fn_ins))
				fn_list[key, ++nfn[key]] = f1
			fn_ins[key, f1] += p_ins[w, k]
			if (!(bk in blk_ins)) {
				blk_list[key, ++nblk[key]] = bk
				blk_name[bk] = fn; blk_len[bk] = p_n[w, k]
			}
			blk_ins[bk] += p_ins[w, k]
			blk_exec[bk] += p_exec[w, k]
			total[key] += p_ins[w, k]
		}
	}
	for (r = 1; r <= nrow; r++) {
		key = order[r]
		if (!total[key])
			continue
		c = calls[key] ? calls[key] : 1
		printf "== %s: %d window(s), %d notifies, %.1f instructions per notify (the ACC count: %.1f)\n",
			key, rows[key], calls[key], total[key] / c, acc[key] / c
		printf "   %10s  %6s  %s\n", "insn/notify", "share", "function"
		delete taken; delete keys; nk = 0
		for (i = 1; i <= nfn[key]; i++) {
			keys[++nk] = key SUBSEP fn_list[key, i]
			cnt[keys[nk]] = fn_ins[keys[nk]]
		}
		for (i = 1; i <= TOP_FN; i++) {
			j = top(cnt, keys, nk)
			if (!j)
				break
			split(keys[j], kk, SUBSEP)
			printf "   %10.1f  %5.1f%%  %s\n", cnt[keys[j]] / c,
				100 * cnt[keys[j]] / total[key], kk[2]
		}
		printf "   %10s  %6s  %5s  %s\n", "insn/notify", "execs", "len", "block"
		delete taken; delete keys; nk = 0
		for (i = 1; i <= nblk[key]; i++) {
			keys[++nk] = blk_list[key, i]
			cnt[keys[nk]] = blk_ins[keys[nk]]
		}
		for (i = 1; i <= TOP_BLK; i++) {
			j = top(cnt, keys, nk)
			if (!j)
				break
			printf "   %10.1f  %6.2f  %5d  %s\n", cnt[keys[j]] / c,
				blk_exec[keys[j]] / c, blk_len[keys[j]], blk_name[keys[j]]
		}
		print ""
	}
}
