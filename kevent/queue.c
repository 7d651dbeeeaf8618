// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/kevent: one queue per open file, and its ioctls, poll and mmap.
 */
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

/* Hard cap: 2^20 entries is 64 MiB of ring. */
#define KEVENT_RING_ENTRIES_LIMIT	BIT(20)

unsigned int kevent_max_ring_entries = 65536;
module_param_named(max_ring_entries, kevent_max_ring_entries, uint, 0644);
MODULE_PARM_DESC(max_ring_entries, "Largest ring a queue may have (entries)");

struct workqueue_struct *kevent_wq;

/* The last queue number given out (struct kevent_user @qid). */
static atomic64_t kevent_qids = ATOMIC64_INIT(0);

/* Head mode: remove what a fire gave back (kevent_ring_settle() etc.). */
static void kevent_reap_work(struct work_struct *work)
{
	struct kevent_user *u = container_of(work, struct kevent_user,
					     reap_work);

	mutex_lock(&u->ctl_mutex);
	kevent_reap(u);
	mutex_unlock(&u->ctl_mutex);
}

/* Wake the queue for its repoll list, outside any wakeup of it. */
static void kevent_wake_work(struct work_struct *work)
{
	kevent_wake(container_of(work, struct kevent_user, wake_work));
}

/* The consumer's call: ask the sources on the repoll list again. */
static void kevent_repoll_sync(struct kevent_user *u)
{
	if (!READ_ONCE(u->nr_repoll))
		return;
	mutex_lock(&u->ctl_mutex);
	kevent_repoll_run(u);
	mutex_unlock(&u->ctl_mutex);
}

static int kevent_open(struct inode *inode, struct file *file)
{
	struct kevent_user *u;

	u = kzalloc(sizeof(*u), GFP_KERNEL_ACCOUNT);
	if (!u)
		return -ENOMEM;
	mutex_init(&u->ctl_mutex);
	spin_lock_init(&u->ready_lock);
	init_waitqueue_head(&u->wq);
	INIT_LIST_HEAD(&u->backlog);
	INIT_LIST_HEAD(&u->reap);
	INIT_WORK(&u->reap_work, kevent_reap_work);
	INIT_LIST_HEAD(&u->repoll);
	INIT_WORK(&u->wake_work, kevent_wake_work);
	kevent_storage_init(u, &u->unotify);
	u->ids = RB_ROOT;
	u->qid = atomic64_inc_return(&kevent_qids);

	u->limit = kevent_limit_get(file->f_cred->euid);
	if (!u->limit) {
		kfree(u);
		return -ENOMEM;
	}
	file->private_data = u;
	return nonseekable_open(inode, file);
}

static void kevent_free_user(struct work_struct *work)
{
	struct kevent_user *u = container_of(to_rcu_work(work),
					     struct kevent_user, free_work);

	kevent_ring_destroy(&u->ring);
	kevent_limit_uncharge_pages(u->limit, u->ring_pages);
	kevent_limit_put(u->limit);
	kfree(u);
}

static int kevent_release(struct inode *inode, struct file *file)
{
	struct kevent_user *u = file->private_data;
	struct kevent *k, *tmp;

	mutex_lock(&u->ctl_mutex);
	/* Post-order: each node is done with before it is freed. */
	rbtree_postorder_for_each_entry_safe(k, tmp, &u->ids, id_node) {
		kevent_unlink(u, k);
		cond_resched();
	}
	u->ids = RB_ROOT;
	u->nr_requests = 0;
	mutex_unlock(&u->ctl_mutex);
	/*
	 * No request is left to queue the reap work again: every one was
	 * detached from its storage above.
	 */
	cancel_work_sync(&u->reap_work);
	cancel_work_sync(&u->wake_work);

	/*
	 * A storage being torn down may still be waking us under its lock,
	 * after it detached our last request: free after a grace period.
	 */
	INIT_RCU_WORK(&u->free_work, kevent_free_user);
	queue_rcu_work(kevent_wq, &u->free_work);
	return 0;
}

