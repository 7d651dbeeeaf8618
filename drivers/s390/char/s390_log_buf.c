// SPDX-License-Identifier: GPL-2.0
/*
 * The record buffer: a preallocated ring of fixed-size records that
 * notifies write from any context and readers copy by sequence number.
 *
 * Record seq lives in slot seq & mask.  The buffer holds the records
 * [max(1, next - size), next); older ones have been overwritten, and how
 * many is known exactly from next alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uuid.h>
#include <linux/vmalloc.h>

#include "s390_log.h"

static unsigned int records = 4096;
module_param(records, uint, 0444);
MODULE_PARM_DESC(records,
		 "Records the buffer holds: a power of two from 16 to 262144 (default 4096)");

/**
 * struct kevent_s390_log_buf - the log
 * @lock: irq-safe, since notifies store from hardirq context; protects
 *	@recs, @next and @truncated
 * @recs: the ring of records
 * @mask: number of records - 1
 * @next: sequence number of the next record; from 1
 * @truncated: records stored with a truncated payload
 * @rejected: reports refused for bad arguments (each of a refused batch);
 *	atomic, no lock
 * @instance: this load's UUID; written once at init, before the device
 *	exists, so readers need no lock
 */
struct kevent_s390_log_buf {
	spinlock_t lock;	/* irq-safe: @recs, @next, @truncated */
	struct kevent_s390_log_record *recs;
	u64 mask;
	u64 next;
	u64 truncated;
	atomic64_t rejected;
	uuid_t instance;
};

static struct kevent_s390_log_buf log_buf = {
	.lock = __SPIN_LOCK_UNLOCKED(log_buf.lock),
	.next = 1,
};

/* The oldest record still in the buffer, or next when there is none. */
static u64 buf_oldest(void)
{
	lockdep_assert_held(&log_buf.lock);
	return kevent_s390_log_oldest(log_buf.next, log_buf.mask + 1);
}

/*
 * Write record @seq, taken under the lock by the caller.  Inline in both
 * callers: a notify would pay for the call and its frame.
 */
static __always_inline void buf_write(u64 seq, u64 timestamp_ns, u32 event,
				      u32 devid, const void *payload,
				      size_t len)
{
	size_t n = kevent_s390_log_payload_len(len);
	struct kevent_s390_log_record *r = &log_buf.recs[seq & log_buf.mask];

	lockdep_assert_held(&log_buf.lock);

	r->seq = seq;
	r->timestamp_ns = timestamp_ns;
	r->event = event;
	r->devid = devid;
	r->payload_len = n;
	r->flags = 0;
	r->__reserved = 0;
	/*
	 * Readers must not see what an older record left behind.  All of
	 * it: a constant size is a single instruction or two.
	 */
	memset(r->payload, 0, sizeof(r->payload));
	if (n)
		memcpy(r->payload, payload, n);
	if (n < len) {
		r->flags |= KEVENT_S390_LOG_REC_TRUNCATED;
		log_buf.truncated++;
	}
}

/*
 * Store one record; the caller has checked its arguments.  Returns its
 * sequence number.  Context: any, with interrupts off (the notify's one
 * irq-off section).
 */
u64 kevent_s390_log_buf_store(u32 event, u32 devid, const void *payload,
			      size_t len)
{
	u64 seq;

	lockdep_assert_irqs_disabled();
	spin_lock(&log_buf.lock);
	seq = log_buf.next++;
	/* Under the lock, so that timestamps follow sequence numbers. */
	buf_write(seq, ktime_get_real_ns(), event, devid, payload, len);
	spin_unlock(&log_buf.lock);
	return seq;
}

/*
 * Store @nr records with consecutive sequence numbers and one timestamp:
 * they were reported together.  Returns the first one's sequence number.
 * Context: as kevent_s390_log_buf_store().
 */
