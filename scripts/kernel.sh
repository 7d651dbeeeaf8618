#!/bin/bash
# scripts/debug-kernel.sh ARCH [VARIANT]   (ARCH = x86_64 | s390x)
# Builds a debug kernel from Debian's linux-source-6.1: allnoconfig plus the
# fragments in scripts/debug/ (KASAN, lockdep, kmemleak, UBSAN, failslab...),
# with the kevent sources built in tree (scripts/intree.sh) as modules.
# VARIANT "kcsan" takes kcsan.config instead of debug.config (KCSAN, which
# excludes KASAN; make check-kcsan); the default is "debug".
# The build is cached outside the clone, keyed by the source package version
# and the fragments; a second run only rebuilds what changed.
# Prints the variables check-debug.sh needs on its last lines:
#   KDIR=...  VMLINUZ=...
set -euo pipefail
ARCH=${1:?usage: debug-kernel.sh x86_64|s390x [debug|kcsan]}
VARIANT=${2:-debug}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/env.sh
. "$HERE/env.sh"

case "$ARCH" in
x86_64) KARCH=x86 CROSS=() IMAGE=arch/x86/boot/bzImage ;;
s390x) KARCH=s390 CROSS=("CROSS_COMPILE=$CROSS_S390") IMAGE=arch/s390/boot/bzImage ;;
*) echo "debug-kernel.sh: unknown ARCH $ARCH" >&2; exit 1 ;;
esac

# The default variant keeps its old names (cache directories, messages);
# another variant's directories start with "VARIANT-", so that neither's
# clean-up below matches the other's builds.
case "$VARIANT" in
debug) PREFIX='' NAME=$ARCH ;;
kcsan) PREFIX=kcsan- NAME="$ARCH kcsan" ;;
*) echo "debug-kernel.sh: unknown VARIANT $VARIANT" >&2; exit 1 ;;
esac

TARBALL=/usr/src/linux-source-6.1.tar.xz
VER=$(dpkg-query -W -f='${Version}' linux-source-6.1)
FRAGS=("$HERE/debug/base.config" "$HERE/debug/$VARIANT.config" "$HERE/debug/$ARCH.config")
KEY=$(cat "${FRAGS[@]}" | sha256sum | cut -c1-12)
DIR=$KEVENT_CACHE/debug-kernel/$PREFIX$ARCH-$VER-$KEY
SRC=$DIR/src
OBJ=$DIR/obj
KMAKE=(make -s -C "$SRC" O="$OBJ" ARCH="$KARCH" "${CROSS[@]}")

# Builds for older source versions or fragments are dead weight (GBs).
# ("x86_64-*" does not match "kcsan-x86_64-*", nor the reverse.)
for old in "$KEVENT_CACHE/debug-kernel/$PREFIX$ARCH"-*; do
	[ -d "$old" ] && [ "$old" != "$DIR" ] && rm -rf "$old"
done
if [ ! -f "$SRC/.extracted" ]; then
	echo "== debug-kernel $NAME: extracting linux-source $VER"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	tar -xf "$TARBALL" -C "$SRC" --strip-components=1
	touch "$SRC/.extracted"
fi
"$HERE/intree.sh" "$SRC" >/dev/null

mkdir -p "$OBJ"
if [ ! -f "$OBJ/.configured" ]; then
	echo "== debug-kernel $NAME: configuring (allnoconfig + ${FRAGS[*]##*/})"
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
		echo "debug-kernel $NAME: options not set after olddefconfig: ${missing//$'\n'/ }" >&2
		exit 1
	fi
	touch "$OBJ/.configured"
fi
"${KMAKE[@]}" olddefconfig

echo "== debug-kernel $NAME: building in $OBJ"
t0=$(date +%s)
"${KMAKE[@]}" -j"$(nproc)" bzImage modules
echo "== debug-kernel $NAME: built in $(( $(date +%s) - t0 ))s"
echo "KDIR=$OBJ"
echo "VMLINUZ=$OBJ/$IMAGE"
