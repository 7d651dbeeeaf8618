#!/bin/sh
# Guest side of `make check` (busybox sh). Output protocol, parsed by
# scripts/check.sh:
#   KEVENT-RESULT: PASS|FAIL|SKIP <name>[ - reason]   infrastructure results
#   the kselftest runner's TAP: "# selftests: kevent: <test>", the test's
#     own TAP prefixed with "# ", then "[not ]ok N selftests: kevent: <test>"
#   KEVENT-BEGIN: <test>  ...TAP...  KEVENT-END: <test> rc=<N>   (the same,
#                                                     for other test runs)
#   KEVENT-DONE                                       script finished
MODDIR=/kevent/modules
KSFT=/kevent/kselftest
TIMEOUT=${kevent_timeout:-300}
FILTER=${kevent_filter:-}
# The tests insmod the kevent modules from here.
export KEVENT_MODDIR=$MODDIR

result() { echo "KEVENT-RESULT: $*"; }

# Quiet the console so kernel messages do not split TAP lines; oopses and
# panics still reach it (console_verbose), and dmesg is dumped at the end.
dmesg -n 1
dmesg -c >/dev/null
# Debug kernels: forget what boot leaked, so that the scan at the end
# reports only what happened during the tests.
KMEMLEAK=/sys/kernel/debug/kmemleak
[ -w "$KMEMLEAK" ] && echo clear > "$KMEMLEAK"
# KCSAN kernels (make check-kcsan): its counters now, to tell what it did
# during the tests.  Races in the core kernel that the tests reach and that
# are benign are kept out of its reports here (the kernel is Debian's, not
# ours to annotate; races in kevent are fixed or annotated in kevent):
#   schedule_hrtimeout_range_clock / hrtimer_wakeup (kevent_sleep() waits
#     with a timeout): the sleeper tests t.task before schedule() while the
#     expiring timer clears it from the interrupt.  Either value is right:
#     the timer has already woken the task, so schedule() returns at once.
KCSAN=/sys/kernel/debug/kcsan
kcsan_count() { sed -n "s/^$1: //p" "$KCSAN"; }
if [ -r "$KCSAN" ]; then
	echo '!schedule_hrtimeout_range_clock' > "$KCSAN"
	# Watch more accesses during the tests than during the boot, which
	# KCSAN's default (one in up to 4000) keeps short.
	if [ -n "${kevent_kcsan_skip_watch:-}" ]; then
		echo "$kevent_kcsan_skip_watch" > /sys/module/kcsan/parameters/skip_watch
	fi
	kcsan_watch0=$(kcsan_count setup_watchpoints)
	kcsan_races0=$(kcsan_count data_races)
fi

