#!/usr/bin/awk -f
# The table of a BENCH_AB run (scripts/bench.sh): reads guest.log's
#   KEVENT-BENCH-AB: SIDE,ROUND,section,name,threads,load,value,unit,...
# lines and prints, per row, the median over the rounds of each side, the
# spread (min-max) and B/A.  A throughput row also yields the producer's
# cost per notify from its note ("producer X.XXus/notify"), and each side
# gets the ratio of the kevent ring's notify to eventfd_signal()'s, so
# that both are measured against a baseline of the same boot.
# Variables: a (what A is), b (what B is).

function median(list, n,    v, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	lo[0] = v[1]; hi[0] = v[n]
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

function add(side, key, unit, val) {
	if (!(key in seen)) {
		seen[key] = 1
		order[++nkeys] = key
		units[key] = unit
	}
	vals[side, key] = vals[side, key] " " val
}

sub(/.*KEVENT-BENCH-AB: /, "") {
	n = split($0, f, ",")
	side = f[1]; round = f[2]
	key = f[3] "/" f[4] "/" f[5] (f[6] != "" ? "@" f[6] : "")
	add(side, key, f[8], f[7])
	if (f[3] == "throughput" && match($0, /producer [0-9.]+us\/notify/)) {
		us = substr($0, RSTART + 9, RLENGTH - 9 - 9)
		add(side, "notify/" f[4] "/" f[5], "us/notify", us)
	}
	maxround = round > maxround ? round : maxround
}

END {
	printf "A/B in one boot, %d rounds each side, alternating (ab ba ...)\n", maxround
	printf "A: %s\nB: %s\n\n", a, b
	printf "%-44s %-12s %12s %12s %7s  %s\n", "row", "unit", "A median", "B median", "B/A", "A min-max | B min-max"
	for (i = 1; i <= nkeys; i++) {
		k = order[i]
		if (!((("a", k) in vals) && (("b", k) in vals)))
			continue
		ma = median(vals["a", k]); la = lo[0]; ha = hi[0]
		mb = median(vals["b", k]); lb = lo[0]; hb = hi[0]
		med["a", k] = ma; med["b", k] = mb
		printf "%-44s %-12s %12.4g %12.4g %7.3f  %.4g-%.4g | %.4g-%.4g\n", k, units[k], ma, mb,
			ma ? mb / ma : 0, la, ha, lb, hb
	}
	r = "notify/kevent_ring/1"; e = "notify/eventfd_epoll/1"
	if ((("a", r) in med) && (("a", e) in med) && (("b", r) in med) && (("b", e) in med)) {
		ra = med["a", e] ? med["a", r] / med["a", e] : 0
		rb = med["b", e] ? med["b", r] / med["b", e] : 0
		printf "\nkevent notify / eventfd_signal(), producer us per notify: A %.3f  B %.3f  B/A %.3f\n",
			ra, rb, ra ? rb / ra : 0
	}
}
