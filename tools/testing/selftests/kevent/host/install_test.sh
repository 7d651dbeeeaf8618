#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install_test.sh OUT: `make install` and `make uninstall` into a DESTDIR
# under OUT, on the build host (scripts/host-unit.sh runs it):
#   - the exact list of files installed, with PREFIX=/usr;
#   - libkevent's soname and links, and keventlogd.service's paths;
#   - a program includes <libkevent.h> and <libkevent_s390_log.h> with
#     nothing but `pkg-config --cflags --libs libkevent`, links, and needs
#     libkevent.so.0;
#   - sysusers.d and tmpfiles.d files parse (systemd-sysusers --dry-run);
#   - journalctl --update-catalog reads the journal catalog;
#   - uninstall leaves no file, but keeps an edited keventlogd.conf.
# Prints one "PASS|FAIL host: install: ..." line per check.
set -uo pipefail
OUT=${1:?usage: install_test.sh OUT}
TOP=$(cd "$(dirname "$0")/../../../../.." && pwd)
D=$OUT/destdir
VARS=(PREFIX=/usr DESTDIR="$D" INSTALL_BUILD="$OUT/install-build")

check() {
	local what=$1; shift
	if "$@" >> "$OUT/install-test.log" 2>&1; then
		echo "PASS host: install: $what"
	else
		echo "FAIL host: install: $what (see $OUT/install-test.log)"
	fi
}

installed() { (cd "$D" && find . \( -type f -o -type l \) -printf '/%P\n' | LC_ALL=C sort); }

rm -rf "$D" "$OUT/install-test.log"
mkdir -p "$D"
check "make install DESTDIR PREFIX=/usr" make -s -C "$TOP" "${VARS[@]}" install

want() {
	cat <<'LIST'
/etc/keventlogd.conf
/etc/logrotate.d/keventlogd
/usr/bin/keventctl
/usr/include/kevent/libkevent.h
/usr/include/kevent/libkevent_s390_log.h
/usr/include/kevent/linux/kevent.h
/usr/include/kevent/linux/kevent_s390_log.h
/usr/lib/libkevent.a
/usr/lib/libkevent.so
/usr/lib/libkevent.so.0
/usr/lib/libkevent.so.0.1.0
/usr/lib/modules-load.d/kevent.conf
/usr/lib/pkgconfig/libkevent.pc
/usr/lib/systemd/catalog/keventlogd.catalog
/usr/lib/systemd/system/keventlogd.service
/usr/lib/sysusers.d/keventlogd.conf
/usr/lib/tmpfiles.d/keventlogd.conf
/usr/lib/udev/rules.d/60-kevent.rules
/usr/sbin/keventlogd
/usr/share/man/man5/keventlogd.conf.5
/usr/share/man/man8/keventctl.8
/usr/share/man/man8/keventlogd.8
LIST
}
check "exactly the expected files" diff -u <(want) <(installed)

# journalctl reads the installed catalog: one entry per MESSAGE_ID.
catalog() {
	journalctl --root="$D" --update-catalog &&
	[ "$(journalctl --root="$D" --list-catalog | grep -c ' kevent: ')" = 7 ] &&
	rm -rf "$D/var/lib/systemd/catalog"
}
check "journalctl --update-catalog takes the catalog: 7 kevent entries" catalog

soname() {
	[ "$(readlink "$D/usr/lib/libkevent.so")" = libkevent.so.0 ] &&
	[ "$(readlink "$D/usr/lib/libkevent.so.0")" = libkevent.so.0.1.0 ] &&
	readelf -d "$D/usr/lib/libkevent.so.0.1.0" | grep -F 'Library soname: [libkevent.so.0]'
}
check "libkevent.so -> .so.0 -> .so.0.1.0, soname libkevent.so.0" soname

unit() {
	grep -qx 'ExecStart=/usr/sbin/keventlogd -c /etc/keventlogd.conf' \
		"$D/usr/lib/systemd/system/keventlogd.service" &&
	! grep -n '@[A-Z]*@' "$D/usr/lib/systemd/system/keventlogd.service"
}
check "keventlogd.service runs /usr/sbin/keventlogd" unit

# Only the DESTDIR's headers and library: the sysroot variable rewrites
# pkg-config's -I and -L into it.
# shellcheck disable=SC2086 # $cflags and $libs: pkg-config's words
compile() {
	local pc cflags libs
	pc=(env PKG_CONFIG_LIBDIR="$D/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D")
	cflags=$("${pc[@]}" pkg-config --cflags libkevent) &&
	libs=$("${pc[@]}" pkg-config --libs libkevent) &&
	echo "cflags: $cflags  libs: $libs" &&
	[ "$("${pc[@]}" pkg-config --modversion libkevent)" = 0.1.0 ] &&
	printf '%s\n' '#include <libkevent.h>' '#include <libkevent_s390_log.h>' \
		'int main(void) { return kevent_init(NULL, 16, 0) < 0 && KEVENT_S390_LOG_PAYLOAD_MAX != 64; }' \
		> "$OUT/install-user.c" &&
	cc -Wall -Werror $cflags -o "$OUT/install-user" "$OUT/install-user.c" $libs &&
	readelf -d "$OUT/install-user" | grep -F 'Shared library: [libkevent.so.0]'
}
check "a program builds with pkg-config --cflags --libs libkevent alone" compile

sysd() {
	systemd-sysusers --dry-run --root="$D" "$D/usr/lib/sysusers.d/keventlogd.conf" &&
	systemd-tmpfiles --dry-run --root="$D" --create \
		"$D/usr/lib/tmpfiles.d/keventlogd.conf" 2>&1 | grep -v 'Failed to resolve user'
}
if systemd-tmpfiles --help 2>/dev/null | grep -q -- --dry-run; then
	check "systemd-sysusers and systemd-tmpfiles accept the files" sysd
else
	check "systemd-sysusers accepts its file" \
		systemd-sysusers --dry-run --root="$D" "$D/usr/lib/sysusers.d/keventlogd.conf"
fi

check "make uninstall" make -s -C "$TOP" "${VARS[@]}" uninstall
check "uninstall leaves no file" test -z "$(installed)"

kept() {
	make -s -C "$TOP" "${VARS[@]}" install &&
	echo "# edited" >> "$D/etc/keventlogd.conf" &&
	make -s -C "$TOP" "${VARS[@]}" uninstall &&
	[ "$(installed)" = /etc/keventlogd.conf ]
}
check "uninstall keeps an edited keventlogd.conf, and nothing else" kept
rm -rf "$D"
