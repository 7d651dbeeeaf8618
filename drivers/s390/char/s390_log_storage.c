// SPDX-License-Identifier: GPL-2.0
/*
 * The KEVENT_S390_LOG type: a request waits on the storage of the device it
 * names, or on the wildcard storage.  A notify walks only those two, so its
 * cost does not depend on how many requests other devices have.
 *
 * Per-device storages live in an xarray keyed by device id.  ->enqueue()
 * creates one on the first request that names the device (the device need
 * not exist yet); ->dequeue() frees it when the last such request goes.
 * Notifies look them up under RCU from any context, so they are freed with
 * kfree_rcu().
 *
 * Device ids reach 2^26, and one such id makes every walk of the xarray
 * five levels deep: most of a notify's cost.  So a notify looks first in
 * devs_cache, a slot per hash of the id: a slot holds the first device
 * created of those that hash to it, for as long as that device exists,
 * and counts them all.  A notify walks the xarray only when the device it
 * looks for is not the one its slot holds and the slot counts some device:
 * a device that shares its slot with an older one, or an id without a
 * storage in a slot that has one.
 *
 * Locking: devs_mutex serialises creating, referencing and freeing device
 * storages, and writing devs_cache (the xarray's own lock covers its
 * internals).  It nests inside the core's per-queue ctl_mutex (->enqueue and
 * ->dequeue run under it) and outside every storage lock; nothing here takes
 * it in atomic context.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "s390_log.h"

/**
 * struct kevent_s390_log_device - the requests that name one device
 * @st: the storage they wait on
 * @refs: requests attached to @st or broken off it and not yet dequeued,
 *	plus the reference a removal in progress holds; under devs_mutex
 * @devid: the device
 * @rcu: frees the struct once notifies that found it are done with it
 */
struct kevent_s390_log_device {
	struct kevent_storage st;
	refcount_t refs;
	u32 devid;
	struct rcu_head rcu;
};

/**
 * struct devs_slot - a slot of devs_cache
 * @dev: the first device created of those in @nr, while it exists, or NULL;
 *	written under devs_mutex, read by notifies with interrupts off (their
 *	RCU read-side section)
 * @nr: devices in devs that hash to this slot; written under devs_mutex,
 *	read locklessly by notifies
 */
struct devs_slot {
	struct kevent_s390_log_device __rcu *dev;
	unsigned int nr;
};

#define DEVS_CACHE_SLOTS	1024

static DEFINE_XARRAY(devs);		/* u32 devid -> device; RCU readers */
static struct devs_slot devs_cache[DEVS_CACHE_SLOTS];
static DEFINE_MUTEX(devs_mutex);	/* device storage lifetimes */
static unsigned long nr_devs;		/* entries in devs, under devs_mutex */
static struct kevent_storage any_st;	/* KEVENT_S390_LOG_ANY_DEV requests */
static atomic_long_t nr_requests_dev;
static atomic_long_t nr_requests_any;

/*
 * Consecutive device numbers take consecutive slots; the subchannel set and
 * the channel subsystem are folded in.
 */
static struct devs_slot *devs_slot(u32 devid)
{
	return &devs_cache[(devid ^ devid >> 10 ^ devid >> 20) &
			   (DEVS_CACHE_SLOTS - 1)];
}

/* A reference on @devid's storage, created if needed. */
static struct kevent_s390_log_device *device_get(u32 devid)
{
	struct kevent_s390_log_device *d;
	struct devs_slot *slot;
	int err;

	lockdep_assert_held(&devs_mutex);

