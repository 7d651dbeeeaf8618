/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The s390 driver event log: what drivers call.
 *
 * A driver reports each event of one of its devices with
 * kevent_s390_log_notify(), from any context, channel interrupt handlers
 * included; several that happen together, such as the completions one
 * interrupt brings, with kevent_s390_log_notify_batch().  When a device
 * goes away for good, the driver calls
 * kevent_s390_log_device_remove() from process context.  See
 * Documentation/s390-log.rst.
 */
#ifndef _LINUX_KEVENT_S390_LOG_H
#define _LINUX_KEVENT_S390_LOG_H

#include <linux/types.h>
#include <uapi/linux/kevent_s390_log.h>

/**
 * struct kevent_s390_log_report - one event of kevent_s390_log_notify_batch()
 * @event: exactly one KEVENT_S390_* event bit
 * @devid: the device, KEVENT_S390_DEVID(cssid, ssid, devno)
 * @payload: bytes to store with the record, or NULL
 * @len: number of bytes at @payload, cut off as kevent_s390_log_notify()
 *	cuts them
 */
struct kevent_s390_log_report {
	u32 event;
	u32 devid;
	const void *payload;
	size_t len;
};

/* Most reports in one kevent_s390_log_notify_batch(): interrupts are off. */
#define KEVENT_S390_LOG_BATCH_MAX	64

#if IS_ENABLED(CONFIG_KEVENT_S390_LOG)

u64 kevent_s390_log_notify(u32 event, u32 devid, const void *payload,
			   size_t len);
u64 kevent_s390_log_notify_batch(const struct kevent_s390_log_report *r,
				 unsigned int nr);
void kevent_s390_log_device_remove(u32 devid);

#else

static inline u64 kevent_s390_log_notify(u32 event, u32 devid,
					 const void *payload, size_t len)
{
	return 0;
}

static inline u64
kevent_s390_log_notify_batch(const struct kevent_s390_log_report *r,
			     unsigned int nr)
{
	return 0;
}

static inline void kevent_s390_log_device_remove(u32 devid)
{
}

#endif /* CONFIG_KEVENT_S390_LOG */

#endif /* _LINUX_KEVENT_S390_LOG_H */
