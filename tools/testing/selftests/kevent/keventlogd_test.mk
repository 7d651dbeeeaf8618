# SPDX-License-Identifier: GPL-2.0
#
# The keventlogd tests: shell scripts that print TAP (keventlogd*_test.sh,
# installed without .sh so that the guest runner finds them as *_test),
# their static helper keventlogd_test_util (keventlogd_util/: one file per
# subcommand), and keventctl(8), whose OUTPUT section keventlogd_ctl_test
# checks keventctl's output against.
#
#   make -f keventlogd_test.mk [CC=s390x-linux-gnu-gcc] OUTPUT=<dir>

srcdir		:= $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
CC		?= cc
OUTPUT		?= $(srcdir)
override OUTPUT	:= $(abspath $(OUTPUT))
CFLAGS		?= -O2 -g
override CFLAGS	+= -Wall -Wextra -Werror -D_GNU_SOURCE \
		   -I$(srcdir)/../../../../include/uapi
override LDFLAGS += -static

SCRIPTS		:= $(wildcard $(srcdir)/keventlogd*_test.sh)
INSTALLED	:= $(patsubst $(srcdir)/%.sh,$(OUTPUT)/%,$(SCRIPTS)) \
		   $(OUTPUT)/keventlogd_test_lib.sh $(OUTPUT)/keventctl.8
MAN		:= $(srcdir)/../../../kevent/man

all: $(OUTPUT)/keventlogd_test_util $(INSTALLED)

UTIL_SRC	:= $(wildcard $(srcdir)/keventlogd_util/*.c)

$(OUTPUT)/keventlogd_test_util: $(UTIL_SRC) $(srcdir)/keventlogd_util/util.h
	@mkdir -p $(OUTPUT)
	$(CC) $(CFLAGS) -o $@ $(UTIL_SRC) $(LDFLAGS)

$(OUTPUT)/%_test: $(srcdir)/%_test.sh
	@mkdir -p $(OUTPUT)
	install -m 755 $< $@

$(OUTPUT)/keventlogd_test_lib.sh: $(srcdir)/keventlogd_test_lib.sh
	@mkdir -p $(OUTPUT)
	install -m 644 $< $@

$(OUTPUT)/keventctl.8: $(MAN)/keventctl.8
	@mkdir -p $(OUTPUT)
	install -m 644 $< $@

clean:
	rm -f $(OUTPUT)/keventlogd_test_util $(INSTALLED)

.PHONY: all clean
