#!/bin/bash
# Install (idempotently) everything `make check`, `make check-debug`,
# `make lint` and `make demo` need on a Debian 12 machine, and fill the build
# cache outside the clone:
#   - host packages (QEMU, cross gcc, sparse, linux-kbuild-6.1, and the
#     kernel build tools the debug kernels need: flex, bison, bc,
#     libelf-dev for objtool, libssl-dev for the certificate tools)
#   - the guests' kernels and headers (amd64 and s390x) and s390x busybox,
#     downloaded and unpacked into the cache, never installed: the host's
#     /boot, initrd and dpkg architectures stay as they are.  The package
#     lists for the downloads live in a private apt directory in the cache.
#   - the kselftest harness, lib.mk and runner, checkpatch and kernel-doc
#     from linux-source-6.1
#   - an s390x userspace sysroot (libsystemd and its libraries, and
#     systemd-journald/journalctl with theirs) for keventlogd and the guest
# Writes $KEVENT_CACHE/paths.env, which scripts/env.sh sources.
# A second run only checks stamps and is fast (no apt-get update).
# Longer than the other scripts on purpose: one ordered pass, each step
# keyed and stamped on its own, every step feeding the one paths.env at the
# end; split up, the pieces would pass a dozen variables between them.
set -euo pipefail

CACHE=${KEVENT_CACHE:-/var/cache/kevent-build}
export DEBIAN_FRONTEND=noninteractive

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# paths.env records which deps.sh filled the cache.  --if-stale (make
# deps-ok, bench.sh) does nothing when it was this one, and otherwise runs:
# a cache filled by another branch's deps.sh may lack what this tree needs.
DEPS_KEY=$(sha256sum < "$0" | cut -c1-16)
if [ "${1:-}" = --if-stale ] &&
   grep -qsx "DEPS_KEY='$DEPS_KEY'" "$CACHE/paths.env"; then
	exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root (apt-get, /var/cache)"

PKGS="qemu-system-x86 qemu-system-misc linux-kbuild-6.1
      busybox-static cpio gcc-s390x-linux-gnu linux-source-6.1 sparse
      xz-utils rsync make gcc libc6-dev perl gzip kmod
      libc6-dev-s390x-cross binutils-s390x-linux-gnu
      libsystemd-dev pkg-config systemd binutils valgrind
      flex bison bc libelf-dev libssl-dev debootstrap
      dkms dh-dkms debhelper dpkg-dev fakeroot lintian mmdebstrap
      systemd-journal-remote"

# The s390x userspace sysroot: libsystemd to link keventlogd against, and
# what systemd-journald and journalctl need to run in the s390x guest.
# apt-get install libsystemd-dev:s390x is impossible (Multi-Arch wants equal
# versions on both architectures, and updates reach s390x later), so these
# are downloaded and unpacked (docs: /work/shared/TOOLCHAIN.md).  From
# systemd-journal-remote on: systemd-journal-upload and its libraries, for
# make check-fleet's guests.  liburing-dev: the static liburing that
# kevent-bench links for its io_uring rows (make bench).
SYSROOT_PKGS="libc6 libsystemd0 libsystemd-dev liblzma5 libzstd1 liblz4-1
      libcap2 libgcrypt20 libgpg-error0
      systemd libsystemd-shared libacl1 libblkid1 libcrypt1 libip4tc2
      libkmod2 libmount1 libssl3 libpam0g libseccomp2 libselinux1
      libpcre2-8-0 libaudit1 libcap-ng0
      systemd-journal-remote libcurl4 libmicrohttpd12 libgnutls30
      libnghttp2-14 libidn2-0 libpsl5 librtmp1 libssh2-1 libgssapi-krb5-2
      libkrb5-3 libk5crypto3 libcom-err2 libkrb5support0 libkeyutils1
      libldap-2.5-0 libsasl2-2 libbrotli1 zlib1g libp11-kit0 libtasn1-6
      libnettle8 libhogweed6 libgmp10 libunistring2 libffi8 liburing-dev"

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

log "host packages by apt-get; the guests' kernels, headers, busybox and the"
log "  s390x sysroot downloaded into $CACHE (/boot and dpkg's architectures stay)"

# --- 1. the downloads' package lists ----------------------------------------
# The host's own sources, with amd64 and s390x indexes, in a private list
# directory: dpkg gets no foreign architecture.  Refreshed once a day, and
# when a download fails (a superseded version is a 404).
APTDIR=$CACHE/apt
APTOPT=(-o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache::pkgcache=
	-o Dir::Cache::srcpkgcache= -o "APT::Architectures=amd64,s390x"
	-o APT::Sandbox::User=root)
DL_UPDATED=0
dl_update() {
	[ "$DL_UPDATED" = 1 ] && return 0
	log "apt-get update (amd64 and s390x lists in $APTDIR)"
	mkdir -p "$APTDIR/lists/partial"
	apt-get update -qq "${APTOPT[@]}" || die "apt-get update for the downloads failed"
	touch "$APTDIR/updated"
	DL_UPDATED=1
}
if [ ! -f "$APTDIR/updated" ] || [ -n "$(find "$APTDIR/updated" -mmin +1440)" ]; then
	dl_update