static int kevent_ioc_init(struct kevent_user *u, void __user *arg)
{
	struct kevent_init in;
	u32 entries;
	int err;

	if (copy_from_user(&in, arg, sizeof(in)))
		return -EFAULT;
	if ((in.flags & ~KEVENT_INIT_ALL) || in.__reserved0 ||
	    in.__reserved[0] || in.__reserved[1])
		return -EINVAL;
	if (!in.ring_entries)
		return -EINVAL;
	if (in.ring_entries > min(READ_ONCE(kevent_max_ring_entries),
				  KEVENT_RING_ENTRIES_LIMIT))
		return -E2BIG;
	/* The answer is copied back: fail now, not after creating the ring. */
	if (copy_to_user(arg, &in, sizeof(in)))
		return -EFAULT;
	entries = roundup_pow_of_two(in.ring_entries);

	mutex_lock(&u->ctl_mutex);
	if (u->ready) {
		err = -EBUSY;
		goto out;
	}
	err = kevent_limit_charge_pages(u->limit, kevent_ring_pages(entries));
	if (err)
		goto out;
	u->head_commits = in.flags & KEVENT_INIT_HEAD_COMMITS;
	err = kevent_ring_create(&u->ring, entries, u->head_commits);
	if (err) {
		kevent_limit_uncharge_pages(u->limit,
					    kevent_ring_pages(entries));
		goto out;
	}
	/* Uncharged when the pages are freed, after close and munmap. */
	u->ring_pages = kevent_ring_pages(entries);
	/* Pairs with smp_load_acquire(&u->ready) in kevent_ready(). */
	smp_store_release(&u->ready, true);
out:
	mutex_unlock(&u->ctl_mutex);
	if (err)
		return err;

	in.ring_entries = entries;
	in.entry_size = sizeof(struct ukevent);
	in.cons_off = KEVENT_OFF_CONS;
	in.cons_len = PAGE_SIZE;
	in.prod_off = KEVENT_OFF_PROD;
	in.prod_len = (u64)(u->ring.nr_pages - 1) << PAGE_SHIFT;
	in.entries_off = PAGE_SIZE;
	if (copy_to_user(arg, &in, sizeof(in)))
		return -EFAULT;
	return 0;
}

static bool kevent_ready(struct kevent_user *u)
{
	/* Pairs with smp_store_release(&u->ready) in kevent_ioc_init(). */
	return smp_load_acquire(&u->ready);
}

/* The absolute CLOCK_MONOTONIC deadline of a wait, or KTIME_MAX. */
static int kevent_deadline(const struct __kernel_timespec *uts, u32 flags,
			   ktime_t *deadline)
{
	struct timespec64 ts;

	if (flags & ~KEVENT_FLAGS_ALL)
		return -EINVAL;
	if (flags & KEVENT_FLAGS_INFINITE) {
		*deadline = KTIME_MAX;
		return 0;
	}
	ts.tv_sec = uts->tv_sec;
	ts.tv_nsec = uts->tv_nsec;
	if (!timespec64_valid(&ts))
		return -EINVAL;
	*deadline = timespec64_to_ktime(ts);
	if (!(flags & KEVENT_FLAGS_ABSTIME))
		*deadline = ktime_add_safe(ktime_get(), *deadline);
	return 0;
}

/* Entries past @from, by the kernel's tail. */
static u32 kevent_avail(struct kevent_user *u, u32 from)
{
	return READ_ONCE(u->ring.tail) - from;
}

/**
 * struct kevent_waiter - what a sleeper in WAIT or GET_EVENTS waits for
 * @from: count entries from this index...
 * @from_committed: ...or from the committed index, as it moves
 * @num: wake when this many entries are there, or when a READY without
 *	entries moves wake_seq away from...
 * @seq: ...this value: wake_acked when the wait began, so that a READY
 *	made before it, and not consumed yet, ends it at once
 */
struct kevent_waiter {
	u32 from;
	bool from_committed;
	u32 num;
	unsigned int seq;
};

static bool kevent_waiter_done(struct kevent_user *u,
			       const struct kevent_waiter *w)
{
	u32 from = w->from_committed ? READ_ONCE(u->ring.committed) : w->from;

	return kevent_avail(u, from) >= w->num ||
	       READ_ONCE(u->wake_seq) != w->seq;
}