# Modules are loaded in this order and removed in the reverse order;
# kernel command line kevent_modules=a,b,c overrides the list.
MODS=$(echo "${kevent_modules:-kevent,kevent_test}" | tr ',' ' ')
loaded=""
for m in $MODS; do
	[ -f "$MODDIR/$m.ko" ] || continue
	rc=0
	out=$(insmod "$MODDIR/$m.ko" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		result "PASS insmod $m"
		loaded="$m $loaded"
	else
		# insmod killed (rc > 128: the kernel died in the module's
		# init) says nothing itself: the kernel's die header does.
		why=$(dmesg | grep -E '[[]#[0-9]+[]]|Krnl PSW|RIP:' | head -n 3)
		[ -n "$why" ] || why=$(dmesg | tail -n 3)
		why=$(echo "$why" | tr '\n' ' ')
		result "FAIL insmod $m - exit $rc${out:+: $out}; kernel: $why"
	fi
done

# The selftests, under the kernel's kselftest runner (run_kselftest.sh from
# the install scripts/build.sh made).  What it expects of the system and
# busybox lacks:
#   /dev/stdout (the runner's log file; udev makes it elsewhere);
#   GNU timeout's --foreground: it runs "/usr/bin/timeout --foreground T
#     /usr/bin/timeout T TEST".  Busybox's timeout runs TEST in its own
#     process anyway: one timeout does, and it sends KILL, not TERM: the
#     harness' own per-test alarms handle most hangs, what is left is
#     stuck for good.  Any other timeout call stays busybox's.
[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
rm -f /usr/bin/timeout
cat > /usr/bin/timeout <<'EOF'
#!/bin/sh
if [ "$1" = --foreground ]; then
	t=$2
	shift 2
	[ "$1" = /usr/bin/timeout ] && [ "$2" = "$t" ] && shift 2
	exec busybox timeout -s KILL "$t" "$@"
fi
exec busybox timeout "$@"
EOF
chmod 755 /usr/bin/timeout
# The per-binary limit: kevent_timeout, through the runner's settings file.
if [ -f "$KSFT/kevent/settings" ]; then
	sed -i "s/^timeout=.*/timeout=$TIMEOUT/" "$KSFT/kevent/settings"
fi
n=0
sel=""
if [ -r "$KSFT/kselftest-list.txt" ]; then
	while read -r t; do
		if [ -n "$FILTER" ] && ! echo "${t#*:}" | grep -Eq "$FILTER"; then
			continue
		fi
		n=$((n + 1))
		sel="$sel -t $t"
	done < "$KSFT/kselftest-list.txt"
else
	result "FAIL tests dir - $KSFT/kselftest-list.txt missing"
fi
if [ "$n" -gt 0 ]; then
	# shellcheck disable=SC2086 # word list
	"$KSFT/run_kselftest.sh" $sel </dev/null 2>&1
fi
# KUnit (debug kernels: Debian's stock kernel has no CONFIG_KUNIT, so no
# *_kunit.ko is built for it).  A KUnit module runs its suites when loaded
# and prints KTAP to the kernel log; each suite becomes a section like a
# test binary's, "kunit:SUITE", with its cases as top-level TAP lines and
# everything else as comments, so that parse-log.awk counts every case.
# The kernel log, not debugfs: 6.1 cuts a case's debugfs log at 512 bytes.
kunit_sections() {
	dmesg -r | awk -v mod="$1" '
	function finish(how, failed) {
		if (how != "") print "# " how
		if (failed) bad = 1
		print ""
		print "KEVENT-END: " sec " rc=" (bad ? 1 : 0)
		sec = ""; bad = 0; n++
	}
	{ sub(/^<[0-9]+>/, ""); sub(/^\[[ 0-9.]+\] /, "") }
	$0 == "kevent-kunit: begin " mod { on = 1; next }
	$0 == "kevent-kunit: end " mod { on = 0; next }
	!on { next }
	/^    # Subtest: / {
		if (sec != "") finish("suite did not end", 1)
		sec = "kunit:" substr($0, 16)
		print "KEVENT-BEGIN: " sec
		next
	}
	sec != "" && /^    (1\.\.[0-9]+$|(not )?ok [0-9]+ )/ {
		print substr($0, 5)
		if ($0 ~ /^    not ok/) bad = 1
		next
	}
	sec != "" && /^(not )?ok [0-9]+ / {
		if ($0 ~ /^not ok/) bad = 1
		finish("suite: " $0)
		next
	}
	sec != "" { print "# " $0; next }
	/^not ok [0-9]+ / { print "KEVENT-RESULT: FAIL kunit " mod " - " $0 }
	END {
		if (sec != "") finish("suite did not end", 1)
		if (!n) print "KEVENT-RESULT: FAIL kunit " mod " - no KTAP suite in the kernel log"
	}'
}
for ko in "$MODDIR"/*_kunit.ko; do
	[ -f "$ko" ] || continue
	m=${ko##*/}
	m=${m%.ko}
	if [ -n "$FILTER" ] && ! echo "$m" | grep -Eq "$FILTER"; then
		continue
	fi
	n=$((n + 1))
	echo "kevent-kunit: begin $m" > /dev/kmsg
	if ! out=$(insmod "$ko" 2>&1); then
		result "FAIL insmod $m - $out"
		continue
	fi
	echo "kevent-kunit: end $m" > /dev/kmsg
	kunit_sections "$m"
	out=$(rmmod "$m" 2>&1) || result "FAIL rmmod $m - $out"
done
# A filter may select only KUnit modules; selecting nothing is an error.
[ "$n" -gt 0 ] || result "FAIL tests found - none matches '$FILTER'"

# All test fds are closed now: unloading must work. Unload any kevent module
# still loaded (tests may load more, e.g. kevent_tape_sim), dependents first.
for m in kevent_tape_sim kevent_s390_log $loaded; do
	case " $already " in *" $m "*) continue ;; esac
	already="$already $m"
	if grep -q "^$m " /proc/modules; then
		if out=$(rmmod "$m" 2>&1); then
			result "PASS rmmod $m"
		else
			result "FAIL rmmod $m - $out"
		fi
	elif echo " $loaded " | grep -q " $m "; then
		result "PASS rmmod $m - already unloaded by the tests"
	fi
