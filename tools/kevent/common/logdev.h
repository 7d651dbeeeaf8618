/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading /dev/kevent_s390_log by sequence number.  Every answer of the
 * kernel is checked against what it promises (<linux/kevent_s390_log.h>)
 * before a record is used.
 */
#ifndef KLD_LOGDEV_H
#define KLD_LOGDEV_H

#include <linux/kevent_s390_log.h>

#include "common.h"

/* Records one READ asks for. */
#define KLD_READ_BATCH		64

/**
 * struct kld_read - what one READ gave
 * @count: records copied
 * @next: the sequence number to read next
 * @lost: records overwritten before they could be read (the kernel's
 *	EOVERFLOW): the sequence numbers [next - lost, next)
 */
struct kld_read {
	unsigned int count;
	__u64 next;
	__u64 lost;
};

int kld_log_open(void);
int __must_check kld_log_stats(int fd, struct kevent_s390_log_stats *st);
int __must_check kld_log_read(int fd, __u64 seq,
			      struct kevent_s390_log_record *buf,
			      unsigned int max, struct kld_read *r,
			      char *why, size_t whylen);

#endif /* KLD_LOGDEV_H */