/*
 * A WAIT, GET_EVENTS or COMMIT returns: a pending READY 0 is consumed.  The
 * lock only when one is pending: this runs on every commit.  A READY 0 that
 * the unlocked check misses came with this call, and stays for the next.
 */
static void kevent_ack_wake(struct kevent_user *u)
{
	if (READ_ONCE(u->wake_seq) == READ_ONCE(u->wake_acked))
		return;
	spin_lock_irq(&u->ready_lock);
	WRITE_ONCE(u->wake_acked, u->wake_seq);
	spin_unlock_irq(&u->ready_lock);
}

/**
 * struct kevent_sleeper - a task sleeping in kevent_sleep()
 * @entry: on the queue's wait queue
 * @u: the queue
 * @w: what the task waits for
 */
struct kevent_sleeper {
	struct wait_queue_entry entry;
	struct kevent_user *u;
	const struct kevent_waiter *w;
};

/*
 * Wake the sleeper only once what it waits for is there: a WAIT for 32
 * entries must not be woken, and go back to sleep, 31 times.  The waker has
 * just moved the ring or wake_seq itself, and every mover wakes after its
 * move (kevent_wake()), so the last one sees the state that satisfies us.
 */
static int kevent_sleeper_wake(struct wait_queue_entry *entry,
			       unsigned int mode, int sync, void *key)
{
	struct kevent_sleeper *s = container_of(entry, struct kevent_sleeper,
						entry);

	/* A repoll list to work off is a reason to wake, too. */
	if (!kevent_waiter_done(s->u, s->w) && !READ_ONCE(s->u->nr_repoll))
		return 0;
	return autoremove_wake_function(entry, mode, sync, key);
}

/*
 * Sleep until @w is satisfied (1), the deadline passes (0) or a signal
 * arrives (-EINTR).
 */
