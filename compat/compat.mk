# SPDX-License-Identifier: GPL-2.0
#
# Probes of the target kernel tree for the APIs kevent_compat.h backfills.
# Included by the out-of-tree Kbuild and, in a kernel tree, by the
# Makefiles scripts/intree.sh copies; sets kevent_compat_flags for ccflags.
# Each probe greps a header of $(srctree): what the tree has, not what its
# version says, so that backports count.

kevent_compat_dir := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

# $(call kevent_probe,HEADER,EXTENDED_REGEX,MACRO)
kevent_probe = $(if $(shell grep -qsE '$(2)' $(srctree)/$(1) && echo y),-D$(3))

# Patterns live in variables: make would count their parentheses in a call.
kevent_re_vm_flags := void vm_flags_set\(
kevent_re_eventfd := eventfd_signal\(struct eventfd_ctx \*ctx\)

kevent_compat_flags := \
	$(call kevent_probe,include/linux/mm.h,$(kevent_re_vm_flags),KEVENT_HAVE_VM_FLAGS_SET) \
	$(call kevent_probe,include/linux/eventfd.h,$(kevent_re_eventfd),KEVENT_HAVE_EVENTFD_SIGNAL_CTX) \
	-include $(kevent_compat_dir)/kevent_compat.h
