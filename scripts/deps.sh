#!/bin/bash
# Install (idempotently) everything `make check`, `make lint` and `make demo`
# need on a Debian 12 machine, and fill the build cache outside the clone:
#   - host packages (QEMU, amd64 kernel + headers, cross gcc, sparse, ...)
#   - the s390x kernel, its headers and busybox (downloaded, not installed:
#     s390x packages cannot be co-installed with amd64 ones)
#   - kselftest headers, checkpatch and kernel-doc from linux-source-6.1
# Writes $KEVENT_CACHE/paths.env, which scripts/env.sh sources.
# A second run only checks stamps and is fast (no apt-get update).
set -euo pipefail

CACHE=${KEVENT_CACHE:-/var/cache/kevent-build}
export DEBIAN_FRONTEND=noninteractive

log() { echo "deps: $*" >&2; }
die() { echo "deps: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (apt-get, /var/cache)"

PKGS="qemu-system-x86 qemu-system-misc linux-image-amd64 linux-headers-amd64
      busybox-static cpio gcc-s390x-linux-gnu linux-source-6.1 sparse
      xz-utils rsync make gcc libc6-dev perl gzip kmod
      libc6-dev-s390x-cross binutils-s390x-linux-gnu"

# apt-get update is slow and needs the network: do it at most once per run,
# and only when something is missing or a download fails.
UPDATED=0
apt_update() {
	[ "$UPDATED" = 1 ] && return 0
	log "apt-get update"
	apt-get update -qq
	UPDATED=1
}

pkg_installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# --- 1. s390x architecture (needed to see s390x package lists) -------------
if ! dpkg --print-foreign-architectures | grep -qx s390x; then
	log "adding foreign architecture s390x"
	dpkg --add-architecture s390x
	apt_update
fi
# One apt-cache call (each costs ~1 s): the s390x kernel meta package names
# the current ABI, and its version keys the cache. The lists may exist for
# amd64 only (architecture added but never updated): update then.
s390_show() {
	apt-cache show --no-all-versions linux-image-s390x:s390x busybox-static:s390x 2>/dev/null
}
if ! S390_INFO=$(s390_show) || ! grep -q '^Package: busybox-static' <<<"$S390_INFO"; then
	apt_update
	S390_INFO=$(s390_show) || die "no s390x packages in the apt lists"
fi
# field PACKAGE FIELD: a field of one package from $S390_INFO
field() {
	awk -v p="$1" -v f="$2:" '$1 == "Package:" { cur = $2 }
		cur == p && $1 == f { sub(/^[^:]*: /, ""); print; exit }' <<<"$S390_INFO"
}

# --- 2. host packages -------------------------------------------------------
missing=""
for p in $PKGS; do
	pkg_installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "installing:$missing"
	# shellcheck disable=SC2086 # word lists
	if ! apt-get install -y -qq --no-install-recommends $missing; then
		apt_update
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing
	fi
fi

mkdir -p "$CACHE"

# Run a command; on failure refresh the lists once and retry (stale lists give
# 404s for superseded versions).
with_update_retry() {
	"$@" && return 0
	[ "$UPDATED" = 1 ] && return 1
	apt_update
	"$@"
}

# --- 3. x86_64 kernel: the ABI linux-image-amd64 currently depends on -------
x86_abi=$(dpkg-query -W -f='${Depends}' linux-image-amd64 |
	  grep -o 'linux-image-[0-9][^ ,]*-amd64' | head -n1 | sed 's/^linux-image-//; s/-amd64$//')
[ -n "$x86_abi" ] || die "cannot find the amd64 kernel ABI"
KDIR_X86=/usr/src/linux-headers-$x86_abi-amd64
VMLINUZ_X86=/boot/vmlinuz-$x86_abi-amd64
[ -f "$KDIR_X86/Makefile" ] || die "$KDIR_X86 missing (linux-headers-$x86_abi-amd64 not installed?)"
[ -f "$VMLINUZ_X86" ] || die "$VMLINUZ_X86 missing"
# Debian installs the kernel image 0600; we only need to read it.
BUSYBOX_X86=/bin/busybox
[ -x "$BUSYBOX_X86" ] || die "$BUSYBOX_X86 missing"

# --- 4. s390x kernel, headers and busybox (keyed by ABI + version) ---------
s390_abi=$(field linux-image-s390x Depends |
	   grep -o 'linux-image-[0-9][^ :,]*-s390x' | head -n1 | sed 's/^linux-image-//; s/-s390x$//')
[ -n "$s390_abi" ] || die "cannot find the s390x kernel ABI (apt-cache depends linux-image-s390x:s390x)"
# The meta package is built from the same source as the image: same version.
s390_ver=$(field linux-image-s390x Version)
S390_ROOT=$CACHE/s390x-$s390_abi-$s390_ver
if [ ! -f "$S390_ROOT/.done" ]; then
	log "fetching s390x kernel $s390_abi ($s390_ver)"
	rm -rf "$S390_ROOT" "$S390_ROOT.tmp"
	mkdir -p "$S390_ROOT.tmp/debs"
	(
		cd "$S390_ROOT.tmp/debs"
		with_update_retry apt-get download -qq -o APT::Sandbox::User=root \
			"linux-image-$s390_abi-s390x:s390x" \
			"linux-headers-$s390_abi-s390x:s390x" \
			"linux-headers-$s390_abi-common"
	)
	for d in "$S390_ROOT.tmp"/debs/*.deb; do
		dpkg-deb -x "$d" "$S390_ROOT.tmp"
	done
	rm -rf "$S390_ROOT.tmp/debs"
	hdr=$S390_ROOT.tmp/usr/src/linux-headers-$s390_abi-s390x
	# The arch headers include the common ones by absolute /usr/src path:
	# point the include at the copy in the cache instead.
	sed -i "s|^include /usr/src/linux-headers-$s390_abi-common/|include $S390_ROOT/usr/src/linux-headers-$s390_abi-common/|" \
		"$hdr/Makefile"
	grep -q "$S390_ROOT" "$hdr/Makefile" || die "unexpected $hdr/Makefile: $(cat "$hdr/Makefile")"
	# scripts/ and tools/ are symlinks to ../../lib/linux-kbuild-6.1/...; the
	# host's amd64 linux-kbuild-6.1 provides host tools (fixdep, modpost).
	mkdir -p "$S390_ROOT.tmp/usr/lib"
	ln -sfn /usr/lib/linux-kbuild-6.1 "$S390_ROOT.tmp/usr/lib/linux-kbuild-6.1"
	mv "$S390_ROOT.tmp" "$S390_ROOT"
	touch "$S390_ROOT/.done"
fi
KDIR_S390=$S390_ROOT/usr/src/linux-headers-$s390_abi-s390x
VMLINUZ_S390=$S390_ROOT/boot/vmlinuz-$s390_abi-s390x
[ -f "$VMLINUZ_S390" ] || die "$VMLINUZ_S390 missing"

bb_ver=$(field busybox-static Version | tr ':' '_')
BB_ROOT=$CACHE/busybox-s390x-$bb_ver
if [ ! -f "$BB_ROOT/.done" ]; then
	log "fetching busybox-static:s390x $bb_ver"
	rm -rf "$BB_ROOT" "$BB_ROOT.tmp"
	mkdir -p "$BB_ROOT.tmp"
	(cd "$BB_ROOT.tmp" && with_update_retry apt-get download -qq -o APT::Sandbox::User=root busybox-static:s390x)
	dpkg-deb -x "$BB_ROOT.tmp"/busybox-static_*.deb "$BB_ROOT.tmp"
	rm -f "$BB_ROOT.tmp"/*.deb
	mv "$BB_ROOT.tmp" "$BB_ROOT"
	touch "$BB_ROOT/.done"
fi
BUSYBOX_S390=$BB_ROOT/bin/busybox
[ -x "$BUSYBOX_S390" ] || die "$BUSYBOX_S390 missing"

# --- 5. files from linux-source-6.1 (one pass over the 138 MB tarball) -----
src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
KSRC=$CACHE/linux-source-6.1-$src_ver
SRC_FILES="tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
	scripts/kernel-doc Documentation/dev-tools/checkpatch.rst"
if [ ! -f "$KSRC/.done" ]; then
	log "extracting selftest headers, checkpatch, kernel-doc from linux-source-6.1 $src_ver"
	tarball=/usr/src/linux-source-6.1.tar.xz
	[ -f "$tarball" ] || die "$tarball missing"
	rm -rf "$KSRC" "$KSRC.tmp"
	mkdir -p "$KSRC.tmp"
	members=""
	for f in $SRC_FILES; do members="$members linux-source-6.1/$f"; done
	# shellcheck disable=SC2086
	tar -xJf "$tarball" -C "$KSRC.tmp" --strip-components=1 $members
	mv "$KSRC.tmp" "$KSRC"
	touch "$KSRC/.done"
fi

# --- 6. record the paths for scripts/env.sh --------------------------------
tmp=$(mktemp "$CACHE/paths.env.XXXXXX")
cat > "$tmp" <<EOT
# Generated by scripts/deps.sh; sourced by scripts/env.sh.
KEVENT_CACHE='$CACHE'
X86_ABI='$x86_abi'
S390_ABI='$s390_abi'
KDIR_X86='$KDIR_X86'
KDIR_S390='$KDIR_S390'
VMLINUZ_X86='$VMLINUZ_X86'
VMLINUZ_S390='$VMLINUZ_S390'
BUSYBOX_X86='$BUSYBOX_X86'
BUSYBOX_S390='$BUSYBOX_S390'
KSRC_FILES='$KSRC'
KSFT_DIR='$KSRC/tools/testing/selftests'
CHECKPATCH='$KSRC/scripts/checkpatch.pl'
KERNEL_DOC='$KSRC/scripts/kernel-doc'
EOT
chmod 644 "$tmp"
mv "$tmp" "$CACHE/paths.env"
log "ok (x86_64 $x86_abi, s390x $s390_abi; cache $CACHE)"
