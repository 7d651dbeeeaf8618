/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kevent core: what the core's files share.  Nothing here is exported.
 */
#ifndef _KEVENT_INTERNAL_H
#define _KEVENT_INTERNAL_H

#include <linux/compat.h>
#include <linux/kevent.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "ring_index.h"

struct page;
struct vm_area_struct;

/*
 * Request states, in kevent->state, under the queue's ready_lock.  A request
 * is ready when it is in the backlog (QUEUED) or in the ring (RING), never
 * both, and then it is never queued again until its slot is committed.
 */
#define KEVENT_S_QUEUED		0x01	/* on the backlog, waiting for a slot */
#define KEVENT_S_RING		0x02	/* in a ring slot not yet committed */
#define KEVENT_S_MISSED		0x04	/* level: fired while unread, re-queue */
#define KEVENT_S_BROKEN		0x08	/* its storage went away */
#define KEVENT_S_BROKEN_SENT	0x10	/* ... and userspace has been told */
#define KEVENT_S_DEAD		0x20	/* being removed: never queue again */
#define KEVENT_S_REAP		0x40	/* on the queue's reap list */
#define KEVENT_S_REPOLL		0x80	/* on the queue's repoll list */

#define KEVENT_S_READY		(KEVENT_S_QUEUED | KEVENT_S_RING)

/* mmap offsets of the two ring mappings */
#define KEVENT_OFF_CONS		0x0ULL
#define KEVENT_OFF_PROD		0x100000ULL

/**
 * struct kevent_ready_ring - the ready ring of one queue
 * @pages: every page of the ring; [0] is the consumer page, the rest the
 *	producer mapping
 * @nr_pages: number of @pages
 * @cons: the consumer page, writable by userspace: read it once, trust it
 *	never
 * @prod: the producer mapping's header page
 * @entries: the entry array, right after @prod
 * @shadow: kernel-private: which request occupies each slot, or NULL
 * @mask: number of slots - 1
 * @tail: next slot to fill; mirrors @prod->tail
 * @committed: slots before this index are free; mirrors @prod->committed
 *
 * @shadow, @tail and @committed are protected by the queue's ready_lock.
 */
struct kevent_ready_ring {
	struct page **pages;
	unsigned int nr_pages;
	struct kevent_ring_cons *cons;
	struct kevent_ring_prod *prod;
	struct ukevent *entries;
	struct kevent **shadow;
	u32 mask;
	u32 tail;
	u32 committed;
};

/**
 * struct kevent_limit - what one user has registered, across all queues
 * @node: in the limits table
 * @uid: the user
 * @refs: queues that charge this user
 * @requests: requests registered by the user
 * @ring_pages: pages the user's rings pin
 */
struct kevent_limit {
	struct hlist_node node;
	kuid_t uid;
	refcount_t refs;
	atomic_long_t requests;
	atomic_long_t ring_pages;
};

/**
 * struct kevent_user - one queue: the state behind an open /dev/kevent
 * @ctl_mutex: serialises INIT, CTL, COMMIT and GET_EVENTS; protects @ids
 *	and every request's lifetime
 * @ready_lock: irq-safe; protects the ring indices and shadow, @backlog,
 *	@reap and every request's state and slot.  Nests inside a storage
 *	lock.
 * @wq: waiters in kevent_wait, get_events and poll
 * @ids: the queue's requests, a tree sorted by id, under @ctl_mutex
 * @backlog: ready requests waiting for a ring slot, under @ready_lock
 * @nr_backlog: length of @backlog
 * @reap: requests whose slot was given back in head mode and that must be
 *	removed (ONESHOT, broken), under @ready_lock; emptied by kevent_reap()
 * @reap_work: runs kevent_reap() where a head-mode fire cannot
 * @repoll: requests whose source must be asked again, by ->rearm(), in
 *	the consumer's own context (a signalfd answers for the task that
 *	asks), under @ready_lock; worked off by kevent_repoll_run() in the
 *	consumer's next WAIT, GET_EVENTS, CTL, COMMIT or INFO
 * @nr_repoll: length of @repoll; written under @ready_lock, read without
 *	it (WRITE_ONCE/READ_ONCE) by sleepers deciding whether to wake
 * @wake_work: wakes the queue for @repoll where a wakeup of it may be in
 *	progress on this CPU (kevent_in_wake())
 * @head_commits: KEVENT_INIT_HEAD_COMMITS; written once at INIT, before
 *	@ready is published
 * @nr_sleepers: tasks in kevent_sleep(), under @ready_lock
 * @polled: set for good by the first poll() (WRITE_ONCE, before poll
 *	reads the queue under @ready_lock).  With @nr_sleepers it tells a
 *	fire, under @ready_lock, whether anyone may wait: kevent_waiters()
 * @ring: the ready ring
 * @ready: set once the ring exists (store-release after INIT)
 * @wake_seq: bumped by READY with no entries, under @ready_lock
 * @wake_acked: @wake_seq when a WAIT, GET_EVENTS or COMMIT last returned,
 *	under @ready_lock; a wakeup is pending while the two differ.  Both
 *	are written with WRITE_ONCE() so that kevent_waiter_done() and
 *	kevent_ack_wake()'s early return may read them without the lock
 * @ring_pages: pages the ring charges to @limit, set at INIT
 * @nr_requests: requests registered, under @ctl_mutex
 * @nr_broken: requests whose source went away, under @ready_lock
 * @unotify: storage of this queue's KEVENT_UNOTIFY requests
 * @limit: the per-user counters this queue charges
 * @qid: the queue's number, from 1 in the order of opens; written once at
 *	open.  Names the queue in the tracepoints and in fdinfo.
 * @free_work: frees the queue after an RCU grace period
 */