	d = xa_load(&devs, devid);
	if (d) {
		refcount_inc(&d->refs);
		return d;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return ERR_PTR(-ENOMEM);
	kevent_storage_init(d, &d->st);
	refcount_set(&d->refs, 1);
	d->devid = devid;
	/*
	 * Publishes @d initialised: xa_insert() stores with release
	 * semantics, pairing with the xas_load() in storage_fire().
	 */
	err = xa_insert(&devs, devid, d, GFP_KERNEL_ACCOUNT);
	if (err) {
		kfree(d);
		return ERR_PTR(err);
	}
	nr_devs++;
	slot = devs_slot(devid);
	/* Read by storage_fire() without the mutex. */
	WRITE_ONCE(slot->nr, slot->nr + 1);
	/* Publishes @d initialised, as xa_insert() does. */
	if (!rcu_access_pointer(slot->dev))
		rcu_assign_pointer(slot->dev, d);
	return d;
}

static void device_put(struct kevent_s390_log_device *d)
{
	struct devs_slot *slot = devs_slot(d->devid);

	lockdep_assert_held(&devs_mutex);

	if (!refcount_dec_and_test(&d->refs))
		return;
	xa_erase(&devs, d->devid);
	nr_devs--;
	/* The slot stays empty until a device that hashes to it is created. */
	if (rcu_access_pointer(slot->dev) == d)
		RCU_INIT_POINTER(slot->dev, NULL);
	WRITE_ONCE(slot->nr, slot->nr - 1);
	/* A notify may have found it under RCU just before the erase. */
	kfree_rcu(d, rcu);
}

static int kevent_s390_log_enqueue(struct kevent *k)
{
	struct kevent_event *e = &k->event;
	struct kevent_s390_log_device *d;

	if (e->param != KEVENT_S390_LOG_ANY_DEV &&
	    !kevent_s390_devid_valid(e->param))
		return -EINVAL;
	if (!kevent_s390_log_permitted())
		return -EPERM;

	if (e->param == KEVENT_S390_LOG_ANY_DEV) {
		e->ret_data[0] = 0;
		e->ret_data[1] = 0;
		atomic_long_inc(&nr_requests_any);
		return kevent_storage_enqueue(&any_st, k);
	}

	mutex_lock(&devs_mutex);
	d = device_get(e->param);
	if (IS_ERR(d)) {
		mutex_unlock(&devs_mutex);
		return PTR_ERR(d);
	}
	/* Before attaching: from then on fires write ret_data. */
	e->ret_data[0] = 0;
	e->ret_data[1] = 0;
	atomic_long_inc(&nr_requests_dev);
	kevent_storage_enqueue(&d->st, k);
	mutex_unlock(&devs_mutex);
	return 0;
}

/* The core has detached @k: drop the reference ->enqueue() took. */
static void kevent_s390_log_dequeue(struct kevent *k)
{
	struct kevent_s390_log_device *d;

	if (k->event.param == KEVENT_S390_LOG_ANY_DEV) {
		atomic_long_dec(&nr_requests_any);
		return;
	}

	mutex_lock(&devs_mutex);
	d = xa_load(&devs, k->event.param);
	if (!WARN_ON_ONCE(!d)) {
		atomic_long_dec(&nr_requests_dev);
		device_put(d);
	}
	mutex_unlock(&devs_mutex);
}

/*
 * Record @f in @k's result unless @k already holds a newer one: notifies on
 * different CPUs may reach a storage out of sequence order.  Runs for every
 * matching request, ready or not, under the core's locks, so that a
 * delivery that folds several notifies reports the newest.
 */
static void kevent_s390_log_note(struct kevent *k, void *data)
{
	const struct kevent_s390_log_fire *f = data;

	if (f->seq <= k->event.ret_data[0])
		return;
	k->event.ret_data[0] = f->seq;
	k->event.ret_data[1] = (u64)f->event << 32 | f->devid;
}

static const struct kevent_callbacks kevent_s390_log_cb = {
	.owner = THIS_MODULE,
	.events = KEVENT_S390_EVENTS_ALL,
	.enqueue = kevent_s390_log_enqueue,
	.dequeue = kevent_s390_log_dequeue,
	/*
	 * No ->callback(): every match is ready, and the result is written
	 * by kevent_s390_log_note(), which storage_fire() passes as ready_cb.
	 */
};

/* Fire @st for @f: in batch @b, or alone when @b is NULL. */
static void fire(struct kevent_batch *b, struct kevent_storage *st,
		 struct kevent_s390_log_fire *f)
{
	if (b)
		kevent_batch_ready(b, st, kevent_s390_log_note, f->event, f);
	else
		kevent_storage_ready_data(st, kevent_s390_log_note, f->event,
					  f);
}

/*
 * @devid's storage, or NULL.  Context: any, with interrupts off: the RCU
 * read-side section that keeps what it returns from being freed
 * (kfree_rcu() waits for it since RCU's flavours were merged).
 *
 * A device in devs is counted in its slot from before its storage has a
 * request until after it has none, so a slot that counts no device rules
 * out every id that hashes to it.
 */
static struct kevent_s390_log_device *device_find(u32 devid)
{
	struct devs_slot *slot = devs_slot(devid);
	struct kevent_s390_log_device *d;

