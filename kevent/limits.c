// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits, so that nobody pins unbounded kernel memory through a
 * device anyone may open: like epoll's max_user_watches, a cap on the
 * requests one user may register across all its queues, and like
 * pipe-user-pages-soft, a cap on the pages that user's rings pin.  Both are
 * also charged to the caller's memcg.
 */
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "internal.h"

static unsigned long max_user_requests;
module_param(max_user_requests, ulong, 0644);
MODULE_PARM_DESC(max_user_requests,
		 "Requests one user may register (default: 4% of RAM / 128 bytes)");

/* pipe-user-pages-soft's default: 64 MiB of 4 KiB pages, 14 full rings. */
static unsigned long max_user_ring_pages = 16384;
module_param(max_user_ring_pages, ulong, 0644);
MODULE_PARM_DESC(max_user_ring_pages,
		 "Pages the rings of one user may pin (default 16384)");

/* Protects kevent_limits and each entry's lifetime. */
static DEFINE_SPINLOCK(kevent_limits_lock);
static DEFINE_HASHTABLE(kevent_limits, 6);

void kevent_limits_init(void)
{
	/* The same budget as epoll: 4% of low memory. */
	if (!max_user_requests)
		max_user_requests = (totalram_pages() / 25 << PAGE_SHIFT) /
				    sizeof(struct kevent);
}

struct kevent_limit *kevent_limit_get(kuid_t uid)
{
	u32 key = from_kuid(&init_user_ns, uid);
	struct kevent_limit *l, *new;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;

	spin_lock(&kevent_limits_lock);
	hash_for_each_possible(kevent_limits, l, node, key) {
		if (uid_eq(l->uid, uid)) {
			refcount_inc(&l->refs);
			spin_unlock(&kevent_limits_lock);
			kfree(new);
			return l;
		}
	}
	new->uid = uid;
	refcount_set(&new->refs, 1);
	atomic_long_set(&new->requests, 0);
	atomic_long_set(&new->ring_pages, 0);
	hash_add(kevent_limits, &new->node, key);
	spin_unlock(&kevent_limits_lock);
	return new;
}

void kevent_limit_put(struct kevent_limit *l)
{
	spin_lock(&kevent_limits_lock);
	if (refcount_dec_and_test(&l->refs))
		hash_del(&l->node);
	else
		l = NULL;
	spin_unlock(&kevent_limits_lock);
	kfree(l);
}

int kevent_limit_charge(struct kevent_limit *l)
{
	if (atomic_long_inc_return(&l->requests) >
	    (long)READ_ONCE(max_user_requests)) {
		atomic_long_dec(&l->requests);
		return -ENOSPC;
	}
	return 0;
}

void kevent_limit_uncharge(struct kevent_limit *l)
{
	atomic_long_dec(&l->requests);
}

int kevent_limit_charge_pages(struct kevent_limit *l, unsigned long nr)
{
	if (atomic_long_add_return(nr, &l->ring_pages) >
	    (long)READ_ONCE(max_user_ring_pages)) {
		atomic_long_sub(nr, &l->ring_pages);
		return -ENOSPC;
	}
	return 0;
}

void kevent_limit_uncharge_pages(struct kevent_limit *l, unsigned long nr)
{
	atomic_long_sub(nr, &l->ring_pages);
}
