// SPDX-License-Identifier: GPL-2.0
/*
 * The type table: which source provides each request type.
 *
 * A request holds a reference on its type for its whole life: a count here
 * and a reference on the provider's module.  So a provider cannot go away
 * while requests of its type exist, and kevent_type_cb() needs no lock for a
 * request's own type.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>

#include "internal.h"

struct kevent_type kevent_types[KEVENT_TYPE_MAX];

/* Serialises kevent_add_callbacks() and kevent_remove_callbacks(). */
static DEFINE_MUTEX(kevent_types_mutex);

bool kevent_type_known(unsigned int type)
{
	return type < KEVENT_TYPE_MAX && READ_ONCE(kevent_types[type].open);
}

/*
 * Take a reference on @type for a new request.  Returns its callbacks, or
 * NULL when the type has no provider now.
 */
const struct kevent_callbacks *kevent_type_get(unsigned int type)
{
	const struct kevent_callbacks *cb = NULL;
	struct kevent_type *t;

	if (type >= KEVENT_TYPE_MAX)
		return NULL;
	t = &kevent_types[type];

	/* Pairs with synchronize_rcu() in kevent_remove_callbacks(). */
	rcu_read_lock();
	if (READ_ONCE(t->open)) {
		cb = READ_ONCE(t->cb);
		if (cb && try_module_get(cb->owner))
			atomic_long_inc(&t->nr);
		else
			cb = NULL;
	}
	rcu_read_unlock();
	return cb;
}

void kevent_type_put(unsigned int type)
{
	struct kevent_type *t = &kevent_types[type];
	struct module *owner = READ_ONCE(t->cb)->owner;

	atomic_long_dec(&t->nr);
	module_put(owner);
}

/**
 * kevent_add_callbacks() - provide a request type
 * @cb: the callbacks; ->enqueue is required.  Must stay
 *	valid until kevent_remove_callbacks() succeeds.
 * @type: a KEVENT_* type number from the uapi header, or one of its
 *	unstable range (KEVENT_TYPE_UNSTABLE_FIRST to _LAST) for a test or
 *	benchmark source
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a bad type, an incomplete @cb or a priv_size above
 * KEVENT_PRIV_MAX, -EBUSY if the type already has a provider.
 */
int kevent_add_callbacks(const struct kevent_callbacks *cb, unsigned int type)
{
	struct kevent_type *t;
	int err = 0;

	if (type >= KEVENT_TYPE_MAX || !cb || !cb->enqueue ||
	    cb->priv_size > KEVENT_PRIV_MAX)
		return -EINVAL;
	t = &kevent_types[type];

	mutex_lock(&kevent_types_mutex);
	if (t->cb) {
		err = -EBUSY;
	} else {
		WRITE_ONCE(t->cb, cb);
		/* Pairs with READ_ONCE(t->open) in kevent_type_get(). */
		smp_store_release(&t->open, true);
	}
	mutex_unlock(&kevent_types_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(kevent_add_callbacks);

/**
 * kevent_remove_callbacks() - withdraw a request type
 * @type: the type given to kevent_add_callbacks()
 *
 * Requests of the type pin its provider's module, so from a module's exit
 * path this always succeeds.
 *
 * Context: process context; sleeps for an RCU grace period.
 * Return: 0, -EINVAL if @type has no provider, -EBUSY while requests of the
 * type exist.
 */
int kevent_remove_callbacks(unsigned int type)
{
	struct kevent_type *t;
	int err = 0;

	if (type >= KEVENT_TYPE_MAX)
		return -EINVAL;
	t = &kevent_types[type];

	mutex_lock(&kevent_types_mutex);
	if (!t->cb) {
		err = -EINVAL;
		goto out;
	}
	if (atomic_long_read(&t->nr)) {
		err = -EBUSY;
		goto out;
	}
	WRITE_ONCE(t->open, false);
	/* After this, no kevent_type_get() can still see the type open. */
	synchronize_rcu();
	if (atomic_long_read(&t->nr)) {
		WRITE_ONCE(t->open, true);
		err = -EBUSY;
		goto out;
	}
	WRITE_ONCE(t->cb, NULL);
out:
	mutex_unlock(&kevent_types_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(kevent_remove_callbacks);

void kevent_types_exit(void)
{
	unsigned int i;

	for (i = 0; i < KEVENT_TYPE_MAX; i++)
		WARN_ON(atomic_long_read(&kevent_types[i].nr));
}
