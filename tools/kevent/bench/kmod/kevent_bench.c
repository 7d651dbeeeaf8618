// SPDX-License-Identifier: GPL-2.0
/*
 * kevent_bench: one in-kernel producer for every mechanism the benchmark
 * compares (tools/kevent/bench, Documentation/bench.rst).
 *
 * The same loop fires one event at a time through kevent
 * (kevent_storage_ready_data() on a KEVENT_BENCH storage), the s390 log
 * (kevent_s390_log_notify()), a generic netlink multicast, a KOBJ_CHANGE
 * uevent or eventfd_signal(), from a kthread or from hrtimer hardirq
 * context, with flow control against a counter the consumers publish in a
 * shared page.  A second entry point times bursts of notifies from 1 to 8
 * CPUs at once.  Interface: kevent/kevent_bench.h.
 *
 * Locking: kb_run_mutex serialises starting, stopping and reaping the one
 * producer run; the producer itself takes no lock of ours.  kb_fire_mutex
 * serialises the timed bursts.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/eventfd.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kevent.h>
#include <linux/kevent_s390_log.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/genetlink.h>

#include "kevent_bench.h"

static unsigned int nr_storages = 65536;
module_param(nr_storages, uint, 0444);
MODULE_PARM_DESC(nr_storages, "Number of KEVENT_BENCH storages (default 65536)");

#define KB_STORAGES_MAX		BIT(22)
#define KB_HARDIRQ_GAP_MIN_US	20
/* Fires per thread and burst: bounded, since the caller cannot interrupt. */
#define KB_BURST_MAX		BIT(20)

static struct kevent_storage *kb_storages;
static struct page *kb_shared_page;
static struct kevent_bench_shared *kb_shared;

/**
 * struct kb_fire_data - what a KEVENT_BENCH fire passes to its requests
 * @seq: the event's sequence number
 * @ns: ktime_get_ns() taken just before the notify, or 0
 */
struct kb_fire_data {
	u64 seq;
	u64 ns;
};

/**
 * struct kb_run - the producer run
 * @owner: the file that started it, NULL when there is none
 * @p: its parameters
 * @efd: the eventfd of a KEVENT_BENCH_M_EVENTFD run
 * @task: the producer kthread, or NULL in hardirq context
 * @timer: the producer timer in hardirq context
 * @done: completed when the producer stopped
 * @stop: asks the producer to stop
 * @finished: the producer stopped and @res is final
 * @deadline: ktime_get_ns() after which nothing more is fired
 * @res: what the producer did
 *
 * @owner, @p, @efd and @task change under kb_run_mutex, only while no
 * producer runs.
 */
struct kb_run {
	struct file *owner;
	struct kevent_bench_run p;
	struct eventfd_ctx *efd;
	struct task_struct *task;
	struct hrtimer timer;
	struct completion done;
	bool stop;
	bool finished;
	u64 deadline;
	struct kevent_bench_result res;
};

static DEFINE_MUTEX(kb_run_mutex);
static struct kb_run kb_run;

/* --- the KEVENT_BENCH type ------------------------------------------------ */

static int kb_enqueue(struct kevent *k)
{
	if (k->event.param >= nr_storages)
		return -EINVAL;
	return kevent_storage_enqueue(&kb_storages[k->event.param], k);
}

static int kb_callback(struct kevent *k, u32 event, void *data)
{
	const struct kb_fire_data *f = data;

	k->event.ret_data[0] = f->seq;
	k->event.ret_data[1] = f->ns;
	return 1;
}

static const struct kevent_callbacks kb_callbacks = {
	.owner = THIS_MODULE,
	.events = KEVENT_BENCH_EVENT,
	.enqueue = kb_enqueue,
	.callback = kb_callback,
};

/* --- generic netlink and uevents ------------------------------------------ */

static const struct genl_multicast_group kb_mcgrps[] = {
	{ .name = KEVENT_BENCH_GENL_MCGRP, },
};

static struct genl_family kb_genl_family = {
	.name = KEVENT_BENCH_GENL_NAME,
	.version = KEVENT_BENCH_GENL_VERSION,
	.maxattr = KEVENT_BENCH_A_MAX,
	.module = THIS_MODULE,
	.mcgrps = kb_mcgrps,
	.n_mcgrps = ARRAY_SIZE(kb_mcgrps),
};

