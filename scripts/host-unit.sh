#!/bin/bash
# scripts/host-unit.sh: keventlogd's parts that need no kernel, on the
# build host, under valgrind (make check runs it before the guests):
#   kld_unit (tools/testing/selftests/kevent/host/keventlogd_unit.c):
#     times, payloads, the configuration parser, the state file, the
#     json, stdout and syslog outputs byte for byte, a torn JSON line;
#   kld_notify_unit (host/keventlogd_notify_unit.c): STATUS= and
#     WATCHDOG=1 against a clock of its own;
#   keventctl_unit (tools/testing/selftests/kevent/host/keventctl_unit.c):
#     keventctl's numbers, device lists and output formats, against its
#     man page;
#   keventlogd -t on the example configuration and on one full of mistakes;
#   libkevent_unit (tools/testing/selftests/kevent/host/libkevent_unit.c):
#     the ring helpers on a fake ring (entries marked KEVENT_RET_REMOVED),
#     the s390 log reader on a fake log device, event names and bus ids;
#   install_test.sh (tools/testing/selftests/kevent/host/): make install
#     and make uninstall into a DESTDIR, the file list, soname, pkg-config;
#   unit_test.sh (the same folder): keventlogd.service through
#     systemd-analyze verify (no warning) and security (its exposure).
# Prints one "PASS|FAIL|SKIP host: ..." line per test, like parse-log.awk.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${KEVENT_BUILD:-$PWD/build}/host
mkdir -p "$OUT"

if ! make -s -C tools/kevent OUTPUT="$OUT/" all unit > "$OUT/build.log" 2>&1; then
	echo "FAIL host: keventlogd and kld_unit build (see $OUT/build.log)"
	exit 1
fi
echo "PASS host: keventlogd and kld_unit build (-Wall -Wextra -Werror)"

VG=()
if command -v valgrind > /dev/null; then
	VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
	    --error-exitcode=99)
fi

# TAP file -> PASS/FAIL lines named after the program ($1).
tap() {
	awk -v t="$1" '/^(not )?ok / { n++ }
	     /^ok [0-9]+ - / { sub(/^ok [0-9]+ - /, ""); print "PASS host: " t ": " $0 }
	     /^not ok [0-9]+ - / { sub(/^not ok [0-9]+ - /, ""); print "FAIL host: " t ": " $0 }
	     /^1\.\.[0-9]+$/ { plan = substr($0, 4) }
	     END { if (plan == "" || n != plan) print "FAIL host: " t ": " n " results for plan 1.." plan }' \
		"$2"
}

"${VG[@]}" "$OUT/kld_unit" dist/catalog/keventlogd.catalog > "$OUT/unit.tap" 2> "$OUT/unit.err"
rc=$?
tap kld_unit "$OUT/unit.tap"
"${VG[@]}" "$OUT/kld_notify_unit" > "$OUT/notify-unit.tap" 2> "$OUT/notify-unit.err"
nrc=$?
tap kld_notify_unit "$OUT/notify-unit.tap"

"${VG[@]}" "$OUT/keventctl_unit" > "$OUT/keventctl-unit.tap" 2> "$OUT/keventctl-unit.err"
crc=$?
tap keventctl_unit "$OUT/keventctl-unit.tap"

lrc=0
if make -s -C tools/lib/kevent OUTPUT="$OUT/libkevent/" unit > "$OUT/libkevent-build.log" 2>&1; then
	"${VG[@]}" "$OUT/libkevent/libkevent_unit" > "$OUT/libkevent-unit.tap" 2> "$OUT/libkevent-unit.err"
	lrc=$?
	tap libkevent_unit "$OUT/libkevent-unit.tap"
else
	echo "FAIL host: libkevent_unit build (see $OUT/libkevent-build.log)"
fi

# keventlogd -t, good and bad, for leaks on every path of the parser.
sed -e "s|/var/lib/keventlogd/|$OUT/|" -e "s|/var/log/keventlogd/|$OUT/|" \
	tools/kevent/keventlogd/keventlogd.conf > "$OUT/example.conf"
printf '%s\n' "devcies all" "devices 0.0.018g 0.4.0180" "events tape_loded" \
	"wake sometimes" "output json" "output syslog target=tcp:x facility=local9" \
	"output stdout" "output stdout" "user keventlog" > "$OUT/bad.conf"
"${VG[@]}" "$OUT/keventlogd" -t -c "$OUT/example.conf" > /dev/null 2> "$OUT/t-good.err"
good=$?
"${VG[@]}" "$OUT/keventlogd" -t -c "$OUT/bad.conf" > /dev/null 2> "$OUT/t-bad.err"
bad=$?
if [ "$good" = 0 ] && [ "$bad" = 1 ]; then
	echo "PASS host: keventlogd -t: the example configuration is good, the bad one is refused"
else
	echo "FAIL host: keventlogd -t: exit $good for the example, $bad for the bad one (see $OUT/t-*.err)"
fi

if [ ${#VG[@]} -eq 0 ]; then
	echo "SKIP host: valgrind not installed"
elif [ "$rc" = 99 ] || [ "$nrc" = 99 ] || [ "$crc" = 99 ] || [ "$good" = 99 ] ||
     [ "$bad" = 99 ] || [ "$lrc" = 99 ]; then
	echo "FAIL host: valgrind: memory errors or leaks (see $OUT/unit.err, $OUT/notify-unit.err, $OUT/keventctl-unit.err, $OUT/t-*.err, $OUT/libkevent-unit.err)"
else
	echo "PASS host: valgrind: no memory errors or leaks in kld_unit, kld_notify_unit, keventctl_unit, keventlogd -t and libkevent_unit"
fi

tools/testing/selftests/kevent/host/install_test.sh "$OUT"
tools/testing/selftests/kevent/host/unit_test.sh "$OUT"