fi
# One apt-cache call (each costs ~1 s): the kernel meta packages name the
# current ABIs, and their versions key the cache.
dl_show() {
	local p sr=""
	for p in $SYSROOT_PKGS; do sr="$sr $p:s390x"; done
	# shellcheck disable=SC2086 # word list
	apt-cache "${APTOPT[@]}" show --no-all-versions linux-image-amd64:amd64 \
		linux-image-s390x:s390x busybox-static:s390x $sr 2>/dev/null
}
if ! DL_INFO=$(dl_show) || ! grep -q '^Package: busybox-static' <<<"$DL_INFO" ||
   ! grep -q '^Package: libsystemd-dev' <<<"$DL_INFO"; then
	dl_update
	DL_INFO=$(dl_show) || die "no s390x packages in the apt lists"
fi
# field PACKAGE FIELD: a field of one package from $DL_INFO
field() {
	awk -v p="$1" -v f="$2:" '$1 == "Package:" { cur = $2 }
		cur == p && $1 == f { sub(/^[^:]*: /, ""); print; exit }' <<<"$DL_INFO"
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

# Download into the current directory; on failure refresh the lists once
# and retry.
download() {
	apt-get download -qq "${APTOPT[@]}" "$@" && return 0
	[ "$DL_UPDATED" = 1 ] && return 1
	dl_update
	apt-get download -qq "${APTOPT[@]}" "$@"
}

# fetch_kernel ROOT ARCH ABI: unpack Debian's image and headers of ARCH into
# ROOT.  The headers include their common part by absolute /usr/src path:
# point that at the copy in ROOT.  scripts/ and tools/ are symlinks to
# ../../lib/linux-kbuild-6.1/..., which the host's linux-kbuild-6.1 provides
# (fixdep, modpost).
fetch_kernel() {
	local root=$1 arch=$2 abi=$3 d hdr
	log "fetching the $arch kernel $abi into $root"
	rm -rf "$root" "$root.tmp"
	mkdir -p "$root.tmp/debs"
	(cd "$root.tmp/debs" && download "linux-image-$abi-$arch:$arch" \
		"linux-headers-$abi-$arch:$arch" "linux-headers-$abi-common") ||
		die "cannot download the $arch kernel $abi"
	for d in "$root.tmp"/debs/*.deb; do
		dpkg-deb -x "$d" "$root.tmp"
	done
	rm -rf "$root.tmp/debs"
	hdr=$root.tmp/usr/src/linux-headers-$abi-$arch
	sed -i "s|^include /usr/src/linux-headers-$abi-common/|include $root/usr/src/linux-headers-$abi-common/|" \
		"$hdr/Makefile"
	grep -q "$root" "$hdr/Makefile" || die "unexpected $hdr/Makefile: $(cat "$hdr/Makefile")"
	mkdir -p "$root.tmp/usr/lib"
	ln -sfn /usr/lib/linux-kbuild-6.1 "$root.tmp/usr/lib/linux-kbuild-6.1"
	mv "$root.tmp" "$root"
	touch "$root/.done"
}

# --- 3. the kernels (keyed by ABI + version) ---------------------------------
# abi ARCH: the ABI the meta package linux-image-ARCH depends on now.
abi() {
	field "linux-image-$1" Depends |
		grep -o "linux-image-[0-9][^ :,]*-$1" | head -n1 | sed "s/^linux-image-//; s/-$1\$//"
}
x86_abi=$(abi amd64)
[ -n "$x86_abi" ] || die "cannot find the amd64 kernel ABI (apt-cache show linux-image-amd64)"
# The meta package is built from the same source as the image: same version.
X86_ROOT=$CACHE/x86_64-$x86_abi-$(field linux-image-amd64 Version)
[ -f "$X86_ROOT/.done" ] || fetch_kernel "$X86_ROOT" amd64 "$x86_abi"
KDIR_X86=$X86_ROOT/usr/src/linux-headers-$x86_abi-amd64
VMLINUZ_X86=$X86_ROOT/boot/vmlinuz-$x86_abi-amd64
[ -f "$VMLINUZ_X86" ] || die "$VMLINUZ_X86 missing"
BUSYBOX_X86=/bin/busybox
[ -x "$BUSYBOX_X86" ] || die "$BUSYBOX_X86 missing"

s390_abi=$(abi s390x)
[ -n "$s390_abi" ] || die "cannot find the s390x kernel ABI (apt-cache show linux-image-s390x:s390x)"
S390_ROOT=$CACHE/s390x-$s390_abi-$(field linux-image-s390x Version)
[ -f "$S390_ROOT/.done" ] || fetch_kernel "$S390_ROOT" s390x "$s390_abi"
KDIR_S390=$S390_ROOT/usr/src/linux-headers-$s390_abi-s390x
VMLINUZ_S390=$S390_ROOT/boot/vmlinuz-$s390_abi-s390x
[ -f "$VMLINUZ_S390" ] || die "$VMLINUZ_S390 missing"

bb_ver=$(field busybox-static Version | tr ':' '_')
BB_ROOT=$CACHE/busybox-s390x-$bb_ver
if [ ! -f "$BB_ROOT/.done" ]; then
	log "fetching busybox-static:s390x $bb_ver"
	rm -rf "$BB_ROOT" "$BB_ROOT.tmp"
	mkdir -p "$BB_ROOT.tmp"
	(cd "$BB_ROOT.tmp" && download busybox-static:s390x) ||
		die "cannot download busybox-static:s390x"
	dpkg-deb -x "$BB_ROOT.tmp"/busybox-static_*.deb "$BB_ROOT.tmp"
	rm -f "$BB_ROOT.tmp"/*.deb
	mv "$BB_ROOT.tmp" "$BB_ROOT"
	touch "$BB_ROOT/.done"
fi
BUSYBOX_S390=$BB_ROOT/bin/busybox
[ -x "$BUSYBOX_S390" ] || die "$BUSYBOX_S390 missing"

# --- 4b. s390x userspace sysroot (keyed by the packages' versions) --------
sr_key=""
for p in $SYSROOT_PKGS; do
	v=$(field "$p" Version)
	[ -n "$v" ] || die "no s390x package $p in the apt lists"
	sr_key="$sr_key $p=$v"
done
sr_hash=$(printf '%s' "$sr_key" | sha256sum | cut -c1-12)
SYSROOT_S390=$CACHE/sysroot-s390x-$sr_hash
if [ ! -f "$SYSROOT_S390/.done" ]; then
	log "fetching the s390x userspace sysroot ($(wc -w <<<"$SYSROOT_PKGS") packages)"
	rm -rf "$SYSROOT_S390" "$SYSROOT_S390.tmp"
	mkdir -p "$SYSROOT_S390.tmp/debs"
	dl=""
	for p in $SYSROOT_PKGS; do dl="$dl $p:s390x"; done
	# shellcheck disable=SC2086 # word list
	(cd "$SYSROOT_S390.tmp/debs" && download $dl) ||
		die "cannot download the s390x sysroot"
	for d in "$SYSROOT_S390.tmp"/debs/*.deb; do
		dpkg-deb -x "$d" "$SYSROOT_S390.tmp"
	done
	rm -rf "$SYSROOT_S390.tmp/debs"
	# shellcheck disable=SC2086 # one package=version a line
	printf '%s\n' $sr_key > "$SYSROOT_S390.tmp/PACKAGES"
	# The -dev symlink libsystemd.so points at an absolute /lib path on
	# some releases; make sure it resolves inside the sysroot.
	so=$SYSROOT_S390.tmp/usr/lib/s390x-linux-gnu/libsystemd.so
	if [ -L "$so" ] && [ ! -e "$so" ]; then
		ln -sfn libsystemd.so.0 "$so"
		[ -e "$SYSROOT_S390.tmp/usr/lib/s390x-linux-gnu/libsystemd.so.0" ] ||
			ln -sfn "../../../lib/s390x-linux-gnu/$(readlink "$so" | xargs basename)" "$so"
	fi
	mv "$SYSROOT_S390.tmp" "$SYSROOT_S390"
	touch "$SYSROOT_S390/.done"
fi
[ -f "$SYSROOT_S390/usr/include/systemd/sd-journal.h" ] ||
	die "$SYSROOT_S390: no systemd/sd-journal.h (libsystemd-dev:s390x not unpacked?)"

# --- 5. files from linux-source-6.1 (one pass over the 138 MB tarball) -----
# The kselftest build and runner: the harness headers, lib.mk (the selftests
# Makefile includes it), and what an install carries into the guest
# (run_kselftest.sh and kselftest/*).
src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
SRC_FILES="tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/lib.mk
	tools/testing/selftests/run_kselftest.sh
	tools/testing/selftests/kselftest/runner.sh
	tools/testing/selftests/kselftest/prefix.pl
	tools/testing/selftests/kselftest/module.sh
	scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
	scripts/kernel-doc Documentation/dev-tools/checkpatch.rst"
# Keyed by the list too: a new file extracts into a new directory, and
# whatever still uses the old one keeps it.
KSRC=$CACHE/linux-source-6.1-$src_ver-$(printf '%s' "$SRC_FILES" | sha256sum | cut -c1-8)
if [ ! -f "$KSRC/.done" ]; then
	log "extracting kselftest files, checkpatch, kernel-doc from linux-source-6.1 $src_ver"
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
SYSROOT_S390='$SYSROOT_S390'
DEPS_KEY='$DEPS_KEY'
EOT
chmod 644 "$tmp"
mv "$tmp" "$CACHE/paths.env"
log "ok (x86_64 $x86_abi, s390x $s390_abi; cache $CACHE)"