/* One multicast message per event.  Context: any but NMI with GFP_ATOMIC. */
static int kb_genl_send(u64 seq, u64 ns, gfp_t gfp)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(2 * nla_total_size_64bit(sizeof(u64)), gfp);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &kb_genl_family, 0, KEVENT_BENCH_C_EVENT);
	if (!hdr)
		goto nospace;
	if (nla_put_u64_64bit(skb, KEVENT_BENCH_A_SEQ, seq, KEVENT_BENCH_A_PAD) ||
	    nla_put_u64_64bit(skb, KEVENT_BENCH_A_TS, ns, KEVENT_BENCH_A_PAD))
		goto nospace;
	genlmsg_end(skb, hdr);
	/* -ESRCH (nobody listens) and -ENOBUFS (a receiver overran) count. */
	return genlmsg_multicast(&kb_genl_family, skb, 0, 0, gfp);

nospace:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

static struct miscdevice kb_misc;

/* One KOBJ_CHANGE uevent of our misc device per event.  Context: process. */
static int kb_uevent_send(u64 seq, u64 ns)
{
	char s[48], t[48];
	char *envp[3];

	snprintf(s, sizeof(s), KEVENT_BENCH_UEVENT_SEQ "%llu", seq);
	snprintf(t, sizeof(t), KEVENT_BENCH_UEVENT_TS "%llu", ns);
	envp[0] = s;
	envp[1] = t;
	envp[2] = NULL;
	return kobject_uevent_env(&kb_misc.this_device->kobj, KOBJ_CHANGE, envp);
}

/*
 * Fire event @seq at storage or device number @idx through @mech.
 * Returns 0 or a negative errno.  Context: process, or hardirq for the
 * mechanisms kb_run_check() allows there.
 */
static int kb_fire(u32 mech, u32 idx, u64 seq, u64 ns)
{
	struct kb_fire_data f = { .seq = seq, .ns = ns };
	u64 payload[2] = { seq, ns };

	switch (mech) {
	case KEVENT_BENCH_M_KEVENT:
		kevent_storage_ready_data(&kb_storages[idx], NULL,
					  KEVENT_BENCH_EVENT, &f);
		return 0;
	case KEVENT_BENCH_M_S390_LOG:
		BUILD_BUG_ON(sizeof(payload) != KEVENT_BENCH_S390_PAYLOAD);
		return kevent_s390_log_notify(KEVENT_S390_TAPE_LOADED,
					      kevent_bench_devid(idx), payload,
					      sizeof(payload)) ? 0 : -EINVAL;
	case KEVENT_BENCH_M_GENL:
		return kb_genl_send(seq, ns, in_task() ? GFP_KERNEL : GFP_ATOMIC);
	case KEVENT_BENCH_M_UEVENT:
		return kb_uevent_send(seq, ns);
	case KEVENT_BENCH_M_EVENTFD:
		eventfd_signal(kb_run.efd, 1);
		return 0;
	}
	return -EINVAL;
}

/* --- the producer run ----------------------------------------------------- */

static bool kb_run_stopping(void)
{
	return READ_ONCE(kb_run.stop) ||
	       (kb_run.task && kthread_should_stop());
}

/*
 * Fire the next event; the caller checked the window.  Returns the time
 * after the fire, which the loop reuses as its clock: a clock read costs
 * as much as a third of a notify under TCG, and the producer's own
 * overhead dilutes every ratio.
 */
static u64 kb_run_fire_next(void)
{
	struct kevent_bench_result *res = &kb_run.res;
	u64 n = res->fired + 1, t0, t1;
	u32 idx = kb_run.p.first + (u32)((n - 1) % kb_run.p.nr);

	t0 = ktime_get_ns();
	/* Read by latency consumers after the wakeup the fire causes. */
	WRITE_ONCE(kb_shared->last_ns, t0);
	if (kb_fire(kb_run.p.mech, idx, n, t0))
		res->errors++;
	t1 = ktime_get_ns();
	res->fire_ns += t1 - t0;
	res->fired = n;
	/* Pairs with the consumers' load-acquire of fired. */
	smp_store_release(&kb_shared->fired, n);
	return t1;
}

/* Events fired that the consumers have not finished with. */
static u64 kb_run_outstanding(void)
{
	/* User memory: any value is possible; it only delays the producer. */
	return kb_run.res.fired - READ_ONCE(kb_shared->consumed);
}

