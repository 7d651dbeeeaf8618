#!/bin/bash
# scripts/check-tape-dkms.sh: kevent-tape-dkms through dkms itself, for
# Debian 12's s390x kernel (paths.env's S390_ABI), from this x86_64 machine.
# In a clean bookworm root (mmdebstrap, as scripts/check-deb.sh) with dkms,
# gcc-s390x-linux-gnu and linux-kbuild-6.1:
#   - apt-get installs kevent-dkms and kevent-tape-dkms (which pulls
#     linux-source-6.1 through linux-source);
#   - the s390x headers and the kernel's modules (the cached image, as
#     linux-image-S390_ABI-s390x would put them) go into the root;
#   - dkms autoinstall -k KVER/s390x, with ARCH=s390 and
#     CROSS_COMPILE=s390x-linux-gnu- in the environment (the only thing that
#     differs from a native s390x run), builds and installs kevent and then
#     kevent-tape (BUILD_DEPENDS);
#   - depmod picks the dkms tape modules over kernel/drivers/s390/char/
#     (modinfo -k KVER -n), tape.ko needs kevent_s390_log_notify and
#     modules.dep says tape needs kevent_s390_log, with the CRC of
#     kevent_s390_log_notify that the installed kevent_s390_log.ko has;
#   - dkms remove kevent-tape gives the kernel's own modules back.
# Needs root and the network (or a warm apt cache).  The root is
# $KEVENT_BUILD/tape-dkms-root (KEVENT_DEB_KEEP=0 removes it); the packages
# come from $KEVENT_BUILD/deb (KEVENT_DEB_SKIP_BUILD=1, else scripts/deb.sh).
# Ends "N passed, N failed".
# shellcheck disable=SC2016 # the hooks' $1 are theirs
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
# shellcheck source=scripts/env.sh
. scripts/env.sh

