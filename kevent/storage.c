// SPDX-License-Identifier: GPL-2.0
/*
 * Storages: where requests wait for their source's events, and how a fire
 * marks them ready.
 *
 * Lock order: storage->lock, then kevent_user->ready_lock, then the wait
 * queue's lock (inside wake_up()).  Both spinlocks are taken with interrupts
 * off, since sources fire from hardirq context.
 *
 * A fire does not take the storage lock: it walks the request list under
 * RCU (with interrupts off, which RCU's grace periods wait for since the
 * flavours were merged in 5.0; rcu_read_lock() would add two calls to
 * every fire on PREEMPT_RCU kernels) and takes the ready lock of each
 * request it looks at, so that a fire costs one lock per request it marks.
 * A batch of fires keeps a ready lock while it stays on one queue
 * (batch_lock()).  Requests are freed a grace period after their removal
 * (kevent_free()), so the walk may meet one being removed: it is marked
 * KEVENT_S_DEAD, or detached (k->st no longer this storage), under its
 * ready lock before it goes, and the fire skips it.
 *
 * A request's storage link (k->st) changes only under the storage's lock
 * and its queue's ready lock.  A detacher that does not hold the storage
 * lock reads k->st under RCU; kevent_storage_fini() waits for a grace
 * period before it returns, so the storage it read stays valid while it
 * takes the lock.
 *
 * A detacher that reads k->st == NULL does not take the storage lock, so
 * nothing but the queue's ready_lock keeps it from freeing the request:
 * kevent_storage_fini() clears k->st last, under that lock, and the freeing
 * path (kevent_unlink()) takes the lock after it has detached.
 */
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "internal.h"
#include "trace.h"

/* kevent_wake() calls in progress on this CPU: kevent_in_wake(). */
static DEFINE_PER_CPU(unsigned int, kevent_wake_depth);

/*
 * A request is exactly 128 bytes, so kmalloc-128 fits it with no waste; a
 * cache of our own would buy nothing but a name in /proc/slabinfo.  A type
 * with private data (a timer, say) gets it in the same allocation.
 */
struct kevent *kevent_alloc(u32 priv_size)
{
	BUILD_BUG_ON(sizeof(struct kevent) != 128);
	return kzalloc(sizeof(struct kevent) + priv_size, GFP_KERNEL_ACCOUNT);
}

/*
 * A fire may still be looking at @k from its storage's list: free it after
 * a grace period.  The rcu_head shares the id-tree node, which @k has left.
 */
void kevent_free(struct kevent *k)
{
	kfree_rcu(k, rcu);
}

/*
 * Wake the queue's waiters, if there are any: most fires find none, and a
 * wakeup costs more than the fire.  The full barrier in wq_has_sleeper()
 * orders our ring update before the check of the wait queue; it pairs with
 * the one in prepare_to_wait() (kevent_sleep()) and the smp_mb() after
 * poll_wait() in kevent_poll(), between adding a waiter and reading the
 * ring.
 */
void kevent_wake(struct kevent_user *u)
{
	if (!wq_has_sleeper(&u->wq))
		return;
	/* Counted on this CPU: its waiters may be other queues' requests. */
	preempt_disable();
	__this_cpu_inc(kevent_wake_depth);
	wake_up_all(&u->wq);
	__this_cpu_dec(kevent_wake_depth);
	preempt_enable();
}

/*
 * Is this CPU inside kevent_wake()?  Then a wait entry that fires a queue
 * may be running inside that very queue's wakeup, through an epoll fd that
 * watches it (KEVENT_POLL): firing it there would take its wait queue's
 * lock again.  Context: any; meaningful with preemption off, as in a wait
 * entry's function.
 */
bool kevent_in_wake(void)
{
	return __this_cpu_read(kevent_wake_depth);
}

/*
 * @k failed, or its storage went away: it is delivered once more, broken,
 * and freed when that delivery is committed.  The first errno stands, and
 * the request is counted once.
 */
static void kevent_mark_broken(struct kevent_user *u, struct kevent *k,
			       int err)
{
	lockdep_assert_held(&u->ready_lock);

	if (k->state & KEVENT_S_BROKEN)
		return;
	k->state |= KEVENT_S_BROKEN;
	k->event.ret_flags |= KEVENT_RET_BROKEN;
	k->event.ret_data[1] = err;
	u->nr_broken++;
}

/*
 * A fire reached a request that is ready already: fold it into the pending
 * delivery.  A level request that userspace is reading is queued again
 * when its slot is committed; an edge one is not.
 */
static void kevent_fold(struct kevent *k)
{
	if (k->state & KEVENT_S_QUEUED)
		k->event.ret_flags |= KEVENT_RET_COALESCED;
	else if (!(k->event.req_flags & KEVENT_REQ_ET))
		k->state |= KEVENT_S_MISSED;
}

