#!/bin/bash
# scripts/build.sh ARCH   (ARCH = x86_64 | s390x)
# Builds the kernel modules, libkevent and the selftests for ARCH into
#   build/ARCH/src      copy of the sources (kbuild writes objects in-tree, so
#                       each arch gets its own copy)
#   build/ARCH/modules  *.ko
#   build/ARCH/lib      libkevent
#   build/ARCH/tests    selftest binaries (*_test)
#   build/ARCH/kselftest  the selftests installed as the kernel's kselftest
#                       install lays them out: run_kselftest.sh,
#                       kselftest/runner.sh, kselftest-list.txt, kevent/
#   build/ARCH/tools    keventlogd, keventctl (scripts/build-tools.sh), and
#   build/ARCH/rootfs-tools  them with their libraries, for the initramfs
# Extra kbuild args can be given in KEVENT_KBUILD_ARGS (e.g. "W=1").
# KEVENT_FRESH=1 (set by check.sh) rebuilds the userspace outputs from
# scratch so no stale test binary survives; the kbuild build stays incremental.
set -euo pipefail

ARCH=${1:?usage: build.sh x86_64|s390x}
# shellcheck source=scripts/env.sh
. "$(dirname "$0")/env.sh"
kevent_arch_vars "$ARCH"

OUT=$KEVENT_BUILD/$ARCH
SRC=$OUT/src
[ "${KEVENT_FRESH:-0}" = 1 ] && rm -rf "${OUT:?}/lib" "${OUT:?}/tests" "${OUT:?}/kselftest"
mkdir -p "$SRC" "$OUT/modules" "$OUT/lib" "$OUT/tests"
JOBS=$(nproc)

# Sync sources; gitignored files (objects) are neither copied nor deleted, so
# rebuilds stay incremental.
rsync -a --delete --exclude=/build/ --exclude=/.git/ --exclude=/results/ \
	--filter=':- .gitignore' "$KEVENT_ROOT/" "$SRC/"

echo "== build $ARCH: modules (KDIR=$KDIR)"
# A tree only prepared (KEVENT_BUILD_ONLY, scripts/kernel.sh) has no
# Module.symvers: the kernel's symbols cannot be checked, so modpost may only
# warn about them.  A built tree keeps them errors.
if [ ! -f "$KROOT$KDIR/Module.symvers" ]; then
	echo "== build $ARCH: $KDIR has no Module.symvers; kernel symbols unchecked"
	KMAKE_ARGS+=(KBUILD_MODPOST_WARN=1)
fi
# shellcheck disable=SC2086
"${KMAKE[@]}" -s -C "$KDIR" M="$SRC" "${KMAKE_ARGS[@]}" -j"$JOBS" KEVENT_DEV=1 ${KEVENT_KBUILD_ARGS:-} modules
# modules.order lists exactly what this build produced (stale .ko of removed
# modules may linger in src/).
rm -f "$OUT"/modules/*.ko
while read -r ko; do
	case "$ko" in /*) ;; *) ko=$SRC/$ko ;; esac
	cp "${ko%.o}.ko" "$OUT/modules/" 2>/dev/null || cp "$ko" "$OUT/modules/"
done < "$SRC/modules.order"
ls "$OUT/modules"/*.ko >/dev/null 2>&1 || { echo "build $ARCH: no .ko produced" >&2; exit 1; }

UARGS=(CC="$UCC")
[ "$ARCH" = s390x ] && UARGS+=(AR="${CROSS_S390}ar")

if [ -f "$SRC/tools/lib/kevent/Makefile" ]; then
	echo "== build $ARCH: libkevent"
	make -s -C "$SRC/tools/lib/kevent" "${UARGS[@]}" OUTPUT="$OUT/lib/" -j"$JOBS"
else
	echo "== build $ARCH: tools/lib/kevent/Makefile missing, skipped" >&2
fi

if [ -f "$SRC/tools/testing/selftests/kevent/Makefile" ]; then
	echo "== build $ARCH: selftests"
	make -s -C "$SRC/tools/testing/selftests/kevent" "${UARGS[@]}" \
		OUTPUT="$OUT/tests/" KSFT_DIR="$KSFT_DIR" -j"$JOBS"
else
	echo "== build $ARCH: tools/testing/selftests/kevent/Makefile missing, skipped" >&2
fi

if [ -f "$SRC/tools/kevent/Makefile" ]; then
	"$KEVENT_ROOT/scripts/build-tools.sh" "$ARCH"
fi

# The guest runs the selftests with the kernel's runner, from an install
# laid out as `make -C tools/testing/selftests install` lays it out.
if [ -f "$SRC/tools/testing/selftests/kevent/Makefile" ]; then
	echo "== build $ARCH: kselftest install"
	KI=$OUT/kselftest
	rm -rf "$KI"
	mkdir -p "$KI/kselftest"
	install -m 744 "$KSFT_DIR/run_kselftest.sh" "$KI/"
	install -m 744 "$KSFT_DIR"/kselftest/{runner.sh,prefix.pl,module.sh} "$KI/kselftest/"
	make -s -C "$SRC/tools/testing/selftests/kevent" "${UARGS[@]}" \
		OUTPUT="$OUT/tests/" KSFT_DIR="$KSFT_DIR" INSTALL_PATH="$KI/kevent" install
	# The keventlogd tests (keventlogd_test.mk, built by build-tools.sh)
	# are not lib.mk's: they go along as built.
	rsync -a --exclude=/libkevent/ --exclude='*.o' --exclude='*.d' \
		"$OUT/tests/" "$KI/kevent/"
	# Run in name order, as the guest always ran them.
	find "$KI/kevent" -maxdepth 1 -type f -perm -u+x -name '*_test' -printf 'kevent:%f\n' |
		LC_ALL=C sort > "$KI/kselftest-list.txt"
fi

echo "== build $ARCH: done: $(cd "$OUT/modules" && echo *.ko)" \
	"tests: $(find "$OUT/tests" -maxdepth 1 -type f -perm -u+x -name '*_test' -printf '%f ' | sort)"
