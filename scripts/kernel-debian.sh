#!/bin/bash
# scripts/kernel-debian.sh SERIES   (SERIES = 6.12)
# Fetches Debian's own x86_64 kernel of SERIES (6.12: trixie's): the image
# to boot, and its headers to build modules against.  Those headers expect
# the compiler trixie's kernel was built with (gcc-14), which bookworm lacks,
# so they come inside a minimal trixie root where kbuild runs
# (scripts/chroot-make.sh).  Cached in $KEVENT_CACHE/root-trixie-amd64-ABI-KEY;
# older ABIs are removed.  Prints on its last lines:
#   KROOT=...  KDIR=... (inside KROOT)  VMLINUZ=... (outside)
# (s390x's trixie binaries cannot be fetched reliably here: TOOLCHAIN.md;
# scripts/kernel.sh builds that one.)
set -euo pipefail
SERIES=${1:?usage: kernel-debian.sh 6.12}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/env.sh
. "$HERE/env.sh"
LOG_TAG=kernel-debian
# shellcheck source=scripts/lib.sh
. "$HERE/lib.sh"

case "$SERIES" in
6.12) SUITE=trixie ;;
*) die "no Debian kernel fetched for series '$SERIES' (want 6.12)" ;;
esac
MIRROR=http://deb.debian.org/debian

# The private apt lists of kernel-source.sh (refreshed there, once a day).
"$HERE/kernel-source.sh" "$SERIES" >/dev/null
APTDIR=$KEVENT_CACHE/apt-$SUITE
APTOPT=(-o Dir::Etc::sourcelist="$APTDIR/sources.list" -o Dir::Etc::sourceparts=-
	-o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache::pkgcache=
	-o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)
ABI=$(apt-cache "${APTOPT[@]}" show linux-headers-amd64 2>/dev/null |
      grep -o "linux-headers-${SERIES}[.0-9]*[^ ,]*-amd64" | sort -V | tail -n1)
ABI=${ABI#linux-headers-}
ABI=${ABI%-amd64}
[ -n "$ABI" ] || die "cannot find $SUITE's amd64 kernel ABI"
# What kbuild needs besides the headers' own dependencies (gcc-14, the
# kbuild tools): the root's key, with the ABI.
INCLUDE="linux-headers-$ABI-amd64,linux-image-$ABI-amd64,make"
ROOT=$KEVENT_CACHE/root-$SUITE-amd64-$ABI-$(echo "$INCLUDE" | sha256sum | cut -c1-8)

if [ ! -f "$ROOT/.done" ]; then
	command -v debootstrap >/dev/null || die "debootstrap missing (scripts/deps.sh installs it)"
	log "making a $SUITE root with linux-headers-$ABI-amd64 (debootstrap)"
	t0=$(date +%s)
	rm -rf "$ROOT.tmp"
	debootstrap --variant=minbase \
		--include="$INCLUDE" \
		"$SUITE" "$ROOT.tmp" "$MIRROR" > "$ROOT.log" 2>&1 ||
		die "debootstrap failed: see $ROOT.log"
	rm -rf "$ROOT.tmp"/var/cache/apt/archives/*.deb
	rm -rf "$ROOT"
	mv "$ROOT.tmp" "$ROOT"
	touch "$ROOT/.done"
	log "$SUITE root ready in $(( $(date +%s) - t0 ))s"
fi
for old in "$KEVENT_CACHE/root-$SUITE-amd64"-*; do
	[ -d "$old" ] && [ "$old" != "$ROOT" ] && [ -f "$old/.done" ] && rm -rf "$old"
done
KDIR=/usr/src/linux-headers-$ABI-amd64
[ -f "$ROOT$KDIR/Makefile" ] || die "$ROOT$KDIR missing"
VMLINUZ=$ROOT/boot/vmlinuz-$ABI-amd64
[ -f "$VMLINUZ" ] || die "$VMLINUZ missing"
echo "KROOT=$ROOT"
echo "KDIR=$KDIR"
echo "VMLINUZ=$VMLINUZ"