static bool kb_run_window_full(void)
{
	return kb_run.p.window && kb_run_outstanding() >= kb_run.p.window;
}

static void kb_run_finish(void)
{
	kb_run.res.end_ns = ktime_get_ns();
	kb_run.finished = true;
	WRITE_ONCE(kb_shared->done, 1);
	complete_all(&kb_run.done);
}

/*
 * Wait while the window is full; the caller found it full.  Returns the
 * time it opened, which the caller's loop goes on with, or 0 when the run
 * must end instead.
 */
static u64 kb_run_wait_window(void)
{
	struct kevent_bench_result *res = &kb_run.res;
	unsigned int spins = 0;
	u64 t0, now;

	res->stalls++;
	t0 = ktime_get_ns();
	while (kb_run_window_full()) {
		now = ktime_get_ns();
		if (kb_run_stopping() || now >= kb_run.deadline)
			return 0;
		if (kb_run.p.gap_us) {
			usleep_range(10, 20);
		} else {
			cpu_relax();
			if (!(++spins & 63))
				cond_resched();
		}
	}
	now = ktime_get_ns();
	res->stall_ns += now - t0;
	return now;
}

static int kb_run_thread(void *unused)
{
	const struct kevent_bench_run *p = &kb_run.p;
	unsigned int gap = p->gap_us;
	u64 now;

	kb_run.res.start_ns = ktime_get_ns();
	kb_run.deadline = kb_run.res.start_ns + p->duration_ns;
	now = kb_run.res.start_ns;
	while (!kb_run_stopping()) {
		if (p->count && kb_run.res.fired >= p->count)
			break;
		if (kb_run_window_full()) {
			now = kb_run_wait_window();
			if (!now)
				break;
		}
		if (gap) {
			usleep_range(gap, gap + gap / 4 + 1);
			now = ktime_get_ns();
		}
		if (now >= kb_run.deadline)
			break;
		now = kb_run_fire_next();
		if (!(kb_run.res.fired & 63))
			cond_resched();
	}
	kb_run_finish();

	/* kthread_stop() reaps us. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static enum hrtimer_restart kb_run_timer_fn(struct hrtimer *t)
{
	const struct kevent_bench_run *p = &kb_run.p;

	if (kb_run_stopping() || ktime_get_ns() >= kb_run.deadline ||
	    (p->count && kb_run.res.fired >= p->count)) {
		kb_run_finish();
		return HRTIMER_NORESTART;
	}
	if (kb_run_window_full())
		kb_run.res.stalls++;
	else
		kb_run_fire_next();
	hrtimer_forward_now(t, ns_to_ktime((u64)p->gap_us * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static int kb_run_check(const struct kevent_bench_run *p)
{
	u64 devs;

	if (p->__reserved[0] || p->__reserved[1] || p->mech >= KEVENT_BENCH_M_MAX)
		return -EINVAL;
	if (!p->nr || !p->duration_ns ||
	    p->duration_ns > KEVENT_BENCH_MAX_DURATION_NS ||
	    p->gap_us > USEC_PER_SEC)
		return -EINVAL;
	devs = (u64)p->first + p->nr;
	if (p->mech == KEVENT_BENCH_M_KEVENT && devs > nr_storages)
		return -EINVAL;
	if (p->mech == KEVENT_BENCH_M_S390_LOG && devs > KEVENT_BENCH_DEVNR_MAX)
		return -EINVAL;
	switch (p->ctx) {
	case KEVENT_BENCH_CTX_KTHREAD:
		if (p->cpu >= 0 && ((unsigned int)p->cpu >= nr_cpu_ids || !cpu_online(p->cpu)))
			return -EINVAL;
		return 0;
	case KEVENT_BENCH_CTX_HARDIRQ:
		/*
		 * A timer period that leaves the CPU time for anything else,
		 * and only what may run in hardirq context.
		 */
		if (p->gap_us < KB_HARDIRQ_GAP_MIN_US ||
		    p->mech == KEVENT_BENCH_M_GENL ||
		    p->mech == KEVENT_BENCH_M_UEVENT)
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}

