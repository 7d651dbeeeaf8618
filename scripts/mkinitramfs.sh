#!/bin/bash
# scripts/mkinitramfs.sh ARCH [OUT]
# Packs busybox-static, build/ARCH/modules/*.ko (-> /kevent/modules),
# build/ARCH/tests/* (-> /kevent/tests) and the guest scripts
# (scripts/guest/*.sh -> /kevent/) into a gzip cpio, default
# build/ARCH/initramfs.gz. Run scripts/build.sh ARCH first.
set -euo pipefail

ARCH=${1:?usage: mkinitramfs.sh x86_64|s390x [out.gz]}
# shellcheck source=scripts/env.sh
. "$(dirname "$0")/env.sh"
kevent_arch_vars "$ARCH"
OUT=$KEVENT_BUILD/$ARCH
IMG=${2:-$OUT/initramfs.gz}
STAGE=$OUT/initramfs
GUEST=$KEVENT_ROOT/scripts/guest

rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,dev,proc,sys,tmp,run,etc,kevent/modules}
cp "$BUSYBOX" "$STAGE/bin/busybox"
ln -s busybox "$STAGE/bin/sh"
install -m 755 "$GUEST/init" "$STAGE/init"
for s in "$GUEST"/*.sh; do
	[ -e "$s" ] && install -m 755 "$s" "$STAGE/kevent/"
done
cp "$OUT"/modules/*.ko "$STAGE/kevent/modules/" 2>/dev/null || true
# The selftests' kselftest install (scripts/build.sh).
if [ -d "$OUT/kselftest" ]; then
	cp -a "$OUT/kselftest" "$STAGE/kevent/"
fi
# keventlogd, keventctl, journald and their shared libraries
# (scripts/build-tools.sh).
if [ -d "$OUT/rootfs-tools" ]; then
	cp -a "$OUT/rootfs-tools/." "$STAGE/"
fi
# Extra files for the guest (e.g. shared libraries) may be dropped into
# build/ARCH/initramfs-extra/ and are copied over the top.
if [ -d "$OUT/initramfs-extra" ]; then
	cp -a "$OUT/initramfs-extra/." "$STAGE/"
fi
# The kernel opens /dev/console before /init runs (and before devtmpfs).
if [ "$(id -u)" = 0 ]; then
	mknod -m 600 "$STAGE/dev/console" c 5 1
	mknod -m 666 "$STAGE/dev/null" c 1 3
fi
(cd "$STAGE" && find . -print0 | sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) | gzip -6 > "$IMG.tmp"
mv "$IMG.tmp" "$IMG"
echo "== initramfs $ARCH: $IMG ($(du -h "$IMG" | cut -f1))"
