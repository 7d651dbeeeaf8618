#!/bin/bash
# scripts/check-deb.sh (make check-deb): the packages of make deb in a clean
# Debian 12 root, made by mmdebstrap from the archive this machine uses
# (/etc/apt/sources.list.d/debian.sources), with the 6.1 headers that
# make check's x86_64 guest kernel has (paths.env's X86_ABI):
#   - apt-get installs kevent-dkms, keventlogd, libkevent0, libkevent-dev;
#   - kevent-dkms's postinst (dkms) built and installed kevent.ko and
#     kevent_s390_log.ko, and nothing else, for that kernel;
#   - keventlogd's user, its directories (tmpfiles), the udev rule, the
#     enabled unit; keventlogd -t accepts the packaged configuration;
#   - a program builds against libkevent-dev with pkg-config alone;
#   - purging kevent-dkms removes the modules;
#   - kevent-tape-dkms, through dkms autoinstall for Debian 12's s390x
#     kernel (cross-compiled), overrides the kernel's tape modules:
#     scripts/check-tape-dkms.sh, in a root of its own (KEVENT_DEB_TAPE=0
#     skips it).
# The dkms-built modules are kept in $KEVENT_BUILD/deb-root/lib/modules
# (KEVENT_DEB_KEEP=0 removes the root).  Ends "N passed, N failed".
# KEVENT_DEB_SKIP_BUILD=1 takes the packages already in $KEVENT_BUILD/deb.
# KEVENT_DEB_GUEST=1 then boots the dkms-built modules in make check's
# x86_64 guest (its kernel is the same ABI) with every selftest.
# KEVENT_SAVE_RESULTS: also write the PASS/FAIL lines to this file (.ci/run).
# shellcheck disable=SC2016 # the hooks' and chroot's $1 and $(...) are theirs
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
# shellcheck source=scripts/env.sh
. scripts/env.sh

DEB=$KEVENT_BUILD/deb
ROOT=$KEVENT_BUILD/deb-root
KVER=$X86_ABI-amd64
SOURCES=${KEVENT_DEB_SOURCES:-/etc/apt/sources.list.d/debian.sources}
T0=$(now)

[ "${KEVENT_DEB_SKIP_BUILD:-0}" = 1 ] || scripts/deb.sh
# kevent-tape-dkms builds for s390x only (BUILD_EXCLUSIVE_ARCH): not in
# this root (check-tape-dkms.sh below).
mapfile -t DEBS < <(find "$DEB" -maxdepth 1 -name '*.deb' ! -name '*-dbgsym_*' \
	! -name 'kevent-tape-dkms_*' | sort)
[ "${#DEBS[@]}" = 4 ] || die "want 4 packages in $DEB, found ${#DEBS[@]}"

results_init
trap results_cleanup EXIT
RESULTS_ECHO=1
CHECK_TAG=deb CHECK_LOG=$KEVENT_BUILD/check-deb.log
# shellcheck source=scripts/deb-root.sh
. scripts/deb-root.sh

rm -rf "$ROOT" "$KEVENT_BUILD/check-deb.log"
log "mmdebstrap bookworm ($SOURCES) with linux-headers-$KVER, then the packages"
check "mmdebstrap a bookworm root, apt-get install the 4 packages" \
	mkroot "linux-headers-$KVER,pkg-config,gcc,libc6-dev"
grep -q '^FAIL' "$RESULTS" && { finish; exit 1; }

dkms_built() {
	local st
	st=$(in_root_mounted dkms status) && echo "$st" &&
	grep -qx "kevent/[0-9.]*, $KVER, x86_64: installed" <<<"$st"
}
check "dkms (kevent-dkms's postinst) built and installed kevent for $KVER" dkms_built

MODDIR=$ROOT/lib/modules/$KVER/updates/dkms
only_ours() {
	[ "$(cd "$MODDIR" && echo *.ko)" = "kevent.ko kevent_s390_log.ko" ] &&
	for m in kevent kevent_s390_log; do
		modinfo -F vermagic "$MODDIR/$m.ko" | grep -q "^$KVER " || return 1
	done
}
check "exactly kevent.ko and kevent_s390_log.ko, vermagic $KVER" only_ours
check "modules.dep knows them" grep -q '^updates/dkms/kevent_s390_log.ko: updates/dkms/kevent.ko' \
	"$ROOT/lib/modules/$KVER/modules.dep"

