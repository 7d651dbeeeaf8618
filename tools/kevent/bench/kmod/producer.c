// SPDX-License-Identifier: GPL-2.0
/*
 * The producer run: fire one event at a time through one mechanism, from a
 * kthread or from hrtimer hardirq context, with flow control against a
 * counter the consumers publish in a shared page (KEVENT_BENCH_IOC_START,
 * _WAIT and _STOP).
 *
 * Locking: run_mutex serialises starting, stopping and reaping the one
 * run; the producer itself takes no lock of ours.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/eventfd.h>
#include <linux/fs.h>
#include <linux/kevent_irq_batch.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>

#include "internal.h"

#define HARDIRQ_GAP_MIN_US	20

static struct page *shared_page;
static struct kevent_bench_shared *shared;

/**
 * struct run - the producer run
 * @owner: the file that started it, NULL when there is none
 * @p: its parameters
 * @efd: the eventfd of a KEVENT_BENCH_M_EVENTFD run
 * @task: the producer kthread, or NULL in hardirq context
 * @irq: the producer timer in hardirq context, one fire per expiry
 * @done: completed when the producer stopped
 * @stop: asks the producer to stop
 * @finished: the producer stopped and @res is final
 * @deadline: ktime_get_ns() after which nothing more is fired
 * @res: what the producer did
 *
 * @owner, @p, @efd and @task change under run_mutex, only while no
 * producer runs.
 */
struct run {
	struct file *owner;
	struct kevent_bench_run p;
	struct eventfd_ctx *efd;
	struct task_struct *task;
	struct kevent_irq_batch irq;
	struct completion done;
	bool stop;
	bool finished;
	u64 deadline;
	struct kevent_bench_result res;
};

static DEFINE_MUTEX(run_mutex);
static struct run run;

static bool run_stopping(void)
{
	return READ_ONCE(run.stop) || (run.task && kthread_should_stop());
}

/*
 * Fire the next event; the caller checked the window.  Returns the time
 * after the fire, which the loop reuses as its clock: a clock read costs
 * as much as a third of a notify under TCG, and the producer's own
 * overhead dilutes every ratio.
 */
static u64 fire_next(void)
{
	struct kevent_bench_result *res = &run.res;
	u64 n = res->fired + 1, t0, t1;
	u32 idx = run.p.first + (u32)((n - 1) % run.p.nr);

	t0 = ktime_get_ns();
	/* Read by latency consumers after the wakeup the fire causes. */
	WRITE_ONCE(shared->last_ns, t0);
	if (kevent_bench_fire(run.p.mech, idx, n, t0, run.efd))
		res->errors++;
	t1 = ktime_get_ns();
	res->fire_ns += t1 - t0;
	res->fired = n;
	/* Pairs with the consumers' load-acquire of fired. */
	smp_store_release(&shared->fired, n);
	return t1;
}

/* Events fired that the consumers have not finished with. */
static u64 outstanding(void)
{
	/* User memory: any value is possible; it only delays the producer. */
	return run.res.fired - READ_ONCE(shared->consumed);
}

static bool window_full(void)
{
	return run.p.window && outstanding() >= run.p.window;
}

static void run_finish(void)
{
	run.res.end_ns = ktime_get_ns();
	run.finished = true;
	WRITE_ONCE(shared->done, 1);
	complete_all(&run.done);
}

/*
 * Wait while the window is full; the caller found it full.  Returns the
 * time it opened, which the caller's loop goes on with, or 0 when the run
 * must end instead.
 */
