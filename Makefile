# SPDX-License-Identifier: GPL-2.0
#
# Developer entry points. Kernel objects are built by kbuild from the Kbuild
# file (make -C $KDIR M=$PWD still works: kbuild reads Kbuild, not this file).
#
#   make / make modules   build x86_64 modules, libkevent, selftests (build/x86_64)
#   make s390x            the same for s390x (build/s390x)
#   make check            deps + build + boot both arches under QEMU + tests
#                         (KERNEL=6.12: on 6.12 kernels, not Debian 12's 6.1;
#                         check-debug too)
#   make check-debug      the tests under a KASAN/lockdep/kmemleak kernel
#   make check-kcsan      the tests under a KCSAN (data-race detector) kernel
#   make check-tape       the patched mainline tape driver under Hercules
#   make check-fleet      two s390x guests ship their records with
#                         systemd-journal-upload to systemd-journal-remote;
#                         every record exactly once, across a keventlogd
#                         SIGKILL and a collector outage (Documentation/fleet.rst)
#   make lint             checkpatch --strict, sparse, W=1, kernel-doc
#   make bench            kevent vs netlink/uevent/eventfd in one QEMU boot
#                         (BENCH_ARCH=s390x; Documentation/bench.rst)
#   make demo             s390x guest: modules, keventlogd, tapes, a crash (scripts/demo.sh)
#   make deps             install packages and fill the cache (root)
#   make install          libkevent, keventlogd, keventctl and dist/'s system
#                         files (DESTDIR, PREFIX...: dist/install.mk)
#   make uninstall        remove what make install installed
#   make deb              Debian packages (debian/), checked by lintian
#                         (scripts/deb.sh; results in build/deb)
#   make check-deb        make deb, then the packages in a clean bookworm root:
#                         dkms builds the modules against the 6.1 headers,
#                         and kevent-tape-dkms for the 6.1 s390x kernel
#   make clean            remove build/
#
# Toolchain paths come from scripts/env.sh (run `make deps` once first).

# Guard: when kbuild itself reads this file (it should not: Kbuild wins),
# stay out of its way.
ifeq ($(KERNELRELEASE),)

SHELL := /bin/bash

# The kernel series the checks run on: 6.1 (Debian 12's) or 6.12.
KERNEL ?= 6.1
export KEVENT_KERNEL := $(KERNEL)

.PHONY: all modules x86_64 s390x check check-debug check-kcsan check-tape check-fleet lint demo deps clean bench deb check-deb

all modules x86_64: deps-ok
	@scripts/build.sh x86_64

s390x: deps-ok
	@scripts/build.sh s390x

check:
	@scripts/check.sh

check-debug:
	@scripts/check-debug.sh

check-kcsan:
	@scripts/check-kcsan.sh

check-tape:
	@scripts/check-tape.sh

check-fleet:
	@scripts/check-fleet.sh

lint: deps-ok
	@scripts/lint.sh

# Not a test: reports, never fails on a missed target.
bench: deps-ok
	@scripts/bench.sh

demo: deps-ok
	@scripts/demo.sh

deps:
	@scripts/deps.sh

deb: deps-ok
	@scripts/deb.sh

check-deb: deps-ok
	@scripts/check-deb.sh

# Run deps.sh only when the cache was not filled by this version of it.
.PHONY: deps-ok
deps-ok:
	@scripts/deps.sh --if-stale

clean:
	rm -rf build

include dist/install.mk

endif
