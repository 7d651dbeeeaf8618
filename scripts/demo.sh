#!/bin/bash
# `make demo`: build for s390x, boot Debian's s390x kernel under QEMU and run
# scripts/guest/demo.sh in the guest, showing the console live.
# DEMO_ARCH=x86_64 runs the same on x86_64.
set -euo pipefail
cd "$(dirname "$0")/.."
ARCH=${DEMO_ARCH:-s390x}
scripts/build.sh "$ARCH"
scripts/mkinitramfs.sh "$ARCH"
# quiet: only the demo's own output and serious kernel messages on the console.
KEVENT_TEE=1 KEVENT_APPEND="quiet kevent_script=/kevent/demo.sh ${KEVENT_APPEND:-}" \
	scripts/qemu-run.sh "$ARCH" "build/$ARCH/initramfs.gz" "build/$ARCH/demo.log"
