// SPDX-License-Identifier: GPL-2.0
/*
 * KEVENT_IOC_CTL: ADD, REMOVE, MODIFY and READY, in batches.
 *
 * A batch is validated whole before anything is applied, so a malformed
 * batch changes nothing.  Then entries are applied one by one; one that
 * fails changes nothing and says why in its own ret_flags and ret_data[1].
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "trace.h"

static void kevent_entry_fail(struct ukevent *e, int err)
{
	e->ret_flags = KEVENT_RET_BROKEN;
	e->ret_data[1] = -err;
}

/*
 * Tear a request down: detach it from its storage so that no fire can reach
 * it, take it out of the ring or backlog, uncharge and free it.  The caller
 * has taken it out of the id table.
 */
void kevent_unlink(struct kevent_user *u, struct kevent *k)
{
	const struct kevent_callbacks *cb = kevent_type_cb(k->event.type);
	unsigned int type = k->event.type;

	lockdep_assert_held(&u->ctl_mutex);

	trace_kevent_request_remove(k);
	kevent_detach(k);
	if (cb->dequeue)
		cb->dequeue(k);

	/* Also waits for kevent_storage_fini() to be done with k. */
	spin_lock_irq(&u->ready_lock);
	kevent_ring_forget(u, k);
	if (k->state & KEVENT_S_BROKEN)
		u->nr_broken--;
	k->state = KEVENT_S_DEAD;
	spin_unlock_irq(&u->ready_lock);

	kevent_free(k);
	kevent_limit_uncharge(u->limit);
	kevent_type_put(type);
}

void kevent_remove(struct kevent_user *u, struct kevent *k)
{
	lockdep_assert_held(&u->ctl_mutex);

	rb_erase(&k->id_node, &u->ids);
	u->nr_requests--;
	kevent_unlink(u, k);
}

/*
 * Remove the requests whose delivery ended with nothing left to deliver
 * (ONESHOT, broken and reported): the commit path, the reap work, and every
 * ctl before it looks up an id.
 */
void kevent_reap(struct kevent_user *u)
{
	struct kevent *k;

	lockdep_assert_held(&u->ctl_mutex);

	spin_lock_irq(&u->ready_lock);
	while (!list_empty(&u->reap)) {
		k = list_first_entry(&u->reap, struct kevent, ready_entry);
		list_del_init(&k->ready_entry);
		k->state &= ~KEVENT_S_REAP;
		spin_unlock_irq(&u->ready_lock);
		kevent_remove(u, k);
		cond_resched();
		spin_lock_irq(&u->ready_lock);
	}
	spin_unlock_irq(&u->ready_lock);
}

/*
 * Put @k on its queue's repoll list, unless it is pending already (in the
 * ring or backlog: a delivery will come), on the list, or going: true if
 * it was put there.
 */
bool kevent_repoll_add(struct kevent_user *u, struct kevent *k)
{
	lockdep_assert_held(&u->ready_lock);

	if (k->state & (KEVENT_S_READY | KEVENT_S_REPOLL | KEVENT_S_DEAD |
			KEVENT_S_REAP))
		return false;
	k->state |= KEVENT_S_REPOLL;
	list_add_tail(&k->ready_entry, &u->repoll);
	WRITE_ONCE(u->nr_repoll, u->nr_repoll + 1);
	return true;
}

/**
 * kevent_repoll() - a source must be asked again about @k, in its consumer's
 *	context
 * @k: a request of a type with ->rearm()
 *
 * For a wakeup that says nothing of what happened, or one that cannot be
 * acted on where it arrives.  The consumer's next WAIT, GET_EVENTS, CTL,
 * COMMIT or INFO calls ->rearm(@k); a consumer asleep in WAIT or
 * GET_EVENTS is woken to do it, and poll() reports the queue readable.
 *
 * Context: any; takes the ready lock with irqsave.
 */
void kevent_repoll(struct kevent *k)
{
	struct kevent_user *u = k->user;
	unsigned long flags;
	bool added;

	spin_lock_irqsave(&u->ready_lock, flags);
	added = kevent_repoll_add(u, k);
	spin_unlock_irqrestore(&u->ready_lock, flags);
	if (!added)
		return;
	/* Not inside a wakeup of this very queue: see kevent_in_wake(). */
	if (kevent_in_wake())
		queue_work(kevent_wq, &u->wake_work);
	else
		kevent_wake(u);
}

/*
 * Ask the sources of the requests on the repoll list again; the caller is
 * the queue's consumer, in its own context.
 */
void kevent_repoll_run(struct kevent_user *u)
{
	struct kevent *k;

	lockdep_assert_held(&u->ctl_mutex);

	if (!READ_ONCE(u->nr_repoll))
		return;
	spin_lock_irq(&u->ready_lock);
	while (!list_empty(&u->repoll)) {
		k = list_first_entry(&u->repoll, struct kevent, ready_entry);
		kevent_repoll_del(u, k);
		spin_unlock_irq(&u->ready_lock);
		/* ctl_mutex keeps @k: only removal frees it. */
		kevent_type_cb(k->event.type)->rearm(k);
		cond_resched();
		spin_lock_irq(&u->ready_lock);
	}
	spin_unlock_irq(&u->ready_lock);
}

