// SPDX-License-Identifier: GPL-2.0
/*
 * The drain: READ from after the position, a batch at a time, and hand
 * each answer (records, or a gap of lost ones) to the caller, until the
 * log has nothing more, the batches run out or the caller stops.
 */
#include "drain.h"

/**
 * kld_drain() - read the log from *@pos + 1 on
 * @fd: the log device
 * @pos: the caller's position: the last sequence number it is done with.
 *	@handle moves it; each READ starts after it.
 * @batches: read at most this many batches
 * @handle: called for each READ that gave records or a gap
 * @arg: for @handle
 * @why: out: what was wrong, for -EPROTO (see libkevent_s390_log_read())
 * @whylen: size of @why
 *
 * Return: an enum kld_drain_end, or the -errno of libkevent_s390_log_read().
 */
int kld_drain(int fd, const __u64 *pos, unsigned int batches,
	      kld_drain_fn handle, void *arg, char *why, size_t whylen)
{
	struct kevent_s390_log_record recs[KLD_READ_BATCH];
	struct libkevent_s390_log_result rd;
	unsigned int b;
	__u64 first;
	int err;

	for (b = 0; b < batches; b++) {
		first = *pos + 1;
		err = libkevent_s390_log_read(fd, first, recs, KLD_READ_BATCH,
					      &rd, why, whylen);
		if (err)
			return err;
		if (!rd.lost && !rd.count)
			return KLD_DRAIN_EMPTY;
		if (handle(arg, first, &rd, recs))
			return KLD_DRAIN_STOPPED;
	}
	return KLD_DRAIN_MORE;
}