static int kevent_sleep(struct kevent_user *u, const struct kevent_waiter *w,
			ktime_t deadline)
{
	struct kevent_sleeper s = { .u = u, .w = w };
	int ret;

	/*
	 * Counted before we look at the ring: a fire that queues after this
	 * sees the count under the ready lock and wakes us; one that queued
	 * before it is seen by our check below (kevent_waiters()).
	 */
	spin_lock_irq(&u->ready_lock);
	u->nr_sleepers++;
	spin_unlock_irq(&u->ready_lock);
	init_wait(&s.entry);
	s.entry.func = kevent_sleeper_wake;
	for (;;) {
		prepare_to_wait(&u->wq, &s.entry, TASK_INTERRUPTIBLE);
		/* Sources to ask again, here, in the consumer's context. */
		if (READ_ONCE(u->nr_repoll)) {
			__set_current_state(TASK_RUNNING);
			kevent_repoll_sync(u);
			continue;
		}
		if (kevent_waiter_done(u, w)) {
			ret = 1;
			break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (!schedule_hrtimeout_range(deadline == KTIME_MAX ?
					      NULL : &deadline,
					      current->timer_slack_ns,
					      HRTIMER_MODE_ABS)) {
			ret = kevent_waiter_done(u, w);
			break;
		}
	}
	finish_wait(&u->wq, &s.entry);
	spin_lock_irq(&u->ready_lock);
	u->nr_sleepers--;
	spin_unlock_irq(&u->ready_lock);
	return ret;
}

static int kevent_ioc_wait(struct kevent_user *u, void __user *arg)
{
	struct kevent_waiter waiter = {};
	struct kevent_wait w;
	ktime_t deadline;
	u32 committed, tail;
	int err;

	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	if (w.__reserved || w.num > u->ring.mask + 1)
		return -EINVAL;
	err = kevent_deadline(&w.timeout, w.flags, &deadline);
	if (err)
		return err;

	kevent_ring_take_head(u, false);
	kevent_repoll_sync(u);
	spin_lock_irq(&u->ready_lock);
	committed = u->ring.committed;
	tail = u->ring.tail;
	waiter.seq = u->wake_acked;
	spin_unlock_irq(&u->ready_lock);
	if (!kevent_ring_index_valid(committed, tail, w.old_uidx))
		return -EINVAL;
	if (w.num) {
		waiter.from = w.old_uidx;
		waiter.num = w.num;
		err = kevent_sleep(u, &waiter, deadline);
		if (err < 0)
			return err;
	}
	kevent_ack_wake(u);
	return kevent_avail(u, w.old_uidx);
}

static int kevent_ioc_commit(struct kevent_user *u, void __user *arg)
{
	struct kevent_commit c;
	int ret;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (c.flags)
		return -EINVAL;
	mutex_lock(&u->ctl_mutex);
	kevent_ring_take_head(u, false);
	ret = kevent_ring_commit(u, c.new_uidx);
	kevent_repoll_run(u);
	mutex_unlock(&u->ctl_mutex);
	if (ret >= 0)
		kevent_ack_wake(u);
	return ret;
}

/* Copy @n entries from slot index @from to @buf. */
static int kevent_copy_entries(struct kevent_user *u, struct ukevent __user *buf,
			       u32 from, u32 n)
{
	struct kevent_ready_ring *ring = &u->ring;
	u32 first = from & ring->mask;
	u32 chunk = kevent_ring_chunk(from, n, ring->mask);

	if (copy_to_user(buf, &ring->entries[first], chunk * sizeof(*buf)))
		return -EFAULT;
	if (chunk < n &&
	    copy_to_user(buf + chunk, &ring->entries[0],
			 (n - chunk) * sizeof(*buf)))
		return -EFAULT;
	return 0;
}

static int kevent_ioc_get_events(struct kevent_user *u, void __user *arg)
{
	struct kevent_waiter waiter = {};
	struct kevent_get_events g;
	struct ukevent __user *buf;
	u32 committed, tail, n;
	ktime_t deadline;
	int err;

	if (copy_from_user(&g, arg, sizeof(g)))
		return -EFAULT;
	if (g.__reserved || !g.max_nr || g.min_nr > g.max_nr ||
	    g.min_nr > u->ring.mask + 1)
		return -EINVAL;
	err = kevent_deadline(&g.timeout, g.flags, &deadline);
	if (err)
		return err;
	buf = kevent_uptr(g.buf);

	waiter.from_committed = true;
	waiter.num = g.min_nr;
	kevent_ring_take_head(u, false);
	kevent_repoll_sync(u);
	spin_lock_irq(&u->ready_lock);
	waiter.seq = u->wake_acked;
	spin_unlock_irq(&u->ready_lock);
	err = kevent_sleep(u, &waiter, deadline);
	if (err < 0)
		return err;

	mutex_lock(&u->ctl_mutex);
	/* Slots in [committed, tail) are stable until we commit them. */
	spin_lock_irq(&u->ready_lock);
	committed = u->ring.committed;
	tail = u->ring.tail;
	spin_unlock_irq(&u->ready_lock);
	n = min(g.max_nr, tail - committed);
	err = kevent_copy_entries(u, buf, committed, n);
	if (!err && n) {
		err = kevent_ring_commit(u, committed + n);
		/* Head mode: the consumer's head was taken back past them. */
		if (err == -EINVAL && u->head_commits)
			err = 0;
	}
	/*
	 * Not asked again here: the caller has not seen these entries yet,
	 * and a level file it is about to read would be delivered twice.
	 * Its next call asks.
	 */
	mutex_unlock(&u->ctl_mutex);
	if (err < 0)
		return err;
	kevent_ack_wake(u);
	return n;
}

static void kevent_get_info(struct kevent_user *u, struct kevent_info *info)
{
	memset(info, 0, sizeof(*info));
	spin_lock_irq(&u->ready_lock);
	info->ring_entries = u->ring.mask + 1;
	info->tail = u->ring.tail;
	info->committed = u->ring.committed;
	info->backlog = u->nr_backlog;
	info->broken = u->nr_broken;
	spin_unlock_irq(&u->ready_lock);
	info->requests = READ_ONCE(u->nr_requests);
}

static int kevent_ioc_info(struct kevent_user *u, void __user *arg)
{
	struct kevent_info info;

	/* Head mode: the state once what the consumer gave back is gone. */
	mutex_lock(&u->ctl_mutex);
	if (u->head_commits) {
		kevent_ring_take_head(u, false);
		kevent_reap(u);
	}
	kevent_repoll_run(u);
	mutex_unlock(&u->ctl_mutex);

	kevent_get_info(u, &info);
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long kevent_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct kevent_user *u = file->private_data;
	void __user *argp = (void __user *)arg;

	if (cmd == KEVENT_IOC_INIT)
		return kevent_ioc_init(u, argp);

	switch (cmd) {
	case KEVENT_IOC_CTL:
	case KEVENT_IOC_WAIT:
	case KEVENT_IOC_COMMIT:
	case KEVENT_IOC_GET_EVENTS:
	case KEVENT_IOC_INFO:
		if (!kevent_ready(u))
			return -EBADFD;
		break;
	default:
		return -ENOTTY;
	}

	switch (cmd) {
	case KEVENT_IOC_CTL:
		return kevent_ioc_ctl(u, argp);
	case KEVENT_IOC_WAIT:
		return kevent_ioc_wait(u, argp);
	case KEVENT_IOC_COMMIT:
		return kevent_ioc_commit(u, argp);
	case KEVENT_IOC_GET_EVENTS:
		return kevent_ioc_get_events(u, argp);
	default:
		return kevent_ioc_info(u, argp);
	}
}

static __poll_t kevent_poll(struct file *file, poll_table *pt)
{
	struct kevent_user *u = file->private_data;
	bool readable;

	poll_wait(file, &u->wq, pt);
	/*
	 * From now on every fire wakes through kevent_wake(): it reads the
	 * flag under the ready lock, which we take below before reading the
	 * queue (kevent_waiters()).
	 */
	WRITE_ONCE(u->polled, true);
	/* Waiter added before the ring is read: pairs with kevent_wake(). */
	smp_mb();
	if (!kevent_ready(u))
		return 0;
	/* What the head gave back, re-queued and moved in, is what counts. */
	kevent_ring_take_head(u, true);
	spin_lock_irq(&u->ready_lock);
	readable = kevent_ring_unread(u) || u->nr_backlog ||
		   u->wake_seq != u->wake_acked || u->nr_repoll;
	spin_unlock_irq(&u->ready_lock);
	return readable ? EPOLLIN | EPOLLRDNORM : 0;
}

static int kevent_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kevent_user *u = file->private_data;

	if (!kevent_ready(u))
		return -EBADFD;
	return kevent_ring_mmap(&u->ring, vma);
}

