/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The s390 driver event log: what drivers call.
 *
 * A driver reports each event of one of its devices with
 * kevent_s390_log_notify(), from any context, channel interrupt handlers
 * included.  When a device goes away for good, the driver calls
 * kevent_s390_log_device_remove() from process context.  See
 * Documentation/s390-log.rst.
 */
#ifndef _LINUX_KEVENT_S390_LOG_H
#define _LINUX_KEVENT_S390_LOG_H

#include <linux/types.h>
#include <uapi/linux/kevent_s390_log.h>

#if IS_ENABLED(CONFIG_KEVENT_S390_LOG)

u64 kevent_s390_log_notify(u32 event, u32 devid, const void *payload,
			   size_t len);
void kevent_s390_log_device_remove(u32 devid);

#else

static inline u64 kevent_s390_log_notify(u32 event, u32 devid,
					 const void *payload, size_t len)
{
	return 0;
}

static inline void kevent_s390_log_device_remove(u32 devid)
{
}

#endif /* CONFIG_KEVENT_S390_LOG */

#endif /* _LINUX_KEVENT_S390_LOG_H */
