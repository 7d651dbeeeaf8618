/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kevent: the in-kernel API for event sources.
 *
 * An event source embeds a struct kevent_storage in the object that events
 * happen to (a device, a log), and provides a type: a struct kevent_callbacks
 * registered with kevent_add_callbacks().  When userspace adds a request of
 * that type, the core allocates a struct kevent and calls ->enqueue(), which
 * picks the storage and attaches the request with kevent_storage_enqueue().
 * When something happens, the source calls kevent_storage_ready() on the
 * storage; the core runs ->callback() for each request whose event mask
 * matches and queues the ones it reports ready.
 *
 * Locking: each storage has an irq-safe spinlock that serialises changes to
 * its request list.  A fire walks the list under RCU, without it, and takes
 * only the ready lock of each matching request's queue; ->callback() runs
 * under that lock, with interrupts off, and must not sleep.  The core takes
 * a ready lock inside a storage lock, never the other way round.  See
 * Documentation/kevent.rst.
 */
#ifndef _LINUX_KEVENT_H
#define _LINUX_KEVENT_H

#include <linux/list.h>
#include <linux/rbtree_types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/kevent.h>

struct module;
struct kevent_user;

/**
 * struct kevent_storage - where requests wait for a source's events
 * @origin: the object the storage is embedded in, for the source's use
 * @list: attached requests: changed under @lock, walked by fires under RCU
 * @lock: irq-safe; serialises changes to @list and to each attached
 *	request's storage link
 */
struct kevent_storage {
	void *origin;
	struct list_head list;
	spinlock_t lock;		/* irq-safe: @list changes, k->st links */
};

/**
 * struct kevent_event - the kernel's copy of a request's struct ukevent
 * @id: as in struct ukevent
 * @param: as in struct ukevent
 * @ret_data: as in struct ukevent
 * @user: as in struct ukevent
 * @event: as in struct ukevent
 * @type: as in struct ukevent; ADD refuses a type >= KEVENT_TYPE_MAX
 * @req_flags: as in struct ukevent; ADD refuses unknown flags
 * @ret_flags: as in struct ukevent; only the core sets it
 *
 * Narrower than struct ukevent (48 bytes, not 64, with no __reserved) so
 * that a request fits in 128 bytes with its id-tree node; ctl.c checks at
 * build time that every defined type and flag fits.
 */
struct kevent_event {
	u64 id;
	u64 param;
	u64 ret_data[2];
	u64 user;
	u32 event;
	u16 type;
	u8 req_flags;
	u8 ret_flags;
};

/**
 * struct kevent - one request of one queue
 * @id_node: in the queue's id tree, under the queue's ctl_mutex
 * @rcu: frees the request a grace period after it left the id tree, so
 *	that a fire walking its storage's list may still look at it
 * @storage_entry: in the storage's @list (RCU list; changes under the
 *	storage lock)
 * @ready_entry: in the queue's backlog, under the queue's ready lock
 * @user: the queue that owns the request
 * @st: the storage the request is attached to; NULL once detached.
 *	Written under the storage lock and the queue's ready lock, so
 *	either is enough to read it
 * @event: the request as userspace wrote it, and the result fields
 * @state: KEVENT_S_* bits, under the queue's ready lock
 * @slot: ring index of the request while it is in the ring
 *
 * Sources read @event.event, @event.param and @event.req_flags, and write
 * @event.ret_data from ->callback(); nothing else.  128 bytes, like epoll's
 * epitem: it is what each registered request costs the kernel.
 */
struct kevent {
	union {
		struct rb_node id_node;
		struct rcu_head rcu;	/* after it left the id tree */
	};
	struct list_head storage_entry;
	struct list_head ready_entry;
	struct kevent_user *user;
	struct kevent_storage __rcu *st;
	struct kevent_event event;
	u32 state;
	u32 slot;
};

/**
 * struct kevent_callbacks - what a source provides for one type
 * @owner: the module providing the type; pinned while requests exist
 * @events: the event bits the type defines; ADD and MODIFY refuse a mask
 *	with others (EINVAL).  0 accepts any mask.
 * @enqueue: process context, may sleep.  Attach @k to a storage with
 *	kevent_storage_enqueue().  Return <0 to refuse the request (the errno
 *	goes back to userspace) with nothing attached, 0 when attached, >0
 *	when attached and ready at once (the source has filled
 *	@k->event.ret_data).
 * @dequeue: optional, process context.  Called once for every request whose
 *	->enqueue() succeeded, after the core has detached it from its storage,
 *	to drop what ->enqueue() took.
 * @priv_size: bytes of private data each request of the type carries,
 *	right after its struct kevent (kevent_priv()), zeroed at ADD and
 *	freed with the request; 0 for none.  A request with none is 128
 *	bytes.
 * @callback: optional; NULL: every fire that matches the request's mask
 *	makes it ready (the source may fill ret_data in its ready_cb).
 *	Atomic context, the request's queue's ready lock held (not
 *	the storage lock: two fires of one storage may run at once, each
 *	calling it for different requests).  @event is what fired and
 *	@data what the source passed to kevent_storage_ready_data().  Return >0
 *	if @k is ready (after filling @k->event.ret_data), 0 if not, <0 if it
 *	is broken.  Also asked for a request that is ready and unread, when a
 *	fire that no request took would be folded into its delivery.
 * @rearm: optional, process context, for sources whose readiness is a
 *	state rather than an event (a pollable file).  Called when a level
 *	request's delivery has ended (its slot given back) and it was not
 *	queued again: the source looks at its state and fires the request's
 *	storage if it still holds.
 */
