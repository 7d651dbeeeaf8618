/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel APIs the sources use as mainline has them, backfilled for older
 * trees.  Force-included (-include) into every kevent module by
 * compat/compat.mk, never included by a source file, so the sources read
 * as they would upstream and this file is dropped there.
 *
 * compat.mk probes the target tree's headers for each API and defines
 * KEVENT_HAVE_*: a probe, not a version check, because distribution
 * kernels (RHEL, SLES) backport APIs without changing their version.
 * Trees that have everything get an empty file.
 */
#ifndef _KEVENT_COMPAT_H
#define _KEVENT_COMPAT_H

/*
 * This file is read before any kernel header, and includes none: a header
 * here would come before a source's own pr_fmt.  So the backfills are
 * macros, which expand only where the source uses them, after its includes.
 */

/* 6.3: vma->vm_flags became read-only; writers use these helpers. */
#ifndef KEVENT_HAVE_VM_FLAGS_SET
#define vm_flags_set(vma, flags)	((void)((vma)->vm_flags |= (flags)))
#define vm_flags_clear(vma, flags)	((void)((vma)->vm_flags &= ~(flags)))
#endif

/*
 * 6.8: eventfd_signal(ctx), which adds one, replaced eventfd_signal(ctx, n);
 * kevent adds one per event.  Variadic, so that the old prototype in
 * <linux/eventfd.h>, read after this, expands to itself: a call with no
 * count gets 1, a declaration keeps its second parameter.
 */
#ifndef KEVENT_HAVE_EVENTFD_SIGNAL_CTX
/* The second of (x, ARGS..., 1): ARGS' first, or 1 when there are none. */
#define kevent_compat_second(x, y, ...)	y
#define eventfd_signal(ctx, ...) \
	eventfd_signal(ctx, kevent_compat_second(0, ##__VA_ARGS__, 1))
#endif

#endif /* _KEVENT_COMPAT_H */