/* End the run, whatever state it is in.  Under kb_run_mutex. */
static void kb_run_reap(void)
{
	lockdep_assert_held(&kb_run_mutex);

	WRITE_ONCE(kb_run.stop, true);
	if (kb_run.task) {
		kthread_stop(kb_run.task);
		put_task_struct(kb_run.task);
		kb_run.task = NULL;
	} else {
		hrtimer_cancel(&kb_run.timer);
	}
	/* Stopped before it ran, or cancelled: nothing fires any more. */
	if (!kb_run.finished)
		kb_run_finish();
	if (kb_run.efd) {
		eventfd_ctx_put(kb_run.efd);
		kb_run.efd = NULL;
	}
	kb_run.owner = NULL;
}

static long kb_ioc_start(struct file *file, void __user *arg)
{
	struct kevent_bench_run p;
	struct task_struct *task;
	struct eventfd_ctx *efd = NULL;
	int err = 0;

	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	err = kb_run_check(&p);
	if (err)
		return err;
	if (p.mech == KEVENT_BENCH_M_EVENTFD) {
		efd = eventfd_ctx_fdget(p.eventfd);
		if (IS_ERR(efd))
			return PTR_ERR(efd);
	}

	mutex_lock(&kb_run_mutex);
	if (kb_run.owner) {
		err = -EBUSY;
		goto err_unlock;
	}
	kb_run.p = p;
	kb_run.efd = efd;
	kb_run.stop = false;
	kb_run.finished = false;
	memset(&kb_run.res, 0, sizeof(kb_run.res));
	reinit_completion(&kb_run.done);
	WRITE_ONCE(kb_shared->fired, 0);
	WRITE_ONCE(kb_shared->consumed, 0);
	WRITE_ONCE(kb_shared->done, 0);
	WRITE_ONCE(kb_shared->last_ns, 0);
	WRITE_ONCE(kb_shared->run, kb_shared->run + 1);

	if (p.ctx == KEVENT_BENCH_CTX_HARDIRQ) {
		kb_run.task = NULL;
		kb_run.res.start_ns = ktime_get_ns();
		kb_run.deadline = kb_run.res.start_ns + p.duration_ns;
		kb_run.owner = file;
		hrtimer_start(&kb_run.timer, ns_to_ktime((u64)p.gap_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_HARD);
		mutex_unlock(&kb_run_mutex);
		return 0;
	}

	task = kthread_create(kb_run_thread, NULL, "kevent_bench");
	if (IS_ERR(task)) {
		err = PTR_ERR(task);
		goto err_unlock;
	}
	if (p.cpu >= 0)
		kthread_bind(task, p.cpu);
	get_task_struct(task);
	kb_run.task = task;
	kb_run.owner = file;
	wake_up_process(task);
	mutex_unlock(&kb_run_mutex);
	return 0;

err_unlock:
	kb_run.efd = NULL;
	mutex_unlock(&kb_run_mutex);
	if (efd)
		eventfd_ctx_put(efd);
	return err;
}

static long kb_ioc_wait(struct file *file, void __user *arg)
{
	struct kevent_bench_result res;
	int err;

	mutex_lock(&kb_run_mutex);
	if (kb_run.owner != file) {
		mutex_unlock(&kb_run_mutex);
		return -ENOENT;
	}
	mutex_unlock(&kb_run_mutex);

	/* Only this file's release or WAIT reaps, so kb_run stays ours. */
	err = wait_for_completion_interruptible(&kb_run.done);
	if (err)
		return err;

	mutex_lock(&kb_run_mutex);
	if (kb_run.owner != file) {
		/* A concurrent WAIT on the same file reaped it. */
		mutex_unlock(&kb_run_mutex);
		return -ENOENT;
	}
	kb_run_reap();
	res = kb_run.res;
	mutex_unlock(&kb_run_mutex);
	return copy_to_user(arg, &res, sizeof(res)) ? -EFAULT : 0;
}

static long kb_ioc_stop(struct file *file)
{
	long ret = -ENOENT;

	mutex_lock(&kb_run_mutex);
	if (kb_run.owner == file) {
		WRITE_ONCE(kb_run.stop, true);
		ret = 0;
	}
	mutex_unlock(&kb_run_mutex);
	return ret;
}

/* --- timed bursts from several CPUs --------------------------------------- */

/**
 * struct kb_burst - one KEVENT_BENCH_IOC_FIRE in progress
 * @f: its parameters and results
 * @tasks: the threads
 * @ready: threads waiting for @go
 * @go: set once every thread is ready
 * @left: threads still firing
 * @done: completed when @left drops to 0
 * @start: per thread, ktime_get_ns() before the first fire
 * @end: per thread, after the last
 */
struct kb_burst {
	struct kevent_bench_fire f;
	struct task_struct *tasks[KEVENT_BENCH_MAX_THREADS];
	atomic_t ready;
	bool go;
	atomic_t left;
	struct completion done;
	u64 start[KEVENT_BENCH_MAX_THREADS];
	u64 end[KEVENT_BENCH_MAX_THREADS];
};

static DEFINE_MUTEX(kb_fire_mutex);
static struct kb_burst kb_burst;

static int kb_burst_thread(void *arg)
{
	unsigned int t = (unsigned long)arg, i;
	u32 base = kb_burst.f.first + t * kb_burst.f.nr;
	bool fire = true;

	atomic_inc(&kb_burst.ready);
	/* Pairs with smp_store_release(&kb_burst.go) in kb_ioc_fire(). */
	while (!smp_load_acquire(&kb_burst.go)) {
		if (kthread_should_stop()) {
			fire = false;
			break;
		}
		cond_resched();
		cpu_relax();
	}
	kb_burst.start[t] = ktime_get_ns();
	for (i = 0; fire && i < kb_burst.f.nr; i++) {
		kb_fire(kb_burst.f.mech, base + i, i + 1, 0);
		if (!(i & 1023))
			cond_resched();
	}
	kb_burst.end[t] = ktime_get_ns();
	if (atomic_dec_and_test(&kb_burst.left))
		complete(&kb_burst.done);

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* The @t-th online CPU. */
static int kb_nth_online_cpu(unsigned int t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (!t--)
			return cpu;
	return -1;
}

static long kb_ioc_fire(void __user *arg)
{
	struct kevent_bench_fire *f = &kb_burst.f;
	unsigned int t, n = 0, waited = 0;
	u64 lo = U64_MAX, hi = 0, end;
	long err = 0;
	int cpu;

	mutex_lock(&kb_fire_mutex);
	if (copy_from_user(f, arg, sizeof(*f))) {
		err = -EFAULT;
		goto out;
	}
	end = (u64)f->first + (u64)f->threads * f->nr;
	if (f->__reserved[0] || f->__reserved[1] || !f->nr ||
	    f->nr > KB_BURST_MAX || !f->threads ||
	    f->threads > KEVENT_BENCH_MAX_THREADS ||
	    f->threads > num_online_cpus() ||
	    (f->mech == KEVENT_BENCH_M_KEVENT && end > nr_storages) ||
	    (f->mech == KEVENT_BENCH_M_S390_LOG && end > KEVENT_BENCH_DEVNR_MAX) ||
	    (f->mech != KEVENT_BENCH_M_KEVENT &&
	     f->mech != KEVENT_BENCH_M_S390_LOG)) {
		err = -EINVAL;
		goto out;
	}

	atomic_set(&kb_burst.ready, 0);
	atomic_set(&kb_burst.left, f->threads);
	kb_burst.go = false;
	reinit_completion(&kb_burst.done);
	for (t = 0; t < f->threads; t++) {
		struct task_struct *task;

		cpu = kb_nth_online_cpu(t);
		task = cpu < 0 ? ERR_PTR(-ENODEV) :
			kthread_create(kb_burst_thread, (void *)(unsigned long)t,
				       "kevent_bench/%u", t);
		if (IS_ERR(task)) {
			err = PTR_ERR(task);
			break;
		}
		kthread_bind(task, cpu);
		get_task_struct(task);
		kb_burst.tasks[t] = task;
		n++;
	}
	if (err) {
		/* Threads not yet woken return at once from kthread_stop(). */
		for (t = 0; t < n; t++) {
			kthread_stop(kb_burst.tasks[t]);
			put_task_struct(kb_burst.tasks[t]);
		}
		goto out;
	}
	for (t = 0; t < n; t++)
		wake_up_process(kb_burst.tasks[t]);
	/* Start them together, but never hang on one that is not scheduled. */
	while (atomic_read(&kb_burst.ready) < n && waited++ < 5000)
		usleep_range(100, 200);
	/* Pairs with smp_load_acquire(&kb_burst.go) in kb_burst_thread(). */
	smp_store_release(&kb_burst.go, true);
	wait_for_completion(&kb_burst.done);

	for (t = 0; t < n; t++) {
		kthread_stop(kb_burst.tasks[t]);
		put_task_struct(kb_burst.tasks[t]);
		lo = min(lo, kb_burst.start[t]);
		hi = max(hi, kb_burst.end[t]);
		f->thread_ns[t] = kb_burst.end[t] - kb_burst.start[t];
	}
	f->ns = hi - lo;
	if (copy_to_user(arg, f, sizeof(*f)))
		err = -EFAULT;
out:
	mutex_unlock(&kb_fire_mutex);
	return err;
}

/* --- /dev/kevent_bench ---------------------------------------------------- */

static long kb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case KEVENT_BENCH_IOC_START:
		return kb_ioc_start(file, argp);
	case KEVENT_BENCH_IOC_WAIT:
		return kb_ioc_wait(file, argp);
	case KEVENT_BENCH_IOC_STOP:
		return kb_ioc_stop(file);
	case KEVENT_BENCH_IOC_FIRE:
		return kb_ioc_fire(argp);
	}
	return -ENOTTY;
}

