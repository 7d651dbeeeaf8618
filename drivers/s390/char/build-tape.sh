#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# drivers/s390/char/build-tape.sh [OUTDIR]
#
# Shows that the mainline s390 tape driver, patched with tape-kevent.patch,
# builds for s390x against Debian's s390x kernel headers and links against
# kevent_s390_log.ko:
#   1. build this tree's modules for s390x (for Module.symvers);
#   2. copy the tape driver sources of Debian's linux-source-6.1 (from
#      $KEVENT_KSRC if it holds them, else from the tarball in /usr/src),
#      apply the patch, build tape.ko & co with CONFIG_KEVENT_S390_LOG=m;
#   3. build them once more without it: the patch must not break that;
#   4. check tape.ko needs kevent_s390_log_notify from kevent_s390_log.
# Nothing from the kernel sources is kept: everything happens in OUTDIR
# (default: a temporary directory, removed at the end).
# Needs scripts/deps.sh to have run (KDIR_S390, s390x-linux-gnu-gcc).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck disable=SC1091
. "$root/scripts/env.sh"
kevent_arch_vars s390x

KSRC=${KEVENT_KSRC:-/var/cache/kevent/linux-source-6.1}
TARBALL=/usr/src/linux-source-6.1.tar.xz
PATCH=$here/tape-kevent.patch
TAPE_FILES="tape.h tape_std.h tape_class.h tape_3590.h tape_core.c tape_std.c
	tape_char.c tape_proc.c tape_class.c tape_34xx.c tape_3590.c Kconfig"

if [ -n "${1:-}" ]; then
	out=$1
	mkdir -p "$out"
else
	out=$(mktemp -d /tmp/kevent-tape.XXXXXX)
	trap 'rm -rf "$out"' EXIT
fi
jobs=$(nproc)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

log "kevent modules for s390x"
rsync -a --delete --exclude=/build/ --exclude=/.git/ --exclude=/results/ \
	"$root/" "$out/kevent/"
make -s -C "$KDIR" M="$out/kevent" "${KMAKE_ARGS[@]}" -j"$jobs" modules \
	2>&1 | grep -v '^Skipping BTF' || true
[ -f "$out/kevent/drivers/s390/char/kevent_s390_log.ko" ] ||
	{ echo "build-tape: kevent_s390_log.ko was not built" >&2; exit 1; }

# fetch_tape DIR: the tape driver sources of linux-source-6.1 into DIR.
fetch_tape() {
	local dir=$1/drivers/s390/char f members=()

	mkdir -p "$dir"
	if [ -f "$KSRC/drivers/s390/char/tape_core.c" ]; then
		for f in $TAPE_FILES; do
			cp "$KSRC/drivers/s390/char/$f" "$dir/"
		done
		return
	fi
	for f in $TAPE_FILES; do
		members+=("linux-source-6.1/drivers/s390/char/$f")
	done
	tar -xJf "$TARBALL" -C "$1" --strip-components=1 "${members[@]}"
}

# build_tape DIR KEVENT(y|n): build the tape modules in DIR.
build_tape() {
	local dir=$1/drivers/s390/char kevent=$2 flags=()

	# As drivers/s390/char/Makefile has it, with every tape option on.
	cat > "$dir/Kbuild" <<-'EOF'
	tape-$(CONFIG_PROC_FS) += tape_proc.o
	tape-objs := tape_core.o tape_std.o tape_char.o $(tape-y)
	obj-m += tape.o tape_class.o tape_34xx.o tape_3590.o
	EOF
	if [ "$kevent" = y ]; then
		echo "ccflags-y += -I$out/kevent/include -DCONFIG_KEVENT_S390_LOG_MODULE=1" \
			>> "$dir/Kbuild"
		flags=(KBUILD_EXTRA_SYMBOLS="$out/kevent/Module.symvers")
	fi
	make -s -C "$KDIR" M="$dir" "${KMAKE_ARGS[@]}" -j"$jobs" "${flags[@]}" \
		modules 2>&1 | grep -v '^Skipping BTF' || true
	[ -f "$dir/tape.ko" ] || { echo "build-tape: $dir/tape.ko was not built" >&2; exit 1; }
}

log "tape driver with CONFIG_KEVENT_S390_LOG=m"
rm -rf "$out/tape-kevent"
fetch_tape "$out/tape-kevent"
(cd "$out/tape-kevent" && patch -p1 --quiet < "$PATCH")
build_tape "$out/tape-kevent" y

log "tape driver without it"
rm -rf "$out/tape-plain"
fetch_tape "$out/tape-plain"
(cd "$out/tape-plain" && patch -p1 --quiet < "$PATCH")
build_tape "$out/tape-plain" n

ko=$out/tape-kevent/drivers/s390/char/tape.ko
deps=$("${CROSS_S390}objcopy" -O binary --only-section=.modinfo "$ko" /dev/stdout |
	tr '\0' '\n' | sed -n 's/^depends=//p')
undef=$("${CROSS_S390}nm" -u "$ko" | awk '/kevent_s390_log/ { print $2 }' | sort | tr '\n' ' ')
plain=$("${CROSS_S390}nm" -u "$out/tape-plain/drivers/s390/char/tape.ko" |
	grep -c kevent || true)
log "tape.ko (s390x): depends=$deps; kevent symbols: $undef"
log "tape.ko without CONFIG_KEVENT_S390_LOG: $plain kevent symbols"
case ",$deps," in
*,kevent_s390_log,*) ;;
*) echo "build-tape: tape.ko does not depend on kevent_s390_log" >&2; exit 1 ;;
esac
[ "$plain" = 0 ] || { echo "build-tape: plain tape.ko references kevent" >&2; exit 1; }
log "ok: $(file -b "$ko" | cut -d, -f1-2)"
