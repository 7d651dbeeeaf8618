/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the s390 log from a position until it has nothing more: the
 * loop keventlogd and keventctl share.  What to do with the records, and
 * how far the position moves, is the caller's.
 */
#ifndef KLD_DRAIN_H
#define KLD_DRAIN_H

#include "libkevent_s390_log.h"

#include "common.h"

/* How kld_drain() ended, when the log could be read. */
enum kld_drain_end {
	KLD_DRAIN_EMPTY,	/* the log holds nothing after the position */
	KLD_DRAIN_MORE,		/* the batches ran out: more may be left */
	KLD_DRAIN_STOPPED,	/* the handler asked to stop */
};

/**
 * typedef kld_drain_fn - take one READ's answer
 * @arg: the caller's
 * @first: the sequence number the READ started at
 * @rd: what it gave: @rd->lost records lost from @first on, or
 *	@rd->count records in @recs; @rd->next is where the next READ starts
 * @recs: the records
 *
 * Return: 0 to read on from the (moved) position, nonzero to stop.
 */
typedef int (*kld_drain_fn)(void *arg, __u64 first,
			    const struct libkevent_s390_log_result *rd,
			    const struct kevent_s390_log_record *recs);

int kld_drain(int fd, const __u64 *pos, unsigned int batches,
	      kld_drain_fn handle, void *arg, char *why, size_t whylen);

#endif /* KLD_DRAIN_H */
