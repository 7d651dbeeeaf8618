// SPDX-License-Identifier: GPL-2.0
/*
 * The driver API: report an event of a device, and let go of a device's
 * requests when it goes away.
 */
#include <linux/export.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>

#include "s390_log.h"
#include "s390_log_trace.h"

/**
 * kevent_s390_log_notify() - report an event of a device
 * @event: exactly one KEVENT_S390_* event bit
 * @devid: the device, KEVENT_S390_DEVID(cssid, ssid, devno)
 * @payload: bytes to store with the record (a volume label, sense data),
 *	or NULL
 * @len: number of bytes at @payload; beyond KEVENT_S390_LOG_PAYLOAD_MAX
 *	they are cut off and the record is flagged
 *	KEVENT_S390_LOG_REC_TRUNCATED
 *
 * Stores a record with the next sequence number and a CLOCK_REALTIME
 * timestamp in the log buffer, overwriting the oldest record when the
 * buffer is full.  Then marks the requests waiting for @event on @devid,
 * and on every device, and wakes readers polling /dev/kevent_s390_log.
 *
 * Context: any but NMI: process, softirq or hardirq (a channel interrupt
 * handler), with or without the caller's spinlocks held.  Never sleeps and
 * never allocates.
 * Return: the record's sequence number, at least 1.  0 when nothing was
 * stored because @event is not exactly one event bit, @devid is not a
 * device id, or @payload is NULL and @len is not 0.
 */
u64 kevent_s390_log_notify(u32 event, u32 devid, const void *payload,
			   size_t len)
{
	struct kevent_s390_log_fire f = {
		.event = event,
		.devid = devid,
	};
	unsigned long flags;

	if (!kevent_s390_log_event_valid(event) ||
	    !kevent_s390_devid_valid(devid) || (len && !payload)) {
		kevent_s390_log_buf_rejected();
		trace_kevent_s390_log_notify(0, devid, event, len);
		return 0;
	}
	/*
	 * One irq-off section for the record and the fire, not one per
	 * lock: the fire's own irqsave then nests, and interrupts are turned
	 * back on once per notify.
	 */
	local_irq_save(flags);
	/* Stored first: a request marked ready names a readable record. */
	f.seq = kevent_s390_log_buf_store(event, devid, payload, len);
	/* Before the fire, so that kevent's events of the fire follow it. */
	trace_kevent_s390_log_notify(f.seq, devid, event, len);
	kevent_s390_log_storage_fire(&f);
	local_irq_restore(flags);
	kevent_s390_log_dev_wake();
	return f.seq;
}
EXPORT_SYMBOL_GPL(kevent_s390_log_notify);

/**
 * kevent_s390_log_device_remove() - a device is gone: release its requests
 * @devid: the device
 *
 * Every request that names @devid comes back to its owner broken:
 * KEVENT_RET_BROKEN, with ENODEV in ret_data[1].  Requests for every device
 * stay.  Nothing is logged: notify KEVENT_S390_DEVICE_REMOVED first for
 * that.  Requests added for @devid afterwards wait for a device with that
 * id to appear again.
 *
 * Context: process context; sleeps (an RCU grace period).
 */
void kevent_s390_log_device_remove(u32 devid)
{
	might_sleep();
	if (kevent_s390_devid_valid(devid))
		kevent_s390_log_storage_remove(devid);
}
EXPORT_SYMBOL_GPL(kevent_s390_log_device_remove);
