#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# unit_test.sh OUT: keventlogd.service, offline, on the build host
# (scripts/host-unit.sh runs it, after building OUT/keventlogd):
#   - @SBINDIR@ filled in with OUT, as make install does with its SBINDIR;
#   - `systemd-analyze verify` accepts it without a single message (an
#     unknown or misspelt setting is only a warning there: any output
#     fails), the man pages of Documentation= included when man(1) is
#     installed;
#   - `systemd-analyze security --offline=true`: its exposure level, on
#     the PASS line, is not above the one keventlogd(8) states;
#   - it runs keventlogd as keventlog with no capability, checks the
#     configuration (--test) before a start and before SIGHUP on reload,
#     and has a watchdog.
# Prints one "PASS|FAIL|SKIP host: unit: ..." line per check.
set -uo pipefail
OUT=${1:?usage: unit_test.sh OUT}
TOP=$(cd "$(dirname "$0")/../../../../.." && pwd)
SRC=$TOP/tools/kevent
U=$OUT/unit
UNIT=$U/keventlogd.service
LOG=$OUT/unit-test.log

check() {
	local what=$1; shift
	if "$@" >> "$LOG" 2>&1; then
		echo "PASS host: unit: $what"
	else
		echo "FAIL host: unit: $what (see $LOG)"
	fi
}

rm -rf "$U" "$LOG"
mkdir -p "$U/man/man5" "$U/man/man8"
sed "s|@SBINDIR@|$OUT|g" "$SRC/keventlogd/keventlogd.service" > "$UNIT"
cp "$SRC"/man/*.5 "$U/man/man5/"
cp "$SRC"/man/*.8 "$U/man/man8/"

if ! command -v systemd-analyze > /dev/null; then
	echo "FAIL host: unit: systemd-analyze not installed (scripts/deps.sh installs systemd)"
	exit 0
fi
echo "systemd-analyze: $(systemd-analyze --version | head -n 1)" >> "$LOG"

filled() { [ -x "$OUT/keventlogd" ] && ! grep -n '@[A-Z]*@' "$UNIT"; }
check "@SBINDIR@ filled in, $OUT/keventlogd built" filled

# verify sends its warnings to stderr and still exits 0: none is allowed.
verify() {
	local out rc
	out=$(cd "$U" && MANPATH=$U/man systemd-analyze verify --man="$1" "$UNIT" 2>&1)
	rc=$?
	echo "systemd-analyze verify --man=$1: exit $rc"
	[ -z "$out" ] || printf '%s\n' "$out"
	[ "$rc" = 0 ] && [ -z "$out" ]
}
if command -v man > /dev/null; then
	check "systemd-analyze verify: no error, no warning, its man pages found" verify yes
else
	check "systemd-analyze verify: no error, no warning" verify no
	echo "SKIP host: unit: the man pages of Documentation= (man-db is not installed)"
fi

# The exposure keventlogd(8) states, as "exposure level 1.3".
doc=$(sed -n 's/.*exposure level \([0-9]*\.[0-9]\).*/\1/p' "$SRC/man/keventlogd.8" | head -n 1)
sec=$(systemd-analyze security --offline=true "$UNIT" 2>&1)
printf '%s\n' "$sec" >> "$LOG"
got=$(sed -n 's/.*Overall exposure level for keventlogd.service: \([0-9]*\.[0-9]\).*/\1/p' <<<"$sec")
if [ -z "$doc" ] || [ -z "$got" ]; then
	echo "FAIL host: unit: systemd-analyze security: exposure '${got}', keventlogd(8) states '${doc}' (see $LOG)"
elif [ "${got/./}" -gt "${doc/./}" ]; then
	echo "FAIL host: unit: systemd-analyze security: exposure $got, above the $doc keventlogd(8) states (see $LOG)"
elif [ "$got" != "$doc" ]; then
	echo "PASS host: unit: systemd-analyze security: exposure $got, below the $doc keventlogd(8) states: update it"
else
	echo "PASS host: unit: systemd-analyze security: exposure $got, as keventlogd(8) states"
fi

# Each setting alone on its line, as it must be.
has() { grep -qx -- "$1" "$UNIT" || { echo "no line '$1' in $UNIT"; return 1; }; }
unprivileged() {
	has User=keventlog && has Group=keventlog && has CapabilityBoundingSet= &&
	has AmbientCapabilities= && has NoNewPrivileges=yes &&
	! grep -n '^\(DynamicUser\|SupplementaryGroups\|PermissionsStartOnly\)=' "$UNIT"
}
check "keventlogd runs as keventlog, with no capability" unprivileged
# shellcheck disable=SC2016 # $MAINPID is systemd's
checked() {
	has "ExecStartPre=$OUT/keventlogd --test -c /etc/keventlogd.conf" &&
	has "ExecStart=$OUT/keventlogd -c /etc/keventlogd.conf" &&
	[ "$(grep '^ExecReload=' "$UNIT")" = "$(printf '%s\n' \
		"ExecReload=$OUT/keventlogd --test -c /etc/keventlogd.conf" \
		'ExecReload=/bin/kill -HUP $MAINPID')" ]
}
check "--test before a start, and before SIGHUP on reload" checked
check "Type=notify with a watchdog" sh -c "grep -qx Type=notify '$UNIT' && grep -qx 'WatchdogSec=[1-9][0-9]*s' '$UNIT'"
