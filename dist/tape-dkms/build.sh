#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build.sh KDIR KERNELVER BUILDDIR [MAKE ARGS...]: kevent-tape's dkms.conf
# MAKE.  In BUILDDIR:
#   kevent/  kevent-dkms's sources (/usr/src/kevent-VERSION), built for
#            their Module.symvers: the CRC of kevent_s390_log_notify, the
#            same as the installed module's (same sources, same headers);
#   tape/    the tape driver of linux-source-SERIES (6.1 for 6.1.0-57-s390x),
#            patched with tape-kevent.patch, built against KDIR.
# MAKE ARGS go to both builds (ARCH=s390 CROSS_COMPILE=... to try it
# from another architecture); KEVENT_TAPE_SOURCE and KEVENT_TAPE_KEVENT
# override the source tarball and kevent's sources.
set -eu
kdir=$1 kver=$2 build=$3
shift 3

series=$(echo "$kver" | cut -d. -f1-2)
src=${KEVENT_TAPE_SOURCE:-/usr/src/linux-source-$series.tar.xz}
kevent=${KEVENT_TAPE_KEVENT:-/usr/src/kevent-@VERSION@}
if [ ! -r "$src" ]; then
	echo "kevent-tape: $src is missing; install linux-source-$series, the sources of the tape driver for $kver" >&2
	exit 1
fi
if [ ! -r "$kevent/Kbuild" ]; then
	echo "kevent-tape: $kevent is missing; install kevent-dkms @VERSION@" >&2
	exit 1
fi

cd "$build"
rm -rf kevent tape
cp -r "$kevent" kevent
make -C "$kdir" M="$build/kevent" "$@" modules

top=linux-source-$series
mkdir tape
tar -xJf "$src" -C tape --strip-components=1 --wildcards \
	"$top/drivers/s390/char/tape*" "$top/drivers/s390/char/Kconfig"
(cd tape && patch -p1 --quiet < "$build/tape-kevent.patch")
# A version, which the kernel's tape modules lack: without one, dkms
# install sees the same (empty) version as the in-tree module's and will
# not replace it ("DKMS will not replace this module").
for f in tape_core tape_class tape_34xx tape_3590; do
	echo 'MODULE_VERSION("@VERSION@-kevent");' >> "tape/drivers/s390/char/$f.c"
done
# As drivers/s390/char/Makefile has it; CONFIG_KEVENT_S390_LOG_MODULE
# stands in for the Kconfig symbol the distribution's kernel lacks.
cat > tape/drivers/s390/char/Kbuild <<KBUILD
ccflags-y += -I$build/kevent/include -DCONFIG_KEVENT_S390_LOG_MODULE=1
tape-\$(CONFIG_PROC_FS) += tape_proc.o
tape-objs := tape_core.o tape_std.o tape_char.o \$(tape-y)
obj-m += tape.o tape_class.o tape_34xx.o tape_3590.o
KBUILD
make -C "$kdir" M="$build/tape/drivers/s390/char" \
	KBUILD_EXTRA_SYMBOLS="$build/kevent/Module.symvers" "$@" modules
