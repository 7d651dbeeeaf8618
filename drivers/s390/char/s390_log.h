/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kevent_s390_log.ko: what the module's files share.  Nothing here is
 * exported.
 *
 * Files, one concern each:
 *   s390_log_math.h     the buffer's arithmetic and the argument checks
 *   s390_log_buf.c      the record buffer: store, read by sequence, stats
 *   s390_log_storage.c  the KEVENT_S390_LOG type: per-device storages
 *   s390_log_notify.c   the driver API: notify and device removal
 *   s390_log_dev.c      /dev/kevent_s390_log
 *   s390_log_perm.c     who may subscribe
 *   s390_log_trace.[ch] the tracepoint kevent_s390_log_notify
 *   s390_log_main.c     module init and exit
 */
#ifndef _KEVENT_S390_LOG_INTERNAL_H
#define _KEVENT_S390_LOG_INTERNAL_H

#include <linux/kevent.h>
#include <linux/kevent_s390_log.h>
#include <linux/poll.h>
#include <linux/wait.h>

#include "s390_log_math.h"

/**
 * struct kevent_s390_log_fire - what one notify passes to its requests
 * @seq: the record's sequence number
 * @event: the record's event bit
 * @devid: the record's device
 */
struct kevent_s390_log_fire {
	u64 seq;
	u32 event;
	u32 devid;
};

/* s390_log_buf.c */
int kevent_s390_log_buf_init(void);
void kevent_s390_log_buf_exit(void);
u64 kevent_s390_log_buf_store(u32 event, u32 devid, const void *payload,
			      size_t len);
u64 kevent_s390_log_buf_store_batch(const struct kevent_s390_log_report *r,
				    unsigned int nr);
int kevent_s390_log_buf_read(u64 seq, struct kevent_s390_log_record *out,
			     unsigned int max, u64 *oldest);
u64 kevent_s390_log_buf_next(void);
void kevent_s390_log_buf_stats(struct kevent_s390_log_stats *stats);
void kevent_s390_log_buf_rejected(unsigned int nr);

/* s390_log_storage.c */
void kevent_s390_log_storage_init(void);
void kevent_s390_log_storage_exit(void);
int kevent_s390_log_type_register(void);
void kevent_s390_log_type_unregister(void);
void kevent_s390_log_storage_fire(struct kevent_batch *b,
				  struct kevent_s390_log_fire *f);
void kevent_s390_log_storage_remove(u32 devid);
void kevent_s390_log_storage_stats(struct kevent_s390_log_stats *stats);

/* s390_log_dev.c */
#define KEVENT_S390_LOG_NODE	"kevent_s390_log"
int kevent_s390_log_dev_init(void);
void kevent_s390_log_dev_exit(void);
dev_t kevent_s390_log_dev_devt(void);

/* Pollers of every open /dev/kevent_s390_log; woken by notifies. */
extern struct wait_queue_head kevent_s390_log_wq;

/*
 * A record was stored: the caller has been through
 * kevent_s390_log_buf_store().  Inline: nearly every notify finds no
 * poller, and the check is one load.  Context: any.
 */
static inline void kevent_s390_log_dev_wake(void)
{
	/*
	 * No barrier of our own: the buffer lock orders this check against
	 * kevent_s390_log_poll(), which joins the queue, then reads next
	 * under that lock.  If the poller's read came first, its unlock
	 * (release) and the store's lock (acquire) make its place on the
	 * queue visible here; if the store came first, the poller reads the
	 * new next and is readable.
	 */
	if (waitqueue_active(&kevent_s390_log_wq))
		wake_up_interruptible_poll(&kevent_s390_log_wq,
					   EPOLLIN | EPOLLRDNORM);
}

/* s390_log_perm.c */
bool kevent_s390_log_permitted(void);

#endif /* _KEVENT_S390_LOG_INTERNAL_H */