DEB=$KEVENT_BUILD/deb
ROOT=$KEVENT_BUILD/tape-dkms-root
KVER=$S390_ABI-s390x
# The unpacked s390x kernel: KDIR_S390 is ITS/usr/src/linux-headers-KVER.
S390=${KDIR_S390%/usr/src/*}
SOURCES=${KEVENT_DEB_SOURCES:-/etc/apt/sources.list.d/debian.sources}
LOGF=$KEVENT_BUILD/check-tape-dkms.log
T0=$(now)

[ "${KEVENT_DEB_SKIP_BUILD:-0}" = 1 ] || scripts/deb.sh
mapfile -t DEBS < <(find "$DEB" -maxdepth 1 \( -name 'kevent-dkms_*.deb' \
	-o -name 'kevent-tape-dkms_*.deb' \) | sort)
[ "${#DEBS[@]}" = 2 ] || die "want kevent-dkms and kevent-tape-dkms in $DEB, found ${#DEBS[@]}"
[ -d "$S390/lib/modules/$KVER/kernel" ] || die "$S390/lib/modules/$KVER missing; run scripts/deps.sh"

results_init
trap results_cleanup EXIT
RESULTS_ECHO=1
CHECK_TAG=tape-dkms CHECK_LOG=$LOGF
# shellcheck source=scripts/deb-root.sh
. scripts/deb-root.sh
# What a native s390x dkms run has without asking.
CROSS=(ARCH=s390 CROSS_COMPILE=s390x-linux-gnu-)

rm -rf "$ROOT" "$LOGF"
log "mmdebstrap bookworm with dkms and the s390x cross compiler, then the packages"
# No kernel in /lib/modules yet, so the postinsts only dkms add.
check "mmdebstrap a bookworm root, apt-get install kevent-dkms kevent-tape-dkms" \
	mkroot "dkms,gcc-s390x-linux-gnu,linux-kbuild-6.1,kmod"
grep -q '^FAIL' "$RESULTS" && { finish; exit 1; }

# The s390x kernel as its packages install it: headers in /usr/src (the
# cached copy's Makefile includes the cache's path: put Debian's back) and
# the image's /lib/modules/KVER, whose build link names /usr/src.
put_kernel() {
	cp -a "$S390/usr/src/linux-headers-$S390_ABI-common" "$S390/usr/src/linux-headers-$KVER" "$ROOT/usr/src/" &&
	echo "include /usr/src/linux-headers-$S390_ABI-common/Makefile" > "$ROOT/usr/src/linux-headers-$KVER/Makefile" &&
	mkdir -p "$ROOT/lib/modules" &&
	cp -a "$S390/lib/modules/$KVER" "$ROOT/lib/modules/" &&
	in_root depmod -a "$KVER" &&
	[ "$(in_root modinfo -k "$KVER" -n tape)" = "/lib/modules/$KVER/kernel/drivers/s390/char/tape.ko" ]
}
check "$KVER headers and modules in the root; modinfo -n tape is the kernel's" put_kernel

# As /etc/kernel/postinst.d/dkms does after a kernel install.
autoinst() {
	in_root_mounted env "${CROSS[@]}" dkms autoinstall -k "$KVER/s390x" || return 1
	local st
	st=$(in_root_mounted dkms status) && echo "$st" &&
	grep -qx "kevent/[0-9.]*, $KVER, s390x: installed" <<<"$st" &&
	grep -qx "kevent-tape/[0-9.]*, $KVER, s390x: installed" <<<"$st"
}
check "dkms autoinstall -k $KVER/s390x: kevent and kevent-tape installed" autoinst

MODDIR=$ROOT/lib/modules/$KVER/updates/dkms
modules() {
	[ "$(cd "$MODDIR" && echo *.ko)" = "kevent.ko kevent_s390_log.ko tape.ko tape_34xx.ko tape_3590.ko tape_class.ko" ] &&
	for m in "$MODDIR"/*.ko; do
		file "$m" | grep -q 'ELF 64-bit MSB relocatable, IBM S/390' &&
		modinfo -F vermagic "$m" | grep -q "^$KVER " || return 1
	done
}
check "updates/dkms: kevent, kevent_s390_log and the 4 tape modules, s390x, vermagic $KVER" modules

overrides() {
	local m n
	for m in tape tape_class tape_34xx tape_3590; do
		n=$(in_root modinfo -k "$KVER" -n "$m") && echo "$m: $n" &&
		[ "$n" = "/lib/modules/$KVER/updates/dkms/$m.ko" ] || return 1
	done
}
check "modinfo -k $KVER -n names the dkms tape modules, not kernel/drivers/s390/char/" overrides

needs_kevent() {
	in_root modprobe -S "$KVER" --show-depends tape &&
	in_root modprobe -S "$KVER" --show-depends tape | grep -q "updates/dkms/kevent_s390_log.ko" &&
	grep -q "^updates/dkms/tape.ko:.*updates/dkms/kevent_s390_log.ko" "$ROOT/lib/modules/$KVER/modules.dep" &&
	modinfo -F depends "$MODDIR/tape.ko" | grep -q kevent_s390_log
}
check "tape.ko needs kevent_s390_log (modules.dep, modprobe --show-depends)" needs_kevent

# build.sh found kevent's Module.symvers: tape.ko's __versions has the CRC
# of kevent_s390_log_notify that the installed kevent_s390_log.ko exports
# (6.1 keeps it in __kcrctab_gpl, big-endian on s390x).
same_crc() {
	local want sym sec off
	want=$(in_root modprobe --dump-modversions "/lib/modules/$KVER/updates/dkms/tape.ko" |
		awk '$2 == "kevent_s390_log_notify" { print $1 }') &&
	read -r off sec < <(s390x-linux-gnu-objdump -t "$MODDIR/kevent_s390_log.ko" |
		awk '$NF == "__crc_kevent_s390_log_notify" { print $1, $3 }') &&
	s390x-linux-gnu-objcopy -O binary -j "$sec" "$MODDIR/kevent_s390_log.ko" "$KEVENT_BUILD/kcrctab.bin" &&
	sym=0x$(od -An -tx1 -j $((16#$off)) -N4 "$KEVENT_BUILD/kcrctab.bin" | tr -d ' \n') &&
	rm -f "$KEVENT_BUILD/kcrctab.bin" &&
	echo "tape.ko wants $want, kevent_s390_log.ko exports $sym" &&
	[ -n "$want" ] && [ "$want" = "$sym" ]
}
check "tape.ko's CRC of kevent_s390_log_notify is the installed kevent_s390_log.ko's" same_crc

removal() {
	in_root_mounted dkms remove kevent-tape/0.1.0 -k "$KVER/s390x" &&
	[ ! -e "$MODDIR/tape.ko" ] &&
	[ "$(in_root modinfo -k "$KVER" -n tape)" = "/lib/modules/$KVER/kernel/drivers/s390/char/tape.ko" ]
}
check "dkms remove kevent-tape: modinfo -n tape is the kernel's again" removal

[ "${KEVENT_DEB_KEEP:-1}" = 1 ] || rm -rf "$ROOT"
SUMMARY+=("tape-dkms: clean bookworm root, $KVER (cross, ARCH=s390); root in $ROOT")
RESULTS_T0=$T0
RESULTS_SAVE=${KEVENT_SAVE_RESULTS:-}
finish