# The root has no systemd, so nothing ran the tmpfiles file at install
# (systemd does at boot): run it as boot would, with the root's users.
user_dirs() {
	local ids
	ids=$(in_root sh -c 'echo $(id -u keventlog):$(getent group keventlog | cut -d: -f3)') &&
	echo "keventlog is $ids in the root" &&
	systemd-tmpfiles --root="$ROOT" --create keventlogd.conf &&
	[ "$(stat -c %u:%g:%a "$ROOT/var/lib/keventlogd")" = "$ids:750" ] &&
	[ "$(stat -c %u:%g:%a "$ROOT/var/log/keventlogd")" = "$ids:750" ]
}
check "user keventlog; its tmpfiles make /var/lib and /var/log/keventlogd 0750 keventlog" user_dirs
check "udev rule gives /dev/kevent_s390_log to keventlog, 0640" \
	grep -q 'KERNEL=="kevent_s390_log", GROUP="keventlog", MODE="0640"' \
	"$ROOT/lib/udev/rules.d/60-kevent.rules"
check "keventlogd.service enabled" \
	test -L "$ROOT/etc/systemd/system/multi-user.target.wants/keventlogd.service"
check "modules-load.d/kevent.conf loads kevent and kevent_s390_log" \
	test "$(grep -v '^#' "$ROOT/usr/lib/modules-load.d/kevent.conf")" = "$(printf 'kevent\nkevent_s390_log')"
check "keventlogd -t accepts /etc/keventlogd.conf" in_root keventlogd -t -c /etc/keventlogd.conf
check "keventctl runs (--help)" in_root keventctl --help

dev_build() {
	printf '%s\n' '#include <libkevent.h>' '#include <libkevent_s390_log.h>' \
		'int main(void) { return kevent_init(NULL, 16, 0) < 0 ? 0 : 1; }' > "$ROOT/tmp/user.c"
	in_root sh -c 'gcc -Wall -Werror $(pkg-config --cflags libkevent) -o /tmp/user /tmp/user.c $(pkg-config --libs libkevent)' &&
	in_root /tmp/user
}
check "a program builds with pkg-config libkevent, links libkevent.so.0, runs" dev_build

purge() {
	in_root_mounted env DEBIAN_FRONTEND=noninteractive apt-get purge -y kevent-dkms &&
	[ ! -e "$MODDIR/kevent.ko" ] && [ ! -e "$MODDIR/kevent_s390_log.ko" ] &&
	[ ! -e "$ROOT/usr/src/kevent-0.1.0" ] && [ ! -e "$ROOT/var/lib/dkms/kevent" ]
}
# Keep a copy of the built modules for a guest run before purging.
mkdir -p "$KEVENT_BUILD/deb-modules"
cp "$MODDIR"/*.ko "$KEVENT_BUILD/deb-modules/" 2>/dev/null || true
check "apt-get purge kevent-dkms removes the modules and the sources" purge

[ "${KEVENT_DEB_KEEP:-1}" = 1 ] || rm -rf "$ROOT"
SUMMARY+=("deb: clean bookworm root, $KVER headers; dkms-built modules in $KEVENT_BUILD/deb-modules")
if [ "${KEVENT_DEB_TAPE:-1}" = 1 ]; then
	# kevent-tape-dkms through dkms for the s390x kernel, in a root of its
	# own (about 2 min); its PASS/FAIL lines are counted here.
	tape=$KEVENT_BUILD/check-deb-tape.txt
	rm -f "$tape"
	KEVENT_DEB_SKIP_BUILD=1 KEVENT_SAVE_RESULTS=$tape scripts/check-tape-dkms.sh || true
	if [ -s "$tape" ]; then
		cat "$tape" >> "$RESULTS"
	else
		add "FAIL deb: kevent-tape-dkms for s390x (scripts/check-tape-dkms.sh gave no results)"
	fi
fi
if [ "${KEVENT_DEB_GUEST:-0}" = 1 ]; then
	# Its own summary and "N passed, N failed" line, counted here too.
	guest=$KEVENT_BUILD/check-deb-guest.txt
	KEVENT_ARCHES=x86_64 KEVENT_SKIP_DEPS=1 KEVENT_SKIP_HOST=1 \
		KEVENT_PROD_MODULES=$KEVENT_BUILD/deb-modules KEVENT_SAVE_RESULTS=$guest \
		scripts/check.sh || true
	if [ -s "$guest" ]; then
		sed -n 's/^\(PASS\|FAIL\|SKIP\|NOTE\) /\1 deb-guest /p' "$guest" >> "$RESULTS"
	else
		add "FAIL deb: guest run with the dkms-built modules (no results)"
	fi
fi
RESULTS_T0=$T0
RESULTS_SAVE=${KEVENT_SAVE_RESULTS:-}
finish