u64 kevent_s390_log_buf_store_batch(const struct kevent_s390_log_report *r,
				    unsigned int nr)
{
	unsigned int i;
	u64 first, ts;

	lockdep_assert_irqs_disabled();
	spin_lock(&log_buf.lock);
	first = log_buf.next;
	log_buf.next += nr;
	ts = ktime_get_real_ns();
	for (i = 0; i < nr; i++)
		buf_write(first + i, ts, r[i].event, r[i].devid, r[i].payload,
			  r[i].len);
	spin_unlock(&log_buf.lock);
	return first;
}

void kevent_s390_log_buf_rejected(unsigned int nr)
{
	atomic64_add(nr, &log_buf.rejected);
}

/*
 * Copy up to @max records from @seq on into @out.  Returns the number
 * copied (0 when @seq is the next sequence number), -ERANGE when @seq was
 * never issued, or -EOVERFLOW when @seq was overwritten, with the oldest
 * record left in *@oldest.  Context: process; takes the lock with irqs off.
 */
int kevent_s390_log_buf_read(u64 seq, struct kevent_s390_log_record *out,
			     unsigned int max, u64 *oldest)
{
	unsigned int i, n;
	int ret;

	spin_lock_irq(&log_buf.lock);
	ret = kevent_s390_log_seq_check(seq, log_buf.next, log_buf.mask + 1);
	if (ret == -EOVERFLOW) {
		*oldest = buf_oldest();
	} else if (!ret) {
		n = min_t(u64, max, log_buf.next - seq);
		for (i = 0; i < n; i++)
			out[i] = log_buf.recs[(seq + i) & log_buf.mask];
		ret = n;
	}
	spin_unlock_irq(&log_buf.lock);
	return ret;
}

/* The sequence number the next notify gets.  Context: any; irqsave. */
u64 kevent_s390_log_buf_next(void)
{
	unsigned long flags;
	u64 next;

	spin_lock_irqsave(&log_buf.lock, flags);
	next = log_buf.next;
	spin_unlock_irqrestore(&log_buf.lock, flags);
	return next;
}

void kevent_s390_log_buf_stats(struct kevent_s390_log_stats *stats)
{
	spin_lock_irq(&log_buf.lock);
	stats->size = log_buf.mask + 1;
	stats->oldest_seq = buf_oldest();
	stats->next_seq = log_buf.next;
	stats->records = log_buf.next - stats->oldest_seq;
	stats->overwritten = stats->oldest_seq - 1;
	stats->truncated = log_buf.truncated;
	spin_unlock_irq(&log_buf.lock);
	stats->rejected = atomic64_read(&log_buf.rejected);
	BUILD_BUG_ON(sizeof(stats->instance) != sizeof(log_buf.instance));
	memcpy(stats->instance, &log_buf.instance, sizeof(stats->instance));
}

int kevent_s390_log_buf_init(void)
{
	struct kevent_s390_log_record *recs;

	/* Fixed-size, 8-byte aligned records: same layout on every ABI. */
	BUILD_BUG_ON(sizeof(*recs) != 96);
	if (!kevent_s390_log_records_valid(records)) {
		pr_warn("records=%u: want a power of two from %u to %u\n",
			records, KEVENT_S390_LOG_RECORDS_MIN,
			KEVENT_S390_LOG_RECORDS_MAX);
		return -EINVAL;
	}
	recs = vzalloc(array_size(records, sizeof(*recs)));
	if (!recs)
		return -ENOMEM;

	spin_lock_irq(&log_buf.lock);
	log_buf.recs = recs;
	log_buf.mask = records - 1;
	log_buf.next = 1;
	log_buf.truncated = 0;
	spin_unlock_irq(&log_buf.lock);
	atomic64_set(&log_buf.rejected, 0);
	/* Names this load's sequence numbers: they start again at 1. */
	uuid_gen(&log_buf.instance);
	return 0;
}

void kevent_s390_log_buf_exit(void)
{
	vfree(log_buf.recs);
	log_buf.recs = NULL;
}
