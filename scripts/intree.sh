#!/bin/bash
# scripts/intree.sh KSRC
# Puts the kevent sources into a kernel tree so that they build in tree
# through Kconfig (CONFIG_KEVENT, CONFIG_KEVENT_TEST, CONFIG_KEVENT_BENCH,
# and on s390 CONFIG_KEVENT_S390_LOG, CONFIG_KEVENT_TAPE_SIM):
#   kevent/                  -> drivers/kevent/ (with the top Kconfig)
#   tools/testing/selftests/kevent/kmod/ -> drivers/kevent/test/
#   tools/kevent/bench/kmod/ -> drivers/kevent/bench/
#   include/{,uapi/}linux/   -> the same place in the tree
#   drivers/s390/char/*.[ch] -> drivers/s390/char/, Makefile lines appended
#   tools/testing/selftests/kevent/kunit/ -> drivers/kevent/kunit/
#   compat/                  -> drivers/kevent/compat/, hooked into the
#                               kevent Makefiles
#   tools/lib/kevent/, tools/testing/selftests/kevent/ -> the same place
# It is idempotent: run it again after changing a file, and only what
# changed is copied, so the tree rebuilds incrementally.
set -euo pipefail
KSRC=${1:?usage: intree.sh KERNEL_SOURCE_TREE}
TOP=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$KSRC/Kbuild" ] || [ ! -d "$KSRC/drivers" ]; then
	echo "intree.sh: $KSRC is not a kernel source tree" >&2
	exit 1
fi

sync() { rsync -c --no-times "$@"; }

mkdir -p "$KSRC/drivers/kevent"
sync "$TOP"/kevent/*.c "$TOP"/kevent/*.h "$TOP"/kevent/Makefile "$KSRC/drivers/kevent/"
sync "$TOP/Kconfig" "$KSRC/drivers/kevent/Kconfig"
# The test and bench modules live with their userspace, not in kevent/.
mkdir -p "$KSRC/drivers/kevent/test" "$KSRC/drivers/kevent/bench"
sync "$TOP"/tools/testing/selftests/kevent/kmod/{*.c,*.h,Kbuild} "$KSRC/drivers/kevent/test/"
sync "$TOP"/tools/kevent/bench/kmod/{*.c,*.h,Kbuild} "$KSRC/drivers/kevent/bench/"
# Trees set up before they moved out of kevent/ still have them there.
rm -f "$KSRC"/drivers/kevent/kevent_{test.c,bench.c,bench.h}
sync "$TOP"/include/linux/kevent*.h "$KSRC/include/linux/"
sync "$TOP"/include/uapi/linux/kevent*.h "$KSRC/include/uapi/linux/"

# The compat layer (compat/): probes of this tree and the header they
# feed.  A tree as new as the sources' API gets an empty header.  Its
# ccflags go into each kevent Makefile copied above, after the copy.
mkdir -p "$KSRC/drivers/kevent/compat"
sync "$TOP"/compat/kevent_compat.h "$TOP"/compat/compat.mk "$KSRC/drivers/kevent/compat/"
for mk in drivers/kevent/Makefile drivers/kevent/test/Kbuild drivers/kevent/bench/Kbuild; do
	# shellcheck disable=SC2016 # make's $(...), not the shell's
	grep -q '^# kevent compat$' "$KSRC/$mk" || printf '%s\n' '' '# kevent compat' \
		'include $(srctree)/drivers/kevent/compat/compat.mk' \
		'ccflags-y += $(kevent_compat_flags)' >> "$KSRC/$mk"
done

# shellcheck disable=SC2016 # make's $(...), not the shell's
grep -q '^obj-$(CONFIG_KEVENT)' "$KSRC/drivers/Makefile" ||
	echo 'obj-$(CONFIG_KEVENT)		+= kevent/' >> "$KSRC/drivers/Makefile"
grep -q '^obj-$(CONFIG_KEVENT_TEST)' "$KSRC/drivers/Makefile" ||
	echo 'obj-$(CONFIG_KEVENT_TEST)	+= kevent/test/' >> "$KSRC/drivers/Makefile"
grep -q '^obj-$(CONFIG_KEVENT_BENCH)' "$KSRC/drivers/Makefile" ||
	echo 'obj-$(CONFIG_KEVENT_BENCH)	+= kevent/bench/' >> "$KSRC/drivers/Makefile"
grep -q 'source "drivers/kevent/Kconfig"' "$KSRC/drivers/Kconfig" ||
	sed -i '$ s|^endmenu$|source "drivers/kevent/Kconfig"\n\nendmenu|' "$KSRC/drivers/Kconfig"
grep -q 'source "drivers/kevent/Kconfig"' "$KSRC/drivers/Kconfig" || {
	echo "intree.sh: could not hook drivers/Kconfig" >&2; exit 1; }

# The s390 storage lives beside the tape driver; its kbuild lines are
# appended to that Makefile between markers, replaced on every run.
if [ -f "$TOP/drivers/s390/char/Makefile" ]; then
	mk=$KSRC/drivers/s390/char/Makefile
	sync "$TOP"/drivers/s390/char/*.c "$TOP"/drivers/s390/char/*.h "$KSRC/drivers/s390/char/"
	new=$(mktemp)
	sed '/^# kevent begin$/,/^# kevent end$/d' "$mk" > "$new"
	{
		echo '# kevent begin'
		awk '/^(obj|CFLAGS_|[a-z_0-9]+-(y|objs))/ { p = 1 } p { print } !/\\$/ { p = 0 }' \
			"$TOP/drivers/s390/char/Makefile"
		echo '# kevent end'
	} >> "$new"
	cmp -s "$new" "$mk" || cp "$new" "$mk"
	rm -f "$new"
fi
# KUnit tables (CONFIG_KEVENT_KUNIT_TEST, CONFIG_KEVENT_S390_LOG_KUNIT_TEST):
# tools/testing/selftests/kevent/kunit/ -> drivers/kevent/kunit/, entered
# from drivers/Makefile when the kernel has KUnit.
mkdir -p "$KSRC/drivers/kevent/kunit"
sync "$TOP"/tools/testing/selftests/kevent/kunit/*.c \
	"$TOP"/tools/testing/selftests/kevent/kunit/Makefile "$KSRC/drivers/kevent/kunit/"
grep -q '^obj-$(CONFIG_KUNIT).*kevent/kunit/' "$KSRC/drivers/Makefile" ||
	echo 'obj-$(CONFIG_KUNIT)		+= kevent/kunit/' >> "$KSRC/drivers/Makefile"
# The selftests and the library they link: the kernel's `make -C
# tools/testing/selftests TARGETS=kevent run_tests` (or install) then builds
# and runs them in this tree.  Gitignored files (build outputs) are left alone.
for d in tools/lib/kevent tools/testing/selftests/kevent; do
	[ -d "$TOP/$d" ] || continue
	mkdir -p "$KSRC/$d"
	sync -r --delete --filter=':- .gitignore' "$TOP/$d/" "$KSRC/$d/"
done
echo "intree: kevent installed into $KSRC"
