#!/bin/bash
# scripts/kernel-source.sh SERIES   (SERIES = 6.1 | 6.12)
# Prints "TARBALL VERSION": Debian's linux-source-SERIES tarball and its
# package version.  6.1 is bookworm's, installed by scripts/deps.sh.  6.12 is
# trixie's, downloaded through a private apt list (the system's sources stay
# bookworm's) and cached in $KEVENT_CACHE/linux-source-6.12-VERSION/.  The
# archive keeps only the newest point releases, so the cache is keyed by
# version and older ones are removed.
set -euo pipefail
SERIES=${1:?usage: kernel-source.sh 6.1|6.12}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/env.sh
. "$HERE/env.sh"
LOG_TAG=kernel-source
# shellcheck source=scripts/lib.sh
. "$HERE/lib.sh"

case "$SERIES" in
6.1)
	echo "/usr/src/linux-source-6.1.tar.xz $(dpkg-query -W -f='${Version}' linux-source-6.1)"
	exit 0 ;;
6.12) SUITE=trixie ;;
*) die "unknown kernel series '$SERIES' (want 6.1 or 6.12)" ;;
esac

PKG=linux-source-$SERIES
APTDIR=$KEVENT_CACHE/apt-$SUITE
mkdir -p "$APTDIR/lists/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main" \
	> "$APTDIR/sources.list"
APTOPT=(-o Dir::Etc::sourcelist="$APTDIR/sources.list" -o Dir::Etc::sourceparts=-
	-o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache::pkgcache=
	-o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)

# The lists are refreshed once a day at most: a new point release replaces
# the old one in the archive, and a stale list then points at a 404.
stamp=$APTDIR/updated
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ]; then
	log "apt-get update ($SUITE, private list)"
	apt-get update -qq "${APTOPT[@]}" || die "apt-get update for $SUITE failed"
	touch "$stamp"
fi
VER=$(apt-cache "${APTOPT[@]}" show "$PKG" 2>/dev/null |
      sed -n 's/^Version: //p' | sort -V | tail -n1)
[ -n "$VER" ] || die "$PKG not found in $SUITE"
DEST=$KEVENT_CACHE/$PKG-$VER
if [ ! -f "$DEST/$PKG.tar.xz" ]; then
	log "downloading $PKG $VER"
	rm -rf "$DEST.tmp"
	mkdir -p "$DEST.tmp"
	(cd "$DEST.tmp" && apt-get download -qq "${APTOPT[@]}" "$PKG=$VER") ||
		die "apt-get download $PKG=$VER failed"
	dpkg-deb --fsys-tarfile "$DEST.tmp"/*.deb |
		tar -xO "./usr/src/$PKG.tar.xz" > "$DEST.tmp/$PKG.tar.xz"
	rm -f "$DEST.tmp"/*.deb
	rm -rf "$DEST"
	mv "$DEST.tmp" "$DEST"
fi
for old in "$KEVENT_CACHE/$PKG"-*; do
	# Only this script's directories (others share the prefix).
	[ -f "$old/$PKG.tar.xz" ] && [ "$old" != "$DEST" ] && rm -rf "$old"
done
echo "$DEST/$PKG.tar.xz $VER"