/*
 * The id table is an rbtree, as epoll's is: its node lives in the request,
 * so a request costs its 128 bytes and nothing more.  Lookups are O(log n)
 * on the ctl path only; fires never look up ids.
 */
static struct kevent *kevent_lookup(struct kevent_user *u, u64 id)
{
	struct rb_node *n = u->ids.rb_node;
	struct kevent *k;

	lockdep_assert_held(&u->ctl_mutex);

	while (n) {
		k = rb_entry(n, struct kevent, id_node);
		if (id < k->event.id)
			n = n->rb_left;
		else if (id > k->event.id)
			n = n->rb_right;
		else
			return k;
	}
	return NULL;
}

static int kevent_ids_insert(struct kevent_user *u, struct kevent *k)
{
	struct rb_node **p = &u->ids.rb_node, *parent = NULL;
	u64 id = k->event.id;
	struct kevent *o;

	lockdep_assert_held(&u->ctl_mutex);

	while (*p) {
		parent = *p;
		o = rb_entry(parent, struct kevent, id_node);
		if (id < o->event.id)
			p = &parent->rb_left;
		else if (id > o->event.id)
			p = &parent->rb_right;
		else
			return -EEXIST;
	}
	rb_link_node(&k->id_node, parent, p);
	rb_insert_color(&k->id_node, &u->ids);
	return 0;
}

/* The kernel's copy of a checked entry: kevent_check_entry() said it fits. */
static void kevent_event_from_user(struct kevent_event *ke,
				   const struct ukevent *e)
{
	BUILD_BUG_ON(KEVENT_TYPE_MAX - 1 > U16_MAX);
	BUILD_BUG_ON(KEVENT_REQ_ALL > U8_MAX);
	BUILD_BUG_ON((KEVENT_RET_BROKEN | KEVENT_RET_DONE |
		      KEVENT_RET_COALESCED) > U8_MAX);

	ke->id = e->id;
	ke->param = e->param;
	/* Results are ours to write: nothing userspace left there survives. */
	ke->ret_data[0] = 0;
	ke->ret_data[1] = 0;
	ke->user = e->user;
	ke->event = e->event;
	ke->type = e->type;
	ke->req_flags = e->req_flags;
	ke->ret_flags = 0;
}

/* Returns 1 when @e must be copied back (ready at once, or failed). */
static int kevent_add(struct kevent_user *u, struct ukevent *e)
{
	const struct kevent_callbacks *cb;
	struct kevent *k;
	int err;

	cb = kevent_type_get(e->type);
	if (!cb) {
		err = -EOPNOTSUPP;
		goto err;
	}
	if (cb->events && (e->event & ~cb->events)) {
		err = -EINVAL;
		goto err_type;
	}
	err = kevent_limit_charge(u->limit);
	if (err)
		goto err_type;
	k = kevent_alloc(cb->priv_size);
	if (!k) {
		err = -ENOMEM;
		goto err_limit;
	}
	k->user = u;
	kevent_event_from_user(&k->event, e);
	INIT_LIST_HEAD(&k->storage_entry);
	INIT_LIST_HEAD(&k->ready_entry);

	err = kevent_ids_insert(u, k);
	if (err)
		goto err_free;
	u->nr_requests++;

	err = cb->enqueue(k);
	if (err < 0)
		goto err_ids;
	trace_kevent_request_add(u, e, err > 0);
	if (err == 0)
		return 0;

	/* Ready at once. */
	if (e->req_flags & KEVENT_REQ_ALWAYS_QUEUE) {
		spin_lock_irq(&u->ready_lock);
		kevent_mark_ready(k);
		spin_unlock_irq(&u->ready_lock);
		kevent_wake(u);
		return 0;
	}
	e->ret_data[0] = k->event.ret_data[0];
	e->ret_data[1] = k->event.ret_data[1];
	e->ret_flags = KEVENT_RET_DONE;
	if (e->req_flags & KEVENT_REQ_ONESHOT) {
		kevent_remove(u, k);
	} else if (kevent_asks_again(k)) {
		/* Delivered by the copy-back: level asks again, as after any. */
		spin_lock_irq(&u->ready_lock);
		kevent_repoll_add(u, k);
		spin_unlock_irq(&u->ready_lock);
	}
	return 1;

err_ids:
	/* ->enqueue() failed, so it attached nothing and ->dequeue() must not run. */
	rb_erase(&k->id_node, &u->ids);
	u->nr_requests--;
err_free:
	kevent_free(k);
err_limit:
	kevent_limit_uncharge(u->limit);
err_type:
	kevent_type_put(e->type);
err:
	trace_kevent_request_add(u, e, err);
	kevent_entry_fail(e, err);
	return 1;
}