/* Queue a request that has just become ready, or fold the fire into it. */
void kevent_mark_ready(struct kevent *k)
{
	lockdep_assert_held(&k->user->ready_lock);

	if (k->state & KEVENT_S_DEAD)
		return;
	/* No kevent_settle(): the ctl path took the head back already. */
	if (k->state & KEVENT_S_READY)
		kevent_fold(k);
	else
		kevent_ring_push(k->user, k);
}

/**
 * kevent_storage_init() - initialise a storage embedded in an event source
 * @origin: the object the storage belongs to, for the source's callbacks
 * @st: the storage
 *
 * Context: any.
 */
void kevent_storage_init(void *origin, struct kevent_storage *st)
{
	st->origin = origin;
	INIT_LIST_HEAD(&st->list);
	spin_lock_init(&st->lock);
}
EXPORT_SYMBOL_GPL(kevent_storage_init);

/**
 * kevent_storage_fini() - detach every request before a storage goes away
 * @st: the storage
 *
 * Every request still attached is marked broken (KEVENT_RET_BROKEN, errno
 * ENODEV) and queued, and its owner is woken.  When this returns, no request
 * refers to @st and no detacher still uses it, so @st may be freed.  The
 * storage is left empty; it may be used again after kevent_storage_init().
 *
 * Context: process context; sleeps for an RCU grace period.
 */