struct kevent_user {
	struct mutex ctl_mutex;		/* see above: ctl, commit, lifetimes */
	spinlock_t ready_lock;		/* see above: irq-safe, ring state */
	wait_queue_head_t wq;
	struct rb_root ids;
	struct list_head backlog;
	u32 nr_backlog;
	struct list_head reap;
	struct work_struct reap_work;
	struct list_head repoll;
	unsigned int nr_repoll;
	struct work_struct wake_work;
	bool head_commits;
	unsigned int nr_sleepers;
	bool polled;
	struct kevent_ready_ring ring;
	bool ready;
	unsigned int wake_seq;
	unsigned int wake_acked;
	unsigned long ring_pages;
	u64 nr_requests;
	u64 nr_broken;
	struct kevent_storage unotify;
	struct kevent_limit *limit;
	u64 qid;
	struct rcu_work free_work;
};

/* A user pointer carried in a __u64 field. */
static inline void __user *kevent_uptr(u64 v)
{
#ifdef CONFIG_COMPAT
	/* 31-bit s390 tasks: the top bit of a pointer is not address. */
	if (in_compat_syscall())
		return compat_ptr((compat_uptr_t)v);
#endif
	return u64_to_user_ptr(v);
}

extern struct workqueue_struct *kevent_wq;
extern unsigned int kevent_max_ring_entries;

/* What a ring entry or a copy to userspace says of @ke. */
static inline void kevent_event_to_user(struct ukevent *e,
					const struct kevent_event *ke)
{
	e->id = ke->id;
	e->type = ke->type;
	e->event = ke->event;
	e->req_flags = ke->req_flags;
	e->ret_flags = ke->ret_flags;
	e->param = ke->param;
	e->ret_data[0] = ke->ret_data[0];
	e->ret_data[1] = ke->ret_data[1];
	e->user = ke->user;
	e->__reserved = 0;
}

/* types.c */
/**
 * struct kevent_type - one slot of the type table
 * @cb: the provider's callbacks; cleared only when @nr is 0
 * @open: new requests may take a reference (read under RCU)
 * @nr: requests of this type, each holding a module reference
 */
struct kevent_type {
	const struct kevent_callbacks *cb;
	bool open;
	atomic_long_t nr;
};

extern struct kevent_type kevent_types[KEVENT_TYPE_MAX];

void kevent_types_exit(void);
bool kevent_type_known(unsigned int type);
__must_check const struct kevent_callbacks *kevent_type_get(unsigned int type);
void kevent_type_put(unsigned int type);

/*
 * The callbacks of a type the caller holds a reference on.  Inline: every
 * fire asks.
 */
static inline const struct kevent_callbacks *kevent_type_cb(unsigned int type)
{
	return READ_ONCE(kevent_types[type].cb);
}

/*
 * Must @k's source be asked again when a delivery of it ends?  A level
 * request of a type whose readiness is a state (->rearm(): a file).
 */
static inline bool kevent_asks_again(const struct kevent *k)
{
	return !(k->event.req_flags & KEVENT_REQ_ET) &&
	       kevent_type_cb(k->event.type)->rearm;
}

/* storage.c */
/*
 * The storage @k is attached to, NULL once detached, for a reader without
 * the storage lock: only an RCU read-side section keeps the storage valid
 * (kevent_storage_fini() waits a grace period) until the reader has taken
 * its lock and checked that @k is still on it.
 */
static inline struct kevent_storage *kevent_storage_of(struct kevent *k)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "kevent: k->st read outside an RCU read-side section");
	return rcu_dereference(k->st);
}

struct kevent *kevent_alloc(u32 priv_size);
void kevent_free(struct kevent *k);
void kevent_detach(struct kevent *k);
void kevent_mark_ready(struct kevent *k);
void kevent_wake(struct kevent_user *u);
bool kevent_in_wake(void);

/*
 * Under @u's ready lock, after queueing: may anyone wait on @u?  Ordered by
 * the lock against kevent_sleep()'s count and poll's flag, so a fire that
 * finds neither needs no wakeup and no barrier (see kevent_sleep()).
 */