done
left=$(grep -E '^kevent' /proc/modules | cut -d' ' -f1 | tr '\n' ' ')
if [ -n "$left" ]; then
	result "FAIL modules unloaded - still loaded: $left"
fi

# kmemleak: an object is reported once it has been unreferenced for a
# while and seen by two scans.
if [ -w "$KMEMLEAK" ]; then
	sleep 6
	echo scan > "$KMEMLEAK"
	sleep 1
	echo scan > "$KMEMLEAK"
	leaks=$(grep -c '^unreferenced object' "$KMEMLEAK")
	if [ "$leaks" -eq 0 ]; then
		result "PASS kmemleak clean"
	else
		sed 's/^/KEVENT-KMEMLEAK: /' "$KMEMLEAK" | head -n 200
		result "FAIL kmemleak clean - $leaks unreferenced object(s)"
	fi
fi

# KCSAN kernels (make check-kcsan): the detector must have been on and
# setting watchpoints during the tests.  Its reports ("BUG: KCSAN: ...")
# fail "dmesg clean" below; data_races also counts the races it did not
# report (value unchanged, rate limit, the filter above), for the record.
if [ -r "$KCSAN" ]; then
	watch=$(($(kcsan_count setup_watchpoints) - kcsan_watch0))
	races=$(($(kcsan_count data_races) - kcsan_races0))
	stats="$(grep '^enabled:' "$KCSAN"), $watch watchpoints set up, data_races $races"
	if grep -qx 'enabled: 1' "$KCSAN" && [ "$watch" -gt 0 ]; then
		result "PASS kcsan watching - $stats"
	else
		result "FAIL kcsan watching - $stats"
	fi
fi

# dmesg since the tests started: anything at err or worse, or any splat.
# Between "kevent-fault-injection: begin" and "end" (alloc_fail_test), the
# kernel reports the allocations the test made fail, with stack traces:
# there only real splats count.  A stack frame is no splat by itself, even
# when its function's name matches ("? lockdep_hardirqs_on_prepare+0x..."):
# a splat has its header line, and any trace outside those tests has its
# "Call Trace:" line.  "[#N]" is the die() header of every arch, which need
# not say Oops ("illegal operation: 0001 ilc:1 [#1] SMP" on s390x).
dmesg -r > /tmp/dmesg.raw
SPLAT='Oops|[[]#[0-9]+[]]|WARNING:|BUG|sleeping function|lockdep|possible circular|KASAN|UBSAN|general protection|refcount_t|list_(add|del) corruption|RCU stall|hung_task|soft lockup'
FRAME='^<[0-9]+>[[][ 0-9.]+[]] +([?] )?[A-Za-z_][A-Za-z0-9_.]*[+]0x[0-9a-f]+/0x[0-9a-f]+'
bad=$(awk -v splat="$SPLAT" -v frame="$FRAME" '
	/kevent-fault-injection: begin/ { inj = 1; next }
	/kevent-fault-injection: end/ { inj = 0; next }
	$0 ~ frame { next }
	# The tracing core warns once when it cannot allocate an event field
	# (WARN_ON_ONCE in event_define_fields()); alloc_fail_test injects
	# just that ENOMEM into load_module(), which goes on without the
	# event.  Not a kevent bug, and nothing else warns there.
	inj && /WARNING: .* at kernel\/trace\/trace_events\.c:[0-9]+ event_define_fields/ { next }
	$0 ~ splat { print; next }
	inj { next }
	/^<[0-3]>/ || /Call Trace|suspected memory leak/ { print }
	' /tmp/dmesg.raw | sort -u)
echo "KEVENT-DMESG-BEGIN"
sed 's/^<[0-9]*>//' /tmp/dmesg.raw
echo "KEVENT-DMESG-END"
if [ -z "$bad" ]; then
	result "PASS dmesg clean"
else
	echo "$bad" | sed 's/^/KEVENT-DMESG-BAD: /'
	result "FAIL dmesg clean - $(echo "$bad" | wc -l) bad line(s), see KEVENT-DMESG-BAD"
fi
echo "KEVENT-DONE"