void kevent_storage_fini(struct kevent_storage *st)
{
	struct kevent *k, *tmp;
	struct kevent_user *u;
	unsigned long flags;

	might_sleep();
	spin_lock_irqsave(&st->lock, flags);
	list_for_each_entry_safe(k, tmp, &st->list, storage_entry) {
		/* Fires may still walk past it: the link stays readable. */
		list_del_rcu(&k->storage_entry);
		u = k->user;
		kevent_race_window(KEVENT_RACE_FINI);

		spin_lock(&u->ready_lock);
		if (!(k->state & KEVENT_S_DEAD)) {
			kevent_settle(k);
			kevent_mark_broken(u, k, ENODEV);
			/* In the ring: re-queued broken at commit. */
			if (!(k->state & KEVENT_S_READY))
				kevent_ring_push(u, k);
		}
		/*
		 * Our last touch of @k: a detacher that sees NULL takes
		 * ready_lock before it frees @k (see the top of this file).
		 */
		RCU_INIT_POINTER(k->st, NULL);
		spin_unlock(&u->ready_lock);
		/* u outlives this: it is freed an RCU grace period after close. */
		kevent_wake(u);
	}
	spin_unlock_irqrestore(&st->lock, flags);

	/* Detachers that loaded k->st before we cleared it are done with it. */
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(kevent_storage_fini);

/**
 * kevent_storage_enqueue() - attach a request to a storage
 * @st: the storage
 * @k: the request, from the type's ->enqueue()
 *
 * Context: any; takes the storage lock with irqsave.
 * Return: 0.
 */
int kevent_storage_enqueue(struct kevent_storage *st, struct kevent *k)
{
	unsigned long flags;

	spin_lock_irqsave(&st->lock, flags);
	spin_lock(&k->user->ready_lock);
	rcu_assign_pointer(k->st, st);
	spin_unlock(&k->user->ready_lock);
	list_add_tail_rcu(&k->storage_entry, &st->list);
	spin_unlock_irqrestore(&st->lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(kevent_storage_enqueue);

/**
 * kevent_storage_dequeue() - detach a request from a storage
 * @st: the storage the caller believes @k is attached to
 * @k: the request
 *
 * Does nothing if @k is attached elsewhere or nowhere (after
 * kevent_storage_fini(), for example).  After this returns, no fire of @st
 * can mark @k ready.
 *
 * Context: any; takes the storage lock with irqsave.  The caller keeps @st
 * valid.
 */
void kevent_storage_dequeue(struct kevent_storage *st, struct kevent *k)
{
	unsigned long flags;

	spin_lock_irqsave(&st->lock, flags);
	if (rcu_dereference_protected(k->st, lockdep_is_held(&st->lock)) == st) {
		list_del_rcu(&k->storage_entry);
		/* Under the ready lock: a fire in its walk checks it there. */
		spin_lock(&k->user->ready_lock);
		RCU_INIT_POINTER(k->st, NULL);
		spin_unlock(&k->user->ready_lock);
	}
	spin_unlock_irqrestore(&st->lock, flags);
}
EXPORT_SYMBOL_GPL(kevent_storage_dequeue);

/*
 * Detach @k from whatever storage it is on; the core's removal path.  The
 * caller takes @k's queue's ready_lock before it frees @k: a NULL link may
 * mean that kevent_storage_fini() is not done with @k yet.
 */
void kevent_detach(struct kevent *k)
{
	struct kevent_storage *st;

	rcu_read_lock();
	st = kevent_storage_of(k);
	if (st)
		kevent_storage_dequeue(st, k);
	rcu_read_unlock();
}

/* The type's verdict on @k for @event: its ->callback(), or ready without one. */
static int kevent_callback(struct kevent *k, u32 event, void *data)
{
	const struct kevent_callbacks *cb = kevent_type_cb(k->event.type);

	return cb->callback ? cb->callback(k, event, data) : 1;
}

/*
 * Under @k's ready lock, in a fire's walk of @st: is @k still attached to
 * @st and not being removed?  Detaching and removal happen under that lock.
 */
static bool kevent_attached(struct kevent *k, struct kevent_storage *st)
{
	lockdep_assert_held(&k->user->ready_lock);

	return rcu_access_pointer(k->st) == st &&
	       !(k->state & KEVENT_S_DEAD);
}

/*
 * A fire, or a batch of them, holds one ready lock at a time, and keeps it
 * while it walks requests of the same queue: a burst into one queue takes
 * its lock once.  Ready locks never nest, so dropping one to take another
 * is all the order there is.  The queue that got entries is woken when its
 * lock is dropped; it is freed an RCU grace period after its close, and the
 * batch keeps interrupts off: an RCU read-side section.
 *
 * Sparse cannot follow a lock kept in a struct across calls: for it, the
 * lock is released where it is taken and taken where it is released.
 */
static __always_inline void batch_unlock(struct kevent_batch *b)
{
	struct kevent_user *u = b->locked;
	bool wake = b->wake;

	if (!u)
		return;
	b->locked = NULL;
	b->wake = false;
	spin_unlock(&u->ready_lock);
	__acquire(&u->ready_lock);
	if (wake)
		kevent_wake(u);
}

static __always_inline void batch_lock(struct kevent_batch *b,
				       struct kevent_user *u)
{
	if (b->locked == u)
		return;
	batch_unlock(b);
	spin_lock(&u->ready_lock);
	__release(&u->ready_lock);
	b->locked = u;
}

/* Interrupts off, no lock held: kevent_batch_begin(). */
static __always_inline void batch_begin(struct kevent_batch *b)
{
	b->locked = NULL;
	b->wake = false;
	local_irq_save(b->flags);
}

static __always_inline void batch_end(struct kevent_batch *b)
{
	batch_unlock(b);
	local_irq_restore(b->flags);
}

/*
 * Every matching request was ready and unread, so none took the fire: fold
 * it into the pending deliveries of those the source says it concerns.
 */
static __always_inline void storage_fold(struct kevent_batch *b,
					 struct kevent_storage *st, u32 event,
					 void *data)
{
	struct kevent *k;
	int ret;

	list_for_each_entry_rcu(k, &st->list, storage_entry) {
		if (!(READ_ONCE(k->event.event) & event))
			continue;
		batch_lock(b, k->user);
		if (kevent_attached(k, st) && (k->event.event & event) &&
		    (k->state & KEVENT_S_READY)) {
			ret = kevent_callback(k, event, data);
			if (ret > 0)
				kevent_fold(k);
			else if (ret < 0)	/* delivered broken at commit */
				kevent_mark_broken(k->user, k, -ret);
		}
	}
}

/*
 * One fire of @st, inside a batch: kevent_storage_ready_data().  Inlined
 * with its helpers into both callers, so that a lone fire (@keep false)
 * keeps its batch in registers and takes and drops each request's lock as
 * it goes, which is what costs it least.
 */
static __always_inline int storage_fire(struct kevent_batch *b,
					struct kevent_storage *st,
					kevent_ready_cb_t ready_cb, u32 event,
					void *data, bool keep)
{
	bool taken = false, skipped = false, all;
	struct kevent_user *u;
	struct kevent *k;
	int ret, nr = 0;

	/* Our RCU read-side section: see the top of this file. */
	lockdep_assert_irqs_disabled();
	list_for_each_entry_rcu(k, &st->list, storage_entry) {
		/* A hint: MODIFY may change the mask; checked under the lock. */
		if (!(READ_ONCE(k->event.event) & event))
			continue;
		u = k->user;
		if (!keep)
			batch_unlock(b);
		kevent_race_window(KEVENT_RACE_WALK);

		batch_lock(b, u);
		if (!kevent_attached(k, st) || !(k->event.event & event))
			continue;
		/*
		 * Before ready_cb(): a delivery the consumer has read ends
		 * with what it carried, as a commit would have ended it, and
		 * this fire then meets the request as it would after one.
		 */
		kevent_settle(k);
		if (k->state & KEVENT_S_DEAD)	/* a ONESHOT it ended */
			continue;
		if (ready_cb)
			ready_cb(k, data);
		if (k->state & KEVENT_S_READY) {
			skipped = true;
			continue;
		}
		all = k->event.req_flags & KEVENT_REQ_WAKEUP_ALL;
		if (taken && !all)
			continue;

		ret = kevent_callback(k, event, data);
		if (ret < 0)
			kevent_mark_broken(u, k, -ret);
		else if (ret == 0)
			continue;
		if (!all)
			taken = true;
		kevent_ring_push(u, k);
		nr++;
		if (kevent_waiters(u))
			b->wake = true;
	}
	/* A WAKEUP_ALL request that took it took it too: nothing to fold. */
	if (skipped && !nr)
		storage_fold(b, st, event, data);
	trace_kevent_storage_fire(st, event, nr);
	return nr;
}

/**
 * kevent_storage_ready_data() - a source's event happened
 * @st: the storage the event happened on
 * @ready_cb: optional, run for each request whose mask matches @event
 * @event: what happened, in the type's event bits
 * @data: passed to @ready_cb and to the type's ->callback()
 *
 * Walks the requests attached to @st.  A request that is ready and unread is
 * skipped.  The first other request whose ->callback() reports it ready is
 * queued, and so is every request with KEVENT_REQ_WAKEUP_ALL; the rest are
 * left alone.  A request whose ->callback() fails is queued broken.  If no
 * request was queued, the event is folded into the pending deliveries of
 * the skipped ones whose ->callback() reports them ready.
 *
 * The storage lock is not taken: the walk is under RCU, and each request
 * is looked at under its queue's ready lock, where @ready_cb and
 * ->callback() run.  Fires of one storage may therefore run at once; each
 * follows the rules above against the state the others leave.
 *
 * Context: any, hardirq included.  Never sleeps and never allocates.
 * Return: the number of requests queued.
 */
int kevent_storage_ready_data(struct kevent_storage *st,
			      kevent_ready_cb_t ready_cb, u32 event, void *data)
{
	struct kevent_batch b;
	int nr;

	batch_begin(&b);
	nr = storage_fire(&b, st, ready_cb, event, data, false);
	batch_end(&b);
	return nr;
}
EXPORT_SYMBOL_GPL(kevent_storage_ready_data);

/**
 * kevent_batch_begin() - start a batch of fires, for a burst of events
 * @b: the batch, on the caller's stack
 *
 * Fires made with kevent_batch_ready() until kevent_batch_end() have
 * exactly the effect of as many kevent_storage_ready_data() calls in the
 * same order, for less: interrupts go off once, and consecutive fires that
 * reach the same queue take its ready lock and check for its waiters once.
 * Waiters are woken when the batch moves on to another queue or ends, not
 * at each fire.
 *
 * Interrupts stay off until kevent_batch_end(), so keep batches short (the
 * s390 log and the tape simulator make at most 64 fires in one).  Between
 * the two calls the caller must not sleep, must not call any other kevent
 * function, and may take its own locks only if it never calls into kevent
 * while holding them: the batch may hold a ready lock between fires.
 *
 * Context: any, hardirq included.
 */
void kevent_batch_begin(struct kevent_batch *b)
{
	batch_begin(b);
}
EXPORT_SYMBOL_GPL(kevent_batch_begin);

/**
 * kevent_batch_ready() - a source's event happened, within a batch
 * @b: the batch, from kevent_batch_begin()
 * @st: the storage the event happened on
 * @ready_cb: optional, run for each request whose mask matches @event
 * @event: what happened, in the type's event bits
 * @data: passed to @ready_cb and to the type's ->callback()
 *
 * Marks requests exactly as kevent_storage_ready_data() does.
 *
 * Context: between kevent_batch_begin() and kevent_batch_end().
 * Return: the number of requests queued.
 */
int kevent_batch_ready(struct kevent_batch *b, struct kevent_storage *st,
		       kevent_ready_cb_t ready_cb, u32 event, void *data)
{
	return storage_fire(b, st, ready_cb, event, data, true);
}
EXPORT_SYMBOL_GPL(kevent_batch_ready);

/**
 * kevent_batch_end() - end a batch of fires
 * @b: the batch, from kevent_batch_begin()
 *
 * Wakes the waiters of the last queue the batch reached, and turns
 * interrupts back on if they were on at kevent_batch_begin().
 *
 * Context: the context of its kevent_batch_begin().
 */
void kevent_batch_end(struct kevent_batch *b)
{
	batch_end(b);
}
EXPORT_SYMBOL_GPL(kevent_batch_end);