static inline bool kevent_waiters(struct kevent_user *u)
{
	lockdep_assert_held(&u->ready_lock);

	return u->nr_sleepers || READ_ONCE(u->polled);
}

/* ring.c */
unsigned long kevent_ring_pages(u32 entries);
int __must_check kevent_ring_create(struct kevent_ready_ring *ring, u32 entries,
				    bool head_commits);
void kevent_ring_destroy(struct kevent_ready_ring *ring);
int kevent_ring_mmap(struct kevent_ready_ring *ring, struct vm_area_struct *vma);
void kevent_ring_push(struct kevent_user *u, struct kevent *k);
void kevent_ring_forget(struct kevent_user *u, struct kevent *k);
int kevent_ring_commit(struct kevent_user *u, u32 new_uidx);
u32 kevent_ring_unread(struct kevent_user *u);
u32 kevent_ring_reclaim(struct kevent_user *u, u32 max);
u32 kevent_ring_take_head(struct kevent_user *u, bool from_poll);
void kevent_ring_settle(struct kevent_user *u, struct kevent *k);

/*
 * A fire is about to look at @k's state: in head mode, a delivery the
 * consumer has read ends first (kevent_ring_settle()).  Cheap when @k is
 * not in the ring or the queue is in commit mode.
 */
static inline void kevent_settle(struct kevent *k)
{
	lockdep_assert_held(&k->user->ready_lock);

	if ((k->state & KEVENT_S_RING) && k->user->head_commits)
		kevent_ring_settle(k->user, k);
}

/* ctl.c */
int kevent_ioc_ctl(struct kevent_user *u, void __user *arg);
void kevent_remove(struct kevent_user *u, struct kevent *k);
void kevent_reap(struct kevent_user *u);
void kevent_repoll(struct kevent *k);
bool kevent_repoll_add(struct kevent_user *u, struct kevent *k);

/*
 * Take @k off the repoll list, if it is there: it is being queued (a
 * fire's push, inline for that path), or removed.
 */
static inline void kevent_repoll_del(struct kevent_user *u, struct kevent *k)
{
	lockdep_assert_held(&u->ready_lock);

	if (likely(!(k->state & KEVENT_S_REPOLL)))
		return;
	k->state &= ~KEVENT_S_REPOLL;
	list_del_init(&k->ready_entry);
	WRITE_ONCE(u->nr_repoll, u->nr_repoll - 1);
}

void kevent_repoll_run(struct kevent_user *u);
void kevent_unlink(struct kevent_user *u, struct kevent *k);

/* unotify.c */
int kevent_unotify_init(void);
void kevent_unotify_exit(void);
int kevent_unotify_ready(struct kevent_user *u, struct kevent *k, u64 param);

/* timer.c */
int kevent_timer_init(void);
void kevent_timer_exit(void);

/* poll.c */
int kevent_poll_init(void);
void kevent_poll_exit(void);

/* limits.c */
void kevent_limits_init(void);
struct kevent_limit *kevent_limit_get(kuid_t uid);
void kevent_limit_put(struct kevent_limit *l);
int __must_check kevent_limit_charge(struct kevent_limit *l);
void kevent_limit_uncharge(struct kevent_limit *l);
int __must_check kevent_limit_charge_pages(struct kevent_limit *l,
					   unsigned long nr);
void kevent_limit_uncharge_pages(struct kevent_limit *l, unsigned long nr);

/* queue.c */
int kevent_queue_init(void);
void kevent_queue_exit(void);
bool kevent_file_is_queue(const struct file *file);

/*
 * race.c: race windows the selftests hold open on debug kernels.  The
 * numbers are what the tests write to the race_point module parameter.
 */
enum kevent_race {
	KEVENT_RACE_NONE = 0,
	/* kevent_storage_fini(): a request is off the storage's list */
	KEVENT_RACE_FINI = 1,
	/* kevent_ring_unread(): between reading two ring indices */
	KEVENT_RACE_UNREAD = 2,
	/* a fire's walk: a request found, its ready lock not taken yet */
	KEVENT_RACE_WALK = 3,
	/* KEVENT_POLL ADD: wait entries added, the request not attached yet */
	KEVENT_RACE_POLL_ADD = 4,
	/* KEVENT_POLL wait entry, under its wait queue's lock, before firing */
	KEVENT_RACE_POLL_WAKE = 5,
	/* KEVENT_POLL removal: a wait queue read, its lock not taken yet */
	KEVENT_RACE_POLL_UNWAIT = 6,
};

#ifdef CONFIG_KEVENT_DEBUG_RACES
void kevent_race_window(enum kevent_race point);
#else
static inline void kevent_race_window(enum kevent_race point)
{
}
#endif

#endif /* _KEVENT_INTERNAL_H */
