#!/bin/bash
# scripts/hercules/build-hercules.sh
# Installs Debian's hercules package (apt) and builds, once, a Hercules that
# reports tape mounts as a real 3490 does (tapedev-load-attention.patch,
# beside this script).  Prints the path of the hercules binary to use on
# its last line.
#
#   - The source is Debian's, for the installed package's version, fetched
#     with `apt-get source --download-only` through a private deb-src list
#     (the system's apt sources are not touched); apt checks each file
#     against the signed Sources index, and the .orig tarball is checked
#     again against the .dsc here.  When the Debian part (debian.tar.xz) is
#     available it is unpacked with its patches (dpkg-source -x); it was
#     missing on the mirror when this was written, and the upstream .orig
#     tarball is built then.
#   - The result is installed under $KEVENT_CACHE/hercules-<version>-<key>/
#     (key: the patch's hash).  The installed package is never modified.
#
# KEVENT_HERCULES=stock: skip the build, print /usr/bin/hercules.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${KEVENT_CACHE:-/var/cache/kevent-build}
PATCH=$HERE/tapedev-load-attention.patch
export DEBIAN_FRONTEND=noninteractive

LOG_TAG=hercules
# shellcheck source=scripts/lib.sh
. "$HERE/../lib.sh"

# hercules itself (hetinit, and the stock emulator); the build needs a C
# compiler, make, and the libraries Debian builds it with.
apt_need hercules gcc make libc6-dev zlib1g-dev libbz2-dev dpkg-dev patch ||
	die "apt-get install failed"

if [ "${KEVENT_HERCULES:-patched}" = stock ]; then
	log "stock /usr/bin/hercules (KEVENT_HERCULES=stock): loads are not reported"
	echo /usr/bin/hercules
	exit 0
fi

VER=$(dpkg-query -W -f='${Version}' hercules)
UPVER=${VER%-*}
UPVER=${UPVER#*:}
KEY=$(sha256sum "$PATCH" | cut -c1-12)
DEST=$CACHE/hercules-$VER-$KEY
if [ -x "$DEST/bin/hercules" ] && [ -f "$DEST/.done" ]; then
	log "cached: $DEST ($(cat "$DEST/.done"))"
	echo "$DEST/bin/hercules"
	exit 0
fi
for old in "$CACHE"/hercules-*-*; do
	[ -d "$old" ] && [ "$old" != "$DEST" ] && [ "$old" != "$CACHE/hercules-src" ] && rm -rf "$old"
done

# --- Debian's source, through a private deb-src list ------------------------
SRC=$CACHE/hercules-src
APTDIR=$SRC/apt
mkdir -p "$APTDIR/lists/partial" "$SRC/dl"
echo "deb-src http://deb.debian.org/debian bookworm main" > "$APTDIR/sources.list"
APTOPT=(-o Dir::Etc::sourcelist="$APTDIR/sources.list" -o Dir::Etc::sourceparts=-
	-o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache::pkgcache=
	-o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)
dsc=$SRC/dl/hercules_${VER#*:}.dsc
orig=$SRC/dl/hercules_$UPVER.orig.tar.gz
if [ ! -f "$dsc" ] || [ ! -f "$orig" ]; then
	log "fetching Debian's source of hercules $VER (private deb-src list)"
	apt-get update -qq "${APTOPT[@]}" || die "apt-get update (deb-src) failed"
	# A missing debian.tar.xz fails the command but keeps what was fetched.
	(cd "$SRC/dl" && apt-get source --download-only -qq "${APTOPT[@]}" "hercules=$VER") \
		> "$SRC/apt-source.log" 2>&1 ||
		log "apt-get source fetched only part: $(grep -o '[^/ ]*: *404.*\|[^/ ]*  404[^[]*' "$SRC/apt-source.log" | head -n 1)"
fi
[ -f "$dsc" ] || die "$dsc was not fetched"
[ -f "$orig" ] || die "$orig was not fetched"
want=$(awk '/^Checksums-Sha256:/ { f = 1; next } /^[^ ]/ { f = 0 }
	f && $3 ~ /\.orig\.tar\./ { print $1 }' "$dsc")
have=$(sha256sum "$orig" | cut -d' ' -f1)
if [ -z "$want" ] || [ "$want" != "$have" ]; then
	die "$orig: sha256 $have does not match the .dsc (${want:-none})"
fi

BUILD=$SRC/build
rm -rf "$BUILD"
mkdir -p "$BUILD"
debtar=""
for f in "$SRC"/dl/hercules_"${VER#*:}".debian.tar.*; do [ -f "$f" ] && debtar=$f; done
if [ -n "$debtar" ]; then
	log "unpacking $VER with Debian's patches"
	(cd "$BUILD" && dpkg-source --no-check -x "$dsc" hercules >/dev/null)
	origin="Debian source $VER"
else
	log "debian.tar.* not available: building the upstream $UPVER .orig tarball"
	tar -xzf "$orig" -C "$BUILD"
	mv "$BUILD/hercules-$UPVER" "$BUILD/hercules"
	origin="upstream $UPVER .orig tarball of Debian's $VER (Debian's patches unavailable)"
fi
TREE=$BUILD/hercules
patch -p1 -d "$TREE" --quiet < "$PATCH" || die "$PATCH does not apply"
# Verify what was patched: both mount paths raise attention + DE + UX.
n=$(grep -c 'CSW_ATTN | CSW_DE | CSW_UX' "$TREE/tapedev.c" || true)
[ "$n" = 2 ] || die "tapedev.c: expected 2 patched mount paths, found $n"

# --- build and install into the cache ---------------------------------------
log "building (about 3 minutes on 2 busy cores) -> $DEST"
t0=$(date +%s)
rm -rf "$DEST"
(
	cd "$TREE"
	# gcc 12 defaults to -fno-common, which Hercules 3.13 predates.
	CFLAGS="-O2 -fcommon -w" ./configure --prefix="$DEST" \
		--enable-optimization=no >"$SRC/configure.log" 2>&1 ||
		{ tail -n 20 "$SRC/configure.log" >&2; exit 1; }
	make -j"$(nproc)" >"$SRC/make.log" 2>&1 || { tail -n 30 "$SRC/make.log" >&2; exit 1; }
	make install >"$SRC/install.log" 2>&1 || { tail -n 20 "$SRC/install.log" >&2; exit 1; }
) || die "build failed (logs in $SRC)"
if [ ! -x "$DEST/bin/hercules" ] || [ ! -f "$DEST/lib/hercules/hdt3420.so" ]; then
	die "build produced no $DEST/bin/hercules or hdt3420.so"
fi
echo "$origin + $(basename "$PATCH"), built in $(($(date +%s) - t0))s" > "$DEST/.done"
rm -rf "$BUILD"
log "built: $(cat "$DEST/.done")"
echo "$DEST/bin/hercules"