static int kb_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma_pages(vma) != 1)
		return -EINVAL;
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	return vm_insert_page(vma, vma->vm_start, kb_shared_page);
}

static int kb_release(struct inode *inode, struct file *file)
{
	mutex_lock(&kb_run_mutex);
	if (kb_run.owner == file)
		kb_run_reap();
	mutex_unlock(&kb_run_mutex);
	return 0;
}

static const struct file_operations kb_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.release = kb_release,
	.unlocked_ioctl = kb_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = kb_mmap,
	.llseek = no_llseek,
};

static struct miscdevice kb_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kevent_bench",
	.fops = &kb_fops,
	.mode = 0600,
};

/* --- module --------------------------------------------------------------- */

static void kb_storages_free(void)
{
	unsigned int i;

	/*
	 * Requests pin this module, so none is attached now; finishing empty
	 * storages would only wait one grace period each.
	 */
	for (i = 0; i < nr_storages; i++)
		if (!list_empty_careful(&kb_storages[i].list))
			kevent_storage_fini(&kb_storages[i]);
	kvfree(kb_storages);
}

static int __init kevent_bench_init(void)
{
	unsigned int i;
	int err;

	if (!nr_storages || nr_storages > KB_STORAGES_MAX)
		return -EINVAL;
	kb_storages = kvcalloc(nr_storages, sizeof(*kb_storages), GFP_KERNEL);
	if (!kb_storages)
		return -ENOMEM;
	for (i = 0; i < nr_storages; i++)
		kevent_storage_init(NULL, &kb_storages[i]);
	kb_shared_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!kb_shared_page) {
		err = -ENOMEM;
		goto err_storages;
	}
	kb_shared = page_address(kb_shared_page);
	BUILD_BUG_ON(sizeof(*kb_shared) > PAGE_SIZE);

	init_completion(&kb_run.done);
	hrtimer_init(&kb_run.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	kb_run.timer.function = kb_run_timer_fn;
	init_completion(&kb_burst.done);

	err = genl_register_family(&kb_genl_family);
	if (err)
		goto err_page;
	err = misc_register(&kb_misc);
	if (err)
		goto err_genl;
	/*
	 * Last: a request pins this module from the moment it is added, before
	 * init returns, and a module whose init fails is freed regardless.
	 */
	err = kevent_add_callbacks(&kb_callbacks, KEVENT_BENCH);
	if (err)
		goto err_misc;
	return 0;

err_misc:
	misc_deregister(&kb_misc);
err_genl:
	genl_unregister_family(&kb_genl_family);
err_page:
	__free_page(kb_shared_page);
err_storages:
	kvfree(kb_storages);
	return err;
}

static void __exit kevent_bench_exit(void)
{
	/* First, as init registers it last.  Our requests pin this module. */
	WARN_ON(kevent_remove_callbacks(KEVENT_BENCH));
	/* An open file pins the module: no run and no burst is in progress. */
	misc_deregister(&kb_misc);
	genl_unregister_family(&kb_genl_family);
	kb_storages_free();
	/* A mapping holds the file, which pins the module: none is left. */
	__free_page(kb_shared_page);
}

module_init(kevent_bench_init);
module_exit(kevent_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kevent benchmark producer: kevent, s390 log, netlink, uevent, eventfd");
MODULE_AUTHOR("The kevent developers");