struct kevent_callbacks {
	struct module *owner;
	u32 events;
	u32 priv_size;
	int (*enqueue)(struct kevent *k);
	void (*dequeue)(struct kevent *k);
	int (*callback)(struct kevent *k, u32 event, void *data);
	void (*rearm)(struct kevent *k);
};

/* The most private data a type's requests may carry: a request stays small. */
#define KEVENT_PRIV_MAX		1024

/**
 * kevent_priv() - a request's private data
 * @k: a request of a type with a non-zero &kevent_callbacks.priv_size
 *
 * Context: any.
 * Return: its priv_size bytes, 8-byte aligned.
 */
static inline void *kevent_priv(struct kevent *k)
{
	return k + 1;
}

/**
 * typedef kevent_ready_cb_t - run for each matching request before ->callback
 * @k: the request
 * @data: as passed to kevent_storage_ready_data()
 */
typedef void (*kevent_ready_cb_t)(struct kevent *k, void *data);

struct kevent_user;

/**
 * struct kevent_batch - fires made together: kevent_batch_begin()
 * @locked: the queue whose ready lock the batch holds, or NULL
 * @wake: @locked got entries and may have waiters: woken when it is dropped
 * @flags: the interrupt state at kevent_batch_begin()
 *
 * The core's; a source only declares one on its stack.
 */
struct kevent_batch {
	struct kevent_user *locked;
	bool wake;
	unsigned long flags;
};

#if IS_ENABLED(CONFIG_KEVENT)

void kevent_storage_init(void *origin, struct kevent_storage *st);
void kevent_storage_fini(struct kevent_storage *st);
int kevent_storage_enqueue(struct kevent_storage *st, struct kevent *k);
void kevent_storage_dequeue(struct kevent_storage *st, struct kevent *k);
int kevent_storage_ready_data(struct kevent_storage *st,
			      kevent_ready_cb_t ready_cb, u32 event, void *data);
void kevent_batch_begin(struct kevent_batch *b);
int kevent_batch_ready(struct kevent_batch *b, struct kevent_storage *st,
		       kevent_ready_cb_t ready_cb, u32 event, void *data);
void kevent_batch_end(struct kevent_batch *b);
int __must_check kevent_add_callbacks(const struct kevent_callbacks *cb,
				      unsigned int type);
int __must_check kevent_remove_callbacks(unsigned int type);

#else

static inline void kevent_storage_init(void *origin, struct kevent_storage *st)
{
}

static inline void kevent_storage_fini(struct kevent_storage *st)
{
}

static inline int kevent_storage_enqueue(struct kevent_storage *st,
					 struct kevent *k)
{
	return -ENODEV;
}

static inline void kevent_storage_dequeue(struct kevent_storage *st,
					  struct kevent *k)
{
}

static inline int kevent_storage_ready_data(struct kevent_storage *st,
					    kevent_ready_cb_t ready_cb,
					    u32 event, void *data)
{
	return 0;
}

static inline void kevent_batch_begin(struct kevent_batch *b)
{
}

static inline int kevent_batch_ready(struct kevent_batch *b,
				     struct kevent_storage *st,
				     kevent_ready_cb_t ready_cb, u32 event,
				     void *data)
{
	return 0;
}

static inline void kevent_batch_end(struct kevent_batch *b)
{
}

static inline int __must_check
kevent_add_callbacks(const struct kevent_callbacks *cb, unsigned int type)
{
	return -ENODEV;
}

static inline int __must_check kevent_remove_callbacks(unsigned int type)
{
	return 0;
}

#endif /* CONFIG_KEVENT */

/**
 * kevent_storage_ready() - mark the requests that match @event ready
 * @st: the storage
 * @ready_cb: optional, run for each matching request
 * @event: the event that happened
 *
 * Context: any, hardirq included.  Walks the requests under RCU with
 * interrupts off, taking each matching request's queue's ready lock.
 * Return: the number of requests marked ready.
 */
static inline int kevent_storage_ready(struct kevent_storage *st,
				       kevent_ready_cb_t ready_cb, u32 event)
{
	return kevent_storage_ready_data(st, ready_cb, event, NULL);
}

#endif /* _LINUX_KEVENT_H */