static void kevent_modify(struct kevent_user *u, struct ukevent *e)
{
	unsigned long flags;
	struct kevent *k;
	u32 events;

	k = kevent_lookup(u, e->id);
	if (!k)
		return kevent_entry_fail(e, -ENOENT);
	if (k->event.type != e->type)
		return kevent_entry_fail(e, -EINVAL);
	events = kevent_type_cb(k->event.type)->events;
	if (events && (e->event & ~events))
		return kevent_entry_fail(e, -EINVAL);

	/*
	 * Fires read these under the ready lock; the mask also before it,
	 * as a hint they check again (kevent_storage_ready_data()).
	 */
	spin_lock_irqsave(&u->ready_lock, flags);
	WRITE_ONCE(k->event.event, e->event);
	k->event.req_flags = e->req_flags;
	k->event.user = e->user;
	spin_unlock_irqrestore(&u->ready_lock, flags);
	e->ret_flags = KEVENT_RET_DONE;
}

static void kevent_apply(struct kevent_user *u, u32 cmd, struct ukevent *e)
{
	struct kevent *k;
	int err;

	switch (cmd) {
	case KEVENT_CTL_REMOVE:
		k = kevent_lookup(u, e->id);
		if (!k)
			return kevent_entry_fail(e, -ENOENT);
		kevent_remove(u, k);
		e->ret_flags = KEVENT_RET_DONE;
		return;
	case KEVENT_CTL_MODIFY:
		return kevent_modify(u, e);
	case KEVENT_CTL_READY:
		k = kevent_lookup(u, e->id);
		if (!k)
			return kevent_entry_fail(e, -ENOENT);
		err = kevent_unotify_ready(u, k, e->param);
		if (err)
			return kevent_entry_fail(e, err);
		e->ret_flags = KEVENT_RET_DONE;
		return;
	}
}

static int kevent_check_entry(u32 cmd, const struct ukevent *e)
{
	if (e->__reserved || (e->req_flags & ~KEVENT_REQ_ALL))
		return -EINVAL;
	if ((e->req_flags & KEVENT_REQ_ONESHOT) &&
	    (e->req_flags & KEVENT_REQ_ET))
		return -EINVAL;
	if (e->type >= KEVENT_TYPE_MAX)
		return -EINVAL;
	if ((cmd == KEVENT_CTL_ADD || cmd == KEVENT_CTL_MODIFY) && !e->event)
		return -EINVAL;
	if (cmd == KEVENT_CTL_ADD && !kevent_type_known(e->type))
		return -EOPNOTSUPP;
	return 0;
}

int kevent_ioc_ctl(struct kevent_user *u, void __user *arg)
{
	struct kevent_ctl ctl;
	struct ukevent *ev;
	void __user *uev;
	size_t bytes;
	u32 i, out = 0;
	int err;

	if (copy_from_user(&ctl, arg, sizeof(ctl)))
		return -EFAULT;
	if (ctl.flags || ctl.__reserved || ctl.cmd > KEVENT_CTL_READY)
		return -EINVAL;
	if (ctl.num > KEVENT_CTL_MAX)
		return -E2BIG;
	if (!ctl.num) {
		if (ctl.cmd != KEVENT_CTL_READY)
			return -EINVAL;
		/* READY with nothing: wake the waiters, until one returns. */
		spin_lock_irq(&u->ready_lock);
		WRITE_ONCE(u->wake_seq, u->wake_seq + 1);
		spin_unlock_irq(&u->ready_lock);
		kevent_wake(u);
		return 0;
	}

	bytes = (size_t)ctl.num * sizeof(*ev);
	uev = kevent_uptr(ctl.events);
	ev = memdup_user(uev, bytes);
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	/* Results are copied back: fail now, not after applying. */
	if (copy_to_user(uev, ev, bytes)) {
		err = -EFAULT;
		goto out;
	}
	for (i = 0; i < ctl.num; i++) {
		err = kevent_check_entry(ctl.cmd, &ev[i]);
		if (err)
			goto out;
		ev[i].ret_flags = 0;
	}

	mutex_lock(&u->ctl_mutex);
	/* Head mode: what the consumer gave back is gone before ids are used. */
	kevent_ring_take_head(u, false);
	kevent_reap(u);
	kevent_repoll_run(u);
	for (i = 0; i < ctl.num; i++) {
		if (ctl.cmd != KEVENT_CTL_ADD) {
			kevent_apply(u, ctl.cmd, &ev[i]);
			continue;
		}
		/* ADD: pack what comes back at the front. */
		if (kevent_add(u, &ev[i]))
			ev[out++] = ev[i];
	}
	mutex_unlock(&u->ctl_mutex);

	if (ctl.cmd != KEVENT_CTL_ADD)
		out = ctl.num;
	err = out;
	if (out && copy_to_user(uev, ev, (size_t)out * sizeof(*ev)))
		err = -EFAULT;
out:
	kfree(ev);
	return err;
}
