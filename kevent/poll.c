// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_POLL: a request watches a pollable file through the file's wait
 * queues, as epoll does.  The ABI is in <uapi/linux/kevent.h>,
 * "KEVENT_POLL"; the design in Documentation/kevent.rst, "Pollable files".
 *
 * The request holds a reference on the file (a module cannot hook the
 * last fput() as epoll does), a wait entry on each wait queue the file
 * offered at ADD, and a storage of its own that the wait entries fire.
 * Wait entries run under their wait queue's lock, in any context:
 *  - with a key (the events that happened), one that concerns the request
 *    fires the storage at once, unless this CPU is inside a kevent
 *    queue's wakeup (a cycle through an epoll fd would wake that queue
 *    again);
 *  - otherwise the file is asked again (->rearm()) by the queue's
 *    consumer, in its own context (kevent_repoll()): ->poll may sleep,
 *    and a signalfd answers for the task that asks.
 * Level requests are asked again, the same way, when a delivery ends.
 *
 * Removal: the core detaches the request and takes it off the repoll
 * list; ->dequeue() takes the wait entries off their queues (after which
 * none runs) and drops the file.
 */
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "internal.h"

/* Reported whether asked for or not, as by poll(). */
#define KEVENT_POLL_ALWAYS	(KEVENT_POLL_ERR | KEVENT_POLL_HUP)

/**
 * struct kevent_poll - a KEVENT_POLL request's private data
 * @st: the storage the wait entries fire; the request is its only one
 * @file: the watched file, referenced
 * @k: the request
 * @waits: its wait entries, added at ADD only
 * @err: ADD: a wait entry could not be allocated
 * @attached: the request is on @st: from then on wakeups may put it on
 *	the repoll list (before, the ADD's second poll covers them)
 * @gone: a wait queue went away (POLLFREE): the request is broken
 */
struct kevent_poll {
	struct kevent_storage st;
	struct file *file;
	struct kevent *k;
	struct list_head waits;
	int err;
	bool attached;
	bool gone;
};

/**
 * struct kevent_poll_wait - one wait entry of a request
 * @wait: on the file's wait queue
 * @whead: that wait queue; NULL once POLLFREE took the entry off
 * @p: the request's private data
 * @node: in @p->waits
 */
struct kevent_poll_wait {
	wait_queue_entry_t wait;
	wait_queue_head_t *whead;
	struct kevent_poll *p;
	struct list_head node;
};

/* The poll table of an ADD. */
struct kevent_poll_table {
	poll_table pt;
	struct kevent_poll *p;
};

/* The events @p's request asked for, and ERR and HUP: poll's bits. */
static __poll_t wanted(const struct kevent_poll *p)
{
	return (__force __poll_t)(READ_ONCE(p->k->event.event) |
				  KEVENT_POLL_ALWAYS);
}

static __poll_t interest(const struct kevent_poll *p, __poll_t mask)
{
	return mask & wanted(p);
}

/* Fire @p's storage with @mask: its ->callback() decides. */
static void fire(struct kevent_poll *p, __poll_t mask)
{
	kevent_storage_ready_data(&p->st, NULL, KEVENT_POLL_ALL, &mask);
}

/* Ask the file and fire if it is ready.  Process context. */
static void repoll(struct kevent_poll *p)
{
	__poll_t mask = interest(p, vfs_poll(p->file, NULL));

	if (mask || READ_ONCE(p->gone))
		fire(p, mask);
}

/* A wait entry's function: under its wait queue's lock, any context. */
static int kevent_poll_wake(wait_queue_entry_t *wait, unsigned int mode,
			    int sync, void *key)
{
	struct kevent_poll_wait *w = container_of(wait, struct kevent_poll_wait,
						  wait);
	struct kevent_poll *p = w->p;
	__poll_t mask = key_to_poll(key);

	if (mask & POLLFREE) {
		/* The wait queue is going (after a grace period): leave it. */
		list_del_init(&wait->entry);
		/* Pairs with smp_load_acquire() in unwait(). */
		smp_store_release(&w->whead, NULL);
		WRITE_ONCE(p->gone, true);
		fire(p, 0);
		return 0;
	}
	if (mask && !interest(p, mask))
		return 0;
	kevent_race_window(KEVENT_RACE_POLL_WAKE);
	if (!mask || kevent_in_wake()) {
		/* Pairs with smp_store_release() in kevent_poll_enqueue(). */
		if (smp_load_acquire(&p->attached))
			kevent_repoll(p->k);
	} else {
		fire(p, mask);
	}
	return 0;
}

/* The poll table's queueing function: ADD's vfs_poll(), process context. */
static void kevent_poll_queue(struct file *file, wait_queue_head_t *whead,
			      poll_table *pt)
{
	struct kevent_poll *p = container_of(pt, struct kevent_poll_table,
					     pt)->p;
	struct kevent_poll_wait *w;

	if (p->err)
		return;
	w = kmalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w) {
		p->err = -ENOMEM;
		return;
	}
	init_waitqueue_func_entry(&w->wait, kevent_poll_wake);
	w->whead = whead;
	w->p = p;
	list_add_tail(&w->node, &p->waits);
	add_wait_queue(whead, &w->wait);
}

