#!/bin/bash
# scripts/chroot-make.sh ROOT DIR [MAKE ARGS...]
# Runs make inside the root ROOT (chroot), with DIR bind-mounted at the same
# path there, so that kbuild of a kernel whose headers need that root's
# compiler (scripts/kernel-debian.sh) reads and writes DIR as if it ran
# here.  The mount lives in a private mount namespace: it goes away with
# make, whatever happens.
set -euo pipefail
ROOT=${1:?usage: chroot-make.sh ROOT DIR [MAKE ARGS...]}
DIR=${2:?usage: chroot-make.sh ROOT DIR [MAKE ARGS...]}
shift 2
DIR=$(realpath "$DIR")
mkdir -p "$ROOT$DIR"
# shellcheck disable=SC2016 # expanded by the inner bash
exec unshare --mount --propagation private -- bash -c \
	'mount --bind "$2" "$1$2" && root=$1 && shift 2 && exec chroot "$root" make "$@"' \
	chroot-make "$ROOT" "$DIR" "$@"
