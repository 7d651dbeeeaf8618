# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall (included by the top-level Makefile): the
# userspace (libkevent, keventlogd, keventctl) and the system integration
# files of dist/.  The modules are installed by DKMS (dist/dkms.conf) or by
# `make -C $KDIR M=$PWD modules_install`, since they belong to one kernel.
#
#   make install   [DESTDIR=] [PREFIX=/usr/local] [directories below]
#   make uninstall (the same variables)
#   make install-dkms   [DESTDIR=] [DKMS_SRCDIR=/usr/src]: the production
#                  modules' sources and dkms.conf in DKMS_SRCDIR/kevent-VERSION,
#                  for `dkms add kevent/VERSION` (or a -dkms package)
#   make uninstall-dkms
#   make install-tape-dkms / uninstall-tape-dkms: the same for kevent-tape,
#                  the patched s390 tape driver (dist/tape-dkms/), whose
#                  sources DKMS takes from the distribution's linux-source
#
# The systemd, udev and modules-load directories default to PREFIX/lib/...,
# which systemd and udev search for /usr/local and /usr alike; logrotate
# reads only SYSCONFDIR/logrotate.d.  The journal catalog takes effect
# with `journalctl --update-catalog` (run by install when DESTDIR is empty;
# Debian's systemd runs it from a trigger).  A package sets PREFIX=/usr and
# LIBDIR=/usr/lib/<multiarch>.

# The release: libkevent's VERSION (tools/lib/kevent/Makefile) and the
# Debian changelog's upstream version follow it.
KEVENT_VERSION	:= 0.1.0

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
SBINDIR		?= $(PREFIX)/sbin
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
MANDIR		?= $(PREFIX)/share/man
SYSCONFDIR	?= /etc
UNITDIR		?= $(PREFIX)/lib/systemd/system
UDEVRULESDIR	?= $(PREFIX)/lib/udev/rules.d
MODULESLOADDIR	?= $(PREFIX)/lib/modules-load.d
SYSUSERSDIR	?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR	?= $(PREFIX)/lib/tmpfiles.d
CATALOGDIR	?= $(PREFIX)/lib/systemd/catalog
LOGROTATEDIR	?= $(SYSCONFDIR)/logrotate.d
DKMS_SRCDIR	?= /usr/src
INSTALL		?= install

# Built for the host by the components' own Makefiles, outside build/ARCH.
INSTALL_BUILD	?= $(CURDIR)/build/install
dist_vars	:= DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) BINDIR=$(BINDIR) \
		   SBINDIR=$(SBINDIR) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR) \
		   MANDIR=$(MANDIR) SYSCONFDIR=$(SYSCONFDIR) UNITDIR=$(UNITDIR)

# dist/ file -> where it goes
dist_files	:= modules-load.d/kevent.conf:$(MODULESLOADDIR)/kevent.conf \
		   udev/60-kevent.rules:$(UDEVRULESDIR)/60-kevent.rules \
		   sysusers.d/keventlogd.conf:$(SYSUSERSDIR)/keventlogd.conf \
		   tmpfiles.d/keventlogd.conf:$(TMPFILESDIR)/keventlogd.conf \
		   logrotate/keventlogd:$(LOGROTATEDIR)/keventlogd \
		   catalog/keventlogd.catalog:$(CATALOGDIR)/keventlogd.catalog

.PHONY: install uninstall install-dkms uninstall-dkms install-tape-dkms \
	uninstall-tape-dkms
install:
	$(MAKE) -C tools/lib/kevent OUTPUT=$(INSTALL_BUILD)/lib/ $(dist_vars) install
	$(MAKE) -C tools/kevent OUTPUT=$(INSTALL_BUILD)/tools/ $(dist_vars) install
	@set -e; for f in $(dist_files); do \
		echo "  INSTALL $${f#*:}"; \
		$(INSTALL) -D -m 644 dist/$${f%%:*} $(DESTDIR)$${f#*:}; \
	done
	@[ -n "$(DESTDIR)" ] || ! command -v journalctl >/dev/null || \
		journalctl --update-catalog || true

uninstall:
	$(MAKE) -C tools/lib/kevent OUTPUT=$(INSTALL_BUILD)/lib/ $(dist_vars) uninstall
	$(MAKE) -C tools/kevent OUTPUT=$(INSTALL_BUILD)/tools/ $(dist_vars) uninstall
	@for f in $(dist_files); do \
		echo "  RM      $${f#*:}"; rm -f $(DESTDIR)$${f#*:}; \
	done

# What kevent.ko and kevent_s390_log.ko are built from, and nothing else:
# no test, bench or simulator source, no tape patch.
dkms_dir	:= $(DESTDIR)$(DKMS_SRCDIR)/kevent-$(KEVENT_VERSION)
dkms_files	:= Kbuild Kconfig $(wildcard compat/* kevent/*.[ch] kevent/Makefile) \
		   include/linux/kevent.h include/linux/kevent_s390_log.h \
		   include/uapi/linux/kevent.h include/uapi/linux/kevent_s390_log.h \
		   drivers/s390/char/Makefile \
		   $(wildcard drivers/s390/char/s390_log*.[ch])

install-dkms:
	@set -e; for f in $(dkms_files); do \
		$(INSTALL) -D -m 644 $$f $(dkms_dir)/$$f; \
	done
	sed 's/#MODULE_VERSION#/$(KEVENT_VERSION)/' dist/dkms.conf > $(dkms_dir)/dkms.conf
	chmod 644 $(dkms_dir)/dkms.conf

uninstall-dkms:
	rm -rf $(dkms_dir)

# kevent-tape: dkms.conf, its build script and the patch, no kernel source.
tape_dkms_dir	:= $(DESTDIR)$(DKMS_SRCDIR)/kevent-tape-$(KEVENT_VERSION)

install-tape-dkms:
	$(INSTALL) -D -m 644 drivers/s390/char/tape-kevent.patch \
		$(tape_dkms_dir)/tape-kevent.patch
	sed 's/@VERSION@/$(KEVENT_VERSION)/g' dist/tape-dkms/build.sh > \
		$(tape_dkms_dir)/build.sh
	chmod 755 $(tape_dkms_dir)/build.sh
	sed 's/#MODULE_VERSION#/$(KEVENT_VERSION)/' dist/tape-dkms/dkms.conf > \
		$(tape_dkms_dir)/dkms.conf
	chmod 644 $(tape_dkms_dir)/dkms.conf

uninstall-tape-dkms:
	rm -rf $(tape_dkms_dir)