static u64 wait_window(void)
{
	struct kevent_bench_result *res = &run.res;
	unsigned int spins = 0;
	u64 t0, now;

	res->stalls++;
	t0 = ktime_get_ns();
	while (window_full()) {
		now = ktime_get_ns();
		if (run_stopping() || now >= run.deadline)
			return 0;
		if (run.p.gap_us) {
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

static int run_thread(void *unused)
{
	const struct kevent_bench_run *p = &run.p;
	unsigned int gap = p->gap_us;
	u64 now;

	run.res.start_ns = ktime_get_ns();
	run.deadline = run.res.start_ns + p->duration_ns;
	now = run.res.start_ns;
	while (!run_stopping()) {
		if (p->count && run.res.fired >= p->count)
			break;
		if (window_full()) {
			now = wait_window();
			if (!now)
				break;
		}
		if (gap) {
			usleep_range(gap, gap + gap / 4 + 1);
			now = ktime_get_ns();
		}
		if (now >= run.deadline)
			break;
		now = fire_next();
		if (!(run.res.fired & 63))
			cond_resched();
	}
	run_finish();

	kevent_bench_wait_reaped();
	return 0;
}

/* One timer expiry in hardirq context: fire unless the window is full. */
static bool irq_fire(struct kevent_irq_batch *b)
{
	const struct kevent_bench_run *p = &run.p;

	if (run_stopping() || ktime_get_ns() >= run.deadline ||
	    (p->count && run.res.fired >= p->count)) {
		run_finish();
		return false;
	}
	if (window_full())
		run.res.stalls++;
	else
		fire_next();
	return true;
}

static int check_params(const struct kevent_bench_run *p)
{
	u64 devs;

	if (p->__reserved[0] || p->__reserved[1] || p->mech >= KEVENT_BENCH_M_MAX)
		return -EINVAL;
	if (!p->nr || !p->duration_ns ||
	    p->duration_ns > KEVENT_BENCH_MAX_DURATION_NS ||
	    p->gap_us > USEC_PER_SEC)
		return -EINVAL;
	devs = (u64)p->first + p->nr;
	if (p->mech == KEVENT_BENCH_M_KEVENT && devs > kevent_bench_nr_storages)
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
		if (p->gap_us < HARDIRQ_GAP_MIN_US ||
		    !kevent_bench_any_context(p->mech))
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}

/* End the run, whatever state it is in. */
static void run_reap(void)
{
	lockdep_assert_held(&run_mutex);

	WRITE_ONCE(run.stop, true);
	if (run.task) {
		kthread_stop(run.task);
		put_task_struct(run.task);
		run.task = NULL;
	} else {
		kevent_irq_batch_cancel(&run.irq);
	}
	/* Stopped before it ran, or cancelled: nothing fires any more. */
	if (!run.finished)
		run_finish();
	if (run.efd) {
		eventfd_ctx_put(run.efd);
		run.efd = NULL;
	}
	run.owner = NULL;
}

long kevent_bench_ioc_start(struct file *file, void __user *arg)
{
	struct kevent_bench_run p;
	struct task_struct *task;
	struct eventfd_ctx *efd = NULL;
	int err = 0;

	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	err = check_params(&p);
	if (err)
		return err;
	if (p.mech == KEVENT_BENCH_M_EVENTFD) {
		efd = eventfd_ctx_fdget(p.eventfd);
		if (IS_ERR(efd))
			return PTR_ERR(efd);
	}

	mutex_lock(&run_mutex);
	if (run.owner) {
		err = -EBUSY;
		goto err_unlock;
	}
	run.p = p;
	run.efd = efd;
	run.stop = false;
	run.finished = false;
	memset(&run.res, 0, sizeof(run.res));
	reinit_completion(&run.done);
	WRITE_ONCE(shared->fired, 0);
	WRITE_ONCE(shared->consumed, 0);
	WRITE_ONCE(shared->done, 0);
	WRITE_ONCE(shared->last_ns, 0);
	WRITE_ONCE(shared->run, shared->run + 1);

	if (p.ctx == KEVENT_BENCH_CTX_HARDIRQ) {
		u64 gap_ns = (u64)p.gap_us * NSEC_PER_USEC;

		run.task = NULL;
		run.res.start_ns = ktime_get_ns();
		run.deadline = run.res.start_ns + p.duration_ns;
		run.owner = file;
		/* Until irq_fire() ends it: the deadline is at most 120 s. */
		kevent_irq_batch_start(&run.irq, U64_MAX, gap_ns, gap_ns);
		mutex_unlock(&run_mutex);
		return 0;
	}

	task = kthread_create(run_thread, NULL, "kevent_bench");
	if (IS_ERR(task)) {
		err = PTR_ERR(task);
		goto err_unlock;
	}
	if (p.cpu >= 0)
		kthread_bind(task, p.cpu);
	get_task_struct(task);
	run.task = task;
	run.owner = file;
	wake_up_process(task);
	mutex_unlock(&run_mutex);
	return 0;

err_unlock:
	run.efd = NULL;
	mutex_unlock(&run_mutex);
	if (efd)
		eventfd_ctx_put(efd);
	return err;
}

long kevent_bench_ioc_wait(struct file *file, void __user *arg)
{
	struct kevent_bench_result res;
	int err;

	mutex_lock(&run_mutex);
	if (run.owner != file) {
		mutex_unlock(&run_mutex);
		return -ENOENT;
	}
	mutex_unlock(&run_mutex);

	/* Only this file's release or WAIT reaps, so run stays ours. */
	err = wait_for_completion_interruptible(&run.done);
	if (err)
		return err;

	mutex_lock(&run_mutex);
	if (run.owner != file) {
		/* A concurrent WAIT on the same file reaped it. */
		mutex_unlock(&run_mutex);
		return -ENOENT;
	}
	run_reap();
	res = run.res;
	mutex_unlock(&run_mutex);
	return copy_to_user(arg, &res, sizeof(res)) ? -EFAULT : 0;
}

long kevent_bench_ioc_stop(struct file *file)
{
	long ret = -ENOENT;

	mutex_lock(&run_mutex);
	if (run.owner == file) {
		WRITE_ONCE(run.stop, true);
		ret = 0;
	}
	mutex_unlock(&run_mutex);
	return ret;
}

/* @file is going away: so is its run. */
void kevent_bench_run_release(struct file *file)
{
	mutex_lock(&run_mutex);
	if (run.owner == file)
		run_reap();
	mutex_unlock(&run_mutex);
}

/* Map the shared page: offset 0, one page. */
int kevent_bench_run_mmap(struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma_pages(vma) != 1)
		return -EINVAL;
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	return vm_insert_page(vma, vma->vm_start, shared_page);
}

int kevent_bench_run_init(void)
{
	shared_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!shared_page)
		return -ENOMEM;
	shared = page_address(shared_page);
	BUILD_BUG_ON(sizeof(*shared) > PAGE_SIZE);

	init_completion(&run.done);
	kevent_irq_batch_init(&run.irq, irq_fire, HRTIMER_MODE_REL_HARD, 1);
	return 0;
}

void kevent_bench_run_exit(void)
{
	/* A mapping holds the file, which pins the module: none is left. */
	__free_page(shared_page);
}