/* Take every wait entry off its queue: none runs after this. */
static void unwait(struct kevent_poll *p)
{
	struct kevent_poll_wait *w, *tmp;
	wait_queue_head_t *whead;

	list_for_each_entry_safe(w, tmp, &p->waits, node) {
		rcu_read_lock();
		/*
		 * Pairs with smp_store_release() in kevent_poll_wake(): a
		 * POLLFREE queue is freed a grace period after it let go.
		 */
		whead = smp_load_acquire(&w->whead);
		kevent_race_window(KEVENT_RACE_POLL_UNWAIT);
		if (whead)
			remove_wait_queue(whead, &w->wait);
		rcu_read_unlock();
		list_del(&w->node);
		kfree(w);
	}
}

static int kevent_poll_enqueue(struct kevent *k)
{
	struct kevent_poll *p = kevent_priv(k);
	struct kevent_poll_table pt;
	struct file *file;
	__poll_t mask;

	if (k->event.param > INT_MAX)
		return -EBADF;
	file = fget(k->event.param);
	if (!file)
		return -EBADF;
	if (!file_can_poll(file)) {
		fput(file);
		return -EPERM;
	}
	if (kevent_file_is_queue(file)) {
		fput(file);
		return -EINVAL;
	}
	p->file = file;
	p->k = k;
	INIT_LIST_HEAD(&p->waits);
	kevent_storage_init(p, &p->st);

	/* Wakeups from here on fire a storage with no request yet, */
	init_poll_funcptr(&pt.pt, kevent_poll_queue);
	pt.pt._key = wanted(p);
	pt.p = p;
	vfs_poll(file, &pt.pt);
	if (p->err) {
		unwait(p);
		fput(file);
		return p->err;
	}
	kevent_race_window(KEVENT_RACE_POLL_ADD);
	/* and from here on they reach it: ask once more for those between. */
	kevent_storage_enqueue(&p->st, k);
	/* Pairs with smp_load_acquire() in kevent_poll_wake(). */
	smp_store_release(&p->attached, true);
	mask = interest(p, vfs_poll(file, NULL));
	k->event.ret_data[0] = (__force u32)mask;
	k->event.ret_data[1] = 0;
	return mask ? 1 : 0;
}

static void kevent_poll_dequeue(struct kevent *k)
{
	struct kevent_poll *p = kevent_priv(k);

	unwait(p);
	fput(p->file);
}

/* Under the ready lock, in a fire of the request's storage. */
static int kevent_poll_callback(struct kevent *k, u32 event, void *data)
{
	struct kevent_poll *p = kevent_priv(k);
	__poll_t mask = interest(p, *(__poll_t *)data);

	if (READ_ONCE(p->gone))
		return -ENODEV;
	if (!mask)
		return 0;
	k->event.ret_data[0] = (__force u32)mask;
	return 1;
}

/* A level delivery has ended: is the file still ready?  Process context. */
static void kevent_poll_rearm(struct kevent *k)
{
	repoll(kevent_priv(k));
}

static const struct kevent_callbacks kevent_poll_cb = {
	.owner = THIS_MODULE,
	.events = KEVENT_POLL_ALL,
	.priv_size = sizeof(struct kevent_poll),
	.enqueue = kevent_poll_enqueue,
	.dequeue = kevent_poll_dequeue,
	.callback = kevent_poll_callback,
	.rearm = kevent_poll_rearm,
};

int kevent_poll_init(void)
{
	/* The ABI's bits are poll's: ret_data and event carry them as is. */
	BUILD_BUG_ON(KEVENT_POLL_IN != (__force u32)EPOLLIN ||
		     KEVENT_POLL_PRI != (__force u32)EPOLLPRI ||
		     KEVENT_POLL_OUT != (__force u32)EPOLLOUT ||
		     KEVENT_POLL_ERR != (__force u32)EPOLLERR ||
		     KEVENT_POLL_HUP != (__force u32)EPOLLHUP ||
		     KEVENT_POLL_RDNORM != (__force u32)EPOLLRDNORM ||
		     KEVENT_POLL_RDBAND != (__force u32)EPOLLRDBAND ||
		     KEVENT_POLL_WRNORM != (__force u32)EPOLLWRNORM ||
		     KEVENT_POLL_WRBAND != (__force u32)EPOLLWRBAND ||
		     KEVENT_POLL_MSG != (__force u32)EPOLLMSG ||
		     KEVENT_POLL_RDHUP != (__force u32)EPOLLRDHUP);
	return kevent_add_callbacks(&kevent_poll_cb, KEVENT_POLL);
}

void kevent_poll_exit(void)
{
	WARN_ON(kevent_remove_callbacks(KEVENT_POLL));
}
