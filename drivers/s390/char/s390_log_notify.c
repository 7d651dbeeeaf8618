// SPDX-License-Identifier: GPL-2.0
/*
 * The driver API: report an event of a device, or several at once, and let
 * go of a device's requests when it goes away.
 */
#include <linux/export.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>

#include "s390_log.h"
#include "s390_log_trace.h"

/* What kevent_s390_log_notify() accepts. */
static bool valid(u32 event, u32 devid, const void *payload, size_t len)
{
	return kevent_s390_log_event_valid(event) &&
	       kevent_s390_devid_valid(devid) && (!len || payload);
}

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

	if (!valid(event, devid, payload, len)) {
		kevent_s390_log_buf_rejected(1);
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
	kevent_s390_log_storage_fire(NULL, &f);
	local_irq_restore(flags);
	kevent_s390_log_dev_wake();
	return f.seq;
}
EXPORT_SYMBOL_GPL(kevent_s390_log_notify);

/**
 * kevent_s390_log_notify_batch() - report several events at once
 * @r: the reports, in the order they happened
 * @nr: how many: 1 to KEVENT_S390_LOG_BATCH_MAX
 *
 * Stores one record per report, with consecutive sequence numbers and one
 * CLOCK_REALTIME timestamp, and marks requests and wakes readers as @nr
 * calls of kevent_s390_log_notify() in the same order would, for less:
 * interrupts go off once, the buffer lock is taken once, and consecutive
 * fires that reach the same queue take its lock once (kevent_batch_begin()).
 * If any report would be refused by kevent_s390_log_notify(), or @nr is
 * out of range, the whole batch is refused: nothing is stored, and each
 * report counts as rejected.
 *
 * Context: as kevent_s390_log_notify(); interrupts stay off for the whole
 * batch.  Never sleeps and never allocates.
 * Return: the first record's sequence number (the others follow it), at
 * least 1; 0 when the batch was refused.
 */
u64 kevent_s390_log_notify_batch(const struct kevent_s390_log_report *r,
				 unsigned int nr)
{
	struct kevent_s390_log_fire f;
	struct kevent_batch b;
	unsigned int i;
	u64 first;

	if (!nr || nr > KEVENT_S390_LOG_BATCH_MAX)
		goto refuse;
	for (i = 0; i < nr; i++) {
		if (!valid(r[i].event, r[i].devid, r[i].payload, r[i].len)) {
			trace_kevent_s390_log_notify(0, r[i].devid, r[i].event,
						     r[i].len);
			goto refuse;
		}
	}

	kevent_batch_begin(&b);
	first = kevent_s390_log_buf_store_batch(r, nr);
	for (i = 0; i < nr; i++) {
		f.seq = first + i;
		f.event = r[i].event;
		f.devid = r[i].devid;
		trace_kevent_s390_log_notify(f.seq, f.devid, f.event, r[i].len);
		kevent_s390_log_storage_fire(&b, &f);
	}
	kevent_batch_end(&b);
	kevent_s390_log_dev_wake();
	return first;

refuse:
	kevent_s390_log_buf_rejected(nr);
	return 0;
}
EXPORT_SYMBOL_GPL(kevent_s390_log_notify_batch);

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
