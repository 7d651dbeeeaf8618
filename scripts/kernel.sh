#!/bin/bash
# scripts/kernel.sh ARCH [VARIANT]   (ARCH = x86_64 | s390x)
# Builds a kernel from Debian's linux-source-$KEVENT_KERNEL (6.1, the
# default, or 6.12; scripts/kernel-source.sh): allnoconfig plus fragments
# from scripts/debug/.  VARIANT:
#   debug  base + debug.config (KASAN, lockdep, kmemleak, UBSAN,
#          failslab...) + ARCH; kevent built in tree too (scripts/intree.sh,
#          for its KUnit suites); make check-debug
#   kcsan  kcsan.config instead of debug.config (KCSAN, which excludes
#          KASAN); make check-kcsan
#   plain  base + plain.config + ARCH, no debug option: a kernel to test on, as a distribution's is
#          (make check KERNEL=6.12 on s390x, whose trixie binaries cannot be
#          fetched here)
# KEVENT_KERNEL_TARGET=prepare stops after modules_prepare: enough to build
# modules against (no image).  A later full build continues from there.
# The build is cached outside the clone, keyed by series, source package
# version and fragments; a second run only rebuilds what changed.
# Prints the variables its callers need on its last lines:
#   KDIR=...  VMLINUZ=...   (no VMLINUZ after prepare)
set -euo pipefail
ARCH=${1:?usage: kernel.sh x86_64|s390x [debug|kcsan|plain]}
VARIANT=${2:-debug}
SERIES=${KEVENT_KERNEL:-6.1}
TARGET=${KEVENT_KERNEL_TARGET:-image}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/env.sh
. "$HERE/env.sh"

case "$ARCH" in
x86_64) KARCH=x86 CROSS=() IMAGE=arch/x86/boot/bzImage ;;
s390x) KARCH=s390 CROSS=("CROSS_COMPILE=$CROSS_S390") IMAGE=arch/s390/boot/bzImage ;;
*) echo "kernel.sh: unknown ARCH $ARCH" >&2; exit 1 ;;
esac

# 6.1's debug variant keeps its old names (cache directories, messages);
# every other build's directory starts with what tells it apart
# ("SERIES-" unless 6.1, "VARIANT-" unless debug), so that no clean-up below
# matches another's builds.
case "$VARIANT" in
debug) PREFIX='' FRAGS=("$HERE/debug/base.config" "$HERE/debug/debug.config") ;;
kcsan|plain) PREFIX=$VARIANT- FRAGS=("$HERE/debug/base.config") ;;
*) echo "kernel.sh: unknown VARIANT $VARIANT" >&2; exit 1 ;;
esac
case "$VARIANT" in kcsan|plain) FRAGS+=("$HERE/debug/$VARIANT.config") ;; esac
FRAGS+=("$HERE/debug/$ARCH.config")
[ "$SERIES" = 6.1 ] || PREFIX=$SERIES-$PREFIX
NAME="$SERIES $VARIANT $ARCH"
case "$TARGET" in
image|prepare) ;;
*) echo "kernel.sh: unknown KEVENT_KERNEL_TARGET $TARGET (image|prepare)" >&2; exit 1 ;;
esac

read -r TARBALL VER < <("$HERE/kernel-source.sh" "$SERIES")
[ -n "$VER" ] || { echo "kernel.sh: no linux-source-$SERIES" >&2; exit 1; }
KEY=$(cat "${FRAGS[@]}" | sha256sum | cut -c1-12)
DIR=$KEVENT_CACHE/debug-kernel/$PREFIX$ARCH-$VER-$KEY
SRC=$DIR/src
OBJ=$DIR/obj
KMAKE=(make -s -C "$SRC" O="$OBJ" ARCH="$KARCH" "${CROSS[@]}")

# Builds for older source versions or fragments are dead weight (GBs).
# ("x86_64-*" matches neither "kcsan-x86_64-*" nor "6.12-x86_64-*".)
for old in "$KEVENT_CACHE/debug-kernel/$PREFIX$ARCH"-*; do
	[ -d "$old" ] && [ "$old" != "$DIR" ] && rm -rf "$old"
done
if [ ! -f "$SRC/.extracted" ]; then
	echo "== kernel $NAME: extracting linux-source $VER"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	tar -xf "$TARBALL" -C "$SRC" --strip-components=1
	touch "$SRC/.extracted"
fi
[ "$VARIANT" = plain ] || "$HERE/intree.sh" "$SRC" >/dev/null

mkdir -p "$OBJ"
if [ ! -f "$OBJ/.configured" ]; then
	echo "== kernel $NAME: configuring (allnoconfig + ${FRAGS[*]##*/})"
	"${KMAKE[@]}" allnoconfig
	(cd "$OBJ" && ARCH=$KARCH "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" \
		"$OBJ/.config" "${FRAGS[@]}" >/dev/null)
	"${KMAKE[@]}" olddefconfig
	# Every option a fragment asks for must have survived olddefconfig.
	# (An arch fragment lists what its arch lacks as "# unsupported: CONFIG_X".)
	unsupported=$(sed -n 's/^# unsupported: //p' "${FRAGS[@]}")
	missing=$(grep -h '^CONFIG_.*=[ym]$' "${FRAGS[@]}" | while read -r want; do
		grep -qx "$want" "$OBJ/.config" ||
			grep -qx "${want%%=*}" <<<"$unsupported" || echo "$want"; done)
	if [ -n "$missing" ]; then
		echo "kernel $NAME: options not set after olddefconfig: ${missing//$'\n'/ }" >&2
		exit 1
	fi
	touch "$OBJ/.configured"
fi
"${KMAKE[@]}" olddefconfig

t0=$(date +%s)
if [ "$TARGET" = prepare ]; then
	echo "== kernel $NAME: modules_prepare in $OBJ"
	"${KMAKE[@]}" -j"$(nproc)" modules_prepare
	echo "== kernel $NAME: prepared in $(( $(date +%s) - t0 ))s"
	echo "KDIR=$OBJ"
	exit 0
fi
echo "== kernel $NAME: building in $OBJ"
"${KMAKE[@]}" -j"$(nproc)" bzImage modules
echo "== kernel $NAME: built in $(( $(date +%s) - t0 ))s"
echo "KDIR=$OBJ"
echo "VMLINUZ=$OBJ/$IMAGE"
