# shellcheck shell=bash
# Source this (". scripts/env.sh") to get the toolchain paths that
# scripts/deps.sh resolved and recorded in $KEVENT_CACHE/paths.env:
#   KDIR_X86 KDIR_S390 VMLINUZ_X86 VMLINUZ_S390 BUSYBOX_X86 BUSYBOX_S390
#   KSFT_DIR CHECKPATCH KERNEL_DOC CROSS_S390 KEVENT_ROOT KEVENT_BUILD
#   SYSROOT_S390 (s390x libsystemd and journald, for tools/kevent)
# Run scripts/deps.sh first (make check does).
KEVENT_CACHE=${KEVENT_CACHE:-/var/cache/kevent-build}
if [ ! -r "$KEVENT_CACHE/paths.env" ]; then
	echo "env.sh: $KEVENT_CACHE/paths.env missing; run scripts/deps.sh (as root)" >&2
	# shellcheck disable=SC2317 # exit only when executed, not sourced
	return 1 2>/dev/null || exit 1
fi
# shellcheck disable=SC1091
. "$KEVENT_CACHE/paths.env"
KEVENT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KEVENT_BUILD=${KEVENT_BUILD:-$KEVENT_ROOT/build}
CROSS_S390=s390x-linux-gnu-
export KEVENT_CACHE X86_ABI S390_ABI KDIR_X86 KDIR_S390 VMLINUZ_X86 VMLINUZ_S390 \
	BUSYBOX_X86 BUSYBOX_S390 KSRC_FILES KSFT_DIR CHECKPATCH KERNEL_DOC \
	CROSS_S390 KEVENT_ROOT KEVENT_BUILD SYSROOT_S390

# kevent_arch_vars ARCH: set KDIR, VMLINUZ, BUSYBOX, KROOT (the root KDIR is
# in, or empty), KMAKE (the make that runs kbuild), KMAKE_ARGS (extra kbuild args) and UCC (userspace C compiler) for
# x86_64 or s390x.
# shellcheck disable=SC2034 # used by the callers
kevent_arch_vars() {
	case "$1" in
	x86_64)
		KDIR=$KDIR_X86 VMLINUZ=$VMLINUZ_X86 BUSYBOX=$BUSYBOX_X86
		KMAKE_ARGS=() UCC=gcc ;;
	s390x)
		KDIR=$KDIR_S390 VMLINUZ=$VMLINUZ_S390 BUSYBOX=$BUSYBOX_S390
		KMAKE_ARGS=("ARCH=s390" "CROSS_COMPILE=$CROSS_S390") UCC=${CROSS_S390}gcc ;;
	*)
		echo "unknown ARCH '$1' (want x86_64 or s390x)" >&2
		return 1 ;;
	esac
	# Another kernel (a debug one, 6.12): KEVENT_KDIR_<arch>,
	# KEVENT_VMLINUZ_<arch>, and KEVENT_KROOT_<arch> when its kbuild must run
	# in that root (scripts/chroot-make.sh; KDIR is then inside it).
	local kd="KEVENT_KDIR_$1" vz="KEVENT_VMLINUZ_$1" kr="KEVENT_KROOT_$1"
	KDIR=${!kd:-$KDIR}
	VMLINUZ=${!vz:-$VMLINUZ}
	KMAKE=(make)
	KROOT=${!kr:-}
	if [ -n "$KROOT" ]; then
		KMAKE=("$KEVENT_ROOT/scripts/chroot-make.sh" "$KROOT" "$KEVENT_BUILD")
	fi
}
