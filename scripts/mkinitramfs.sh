#!/bin/bash
# scripts/mkinitramfs.sh ARCH [OUT [LIST]]
# Packs a gzip cpio for the QEMU and Hercules guests, default
# build/ARCH/initramfs.gz: busybox-static as /bin/busybox and /bin/sh,
# scripts/guest/init as /init, /dev/console and /dev/null, and the files
# LIST names (a file, or - for stdin), one "SOURCE DEST" a line:
#   SOURCE a file (or a glob): copied to DEST, or into DEST if DEST ends
#          with "/"; a directory: its contents copied into DEST
#   "?SOURCE": left out when it does not exist (else that is an error)
#   relative SOURCEs are relative to the top of the tree; # comments
# Without LIST it packs what scripts/build.sh ARCH built, for make check
# and make demo:
#   build/ARCH/modules/*.ko          -> /kevent/modules/
#   build/ARCH/kselftest/            -> /kevent/kselftest/ (run_kselftest.sh)
#   scripts/guest/*.sh               -> /kevent/
#   build/ARCH/rootfs-tools/         -> / (keventlogd, keventctl, journald
#                                         and their libraries)
#   build/ARCH/initramfs-extra/      -> / (anything dropped there by hand)
# make bench and make check-tape give their own LIST.
set -euo pipefail

ARCH=${1:?usage: mkinitramfs.sh x86_64|s390x [out.gz [list|-]]}
# shellcheck source=scripts/env.sh
. "$(dirname "$0")/env.sh"
kevent_arch_vars "$ARCH"
OUT=$KEVENT_BUILD/$ARCH
IMG=${2:-$OUT/initramfs.gz}
LIST=${3:-}
# The staging folder sits beside the image: build/ARCH/initramfs/.
STAGE=${IMG%.gz}
[ "$STAGE" != "$IMG" ] || STAGE=$IMG.d

build_list() {
	cat <<EOF
?$OUT/modules/*.ko		/kevent/modules/
?$OUT/kselftest/		/kevent/kselftest/
scripts/guest/*.sh		/kevent/
?$OUT/rootfs-tools/		/
?$OUT/initramfs-extra/		/
EOF
}

# put SOURCE DEST: one line of the list.
put() {
	local src=$1 dest=$STAGE$2 opt=0 f
	local -a files
	if [ "${src#\?}" != "$src" ]; then
		opt=1
		src=${src#\?}
	fi
	case "$src" in /*) ;; *) src=$KEVENT_ROOT/$src ;; esac
	# shellcheck disable=SC2206 # the glob is meant
	files=($src)
	if [ ! -e "${files[0]}" ]; then
		[ "$opt" = 1 ] && return 0
		echo "mkinitramfs: $src: no such file" >&2
		return 1
	fi
	for f in "${files[@]}"; do
		if [ -d "$f" ]; then
			mkdir -p "$dest"
			cp -a "$f/." "$dest/"
		elif [ "${dest%/}" != "$dest" ]; then
			mkdir -p "$dest"
			cp -a "$f" "$dest"
		else
			mkdir -p "$(dirname "$dest")"
			cp -a "$f" "$dest"
		fi
	done
}

rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,dev,proc,sys,tmp,run,etc,kevent}
cp "$BUSYBOX" "$STAGE/bin/busybox"
ln -s busybox "$STAGE/bin/sh"
install -m 755 "$KEVENT_ROOT/scripts/guest/init" "$STAGE/init"
while read -r src dest; do
	case "$src" in '' | '#'*) continue ;; esac
	[ -n "$dest" ] || { echo "mkinitramfs: '$src': no DEST" >&2; exit 1; }
	put "$src" "$dest"
done < <(if [ -z "$LIST" ]; then build_list; elif [ "$LIST" = - ]; then cat; else cat "$LIST"; fi)
# The kernel opens /dev/console before /init runs (and before devtmpfs).
if [ "$(id -u)" = 0 ]; then
	mknod -m 600 "$STAGE/dev/console" c 5 1
	mknod -m 666 "$STAGE/dev/null" c 1 3
fi
(cd "$STAGE" && find . -print0 | sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) | gzip -6 > "$IMG.tmp"
mv "$IMG.tmp" "$IMG"
echo "== initramfs $ARCH: $IMG ($(du -h "$IMG" | cut -f1))"