static void kevent_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kevent_user *u = file->private_data;
	struct kevent_info info;

	if (!kevent_ready(u))
		return;
	kevent_get_info(u, &info);
	seq_printf(m, "kevent-ring-entries:\t%u\n", info.ring_entries);
	seq_printf(m, "kevent-tail:\t%u\n", info.tail);
	seq_printf(m, "kevent-committed:\t%u\n", info.committed);
	seq_printf(m, "kevent-backlog:\t%u\n", info.backlog);
	seq_printf(m, "kevent-requests:\t%llu\n", info.requests);
	seq_printf(m, "kevent-broken:\t%llu\n", info.broken);
	seq_printf(m, "kevent-queue:\t%llu\n", u->qid);
}

static const struct file_operations kevent_fops = {
	.owner = THIS_MODULE,
	.open = kevent_open,
	.release = kevent_release,
	.unlocked_ioctl = kevent_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = kevent_poll,
	.mmap = kevent_mmap,
	.show_fdinfo = kevent_show_fdinfo,
};

/* Is @file a kevent queue?  KEVENT_POLL refuses to watch one. */
bool kevent_file_is_queue(const struct file *file)
{
	return file->f_op == &kevent_fops;
}

static struct miscdevice kevent_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kevent",
	.fops = &kevent_fops,
	.mode = 0666,
};

int kevent_queue_init(void)
{
	return misc_register(&kevent_misc);
}

void kevent_queue_exit(void)
{
	misc_deregister(&kevent_misc);
}
