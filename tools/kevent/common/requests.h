/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventlogd's kevent queue and the KEVENT_S390_LOG requests on it: one
 * per configured device (or one wildcard request), for the configured
 * events.  A ready request is only a wakeup: the records are read by
 * sequence number whichever request fired.
 */
#ifndef KLD_REQUESTS_H
#define KLD_REQUESTS_H

#include <linux/kevent.h>

#include "config.h"

/**
 * struct kld_reqs - a set of registered requests
 * @v: the requests as added (ids unique on the queue)
 * @n: how many
 */
struct kld_reqs {
	struct ukevent *v;
	unsigned int n;
};

int __must_check kld_reqs_add(int fd, const struct kld_config *c,
			      __u64 *next_id, struct kld_reqs *out,
			      char *why, size_t whylen);
void kld_reqs_remove(int fd, struct kld_reqs *r);
int kld_reqs_renew(int fd, struct kld_reqs *r, __u64 id, __u64 *next_id);

#endif /* KLD_REQUESTS_H */
