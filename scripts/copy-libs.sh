#!/bin/bash
# scripts/copy-libs.sh ROOT DEST MULTIARCH ELF...
# Copies what the dynamically linked ELF files need to run into DEST: their
# shared libraries (the closure of DT_NEEDED, found in ROOT's multiarch
# and RUNPATH folders) and the program interpreter, at the same paths they
# have under ROOT.  ROOT is "" for the host, or a sysroot (s390x).  Works
# for any architecture: only readelf is used, nothing is run.
set -euo pipefail

ROOT=${1?usage: copy-libs.sh ROOT DEST MULTIARCH ELF...}
DEST=${2:?dest}
MA=${3:?multiarch}
shift 3

declare -A seen=()
queue=("$@")

# runpaths ELF: its DT_RUNPATH/DT_RPATH folders, one per line
runpaths() {
	readelf -d "$1" 2>/dev/null |
		sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]$/\2/p' | tr ':' '\n'
}

# find_lib NAME ELF: the library's path under ROOT
find_lib() {
	local d
	for d in $(runpaths "$2") /lib/$MA /usr/lib/$MA /lib /usr/lib; do
		if [ -e "$ROOT$d/$1" ]; then
			echo "$d/$1"
			return 0
		fi
	done
	return 1
}

# put PATH: copy ROOT/PATH to DEST/PATH, following symlinks
put() {
	mkdir -p "$DEST$(dirname "$1")"
	cp -L "$ROOT$1" "$DEST$1"
}

missing=0
while [ ${#queue[@]} -gt 0 ]; do
	f=${queue[0]}
	queue=("${queue[@]:1}")
	interp=$(readelf -l "$f" 2>/dev/null | sed -n 's/.*program interpreter: \(.*\)\]$/\1/p')
	if [ -n "$interp" ] && [ -z "${seen[$interp]:-}" ]; then
		seen[$interp]=1
		put "$interp"
	fi
	for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		[ -n "${seen[$lib]:-}" ] && continue
		seen[$lib]=1
		if ! path=$(find_lib "$lib" "$f"); then
			echo "copy-libs: $lib (needed by $f) not found under ${ROOT:-/}" >&2
			missing=1
			continue
		fi
		put "$path"
		queue+=("$ROOT$path")
	done
done
exit "$missing"
