// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_UNOTIFY: requests that userspace marks ready itself, through
 * KEVENT_CTL_READY, so that one thread can wake or feed another.
 *
 * ret_data[0] counts the READYs the request has received since it was
 * added; ret_data[1] is the param of the latest one.
 */
#include <linux/module.h>

#include "internal.h"

static int kevent_unotify_enqueue(struct kevent *k)
{
	return kevent_storage_enqueue(&k->user->unotify, k);
}

/* Nothing fires the storage itself (a READY marks one request): no ->callback(). */
static const struct kevent_callbacks kevent_unotify_cb = {
	.owner = THIS_MODULE,
	.enqueue = kevent_unotify_enqueue,
};

int kevent_unotify_ready(struct kevent_user *u, struct kevent *k, u64 param)
{
	struct kevent_storage *st = &u->unotify;
	unsigned long flags;

	lockdep_assert_held(&u->ctl_mutex);

	if (k->event.type != KEVENT_UNOTIFY)
		return -EINVAL;

	spin_lock_irqsave(&st->lock, flags);
	spin_lock(&u->ready_lock);
	k->event.ret_data[0]++;
	k->event.ret_data[1] = param;
	kevent_mark_ready(k);
	spin_unlock(&u->ready_lock);
	spin_unlock_irqrestore(&st->lock, flags);
	kevent_wake(u);
	return 0;
}

int kevent_unotify_init(void)
{
	return kevent_add_callbacks(&kevent_unotify_cb, KEVENT_UNOTIFY);
}

void kevent_unotify_exit(void)
{
	WARN_ON(kevent_remove_callbacks(KEVENT_UNOTIFY));
}
