# SPDX-License-Identifier: GPL-2.0
#
# Developer entry points. Kernel objects are built by kbuild from the Kbuild
# file (make -C $KDIR M=$PWD still works: kbuild reads Kbuild, not this file).
#
#   make / make modules   the production modules for the running kernel
#                         (KDIR=/lib/modules/$(uname -r)/build): no root, no apt
#   make modules_install  install them there (root; DKMS is the better way)
#   make x86_64           modules, libkevent, selftests for the x86_64 guest
#                         (build/x86_64; the test and bench modules too)
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
# Toolchain paths for the guests come from scripts/env.sh (`make deps`,
# which every target but all, modules_install and install runs when needed).

# Guard: when kbuild itself reads this file (it should not: Kbuild wins),
# stay out of its way.
ifeq ($(KERNELRELEASE),)

SHELL := /bin/bash

# The kernel series the checks run on: 6.1 (Debian 12's) or 6.12.
KERNEL ?= 6.1
export KEVENT_KERNEL := $(KERNEL)

.PHONY: all modules modules_install x86_64 s390x check check-debug check-kcsan check-tape check-fleet lint demo deps clean bench deb check-deb

# What users of an out-of-tree module expect: kbuild against the running
# kernel's headers, nothing installed, nothing fetched.
KDIR ?= /lib/modules/$(shell uname -r)/build

all modules modules_install: kdir-ok
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(filter modules_install,$@),modules_install,modules)

.PHONY: kdir-ok
kdir-ok:
	@test -f $(KDIR)/Makefile || { \
		echo "no kernel headers in $(KDIR):"; \
		echo "  apt-get install linux-headers-$$(uname -r), or make KDIR=/path/to/headers"; \
		exit 1; }

x86_64: deps-ok
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
	@if [ -f $(KDIR)/Makefile ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi

include dist/install.mk

endif
