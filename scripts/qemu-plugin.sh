#!/bin/bash
# scripts/qemu-plugin.sh ARCH   (x86_64 | s390x)
# Builds, once per QEMU version, the TCG plugin that counts guest
# instructions for `make bench` (tools/kevent/bench/qemu-plugin/
# kevent_insn.c; Documentation/bench.rst "Instruction counts"), and prints
# its path on the last line.
#
#   - QEMU loads a plugin only if it was built against its own API level
#     (QEMU_PLUGIN_VERSION in qemu-plugin.h), so the header comes from the
#     source of the installed qemu-system-* package, that exact version:
#     `apt-get source --download-only` through a private deb-src list in
#     $KEVENT_CACHE/apt-src (the bookworm entries of the system's own apt
#     sources, turned into deb-src; the system's sources are not touched),
#     which checks each file against the signed Sources index, then
#     dpkg-source -x, which applies Debian's patches.  Only the header is
#     kept: $KEVENT_CACHE/qemu-src-VERSION/qemu-plugin.h, with the .dsc.
#   - The plugin is built with the host's gcc (the header needs nothing
#     but libc: no GLib) into $KEVENT_CACHE/qemu-plugin-VERSION-KEY/, KEY
#     the hash of its sources.
set -euo pipefail
ARCH=${1:?usage: qemu-plugin.sh x86_64|s390x}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CACHE=${KEVENT_CACHE:-/var/cache/kevent-build}
export DEBIAN_FRONTEND=noninteractive
LOG_TAG=qemu-plugin
# shellcheck source=scripts/lib.sh
. "$HERE/lib.sh"

case "$ARCH" in
x86_64) QPKG=qemu-system-x86 ;;
s390x) QPKG=qemu-system-misc ;;
*) die "unknown ARCH '$ARCH' (want x86_64 or s390x)" ;;
esac
SRCS=("$ROOT/tools/kevent/bench/qemu-plugin/kevent_insn.c"
      "$ROOT/tools/kevent/bench/kmod/kevent_bench_insn.h")

# gcc and libc6-dev build it; dpkg-dev has dpkg-source; scripts/deps.sh
# installs them all, but this script also runs on its own.
apt_need "$QPKG" gcc libc6-dev dpkg-dev xz-utils || die "apt-get install failed"

# The source package's version: a binNMU (+bN) has its binary's version
# only, and the source is the same.
VER=$(dpkg-query -W -f='${source:Version}' "$QPKG")
SRCPKG=$(dpkg-query -W -f='${source:Package}' "$QPKG")
if [ -z "$VER" ] || [ -z "$SRCPKG" ]; then
	die "cannot read the source version of $QPKG"
fi
FVER=${VER#*:}	# file names carry no epoch
HDRDIR=$CACHE/qemu-src-$FVER
KEY=$(cat "${SRCS[@]}" | sha256sum | cut -c1-12)
DEST=$CACHE/qemu-plugin-$FVER-$KEY
SO=$DEST/kevent_insn.so
if [ -f "$DEST/.done" ] && [ -f "$SO" ]; then
	log "cached: $SO ($(cat "$DEST/.done"))"
	echo "$SO"
	exit 0
fi

# --- the header, from Debian's source of this exact version -------------------
if [ ! -f "$HDRDIR/.done" ]; then
	APTDIR=$CACHE/apt-src
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/sources.list.d"
	# The system's bookworm entries, as deb-src: one-line and deb822 forms.
	{ grep -hsE '^deb[[:space:]].*bookworm' /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true; } |
		sed 's/^deb[[:space:]]/deb-src /' > "$APTDIR/sources.list"
	rm -f "$APTDIR"/sources.list.d/*
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
			/(^|\n)Types:[^\n]*deb/ && /(^|\n)Suites:[^\n]*bookworm/ {
				sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); print }' "$f" \
			> "$APTDIR/sources.list.d/$(basename "$f")"
	done
	[ -s "$APTDIR/sources.list" ] || [ -n "$(cat "$APTDIR"/sources.list.d/* 2>/dev/null)" ] ||
		die "no bookworm entry in the system's apt sources to take deb-src from"
	APTOPT=(-o Dir::Etc::sourcelist="$APTDIR/sources.list"
		-o Dir::Etc::sourceparts="$APTDIR/sources.list.d"
		-o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache::pkgcache=
		-o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)
	TMP=$HDRDIR.tmp
	rm -rf "$TMP"
	mkdir -p "$TMP/dl"
	get() { (cd "$TMP/dl" && apt-get source --download-only -qq "${APTOPT[@]}" "$SRCPKG=$VER") \
		>"$TMP/apt-source.log" 2>&1; }
	log "fetching Debian's source of $SRCPKG $VER (private deb-src list in $APTDIR)"
	if ! get; then
		apt-get update -qq "${APTOPT[@]}" || die "apt-get update (deb-src) failed"
		get || die "apt-get source $SRCPKG=$VER failed: $(tail -n 3 "$TMP/apt-source.log")"
	fi
	dsc=$TMP/dl/${SRCPKG}_$FVER.dsc
	[ -f "$dsc" ] || die "$dsc was not fetched"
	dpkg-source --no-check -x "$dsc" "$TMP/src" >"$TMP/dpkg-source.log" 2>&1 ||
		die "dpkg-source -x failed: $(tail -n 3 "$TMP/dpkg-source.log")"
	h=$TMP/src/include/qemu/qemu-plugin.h
	[ -f "$h" ] || die "no include/qemu/qemu-plugin.h in $SRCPKG $VER"
	mkdir -p "$TMP/out"
	cp "$h" "$dsc" "$TMP/out/"
	rm -rf "$HDRDIR"
	mv "$TMP/out" "$HDRDIR"
	rm -rf "$TMP"
	echo "$SRCPKG $VER, include/qemu/qemu-plugin.h after dpkg-source -x" > "$HDRDIR/.done"
fi
api=$(sed -n 's/^#define QEMU_PLUGIN_VERSION \([0-9]*\).*/\1/p' "$HDRDIR/qemu-plugin.h")
[ -n "$api" ] || die "$HDRDIR/qemu-plugin.h has no QEMU_PLUGIN_VERSION"

# --- the plugin ------------------------------------------------------------------
log "building kevent_insn.so against $SRCPKG $VER's qemu-plugin.h (API $api)"
rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp"
gcc -shared -fPIC -fvisibility=hidden -O2 -g -std=gnu11 -Wall -Wextra -Werror \
	-Wno-unused-parameter -pthread -I"$HDRDIR" -o "$DEST.tmp/kevent_insn.so" \
	"${SRCS[0]}" || die "gcc failed"
echo "QEMU $VER, plugin API $api, sources $KEY" > "$DEST.tmp/.done"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
echo "$SO"
