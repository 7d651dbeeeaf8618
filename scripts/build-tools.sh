#!/bin/bash
# scripts/build-tools.sh ARCH   (called by scripts/build.sh after the sync)
# Builds keventlogd and keventctl for ARCH (dynamically linked against
# libsystemd: the host's for x86_64, the sysroot's for s390x) into
# build/ARCH/tools, the keventlogd tests into build/ARCH/tests, and
# assembles build/ARCH/rootfs-tools/: the two programs, systemd-journald
# and journalctl (for the journal test), every shared library they need
# and the program interpreter.  scripts/mkinitramfs.sh copies that folder
# into the guest.
set -euo pipefail

ARCH=${1:?usage: build-tools.sh x86_64|s390x}
# shellcheck source=scripts/env.sh
. "$(dirname "$0")/env.sh"
kevent_arch_vars "$ARCH"

OUT=$KEVENT_BUILD/$ARCH
SRC=$OUT/src
TOOLS=$OUT/tools
ROOTFS=$OUT/rootfs-tools
JOBS=$(nproc)

case "$ARCH" in
x86_64)
	ROOT="" MA=x86_64-linux-gnu SYSARGS=() ;;
s390x)
	[ -n "${SYSROOT_S390:-}" ] && [ -d "$SYSROOT_S390" ] || {
		echo "build-tools: no s390x sysroot; run scripts/deps.sh" >&2
		exit 1
	}
	ROOT=$SYSROOT_S390 MA=s390x-linux-gnu SYSARGS=("SYSROOT=$SYSROOT_S390") ;;
esac

echo "== build $ARCH: keventlogd, keventctl"
make -s -C "$SRC/tools/kevent" CC="$UCC" "${SYSARGS[@]}" OUTPUT="$TOOLS/" -j"$JOBS"

echo "== build $ARCH: keventlogd tests"
make -s -C "$SRC/tools/testing/selftests/kevent" -f keventlogd_test.mk \
	CC="$UCC" OUTPUT="$OUT/tests"

rm -rf "$ROOTFS"
mkdir -p "$ROOTFS/usr/sbin" "$ROOTFS/usr/bin" "$ROOTFS/lib/systemd"
install -m 755 "$TOOLS/keventlogd" "$ROOTFS/usr/sbin/"
install -m 755 "$TOOLS/keventctl" "$ROOTFS/usr/bin/"
bins=("$ROOTFS/usr/sbin/keventlogd" "$ROOTFS/usr/bin/keventctl")
# journald and journalctl, for the journal output test.
jd=$ROOT/lib/systemd/systemd-journald jc=$ROOT/usr/bin/journalctl
[ -e "$jc" ] || jc=$ROOT/bin/journalctl
if [ -x "$jd" ] && [ -x "$jc" ]; then
	install -m 755 "$jd" "$ROOTFS/lib/systemd/"
	install -m 755 "$jc" "$ROOTFS/usr/bin/"
	bins+=("$ROOTFS/lib/systemd/systemd-journald" "$ROOTFS/usr/bin/journalctl")
else
	echo "== build $ARCH: no systemd-journald/journalctl under ${ROOT:-/}: the journal test will skip" >&2
fi
"$KEVENT_ROOT/scripts/copy-libs.sh" "$ROOT" "$ROOTFS" "$MA" "${bins[@]}"
echo "== build $ARCH: rootfs-tools $(du -sh "$ROOTFS" | cut -f1)"