	/* Pairs with rcu_assign_pointer() in device_get(). */
	d = rcu_dereference_sched(slot->dev);
	if (d && d->devid == devid)
		return d;
	/*
	 * After the buffer lock: an ADD that must be seen has its count
	 * seen (kevent_s390_log_storage_fire()).
	 */
	if (!READ_ONCE(slot->nr))
		return NULL;
	/* Pairs with xa_insert() in device_get(): @d is initialised. */
	return xa_load(&devs, devid);
}

/*
 * Mark the requests that wait for @f, whose record the caller has stored,
 * in the caller's batch of fires @b, or without one (NULL: a lone fire
 * costs less that way).  Context: any, with interrupts off.
 *
 * Neither storage is looked at under a lock of ours; what an ADD racing
 * with this notify finds is settled by the buffer lock.  ->enqueue()
 * publishes a device storage (xa_insert(), and its slot of devs_cache) and
 * counts a wildcard request before the ADD returns.  A reader that ADDs and
 * then READs either finds this record, or its READ took the buffer lock
 * before kevent_s390_log_buf_store() did: then that unlock (release) and
 * this notify's lock (acquire) make the ADD's stores visible here, and its
 * request is marked.  Either way the reader has the record.
 */
void kevent_s390_log_storage_fire(struct kevent_batch *b,
				  struct kevent_s390_log_fire *f)
{
	struct kevent_s390_log_device *d;

	/* The notify's irq-off section is our RCU read-side section. */
	lockdep_assert_irqs_disabled();
	d = device_find(f->devid);
	if (d)
		fire(b, &d->st, f);
	/*
	 * Most logs have no wildcard request: skip its walk then.  The
	 * count rises before the request is attached and drops after it is
	 * detached, so it is never 0 while one is attached.
	 */
	if (atomic_long_read(&nr_requests_any))
		fire(b, &any_st, f);
}

/* Break the requests that name @devid.  Context: process; sleeps. */
void kevent_s390_log_storage_remove(u32 devid)
{
	struct kevent_s390_log_device *d;

	mutex_lock(&devs_mutex);
	d = xa_load(&devs, devid);
	if (d)
		refcount_inc(&d->refs);
	mutex_unlock(&devs_mutex);
	if (!d)
		return;

	/*
	 * Outside devs_mutex: this waits for a grace period.  Requests added
	 * meanwhile either are broken here or stay, waiting for the device
	 * to come back; both are right.
	 */
	kevent_storage_fini(&d->st);

	mutex_lock(&devs_mutex);
	device_put(d);
	mutex_unlock(&devs_mutex);
}

/*
 * Requests can be added from the moment this returns 0, and each pins the
 * module, even before its init returns: init must not fail after it.
 */
int kevent_s390_log_type_register(void)
{
	return kevent_add_callbacks(&kevent_s390_log_cb, KEVENT_S390_LOG);
}

/* First thing at exit, before what the callbacks use goes. */
void kevent_s390_log_type_unregister(void)
{
	/* Our requests pin this module: none can exist now. */
	WARN_ON(kevent_remove_callbacks(KEVENT_S390_LOG));
}

void kevent_s390_log_storage_stats(struct kevent_s390_log_stats *stats)
{
	stats->requests_dev = atomic_long_read(&nr_requests_dev);
	stats->requests_any = atomic_long_read(&nr_requests_any);
	mutex_lock(&devs_mutex);
	stats->devices = nr_devs;
	mutex_unlock(&devs_mutex);
}

void kevent_s390_log_storage_init(void)
{
	kevent_storage_init(NULL, &any_st);
}

/* The type is unregistered: no request is attached, none can come. */
void kevent_s390_log_storage_exit(void)
{
	kevent_storage_fini(&any_st);
	WARN_ON(!xa_empty(&devs));
	xa_destroy(&devs);
}
