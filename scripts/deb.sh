#!/bin/bash
# scripts/deb.sh (make deb): the Debian packages, built with debhelper and
# dh-dkms from debian/ on a copy of the committed and working tree's files
# (dpkg-buildpackage writes its results beside the source directory), then
# checked with lintian.  Results in $KEVENT_BUILD/deb (default build/deb):
#   kevent-dkms_VERSION_all.deb, keventlogd_, libkevent0_, libkevent-dev_
#   VERSION_ARCH.deb, lintian.txt.
# Fails when the build fails or lintian reports any tag, pedantic and info
# included; an override says why in its debian/*.lintian-overrides.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

OUT=${KEVENT_BUILD:-$PWD/build}/deb
VERSION=$(dpkg-parsechangelog -S Version)
SRC=$OUT/kevent-$VERSION

rm -rf "$OUT"
mkdir -p "$SRC"
# The files git knows, as they are in the working tree; nothing built.
git ls-files -z --cached --others --exclude-standard |
	rsync -a --from0 --files-from=- ./ "$SRC/"

log "dpkg-buildpackage (kevent $VERSION)"
(cd "$SRC" && dpkg-buildpackage -us -uc -b) > "$OUT/build.log" 2>&1 ||
	die "dpkg-buildpackage failed: see $OUT/build.log"
ls "$OUT"/*.deb

log "lintian"
# --show-overrides would make overridden tags fail too: list them apart.
if lintian -i -I --pedantic --fail-on error,warning,info,pedantic "$OUT"/*.changes > "$OUT/lintian.txt" 2>&1; then
	lintian -I --pedantic --show-overrides "$OUT"/*.changes 2>/dev/null |
		grep '^O:' > "$OUT/lintian-overrides.txt" || true
	log "lintian -I --pedantic: no tag; overridden (with the reason in debian/): $(wc -l < "$OUT/lintian-overrides.txt")"
else
	cat "$OUT/lintian.txt"
	die "lintian: see $OUT/lintian.txt"
fi
